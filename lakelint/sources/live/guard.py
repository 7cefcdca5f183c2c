"""Read-only by construction: a botocore hook that refuses every operation that is not a read.

The hook runs on ``before-call`` for every client of the session, before any request is built or
signed, so a write cannot leave the process even if a collector (or a future one) asks for it. It
also counts the calls that do go out: the tests compare that set with the IAM policy, and the
benchmark reports calls per bucket.
"""

from __future__ import annotations

import threading
from collections import Counter

READ_PREFIXES = ("Get", "List", "Describe", "Head")


class WriteRefused(RuntimeError):
    """An operation that is not a read was about to be sent. Always a bug in lakelint."""


def is_read(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES)


class ReadOnlyGuard:
    def __init__(self):
        self._lock = threading.Lock()
        self.calls = Counter()  # (service, operation) -> number of calls

    def install(self, events) -> None:
        """Register on a client's event emitter, ahead of anything else that answers ``before-call``
        (botocore stops at the first handler that returns a response, as Stubber's does)."""
        events.register_first("before-call.*.*", self.before_call, unique_id="lakelint-read-only-guard")

    def before_call(self, model=None, **_):
        service = model.service_model.service_name
        if not is_read(model.name):
            raise WriteRefused(f"lakelint is read-only and refused {service}:{model.name}")
        with self._lock:
            self.calls[(service, model.name)] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.calls.values())

    def operations(self) -> set:
        with self._lock:
            return set(self.calls)

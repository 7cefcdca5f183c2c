"""Read-only by allowlist: a botocore hook that refuses every operation that is not in the call catalog.

A name that merely looks like a read is not enough: ``s3:GetObject`` returns object contents,
``secretsmanager:GetSecretValue`` a secret, ``sts:GetSessionToken`` new credentials, and
``redshift:GetClusterCredentials`` can create a database user. The guard admits exactly the calls in
``catalog.all_calls()``, the same table ``--print-iam-policy`` is generated from, and refuses the rest.

The hook runs on ``before-call`` for every client of the session, before any request is built or
signed, so a refused call cannot leave the process even if a collector (or a future one) asks for it.
It also counts the calls that do go out: the tests compare that set with the IAM policy, and the
benchmark reports calls per bucket.
"""

from __future__ import annotations

import threading
from collections import Counter


class WriteRefused(RuntimeError):
    """An operation outside the catalog was about to be sent. Always a bug in lakelint."""


def allowed(service: str, operation: str) -> bool:
    from lakelint.sources.live.catalog import lookup

    return lookup(service, operation) is not None


class ReadOnlyGuard:
    """``extra``: calls this guard admits beyond the scan catalog. Only the scanning principal's session
    of an organisation run has any (``organizations:List*``, ``sts:AssumeRole``: catalog.SCANNER_CALLS);
    the sessions that read member accounts admit the scan catalog alone."""

    def __init__(self, extra=()):
        self._lock = threading.Lock()
        self.calls = Counter()  # (service, operation) -> number of calls
        self.extra = frozenset((call.service, call.operation) for call in extra)

    def install(self, events) -> None:
        """Register on a client's event emitter, ahead of anything else that answers ``before-call``
        (botocore stops at the first handler that returns a response, as Stubber's does). Install it
        before any other ``register_first`` hook: those run in the order they were registered."""
        events.register_first("before-call.*.*", self.before_call, unique_id="lakelint-read-only-guard")

    def install_counter(self, events) -> None:
        """Count the calls that go on: install it after the hooks that may still stop a call (the
        run's deadline), so the count is of calls made."""
        events.register_first("before-call.*.*", self.count, unique_id="lakelint-call-counter")

    def before_call(self, model=None, **_):
        service = model.service_model.service_name
        if not allowed(service, model.name) and (service, model.name) not in self.extra:
            raise WriteRefused(f"lakelint is read-only: it makes only the calls in its catalog, and refused "
                               f"{service}:{model.name} before sending it")

    def count(self, model=None, **_):
        with self._lock:
            self.calls[(model.service_model.service_name, model.name)] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.calls.values())

    def operations(self) -> set:
        with self._lock:
            return set(self.calls)

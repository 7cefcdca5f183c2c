"""Time bounds: every call has a deadline that covers its retries, and a run may have one overall.

botocore bounds one attempt (connect and read timeouts) but not a call: a server that accepts
connections and never answers costs the read timeout on every attempt, and every call of the scan
pays it again. Three botocore hooks, installed on every client, bound that:

- ``before-call``: the call's deadline is ``min(now + per-call budget, run deadline)``, kept in the
  request context; once the run deadline has passed, no call is sent at all (``RunTimedOut``);
- ``before-send``: each attempt's read timeout is what is left of the call's deadline (botocore reads
  ``read_timeout`` from the request context), and an attempt that would start after it is not sent;
- ``needs-retry``: no retry is started once the deadline is (nearly) spent.

What a call could not read in time is an ``Unreadable`` like any other timeout: unknown, exit 2.
"""

from __future__ import annotations

import threading
import time

CALL_DEADLINE = 90.0  # seconds one call may take, every retry included
MIN_ATTEMPT = 0.5  # a retry that would have less than this left is not started
_KEY = "lakelint_deadline"


class RunTimedOut(Exception):
    """The run's --timeout ran out before this call was made."""


class CallTimedOut(Exception):
    """The call's own deadline ran out between two attempts."""


class Deadlines:
    def __init__(self, call_seconds: float = CALL_DEADLINE, read_timeout: float = 30.0):
        self.call_seconds = float(call_seconds)
        self.read_timeout = float(read_timeout)
        self.run_seconds = None
        self.run_end = None  # time.monotonic() value, or None for no run-wide deadline
        self._lock = threading.Lock()
        self.not_made = 0  # calls refused because the run deadline had passed
        self.interrupted = False  # the user stopped the run (Ctrl-C): no more calls at all

    def start_run(self, seconds: float | None, end: float | None = None) -> None:
        """The run's deadline: ``seconds`` from now, or at ``end`` (a ``time.monotonic()`` value) when
        several sessions share one run (an organisation scan: one deadline for every account)."""
        if seconds is not None:
            self.run_seconds = float(seconds)
            self.run_end = float(end) if end is not None else time.monotonic() + float(seconds)

    def interrupt(self) -> None:
        """Ctrl-C: every call not yet made is refused (``RunTimedOut``), so the reads under way end now
        instead of finishing a scan whose result would be thrown away."""
        self.interrupted = True
        self.run_end = time.monotonic()

    @property
    def run_expired(self) -> bool:
        return self.run_end is not None and time.monotonic() >= self.run_end

    def install(self, events) -> None:
        events.register_first("before-call.*.*", self.before_call, unique_id="lakelint-deadline-call")
        events.register_first("before-send.*.*", self.before_send, unique_id="lakelint-deadline-send")
        events.register_first("needs-retry.*.*", self.needs_retry, unique_id="lakelint-deadline-retry")

    def before_call(self, context=None, **_):
        now = time.monotonic()
        if self.run_end is not None and now >= self.run_end:
            with self._lock:
                self.not_made += 1
            raise RunTimedOut()
        end = now + self.call_seconds
        if self.run_end is not None:
            end = min(end, self.run_end)
        if context is not None:
            context[_KEY] = end

    def before_send(self, request=None, **_):
        context = getattr(request, "context", None)
        end = context.get(_KEY) if isinstance(context, dict) else None
        if end is None:
            return None
        left = end - time.monotonic()
        if left <= 0:
            raise CallTimedOut()
        context["read_timeout"] = max(0.05, min(self.read_timeout, left))
        return None

    def needs_retry(self, request_dict=None, **_):
        context = (request_dict or {}).get("context") or {}
        end = context.get(_KEY)
        if end is not None and end - time.monotonic() < MIN_ATTEMPT:
            return False  # botocore reads False as "do not retry" and raises what the last attempt met
        return None

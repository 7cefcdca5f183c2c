"""Run one check on one resource (or file) so that nothing it does costs more than its own results.

Checks include third-party plugins. A check that raises, calls ``sys.exit``, raises
``KeyboardInterrupt`` itself, returns something that is not a verdict, or runs past its time limit
(``check-timeout``, 10 s by default) yields ``CheckFailure`` here; the engine turns that into one
error entry for that check on that resource, and every other check and file is still linted.

A real Ctrl-C is not a check's failure: while ``user_interrupts()`` is active (the runs install it),
the SIGINT handler records that the user asked to stop, and that KeyboardInterrupt goes through.
The time limit uses ``SIGALRM`` (``watchdog()``), so it applies in the main thread of each process (the
CLI's process and the worker processes of a parallel run); elsewhere checks run without a limit.
"""

from __future__ import annotations

import contextlib
import signal
import time

from lakelint.core.check import Verdict

_state = {"interrupted": False, "started": None, "limit": None, "watching": False}


class CheckTimeout(BaseException):
    """Raised inside a check that ran past its time limit. A BaseException, so a check's own
    ``except Exception`` cannot swallow it."""


class CheckFailure(Exception):
    """A check could not give verdicts: ``reason`` says why, in words for an error entry."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def run_check(func, args, timeout: float | None) -> list:
    """The verdicts of ``func(*args)``, or ``CheckFailure``. The time limit applies inside
    ``watchdog()`` (the engine keeps one running while it lints a stack)."""
    _state["started"] = time.monotonic()
    _state["limit"] = timeout
    try:
        produced = func(*args)
        verdicts = []
        for item in produced if produced is not None else ():
            if not isinstance(item, Verdict):
                raise CheckFailure(f"it yielded {_describe(item)}, not a verdict (use fail(...) or unknown(...))")
            verdicts.append(item)
        return verdicts
    except CheckFailure:
        raise
    except CheckTimeout:
        raise CheckFailure(f"it ran for more than {timeout:g} s (check-timeout) and was stopped") from None
    except KeyboardInterrupt:
        if _state["interrupted"]:
            raise
        raise CheckFailure("it raised KeyboardInterrupt") from None
    except SystemExit as exc:
        raise CheckFailure(f"it called sys.exit({exc.code!r})") from None
    except TypeError as exc:
        if produced_is_not_iterable(exc):
            raise CheckFailure("it returned something that is not a sequence of verdicts") from None
        raise CheckFailure(f"TypeError: {_clip(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - a broken check must not cost the rest of the run
        raise CheckFailure(f"{type(exc).__name__}: {_clip(exc)}") from None
    finally:
        _state["started"] = None


def produced_is_not_iterable(exc: TypeError) -> bool:
    return "is not iterable" in str(exc)


WATCH_INTERVAL = 0.25  # seconds between the watchdog's looks at the running check


@contextlib.contextmanager
def watchdog():
    """Enforce each check's time limit while the block runs: a timer wakes every ``WATCH_INTERVAL``
    and stops the running check once it has run past its limit. One timer for the whole block, not
    one per check: a check costs an assignment, not two system calls."""
    if not hasattr(signal, "setitimer") or _state.get("watching"):
        yield
        return

    def look(signum, frame):
        started, limit = _state.get("started"), _state.get("limit")
        if started is not None and limit and time.monotonic() - started > limit:
            _state["started"] = None
            raise CheckTimeout()

    installed = _install(signal.SIGALRM, look)
    if installed is None:
        yield
        return
    previous, = installed
    signal.setitimer(signal.ITIMER_REAL, WATCH_INTERVAL, WATCH_INTERVAL)
    _state["watching"] = True
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _state["watching"] = False


@contextlib.contextmanager
def user_interrupts():
    """While active, a Ctrl-C (SIGINT) is known to come from the user, not from a check."""
    def interrupted(signum, frame):
        _state["interrupted"] = True
        raise KeyboardInterrupt()

    installed = _install(signal.SIGINT, interrupted)
    if installed is None:
        yield
        return
    previous, = installed
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _state["interrupted"] = False


def _install(signum, handler) -> tuple | None:
    """``(previous handler,)`` once ``handler`` is installed, or None outside the main thread, where
    Python takes no signals: signal itself says so (importing threading to ask would cost a
    one-template run ~1.5 ms, issue 18)."""
    try:
        return (signal.signal(signum, handler),)
    except ValueError:  # "signal only works in main thread of the main interpreter"
        return None


def _describe(item) -> str:
    text = repr(item)
    return f"{type(item).__name__} {_clip(text)}"


def _clip(value, limit: int = 200) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."

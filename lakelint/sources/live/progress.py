"""Progress on stderr while a scan runs ("buckets 120/1000"), only when stderr is a terminal.

Redrawn at most ten times a second on one line, and cleared at the end, so a terminal shows
a live count and a log file or CI run shows nothing at all.
"""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, enabled: bool, stream=None, interval: float = 0.1):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.interval = interval
        self.total = 0
        self.done = 0
        self.label = "buckets"
        self._lock = threading.Lock()
        self._last = 0.0
        self._width = 0

    def start(self, total: int, label: str = "buckets") -> None:
        self.total, self.done, self.label = total, 0, label
        self._draw(force=True)

    def step(self) -> None:
        with self._lock:
            self.done += 1
        self._draw(force=self.done == self.total)

    def note(self, text: str) -> None:
        """A phase without a count ("listing buckets")."""
        self._write(f"lakelint: {text}")

    def finish(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self._write(f"lakelint: scanning {self.label} {self.done}/{self.total}")

    def _write(self, text: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._width = len(text)

"""Progress on stderr while a scan runs, only when stderr is a terminal.

One line, redrawn at most ten times a second and cleared at the end, counts every phase that has
work: ``lakelint: scanning buckets 120/1000, regional services 14/60`` (a regional service is one
collector in one region). A log file or CI run shows nothing at all.
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
        self.counts = {}  # label -> [done, total], in the order phases started
        self._lock = threading.Lock()
        self._last = 0.0
        self._width = 0

    # the single-phase form the bucket scan used first
    def start(self, total: int, label: str = "buckets") -> None:
        with self._lock:
            self.counts[label] = [0, total]
        self._draw(force=True)

    def add(self, label: str, count: int) -> None:
        """``count`` more units of work in phase ``label``."""
        with self._lock:
            entry = self.counts.setdefault(label, [0, 0])
            entry[1] += count
        self._draw(force=True)

    def step(self, label: str | None = None) -> None:
        with self._lock:
            if label is None:
                label = next(iter(self.counts), "buckets")
            entry = self.counts.setdefault(label, [0, 0])
            entry[0] += 1
            finished = all(done >= total for done, total in self.counts.values())
        self._draw(force=finished)

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
        with self._lock:
            parts = [f"{label} {done}/{total}" for label, (done, total) in self.counts.items()]
        if parts:
            self._write("lakelint: scanning " + ", ".join(parts))

    def _write(self, text: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._width = len(text)

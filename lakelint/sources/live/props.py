"""A live resource's properties, knowing which of them the scan read.

In a template an absent property is a fact: the author did not set it. Live, an absent property is a
fact only when the scan asked: ``GetBucketLifecycleConfiguration`` answering "no lifecycle" means
none; a lifecycle the scan never asked for means nothing. ``LiveProps`` is the plain dict of what was
read, plus the set of top-level properties the scan read: any other property reads as a ``NotRead``
(an ``Unresolved``), so a check sees "unknown" where it would otherwise see "not set" and pass or fail
on nothing.

It behaves as a dict everywhere checks look: ``props.get(key, default)`` and ``props[key]`` give the
``NotRead`` for an unread key, and ``key in props`` is true for it (its value is there, only unknown);
iterating, ``len`` and equality see only what was read.
"""

from __future__ import annotations

from lakelint.sources.live.faults import NotRead


class LiveProps(dict):
    __slots__ = ("rtype", "read", "reasons")

    def __init__(self, values, rtype: str, read, reasons: dict | None = None):
        super().__init__(values)
        self.rtype = rtype
        self.read = frozenset(read)
        self.reasons = reasons or {}  # prop -> why it was not read, for the properties a collector provides

    def unread(self, key) -> bool:
        return isinstance(key, str) and key not in self.read and not dict.__contains__(self, key)

    def why(self, key) -> str:
        return self.reasons.get(key) or f"no live collector reads {self.rtype} {key}"

    def __missing__(self, key):
        if self.unread(key):
            return NotRead(self.rtype, key, self.why(key))
        raise KeyError(key)

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return NotRead(self.rtype, key, self.why(key)) if self.unread(key) else default

    def __contains__(self, key):
        return dict.__contains__(self, key) or self.unread(key)

    def __reduce__(self):
        return (LiveProps, (dict(self), self.rtype, self.read, self.reasons))

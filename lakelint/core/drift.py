"""What a drift check judges (scope ``"drift"``): one resource, one check, both sides.

``lakelint --live --compare`` (lakelint/runs/compare) builds one ``DriftPair`` for every resource a
stack deployed from a template and every check that judges it on both sources. A side's ``verdict``
is ``"pass"``, ``"fail"`` or ``"unknown"`` (the template cannot prove it, or the account could not be
read); unknown on either side is never drift, and the run reports it as could-not-evaluate, so drift
checks see only pairs whose two verdicts are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Side:
    verdict: str  # "pass" | "fail" | "unknown"
    messages: list = field(default_factory=list)  # the underlying check's findings on this side
    keys: list = field(default_factory=list)  # their property paths, where the fix goes
    where: str | None = None  # the template's file:line, or the live resource's ARN

    def to_dict(self) -> dict:
        data = {"verdict": self.verdict, "messages": list(self.messages)}
        if self.keys:
            data["property"] = self.keys[0]
        return data


@dataclass
class DriftPair:
    check: str  # the underlying check's code
    name: str  # ... and name
    stack: str  # the stack's name
    logical_id: str
    resource_type: str
    physical_id: str
    template: Side
    live: Side


def summary(side: Side) -> str:
    """A side's messages, the first two of them, for a drift finding's own message."""
    shown = "; ".join(side.messages[:2])
    return shown + (f" (and {len(side.messages) - 2} more)" if len(side.messages) > 2 else "")

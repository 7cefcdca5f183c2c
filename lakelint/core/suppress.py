"""Suppressions: reasoned, dated exceptions written next to the code they excuse.

Two layers, merged: a resource's ``Metadata.lakelint.ignore`` entries (``id``, ``reason``, optional
``until``), and line comments ``# lakelint: ignore[LL101]: reason`` on the offending line or on the
resource's first line. A suppression only works with a reason and before its expiry date; one that
is reasonless, expired, names an unknown check, or matches nothing is reported by LL001 so that
exceptions do not outlive their purpose.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from lakelint.core.values import pos_of

COMMENT = re.compile(r"#\s*lakelint:\s*ignore\[([^\]]*)\]\s*(?::\s*(.*?))?\s*$")


@dataclass
class Suppression:
    codes: list  # check codes (names already mapped to codes; unknown ones kept as written)
    reason: str | None
    file: str | None
    line: int | None
    column: int | None
    kind: str  # "metadata" or "comment"
    resource: str | None = None  # metadata: the resource it belongs to
    until: _dt.date | None = None
    problem: str | None = None  # why it does not apply: no reason, expired, unknown check
    matched: set = field(default_factory=set)  # codes it suppressed at least once

    @property
    def active(self) -> bool:
        return self.problem is None


def _until(value):
    if value is None or value == "":
        return None, None
    if isinstance(value, _dt.datetime):
        return value.date(), None
    if isinstance(value, _dt.date):
        return value, None
    try:
        return _dt.date.fromisoformat(str(value)), None
    except ValueError:
        return None, f"has an 'until' that is not a date (YYYY-MM-DD): {value!r}"


def _judge(sup: Suppression, today: _dt.date, resolve_code) -> Suppression:
    codes = []
    for written in sup.codes:
        code = resolve_code(written)
        if code is None:
            sup.problem = sup.problem or f"names unknown check {written}"
            codes.append(written)
        else:
            codes.append(code)
    sup.codes = codes
    if not sup.codes:
        sup.problem = sup.problem or "names no check"
    if not (sup.reason or "").strip():
        sup.problem = sup.problem or "has no reason"
    if sup.until is not None and sup.until < today:
        sup.problem = sup.problem or f"expired on {sup.until.isoformat()}"
    return sup


def collect(stack, today: _dt.date, resolve_code) -> list:
    """Every suppression written in one template."""
    found = []
    for resource in stack.resources:
        meta = resource.metadata
        entries = meta.get("lakelint", {}).get("ignore") if isinstance(meta, dict) and isinstance(meta.get("lakelint"), dict) else None
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            line, column = pos_of(entries, index) or resource.pos or (None, None)
            if isinstance(entry, str):
                sup = Suppression([entry], None, stack.file, line, column, "metadata", resource.name)
            elif isinstance(entry, dict):
                until, bad = _until(entry.get("until"))
                reason = entry.get("reason")
                sup = Suppression([str(entry.get("id", ""))] if entry.get("id") else [],
                                  str(reason) if reason is not None else None,
                                  stack.file, line, column, "metadata", resource.name, until, bad)
            else:
                continue
            found.append(_judge(sup, today, resolve_code))
    for number, text in enumerate(stack.text_lines or (), start=1):
        if "lakelint" not in text:
            continue
        match = COMMENT.search(text)
        if not match:
            continue
        codes = [c.strip() for c in match.group(1).split(",") if c.strip()]
        sup = Suppression(codes, match.group(2), stack.file, number, match.start() + 1, "comment")
        found.append(_judge(sup, today, resolve_code))
    return found


def apply(findings, suppressions, resource_lines: dict) -> None:
    """Mark findings suppressed by an active suppression. ``resource_lines`` maps each resource name
    to its first line, so a comment there covers the whole resource."""
    for finding in findings:
        if finding.suppressed:
            continue
        for sup in suppressions:
            if not sup.active or finding.check not in sup.codes:
                continue
            if sup.kind == "metadata":
                hit = sup.resource == finding.resource
            else:
                hit = sup.line == finding.line or sup.line == resource_lines.get(finding.resource)
            if hit:
                finding.suppressed = True
                finding.suppression_reason = sup.reason
                sup.matched.add(finding.check)
                break

"""Fix one file: apply its findings' fixes to its text, verify, and say what was and was not done.

The fixes of a file are applied one after another, each to the text the previous one left (so two
fixes in one mapping both land). The result is then verified by lakelint itself: the file must parse,
every fixed finding must be gone and no finding may appear that was not there before. When the whole
set does not verify, the fixes are tried one at a time and only those that verify are kept; a fix that
is dropped keeps its finding, with the reason ("the fixed file gives a new finding: LL119 ...").
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from lakelint.fixes import edit
from lakelint.fixes.locate import NotFixable


@dataclass
class FileFix:
    shown: str
    original: str
    fixed: str
    applied: list = field(default_factory=list)  # findings whose fix was applied
    skipped: list = field(default_factory=list)  # (finding, reason)

    fixed_findings: int = 0  # findings the applied fixes repair (several may share one fix)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.original.splitlines(keepends=True),
                                            self.fixed.splitlines(keepends=True),
                                            fromfile=f"a/{self.shown}", tofile=f"b/{self.shown}"))


def identity(finding) -> tuple:
    """What makes a finding the same finding after a fix moved lines around: what baselines and SARIF
    fingerprints match on (reporters/identity.py, runs/baseline.py), so never its line. The check, the
    resource, the property the check named (a check that named none: its message without digits), the
    branch and the verdict. The message's wording is not part of it where a property is named: a
    finding another fix rewords (LL103's "no lifecycle rule" once a rule that only aborts uploads is
    there) is the same finding, not a new one."""
    about = finding.fingerprint_key or re.sub(r"\s+", " ", re.sub(r"[0-9]+", "", finding.message or "")).strip()
    return (finding.check, finding.resource, about, finding.condition, finding.verdict)


def wanted(findings, unsafe: bool) -> list:
    """The findings whose fix ``--fix`` applies: applicable, and safe unless unsafe fixes are allowed.
    One finding per fix: several findings may share one (four Block Public Access keys, one mapping)."""
    chosen, seen = [], set()
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.applicable or finding.suppressed or (fix.safety != "safe" and not unsafe):
            continue
        key = fix.key
        if key in seen:
            continue
        seen.add(key)
        chosen.append(finding)
    return chosen


def apply_fix(text: str, fix) -> str:
    for intent in fix.intents:
        text = edit.apply(text, fix.resource, intent)
    return text


def fix_file(shown: str, text: str, findings, lint, unsafe: bool = False) -> FileFix:
    """``lint(text)`` lints a version of the file: a list of findings, or raises ``NotFixable`` (the
    text does not parse)."""
    result = FileFix(shown, text, text)
    before = Counter(identity(f) for f in findings)
    attempt, applied = text, []
    for finding in wanted(findings, unsafe):
        try:
            attempt = apply_fix(attempt, finding.fix)
            applied.append(finding)
        except NotFixable as exc:
            result.skipped.append((finding, exc.reason))
    fixed = sum((_shared(f, findings) for f in applied), Counter())
    problem = _verify(attempt, fixed, before, lint) if applied else None
    if problem is None:
        result.fixed, result.applied, result.fixed_findings = attempt, applied, sum(fixed.values())
        return result
    current, kept = text, Counter()
    for finding in applied:  # one at a time: keep what verifies
        try:
            trial = apply_fix(current, finding.fix)
        except NotFixable as exc:
            result.skipped.append((finding, exc.reason))
            continue
        reason = _verify(trial, kept + _shared(finding, findings), before, lint)
        if reason is None:
            current = trial
            kept += _shared(finding, findings)
            result.applied.append(finding)
        else:
            result.skipped.append((finding, reason))
    result.fixed, result.fixed_findings = current, sum(kept.values())
    return result


def _shared(finding, findings) -> Counter:
    """The identities of every finding the same fix repairs (counted: two findings may share one)."""
    key = finding.fix.key
    return Counter(identity(f) for f in findings if f.fix is not None and f.fix.key == key)


def _verify(text: str, fixed: Counter, before: Counter, lint) -> str | None:
    """None when ``text`` is a good fix: every finding in ``fixed`` gone and no other one new (counted,
    so one of two alike findings fixed is seen); otherwise why it is not."""
    try:
        after = lint(text)
    except NotFixable as exc:
        return f"the fixed file would not parse ({exc.reason})"
    remaining = Counter(identity(f) for f in after)
    allowed = before - fixed
    still = sorted(i for i in fixed if remaining[i] > allowed[i])
    if still:
        return f"the fix does not make the finding go away ({still[0][0]} on {still[0][1]} remains)"
    new = [f for f in after if remaining[identity(f)] > allowed[identity(f)]]
    if new:
        first = min(new, key=lambda f: (f.check, f.resource or "", f.message))
        return f"the fixed file gives a new finding: {first.check} on {first.resource}: {first.message}"
    return None


@dataclass(frozen=True, slots=True)
class Replacement:
    """One text edit, in SARIF's terms: the region it deletes (1-based, end exclusive) and what it puts
    there. Slotted, and its text interned: a SARIF run of 10,000 templates holds some 150,000 edits, most
    of them inserting one of a few hundred texts."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    inserted: str


def replacement(original: str, fixed: str) -> Replacement:
    """The one region where ``fixed`` differs from ``original`` (a fix is one contiguous edit per intent;
    for several, the smallest region holding them all)."""
    start = _common_prefix(original, fixed)
    suffix = _common_suffix(original[start:], fixed[start:])
    end_original, end_fixed = len(original) - suffix, len(fixed) - suffix
    line, column = _position(original, start)
    end_line, end_column = _position(original, end_original)
    return Replacement(line, column, end_line, end_column, sys.intern(fixed[start:end_fixed]))


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b``, by halving: each step compares two
    slices in C, where a loop over characters took a third of a SARIF run's time (issue 18)."""
    low, high = 0, min(len(a), len(b))  # a[:low] == b[:low]; the prefix is no longer than high
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    """The length of the longest common suffix of ``a`` and ``b``: their reversals' common prefix."""
    return _common_prefix(a[::-1], b[::-1])


def _position(text: str, offset: int) -> tuple:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column

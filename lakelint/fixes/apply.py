"""Fix one file: apply its findings' fixes to its text, verify, and say what was and was not done.

The fixes of a file are applied one after another, each to the text the previous one left (so two
fixes in one mapping both land). The result is then verified by lakelint itself: the file must parse,
every fixed finding must be gone and no finding may appear that was not there before. When the whole
set does not verify, the fixes are tried one at a time and only those that verify are kept; a fix that
is dropped keeps its finding, with the reason ("the fixed file gives a new finding: LL119 ...").
"""

from __future__ import annotations

import difflib
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
    """What makes a finding the same finding after a fix moved lines around."""
    return (finding.check, finding.resource, finding.fingerprint_key, finding.message)


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
    before = {identity(f) for f in findings}
    attempt, applied = text, []
    for finding in wanted(findings, unsafe):
        try:
            attempt = apply_fix(attempt, finding.fix)
            applied.append(finding)
        except NotFixable as exc:
            result.skipped.append((finding, exc.reason))
    fixed = set().union(*(_shared(f, findings) for f in applied)) if applied else set()
    problem = _verify(attempt, applied, fixed, before, lint) if applied else None
    if problem is None:
        result.fixed, result.applied, result.fixed_findings = attempt, applied, len(fixed)
        return result
    current = text
    for finding in applied:  # one at a time: keep what verifies
        try:
            trial = apply_fix(current, finding.fix)
        except NotFixable as exc:
            result.skipped.append((finding, exc.reason))
            continue
        reason = _verify(trial, [finding], _shared(finding, findings), before, lint)
        if reason is None:
            current = trial
            result.applied.append(finding)
            result.fixed_findings += len(_shared(finding, findings))
        else:
            result.skipped.append((finding, reason))
    result.fixed = current
    return result


def _shared(finding, findings) -> set:
    """The identities of every finding the same fix repairs."""
    key = finding.fix.key
    return {identity(f) for f in findings if f.fix is not None and f.fix.key == key}


def _verify(text: str, applied, fixed: set, before: set, lint) -> str | None:
    """None when ``text`` is a good fix; otherwise why it is not. A finding the fixes did not set out to
    repair that is only said in other words (same check, resource and property: LL124's "no
    bucket policy denies ..." becomes "bucket policy RawTlsOnlyPolicy has no statement that denies ..."
    once LL105's fix adds the policy)."""
    try:
        after = lint(text)
    except NotFixable as exc:
        return f"the fixed file would not parse ({exc.reason})"
    remaining = {identity(f) for f in after}
    still = sorted(i for i in fixed if i in remaining)
    if still:
        return f"the fix does not make the finding go away ({still[0][0]} on {still[0][1]} remains)"
    reworded = {i[:3] for i in before - fixed}
    new = sorted(i for i in remaining - before if i[:3] not in reworded)
    if new:
        check, resource, _, message = new[0]
        return f"the fixed file gives a new finding: {check} on {resource}: {message}"
    return None


@dataclass(frozen=True)
class Replacement:
    """One text edit, in SARIF's terms: the region it deletes (1-based, end exclusive) and what it puts
    there."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    inserted: str


def replacement(original: str, fixed: str) -> Replacement:
    """The one region where ``fixed`` differs from ``original`` (a fix is one contiguous edit per intent;
    for several, the smallest region holding them all)."""
    start = 0
    limit = min(len(original), len(fixed))
    while start < limit and original[start] == fixed[start]:
        start += 1
    end_original, end_fixed = len(original), len(fixed)
    while end_original > start and end_fixed > start and original[end_original - 1] == fixed[end_fixed - 1]:
        end_original -= 1
        end_fixed -= 1
    line, column = _position(original, start)
    end_line, end_column = _position(original, end_original)
    return Replacement(line, column, end_line, end_column, fixed[start:end_fixed])


def _position(text: str, offset: int) -> tuple:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column

"""Baselines: adopt lakelint on a repository with known problems and fail only on new ones.

``--write-baseline FILE`` records the findings of today's run; ``--baseline FILE`` then reports only
the findings that are not in it. A baseline entry identifies a finding by what it is about, never by
where it sits: the file (relative to the baseline file, so the run may start in any folder), the
resource, the check and the property the check named (``fingerprint_key``; a check that named none
falls back to its message with the digits taken out). Lines moving, reformatting and reordering keep
a finding matched. Identical fingerprints (the same property failing under two ``Fn::If`` branches)
are counted, so a third occurrence is new.

A baseline entry that no longer matches anything is a fixed problem. It is reported as LL001
(``unused-suppression``), like a suppression that suppresses nothing, so the entry is removed and the
problem, if it comes back, is new again. ``--baseline F --write-baseline F`` does that removal: it
keeps only the entries that still match, and never adds the new findings.

Composition: inline suppressions apply first (a suppressed finding is not baselined and stays in
JSON and SARIF marked suppressed); the baseline then hides the remaining recorded findings; LL001
reports unused suppressions and fixed baseline entries alike, and can itself be ignored.

The file is JSON with a version key, one entry per line, sorted, so a review diff shows exactly the
findings added or fixed.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1
FIELDS = ("file", "resource", "check", "key", "account", "region")


class BaselineError(Exception):
    """The baseline file cannot be read or is not a lakelint baseline."""


@dataclass(frozen=True, order=True)
class Fingerprint:
    file: str
    resource: str
    check: str
    key: str
    account: str = ""
    region: str = ""

    def to_dict(self, count: int) -> dict:
        """The entry as written: the four identifying fields always, account and region when live."""
        data = {"file": self.file, "resource": self.resource, "check": self.check, "key": self.key}
        data.update({name: getattr(self, name) for name in ("account", "region") if getattr(self, name)})
        data["count"] = count
        return data


def _entry_lines(text: str) -> dict:
    """Where each entry sits, for a file written one entry per line (as lakelint writes it), so a
    fixed entry can be reported at its line."""
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().rstrip(",")
        if not stripped.startswith("{") or '"check"' not in stripped:
            continue
        try:
            entry = json.loads(stripped)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            lines.setdefault(Fingerprint(**{name: str(entry.get(name) or "") for name in FIELDS}), number)
    return lines


def _relative(file: str | None, base_dir: Path) -> str:
    """The finding's file as seen from the baseline's folder, in POSIX form."""
    if not file:
        return ""
    absolute = os.path.abspath(file)
    try:
        return Path(os.path.relpath(absolute, base_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()


def property_key(finding) -> str:
    """What in the resource the finding is about: the check's property path, or its message with
    the digits dropped (line numbers and counts in a message must not break the match)."""
    if finding.fingerprint_key:
        return str(finding.fingerprint_key)
    return re.sub(r"\s+", " ", re.sub(r"[0-9]+", "", finding.message or "")).strip()


def fingerprint(finding, base_dir: Path) -> Fingerprint:
    return Fingerprint(file=_relative(finding.file, base_dir), resource=finding.resource or "",
                       check=finding.check, key=property_key(finding), account=finding.account or "",
                       region=finding.region or "")


@dataclass
class Baseline:
    counts: Counter  # Fingerprint -> how many findings it stands for
    base_dir: Path
    lines: dict = field(default_factory=dict)  # Fingerprint -> its line in the file, when read

    @classmethod
    def empty(cls, path: str) -> "Baseline":
        return cls(Counter(), Path(os.path.abspath(path)).parent)

    @classmethod
    def read(cls, path: str) -> "Baseline":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: baseline is not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: not a lakelint baseline (version {VERSION} with a findings list)")
        baseline = cls.empty(path)
        for index, entry in enumerate(data["findings"]):
            if not isinstance(entry, dict) or not isinstance(entry.get("check"), str):
                raise BaselineError(f"{path}: entry {index + 1} is not a finding record")
            count = entry.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise BaselineError(f"{path}: entry {index + 1} has a count that is not a positive number")
            fp = Fingerprint(**{name: str(entry.get(name) or "") for name in FIELDS})
            baseline.counts[fp] += count
        baseline.lines = _entry_lines(text)
        return baseline

    @classmethod
    def from_findings(cls, findings, path: str) -> "Baseline":
        baseline = cls.empty(path)
        for finding in findings:
            if not finding.suppressed:
                baseline.counts[fingerprint(finding, baseline.base_dir)] += 1
        return baseline

    def render(self) -> str:
        lines = [json.dumps(fp.to_dict(count), ensure_ascii=False, sort_keys=False)
                 for fp, count in sorted(self.counts.items())]
        body = ",\n    ".join(lines)
        findings = f"[\n    {body}\n  ]" if lines else "[]"
        return f'{{\n  "version": {VERSION},\n  "tool": "lakelint",\n  "findings": {findings}\n}}\n'

    def write(self, path: str) -> None:
        try:
            Path(path).write_text(self.render(), encoding="utf-8")
        except OSError as exc:
            raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None

    def __len__(self) -> int:
        return sum(self.counts.values())


@dataclass
class Outcome:
    """What applying a baseline to a run's findings gave."""

    new: list  # findings to report: not in the baseline (and every suppressed finding, as before)
    known: list  # unsuppressed findings the baseline accounts for
    fixed: list  # (Fingerprint, count) entries that matched nothing this run
    matched: Counter  # Fingerprint -> how many findings it accounted for


def apply(baseline: Baseline, findings, covered=lambda fp: True) -> Outcome:
    """Split ``findings`` into new and known. ``covered(fp)`` says whether this run looked at what an
    entry is about (its file was linted and its check ran): only then can an unmatched entry be
    called fixed, so a run over a few files or a few checks does not call the rest fixed."""
    left = Counter(baseline.counts)
    matched = Counter()
    new, known = [], []
    for finding in findings:
        if finding.suppressed:
            new.append(finding)
            continue
        fp = fingerprint(finding, baseline.base_dir)
        if left[fp] > 0:
            left[fp] -= 1
            matched[fp] += 1
            known.append(finding)
        else:
            new.append(finding)
    fixed = sorted((fp, count) for fp, count in left.items() if count > 0 and covered(fp))
    return Outcome(new=new, known=known, fixed=fixed, matched=matched)


def pruned(baseline: Baseline, outcome: Outcome) -> Baseline:
    """The baseline without its fixed entries: what ``--baseline F --write-baseline F`` writes."""
    fixed = dict(outcome.fixed)
    counts = Counter()
    for fp, count in baseline.counts.items():
        keep = count - fixed.get(fp, 0)
        if keep > 0:
            counts[fp] = keep
    return Baseline(counts, baseline.base_dir)


def shown_path(fp: Fingerprint, base_dir: Path) -> str | None:
    """An entry's file as the user would type it from the working directory."""
    if not fp.file:
        return None
    absolute = os.path.normpath(os.path.join(base_dir, fp.file))
    try:
        return Path(absolute).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def _fixed_entry_finding(fp: Fingerprint, count: int, baseline_path: str, line, severity: str):
    from lakelint.core.model import Finding

    what = fp.check + (f" on {fp.resource}" if fp.resource else "") + (f" in {fp.file}" if fp.file else "")
    times = f" ({count} findings)" if count > 1 else ""
    message = (f"baseline entry for {what}{times} matched no finding: the problem is fixed, so drop the "
               f"entry (--baseline FILE --write-baseline FILE) and a return of it counts as new")
    return Finding(check="LL001", name="unused-suppression", severity=severity, message=message,
                   source="template", resource=fp.resource or None, resource_type=None,
                   file=baseline_path, line=line, column=1 if line else None,
                   fingerprint_key=f"baseline:{fp.check}:{fp.file}:{fp.resource}:{fp.key}")


def use_baselines(report, config, specs, read_path: str | None, write_path: str | None,
                  cfn_lint_ran: bool = False) -> list:
    """Apply ``--baseline`` and ``--write-baseline`` to a finished report, in place. Returns the notes
    for stderr. Raises ``BaselineError`` when a baseline cannot be read or written."""
    from lakelint.core.engine import Engine

    notes = []
    engine = Engine(specs, config, source="template")
    errored = {e.file for e in report.errors if e.file}
    linted = {p for p in report.paths if p not in errored}
    ran_codes = {s.code for s in report.checks if s.origin != "cfn-lint"}  # lakelint checks of this run

    def covered(fp: Fingerprint, base_dir: Path) -> bool:
        shown = shown_path(fp, base_dir)
        if shown is None or shown not in linted:
            return False
        if fp.check in ran_codes:
            return fp.check in engine.codes_for(shown)
        return cfn_lint_ran and fp.check not in engine.by_code

    if read_path:
        baseline = Baseline.read(read_path)
        outcome = apply(baseline, report.findings, lambda fp: covered(fp, baseline.base_dir))
        report.findings = outcome.new
        if outcome.known:
            notes.append(f"{len(outcome.known)} finding{'s' if len(outcome.known) != 1 else ''} "
                         f"recorded in the baseline {read_path} not reported")
        if write_path:
            kept = pruned(baseline, outcome)
            _write_as(kept, write_path, baseline.base_dir)
            dropped = len(baseline) - len(kept)
            notes.append(f"wrote {len(kept)} baseline entr{'ies' if len(kept) != 1 else 'y'} to {write_path}"
                         + (f" ({dropped} fixed, dropped)" if dropped else ""))
        elif outcome.fixed and "LL001" in ran_codes:
            spec = engine.by_code["LL001"]
            severity = config.severity.get("LL001") or config.severity.get(spec.name) or spec.severity
            report.findings += [_fixed_entry_finding(fp, count, read_path, baseline.lines.get(fp), severity)
                                for fp, count in outcome.fixed]
        report.findings.sort(key=lambda f: f.sort_key())
        return notes
    if write_path:
        baseline = Baseline.from_findings(report.findings, write_path)
        baseline.write(write_path)
        notes.append(f"wrote {len(baseline)} finding{'s' if len(baseline) != 1 else ''} to the baseline {write_path}")
        if report.errors:
            notes.append("the run was incomplete (see its errors): what it could not check is not recorded")
        report.findings = [f for f in report.findings if f.suppressed]
    return notes


def _write_as(baseline: Baseline, path: str, base_dir: Path) -> None:
    """Write ``baseline`` to ``path``, re-basing its file paths when ``path`` is in another folder."""
    target_dir = Path(os.path.abspath(path)).parent
    if target_dir != base_dir:
        counts = Counter()
        for fp, count in baseline.counts.items():
            moved = fp
            if fp.file:
                absolute = os.path.normpath(os.path.join(base_dir, fp.file))
                moved = Fingerprint(_relative(absolute, target_dir), fp.resource, fp.check, fp.key,
                                    fp.account, fp.region)
            counts[moved] += count
        baseline = Baseline(counts, target_dir)
    baseline.write(path)

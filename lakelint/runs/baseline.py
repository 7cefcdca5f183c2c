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
problem, if it comes back, is new again. The LL001 check itself judges those entries (they reach it
as ``StaleEntry`` records beside the suppressions), so LL001 has one producer. ``--baseline F --write-baseline F`` does that removal: it
keeps only the entries that still match, and never adds the new findings.

Composition: inline suppressions apply first (a suppressed finding is not baselined and stays in
JSON and SARIF marked suppressed); the baseline then hides the remaining recorded findings; LL001
reports unused suppressions and fixed baseline entries alike, and can itself be ignored.

The file is JSON with a version key, one entry per line, sorted, so a review diff shows exactly the
findings added or fixed. It is read only if it is a regular file (a named pipe would block the run)
holding UTF-8 text; anything else is an error naming the file, before any linting.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _read_text(path: str) -> str:
    """The baseline file's text: a regular file (checked before opening, since opening a named pipe
    waits for a writer), in UTF-8 (a byte order mark is allowed)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise BaselineError(f"{path}: cannot read baseline: not a regular file (a baseline is the JSON "
                                f"file --write-baseline writes)")
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BaselineError(f"{path}:{line}: baseline is not UTF-8 text (byte 0x{raw[exc.start]:02X}): "
                            f"lakelint writes baselines in UTF-8; save it as UTF-8 or write it again "
                            f"with --write-baseline") from None


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
        text = _read_text(path)
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


@dataclass(frozen=True)
class StaleEntry:
    """A baseline entry that matched no finding, as the record LL001 judges (beside suppressions)."""

    check: str  # the check the entry is about
    resource: str
    file: str  # the template the entry is about, relative to the baseline's folder
    key: str
    count: int  # how many findings the entry stood for
    line: int | None  # where the entry sits in the baseline file
    subject: Any = None  # the resource the finding is reported on (None: none named)
    kind: str = "baseline"


def _stale_entry_findings(engine, fixed, baseline_path: str, lines: dict):
    """LL001's findings on the fixed entries, from the LL001 check itself. Returns (findings, errors)."""
    from lakelint.core.engine import StackResult, _RunStack
    from lakelint.core.model import ResourceStub

    spec = engine.by_code["LL001"]
    records = []
    for fp, count in fixed:
        subject = None
        if fp.resource:
            subject = ResourceStub(None, fp.resource, None, "template", baseline_path, None, None, None, None, None)
        records.append(StaleEntry(fp.check, fp.resource, fp.file, fp.key, count, lines.get(fp), subject))
    result = StackResult()
    # the engine's own runner, so a failing check costs only its results, as for every other check
    engine._run(spec, spec.func, (records, engine.contexts.get(spec.code)), None,
                _RunStack("template", baseline_path), result)
    return result.findings, result.errors


def use_baselines(report, config, specs, read_path: str | None, write_path: str | None,
                  cfn_lint_ran: bool = False, baseline: Baseline | None = None) -> list:
    """Apply ``--baseline`` and ``--write-baseline`` to a finished report, in place. Returns the notes
    for stderr. Raises ``BaselineError`` when a baseline cannot be read or written. ``baseline`` is the
    file at ``read_path`` when the caller read it already (before linting, to fail early)."""
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
        baseline = baseline if baseline is not None else Baseline.read(read_path)
        outcome = apply(baseline, report.findings, lambda fp: covered(fp, baseline.base_dir))
        report.findings = outcome.new
        report.baseline_path = read_path
        report.baseline_known = len(outcome.known)
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
            findings, errors = _stale_entry_findings(engine, outcome.fixed, read_path, baseline.lines)
            report.findings += findings
            report.errors = sorted(report.errors + errors, key=lambda e: e.sort_key())
        report.findings.sort(key=lambda f: f.sort_key())
        return notes
    if write_path:
        baseline = Baseline.from_findings(report.findings, write_path)
        baseline.write(write_path)
        notes.append(f"wrote {len(baseline)} finding{'s' if len(baseline) != 1 else ''} to the baseline {write_path}")
        if report.errors:
            notes.append("the run was incomplete (see its errors): what it could not check is not recorded")
        report.findings = [f for f in report.findings if f.suppressed]
        report.baseline_path = write_path
        report.baseline_recorded = len(baseline)
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

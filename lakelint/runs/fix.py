"""``lakelint --fix`` and ``--diff``: lint, fix each file that has fixable findings, verify, write or show.

The run lints as usual; each file with fixes is then fixed on its own (lakelint/fixes/apply.py), each
version of it linted again by the same engine and configuration to verify the fix. With ``--fix`` the
fixed files are written (in their own encoding, byte-order mark and line endings) and the report is the
files' lint *after* fixing, so what remains is what it shows, with the count of what was fixed. With
``--diff`` nothing is written: the unified diff of every fix is printed, with the reason for every
fixable finding that was not fixed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lakelint.core.config import Config
from lakelint.core.engine import Engine
from lakelint.fixes.apply import apply_fix, fix_file, replacement
from lakelint.fixes.intents import FixSummary
from lakelint.fixes.locate import NotFixable

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass
class FixRun:
    report: object  # the Report to print: after fixing (--fix), or as linted (--diff)
    files: list = field(default_factory=list)  # FileFix of every file that had something to fix
    errors: list = field(default_factory=list)  # (file, message): a file that could not be written
    notes: list = field(default_factory=list)  # things to say that are not errors (a file named twice)

    @property
    def fixed(self) -> int:
        return sum(f.fixed_findings for f in self.files)

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)


def encoding_of(raw: bytes) -> str:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    return "utf-8"


def fix_templates(paths, config: Config, specs, *, write: bool, unsafe: bool, jobs=None, lint=None) -> FixRun:
    """Fix the templates under ``paths``. ``lint`` is the template run (lint_templates), passed in so a
    caller may lint stdin or a set of files its own way."""
    from lakelint.runs.templates import lint_templates

    lint = lint or (lambda: lint_templates(paths, config, specs, jobs=jobs))
    report = lint()
    engine = Engine(specs, config, source="template")
    by_file = {}
    for finding in report.findings:
        if finding.fix is not None and finding.file:
            by_file.setdefault(finding.file, []).append(finding)
    run = FixRun(report)
    fixed_as = {}  # real path -> the name it was fixed under
    for shown in sorted(by_file):
        findings = [f for f in report.findings if f.file == shown]
        path = Path(shown)
        real = os.path.realpath(shown)
        if real in fixed_as:  # a link to a file already fixed: its findings' positions are the old text's
            run.notes.append(f"{shown}: the same file as {fixed_as[real]}, fixed once under that name")
            continue
        fixed_as[real] = shown
        try:
            raw = path.read_bytes()
        except OSError as exc:
            run.errors.append((shown, f"cannot read it to fix it: {exc.strerror or exc}"))
            continue
        encoding = encoding_of(raw)
        text = raw.decode(encoding)
        result = fix_file(shown, text, findings, _linter(engine, shown, encoding), unsafe=unsafe)
        run.files.append(result)
        if write and result.changed:
            try:
                path.write_bytes(result.fixed.encode(encoding))
            except OSError as exc:
                run.errors.append((shown, f"cannot write the fixed file: {exc.strerror or exc}"))
    if write and run.changed:
        fixed = run.fixed
        run.report = lint()  # what remains, as the fixed files now say
        run.report.fixed = fixed
    return run


def _linter(engine: Engine, shown: str, encoding: str):
    """A function linting one version of the file ``shown``, as the run would."""
    from lakelint.sources.cloudformation.source import load_text

    def lint(text: str) -> list:
        stack, errors = load_text(shown, text.encode(encoding))
        if errors or stack is None:
            raise NotFixable(errors[0].message if errors else "it is no longer a CloudFormation template")
        return engine.run_stack(stack).findings

    return lint


def attach_replacements(report) -> None:
    """For SARIF's ``fixes``: each fixable finding's edit, as the region it replaces, computed on the
    file as it is now (the fix alone, not verified with the others). Fixes whose edits the lint worked
    out already (``summarise_with_edits``) are left as they are."""
    by_file = {}
    for finding in report.findings:
        if finding.fix is not None and finding.file:
            by_file.setdefault(finding.file, []).append(finding)
    for file, findings in by_file.items():
        summarise_with_edits(findings, file)


def summarise_with_edits(findings, path) -> None:
    """SARIF's ``fixes`` for the findings of one file: each whole fix becomes its summary holding the one
    text edit it makes on the file as it is now. A lint that writes SARIF calls this as soon as a file
    is linted (in the worker, on large runs) while the file is at hand, so the run keeps edits instead of
    every fix's intents and values until the report: a SARIF run of 10,000 templates kept 150,000 whole
    fixes (384 MB) and worked their edits out one after another in one process (issue 18)."""
    whole = [f for f in findings if f.fix is not None and not isinstance(f.fix, FixSummary)]
    if not whole:
        return
    text = _current_text(path)
    for finding in whole:
        finding.fix = _summary_with_edit(finding.fix, text)


def _current_text(path) -> str | None:
    """The file's text, or None when it can no longer be read (its fixes then carry no edit)."""
    try:
        raw = Path(path).read_bytes()
        return raw.decode(encoding_of(raw))
    except (OSError, UnicodeDecodeError):
        return None


def _summary_with_edit(fix, text) -> FixSummary:
    if not fix.applicable or text is None:
        return FixSummary(fix)
    try:
        return FixSummary(fix, (replacement(text, apply_fix(text, fix)),))
    except NotFixable as exc:
        return FixSummary(fix.replace(blocked=exc.reason))

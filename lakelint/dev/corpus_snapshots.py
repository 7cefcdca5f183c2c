"""tests/corpus/snapshots/: lakelint's full JSON report on each real template, committed.

Like cfn-lint's ``test/fixtures/results/public/``: every template of tests/corpus/real (public templates
nobody here wrote) has a snapshot of everything a user would see from ``lakelint FILE --format json``,
so any change of a finding, a message, a line or a branch label on real input is a diff in review, and a
refactor that should change nothing can show that it did not.

How a snapshot is made, and why:

- each template is linted on its own (run-wide checks such as LL301 count one file), through the
  library function the CLI calls (``lint_templates``), in this process: no subprocess per file;
- from inside tests/corpus/real, so files are named relative to it and the snapshot does not depend
  on where the checkout lives or which folder the command ran from;
- with the defaults and no configuration file (a developer's ``.lakelint.yaml`` must not leak in),
  and with every check, preview checks included, so a new check's findings on real templates show up
  in the review that adds it;
- findings and errors sorted (by file, line, column, check, resource, message, then every other key),
  indented one key per line so a diff points at the key that changed, and the tool version replaced by
  a placeholder so a release does not rewrite every file.
"""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from lakelint.dev.errors import GenerateError

NAME = "corpus-snapshots"
CORPUS = "tests/corpus/real"
SNAPSHOTS = "tests/corpus/snapshots"
VERSION_PLACEHOLDER = "(normalised)"
COMMAND = f"python -m lakelint.dev generate {NAME}"
MAX_DIFF_LINES = 150  # a whole-corpus change is read in git; the test shows enough to see what moved


def templates(root: Path) -> list:
    """The corpus's templates, relative to it, as a directory walk of ``lakelint`` picks them."""
    from lakelint.sources.cloudformation.source import find_files

    with _working_folder(root / CORPUS):
        files, _ = find_files(["."])
    return [shown for shown, _ in files]


def snapshot_path(template: str) -> str:
    """Where a template's snapshot goes: its file name plus ``.json`` (a sub-folder becomes ``__``)."""
    return f"{SNAPSHOTS}/{template.replace('/', '__')}.json"


def snapshot(root: Path, template: str, specs=None) -> str:
    """The snapshot text of one template (``template`` relative to the corpus folder)."""
    from lakelint.core.registry import load_checks
    from lakelint.reporters.json_report import as_dict
    from lakelint.runs.templates import lint_templates

    specs = load_checks(plugins=False) if specs is None else specs
    with _working_folder(root / CORPUS):
        report = lint_templates([template], _config(), specs, jobs=1)
    return render(as_dict(report))


def render(document: dict) -> str:
    """A JSON report (``json_report.as_dict``) as snapshot text: sorted, normalised, indented."""
    document = dict(document)
    document["tool"] = {**document["tool"], "version": VERSION_PLACEHOLDER}
    document["findings"] = sorted(document["findings"], key=_finding_order)
    document["errors"] = sorted(document["errors"], key=_error_order)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def difference(template: str, committed: str, current: str) -> str:
    """Why a snapshot no longer matches, for a person: the findings that went and came (one line each,
    as the text report would show them), then the JSON diff, then the command that accepts the change."""
    lines = [f"lakelint's output on {CORPUS}/{template} differs from {snapshot_path(template)}."]
    gone, came = _changed_findings(committed, current)
    if gone or came:
        lines += ["", f"findings gone ({len(gone)}) and new ({len(came)}):"]
        lines += [f"  - {line}" for line in gone] + [f"  + {line}" for line in came]
    diff = list(difflib.unified_diff(committed.splitlines(), current.splitlines(), "snapshot", "now",
                                     n=5, lineterm=""))
    lines += ["", "JSON diff (- snapshot, + now):"] + diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        lines.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines: regenerate and read `git diff`")
    lines += ["", f"If the change is intended, run {COMMAND} and commit the snapshot with it."]
    return "\n".join(lines)


def _changed_findings(committed: str, current: str) -> tuple:
    try:
        before = Counter(map(_one_line, json.loads(committed).get("findings", [])))
    except (ValueError, AttributeError):  # a snapshot edited by hand into invalid JSON: the diff shows it
        before = Counter()
    after = Counter(map(_one_line, json.loads(current)["findings"]))
    return ([text for _, text in sorted((before - after).elements())],
            [text for _, text in sorted((after - before).elements())])


def _one_line(finding: dict) -> tuple:
    """(position, the finding as the text report prints it); its message already carries the branch label."""
    line, column = finding.get("line") or 0, finding.get("column") or 0
    text = (f"{line}:{column}: {finding.get('check')} [{finding.get('severity')}] {finding.get('message')} "
            f"({finding.get('resource')})")
    return (line, column), text


def expected(root: Path) -> dict:
    from lakelint.core.registry import load_checks

    specs = load_checks(plugins=False)
    return {snapshot_path(t): snapshot(root, t, specs) for t in templates(root)}


def owned(root: Path) -> set:
    folder = root / SNAPSHOTS
    return {f"{SNAPSHOTS}/{p.name}" for p in folder.glob("*.json")} if folder.is_dir() else set()


def _config():
    """The configuration ``lakelint FILE`` has with no config file, plus preview checks."""
    from lakelint.core.config import build_config

    config = build_config({}, None)
    config.preview = True
    return config


def _finding_order(finding: dict) -> tuple:
    return (finding.get("file") or "", finding.get("line") or 0, finding.get("column") or 0,
            finding.get("check") or "", finding.get("resource") or "", finding.get("message") or "",
            json.dumps(finding, sort_keys=True))


def _error_order(error: dict) -> tuple:
    return (error.get("file") or "", error.get("line") or 0, error.get("column") or 0,
            error.get("message") or "", json.dumps(error, sort_keys=True))


@contextmanager
def _working_folder(path: Path):
    """Run the block from ``path`` (``contextlib.chdir`` arrived in Python 3.11; we support 3.10)."""
    if not path.is_dir():
        raise GenerateError(f"{path}: no such folder: the corpus snapshots are made from its templates")
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)

"""Every built-in check's fix, byte for byte, through the CLI: fixtures/LLxxx/fix/.

Fixture format (also in docs/contributing.md and fixtures/README.md)::

    fixtures/LLxxx/fix/<case>.before.<ext>   a template (ext: yaml or json)
    fixtures/LLxxx/fix/<case>.after.<ext>    the WHOLE file after
                                             ``lakelint FILE --fix --unsafe-fixes --select LLxxx``
    fixtures/LLxxx/fix/<case>.nofix.<ext>    a template whose LLxxx findings must stay unfixed

Each ``.nofix`` file has an entry under ``fix:`` in fixtures/LLxxx/expected.yaml listing every LLxxx
finding in it with a part of the reason ``--diff`` gives (order does not matter)::

    fix:
      intrinsics.nofix.yaml:
        - {resource: BranchFs, reason: chosen by Fn::If}

For each before/after pair, the before file is copied to a temporary folder and fixed with the CLI
(``lakelint.cli.main``, as the installed ``lakelint`` runs it); then:

- the result equals the after file byte for byte (comments, quoting, flow style, JSON indentation and
  CRLF line endings are the author's);
- a second ``--fix`` changes nothing (idempotent);
- linted with every check (preview ones included, not only LLxxx), the fixed file has no LLxxx finding
  left and no finding the before file did not have;
- cfn-lint (installed, pinned) reports nothing on the fixed file that it did not report on the before
  file.

For each nofix file, ``--diff --unsafe-fixes`` prints no diff, says "not fixable" (or "not fixed")
with the expected reason for every LLxxx finding, and ``--fix --unsafe-fixes`` leaves the bytes as
they were.

Every check that declares ``fix=`` must have fixtures covering YAML block style with comments, YAML
flow style, CRLF line endings, JSON, and at least one nofix case; a fix folder of a check without a
fix fails.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode

from lakelint.cli.main import main
from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.fixes.apply import identity
from lakelint.runs.templates import lint_templates

from cfnlint_once import cfn_lint_matches

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SPECS = load_checks(plugins=False)
FIXED = {s.code: s for s in SPECS if s.fix}
KINDS = ("before", "after", "nofix")
EXTENSIONS = ("yaml", "json")


def _parts(path: Path):
    """(case, kind, ext) of a fix fixture's name, or None when it is not one."""
    pieces = path.name.split(".")
    if len(pieces) != 3 or pieces[1] not in KINDS or pieces[2] not in EXTENSIONS:
        return None
    return tuple(pieces)


def _folders():
    return sorted(p for p in FIXTURES.glob("LL*/fix") if p.is_dir())


def _pairs():
    cases = []
    for folder in _folders():
        code = folder.parent.name
        for before in sorted(folder.glob("*.before.*")):
            case, _, ext = _parts(before) or (None, None, None)
            if case:
                cases.append(pytest.param(code, before, folder / f"{case}.after.{ext}", id=f"{code}/{case}.{ext}"))
    return cases


def _nofix_cases():
    return [pytest.param(folder.parent.name, path, id=f"{folder.parent.name}/{path.name}")
            for folder in _folders() for path in sorted(folder.glob("*.nofix.*")) if _parts(path)]


def _run(cwd: Path, capsys, monkeypatch, *args) -> tuple:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("NO_COLOR", "1")
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _findings(path: Path) -> list:
    report = lint_templates([str(path)], Config(preview=True), SPECS, jobs=1)
    assert report.errors == [], f"{path.name} does not lint cleanly: {[e.message for e in report.errors]}"
    return report.findings


def _cfn_lint(text: str) -> Counter:
    return Counter((m.rule.id, m.message) for m in cfn_lint_matches(text))


@pytest.mark.parametrize("code, before, after", _pairs())
def test_fix_gives_the_after_file_byte_for_byte(code, before, after, tmp_path, capsys, monkeypatch):
    assert after.is_file(), f"{before.name} has no {after.name}"
    target = tmp_path / f"template.{before.suffix.lstrip('.')}"
    shutil.copyfile(before, target)
    status, out, err = _run(tmp_path, capsys, monkeypatch, target.name, "--fix", "--unsafe-fixes", "--select", code)
    fixed = target.read_bytes()
    assert fixed != before.read_bytes(), f"{before.name}: nothing was fixed\n{out}{err}"
    assert fixed == after.read_bytes(), (
        f"{before.name}: the fixed file differs from {after.name}\n{out}{err}\n--- got:\n{fixed.decode()}")
    assert "Traceback" not in err

    again, out, err = _run(tmp_path, capsys, monkeypatch, target.name, "--fix", "--unsafe-fixes", "--select", code)
    assert target.read_bytes() == fixed, f"{before.name}: a second --fix changed the file again"
    assert again == 0 and "Fixed" not in out, f"{before.name}: a second --fix still had work: {out}{err}"

    was = _findings(before)
    now = _findings(target)
    left = [f"{f.line}: {f.message}" for f in now if f.check == code]
    assert left == [], f"{before.name}: {code} findings left after the fix: {left}"
    new = {identity(f) for f in now} - {identity(f) for f in was}
    assert not new, f"{before.name}: the fix brought new findings: {sorted(new)}"

    brought = _cfn_lint(fixed.decode()) - _cfn_lint(before.read_text())
    assert not brought, f"{before.name}: cfn-lint reports new problems on the fixed file: {sorted(brought)}"


def _expected_nofix(code: str) -> dict:
    path = FIXTURES / code / "expected.yaml"
    data = yaml.safe_load(path.read_text()) if path.is_file() else {}
    return (data or {}).get("fix") or {}


@pytest.mark.parametrize("code, path", _nofix_cases())
def test_nofix_findings_stay_with_their_reason(code, path, tmp_path, capsys, monkeypatch):
    expected = _expected_nofix(code).get(path.name)
    assert expected, f"fixtures/{code}/expected.yaml has no fix: entry for {path.name}"
    target = tmp_path / f"template.{path.suffix.lstrip('.')}"
    shutil.copyfile(path, target)
    status, out, err = _run(tmp_path, capsys, monkeypatch, target.name, "--diff", "--unsafe-fixes", "--select", code)
    assert status == 0 and "Traceback" not in err, out + err
    assert not any(line.startswith(("---", "+++", "@@")) for line in out.splitlines()), out
    said = []
    for line in out.splitlines():
        assert line.startswith(f"# {target.name}:"), f"unexpected output: {line}"
        head, _, reason = line.partition(": not fixable: ") if ": not fixable: " in line else \
            line.partition(": not fixed: ")
        said.append((head.split(f" {code} on ")[-1], reason))
    findings = [f for f in _findings(target) if f.check == code]
    assert len(said) == len(findings) == len(expected), (
        f"{path.name}: {len(findings)} {code} findings, {len(said)} reasons in --diff, {len(expected)} expected:\n{out}")
    unmatched = list(said)
    for entry in expected:
        match = next((s for s in unmatched if s[0] == entry["resource"] and entry["reason"] in s[1]), None)
        assert match, f"{path.name}: no reason for {entry['resource']} containing {entry['reason']!r} in:\n{out}"
        unmatched.remove(match)

    _run(tmp_path, capsys, monkeypatch, target.name, "--fix", "--unsafe-fixes", "--select", code)
    assert target.read_bytes() == path.read_bytes(), f"{path.name}: --fix changed a file with nothing to fix"


# -- coverage of the fixtures ---------------------------------------------------------------------


def _styles(path: Path) -> set:
    """What a before file exercises: block (YAML block style with a comment), flow, crlf, json."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    found = set()
    if b"\r\n" in raw:
        found.add("crlf")
    if path.suffix == ".json":
        json.loads(text)
        found.add("json")
        return found
    root = yaml.compose(text)
    resources = next((v for k, v in root.value if k.value == "Resources"), None)
    bodies = [v for _, v in resources.value] if isinstance(resources, MappingNode) else []
    flows = [b for b in bodies if isinstance(b, MappingNode) and b.flow_style]
    flows += [v for b in bodies if isinstance(b, MappingNode) and not b.flow_style
              for k, v in b.value if k.value == "Properties" and isinstance(v, MappingNode) and v.flow_style]
    if flows:
        found.add("flow")
    if any(line.lstrip().startswith("#") or " #" in line for line in text.splitlines()) and \
            any(isinstance(b, MappingNode) and not b.flow_style for b in bodies):
        found.add("block")
    return found


@pytest.mark.parametrize("code", sorted(FIXED))
def test_every_check_with_a_fix_has_fixtures_of_every_style(code):
    folder = FIXTURES / code / "fix"
    assert folder.is_dir(), f"{code} declares fix={FIXED[code].fix!r} but has no fixtures/{code}/fix/"
    styles = set()
    for before in folder.glob("*.before.*"):
        styles |= _styles(before)
    missing = {"block", "flow", "crlf", "json"} - styles
    assert not missing, f"fixtures/{code}/fix/ has no before file in YAML {', '.join(sorted(missing))} style"
    assert list(folder.glob("*.nofix.*")), f"fixtures/{code}/fix/ has no .nofix case"


def test_fix_folders_hold_only_fixtures_of_checks_with_a_fix():
    for folder in _folders():
        code = folder.parent.name
        assert code in FIXED, f"fixtures/{code}/fix/ exists but {code} declares no fix="
        for path in folder.iterdir():
            parts = _parts(path)
            assert parts, f"{path.relative_to(ROOT)}: fix fixtures are <case>.before|after|nofix.yaml|json"
            case, kind, ext = parts
            if kind == "after":
                assert (folder / f"{case}.before.{ext}").is_file(), f"{path.name} has no {case}.before.{ext}"
        for name in _expected_nofix(code):
            assert (folder / name).is_file(), f"fixtures/{code}/expected.yaml names {name}, which is not there"


def test_the_shared_cfn_lint_rules_find_what_cfn_lint_finds():
    """tests/cfnlint_once.py lints with one set of rules per process: it must report what
    ``cfnlint.api.lint`` reports, problems included (else the fix tests could not see a new one)."""
    from cfnlint.api import ManualArgs, lint

    text = ("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      Bogus: 1\n"
            "      VersioningConfiguration: {Status: Sometimes}\n  Other:\n    Type: AWS::S3::Bucket\n"
            "    DependsOn: Missing\n")
    expected = sorted((m.rule.id, m.message) for m in lint(text, config=ManualArgs(regions=["us-east-1"])))
    for _ in range(2):  # the second run reuses the rules of the first
        assert sorted((m.rule.id, m.message) for m in cfn_lint_matches(text)) == expected
    assert {"E3002", "E3030", "E3005"} <= {rule for rule, _ in expected}, expected

"""Every check against its own fixtures: exact code, resource and line, on templates that pass and fail.

The fixture format is described in fixtures/README.md. Each file is linted with only its check
selected, through the same code path as the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SPECS = load_checks(plugins=False)
BY_CODE = {s.code: s for s in SPECS}
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def _template_cases():
    cases = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("LL")):
        directory = folder / "template"
        if not directory.is_dir():
            continue
        expected_file = folder / "expected.yaml"
        expected = yaml.safe_load(expected_file.read_text()) if expected_file.exists() else {}
        expected = (expected or {}).get("template", {}) or {}
        for path in sorted(directory.iterdir()):
            if path.suffix in TEMPLATE_SUFFIXES:
                cases.append(pytest.param(folder.name, path, expected.get(path.name),
                                          id=f"{folder.name}/{path.name}"))
    return cases


def lint_one(code: str, path: Path):
    """Lint one fixture with only its check, under the folder's config.yaml when there is one."""
    config_file = FIXTURES / code / "config.yaml"
    data = yaml.safe_load(config_file.read_text()) if config_file.exists() else {}
    config = build_config(data or {}, str(config_file))
    config.select = [code]
    config.preview = True  # a preview check is tested like any other
    return lint_templates([str(path)], config, SPECS)


@pytest.mark.parametrize("code, path, expected", _template_cases())
def test_template_fixture(code, path, expected):
    assert code in BY_CODE, f"fixtures/{code} names no known check"
    report = lint_one(code, path)
    assert report.errors == [], f"{path.name} did not lint cleanly: {report.errors}"
    got = sorted((f.resource, f.line) for f in report.findings if f.check == code)
    if path.name.startswith("pass_"):
        assert got == [], f"{path.name} should pass {code}, got {[f.message for f in report.findings]}"
        return
    assert path.name.startswith("fail_"), f"{path.name}: fixture names start with pass_ or fail_"
    assert expected, f"{path.name} has no entry in fixtures/{code}/expected.yaml"
    want = sorted((e["resource"], e["line"]) for e in expected)
    assert got == want, [f"{f.resource}:{f.line} {f.message}" for f in report.findings]
    findings = sorted((f for f in report.findings if f.check == code), key=lambda f: (f.resource, f.line))
    for entry, finding in zip(sorted(expected, key=lambda e: (e["resource"], e["line"])), findings):
        if "condition" in entry:
            assert finding.condition == entry["condition"], finding
        if "message" in entry:
            assert entry["message"] in finding.message, finding.message
        if "severity" in entry:
            assert finding.severity == entry["severity"], finding


@pytest.mark.parametrize("spec", [s for s in SPECS if "template" in s.sources and s.scope not in ("suppressions", "drift")],
                         ids=lambda s: s.code)
def test_every_template_check_has_fixtures(spec):
    directory = FIXTURES / spec.code / "template"
    names = [p.name for p in directory.iterdir()] if directory.is_dir() else []
    passing = [n for n in names if n.startswith("pass_")]
    failing = [n for n in names if n.startswith("fail_")]
    assert len(passing) >= 3, f"{spec.code} needs at least three passing templates in {directory}"
    assert len(failing) >= 3, f"{spec.code} needs at least three failing templates in {directory}"

"""Configuration errors fail loudly: a typo must never switch a control off in silence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.core.config import ConfigError, build_config
from lakelint.core.engine import Engine
from lakelint.core.registry import load_checks

SPECS = load_checks(plugins=False)
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("data, message", [
    ({"selct": ["LL1"]}, "unknown key selct"),
    ({"fail-on": "critical"}, "'fail-on' must be"),
    ({"bucket-quota": -1}, "'bucket-quota' must be"),
    ({"severity": {"LL101": "urgent"}}, "'severity' must map"),
    ({"max-file-size": "big"}, "'max-file-size' must be"),
])
def test_invalid_values_are_refused(data, message):
    with pytest.raises(ConfigError, match=message):
        build_config(data, ".lakelint.yaml")


@pytest.mark.parametrize("data, message", [
    ({"severity": {"LL9999": "low"}}, "'severity' names unknown check LL9999"),
    ({"per-file-ignores": {"legacy/**": ["LL1O3"]}}, "unknown check code or name: LL1O3"),
    ({"select": ["s3-sse-kmss"]}, "unknown check code or name"),
])
def test_unknown_checks_are_refused_before_any_file_is_read(data, message):
    with pytest.raises(ConfigError, match=message):
        Engine(SPECS, build_config(data, ".lakelint.yaml"))


def test_severity_override_by_name_applies(tmp_path):
    from lakelint.runs.templates import lint_templates

    (tmp_path / "t.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    config = build_config({"severity": {"s3-lifecycle-configured": "high"}, "select": ["LL103"]}, "x")
    report = lint_templates([str(tmp_path)], config, SPECS)
    assert [f.severity for f in report.findings] == ["high"]


def run(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "lakelint", *args], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_a_foreign_broken_pyproject_is_not_our_business(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'broken'\n")
    (tmp_path / "t.yaml").write_text("Resources:\n  B:\n    Type: AWS::SNS::Topic\n")
    result = run(tmp_path, "t.yaml")
    assert result.returncode == 0, result.stderr


def test_a_broken_pyproject_with_our_table_is_an_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.lakelint]\nselect = [\n")
    result = run(tmp_path, ".")
    assert result.returncode == 2 and "pyproject.toml: invalid TOML" in result.stderr


def test_list_checks_refuses_formats_it_cannot_print(tmp_path):
    result = run(tmp_path, "--list-checks", "--format", "sarif")
    assert result.returncode == 2 and "--list-checks prints text or json" in result.stderr

"""Configuration errors fail loudly: a typo or a value of the wrong type must never switch a control off
in silence, and never end in a traceback. Each case runs through the CLI: exit 2, a message naming the
file (and the line, where the format has lines)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.core.config import Config, ConfigError, bind_options, build_config
from lakelint.core.engine import Engine
from lakelint.core.registry import load_checks

SPECS = load_checks(plugins=False)
ROOT = Path(__file__).resolve().parent.parent

BUCKET = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"


def run(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "lakelint", *args], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def refused(tmp_path, config: bytes | str, *args, name=".lakelint.yaml") -> str:
    """Write ``config``, lint a template beside it, and return stderr, asserting a clean exit 2."""
    path = tmp_path / name
    path.write_bytes(config if isinstance(config, bytes) else config.encode("utf-8"))
    (tmp_path / "t.yaml").write_text(BUCKET)
    done = run(tmp_path, "t.yaml", *args)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.startswith("lakelint: error: ") and len(done.stderr.splitlines()) == 1
    return done.stderr


@pytest.mark.parametrize("config, message", [
    ("selct: [LL1]\n", ".lakelint.yaml:1: unknown key selct"),
    ("fail-on: critical\n", ".lakelint.yaml:1: 'fail-on' must be one of low | medium | high | never, not 'critical'"),
    ("select: [LL1]\nbucket-quota: -1\n", ".lakelint.yaml:2: 'bucket-quota' must be a positive whole number or auto, not -1"),
    ("severity: {LL101: urgent}\n", ".lakelint.yaml:1: 'severity' must be a mapping of check codes or names to high, medium or low"),
    ("max-file-size: big\n", "'max-file-size' must be a positive whole number, not 'big'"),
    # issue 11.14: each of these was a traceback with exit 1
    ("exclude: 5\n", ".lakelint.yaml:1: 'exclude' must be a list of strings, not 5"),
    ("trusted-accounts: 5\n", ".lakelint.yaml:1: 'trusted-accounts' must be a list of 12-digit AWS account ids"),
    ("trusted-accounts: ['12345']\n", "'trusted-accounts' must be a list of 12-digit AWS account ids"),
    ("required-tags: 5\n", ".lakelint.yaml:1: 'required-tags' must be a list of strings, not 5"),
    ("checks-dir: 5\n", ".lakelint.yaml:1: 'checks-dir' must be a list of strings, not 5"),
    ("min-backup-days: -3\n", "'min-backup-days' must be a whole number, 0 or more, not -3"),
    # issue 11.20: a quoted 'false' turned cfn-lint on
    ("cfn-lint: 'false'\n", ".lakelint.yaml:1: 'cfn-lint' must be true or false (unquoted), not 'false'"),
    ("ignore: {LL101: true}\n", "'ignore' must be a list of check codes, prefixes or names"),
    ("per-file-ignores: {legacy/**: 5}\n", "'per-file-ignores' must be a mapping of globs to lists of check codes"),
    # the keys other work builds on (DESIGN section 11)
    ("unverifiable: maybe\n", "'unverifiable' must be one of fail | warn | ignore, not 'maybe'"),
    ("preview: 'yes'\n", "'preview' must be true or false (unquoted), not 'yes'"),
    ("check-timeout: 0\n", "'check-timeout' must be a positive number, not 0"),
    ("check-timeout: '10'\n", "'check-timeout' must be a positive number, not '10'"),
    ("live-regions: some\n", "'live-regions' must be one of all | active, not 'some'"),
    ("- select\n- LL1\n", ".lakelint.yaml:1: the configuration must be a mapping"),
])
def test_values_of_the_wrong_type_are_refused_through_the_cli(tmp_path, config, message):
    assert message in refused(tmp_path, config)


def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    err = refused(tmp_path, "select: [LL101]\nfail-on: medium\nselect: [LL1]\n")
    assert ".lakelint.yaml:3: duplicate key 'select' (first defined on line 1)" in err
    err = refused(tmp_path, "per-file-ignores:\n  legacy/**: [LL103]\n  legacy/**: [LL101]\n")
    assert ".lakelint.yaml:3: duplicate key 'legacy/**' (first defined on line 2)" in err


@pytest.mark.parametrize("content, message", [
    (b"select: [LL101]\nignore: [LL1\x07]\n", ".lakelint.yaml:2:13: invalid YAML: control character #x0007 is not allowed"),
    ("select: [LL101]  # caf\xe9\n".encode("latin-1"), ".lakelint.yaml:1:23: not UTF-8 text (byte 0xe9)"),
    ("select: [LL101]\n".encode("utf-16"), ".lakelint.yaml: the file is UTF-16; save it as UTF-8"),
    ("select: [LL101]\n".encode("utf-16-le"), ".lakelint.yaml: the file is UTF-16; save it as UTF-8"),
    (b"select: [LL101\n", ".lakelint.yaml:2:1: invalid YAML"),
    (b"select: !!python/name:os.system\n", ".lakelint.yaml:1:9: invalid YAML: could not determine a constructor"),
], ids=["control-character", "latin-1", "utf-16", "utf-16-without-bom", "syntax", "python-tag"])
def test_unreadable_yaml_configs_are_refused(tmp_path, content, message):
    assert message in refused(tmp_path, content)


def test_a_latin1_pyproject_with_our_table_is_refused(tmp_path):
    text = "[project]\nname = 'lake'\ndescription = 'Caf\xe9 data'\n\n[tool.lakelint]\nselect = ['LL101']\n"
    assert "pyproject.toml:3:19: not UTF-8 text (byte 0xe9)" in refused(tmp_path, text.encode("latin-1"),
                                                                         name="pyproject.toml")


def test_a_latin1_pyproject_without_our_table_is_not_ours(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes("[project]\ndescription = 'Caf\xe9'\n".encode("latin-1"))
    (tmp_path / "t.yaml").write_text("Resources:\n  B:\n    Type: AWS::SNS::Topic\n")
    assert run(tmp_path, "t.yaml").returncode == 0


def test_toml_values_are_validated_with_their_line(tmp_path):
    text = "[project]\nname = 'lake'\n\n[tool.lakelint]\nselect = ['LL101']\ncfn-lint = 'false'\n"
    assert "pyproject.toml:6: 'cfn-lint' must be true or false (unquoted), not 'false'" in refused(
        tmp_path, text, name="pyproject.toml")


def test_an_unknown_key_in_pyproject_names_its_line(tmp_path):
    text = '[tool."lakelint"]\nselect = ["LL101"]\n"trusted-acounts" = ["111122223333"]\n'
    assert "pyproject.toml:3: unknown key trusted-acounts" in refused(tmp_path, text, name="pyproject.toml")


def test_a_string_exclude_is_one_glob_not_everything(tmp_path):
    """Issue 11.1: config.py iterated the string's characters, and '*' matched every file: exit 0."""
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.yaml").write_text(BUCKET)
    (tmp_path / "new.yaml").write_text(BUCKET)
    (tmp_path / ".lakelint.yaml").write_text('exclude: "legacy/**"\nselect: [LL102]\n')
    done = run(tmp_path, ".", "-f", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(f["check"], f["file"]) for f in report["findings"]] == [("LL102", "new.yaml")]
    assert report["summary"]["files"] == 1


def test_a_string_is_one_item_wherever_a_list_belongs():
    config = build_config({"exclude": "legacy/**", "checks-dir": "plugins", "required-tags": "owner"},
                          ".lakelint.yaml", base="/repo")
    bind_options(config, SPECS)
    assert config.exclude == ["legacy/**"] and config.checks_dir == ["/repo/plugins"]
    assert config.options["required-tags"] == ["owner"]


def test_second_round_keys_are_parsed():
    config = build_config({"unverifiable": "WARN", "preview": True, "check-timeout": 2.5, "live-regions": "all"}, "x")
    assert (config.unverifiable, config.preview, config.check_timeout, config.live_regions) == ("warn", True, 2.5, "all")
    default = build_config({}, "x")
    assert (default.unverifiable, default.preview, default.check_timeout, default.live_regions) == ("fail", False, 10.0, None)


def test_options_get_their_declared_defaults_and_typed_values():
    config = build_config({"trusted-accounts": [111122223333, "444455556666"], "bucket-quota": "auto"}, "x")
    bind_options(config, SPECS)
    assert config.options["trusted-accounts"] == ["111122223333", "444455556666"]
    assert config.options["bucket-quota"] == "auto"
    assert config.options["min-backup-days"] == 7 and config.options["required-tags"] == []


def test_cfn_lint_true_still_turns_it_on():
    assert build_config({"cfn-lint": True}, "x").cfn_lint is True
    assert build_config({"cfn-lint": False}, "x").cfn_lint is False


@pytest.mark.parametrize("data, message", [
    ({"severity": {"LL9999": "low"}}, "'severity' names unknown check LL9999"),
    ({"per-file-ignores": {"legacy/**": ["LL1O3"]}}, "unknown check code or name: LL1O3"),
    ({"select": ["s3-sse-kmss"]}, "unknown check code or name"),
    ({"selct": ["LL1"]}, "x:2: unknown key selct"),
])
def test_unknown_checks_and_keys_are_refused_before_any_file_is_read(data, message):
    with pytest.raises(ConfigError, match=message):
        Engine(SPECS, build_config(data, "x", lines={"selct": 2}))


def test_severity_override_by_name_applies(tmp_path):
    from lakelint.runs.templates import lint_templates

    (tmp_path / "t.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    config = build_config({"severity": {"s3-lifecycle-configured": "high"}, "select": ["LL103"]}, "x")
    report = lint_templates([str(tmp_path)], config, SPECS)
    assert [f.severity for f in report.findings] == ["high"]


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


def test_a_config_key_error_is_reported_for_list_checks_too(tmp_path):
    (tmp_path / ".lakelint.yaml").write_text("trusted-accounts: 5\n")
    result = run(tmp_path, "--list-checks")
    assert result.returncode == 2 and "'trusted-accounts' must be" in result.stderr


def test_default_config_is_empty_and_binds():
    config = Config()
    bind_options(config, SPECS)
    assert config.options["bucket-quota"] == 100 and config.where() == "configuration"
    assert os.getcwd()  # relative() works against the working folder when no file set a base
    assert config.relative("a/b.yaml") == "a/b.yaml" and config.relative("/elsewhere/x.yaml") is None

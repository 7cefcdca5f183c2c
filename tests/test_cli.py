"""The command line as users and CI run it: ``python -m lakelint ...`` in a subprocess.

Each test writes templates and configuration into a temporary directory, runs the real CLI there
and checks the exit code (DESIGN section 4: 0 clean, 1 findings, 2 incomplete or misused, 2 wins
over 1) and what was printed. Most runs pin ``--select`` to the headline S3 checks so that checks
added later do not change what these tests expect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
S3 = "LL101,LL102,LL103"
ANSI = "\x1b["

# LL101 at 12:28 (BlockPublicPolicy false), LL102 at 9:29 (AES256), LL103 at 3:3 (no lifecycle).
LAKE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RawBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""

# Only LL103 (medium) at 2:3.
MEDIUM_ONLY = """\
Resources:
  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""

CLEAN = MEDIUM_ONLY.replace("LogsBucket", "CuratedBucket") + """\
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            ExpirationInDays: 30
"""

BROKEN = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: [unclosed
"""

CDK_STACK = json.dumps({"Resources": {"CdkBucket": {"Type": "AWS::S3::Bucket", "Properties": {}}}}, indent=1)


def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lakelint(cwd: Path, *args, env: dict | None = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH")) if p)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=cwd, env=environment,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120)


def codes(done: subprocess.CompletedProcess) -> list:
    """(code, file, line) of the active findings of a ``--format json`` run."""
    data = json.loads(done.stdout)
    return sorted((f["check"], f["file"], f["line"]) for f in data["findings"] if not f["suppressed"])


@pytest.fixture
def lake(tmp_path) -> Path:
    return write(tmp_path, {"lake.yaml": LAKE})


# -- formats and --output -------------------------------------------------------------------------------

def test_text_format(lake):
    done = lakelint(lake, "--select", S3)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "lake.yaml:3:3: LL103 [medium] no lifecycle rule: objects are kept in their storage class forever (RawBucket)",
        "lake.yaml:9:29: LL102 [high] default encryption uses SSEAlgorithm AES256, not aws:kms or aws:kms:dsse (RawBucket)",
        "lake.yaml:12:28: LL101 [high] BlockPublicPolicy is false (RawBucket)",
    ]
    assert lines[-1].startswith("Found 3 findings (2 high, 1 medium) in 1 file")


def test_json_format(lake):
    done = lakelint(lake, "--select", S3, "--format", "json")
    assert done.returncode == 1, done.stderr
    assert codes(done) == [("LL101", "lake.yaml", 12), ("LL102", "lake.yaml", 9), ("LL103", "lake.yaml", 3)]
    assert json.loads(done.stdout)["summary"]["findings"] == 3


def test_sarif_format_is_valid(lake):
    done = lakelint(lake, "--select", S3, "-f", "sarif")
    assert done.returncode == 1, done.stderr
    log = json.loads(done.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("LL103", 3), ("LL102", 9), ("LL101", 12)]


def test_github_format(lake):
    done = lakelint(lake, "--select", S3, "-f", "github")
    assert done.returncode == 1, done.stderr
    assert "::error file=lake.yaml,line=12,col=28,title=LL101 s3-block-public-access::" \
           "BlockPublicPolicy is false (RawBucket)" in done.stdout.splitlines()
    assert "::warning file=lake.yaml,line=3,col=3,title=LL103 s3-lifecycle-configured::" in done.stdout


def test_junit_format(lake):
    done = lakelint(lake, "--select", S3, "-f", "junit")
    assert done.returncode == 1, done.stderr
    root = ET.fromstring(done.stdout.encode("utf-8"))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "lake.yaml" and suite.get("failures") == "3"
    assert "LL101 RawBucket line 12" in [c.get("name") for c in suite.findall("testcase")]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_output_file(lake, fmt):
    done = lakelint(lake, "--select", S3, "-f", fmt, "-o", f"report.{fmt}", "--color", "always")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    written = (lake / f"report.{fmt}").read_text(encoding="utf-8")
    assert "LL101" in written and ANSI not in written
    if fmt in ("json", "sarif"):
        json.loads(written)


def test_unwritable_output_is_exit_2(lake):
    done = lakelint(lake, "--select", S3, "-o", "missing-dir/report.json")
    assert done.returncode == 2
    assert "cannot write missing-dir/report.json" in done.stderr
    assert "Traceback" not in done.stderr


# -- exit codes ---------------------------------------------------------------------------------------

def test_clean_run_exits_0(tmp_path):
    write(tmp_path, {"clean.yaml": CLEAN, "not-cfn.yaml": "name: a workflow\non: push\n"})
    done = lakelint(tmp_path, "--select", S3)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("All checks passed!")


def test_malformed_yaml_is_exit_2_and_other_files_still_report(tmp_path):
    write(tmp_path, {"broken.yaml": BROKEN, "lake.yaml": LAKE})
    text = lakelint(tmp_path, "--select", S3)
    assert text.returncode == 2  # 2 wins over the findings' 1
    assert "broken.yaml:4:39: error: YAML syntax error" in text.stdout
    assert "lake.yaml:12:28: LL101" in text.stdout
    as_json = lakelint(tmp_path, "--select", S3, "-f", "json")
    assert as_json.returncode == 2
    data = json.loads(as_json.stdout)
    assert [(e["file"], e["line"], e["column"]) for e in data["errors"]] == [("broken.yaml", 4, 39)]
    assert codes(as_json) == [("LL101", "lake.yaml", 12), ("LL102", "lake.yaml", 9), ("LL103", "lake.yaml", 3)]


def test_malformed_yaml_alone_is_exit_2(tmp_path):
    write(tmp_path, {"broken.yaml": BROKEN})
    assert lakelint(tmp_path).returncode == 2


def test_missing_path_is_exit_2(tmp_path):
    done = lakelint(tmp_path, "nowhere.yaml")
    assert done.returncode == 2
    assert "nowhere.yaml: error: no such file or directory" in done.stdout


@pytest.mark.parametrize("selector", ["LL999", "s3-no-such-check", "XX1"])
def test_unknown_select_is_exit_2(lake, selector):
    done = lakelint(lake, "--select", selector)
    assert done.returncode == 2
    assert f"unknown check code or name: {selector}" in done.stderr


def test_unknown_config_key_is_exit_2(lake):
    write(lake, {".lakelint.yaml": "selekt: [LL101]\n"})
    done = lakelint(lake)
    assert done.returncode == 2
    assert ".lakelint.yaml:1: unknown key selekt" in done.stderr


@pytest.mark.parametrize("args", [["--format", "xml"], ["--fail-on", "critical"], ["--no-such-flag"],
                                  ["--explain", "LL999"], ["--config", "absent.yaml"]])
def test_bad_arguments_are_exit_2(lake, args):
    done = lakelint(lake, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "lakelint: error:" in done.stderr
    assert "Traceback" not in done.stderr


# -- --fail-on ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_on, expected", [(None, 1), ("low", 1), ("medium", 1), ("high", 0), ("never", 0)])
def test_fail_on_with_a_medium_finding(tmp_path, fail_on, expected):
    write(tmp_path, {"logs.yaml": MEDIUM_ONLY})
    args = ["--select", S3] + (["--fail-on", fail_on] if fail_on else [])
    done = lakelint(tmp_path, *args)
    assert done.returncode == expected, done.stdout
    assert "logs.yaml:2:3: LL103 [medium]" in done.stdout  # reported whatever the threshold


@pytest.mark.parametrize("fail_on, expected", [("high", 1), ("never", 0)])
def test_fail_on_with_high_findings(lake, fail_on, expected):
    assert lakelint(lake, "--select", S3, "--fail-on", fail_on).returncode == expected


def test_fail_on_never_does_not_hide_errors(tmp_path):
    write(tmp_path, {"broken.yaml": BROKEN})
    assert lakelint(tmp_path, "--fail-on", "never").returncode == 2


def test_fail_on_from_config_and_cli_wins(tmp_path):
    write(tmp_path, {"logs.yaml": MEDIUM_ONLY, ".lakelint.yaml": "fail-on: high\nselect: [LL1]\n"})
    assert lakelint(tmp_path, "--select", S3).returncode == 0
    assert lakelint(tmp_path, "--select", S3, "--fail-on", "medium").returncode == 1


# -- --select / --ignore --------------------------------------------------------------------------------

# Prefixes match checks added later too, so those cases say what must and must not be there.
@pytest.mark.parametrize("args, present, absent", [
    (["--select", "LL101"], {"LL101"}, None),
    (["--select", "s3-sse-kms"], {"LL102"}, None),
    (["--select", "ll101,S3-Lifecycle-Configured"], {"LL101", "LL103"}, None),
    (["--select", "LL10"], {"LL101", "LL102", "LL103"}, "LL10"),
    (["--select", "LL10", "--ignore", "LL102"], {"LL101", "LL103"}, "LL102"),
    (["--select", "LL10", "--ignore", "s3-block-public-access"], {"LL102", "LL103"}, "LL101"),
    (["--select", S3, "--ignore", "LL10"], set(), None),
])
def test_select_and_ignore(lake, args, present, absent):
    done = lakelint(lake, "-f", "json", *args)
    found = {c for c, _, _ in codes(done)}
    if absent is None:  # exact: the selection names every check
        assert found == present
    elif absent == "LL10":  # a prefix selects those checks and nothing outside it
        assert present <= found and all(c.startswith("LL10") for c in found)
    else:
        assert present <= found and absent not in found and all(c.startswith("LL10") for c in found)
    assert done.returncode == (1 if found else 0)


# -- configuration ------------------------------------------------------------------------------------

def _selected(cwd: Path, *args) -> list:
    done = lakelint(cwd, "-f", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return sorted({c for c, _, _ in codes(done)})


def test_lakelint_yaml_is_read(lake):
    write(lake, {".lakelint.yaml": "select: [LL102]\n"})
    assert _selected(lake) == ["LL102"]


def test_pyproject_is_read(lake):
    write(lake, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.lakelint]\nselect = ["LL103"]\n'})
    assert _selected(lake) == ["LL103"]


def test_config_precedence(lake):
    write(lake, {
        "pyproject.toml": '[tool.lakelint]\nselect = ["LL103"]\n',
        ".lakelint.yaml": "select: [LL102]\n",
        "ci/strict.yaml": "select: [s3-block-public-access]\n",
    })
    assert _selected(lake) == ["LL102"]  # .lakelint.yaml over pyproject.toml
    assert _selected(lake, "--config", "ci/strict.yaml") == ["LL101"]  # --config over both
    assert _selected(lake, "--config", "ci/strict.yaml", "--select", "LL103") == ["LL103"]  # flags over files


def test_pyproject_without_a_lakelint_table_is_ignored(lake):
    write(lake, {"pyproject.toml": '[project]\nname = "x"\n'})
    assert _selected(lake, "--select", S3) == ["LL101", "LL102", "LL103"]


def test_per_file_ignores(tmp_path):
    write(tmp_path, {"lake.yaml": LAKE, "legacy/old/lake.yaml": LAKE,
                     ".lakelint.yaml": 'select: [LL1]\nper-file-ignores:\n  "legacy/**": [LL102, s3-lifecycle-configured]\n'})
    done = lakelint(tmp_path, "-f", "json", "--select", S3)
    assert codes(done) == [("LL101", "lake.yaml", 12), ("LL101", "legacy/old/lake.yaml", 12),
                           ("LL102", "lake.yaml", 9), ("LL103", "lake.yaml", 3)]


def test_exclude(tmp_path):
    write(tmp_path, {"cdk.out/Stack.template.json": CDK_STACK,
                     "cdk.out/asset.1234/nested.template.json": CDK_STACK,
                     ".lakelint.yaml": 'exclude: ["cdk.out/asset.*"]\n'})
    done = lakelint(tmp_path, "-f", "json", "--select", "LL102")
    assert codes(done) == [("LL102", "cdk.out/Stack.template.json", 3)]
    assert json.loads(done.stdout)["summary"]["files"] == 1


# -- --list-checks and --explain ------------------------------------------------------------------------

def test_list_checks_text(tmp_path):
    done = lakelint(tmp_path, "--list-checks")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert any(line.startswith("LL101  s3-block-public-access") and "high" in line for line in lines)
    assert any(line.startswith("LL102  s3-sse-kms") for line in lines)


def test_list_checks_json(tmp_path):
    done = lakelint(tmp_path, "--list-checks", "--format", "json")
    assert done.returncode == 0
    checks = json.loads(done.stdout)
    assert isinstance(checks, list) and checks
    for item in checks:
        assert {"code", "name", "severity", "sources", "title"} <= set(item)
    by_code = {c["code"]: c for c in checks}
    assert by_code["LL101"]["name"] == "s3-block-public-access"
    assert by_code["LL101"]["severity"] == "high"
    assert by_code["LL101"]["sources"] == ["template", "live"]
    assert by_code["LL102"]["title"] == "S3 bucket default encryption is not SSE-KMS"
    assert [c["code"] for c in checks] == sorted(by_code)


@pytest.mark.parametrize("wanted, heading", [("LL101", "# LL101 `s3-block-public-access`"),
                                              ("s3-sse-kms", "# LL102 `s3-sse-kms`"),
                                              ("ll102", "# LL102 `s3-sse-kms`")])
def test_explain(tmp_path, wanted, heading):
    done = lakelint(tmp_path, "--explain", wanted)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == heading
    for section in ("## What it does", "## Why it matters", "## Example", "## Fix", "## References"):
        assert section in done.stdout


# -- colour -------------------------------------------------------------------------------------------

def test_no_colour_when_stdout_is_not_a_terminal(lake):
    assert ANSI not in lakelint(lake, "--select", S3).stdout


def test_color_always_forces_colour_even_with_no_color(lake):
    assert ANSI in lakelint(lake, "--select", S3, "--color", "always").stdout
    assert ANSI in lakelint(lake, "--select", S3, "--color", "always", env={"NO_COLOR": "1"}).stdout


def _on_a_terminal(cwd: Path, *args, env=None) -> str:
    """Run with stdout on a pseudo-terminal, as an interactive user would, and return what it printed."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        done = lakelint(cwd, *args, env=env, stdout=slave)
        os.close(slave)
        slave = None
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the terminal is drained and closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert done.returncode == 1, done.stderr
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color_or_never(lake):
    assert ANSI in _on_a_terminal(lake, "--select", S3)
    plain = _on_a_terminal(lake, "--select", S3, env={"NO_COLOR": "1"})
    assert "LL101" in plain and ANSI not in plain
    never = _on_a_terminal(lake, "--select", S3, "--color", "never")
    assert "LL101" in never and ANSI not in never

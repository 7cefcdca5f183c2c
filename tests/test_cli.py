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


# LL101 (safe fix) and LL102 (unsafe fix) findings: the text summary counts their fixes
UNSAFE_TOO = "; 1 fixable with lakelint --fix; 1 more with --fix --unsafe-fixes."

def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lakelint(cwd: Path, *args, env: dict | None = None, stdout=subprocess.PIPE, input=None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH")) if p)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=cwd, env=environment,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120, input=input,
                          stdin=None if input is not None else subprocess.DEVNULL)


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
        "lake.yaml:12:28: LL101 [*] [high] BlockPublicPolicy is false (RawBucket)",
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


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_output_file(lake, fmt):
    done = lakelint(lake, "--select", S3, "-f", fmt, "-o", f"report.{fmt}", "--color", "always")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    written = (lake / f"report.{fmt}").read_text(encoding="utf-8")
    assert "LL101" in written and ANSI not in written
    if fmt in ("json", "sarif", "gitlab"):
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


# -- several reports in one run: --report FORMAT=FILE ----------------------------------------------------

def test_report_writes_extra_reports_beside_the_main_output(lake):
    done = lakelint(lake, "--select", S3, "--report", "sarif=lakelint.sarif", "--report", "junit=lakelint.xml")
    assert done.returncode == 1, done.stderr
    assert "lake.yaml:12:28: LL101 [*] [high] BlockPublicPolicy is false (RawBucket)" in done.stdout  # text, as usual
    log = json.loads((lake / "lakelint.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(log["runs"][0]["results"]) == 3
    suite = ET.parse(lake / "lakelint.xml").getroot().find("testsuite")
    assert suite.get("failures") == "3"


def test_report_beside_an_output_file_and_another_format(lake):
    done = lakelint(lake, "--select", S3, "-f", "json", "-o", "r.json", "--report", "gitlab=cq.json",
                    "--report", "text=r.txt")
    assert done.returncode == 1 and done.stdout == ""
    assert len(json.loads((lake / "r.json").read_text())["findings"]) == 3
    assert {i["check_name"] for i in json.loads((lake / "cq.json").read_text())} == {"LL101", "LL102", "LL103"}
    assert (lake / "r.txt").read_text().endswith(f"in 1 file, 1 resource{UNSAFE_TOO}\n")
    assert "\x1b[" not in (lake / "r.txt").read_text()


@pytest.mark.parametrize("value, message", [
    ("xml=report.xml", "unknown report format 'xml'"),
    ("sarif", "expected FORMAT=FILE"),
    ("sarif=", "expected FORMAT=FILE"),
])
def test_bad_report_format_is_a_usage_error(lake, value, message):
    done = lakelint(lake, "--report", value)
    assert done.returncode == 2 and message in done.stderr and done.stdout == ""


@pytest.mark.parametrize("args", [
    ["--report", "sarif=missing-dir/r.sarif"],
    ["--report", "sarif=."],
    ["-o", "r.json", "--report", "json=./r.json"],
    ["--write-baseline", "missing-dir/b.json"],
])
def test_unwritable_or_shared_report_file_is_refused_before_linting(lake, args):
    done = lakelint(lake, "--select", S3, "--report", "junit=first.xml", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (lake / "first.xml").exists()  # refused before anything was linted or written


# -- GitLab Code Quality ----------------------------------------------------------------------------------

def test_gitlab_format(lake):
    done = lakelint(lake, "--select", S3, "-f", "gitlab")
    assert done.returncode == 1, done.stderr
    issues = json.loads(done.stdout)
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("LL103", "major", {"path": "lake.yaml", "lines": {"begin": 3}}),
        ("LL102", "critical", {"path": "lake.yaml", "lines": {"begin": 9}}),
        ("LL101", "critical", {"path": "lake.yaml", "lines": {"begin": 12}}),
    ]


# -- --statistics, --show-source, --quiet -------------------------------------------------------------------

def test_statistics(lake):
    done = lakelint(lake, "--select", S3, "--statistics")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "1  LL101  [high]    s3-block-public-access",
        "1  LL102  [high]    s3-sse-kms",
        "1  LL103  [medium]  s3-lifecycle-configured",
        "",
        f"Found 3 findings (2 high, 1 medium) in 1 file, 1 resource{UNSAFE_TOO}",
    ]
    data = json.loads(lakelint(lake, "--select", S3, "--statistics", "-f", "json").stdout)
    assert [(row["check"], row["count"]) for row in data["statistics"]] == [("LL101", 1), ("LL102", 1), ("LL103", 1)]


def test_show_source(lake):
    done = lakelint(lake, "--select", "LL101", "--show-source")
    assert done.returncode == 1
    assert done.stdout == (
        "lake.yaml:12:28: LL101 [*] [high] BlockPublicPolicy is false (RawBucket)\n"
        "   |\n"
        "11 |         BlockPublicAcls: true\n"
        "12 |         BlockPublicPolicy: false\n"
        "   |                            ^\n"
        "13 |         IgnorePublicAcls: true\n"
        "   |\n"
        "\n"
        "Found 1 finding (1 high) in 1 file, 1 resource; 1 fixable with lakelint --fix.\n")


def test_quiet_prints_findings_only(lake, tmp_path):
    done = lakelint(lake, "--select", S3, "-q")
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 3 and "Found" not in done.stdout
    write(tmp_path / "clean", {"clean.yaml": CLEAN})
    clean = lakelint(tmp_path / "clean", "--select", S3, "--quiet")
    assert (clean.returncode, clean.stdout) == (0, "")


# -- lakelint - : one template from stdin -------------------------------------------------------------------

def test_stdin(tmp_path):
    done = lakelint(tmp_path, "--select", S3, "-", input=LAKE)
    assert done.returncode == 1, done.stderr
    assert "<stdin>:12:28: LL101 [*] [high] BlockPublicPolicy is false (RawBucket)" in done.stdout
    assert done.stdout.splitlines()[-1] == f"Found 3 findings (2 high, 1 medium) in 1 file, 1 resource{UNSAFE_TOO}"


def test_stdin_filename_names_it_and_config_patterns_apply(tmp_path):
    write(tmp_path, {".lakelint.yaml": 'per-file-ignores:\n  "legacy/**": [LL102]\n'})
    done = lakelint(tmp_path, "--select", S3, "-f", "json", "-", "--stdin-filename", "legacy/old/lake.yaml", input=LAKE)
    assert codes(done) == [("LL101", "legacy/old/lake.yaml", 12), ("LL103", "legacy/old/lake.yaml", 3)]
    shown = lakelint(tmp_path, "--select", S3, "--stdin-filename", "templates/lake.yaml", "--show-source", input=LAKE)
    assert "templates/lake.yaml:12:28: LL101" in shown.stdout
    assert "12 |         BlockPublicPolicy: false" in shown.stdout  # the frame comes from what was piped in


def test_stdin_excluded_by_config_is_said(tmp_path):
    write(tmp_path, {".lakelint.yaml": 'exclude: ["generated/**"]\n'})
    done = lakelint(tmp_path, "--select", S3, "-", "--stdin-filename", "generated/x.yaml", input=LAKE)
    assert done.returncode == 0
    assert "generated/x.yaml is excluded by the configuration: not linted" in done.stderr


def test_stdin_json_and_errors(tmp_path):
    as_json = lakelint(tmp_path, "--select", "LL102", "-f", "json", "-", "--stdin-filename", "cdk.template.json",
                       input=CDK_STACK)
    assert codes(as_json) == [("LL102", "cdk.template.json", 3)]
    broken = lakelint(tmp_path, "-", input=BROKEN)
    assert broken.returncode == 2 and "<stdin>:4:39: error: YAML syntax error" in broken.stdout
    other = lakelint(tmp_path, "-", input="name: a workflow\non: push\n")
    assert other.returncode == 0 and "All checks passed! (0 files, 0 resources)" in other.stdout


@pytest.mark.parametrize("args", [["-", "lake.yaml"], ["lake.yaml", "--stdin-filename", "x.yaml"],
                                  ["--live", "-"]])
def test_stdin_misuse_is_a_usage_error(lake, args):
    done = lakelint(lake, *args, input="")
    assert done.returncode == 2 and "lakelint: error:" in done.stderr and "Traceback" not in done.stderr


# -- --unverifiable ------------------------------------------------------------------------------------------

# Only an unverifiable finding: SSEAlgorithm comes from a parameter with no AllowedValues (LL102, 9:29).
UNVERIFIABLE_ONLY = CLEAN.replace("SSEAlgorithm: aws:kms", "SSEAlgorithm: !Ref EncAlg").replace(
    "Resources:", "Parameters:\n  EncAlg:\n    Type: String\nResources:", 1)


@pytest.mark.parametrize("policy, code, listed", [(None, 1, True), ("fail", 1, True), ("warn", 0, True),
                                                   ("ignore", 0, False)])
def test_unverifiable_policy_decides_the_gate(tmp_path, policy, code, listed):
    write(tmp_path, {"t.yaml": UNVERIFIABLE_ONLY})
    done = lakelint(tmp_path, "--select", S3, *(["--unverifiable", policy] if policy else []))
    assert done.returncode == code, done.stdout + done.stderr
    assert ("LL102 [high, unverifiable] cannot verify" in done.stdout) == listed
    if policy == "ignore":
        assert done.stdout.splitlines()[-1] == ("No findings in 1 file, 1 resource; 1 unverifiable ignored "
                                                "(unverifiable: ignore).")


def test_unverifiable_flag_overrides_the_config(tmp_path, monkeypatch, capsys):
    from lakelint.cli import main

    write(tmp_path, {"t.yaml": UNVERIFIABLE_ONLY, ".lakelint.yaml": "unverifiable: warn\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["--select", S3, "t.yaml"]) == 0
    assert main(["--select", S3, "t.yaml", "--unverifiable", "fail"]) == 1
    capsys.readouterr()


def test_unknown_unverifiable_policy_is_a_usage_error(tmp_path):
    done = lakelint(tmp_path, "--unverifiable", "maybe")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_the_command_is_main_then_an_exit_that_leaves_the_collector_nothing_to_do(tmp_path):
    """The console script and ``python -m lakelint`` run ``lakelint.cli:run``: main's output and exit
    code, then gc.freeze so the shutdown does not collect the run's objects one by one (issue 18).
    main() itself, which code embedding lakelint calls, leaves the collector as it was."""
    import gc
    import tomllib

    scripts = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"lakelint": "lakelint.cli:run"}
    (tmp_path / "t.yaml").write_text(LAKE)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    by_main = subprocess.run([sys.executable, "-c", "import sys; from lakelint.cli import main; sys.exit(main())",
                              "t.yaml"], cwd=tmp_path, capture_output=True, text=True, env=env)
    for command in ([sys.executable, "-c", "from lakelint.cli import run; run()", "t.yaml"],
                    [sys.executable, "-m", "lakelint", "t.yaml"]):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env)
        assert (done.returncode, done.stdout, done.stderr) == (by_main.returncode, by_main.stdout, by_main.stderr)
    assert by_main.returncode == 1 and "LL102" in by_main.stdout

    from lakelint.cli import main

    frozen = gc.get_freeze_count()
    assert main([str(tmp_path / "t.yaml"), "-o", str(tmp_path / "out.txt")]) == 1
    assert gc.get_freeze_count() == frozen

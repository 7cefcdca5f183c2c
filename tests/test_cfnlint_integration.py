"""cfn-lint in both directions, with the real cfn-lint (DESIGN section 9).

1. ``lakelint --cfn-lint`` (or ``cfn-lint: true``) merges cfn-lint's matches into lakelint's report:
   source "cfn-lint", cfn-lint's rule ids, file/line/column, in every format; runs without it never
   import cfn-lint.
2. ``cfn-lint -a lakelint.integrations.cfnlint`` runs lakelint's template checks inside cfn-lint, with
   ids E9xxx (high) / W9xxx (otherwise) mapped from the LL codes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
S3 = "LL101,LL102,LL103"

# lakelint: LL101 at 12:28, LL102 at 9:29, LL103 at 3:3.
# cfn-lint: E3002 at 15:7 (BucketNam is no property), W2001 at 19:3 (parameter Unused is not used).
TEMPLATE = """\
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
      BucketNam: raw
Parameters:
  Unused:
    Type: String
"""
CFN_LINT_FINDINGS = [("E3002", "high", "RawBucket", 15, 7), ("W2001", "medium", None, 17, 3)]
LAKELINT_FINDINGS = [("LL101", "high", "RawBucket", 12, 28), ("LL102", "high", "RawBucket", 9, 29),
                     ("LL103", "medium", "RawBucket", 3, 3)]


def env(**extra):
    return {**os.environ, "PYTHONPATH": str(PROJECT), "NO_COLOR": "1", **extra}


def lakelint(cwd, *args, **extra_env):
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=cwd, capture_output=True, text=True,
                          env=env(**extra_env), timeout=180)


# cfn-lint's console script, through this interpreter (cfn-lint has no ``python -m cfnlint``)
CFN_LINT = [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"]


def cfn_lint(cwd, *args, stdin=None):
    return subprocess.run([*CFN_LINT, *args], cwd=cwd, capture_output=True, text=True,
                          env=env(), input=stdin, timeout=180)


def rows(report, source=None):
    return sorted((f["check"], f["severity"], f["resource"], f["line"], f["column"]) for f in report["findings"]
                  if source is None or f["source"] == source)


@pytest.fixture
def work(tmp_path):
    (tmp_path / "stack.yaml").write_text(TEMPLATE)
    return tmp_path


# -- lakelint --cfn-lint ---------------------------------------------------------------------------

def test_cfn_lint_findings_merge_into_json(work):
    result = lakelint(work, "stack.yaml", "--select", S3, "--cfn-lint", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert rows(report, "cfn-lint") == sorted(CFN_LINT_FINDINGS)
    assert rows(report, "template") == sorted(LAKELINT_FINDINGS)
    e3002 = next(f for f in report["findings"] if f["check"] == "E3002")
    assert e3002["file"] == "stack.yaml" and e3002["resource_type"] == "AWS::S3::Bucket"
    assert e3002["name"] == "resource-properties-are-invalid"
    assert "BucketNam" in e3002["message"]
    assert report["summary"]["findings"] == 5


def test_without_the_flag_cfn_lint_is_not_run_or_imported(work):
    result = lakelint(work, "stack.yaml", "--select", S3, "--format", "json")
    assert rows(json.loads(result.stdout)) == sorted(LAKELINT_FINDINGS)
    code = (
        "import sys\n"
        "from lakelint.cli import main\n"
        "rc = main(['stack.yaml', '--select', 'LL101', '-f', 'json', '-o', 'out.json'])\n"
        "print(rc, sorted(m for m in sys.modules if m.split('.')[0] == 'cfnlint'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, env=env(),
                         check=True).stdout
    assert out.strip() == "1 []"


def test_config_key_turns_the_pass_on(work):
    (work / ".lakelint.yaml").write_text("cfn-lint: true\nselect: [LL101]\n")
    result = lakelint(work, "stack.yaml", "--format", "json")
    report = json.loads(result.stdout)
    assert rows(report, "cfn-lint") == sorted(CFN_LINT_FINDINGS)
    assert [f["check"] for f in report["findings"] if f["source"] == "template"] == ["LL101"]


def test_select_picks_lakelint_checks_cfnlintrc_picks_cfn_lint_rules(work):
    (work / ".cfnlintrc").write_text("ignore_checks:\n  - W2001\n")
    result = lakelint(work, "stack.yaml", "--select", "LL102", "--cfn-lint", "--format", "json")
    assert rows(json.loads(result.stdout)) == [("E3002", "high", "RawBucket", 15, 7),
                                               ("LL102", "high", "RawBucket", 9, 29)]


def test_rule_pack_in_cfnlintrc_does_not_duplicate_lakelint_findings(work):
    (work / ".cfnlintrc").write_text("append_rules:\n  - lakelint.integrations.cfnlint\n")
    result = lakelint(work, "stack.yaml", "--select", S3, "--cfn-lint", "--format", "json")
    report = json.loads(result.stdout)
    assert rows(report) == sorted(CFN_LINT_FINDINGS + LAKELINT_FINDINGS)
    pack = cfn_lint(work, "-f", "json", "--", "stack.yaml")  # the same .cfnlintrc does load the pack
    assert ("E9101", 12, 28) in pack_matches(pack)


def test_file_names_are_not_globs(work):
    (work / "stack.yaml").rename(work / "lake[1].yaml")
    (work / "lake1.yaml").write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nParameters:\n  P:\n    Type: String\n")
    result = lakelint(work, "lake[1].yaml", "--select", S3, "--cfn-lint", "--format", "json")
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert {f["file"] for f in report["findings"]} == {"lake[1].yaml"}
    assert rows(report, "cfn-lint") == sorted(CFN_LINT_FINDINGS)


def test_text_output_and_fail_on(work):
    result = lakelint(work, "stack.yaml", "--select", "LL103", "--cfn-lint", "--fail-on", "high")
    assert result.returncode == 1  # E3002 is an error, so high
    assert "stack.yaml:15:7: E3002 [high] Additional properties are not allowed" in result.stdout
    assert "stack.yaml:17:3: W2001 [medium] Parameter Unused not used." in result.stdout
    only_warning = TEMPLATE.replace("      BucketNam: raw\n", "")
    (work / "stack.yaml").write_text(only_warning)
    result = lakelint(work, "stack.yaml", "--select", "LL103", "--cfn-lint", "--fail-on", "high")
    assert result.returncode == 0, result.stdout


def test_sarif_has_rule_help_for_cfn_lint_ids_and_is_valid(work):
    result = lakelint(work, "stack.yaml", "--select", S3, "--cfn-lint", "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"E3002", "W2001", "LL101"} <= set(rules)
    assert rules["E3002"]["shortDescription"]["text"] == "Resource properties are invalid"
    assert rules["E3002"]["defaultConfiguration"]["level"] == "error"
    assert rules["W2001"]["defaultConfiguration"]["level"] == "warning"
    assert "cfn-lint's rule E3002" in rules["E3002"]["help"]["markdown"]
    results = {r["ruleId"]: r for r in run["results"]}
    region = results["E3002"]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (15, 7)
    assert results["E3002"]["properties"]["source"] == "cfn-lint"


def test_junit_lists_cfn_lint_findings(work):
    result = lakelint(work, "stack.yaml", "--select", S3, "--cfn-lint", "--format", "junit")
    text = ET.tostring(ET.fromstring(result.stdout), encoding="unicode")
    assert "E3002" in text and "W2001" in text and "LL101" in text


def test_unparseable_file_is_one_error_not_two(work):
    (work / "broken.yaml").write_text("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: [\n")
    result = lakelint(work, "broken.yaml", "--cfn-lint", "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert [e["file"] for e in report["errors"]] == ["broken.yaml"]
    assert [f for f in report["findings"] if f["source"] == "cfn-lint"] == []


def test_cfn_lint_findings_can_be_baselined(work):
    first = lakelint(work, "stack.yaml", "--select", S3, "--cfn-lint", "--write-baseline", "b.json")
    assert first.returncode == 0, first.stderr
    entries = json.loads((work / "b.json").read_text())["findings"]
    assert {e["check"] for e in entries} == {"E3002", "W2001", "LL101", "LL102", "LL103"}
    again = lakelint(work, "stack.yaml", "--select", S3, "--cfn-lint", "--baseline", "b.json", "--format", "json")
    assert again.returncode == 0, again.stdout
    # a run without cfn-lint does not call the cfn-lint entries fixed
    plain = lakelint(work, "stack.yaml", "--select", "LL001," + S3, "--baseline", "b.json", "--format", "json")
    assert plain.returncode == 0, plain.stdout


def test_cfn_lint_flag_refused_with_live(work):
    result = lakelint(work, "--live", "--cfn-lint")
    assert result.returncode == 2
    assert "--cfn-lint validates templates" in result.stderr


def test_missing_cfn_lint_is_an_error_entry(work):
    fake = work / "fake"
    (fake / "cfnlint").mkdir(parents=True)
    (fake / "cfnlint" / "__init__.py").write_text("raise ImportError('cfn-lint is not installed here')\n")
    result = lakelint(work, "stack.yaml", "--select", "LL101", "--cfn-lint", "--format", "json",
                      PYTHONPATH=f"{fake}{os.pathsep}{PROJECT}")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert "pip install 'lakelint[cfn-lint]'" in report["errors"][0]["message"]
    assert [f["check"] for f in report["findings"]] == ["LL101"], "lakelint's own findings are kept"


# -- cfn-lint -a lakelint.integrations.cfnlint -----------------------------------------------------

def pack_matches(result) -> list:
    return sorted((m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"], m["Location"]["Start"]["ColumnNumber"])
                  for m in json.loads(result.stdout))


def test_rule_ids_follow_the_ll_codes():
    from lakelint.integrations.cfnlint import rule_id

    assert rule_id("LL101", "high") == "E9101"
    assert rule_id("LL103", "medium") == "W9103"
    assert rule_id("LL001", "low") == "W9001"
    assert rule_id("XP101", "high") is None


def test_cfn_lint_discovers_one_rule_per_template_check():
    import importlib

    from cfnlint.helpers import create_rules

    from lakelint.core.registry import load_checks

    module = importlib.import_module("lakelint.integrations.cfnlint")
    ids = sorted(r.id for r in create_rules(module) if r.id)
    expected = sorted(["E9000"] + [("E" if s.severity == "high" else "W") + "9" + s.code[2:]
                                   for s in load_checks(plugins=False) if "template" in s.sources])
    assert ids == expected
    assert "E9101" in ids and "W9103" in ids and "W9001" in ids


def test_pack_reports_lakelint_findings_with_mapped_ids(work):
    result = cfn_lint(work, "-a", "lakelint.integrations.cfnlint", "-f", "json", "-i", "E3002", "W2001",
                      "-i", "W9113", "E9105", "W9112", "--", "stack.yaml")
    matches = pack_matches(result)
    assert ("E9101", 12, 28) in matches and ("E9102", 9, 29) in matches and ("W9103", 3, 3) in matches
    assert not [m for m in matches if not m[0][1] == "9"], "only lakelint's rules were left on"
    first = next(m for m in json.loads(result.stdout) if m["Rule"]["Id"] == "E9101")
    assert first["Message"] == "LL101 s3-block-public-access: BlockPublicPolicy is false (RawBucket)"
    assert first["Level"] == "Error"


def test_pack_matches_what_lakelint_reports_on_the_examples():
    examples = PROJECT / "examples" / "datalake"
    ours = lakelint(examples, ".", "--format", "json")
    expected = sorted(("EW"[f["severity"] != "high"] + "9" + f["check"][2:], f["line"], f["column"])
                      for f in json.loads(ours.stdout)["findings"] if not f["suppressed"])
    result = cfn_lint(examples, "-a", "lakelint.integrations.cfnlint", "-f", "json", "--",
                      "storage.yaml", "network.yaml")
    assert [m for m in pack_matches(result) if m[0][1] == "9"] == expected
    assert expected, "the examples have deliberate problems"


def test_pack_honours_lakelint_suppressions_and_cfn_lint_ignores(work):
    text = TEMPLATE.replace("BlockPublicPolicy: false", "BlockPublicPolicy: false  # lakelint: ignore[LL101]: public")
    text = text.replace("  RawBucket:\n    Type: AWS::S3::Bucket\n",
                        "  RawBucket:\n    Type: AWS::S3::Bucket\n    Metadata:\n      cfn-lint:\n"
                        "        config:\n          ignore_checks: [W9103]\n")
    (work / "stack.yaml").write_text(text)
    result = cfn_lint(work, "-a", "lakelint.integrations.cfnlint", "-f", "json", "--", "stack.yaml")
    ids = {m[0] for m in pack_matches(result)}
    assert "E9102" in ids
    assert "E9101" not in ids, "the lakelint comment suppresses LL101"
    assert "W9103" not in ids, "cfn-lint's own Metadata ignore works on the mapped id"


def test_pack_reads_standard_input(work):
    result = cfn_lint(work, "-a", "lakelint.integrations.cfnlint", "-f", "json", stdin=TEMPLATE)
    matches = pack_matches(result)
    # adapted from cfn-lint's nodes: a boolean has no position of its own there, so it is its key's
    assert ("E9101", 12, 9) in matches and ("E9102", 9, 29) in matches and ("W9103", 3, 3) in matches


def test_pack_reports_what_kept_lakelint_from_judging(work):
    (work / ".lakelint.yaml").write_text("max-file-size: 100\n")
    result = cfn_lint(work, "-a", "lakelint.integrations.cfnlint", "-f", "json", "--", "stack.yaml")
    errors = [m for m in json.loads(result.stdout) if m["Rule"]["Id"] == "E9000"]
    assert len(errors) == 1
    assert "over the 100-byte limit (max-file-size)" in errors[0]["Message"]


def test_pack_resolves_plugin_codes_in_the_configuration(work):
    checks = work / "mychecks"
    checks.mkdir()
    module = (PROJECT / "examples" / "plugin" / "lakelint_example_pack" / "bucket_name_prefix.py").read_text()
    (checks / "bucket_name_prefix.py").write_text(module)
    (work / ".lakelint.yaml").write_text("checks-dir: [mychecks]\nignore: [XP101, LL102]\n")
    result = cfn_lint(work, "-a", "lakelint.integrations.cfnlint", "-f", "json", "--", "stack.yaml")
    ids = {m[0] for m in pack_matches(result)}
    assert "E9000" not in ids, result.stdout
    assert "E9101" in ids and "E9102" not in ids


def test_pack_applies_lakelint_configuration(work):
    (work / ".lakelint.yaml").write_text("ignore: [LL103]\n")
    result = cfn_lint(work, "-a", "lakelint.integrations.cfnlint", "-f", "json", "--", "stack.yaml")
    ids = {m[0] for m in pack_matches(result)}
    assert "E9101" in ids and "W9103" not in ids


@pytest.mark.skipif(shutil.which("cfn-lint") is None, reason="the cfn-lint console script is not on PATH")
def test_console_script_loads_the_pack(work):
    result = subprocess.run(["cfn-lint", "-a", "lakelint.integrations.cfnlint", "--", "stack.yaml"], cwd=work,
                            capture_output=True, text=True, env=env(), timeout=180)
    assert "E9101 LL101 s3-block-public-access: BlockPublicPolicy is false (RawBucket)" in result.stdout
    assert "stack.yaml:12:28" in result.stdout

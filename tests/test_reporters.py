"""Every report format, rendered from real template runs (and from hand-made live findings).

The reports come from ``lakelint.runs.templates.lint_templates`` over small templates written to a temporary
directory, so these tests see the findings, positions and suppressions the engine really produces.
SARIF is validated against the official OASIS schema (a copy in tests/data/schemas).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from lakelint import __version__
from lakelint.core.config import build_config
from lakelint.core.model import ErrorEntry, Finding, Report
from lakelint.core.registry import load_checks
from lakelint.reporters import FORMATS, Options, render
from lakelint.reporters.frames import code_frame
from lakelint.reporters.github_report import escape_data, escape_property
from lakelint.runs.templates import lint_templates

SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SELECTED = ["LL101", "LL102", "LL103"]

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
        BlockPublicPolicy: false  # lakelint: ignore[LL101]: public dataset, reviewed by security
        IgnorePublicAcls: true
        RestrictPublicBuckets: false
"""

CLEAN = """\
Resources:
  CuratedBucket:
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


@pytest.fixture(scope="module")
def specs():
    return load_checks()


def run(tmp_path, monkeypatch, specs, files: dict, select=SELECTED) -> Report:
    """Write ``files`` below tmp_path and lint them from there, as ``lakelint .`` would."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return lint_templates(["."], build_config({"select": select}, None), specs)


@pytest.fixture
def report(tmp_path, monkeypatch, specs) -> Report:
    return run(tmp_path, monkeypatch, specs, {"lake.yaml": LAKE, "clean.yaml": CLEAN, "broken.yaml": BROKEN})


def live_report(specs) -> Report:
    """What live mode hands to reporters: findings with an ARN, account and region, and no file."""
    findings = [
        Finding(check="LL101", name="s3-block-public-access", severity="high", message="BlockPublicPolicy is false",
                source="live", resource="raw-data-bucket", resource_type="AWS::S3::Bucket",
                arn="arn:aws:s3:::raw-data-bucket", account="111122223333", region="eu-west-1",
                fingerprint_key="PublicAccessBlockConfiguration.BlockPublicPolicy"),
        Finding(check="LL103", name="s3-lifecycle-configured", severity="medium", message="no lifecycle rule",
                source="live", resource="logs-bucket", resource_type="AWS::S3::Bucket",
                arn="arn:aws:s3:::logs-bucket", account="111122223333", region="us-east-1",
                fingerprint_key="LifecycleConfiguration"),
    ]
    errors = [ErrorEntry("could not evaluate LL102 on raw-data-bucket: AccessDenied on GetBucketEncryption",
                         check="LL102", resource="raw-data-bucket", api_call="GetBucketEncryption",
                         iam_action="s3:GetEncryptionConfiguration")]
    checks = [s for s in specs if s.code in SELECTED]
    return Report(findings=findings, errors=errors, files=0, resources=2, checks=checks, tool_version=__version__)


def sarif_of(report) -> dict:
    log = json.loads(render(report, "sarif"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


# -- the run these tests are built on ---------------------------------------------------------------

def test_the_template_run_finds_what_the_reporters_are_tested_on(report):
    got = [(f.check, f.file, f.line, f.column, f.suppressed) for f in report.findings]
    assert got == [
        ("LL103", "lake.yaml", 3, 3, False),
        ("LL102", "lake.yaml", 9, 29, False),
        ("LL101", "lake.yaml", 12, 28, True),
        ("LL101", "lake.yaml", 14, 32, False),
    ]
    assert [(e.file, e.line) for e in report.errors] == [("broken.yaml", 4)]
    assert report.paths == ["broken.yaml", "clean.yaml", "lake.yaml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_deterministically(fmt, tmp_path, monkeypatch, specs):
    first = render(run(tmp_path / "a", monkeypatch, specs, {"lake.yaml": LAKE, "broken.yaml": BROKEN}), fmt)
    second = render(run(tmp_path / "b", monkeypatch, specs, {"lake.yaml": LAKE, "broken.yaml": BROKEN}), fmt)
    assert first == second
    assert first.endswith("\n")


# -- text and JSON -------------------------------------------------------------------------------------

def test_text_lists_active_findings_and_errors(report):
    text = render(report, "text")
    assert "broken.yaml:4:39: error: " in text
    assert "lake.yaml:14:32: LL101 [*] [high] RestrictPublicBuckets is false (RawBucket)" in text
    assert "lake.yaml:9:29: LL102 [high]" in text
    assert "BlockPublicPolicy" not in text  # suppressed: counted, not listed
    assert "1 suppressed" in text and "\x1b[" not in text


def test_json_keeps_suppressed_findings_and_errors(report):
    data = json.loads(render(report, "json"))
    assert data["version"] == 1
    assert data["summary"] == {"files": 3, "resources": 2, "findings": 3, "suppressed": 1, "errors": 1,
                               "unverifiable": 0, "unverifiable_ignored": 0}
    assert {f["verdict"] for f in data["findings"]} == {"fail"}
    suppressed = [f for f in data["findings"] if f["suppressed"]]
    assert suppressed == [dict(suppressed[0], check="LL101", line=12,
                               suppression_reason="public dataset, reviewed by security")]
    assert data["errors"][0]["file"] == "broken.yaml" and data["errors"][0]["line"] == 4


# -- SARIF ---------------------------------------------------------------------------------------------

def test_sarif_validator_is_not_vacuous(report):
    log = json.loads(render(report, "sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_driver_and_rules_come_from_the_checks(report, specs):
    run_ = sarif_of(report)["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "lakelint"
    assert driver["version"] == driver["semanticVersion"] == __version__
    assert "informationUri" not in driver  # no Documentation URL is configured: none is invented
    assert all("helpUri" not in rule for rule in driver["rules"])
    assert [r["id"] for r in driver["rules"]] == SELECTED
    rule = driver["rules"][0]
    spec = next(s for s in specs if s.code == "LL101")
    assert rule["name"] == "s3-block-public-access"
    assert rule["shortDescription"]["text"] == spec.title
    assert rule["fullDescription"]["text"] == spec.summary
    assert rule["help"]["markdown"] == spec.help_markdown
    assert "## Fix" in rule["help"]["markdown"] and "## " not in rule["help"]["text"]
    assert "Fix" in rule["help"]["text"]
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["properties"]["security-severity"] == "8.0"
    assert rule["properties"]["severity"] == "high"
    assert rule["properties"]["sources"] == ["template", "live"]
    assert "security" in rule["properties"]["tags"]
    lifecycle = driver["rules"][2]
    assert lifecycle["defaultConfiguration"] == {"level": "warning"}
    assert lifecycle["properties"]["security-severity"] == "5.0"


def test_sarif_results_point_at_the_template_line(report):
    run_ = sarif_of(report)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("LL103", "warning"), ("LL102", "error"), ("LL101", "error"), ("LL101", "error")]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    last = results[3]
    assert last["message"]["text"] == "RestrictPublicBuckets is false (RawBucket)"
    physical = last["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": "lake.yaml", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 14, "startColumn": 32}}
    assert last["locations"][0]["logicalLocations"] == [{"name": "RawBucket", "kind": "resource"}]
    assert "suppressions" not in last
    assert len(last["partialFingerprints"]["lakelint/v1"]) == 64


def test_sarif_marks_suppressed_findings_accepted_in_source(report):
    results = sarif_of(report)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert suppressed[0]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "public dataset, reviewed by security"}]


def test_sarif_errors_are_notifications_and_fail_the_invocation(report):
    invocation = sarif_of(report)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "YAML" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "broken.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 39}}


def test_sarif_clean_run_is_successful(tmp_path, monkeypatch, specs):
    log = sarif_of(run(tmp_path, monkeypatch, specs, {"clean.yaml": CLEAN}))
    run_ = log["runs"][0]
    assert run_["results"] == []
    assert run_["invocations"] == [{"executionSuccessful": True}]


def test_sarif_fingerprints_survive_line_moves(tmp_path, monkeypatch, specs):
    before = sarif_of(run(tmp_path / "a", monkeypatch, specs, {"lake.yaml": LAKE}))["runs"][0]["results"]
    moved = LAKE.replace("Resources:\n", "# a comment\n# another\nResources:\n", 1)
    after = sarif_of(run(tmp_path / "b", monkeypatch, specs, {"lake.yaml": moved}))["runs"][0]["results"]
    def lines(results):
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    def prints(results):
        return [r["partialFingerprints"]["lakelint/v1"] for r in results]

    assert lines(after) == [n + 2 for n in lines(before)]
    assert prints(after) == prints(before)
    assert len(set(prints(before))) == len(before)  # distinct findings, distinct alerts


def test_sarif_uri_is_percent_encoded_and_relative(tmp_path, monkeypatch, specs):
    report = run(tmp_path, monkeypatch, specs, {"odd dir/raw,lake%1.yaml": LAKE})
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif_of(report)["runs"][0]["results"]}
    assert uris == {"odd%20dir/raw%2Clake%251.yaml"}


def test_sarif_live_findings_use_logical_locations(specs):
    run_ = sarif_of(live_report(specs))["runs"][0]
    first = run_["results"][0]
    assert first["ruleId"] == "LL101" and first["level"] == "error"
    assert first["locations"] == [{"logicalLocations": [
        {"name": "raw-data-bucket", "kind": "resource", "fullyQualifiedName": "arn:aws:s3:::raw-data-bucket"}]}]
    assert first["properties"]["account"] == "111122223333"
    assert first["properties"]["region"] == "eu-west-1"
    assert first["properties"]["source"] == "live"
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["associatedRule"] == {"id": "LL102"}
    assert note["properties"] == {"apiCall": "GetBucketEncryption", "iamAction": "s3:GetEncryptionConfiguration"}
    assert run_["invocations"][0]["executionSuccessful"] is False


def test_sarif_finding_of_an_unlisted_check_gets_a_rule(specs):
    report = live_report(specs)
    report.findings.append(Finding(check="E3012", name="cfn-lint-e3012", severity="low", message="wrong type",
                                   source="template", resource="Bucket", resource_type="AWS::S3::Bucket",
                                   file="t.yaml", line=4, column=5))
    run_ = sarif_of(report)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    result = run_["results"][-1]
    assert rules[result["ruleIndex"]]["id"] == "E3012"
    assert result["level"] == "note"


# -- GitHub Actions ------------------------------------------------------------------------------------

def test_github_annotations(report):
    lines = render(report, "github").splitlines()
    assert lines[0].startswith("::error file=broken.yaml,line=4,col=39,title=lakelint error::YAML syntax error: ")
    assert lines[1:4] == [
        "::warning file=lake.yaml,line=3,col=3,title=LL103 s3-lifecycle-configured::"
        "no lifecycle rule: objects are kept in their storage class forever (RawBucket)",
        "::error file=lake.yaml,line=9,col=29,title=LL102 s3-sse-kms::"
        "default encryption uses SSEAlgorithm AES256, not aws:kms or aws:kms:dsse (RawBucket)",
        "::error file=lake.yaml,line=14,col=32,title=LL101 s3-block-public-access::"
        "RestrictPublicBuckets is false (RawBucket)",
    ]
    assert not any("BlockPublicPolicy" in line for line in lines)  # suppressed findings are omitted
    assert not lines[4].startswith("::")
    assert "3 findings" in lines[4] and "1 suppressed" in lines[4] and "1 error" in lines[4]
    assert len(lines) == 5


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    assert escape_data("a::b, c") == "a::b, c"  # data may hold :: and commas


def test_github_escapes_messages_and_file_names(specs):
    finding = Finding(check="LL101", name="s3-block-public-access", severity="low",
                      message="first line\nsecond, 50%", source="template", resource="Raw",
                      resource_type="AWS::S3::Bucket", file="dir:a/b,c.yaml", line=7, column=2)
    report = Report(findings=[finding], errors=[], files=1, resources=1, checks=[], tool_version="0")
    line = render(report, "github").splitlines()[0]
    assert line == ("::notice file=dir%3Aa/b%2Cc.yaml,line=7,col=2,title=LL101 s3-block-public-access::"
                    "first line%0Asecond, 50%25 (Raw)")


def test_github_live_findings_name_the_arn(specs):
    lines = render(live_report(specs), "github").splitlines()
    assert lines[0] == ("::error title=lakelint error (LL102)::could not evaluate LL102 on raw-data-bucket: "
                        "AccessDenied on GetBucketEncryption")
    assert lines[1] == ("::error title=LL101 s3-block-public-access::"
                        "BlockPublicPolicy is false (arn:aws:s3:::raw-data-bucket)")
    assert lines[2].startswith("::warning title=LL103 s3-lifecycle-configured::no lifecycle rule")


# -- JUnit ---------------------------------------------------------------------------------------------

def _suites(xml_text: str) -> dict:
    root = ET.fromstring(xml_text.encode("utf-8"))
    assert root.tag == "testsuites"
    return root, {s.get("name"): s for s in root.findall("testsuite")}


def test_junit_suites_cases_and_counts(report):
    xml_text = render(report, "junit")
    assert xml_text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root, suites = _suites(xml_text)
    assert list(suites) == ["broken.yaml", "clean.yaml", "lake.yaml"]
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == \
        {"tests": "6", "failures": "3", "errors": "1", "skipped": "1"}

    lake = suites["lake.yaml"]
    assert {k: lake.get(k) for k in ("tests", "failures", "errors", "skipped")} == \
        {"tests": "4", "failures": "3", "errors": "0", "skipped": "1"}
    cases = {c.get("name"): c for c in lake.findall("testcase")}
    assert list(cases) == ["LL103 RawBucket line 3", "LL102 RawBucket line 9", "LL101 RawBucket line 12",
                           "LL101 RawBucket line 14"]
    assert all(c.get("classname") == "lake.yaml" for c in cases.values())
    failure = cases["LL101 RawBucket line 14"].find("failure")
    assert failure.get("type") == "high"
    assert failure.get("message") == "RestrictPublicBuckets is false"
    assert "lake.yaml:14:32" in failure.text and "s3-block-public-access" in failure.text
    assert cases["LL103 RawBucket line 3"].find("failure").get("type") == "medium"
    skipped = cases["LL101 RawBucket line 12"].find("skipped")
    assert skipped.get("message") == "suppressed: public dataset, reviewed by security"
    assert cases["LL101 RawBucket line 12"].find("failure") is None

    (broken,) = suites["broken.yaml"].findall("testcase")
    assert broken.get("name") == "error line 4"
    assert "YAML" in broken.find("error").get("message")

    (clean,) = suites["clean.yaml"].findall("testcase")
    assert clean.get("classname") == "clean.yaml" and list(clean) == []


def test_junit_live_suites_per_account_and_region(specs):
    _, suites = _suites(render(live_report(specs), "junit"))
    assert list(suites) == ["111122223333/eu-west-1", "111122223333/us-east-1", "lakelint"]
    (case,) = suites["111122223333/eu-west-1"].findall("testcase")
    assert case.get("classname") == "111122223333"
    assert case.get("name") == "LL101 raw-data-bucket"
    assert "arn:aws:s3:::raw-data-bucket" in case.find("failure").text
    (error,) = suites["lakelint"].findall("testcase")
    assert error.get("name") == "error LL102 raw-data-bucket"
    assert "s3:GetEncryptionConfiguration" in error.find("error").text


def test_junit_survives_characters_xml_cannot_hold():
    finding = Finding(check="LL101", name="s3-block-public-access", severity="high",
                      message='bad \x00 byte & <tag> "quoted"', source="template", resource="R",
                      resource_type="AWS::S3::Bucket", file="t.yaml", line=1, column=1)
    report = Report(findings=[finding], errors=[], files=1, resources=1, checks=[], tool_version="0")
    _, suites = _suites(render(report, "junit"))
    failure = suites["t.yaml"].find("testcase/failure")
    assert failure.get("message") == 'bad \ufffd byte & <tag> "quoted"'


# -- verdicts: fail and unverifiable ---------------------------------------------------------------------

# LL102 cannot be verified (SSEAlgorithm from a parameter with no AllowedValues) at 11:29;
# LL101 fails (BlockPublicPolicy false) at 14:28; LL103 fails (no lifecycle) at 5:3.
UNVERIFIABLE = """\
Parameters:
  EncAlg:
    Type: String
Resources:
  RawBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: !Ref EncAlg
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""


@pytest.fixture
def mixed(tmp_path, monkeypatch, specs) -> Report:
    return run(tmp_path, monkeypatch, specs, {"t.yaml": UNVERIFIABLE})


def test_an_unknown_verdict_becomes_an_unverifiable_finding(mixed):
    got = [(f.check, f.line, f.verdict) for f in mixed.findings]
    assert got == [("LL103", 5, "fail"), ("LL102", 11, "unverifiable"), ("LL101", 14, "fail")]


def test_json_carries_the_verdict_and_counts_it(mixed):
    data = json.loads(render(mixed, "json"))
    assert [f["verdict"] for f in data["findings"]] == ["fail", "unverifiable", "fail"]
    assert data["summary"]["unverifiable"] == 1


def test_sarif_kind_and_level_follow_the_verdict(mixed):
    results = sarif_of(mixed)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["LL101"]["kind"] == "fail" and by_rule["LL101"]["level"] == "error"
    assert by_rule["LL102"]["kind"] == "open" and by_rule["LL102"]["level"] == "none"  # SARIF 3.27.10
    assert {r["properties"]["verdict"] for r in results} == {"fail", "unverifiable"}
    assert by_rule["LL102"]["properties"]["verdict"] == "unverifiable"


def test_text_marks_unverifiable_findings(mixed):
    text = render(mixed, "text")
    assert "t.yaml:11:29: LL102 [high, unverifiable] cannot verify SSEAlgorithm" in text
    assert "t.yaml:14:28: LL101 [*] [high] BlockPublicPolicy is false" in text
    assert text.splitlines()[-1] == ("Found 3 findings (2 high, 1 medium; 1 unverifiable) in 1 file, 1 resource; "
                                     "1 fixable with lakelint --fix.")
    mixed.unverifiable = "warn"
    assert "1 unverifiable, not gating" in render(mixed, "text")


def test_ignored_unverifiable_findings_are_counted_not_shown(mixed):
    mixed.unverifiable = "ignore"
    mixed.ignore_unverifiable()
    assert [f.check for f in mixed.findings] == ["LL103", "LL101"]
    assert json.loads(render(mixed, "json"))["summary"]["unverifiable_ignored"] == 1
    assert "1 unverifiable ignored" in render(mixed, "text").splitlines()[-1]


def test_github_and_gitlab_and_junit_carry_the_verdict(mixed):
    github = render(mixed, "github")
    assert "title=LL102 s3-sse-kms (unverifiable)::cannot verify" in github
    gitlab = {i["check_name"]: i for i in json.loads(render(mixed, "gitlab"))}
    assert gitlab["LL102"]["description"].startswith("LL102 s3-sse-kms (unverifiable): cannot verify")
    assert "(unverifiable)" not in gitlab["LL101"]["description"]
    _, suites = _suites(render(mixed, "junit"))
    cases = {c.get("name"): c for c in suites["t.yaml"].findall("testcase")}
    assert "verdict: unverifiable" in cases["LL102 RawBucket line 11"].find("failure").text


# -- JUnit: what gates fails, the rest is skipped ------------------------------------------------------

def _outcomes(report) -> dict:
    _, suites = _suites(render(report, "junit"))
    return {c.get("name"): next((child.tag for child in c), "passed")
            for suite in suites.values() for c in suite.findall("testcase")}


def test_junit_findings_below_fail_on_are_skipped_not_failed(mixed):
    mixed.fail_on = "high"
    outcomes = _outcomes(mixed)
    assert outcomes == {"LL103 RawBucket line 5": "skipped", "LL102 RawBucket line 11": "failure",
                        "LL101 RawBucket line 14": "failure"}
    root, suites = _suites(render(mixed, "junit"))
    assert (root.get("failures"), root.get("skipped")) == ("2", "1")
    skipped = suites["t.yaml"].find("testcase[@name='LL103 RawBucket line 5']/skipped")
    assert skipped.get("message").startswith("not gating (medium is below fail-on high): no lifecycle rule")
    assert "lakelint --explain LL103" in skipped.text  # the details still travel with it


def test_junit_unverifiable_findings_under_warn_are_skipped(mixed):
    mixed.unverifiable = "warn"
    assert _outcomes(mixed)["LL102 RawBucket line 11"] == "skipped"
    mixed.unverifiable = "fail"
    assert _outcomes(mixed)["LL102 RawBucket line 11"] == "failure"


def test_junit_fail_on_never_fails_nothing(mixed):
    mixed.fail_on = "never"
    root, _ = _suites(render(mixed, "junit"))
    assert root.get("failures") == "0" and root.get("skipped") == "3"


def test_junit_case_names_are_unique_per_finding(specs):
    def finding(message, key, condition=None):
        return Finding(check="LL101", name="s3-block-public-access", severity="high", message=message,
                       source="template", resource="Raw", resource_type="AWS::S3::Bucket", file="t.yaml",
                       line=7, column=5, condition=condition, fingerprint_key=key)

    report = Report(findings=[finding("BlockPublicAcls is false", "PAB.BlockPublicAcls"),
                              finding("BlockPublicPolicy is false", "PAB.BlockPublicPolicy"),
                              finding("BlockPublicPolicy is false", "PAB.BlockPublicPolicy"),
                              finding("IgnorePublicAcls is false", "PAB.IgnorePublicAcls", "when IsProd is false")],
                    errors=[], files=1, resources=1, checks=[], tool_version="0")
    _, suites = _suites(render(report, "junit"))
    names = [c.get("name") for c in suites["t.yaml"].findall("testcase")]
    assert len(set(names)) == len(names) == 4
    assert names == ["LL101 Raw line 7 [PAB.BlockPublicAcls]", "LL101 Raw line 7 [PAB.BlockPublicPolicy]",
                     "LL101 Raw line 7 [PAB.BlockPublicPolicy] #2", "LL101 Raw line 7 (when IsProd is false)"]


# -- GitLab Code Quality --------------------------------------------------------------------------------

# The report format of GitLab's documentation ("Code Quality" > "Implement a custom tool"): an array of
# objects with these properties; GitLab ignores any other.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object", "required": ["path", "lines"], "additionalProperties": False,
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {"type": "object", "required": ["begin"], "additionalProperties": False,
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def gitlab_of(report) -> list:
    text = render(report, "gitlab")
    assert not text.startswith("\ufeff")  # GitLab's parser refuses a byte order mark
    issues = json.loads(text)
    jsonschema.Draft7Validator(GITLAB_SCHEMA).validate(issues)
    return issues


def test_gitlab_schema_is_not_vacuous(report):
    issues = gitlab_of(report)
    issues[0]["severity"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(GITLAB_SCHEMA).validate(issues)


def test_gitlab_issues(report):
    issues = gitlab_of(report)
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("lakelint-error", "blocker", "broken.yaml", 4),
        ("LL103", "major", "lake.yaml", 3),
        ("LL102", "critical", "lake.yaml", 9),
        ("LL101", "critical", "lake.yaml", 14),  # the suppressed LL101 at line 12 is left out
    ]
    assert issues[3]["description"] == "LL101 s3-block-public-access: RestrictPublicBuckets is false (RawBucket)"
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_survive_line_moves(tmp_path, monkeypatch, specs):
    before = gitlab_of(run(tmp_path / "a", monkeypatch, specs, {"lake.yaml": LAKE}))
    moved = LAKE.replace("Resources:\n", "# a comment\n# another\nResources:\n", 1)
    after = gitlab_of(run(tmp_path / "b", monkeypatch, specs, {"lake.yaml": moved}))
    assert [i["location"]["lines"]["begin"] for i in after] == [i["location"]["lines"]["begin"] + 2 for i in before]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_gitlab_fingerprints_are_unique_even_for_identical_findings(specs):
    same = dict(check="LL103", name="s3-lifecycle-configured", severity="medium", message="no rule", source="template",
                resource="Raw", resource_type="AWS::S3::Bucket", file="t.yaml", line=3, column=3,
                fingerprint_key="LifecycleConfiguration.Rules")
    report = Report(findings=[Finding(**same), Finding(**same)], errors=[], files=1, resources=1, checks=[],
                    tool_version="0")
    prints = [i["fingerprint"] for i in gitlab_of(report)]
    assert len(set(prints)) == 2
    sarif = [r["partialFingerprints"]["lakelint/v1"] for r in sarif_of(report)["runs"][0]["results"]]
    assert sarif == prints  # one identity for both formats


def test_gitlab_live_findings_point_at_the_arn(specs):
    issues = gitlab_of(live_report(specs))
    paths = [(i["check_name"], i["location"]["path"]) for i in issues]
    assert ("LL101", "arn:aws:s3:::raw-data-bucket") in paths
    assert issues[0]["check_name"] == "lakelint-error" and issues[0]["severity"] == "blocker"


# -- --statistics, --show-source, --quiet in the reports ------------------------------------------------

def test_statistics_in_text_json_and_sarif(mixed):
    options = Options(statistics=True)
    text = render(mixed, "text", options).splitlines()
    assert text[:3] == ["1  LL101  [high]    s3-block-public-access",
                        "1  LL102  [high]    s3-sse-kms  (1 unverifiable)",
                        "1  LL103  [medium]  s3-lifecycle-configured"]
    assert not any(line.startswith("t.yaml:") for line in text)  # the table replaces the list
    data = json.loads(render(mixed, "json", options))
    assert data["statistics"][1] == {"check": "LL102", "name": "s3-sse-kms", "severity": "high", "count": 1,
                                     "unverifiable": 1}
    assert "statistics" not in json.loads(render(mixed, "json"))
    from lakelint.reporters.json_report import as_dict

    assert render(mixed, "json", options) == json.dumps(as_dict(mixed, options), indent=2) + "\n"  # streamed = whole
    assert sarif_of_options(mixed, options)["runs"][0]["properties"]["statistics"] == data["statistics"]


def sarif_of_options(report, options) -> dict:
    log = json.loads(render(report, "sarif", options))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def test_statistics_sort_by_count(specs):
    def finding(check, name):
        return Finding(check=check, name=name, severity="low", message="m", source="template", resource="R",
                       resource_type="AWS::S3::Bucket", file="t.yaml", line=1, column=1)

    report = Report(findings=[finding("LL113", "s3-access-logging"), finding("LL101", "s3-block-public-access"),
                              finding("LL113", "s3-access-logging")], errors=[], files=1, resources=1, checks=[],
                    tool_version="0")
    lines = render(report, "text", Options(statistics=True)).splitlines()
    assert lines[:2] == ["2  LL113  [low]  s3-access-logging", "1  LL101  [low]  s3-block-public-access"]


def test_show_source_in_text_junit_and_sarif(mixed, tmp_path):
    lines = UNVERIFIABLE.splitlines()
    options = Options(show_source=True, source_lines=lambda file: lines if file == "t.yaml" else None)
    text = render(mixed, "text", options)
    assert ("t.yaml:14:28: LL101 [*] [high] BlockPublicPolicy is false (RawBucket)\n"
            "   |\n"
            "13 |         BlockPublicAcls: true\n"
            "14 |         BlockPublicPolicy: false\n"
            "   |                            ^\n"
            "15 |         IgnorePublicAcls: true\n"
            "   |\n\n"
            "Found 3 findings") in text
    _, suites = _suites(render(mixed, "junit", options))
    failure = suites["t.yaml"].find("testcase[@name='LL101 RawBucket line 14']/failure")
    assert "14 |         BlockPublicPolicy: false" in failure.text
    results = sarif_of_options(mixed, options)["runs"][0]["results"]
    region = results[2]["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"] == {"text": "        BlockPublicPolicy: false"}
    assert "snippet" not in sarif_of(mixed)["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]


def test_code_frame_keeps_tabs_and_cuts_long_lines():
    assert code_frame(["a", "\tkey:\tvalue", "b"], 2, 6)[3] == "  | \t    ^"
    long = "x" * 5000 + "HERE" + "y" * 5000
    frame = code_frame([long], 1, 5001)
    shown, caret = frame[1], frame[2]
    assert len(shown) < 200 and "HERE" in shown
    assert caret.index("^") == shown.index("HERE")
    assert code_frame(["a"], 5, 1) == [] and code_frame(None, 1, 1) == []


def test_quiet_leaves_out_summaries(report):
    quiet = Options(quiet=True)
    text = render(report, "text", quiet)
    assert "Found" not in text and text.endswith("(RawBucket)\n")
    assert render(report, "github", quiet).splitlines()[-1].startswith("::error file=lake.yaml,line=14")
    assert render(Report(findings=[], errors=[], files=1, resources=1, checks=[], tool_version="0"), "text",
                  quiet) == ""


# -- documentation links (SARIF informationUri / helpUri) ------------------------------------------------

def test_sarif_links_come_from_the_documentation_url(report, monkeypatch):
    import lakelint.reporters.sarif_report as sarif

    monkeypatch.setattr(sarif, "documentation_url", lambda: "https://docs.example.test/lakelint/docs/")
    driver = sarif_of(report)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://docs.example.test/lakelint/docs/"
    assert driver["rules"][0]["helpUri"] == "https://docs.example.test/lakelint/docs/checks.md#ll101"


def test_plugin_rules_get_no_help_uri(report, monkeypatch, specs):
    import lakelint.reporters.sarif_report as sarif

    monkeypatch.setattr(sarif, "documentation_url", lambda: "https://docs.example.test/docs")
    report.checks = [s.replace(origin="plugin") if s.code == "LL103" else s for s in report.checks]
    rules = {r["id"]: r for r in sarif_of(report)["runs"][0]["tool"]["driver"]["rules"]}
    assert "helpUri" in rules["LL101"] and "helpUri" not in rules["LL103"]


def test_documentation_url_is_read_from_project_urls(monkeypatch):
    import importlib.metadata

    from lakelint.reporters import links

    class Meta:
        def __init__(self, urls):
            self.urls = urls

        def get_all(self, name):
            return self.urls if name == "Project-URL" else None

    monkeypatch.setattr(importlib.metadata, "metadata",
                        lambda name: Meta(["Source, https://src.example.test", "Documentation, https://d.example.test/docs"]))
    assert links.documentation_url() == "https://d.example.test/docs"
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: Meta(["Source, https://src.example.test"]))
    assert links.documentation_url() is None
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: Meta(None))
    assert links.documentation_url() is None


# -- the account a live finding is about, in the one-line formats ----------------------------------------

def test_junit_github_and_gitlab_name_the_organisation_account(specs):
    """An --org run gives live findings the account's name and OU path (AWS Organizations): the
    one-line formats a CI log shows say them beside the id; without them, the id alone."""
    report = live_report(specs)
    report.findings[0].account_name, report.findings[0].ou_path = "lake-prod", "Root/Data/Prod"
    _, suites = _suites(render(report, "junit"))
    failure = suites["111122223333/eu-west-1"].find("testcase/failure").text
    assert "account: 111122223333 (lake-prod, Root/Data/Prod)  region: eu-west-1" in failure
    other = suites["111122223333/us-east-1"].find("testcase/failure").text
    assert "account: 111122223333  region: us-east-1" in other

    github = render(report, "github").splitlines()
    assert github[1].endswith("BlockPublicPolicy is false (arn:aws:s3:::raw-data-bucket; "
                              "account 111122223333 (lake-prod, Root/Data/Prod))")
    assert github[2].endswith("no lifecycle rule (arn:aws:s3:::logs-bucket)")

    descriptions = {i["check_name"]: i["description"] for i in gitlab_of(report)}
    assert descriptions["LL101"] == ("LL101 s3-block-public-access: BlockPublicPolicy is false (raw-data-bucket) "
                                     "in account 111122223333 (lake-prod, Root/Data/Prod)")
    assert descriptions["LL103"].endswith("(logs-bucket) in account 111122223333")


@pytest.mark.parametrize("text", ["plain", "", "caf\udcff.yaml", "\ud83d\ude00 paired surrogates", "é € 🚀",
                                  "\ud800 lone high", "x\udfff", "\uffff\U0010ffff"])
def test_names_find_surrogates_as_the_pattern_does(text):
    """has_surrogates asks the UTF-8 codec (which refuses surrogates and nothing else), not the pattern."""
    import re

    from lakelint.reporters.names import _SURROGATE, encode, has_surrogates, readable

    assert has_surrogates(text) is bool(re.search("[\ud800-\udfff]", text))
    assert readable(text) == re.sub(_SURROGATE, lambda m: ("\\x%02x" % (ord(m.group()) - 0xDC00)
                                                            if 0xDC80 <= ord(m.group()) <= 0xDCFF
                                                            else "\\u%04x" % ord(m.group())), text)
    assert isinstance(encode(text), bytes)

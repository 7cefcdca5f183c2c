"""Suppressions (DESIGN section 6) and LL001: reasons required, expiry honoured, stale ones reported."""

from __future__ import annotations

import datetime

import pytest

from lakelint.core.config import Config
from lakelint.core.exits import exit_code
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

SPECS = load_checks(plugins=False)
KMS = """      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
"""


def run(tmp_path, text, **config):
    path = tmp_path / "stack.yaml"
    path.write_text(text)
    return lint_templates([str(path)], Config(select=config.pop("select", ["LL001", "LL102", "LL103"]), **config), SPECS)


def codes(report, suppressed=False):
    return sorted((f.check, f.resource, f.line) for f in report.findings if f.suppressed == suppressed)


def bucket(metadata="", comment="", props=KMS):
    return f"""Resources:
  Raw:{comment}
    Type: AWS::S3::Bucket
{metadata}    Properties:
{props}"""


def test_metadata_suppression_with_reason(tmp_path):
    meta = "    Metadata:\n      lakelint:\n        ignore:\n          - id: LL103\n            reason: compaction job deletes objects\n"
    report = run(tmp_path, bucket(meta))
    assert codes(report) == []
    assert codes(report, suppressed=True) == [("LL103", "Raw", 2)]
    assert report.findings[0].suppression_reason == "compaction job deletes objects"
    assert exit_code(report.findings, report.errors, "low") == 0


def test_metadata_suppression_by_name_and_future_expiry(tmp_path):
    meta = ("    Metadata:\n      lakelint:\n        ignore:\n          - id: s3-lifecycle-configured\n"
            "            reason: temporary\n            until: 2999-01-01\n")
    assert codes(run(tmp_path, bucket(meta)), suppressed=True) == [("LL103", "Raw", 2)]


@pytest.mark.parametrize("entry, problem", [
    ("          - id: LL103\n", "has no reason"),
    ("          - LL103\n", "has no reason"),
    ("          - id: LL103\n            reason: old\n            until: 2020-01-31\n", "expired on 2020-01-31"),
    ("          - id: LL103\n            reason: typo\n          - id: LL999\n            reason: typo\n", "names unknown check LL999"),
])
def test_broken_metadata_suppressions_do_not_apply_and_are_reported(tmp_path, entry, problem):
    meta = "    Metadata:\n      lakelint:\n        ignore:\n" + entry
    report = run(tmp_path, bucket(meta))
    hygiene = [f for f in report.findings if f.check == "LL001"]
    assert len(hygiene) == 1 and problem in hygiene[0].message
    assert hygiene[0].line == (9 if problem.startswith("names unknown") else 7)
    if problem.startswith("names unknown"):
        assert codes(report, suppressed=True) == [("LL103", "Raw", 2)]
    else:
        assert ("LL103", "Raw", 2) in codes(report)


def test_comment_on_the_offending_line(tmp_path):
    props = KMS.replace("aws:kms", "AES256  # lakelint: ignore[LL102]: legacy bucket, migrating in Q3")
    report = run(tmp_path, bucket(props=props), select=["LL001", "LL102"])
    assert codes(report) == [] and codes(report, suppressed=True) == [("LL102", "Raw", 8)]
    assert report.findings[0].suppression_reason == "legacy bucket, migrating in Q3"


def test_comment_on_the_resource_line_covers_the_resource(tmp_path):
    report = run(tmp_path, bucket(comment="  # lakelint: ignore[LL103, LL102]: scratch space", props="      Tags: []\n"))
    assert codes(report) == []
    assert codes(report, suppressed=True) == [("LL102", "Raw", 2), ("LL103", "Raw", 2)]


def test_comment_without_reason_and_unused_comment(tmp_path):
    props = KMS.replace("aws:kms", "aws:kms  # lakelint: ignore[LL102]: not needed any more")
    report = run(tmp_path, bucket(comment="  # lakelint: ignore[LL103]", props=props))
    assert codes(report) == [("LL001", None, 2), ("LL001", None, 8), ("LL103", "Raw", 2)]
    messages = sorted(f.message for f in report.findings if f.check == "LL001")
    assert "suppression of LL102 matched no finding" in messages[0]
    assert "has no reason" in messages[1]


def test_suppression_of_a_check_that_did_not_run_is_not_unused(tmp_path):
    meta = "    Metadata:\n      lakelint:\n        ignore:\n          - id: LL103\n            reason: compaction\n"
    report = run(tmp_path, bucket(meta), select=["LL001", "LL102"])
    assert report.findings == []


def test_suppressed_findings_stay_in_the_json_report(tmp_path):
    from lakelint.reporters.json_report import as_dict

    meta = "    Metadata:\n      lakelint:\n        ignore:\n          - id: LL103\n            reason: compaction\n"
    data = as_dict(run(tmp_path, bucket(meta)))
    assert data["summary"]["suppressed"] == 1 and data["summary"]["findings"] == 0
    assert data["findings"][0]["suppressed"] is True
    assert data["findings"][0]["suppression_reason"] == "compaction"


def test_expiry_is_judged_against_today(tmp_path):
    today = datetime.date.today().isoformat()
    meta = f"    Metadata:\n      lakelint:\n        ignore:\n          - id: LL103\n            reason: r\n            until: {today}\n"
    assert codes(run(tmp_path, bucket(meta)), suppressed=True) == [("LL103", "Raw", 2)]

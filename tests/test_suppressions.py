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


# -- issue 10.4: expiry in comments, comments only in comments, malformed suppressions reported --------


def ll001(report) -> list:
    return [(f.line, f.message) for f in report.findings if f.check == "LL001"]


def test_a_comment_with_a_future_expiry_suppresses(tmp_path):
    report = run(tmp_path, bucket(comment="  # lakelint: ignore[LL103]: compaction job until=2999-06-30"))
    assert codes(report) == [] and codes(report, suppressed=True) == [("LL103", "Raw", 2)]
    assert report.findings[0].suppression_reason == "compaction job"


def test_an_expired_comment_stops_working_and_is_reported(tmp_path):
    report = run(tmp_path, bucket(comment="  # lakelint: ignore[LL103]: compaction job until=2020-06-30"))
    assert codes(report) == [("LL001", None, 2), ("LL103", "Raw", 2)]
    assert ll001(report) == [(2, "suppression of LL103 expired on 2020-06-30, so it suppresses nothing")]
    assert exit_code(report.findings, report.errors, "low") == 1


@pytest.mark.parametrize("comment, problem", [
    ("  # lakelint: ignore[LL103]: compaction until=next-year", "has an until= that is not a date (YYYY-MM-DD): 'next-year'"),
    ("  # lakelint: ignore[LL103]: until=2999-01-01", "has no reason"),
    ("  # lakelint: ignore[LL103] compaction job", "needs a colon before its reason (write ignore[CODE]: reason)"),
    ("  # lakelint: ignore LL103: compaction job", "names no check in brackets (write # lakelint: ignore[CODE]: reason)"),
])
def test_malformed_comments_are_reported_not_ignored(tmp_path, comment, problem):
    report = run(tmp_path, bucket(comment=comment))
    assert ("LL103", "Raw", 2) in codes(report)
    assert [message for _, message in ll001(report)] == [f"suppression of {'LL103' if '[' in comment else '(nothing)'} "
                                                         f"{problem}, so it suppresses nothing"]


@pytest.mark.parametrize("text", [
    # the resource's first line holds the text, inside a string value: it covers nothing
    'Resources:\n  Raw: {Type: AWS::S3::Bucket, Metadata: {note: "# lakelint: ignore[LL103]: x"}}\n',
    "Resources:\n  Raw: {Type: AWS::S3::Bucket, Metadata: {note: '# lakelint: ignore[LL103]: x'}}\n",
    'Resources:\n  Raw: {Type: AWS::S3::Bucket, Metadata: {note: "caf\u00e9 # lakelint: ignore[LL103]: x"}}\n',
    '{"Resources": {"Raw": {"Type": "AWS::S3::Bucket", "Metadata": {"note": "# lakelint: ignore[LL103]: x"}}}}\n',
    # a double-quoted string that starts on the resource's line and goes on below it
    'Resources:\n  Raw: {Type: AWS::S3::Bucket, Metadata: {note: "# lakelint: ignore[LL103]: x\n    and more"}}\n',
], ids=["double-quoted", "single-quoted", "after-non-ascii", "json", "multi-line-string"])
def test_text_inside_a_string_value_is_never_a_suppression(tmp_path, text):
    report = run(tmp_path, text, select=["LL001", "LL103"])
    assert [(f.check, f.suppressed) for f in report.findings] == [("LL103", False)]


def test_text_in_a_block_scalar_is_not_a_comment(tmp_path):
    text = ("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n"
            "        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n"
            "              SSEAlgorithm: >-\n                AES256 # lakelint: ignore[LL102]: folded text\n")
    report = run(tmp_path, text, select=["LL001", "LL102"])
    assert [(f.check, f.suppressed) for f in report.findings] == [("LL102", False)]


def test_a_real_comment_after_a_string_that_looks_like_one(tmp_path):
    text = ('Resources:\n  Raw: {Type: AWS::S3::Bucket, Metadata: {note: "# lakelint: ignore[LL102]: fake"}}'
            "  # lakelint: ignore[LL103]: the real one\n")
    report = run(tmp_path, text, select=["LL001", "LL103"])
    assert codes(report, suppressed=True) == [("LL103", "Raw", 2)]
    assert report.findings[0].suppression_reason == "the real one"


@pytest.mark.parametrize("ignore, problem", [
    ("        ignore:\n          id: LL103\n          reason: compaction\n",
     "suppression of LL103 is a mapping where a list belongs (write each entry under ignore: as '- id: CODE')"),
    ("        ignore: LL103\n", "suppression of (nothing) is not a list (write ignore: - id: CODE, reason: ...)"),
    ("        ignore:\n          - 103\n", "suppression of (nothing) is neither a check nor a mapping with id and reason: 103"),
])
def test_an_ignore_that_is_not_a_list_of_entries_is_reported(tmp_path, ignore, problem):
    report = run(tmp_path, bucket("    Metadata:\n      lakelint:\n" + ignore))
    assert ("LL103", "Raw", 2) in codes(report)
    assert [message for _, message in ll001(report)] == [f"{problem}, so it suppresses nothing"]


def test_metadata_lakelint_that_is_not_a_mapping_is_reported(tmp_path):
    report = run(tmp_path, bucket("    Metadata:\n      lakelint: ignore LL103\n"))
    assert ("LL103", "Raw", 2) in codes(report)
    assert [line for line, _ in ll001(report)] == [5]


def test_a_misspelt_ignore_key_is_reported(tmp_path):
    meta = "    Metadata:\n      lakelint:\n        ignroe:\n          - id: LL103\n            reason: compaction\n"
    report = run(tmp_path, bucket(meta))
    assert ("LL103", "Raw", 2) in codes(report)
    assert ll001(report) == [(6, "suppression of (nothing) has unknown key ignroe under Metadata.lakelint "
                                 "(only ignore is read), so it suppresses nothing")]

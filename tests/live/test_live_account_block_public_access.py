"""LL302 on an account whose Block Public Access settings cannot be read: never a pass."""

from __future__ import annotations

from botocore.exceptions import ClientError

from lakelint.core.config import build_config
from lakelint.core.exits import exit_code
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)


def _deny_account_settings(client):
    if client.meta.service_model.service_name != "s3control":
        return

    def denied(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetPublicAccessBlock")

    client.get_public_access_block = denied


def test_unreadable_settings_are_could_not_evaluate(mocked_aws, live_session):
    mocked_aws.account_public_access_block(BlockPublicPolicy=False)
    session = live_session()
    session.on_client.append(_deny_account_settings)
    report = lint_live(build_config({"select": ["LL302"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.resource, error.api_call, error.iam_action) == (
        "LL302", "123456789012", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock")
    assert exit_code(report.findings, report.errors, "low") == 2


def test_selecting_ll302_alone_reads_only_the_account_settings(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session()
    report = lint_live(build_config({"select": ["LL302"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert [(f.check, f.resource) for f in report.findings] == [("LL302", "123456789012")]
    assert ("s3control", "GetPublicAccessBlock") in session.guard.calls
    assert ("s3", "GetBucketEncryption") not in session.guard.calls


def test_template_runs_do_not_run_it(tmp_path):
    from lakelint.runs.templates import lint_templates

    template = tmp_path / "lake.yaml"
    template.write_text("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n")
    report = lint_templates([str(template)], build_config({"select": ["LL302"]}, None), SPECS, jobs=1)
    assert report.findings == [] and report.errors == []


def test_one_finding_per_account_however_many_regions(mocked_aws, live_session):
    mocked_aws.account_public_access_block(BlockPublicPolicy=False)
    report = lint_live(build_config({"select": ["LL302"]}, None), SPECS,
                       regions=["us-east-1", "eu-west-1", "ap-southeast-2"], session=live_session())
    assert report.errors == []
    assert [(f.check, f.resource, f.message) for f in report.findings] == [
        ("LL302", mocked_aws.account_id, "account-level BlockPublicPolicy is false")]

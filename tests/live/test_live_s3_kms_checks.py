"""LL119 and LL120 live when the bucket's key cannot be fully read: could not evaluate, never a pass."""

from __future__ import annotations

from botocore.exceptions import ClientError

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)


def _deny_kms(method, operation):
    def hook(client):
        if client.meta.service_model.service_name != "kms":
            return

        def denied(**kwargs):
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"},
                               "ResponseMetadata": {"HTTPStatusCode": 403}}, operation)

        setattr(client, method, denied)
    return hook


def _lake(aws):
    key = aws.client("kms").create_key(Description="lake")["KeyMetadata"]
    aws.bucket("lake-raw")
    aws.encryption("lake-raw", "aws:kms", key["Arn"], bucket_key=True)
    return key


def _run(aws, session, code):
    session.on_client.append(aws.install_answers)
    return lint_live(build_config({"select": [code]}, None), SPECS, regions=["us-east-1"], session=session)


def test_ll120_unreadable_rotation_is_could_not_evaluate(mocked_aws, live_session):
    _lake(mocked_aws)
    session = live_session()
    session.on_client.append(_deny_kms("get_key_rotation_status", "GetKeyRotationStatus"))
    report = _run(mocked_aws, session, "LL120")
    assert report.findings == []
    assert [(e.check, e.resource, e.iam_action) for e in report.errors] == [
        ("LL120", "lake-raw", "kms:GetKeyRotationStatus")]


def test_ll119_unreadable_key_manager_is_could_not_evaluate(mocked_aws, live_session):
    _lake(mocked_aws)
    session = live_session()
    session.on_client.append(_deny_kms("describe_key", "DescribeKey"))
    report = _run(mocked_aws, session, "LL119")
    assert report.findings == []
    assert [(e.check, e.resource, e.iam_action) for e in report.errors] == [("LL119", "lake-raw", "kms:DescribeKey")]


def test_ll119_and_ll120_collect_keys_when_selected_alone(mocked_aws, live_session):
    key = _lake(mocked_aws)  # rotation off, customer managed
    for code, expected in (("LL119", []), ("LL120", [("LL120", "lake-raw")])):
        session = live_session()
        report = _run(mocked_aws, session, code)
        assert [(f.check, f.resource) for f in report.findings] == expected
        assert session.guard.calls[("kms", "DescribeKey")] == 1
    assert key["KeyManager"] == "CUSTOMER"

"""LL731 and LL732 on live keys: what an unreadable key record means for them, and LL731 beside LL120."""

from __future__ import annotations

import pytest
from moto_gaps import scanned_services, skip_unserved

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)


def _catalog_key(aws, rotate):
    aws.answer("redshift-serverless", "ListNamespaces", {"namespaces": []})  # moto does not serve it
    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]
    if rotate:
        kms.enable_key_rotation(KeyId=key["KeyId"])
    aws.client("glue").put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
        "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key["Arn"]}})
    return key


@pytest.mark.parametrize("rotate", [False, True])
def test_ll731_an_unreadable_key_manager_is_unknown_unless_the_key_rotates(mocked_aws, live_session, rotate):
    key = _catalog_key(mocked_aws, rotate)
    mocked_aws.answer_error("kms", "DescribeKey", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    config = build_config({"select": ["LL731"]}, None)
    skip_unserved(scanned_services(config))
    report = lint_live(config, SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    if rotate:
        assert report.errors == []
    else:
        assert len(report.errors) == 1, [e.message for e in report.errors]
        (error,) = report.errors
        assert (error.check, error.resource, error.iam_action) == ("LL731", key["KeyId"], "kms:DescribeKey")


def test_ll732_an_unreadable_key_policy_is_could_not_evaluate(mocked_aws, live_session):
    key = mocked_aws.client("kms").create_key()["KeyMetadata"]
    mocked_aws.answer_error("kms", "GetKeyPolicy", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL732"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.resource, error.iam_action) == ("LL732", key["KeyId"], "kms:GetKeyPolicy")


def test_ll120_and_ll731_report_a_bucket_s_unrotated_key_once(mocked_aws, live_session):
    """Issue 12 item 6: LL120 reports it on the bucket; LL731 leaves a bucket's key to LL120."""
    mocked_aws.answer("redshift-serverless", "ListNamespaces", {"namespaces": []})  # moto does not serve it
    key = mocked_aws.client("kms").create_key()["KeyMetadata"]
    mocked_aws.bucket("lake-raw")
    mocked_aws.encryption("lake-raw", "aws:kms", key["Arn"])
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    config = build_config({"select": ["LL120", "LL731"]}, None)
    skip_unserved(scanned_services(config))
    report = lint_live(config, SPECS, regions=["us-east-1"], session=session)
    assert report.errors == []
    assert [(f.check, f.resource) for f in report.findings] == [("LL120", "lake-raw")]

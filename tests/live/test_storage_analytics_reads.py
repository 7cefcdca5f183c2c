"""The storage and analytics checks (LL4xx, LL6xx) read live exactly what they declare (issue 13 item 1):
the key checks describe keys without reading their policies or rotation, only the checks that ask
whether a Lustre file system is linked to S3 list its data repository associations, and a key whose
manager cannot be read leaves the key checks unable to evaluate, never passing."""

from __future__ import annotations

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan

SPECS = load_checks(plugins=False)
BY_CODE = {spec.code: spec for spec in SPECS}
KEY_CHECKS = ("LL402", "LL412", "LL422", "LL602", "LL611", "LL621")


def _operations(*codes) -> set:
    plan = ScanPlan.for_checks([BY_CODE[code] for code in codes], build_config({}, None))
    return {call.operation for call in plan.calls}


@pytest.mark.parametrize("code", KEY_CHECKS)
def test_key_checks_describe_keys_without_reading_their_policies_or_rotation(code):
    operations = _operations(code)
    assert {"ListKeys", "ListAliases", "DescribeKey"} <= operations
    assert not operations & {"GetKeyPolicy", "GetKeyRotationStatus"}


def test_only_the_link_checks_list_data_repository_associations():
    for code in ("LL421", "LL423", "LL424"):
        assert "DescribeDataRepositoryAssociations" in _operations(code), code
    assert "DescribeDataRepositoryAssociations" not in _operations("LL422")


def test_ebs_default_encryption_reads_only_its_setting():
    assert _operations("LL413") == {"GetEbsEncryptionByDefault"}


def test_a_key_whose_manager_cannot_be_read_is_could_not_evaluate(mocked_aws, live_session):
    key = mocked_aws.client("kms").create_key(Description="ebs")["KeyMetadata"]["Arn"]
    volume = mocked_aws.ec2.create_volume(AvailabilityZone=f"{mocked_aws.region}a", Size=50, Encrypted=True,
                                          KmsKeyId=key)["VolumeId"]
    mocked_aws.answer_error("kms", "DescribeKey", "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL412"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.resource, error.iam_action) == ("LL412", volume, "kms:DescribeKey")
    assert "AccessDenied on DescribeKey" in error.message

"""The KMS collector and the service-collector extension point it is the pattern for."""

from __future__ import annotations

import json

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live import catalog, iam
from lakelint.sources.live.collectors import by_name, collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)


def seed_full_scan(aws):
    """One customer managed key with an alias: every KMS call of the collector is made."""
    kms = aws.client("kms")
    key = kms.create_key(Description="lake")["KeyMetadata"]
    kms.create_alias(AliasName="alias/lake-seed", TargetKeyId=key["KeyId"])


def scan_with(session, collectors, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=[by_name("S3 buckets")] + list(collectors))
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def kms_collector():
    return [c for c in all_collectors() if c.name == "KMS keys"]


def test_collector_calls_join_the_catalog_and_the_iam_policy():
    for collector in all_collectors():
        for call in collector.calls:
            assert call in catalog.variants(call.service, call.operation)
            assert call.iam_action in iam.actions()


def test_keys_are_collected_in_cloudformation_shape_and_linked_to_buckets(mocked_aws, live_session):
    kms = mocked_aws.client("kms")
    rotated = kms.create_key(Description="lake")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=rotated["KeyId"])
    kms.create_alias(AliasName="alias/lake", TargetKeyId=rotated["KeyId"])
    plain = kms.create_key(Description="scratch")["KeyMetadata"]
    mocked_aws.bucket("lake-raw")
    mocked_aws.encryption("lake-raw", "aws:kms", key="alias/lake")
    mocked_aws.bucket("lake-scratch")
    mocked_aws.encryption("lake-scratch", "aws:kms", key=plain["Arn"])
    session = live_session()
    result, stacks = scan_with(session, kms_collector())
    assert result.errors == []
    keys = {r.name: r for s in stacks for r in s.resources if r.type == "AWS::KMS::Key"}
    lake = keys[rotated["KeyId"]]
    assert lake.props["EnableKeyRotation"] is True and lake.props["KeyManager"] == "CUSTOMER"
    assert "alias/lake" in lake.props["Aliases"] and lake.arn == rotated["Arn"]
    assert lake.props["KeyPolicy"]["Statement"]
    assert keys[plain["KeyId"]].props["EnableKeyRotation"] is False
    buckets = {r.name: r for s in stacks for r in s.resources if r.type == "AWS::S3::Bucket"}
    assert buckets["lake-raw"].related("kms_keys") == [lake]
    assert buckets["lake-scratch"].related("kms_keys") == [keys[plain["KeyId"]]]
    assert {r.name for r in lake.related("encrypts")} == {"lake-raw"}
    performed = {op for (service, op) in session.guard.operations() if service == "kms"}
    assert performed == {c.operation for c in kms_collector()[0].calls}


def test_a_denied_rotation_read_is_an_unreadable_value(mocked_aws, live_session):
    from botocore.exceptions import ClientError

    kms = mocked_aws.client("kms")
    key = kms.create_key()["KeyMetadata"]

    def denied(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetKeyRotationStatus")

    def deny_rotation(client):
        if client.meta.service_model.service_name == "kms":
            client.get_key_rotation_status = denied

    session = live_session()
    session.on_client.append(deny_rotation)
    result, stacks = scan_with(session, kms_collector())
    (record,) = [r for s in stacks for r in s.resources if r.type == "AWS::KMS::Key"]
    value = record.props["EnableKeyRotation"]
    assert value.api_call == "GetKeyRotationStatus" and value.iam_action == "kms:GetKeyRotationStatus"
    assert "AccessDenied" in value.reason and record.name == key["KeyId"]


def test_plan_runs_only_the_collectors_the_selected_checks_read():
    config = build_config({}, None)
    only_buckets = ScanPlan.for_checks([s for s in SPECS if s.code == "LL102"], config)
    assert {c.name for c in only_buckets.collectors} == {"S3 buckets"}  # LL102 reads BucketEncryption only
    reads_keys = [s for s in SPECS if "AWS::KMS::Key" in s.resource_types and "live" in s.sources]
    if reads_keys:
        assert kms_collector()[0] in ScanPlan.for_checks(reads_keys, config).collectors
    assert json.dumps(iam.policy())

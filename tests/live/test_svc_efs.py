"""The EFS collector: file systems in ``AWS::EFS::FileSystem``'s shape, with lifecycle and backup policies."""

from __future__ import annotations

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)


def seed_full_scan(aws):
    """One file system with a lifecycle policy and automatic backups: every EFS call has an answer."""
    efs = aws.client("efs")
    fs_id = efs.create_file_system(CreationToken="seed", Encrypted=True, Backup=True)["FileSystemId"]
    efs.put_lifecycle_configuration(FileSystemId=fs_id, LifecyclePolicies=[{"TransitionToIA": "AFTER_30_DAYS"}])


def efs_collector():
    return [c for c in all_collectors() if c.name == "EFS file systems"]


def scan_efs(session, regions=("us-east-1",), extra=()):
    plan = ScanPlan.everything(collectors=efs_collector() + list(extra))
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def by_name(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def test_file_systems_have_cloudformation_shape(mocked_aws, live_session):
    efs = mocked_aws.client("efs")
    kms = mocked_aws.client("kms")
    key = kms.create_key()["KeyMetadata"]
    shared = efs.create_file_system(CreationToken="shared", Encrypted=True, KmsKeyId=key["Arn"], Backup=True,
                                    PerformanceMode="maxIO", Tags=[{"Key": "team", "Value": "lake"}])
    efs.put_lifecycle_configuration(FileSystemId=shared["FileSystemId"], LifecyclePolicies=[
        {"TransitionToIA": "AFTER_30_DAYS"}, {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}])
    plain = efs.create_file_system(CreationToken="plain")
    one_zone = mocked_aws.client("efs", "eu-west-1").create_file_system(CreationToken="nb",
                                                                          AvailabilityZoneName="eu-west-1a")
    session = live_session()
    kms_keys = [c for c in all_collectors() if c.name == "KMS keys"]
    result, stacks = scan_efs(session, regions=("us-east-1", "eu-west-1"), extra=kms_keys)
    assert result.errors == []
    systems = by_name(stacks, "AWS::EFS::FileSystem")
    assert set(systems) == {shared["FileSystemId"], plain["FileSystemId"], one_zone["FileSystemId"]}
    first = systems[shared["FileSystemId"]]
    assert first.props == {
        "Encrypted": True, "KmsKeyId": key["Arn"], "PerformanceMode": "maxIO", "ThroughputMode": "bursting",
        "FileSystemTags": [{"Key": "team", "Value": "lake"}], "BackupPolicy": {"Status": "ENABLED"},
        "LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"}, {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}]}
    assert first.arn == shared["FileSystemArn"] and first.region == "us-east-1"
    assert [k.name for k in first.related("kms_keys")] == [key["KeyId"]]
    second = systems[plain["FileSystemId"]]
    assert second.props["Encrypted"] is False
    assert "LifecyclePolicies" not in second.props and "BackupPolicy" not in second.props  # none: absent
    assert "KmsKeyId" not in second.props and "AvailabilityZoneName" not in second.props
    third = systems[one_zone["FileSystemId"]]
    assert third.region == "eu-west-1" and third.props["AvailabilityZoneName"] == "eu-west-1a"
    assert third.props["BackupPolicy"] == {"Status": "ENABLED"}
    performed = {op for (service, op) in session.guard.operations() if service == "efs"}
    assert performed == {c.operation for c in efs_collector()[0].calls}


@pytest.mark.parametrize("operation, key, action, codes", [
    ("DescribeLifecycleConfiguration", "LifecyclePolicies", "elasticfilesystem:DescribeLifecycleConfiguration",
     ["LL403"]),
    ("DescribeBackupPolicy", "BackupPolicy", "elasticfilesystem:DescribeBackupPolicy", ["LL404"]),
])
def test_a_denied_policy_read_is_an_unreadable_value(mocked_aws, live_session, operation, key, action, codes):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("efs", operation, "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    _, stacks = scan_efs(session)
    (fs,) = by_name(stacks, "AWS::EFS::FileSystem").values()
    value = fs.props[key]
    assert value.api_call == operation and value.iam_action == action and "AccessDenied" in value.reason
    assert fs.props["Encrypted"] is True  # the other reads still count

    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL401", "LL403", "LL404"]}, None), SPECS, regions=["us-east-1"],
                       session=session)
    assert report.findings == []
    assert [(e.check, e.resource, e.api_call, e.iam_action) for e in report.errors] == \
        [(code, fs.name, operation, action) for code in codes]


def test_a_denied_listing_is_an_error_naming_its_action(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("efs", "DescribeFileSystems", "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_efs(session)
    (error,) = result.errors
    assert error.api_call == "DescribeFileSystems" and error.iam_action == "elasticfilesystem:DescribeFileSystems"
    assert by_name(stacks, "AWS::EFS::FileSystem") == {}


def test_plan_collects_file_systems_and_keys_for_the_key_check():
    config = build_config({}, None)
    plan = ScanPlan.for_checks([s for s in SPECS if s.code == "LL402"], config)
    assert {c.name for c in plan.collectors} == {"EFS file systems", "KMS keys"}
    plan = ScanPlan.for_checks([s for s in SPECS if s.code in ("LL401", "LL403", "LL404")], config)
    assert [c.name for c in plan.collectors] == ["EFS file systems"]

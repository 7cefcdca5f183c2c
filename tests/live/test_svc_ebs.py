"""The EBS collector: volumes in ``AWS::EC2::Volume``'s shape and the Region's encryption defaults."""

from __future__ import annotations

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)
DEFAULT_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def seed_full_scan(aws):
    """One volume; the default key is answered (moto has no GetEbsDefaultKmsKeyId)."""
    aws.ec2.create_volume(AvailabilityZone="us-east-1a", Size=10)
    aws.answer("ec2", "GetEbsDefaultKmsKeyId", {"KmsKeyId": DEFAULT_KEY})


def ebs_collector():
    return [c for c in all_collectors() if c.name == "EBS volumes"]


def scan_ebs(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=ebs_collector())
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def by_name(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def test_volumes_and_defaults_have_cloudformation_shape(mocked_aws, live_session):
    ec2 = mocked_aws.ec2
    key = mocked_aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    plain = ec2.create_volume(AvailabilityZone="us-east-1a", Size=10, VolumeType="gp3",
                              TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "team", "Value": "lake"}]}])
    keyed = ec2.create_volume(AvailabilityZone="us-east-1b", Size=20, Encrypted=True, KmsKeyId=key)
    snapshot = ec2.create_snapshot(VolumeId=keyed["VolumeId"])["SnapshotId"]
    restored = ec2.create_volume(AvailabilityZone="us-east-1a", SnapshotId=snapshot)
    ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)
    mocked_aws.client("ec2", "eu-west-1").enable_ebs_encryption_by_default()
    mocked_aws.answer("ec2", "GetEbsDefaultKmsKeyId", {"KmsKeyId": DEFAULT_KEY})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_ebs(session, regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    volumes = by_name(stacks, "AWS::EC2::Volume")
    assert len(volumes) == 4  # the instance's root volume is a volume too
    first = volumes[plain["VolumeId"]]
    assert first.props == {"AvailabilityZone": "us-east-1a", "Size": 10, "VolumeType": "gp3", "Iops": 3000, "Encrypted": False,
                           "Tags": [{"Key": "team", "Value": "lake"}]}
    assert first.arn == f"arn:aws:ec2:us-east-1:123456789012:volume/{plain['VolumeId']}"
    assert first.region == "us-east-1" and first.account == "123456789012"
    second = volumes[keyed["VolumeId"]]
    assert second.props["Encrypted"] is True and second.props["KmsKeyId"] == key
    assert "SnapshotId" not in second.props
    assert volumes[restored["VolumeId"]].props["SnapshotId"] == snapshot
    defaults = by_name(stacks, "LakeLint::EC2::EbsDefaults")
    assert set(defaults) == {"us-east-1", "eu-west-1"}
    assert defaults["us-east-1"].props == {"EbsEncryptionByDefault": False, "KmsKeyId": DEFAULT_KEY}
    assert defaults["eu-west-1"].props["EbsEncryptionByDefault"] is True
    assert defaults["eu-west-1"].region == "eu-west-1"
    assert defaults["us-east-1"].arn == "arn:aws:iam::123456789012:root"
    performed = {op for (service, op) in session.guard.operations() if service == "ec2"}
    assert performed == {c.operation for c in ebs_collector()[0].calls}


def test_volumes_are_linked_to_their_key_records(mocked_aws, live_session):
    kms = mocked_aws.client("kms")
    key = kms.create_key()["KeyMetadata"]
    volume = mocked_aws.ec2.create_volume(AvailabilityZone="us-east-1a", Size=10, Encrypted=True, KmsKeyId=key["Arn"])
    mocked_aws.answer("ec2", "GetEbsDefaultKmsKeyId", {"KmsKeyId": key["Arn"]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    plan = ScanPlan.everything(collectors=ebs_collector() + [c for c in all_collectors() if c.name == "KMS keys"])
    stacks = build_stacks(scan(session, ["us-east-1"], plan, Progress(False)), plan)
    record = by_name(stacks, "AWS::EC2::Volume")[volume["VolumeId"]]
    assert [k.name for k in record.related("kms_keys")] == [key["KeyId"]]
    defaults = by_name(stacks, "LakeLint::EC2::EbsDefaults")["us-east-1"]
    assert [k.name for k in defaults.related("kms_keys")] == [key["KeyId"]]


def test_a_denied_setting_is_an_unreadable_value_and_a_could_not_evaluate(mocked_aws, live_session):
    mocked_aws.answer_error("ec2", "GetEbsEncryptionByDefault", "UnauthorizedOperation", status=403)
    mocked_aws.answer("ec2", "GetEbsDefaultKmsKeyId", {"KmsKeyId": DEFAULT_KEY})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    _, stacks = scan_ebs(session)
    value = by_name(stacks, "LakeLint::EC2::EbsDefaults")["us-east-1"].props["EbsEncryptionByDefault"]
    assert value.api_call == "GetEbsEncryptionByDefault" and value.iam_action == "ec2:GetEbsEncryptionByDefault"
    assert "AccessDenied" in value.reason

    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL413"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert error.check == "LL413" and error.resource == "us-east-1"
    assert error.api_call == "GetEbsEncryptionByDefault" and error.iam_action == "ec2:GetEbsEncryptionByDefault"


def test_a_denied_default_key_read_is_an_unreadable_value(mocked_aws, live_session):
    mocked_aws.answer_error("ec2", "GetEbsDefaultKmsKeyId", "UnauthorizedOperation", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    _, stacks = scan_ebs(session)
    value = by_name(stacks, "LakeLint::EC2::EbsDefaults")["us-east-1"].props["KmsKeyId"]
    assert value.api_call == "GetEbsDefaultKmsKeyId" and value.iam_action == "ec2:GetEbsDefaultKmsKeyId"


def test_a_denied_volume_listing_is_an_error_naming_its_action(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("ec2", "DescribeVolumes", "UnauthorizedOperation", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_ebs(session)
    (error,) = result.errors
    assert error.api_call == "DescribeVolumes" and error.iam_action == "ec2:DescribeVolumes"
    assert error.resource == "us-east-1"
    assert by_name(stacks, "AWS::EC2::Volume") == {}


def test_plan_collects_volumes_and_keys_for_the_key_check():
    config = build_config({}, None)
    plan = ScanPlan.for_checks([s for s in SPECS if s.code == "LL412"], config)
    assert {c.name for c in plan.collectors} == {"EBS volumes", "KMS keys"}
    plan = ScanPlan.for_checks([s for s in SPECS if s.code == "LL413"], config)
    assert [c.name for c in plan.collectors] == ["EBS volumes"]

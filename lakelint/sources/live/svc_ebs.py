"""EBS volumes of one region in ``AWS::EC2::Volume``'s shape, and the region's EBS encryption defaults.

Every volume counts, whoever created it: an instance's root volume, a volume an Auto Scaling group
or EMR launched, a volume restored from a snapshot. A live volume always says whether it is
encrypted and, when it is, with which key, so nothing here "depends on the account default": that
default is a separate region-level record, ``LakeLint::EC2::EbsDefaults`` (one per region, named
after it), which LL413 reads:

- ``EbsEncryptionByDefault``: from ``GetEbsEncryptionByDefault``;
- ``KmsKeyId``: the key new volumes get by default, from ``GetEbsDefaultKmsKeyId`` (linked to the
  key record like any other key reference).

Volumes carry no owner or ARN in ``DescribeVolumes``; their ARNs are built from the account the
credentials belong to (``GetCallerIdentity``, read once per scan).
"""

from __future__ import annotations

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.collector_support import account_id
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.services import LiveRecord, ServiceCollector

DESCRIBE_VOLUMES = _call("ec2", "DescribeVolumes", "ec2:DescribeVolumes")
GET_EBS_ENCRYPTION_BY_DEFAULT = _call("ec2", "GetEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault")
GET_EBS_DEFAULT_KMS_KEY_ID = _call("ec2", "GetEbsDefaultKmsKeyId", "ec2:GetEbsDefaultKmsKeyId")

VOLUME_TYPE = "AWS::EC2::Volume"
DEFAULTS_TYPE = "LakeLint::EC2::EbsDefaults"
GONE = ("deleting", "deleted")
# DescribeVolumes field -> AWS::EC2::Volume property, where the two agree
_SAME = ("AvailabilityZone", "Size", "VolumeType", "Iops", "Throughput", "Encrypted", "KmsKeyId",
         "MultiAttachEnabled", "OutpostArn")


def volume_props(volume: dict) -> dict:
    """One ``DescribeVolumes`` entry as CloudFormation declares a volume. ``Encrypted`` is always in
    the answer; ``KmsKeyId`` only on an encrypted volume; an empty ``SnapshotId`` means none."""
    props = {key: volume[key] for key in _SAME if key in volume}
    if volume.get("SnapshotId"):
        props["SnapshotId"] = volume["SnapshotId"]
    if volume.get("Tags"):
        props["Tags"] = [{"Key": t.get("Key"), "Value": t.get("Value")} for t in volume["Tags"]]
    return props


def _defaults(session, region, account, partition) -> LiveRecord:
    props = {}
    try:
        answer = session.read(GET_EBS_ENCRYPTION_BY_DEFAULT, region) or {}
        props["EbsEncryptionByDefault"] = bool(answer.get("EbsEncryptionByDefault"))
    except Fault as fault:
        props["EbsEncryptionByDefault"] = fault.value()
    try:
        answer = session.read(GET_EBS_DEFAULT_KMS_KEY_ID, region) or {}
        if answer.get("KmsKeyId"):
            props["KmsKeyId"] = answer["KmsKeyId"]
    except Fault as fault:
        props["KmsKeyId"] = fault.value()
    arn = f"arn:{partition}:iam::{account}:root"  # the setting belongs to the account, per region
    return LiveRecord(type=DEFAULTS_TYPE, name=region, props=props, arn=arn)


def collect(session, region) -> list:
    account = account_id(session)  # a Fault here fails the region's listing: findings need ARNs
    partition = session.partition(region)
    records = [_defaults(session, region, account, partition)]
    for page in session.pages(DESCRIBE_VOLUMES, region):
        for volume in page.get("Volumes") or []:
            if volume.get("State") in GONE:
                continue
            volume_id = volume["VolumeId"]
            arn = f"arn:{partition}:ec2:{region}:{account}:volume/{volume_id}"
            records.append(LiveRecord(type=VOLUME_TYPE, name=volume_id, props=volume_props(volume), arn=arn))
    return records


COLLECTOR = ServiceCollector(
    name="EBS volumes",
    resource_types=(VOLUME_TYPE, DEFAULTS_TYPE),
    calls=(DESCRIBE_VOLUMES, GET_EBS_ENCRYPTION_BY_DEFAULT, GET_EBS_DEFAULT_KMS_KEY_ID),
    collect=collect,
)

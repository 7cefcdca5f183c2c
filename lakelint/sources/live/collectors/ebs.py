"""EBS volumes of one region in ``AWS::EC2::Volume``'s shape, and the region's EBS encryption defaults.

Every volume counts, whoever created it: an instance's root volume, a volume an Auto Scaling group
or EMR launched, a volume restored from a snapshot. A live volume always says whether it is
encrypted and, when it is, with which key, so nothing here "depends on the account default": that
default is a separate region-level record, ``LakeLint::EC2::EbsDefaults`` (one per region, named
after it), which LL413 reads:

- ``EbsEncryptionByDefault``: from ``GetEbsEncryptionByDefault``;
- ``KmsKeyId``: the key new volumes get by default, from ``GetEbsDefaultKmsKeyId`` (linked to the
  key record like any other key reference).

Volumes carry no owner or ARN in ``DescribeVolumes``; their ARNs are built from the scanned account
(``GetCallerIdentity``, read once per scan). The defaults record exists in every region whether or not
the account uses EBS there: it is a regional default (see regions.py).
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault

DESCRIBE_VOLUMES = read_call("ec2", "DescribeVolumes", "ec2:DescribeVolumes")
GET_EBS_ENCRYPTION_BY_DEFAULT = read_call("ec2", "GetEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault")
GET_EBS_DEFAULT_KMS_KEY_ID = read_call("ec2", "GetEbsDefaultKmsKeyId", "ec2:GetEbsDefaultKmsKeyId")

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


def _defaults(ctx, region, account, partition) -> LiveRecord:
    props = {}
    if ctx.wants(GET_EBS_ENCRYPTION_BY_DEFAULT):
        try:
            answer = ctx.read(GET_EBS_ENCRYPTION_BY_DEFAULT, region) or {}
            props["EbsEncryptionByDefault"] = bool(answer.get("EbsEncryptionByDefault"))
        except Fault as fault:
            props["EbsEncryptionByDefault"] = fault.value()
    if ctx.wants(GET_EBS_DEFAULT_KMS_KEY_ID):
        try:
            answer = ctx.read(GET_EBS_DEFAULT_KMS_KEY_ID, region) or {}
            if answer.get("KmsKeyId"):
                props["KmsKeyId"] = answer["KmsKeyId"]
        except Fault as fault:
            props["KmsKeyId"] = fault.value()
    arn = f"arn:{partition}:iam::{account}:root"  # the setting belongs to the account, per region
    return LiveRecord(type=DEFAULTS_TYPE, name=region, props=props, arn=arn, default=True)


def collect(ctx, region) -> list:
    account, partition = ctx.account, ctx.partition(region)
    records = [_defaults(ctx, region, account, partition)] if ctx.lists(DEFAULTS_TYPE) else []
    if not ctx.wants(DESCRIBE_VOLUMES):
        return records
    for page in ctx.pages(DESCRIBE_VOLUMES, region):
        for volume in page.get("Volumes") or []:
            if volume.get("State") in GONE:
                continue
            volume_id = volume["VolumeId"]
            arn = f"arn:{partition}:ec2:{region}:{account}:volume/{volume_id}"
            records.append(LiveRecord(type=VOLUME_TYPE, name=volume_id, props=volume_props(volume), arn=arn))
    return records


COLLECTOR = Collector(
    name="EBS volumes",
    types={
        VOLUME_TYPE: provides(DESCRIBE_VOLUMES, fields(DESCRIBE_VOLUMES, *_SAME, "SnapshotId", "Tags")),
        DEFAULTS_TYPE: provides((), {**fields(GET_EBS_ENCRYPTION_BY_DEFAULT, "EbsEncryptionByDefault"),
                                     **fields(GET_EBS_DEFAULT_KMS_KEY_ID, "KmsKeyId")}),
    },
    collect=collect,
)

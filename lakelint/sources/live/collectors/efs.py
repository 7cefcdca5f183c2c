"""EFS file systems of one region in ``AWS::EFS::FileSystem``'s shape, with lifecycle and backup policies.

``DescribeFileSystems`` gives ``Encrypted``, ``KmsKeyId`` (the key's ARN, whoever manages it: the
inventory links it to the key record), the performance and throughput modes and, for a One Zone file
system, ``AvailabilityZoneName``. Two reads per file system add what CloudFormation declares inline:

- ``LifecyclePolicies`` from ``DescribeLifecycleConfiguration``: an empty list (no policy) is absent;
- ``BackupPolicy`` ``{Status}`` from ``DescribeBackupPolicy``: ``PolicyNotFound`` (no policy, so no
  automatic backups) is absent.

File systems being deleted are left out: they hold nothing to protect.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault

DESCRIBE_FILE_SYSTEMS = read_call("efs", "DescribeFileSystems", "elasticfilesystem:DescribeFileSystems")
DESCRIBE_LIFECYCLE_CONFIGURATION = read_call("efs", "DescribeLifecycleConfiguration",
                                         "elasticfilesystem:DescribeLifecycleConfiguration")
DESCRIBE_BACKUP_POLICY = read_call("efs", "DescribeBackupPolicy", "elasticfilesystem:DescribeBackupPolicy",
                               "PolicyNotFound")

FILE_SYSTEM_TYPE = "AWS::EFS::FileSystem"
GONE = ("deleting", "deleted")
# DescribeFileSystems field -> AWS::EFS::FileSystem property, where the two agree
_SAME = ("Encrypted", "KmsKeyId", "PerformanceMode", "ThroughputMode", "ProvisionedThroughputInMibps",
         "AvailabilityZoneName")


def file_system_props(described: dict) -> dict:
    props = {key: described[key] for key in _SAME if described.get(key) is not None}
    if described.get("Tags"):
        props["FileSystemTags"] = [{"Key": t.get("Key"), "Value": t.get("Value")} for t in described["Tags"]]
    protection = (described.get("FileSystemProtection") or {}).get("ReplicationOverwriteProtection")
    if protection:
        props["FileSystemProtection"] = {"ReplicationOverwriteProtection": protection}
    return props


def _lifecycle(ctx, region, fs_id):
    try:
        answer = ctx.read(DESCRIBE_LIFECYCLE_CONFIGURATION, region, FileSystemId=fs_id) or {}
    except Fault as fault:
        return fault.value()
    policies = [dict(p) for p in answer.get("LifecyclePolicies") or []]
    return policies or None


def _backup_policy(ctx, region, fs_id):
    try:
        answer = ctx.read(DESCRIBE_BACKUP_POLICY, region, FileSystemId=fs_id)
    except Fault as fault:
        return fault.value()
    status = ((answer or {}).get("BackupPolicy") or {}).get("Status")
    return {"Status": status} if status else None


def collect(ctx, region) -> list:
    records = []
    for page in ctx.pages(DESCRIBE_FILE_SYSTEMS, region):
        for described in page.get("FileSystems") or []:
            if described.get("LifeCycleState") in GONE:
                continue
            fs_id = described["FileSystemId"]
            props = file_system_props(described)
            for key, call, read in (("LifecyclePolicies", DESCRIBE_LIFECYCLE_CONFIGURATION, _lifecycle),
                                    ("BackupPolicy", DESCRIBE_BACKUP_POLICY, _backup_policy)):
                value = read(ctx, region, fs_id) if ctx.wants(call) else None
                if value is not None:
                    props[key] = value
            records.append(LiveRecord(type=FILE_SYSTEM_TYPE, name=fs_id, props=props,
                                      arn=described.get("FileSystemArn")))
    return records


COLLECTOR = Collector(
    name="EFS file systems",
    types={FILE_SYSTEM_TYPE: provides(DESCRIBE_FILE_SYSTEMS, {
        **fields(DESCRIBE_FILE_SYSTEMS, *_SAME, "FileSystemTags", "FileSystemProtection"),
        **fields(DESCRIBE_LIFECYCLE_CONFIGURATION, "LifecyclePolicies"),
        **fields(DESCRIBE_BACKUP_POLICY, "BackupPolicy")})},
    collect=collect,
)

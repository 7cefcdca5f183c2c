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

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.services import LiveRecord, ServiceCollector

DESCRIBE_FILE_SYSTEMS = _call("efs", "DescribeFileSystems", "elasticfilesystem:DescribeFileSystems")
DESCRIBE_LIFECYCLE_CONFIGURATION = _call("efs", "DescribeLifecycleConfiguration",
                                         "elasticfilesystem:DescribeLifecycleConfiguration")
DESCRIBE_BACKUP_POLICY = _call("efs", "DescribeBackupPolicy", "elasticfilesystem:DescribeBackupPolicy",
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


def _lifecycle(session, region, fs_id):
    try:
        answer = session.read(DESCRIBE_LIFECYCLE_CONFIGURATION, region, FileSystemId=fs_id) or {}
    except Fault as fault:
        return fault.value()
    policies = [dict(p) for p in answer.get("LifecyclePolicies") or []]
    return policies or None


def _backup_policy(session, region, fs_id):
    try:
        answer = session.read(DESCRIBE_BACKUP_POLICY, region, FileSystemId=fs_id)
    except Fault as fault:
        return fault.value()
    status = ((answer or {}).get("BackupPolicy") or {}).get("Status")
    return {"Status": status} if status else None


def collect(session, region) -> list:
    records = []
    for page in session.pages(DESCRIBE_FILE_SYSTEMS, region):
        for described in page.get("FileSystems") or []:
            if described.get("LifeCycleState") in GONE:
                continue
            fs_id = described["FileSystemId"]
            props = file_system_props(described)
            for key, value in (("LifecyclePolicies", _lifecycle(session, region, fs_id)),
                               ("BackupPolicy", _backup_policy(session, region, fs_id))):
                if value is not None:
                    props[key] = value
            records.append(LiveRecord(type=FILE_SYSTEM_TYPE, name=fs_id, props=props,
                                      arn=described.get("FileSystemArn")))
    return records


COLLECTOR = ServiceCollector(
    name="EFS file systems",
    resource_types=(FILE_SYSTEM_TYPE,),
    calls=(DESCRIBE_FILE_SYSTEMS, DESCRIBE_LIFECYCLE_CONFIGURATION, DESCRIBE_BACKUP_POLICY),
    collect=collect,
)

"""RDS DB instances and DB clusters of one region, in ``AWS::RDS::DBInstance`` / ``AWS::RDS::DBCluster`` shape.

Two paginated listings say everything the RDS checks read, so no resource needs a call of its own. The
RDS API also answers for DocumentDB and Neptune (same endpoint, ``Engine`` "docdb" / "neptune"): those
are other CloudFormation types and are left out here (docdb.py reads DocumentDB clusters).

Live values are exact where a template leaves a default to AWS: an instance always says whether it is
``PubliclyAccessible``, ``MultiAZ``, ``StorageEncrypted``. A DB instance that belongs to a cluster
(Aurora, Multi-AZ DB cluster) carries ``DBClusterIdentifier`` and is linked to its cluster as templates
link them (``cluster.related("instances")``, ``instance.related("clusters")``), so the checks judge the
cluster, not its members, exactly as on templates.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides

DESCRIBE_DB_INSTANCES = read_call("rds", "DescribeDBInstances", "rds:DescribeDBInstances")
DESCRIBE_DB_CLUSTERS = read_call("rds", "DescribeDBClusters", "rds:DescribeDBClusters")

OTHER_SERVICES = ("docdb", "neptune")  # engines the RDS API lists that are not AWS::RDS::* resources

# API field -> CloudFormation property, for fields that mean the same thing under another name
COMMON = {
    "Engine": "Engine", "EngineVersion": "EngineVersion", "StorageEncrypted": "StorageEncrypted",
    "KmsKeyId": "KmsKeyId", "BackupRetentionPeriod": "BackupRetentionPeriod",
    "DeletionProtection": "DeletionProtection", "IAMDatabaseAuthenticationEnabled": "EnableIAMDatabaseAuthentication",
    "StorageType": "StorageType",
}
INSTANCE = {
    **COMMON, "DBInstanceIdentifier": "DBInstanceIdentifier", "DBInstanceClass": "DBInstanceClass",
    "PubliclyAccessible": "PubliclyAccessible", "MultiAZ": "MultiAZ", "DBClusterIdentifier": "DBClusterIdentifier",
    "ReadReplicaSourceDBInstanceIdentifier": "SourceDBInstanceIdentifier",
}
CLUSTER = {
    **COMMON, "DBClusterIdentifier": "DBClusterIdentifier", "EngineMode": "EngineMode",
    "DBClusterInstanceClass": "DBClusterInstanceClass", "DBSubnetGroup": "DBSubnetGroupName",
    "DBClusterParameterGroup": "DBClusterParameterGroupName",
}


# What a template says a database is created from; the listing reports the outcome (StorageEncrypted,
# KmsKeyId) instead, so live these are absent (collector.fields says why).
CREATION_INPUTS = {
    "AWS::RDS::DBInstance": ("DBSnapshotIdentifier", "SourceDBInstanceAutomatedBackupsArn", "SourceDbiResourceId"),
    "AWS::RDS::DBCluster": ("SnapshotIdentifier", "SourceDBClusterIdentifier", "GlobalClusterIdentifier"),
}


def _mapped(item: dict, mapping: dict) -> dict:
    return {cfn: item[api] for api, cfn in mapping.items() if item.get(api) not in (None, "")}


def _log_exports(item: dict, props: dict) -> None:
    """``EnabledCloudwatchLogsExports`` (the API's name) is absent when nothing is exported; moto says []."""
    exports = item.get("EnabledCloudwatchLogsExports")
    if exports:
        props["EnableCloudwatchLogsExports"] = list(exports)


def instance_record(item: dict) -> LiveRecord:
    props = _mapped(item, INSTANCE)
    subnet_group = (item.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")
    if subnet_group:
        props["DBSubnetGroupName"] = subnet_group
    _log_exports(item, props)
    links = []
    if props.get("DBClusterIdentifier"):
        links.append(("clusters", "AWS::RDS::DBCluster", props["DBClusterIdentifier"], "instances"))
    return LiveRecord(type="AWS::RDS::DBInstance", name=item["DBInstanceIdentifier"], props=props,
                      arn=item.get("DBInstanceArn"), links=links)


def cluster_record(item: dict) -> LiveRecord:
    props = _mapped(item, CLUSTER)
    if "DBClusterInstanceClass" in props and "PubliclyAccessible" in item:
        # only Multi-AZ DB clusters have the setting; on Aurora each instance carries its own
        props["PubliclyAccessible"] = item["PubliclyAccessible"]
    _log_exports(item, props)
    return LiveRecord(type="AWS::RDS::DBCluster", name=item["DBClusterIdentifier"], props=props,
                      arn=item.get("DBClusterArn"))


def _rds_engine(item: dict) -> bool:
    return str(item.get("Engine") or "").lower() not in OTHER_SERVICES


def collect(ctx, region) -> list:
    records = []
    if ctx.wants(DESCRIBE_DB_INSTANCES):
        for page in ctx.pages(DESCRIBE_DB_INSTANCES, region):
            records += [instance_record(i) for i in page.get("DBInstances") or [] if _rds_engine(i)]
    if ctx.wants(DESCRIBE_DB_CLUSTERS):
        for page in ctx.pages(DESCRIBE_DB_CLUSTERS, region):
            records += [cluster_record(c) for c in page.get("DBClusters") or [] if _rds_engine(c)]
    return records


COLLECTOR = Collector(
    name="RDS databases",
    types={
        "AWS::RDS::DBInstance": provides(DESCRIBE_DB_INSTANCES, fields(
            DESCRIBE_DB_INSTANCES, *INSTANCE.values(), "DBSubnetGroupName", "EnableCloudwatchLogsExports",
            *CREATION_INPUTS["AWS::RDS::DBInstance"])),
        "AWS::RDS::DBCluster": provides(DESCRIBE_DB_CLUSTERS, fields(
            DESCRIBE_DB_CLUSTERS, *CLUSTER.values(), "PubliclyAccessible", "EnableCloudwatchLogsExports",
            *CREATION_INPUTS["AWS::RDS::DBCluster"])),
    },
    collect=collect,
)

"""DocumentDB clusters of one region and their cluster parameter groups, in CloudFormation's shape.

DocumentDB is served by the RDS API (same endpoint, ``rds:*`` IAM actions); ``DescribeDBClusters``
with the ``engine`` filter ``docdb`` lists only DocumentDB clusters. Each cluster names its cluster
parameter group, default groups included; the groups' parameters are read once per group
(``DescribeDBClusterParameters``) and become ``AWS::DocDB::DBClusterParameterGroup`` records whose
``Parameters`` map names to values (``{"tls": "enabled", "audit_logs": "disabled", ...}``), linked as
templates link them: ``cluster.related("parameter_groups")``, ``group.related("clusters")``.

A default group is read too: its values are AWS's defaults (``audit_logs`` and ``profiler``
disabled, ``tls`` enabled), which is exactly what a cluster that uses it runs with. Parameters that
could not be read are the Unreadable at ``Parameters``.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault

DESCRIBE_DB_CLUSTERS = read_call("docdb", "DescribeDBClusters", "rds:DescribeDBClusters")
DESCRIBE_DB_CLUSTER_PARAMETERS = read_call("docdb", "DescribeDBClusterParameters", "rds:DescribeDBClusterParameters",
                                       "DBParameterGroupNotFound")

CLUSTER_TYPE = "AWS::DocDB::DBCluster"
GROUP_TYPE = "AWS::DocDB::DBClusterParameterGroup"
ENGINE_FILTER = [{"Name": "engine", "Values": ["docdb"]}]

CLUSTER = {
    "DBClusterIdentifier": "DBClusterIdentifier", "EngineVersion": "EngineVersion",
    "StorageEncrypted": "StorageEncrypted", "KmsKeyId": "KmsKeyId", "BackupRetentionPeriod": "BackupRetentionPeriod",
    "DeletionProtection": "DeletionProtection", "DBClusterParameterGroup": "DBClusterParameterGroupName",
    "DBSubnetGroup": "DBSubnetGroupName", "StorageType": "StorageType", "Port": "Port",
}


def cluster_record(item: dict) -> LiveRecord:
    props = {cfn: item[api] for api, cfn in CLUSTER.items() if item.get(api) not in (None, "")}
    if item.get("EnabledCloudwatchLogsExports"):
        props["EnableCloudwatchLogsExports"] = list(item["EnabledCloudwatchLogsExports"])
    group = props.get("DBClusterParameterGroupName")
    links = [("parameter_groups", GROUP_TYPE, group, "clusters")] if group else []
    return LiveRecord(type=CLUSTER_TYPE, name=item["DBClusterIdentifier"], props=props,
                      arn=item.get("DBClusterArn"), links=links)


def group_record(ctx, region, name, partition, account) -> LiveRecord | None:
    """The group's parameters that have a value; None when the group is gone."""
    arn = f"arn:{partition}:rds:{region}:{account}:cluster-pg:{name}" if account else None
    if not ctx.wants(DESCRIBE_DB_CLUSTER_PARAMETERS):
        return LiveRecord(type=GROUP_TYPE, name=name, props={"Name": name}, arn=arn)
    parameters = {}
    try:
        for page in ctx.pages(DESCRIBE_DB_CLUSTER_PARAMETERS, region, DBClusterParameterGroupName=name):
            for parameter in page.get("Parameters") or []:
                if parameter.get("ParameterName") and parameter.get("ParameterValue") is not None:
                    parameters[parameter["ParameterName"]] = parameter["ParameterValue"]
    except Fault as fault:
        if fault.code in DESCRIBE_DB_CLUSTER_PARAMETERS.not_configured:
            return None
        parameters = fault.value()
    return LiveRecord(type=GROUP_TYPE, name=name, props={"Name": name, "Parameters": parameters}, arn=arn)


def _owner(arn: str | None) -> tuple:
    """(partition, account) from a cluster ARN: ``arn:aws:rds:us-east-1:123456789012:cluster:x``."""
    parts = (arn or "").split(":")
    return (parts[1], parts[4]) if len(parts) > 5 else ("aws", None)


def collect(ctx, region) -> list:
    clusters = [c for page in ctx.pages(DESCRIBE_DB_CLUSTERS, region, Filters=ENGINE_FILTER)
                for c in page.get("DBClusters") or [] if str(c.get("Engine") or "").lower() == "docdb"]
    records = [cluster_record(c) for c in clusters]
    groups = {}
    for cluster in clusters:
        if cluster.get("DBClusterParameterGroup"):
            groups.setdefault(cluster["DBClusterParameterGroup"], _owner(cluster.get("DBClusterArn")))
    for name, (partition, account) in groups.items():
        record = group_record(ctx, region, name, partition, account)
        if record is not None:
            records.append(record)
    return records


COLLECTOR = Collector(
    name="DocumentDB clusters",
    types={
        # SnapshotIdentifier, SourceDBClusterIdentifier: creation inputs, absent live (collector.fields)
        CLUSTER_TYPE: provides(DESCRIBE_DB_CLUSTERS, fields(DESCRIBE_DB_CLUSTERS, *CLUSTER.values(),
                                                            "EnableCloudwatchLogsExports", "SnapshotIdentifier",
                                                            "SourceDBClusterIdentifier")),
        GROUP_TYPE: provides(DESCRIBE_DB_CLUSTERS, {**fields(DESCRIBE_DB_CLUSTERS, "Name"),
                                                    **fields(DESCRIBE_DB_CLUSTER_PARAMETERS, "Parameters")}),
    },
    collect=collect,
)

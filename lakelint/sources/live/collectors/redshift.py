"""Redshift provisioned clusters of one region, in ``AWS::Redshift::Cluster``'s shape, and the
parameter groups they use, in ``AWS::Redshift::ClusterParameterGroup``'s.

- ``DescribeClusters`` gives the cluster's own settings (encryption and its key, public access,
  enhanced VPC routing, subnet group, parameter group). Live values are exact booleans: a cluster
  always says whether it is encrypted or publicly accessible.
- ``DescribeLoggingStatus`` gives ``LoggingProperties``: present only when audit logging is on, as a
  template that leaves it out means "off".
- ``DescribeClusterParameters`` of every parameter group a cluster uses, the AWS default groups
  included (their ``require_ssl`` differs by family), gives ``Parameters`` as a template lists them.
  Each group is read once, however many clusters share it.

Clusters link to their group as templates link them: ``cluster.related("parameter_groups")`` and
``group.related("clusters")``. The cluster's ``KmsKeyId`` links it to its KMS key record.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.regional import offered_in

SERVICE = "redshift"
CLUSTER_TYPE = "AWS::Redshift::Cluster"
GROUP_TYPE = "AWS::Redshift::ClusterParameterGroup"

DESCRIBE_CLUSTERS = read_call(SERVICE, "DescribeClusters", "redshift:DescribeClusters")
DESCRIBE_LOGGING_STATUS = read_call(SERVICE, "DescribeLoggingStatus", "redshift:DescribeLoggingStatus")
DESCRIBE_CLUSTER_PARAMETERS = read_call(SERVICE, "DescribeClusterParameters", "redshift:DescribeClusterParameters")

# DescribeClusters field -> the CloudFormation property of the same meaning, copied when present
_COPIED = ("NodeType", "NumberOfNodes", "DBName", "MasterUsername", "ClusterVersion", "AvailabilityZone",
           "PreferredMaintenanceWindow", "AutomatedSnapshotRetentionPeriod", "ManualSnapshotRetentionPeriod",
           "AllowVersionUpgrade", "AquaConfigurationStatus", "MultiAZ")


def cluster_props(cluster: dict) -> dict:
    """The CloudFormation properties DescribeClusters answers for one cluster (logging aside)."""
    props = {"ClusterIdentifier": cluster["ClusterIdentifier"],
             "Encrypted": bool(cluster.get("Encrypted")),
             "PubliclyAccessible": bool(cluster.get("PubliclyAccessible")),
             "EnhancedVpcRouting": bool(cluster.get("EnhancedVpcRouting"))}
    nodes = cluster.get("NumberOfNodes")
    if nodes is not None:
        props["ClusterType"] = "single-node" if nodes == 1 else "multi-node"
    for key in _COPIED:
        if cluster.get(key) not in (None, ""):
            props[key] = cluster[key]
    if cluster.get("MultiAZ") is not None:
        props["MultiAZ"] = str(cluster["MultiAZ"]).lower() == "enabled"
    for key in ("KmsKeyId", "ClusterSubnetGroupName", "VpcId"):
        if cluster.get(key):
            props[key] = cluster[key]
    endpoint = cluster.get("Endpoint") or {}
    if endpoint.get("Port") is not None:
        props["Port"] = endpoint["Port"]
    groups = [g["ParameterGroupName"] for g in cluster.get("ClusterParameterGroups") or [] if g.get("ParameterGroupName")]
    if groups:
        props["ClusterParameterGroupName"] = groups[0]
    security_groups = [g["VpcSecurityGroupId"] for g in cluster.get("VpcSecurityGroups") or []
                       if g.get("VpcSecurityGroupId")]
    if security_groups:
        props["VpcSecurityGroupIds"] = security_groups
    roles = [r["IamRoleArn"] for r in cluster.get("IamRoles") or [] if r.get("IamRoleArn")]
    if roles:
        props["IamRoles"] = roles
    tags = [{"Key": t["Key"], "Value": t.get("Value", "")} for t in cluster.get("Tags") or [] if "Key" in t]
    if tags:
        props["Tags"] = tags
    return props


def logging_properties(status: dict):
    """``LoggingProperties`` from DescribeLoggingStatus, or None when audit logging is off."""
    if not status.get("LoggingEnabled"):
        return None
    logging = {"LogDestinationType": status.get("LogDestinationType") or "s3"}
    for key in ("BucketName", "S3KeyPrefix"):
        if status.get(key):
            logging[key] = status[key]
    if status.get("LogExports"):
        logging["LogExports"] = list(status["LogExports"])
    return logging


def group_parameters(ctx, region, name):
    """Every parameter of a group with a value, as ``[{ParameterName, ParameterValue}]``, or an
    Unreadable when the read failed."""
    try:
        found = []
        for page in ctx.pages(DESCRIBE_CLUSTER_PARAMETERS, region, ParameterGroupName=name):
            for parameter in page.get("Parameters") or []:
                if parameter.get("ParameterName") and parameter.get("ParameterValue") is not None:
                    found.append({"ParameterName": parameter["ParameterName"],
                                  "ParameterValue": parameter["ParameterValue"]})
        return found
    except Fault as fault:
        return fault.value()


def collect(ctx, region) -> list:
    if not offered_in(ctx, SERVICE, region):
        return []
    records, group_names = [], []
    for page in ctx.pages(DESCRIBE_CLUSTERS, region):
        for cluster in page.get("Clusters") or []:
            name = cluster["ClusterIdentifier"]
            props = cluster_props(cluster)
            if ctx.wants(DESCRIBE_LOGGING_STATUS):
                try:
                    status = ctx.read(DESCRIBE_LOGGING_STATUS, region, ClusterIdentifier=name)
                    logging = logging_properties(status or {})
                    if logging is not None:
                        props["LoggingProperties"] = logging
                except Fault as fault:
                    props["LoggingProperties"] = fault.value()
            links = []
            group = props.get("ClusterParameterGroupName")
            if group:
                links.append(("parameter_groups", GROUP_TYPE, group, "clusters"))
                if group not in group_names:
                    group_names.append(group)
            records.append(LiveRecord(type=CLUSTER_TYPE, name=name, props=props, links=links,
                                      arn=ctx.arn(SERVICE, region, f"cluster:{name}")))
    if not ctx.lists(GROUP_TYPE):
        return records
    for name in group_names:
        props = {"ParameterGroupName": name}
        if ctx.wants(DESCRIBE_CLUSTER_PARAMETERS):
            props["Parameters"] = group_parameters(ctx, region, name)
        if name.lower().startswith("default."):
            props["ParameterGroupFamily"] = name[len("default."):]
        records.append(LiveRecord(type=GROUP_TYPE, name=name, props=props,
                                  arn=ctx.arn(SERVICE, region, f"parametergroup:{name}")))
    return records


_CLUSTER_KEYS = ("ClusterIdentifier", "Encrypted", "PubliclyAccessible", "EnhancedVpcRouting", "ClusterType",
                 *_COPIED, "KmsKeyId", "ClusterSubnetGroupName", "VpcId", "Port", "ClusterParameterGroupName",
                 "VpcSecurityGroupIds", "IamRoles", "Tags",
                 # creation inputs, absent live (collector.fields): Encrypted and KmsKeyId say the outcome
                 "SnapshotIdentifier", "SnapshotClusterIdentifier", "OwnerAccount")
COLLECTOR = Collector(
    name="Redshift clusters",
    types={
        CLUSTER_TYPE: provides(DESCRIBE_CLUSTERS, {**fields(DESCRIBE_CLUSTERS, *_CLUSTER_KEYS),
                                                   **fields(DESCRIBE_LOGGING_STATUS, "LoggingProperties")}),
        GROUP_TYPE: provides(DESCRIBE_CLUSTERS, {**fields(DESCRIBE_CLUSTERS, "ParameterGroupName",
                                                          "ParameterGroupFamily"),
                                                 **fields(DESCRIBE_CLUSTER_PARAMETERS, "Parameters")}),
    },
    collect=collect,
)

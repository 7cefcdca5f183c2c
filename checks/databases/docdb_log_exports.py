"""A DocumentDB cluster that does not export its audit and profiler logs.

## What it does
Checks that every `AWS::DocDB::DBCluster` lists both `audit` and `profiler` in
`EnableCloudwatchLogsExports`, and that a cluster parameter group in the same template does not turn
the matching parameter off (`audit_logs: disabled`/`none`, `profiler: disabled`), which would leave
nothing to export. Each `Fn::If` branch is checked; a list item removed with `AWS::NoValue` does not
count.

Live, the list is `EnabledCloudwatchLogsExports` in `DescribeDBClusters`, and the cluster's
parameter group, a default one included, is read with `DescribeDBClusterParameters`: a default group
leaves `audit_logs` and `profiler` disabled. Parameters that cannot be read make the cluster
unverifiable, as does, in a template, a group parameter whose value is known only at deploy time.

**When the property is absent:** no logs are exported to CloudWatch Logs.

## Why it matters
DocumentDB's audit log records authentication, DDL and (optionally) reads and writes: the trail of who
touched the data before it reached the lake. The profiler log records slow operations, the first place
to look when ingestion from the cluster slows down. Neither is kept anywhere unless exported.

## Example
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    EnableCloudwatchLogsExports: [profiler]        # LL525: no audit
```

## Fix
```yaml
CatalogParams:
  Type: AWS::DocDB::DBClusterParameterGroup
  Properties:
    Family: docdb5.0
    Description: audit and profiler on
    Parameters: {audit_logs: enabled, profiler: enabled, tls: enabled}
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    DBClusterParameterGroupName: !Ref CatalogParams
    EnableCloudwatchLogsExports: [audit, profiler]
```
With the AWS CLI:
```sh
aws docdb modify-db-cluster --db-cluster-identifier catalog \
  --cloudwatch-logs-export-configuration '{"EnableLogTypes":["audit","profiler"]}'
aws docdb modify-db-cluster-parameter-group --db-cluster-parameter-group-name catalog-params \
  --parameters ParameterName=audit_logs,ParameterValue=enabled,ApplyMethod=immediate \
               ParameterName=profiler,ParameterValue=enabled,ApplyMethod=immediate
```

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html
- https://docs.aws.amazon.com/documentdb/latest/developerguide/profiling.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbcluster.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read, read_together
from lakelint.core.values import MISSING, dig, show

from ._databases import text, where

CLUSTER_TYPE = "AWS::DocDB::DBCluster"
GROUP_TYPE = "AWS::DocDB::DBClusterParameterGroup"
KEY = "EnableCloudwatchLogsExports"
REQUIRED = ("audit", "profiler")
# the cluster parameter that turns each log off, and the values that do
SWITCHES = {"audit": ("audit_logs", ("disabled", "none")), "profiler": ("profiler", ("disabled",))}


@check(code="LL525", name="docdb-log-exports", severity="low",
       title="DocumentDB audit and profiler logs not exported",
       resource_types=[CLUSTER_TYPE], sources=["template", "live"],
       reads={CLUSTER_TYPE: [KEY], GROUP_TYPE: ["Parameters"]})
def docdb_log_exports(cluster, ctx):
    for values in read_together(cluster, KEY):
        exports = known(values.get(KEY, MISSING), KEY, at=where(values, KEY), key=KEY)
        if exports is None:
            continue
        if exports is MISSING:
            yield fail(f"{KEY} is not set: audit and profiler logs are not exported", at=where(values, KEY), key=KEY)
            continue
        items = exports if isinstance(exports, list) else []
        if any(known(item, f"an entry of {KEY}", at=where(values, KEY), key=KEY) is None for item in items):
            continue
        listed = {text(item) for item in items}
        missing = [log for log in REQUIRED if log not in listed]
        if missing:
            yield fail(f"{KEY} does not include {' and '.join(missing)}", at=where(values, KEY), key=KEY)
        for log in REQUIRED:
            if log in listed:
                yield from _switched_off(cluster, log, values)


def _switched_off(cluster, log, values):
    """A cluster parameter group that turns the log off leaves nothing to export."""
    parameter, off_values = SWITCHES[log]
    for group in cluster.related("parameter_groups"):
        for parameters in read(group, "Parameters", presence=True):
            value = known(dig(parameters, parameter), f"{parameter} in parameter group {group.name}",
                          at=where(values, KEY), key=KEY)
            if text(value) in off_values:
                yield fail(f"{KEY} includes {log}, but parameter group {group.name} sets {parameter} to "
                           f"{show(value)}: nothing is logged", at=where(values, KEY), key=KEY)

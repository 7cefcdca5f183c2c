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
unverifiable.

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

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import at_key, missing_at, props_branches, text
from lakelint.core.values import MISSING, is_unresolved

KEY = "EnableCloudwatchLogsExports"
REQUIRED = ("audit", "profiler")
SWITCHES = {"audit": ("audit_logs", ("disabled", "none")), "profiler": ("profiler", ("disabled",))}


@check(code="LL525", name="docdb-log-exports", severity="low",
       title="DocumentDB audit and profiler logs not exported",
       resource_types=["AWS::DocDB::DBCluster"], sources=["template", "live"],
       reads={"AWS::DocDB::DBClusterParameterGroup": ["Parameters"]})
def docdb_log_exports(cluster, ctx):
    for branch in props_branches(cluster, KEY):
        values = branch.value
        exports = values.get(KEY, MISSING)
        if is_unresolved(exports):
            yield unknown(f"cannot verify {KEY}: it {exports.reason}", cause=exports, branch=branch,
                          at=at_key(values, KEY), key=KEY)
            continue
        if exports is MISSING:
            yield fail(f"{KEY} is not set: audit and profiler logs are not exported", branch=branch,
                       at=missing_at(values, KEY), key=KEY)
            continue
        items = exports if isinstance(exports, list) else []
        if any(is_unresolved(i) for i in items):
            pending = next(i for i in items if is_unresolved(i))
            yield unknown(f"cannot verify {KEY}: an entry {pending.reason}", cause=pending, branch=branch,
                          at=at_key(values, KEY), key=KEY)
            continue
        listed = {text(i) for i in items}
        missing = [log for log in REQUIRED if log not in listed]
        if missing:
            yield fail(f"{KEY} does not include {' and '.join(missing)}", branch=branch,
                       at=at_key(values, KEY) or missing_at(values, KEY), key=KEY)
        for log in REQUIRED:
            if log in listed:
                yield from _switched_off(cluster, log, values, branch)


def _switched_off(cluster, log, values, branch):
    """A parameter group in the template that turns the log off leaves nothing to export."""
    parameter, off_values = SWITCHES[log]
    for group in cluster.related("parameter_groups"):
        for group_branch in group.branches("Parameters", parameter):
            value = group_branch.value
            if is_unresolved(value) and group.source == "live":  # live: the group's parameters were unread
                yield unknown(f"cannot verify {parameter} in parameter group {group.name}: it {value.reason}",
                              cause=value, branch=branch, at=at_key(values, KEY), key=KEY)
            elif text(value) in off_values:
                yield fail(f"{KEY} includes {log}, but parameter group {group.name} sets {parameter} to "
                           f"{group_branch.value}: nothing is logged", branch=group_branch if group_branch.label
                           else branch, at=at_key(values, KEY), key=KEY)

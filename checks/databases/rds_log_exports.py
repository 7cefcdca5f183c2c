"""An RDS DB instance or cluster that exports no logs to CloudWatch Logs.

## What it does
Checks that every `AWS::RDS::DBCluster`, and every `AWS::RDS::DBInstance` that does not belong to a
cluster, lists at least one log type in `EnableCloudwatchLogsExports` (for example `postgresql`,
`audit`, `error`, `general`, `slowquery`). Each `Fn::If` branch is checked; a list item removed with
`AWS::NoValue` does not count. Aurora Serverless v1 (`EngineMode: serverless`) clusters, which
publish logs through their parameter group instead, are not checked.

Live, the list is `EnabledCloudwatchLogsExports` in `DescribeDBInstances` and
`DescribeDBClusters`.

**When the property is absent:** no logs are exported; they stay on the database host, where they are
rotated away within days and are lost with the instance.

## Why it matters
Database logs are the audit trail of who read and changed the data before it reached the lake, and
the first thing to read when an ingestion job fails. In CloudWatch Logs they are kept as long as you
choose, can be searched and alarmed on, and survive the instance.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium        # LL508: no EnableCloudwatchLogsExports
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    EnableCloudwatchLogsExports: [postgresql, upgrade]
```
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders \
  --cloudwatch-logs-export-configuration '{"EnableLogTypes":["postgresql","upgrade"]}'
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/publishing_cloudwatchlogs.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import at_key, missing_at, props_branches, text
from ._databases import cluster_member
from lakelint.core.values import MISSING, is_unresolved

KEY = "EnableCloudwatchLogsExports"


@check(code="LL508", name="rds-log-exports", severity="low",
       title="RDS instance or cluster exports no logs to CloudWatch Logs",
       resource_types=["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"], sources=["template", "live"])
def rds_log_exports(db, ctx):
    is_cluster = db.type == "AWS::RDS::DBCluster"
    for branch in props_branches(db, KEY, "DBClusterIdentifier", "EngineMode"):
        values = branch.value
        if not is_cluster and cluster_member(values):
            continue
        if is_cluster and text(values.get("EngineMode")) == "serverless":
            continue  # Aurora Serverless v1 does not support this setting
        exports = values.get(KEY, MISSING)
        if is_unresolved(exports):
            yield unknown(f"cannot verify {KEY}: it {exports.reason}", cause=exports, branch=branch,
                          at=at_key(values, KEY), key=KEY)
        elif exports is MISSING:
            yield fail(f"{KEY} is not set: no logs are exported to CloudWatch Logs", branch=branch,
                       at=missing_at(values, KEY), key=KEY)
        elif not isinstance(exports, list) or not exports:
            yield fail(f"{KEY} is empty: no logs are exported to CloudWatch Logs", branch=branch,
                       at=at_key(values, KEY), key=KEY)

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

from lakelint.core.check import check, fail
from lakelint.core.reading import known
from lakelint.core.values import MISSING

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, own_settings, text, where

KEY = "EnableCloudwatchLogsExports"


@check(code="LL508", name="rds-log-exports", severity="low",
       title="RDS instance or cluster exports no logs to CloudWatch Logs",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: [KEY, "DBClusterIdentifier"], CLUSTER_TYPE: [KEY, "EngineMode"]})
def rds_log_exports(db, ctx):
    mode = ("EngineMode",) if db.type == CLUSTER_TYPE else ()
    for values in own_settings(db, KEY, *mode):
        if text(values.get("EngineMode")) == "serverless":
            continue  # Aurora Serverless v1 does not support this setting
        exports = known(values.get(KEY, MISSING), KEY, at=where(values, KEY), key=KEY)
        if exports is MISSING:
            yield fail(f"{KEY} is not set: no logs are exported to CloudWatch Logs", at=where(values, KEY), key=KEY)
        elif exports is not None and (not isinstance(exports, list) or not exports):
            yield fail(f"{KEY} is empty: no logs are exported to CloudWatch Logs", at=where(values, KEY), key=KEY)

"""An RDS DB instance or cluster that keeps automated backups for fewer days than the minimum.

## What it does
Checks `BackupRetentionPeriod` on every `AWS::RDS::DBCluster` and on every `AWS::RDS::DBInstance` that
does not belong to a cluster (a member's backups are the cluster's). The minimum is the
`min-backup-days` option (default 7). Numbers written as strings count; each `Fn::If` branch and each
allowed value of a parameter is checked. A parameter without a value passes when its `MinValue` is at
least the minimum and fails when its `MaxValue` is under it; otherwise it cannot be verified.

Live, `BackupRetentionPeriod` comes from `DescribeDBInstances` and `DescribeDBClusters`; read
replicas (`ReadReplicaSourceDBInstanceIdentifier`) and cluster members are skipped as on templates.

**When the property is absent:** RDS keeps automated backups for 1 day, which is under any minimum
above 1. Read replicas (`SourceDBInstanceIdentifier`) are not checked: their data is the source's, and
the source's backups are what restores it.

## Why it matters
Automated backups are what point-in-time restore works from. With a one-day window, a bad load or a
deletion noticed after a weekend cannot be undone, and the data-lake copies derived from the database
cannot be rebuilt from it.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    BackupRetentionPeriod: 1        # LL504
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    BackupRetentionPeriod: 14
```
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders --backup-retention-period 14 --apply-immediately
aws rds modify-db-cluster --db-cluster-identifier lake --backup-retention-period 14 --apply-immediately
```
The minimum is set in `.lakelint.yaml` with `min-backup-days: 14`.

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check
from lakelint.core.options import NON_NEGATIVE_INT, Option
from lakelint.core.values import MISSING

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, kept_long_enough, minimum_days, own_settings


@check(code="LL504", name="rds-backup-retention", severity="medium",
       title="RDS automated backups kept for fewer days than the minimum",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: ["BackupRetentionPeriod", "DBClusterIdentifier", "SourceDBInstanceIdentifier"],
              CLUSTER_TYPE: ["BackupRetentionPeriod"]},
       options={"min-backup-days": Option(NON_NEGATIVE_INT, 7, "the fewest days automated backups must be kept")})
def rds_backup_retention(db, ctx):
    minimum = minimum_days(ctx)
    replica = () if db.type == CLUSTER_TYPE else ("SourceDBInstanceIdentifier",)
    for values in own_settings(db, "BackupRetentionPeriod", *replica):
        if values.get("SourceDBInstanceIdentifier", MISSING) is not MISSING:
            continue  # a read replica: the source's backups cover its data
        yield from kept_long_enough(values, "BackupRetentionPeriod", minimum=minimum, absent_days=1)

"""A DocumentDB cluster that keeps automated backups for fewer days than the minimum.

## What it does
Checks `BackupRetentionPeriod` on every `AWS::DocDB::DBCluster` against the `min-backup-days` option
(default 7). Numbers written as strings count; each `Fn::If` branch and each allowed value of a
parameter is checked. A parameter without a value passes when its `MinValue` is at least the minimum
and fails when its `MaxValue` is under it; otherwise it cannot be verified.

Live, `BackupRetentionPeriod` comes from `DescribeDBClusters` (engine `docdb`).

**When the property is absent:** DocumentDB keeps automated backups for 1 day.

## Why it matters
Point-in-time restore only reaches back as far as the retention period. One day is not enough to
notice and undo a bad write or a deletion, and backups are what rebuilds the lake's copy of the data.

## Example
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    BackupRetentionPeriod: 1        # LL523
```

## Fix
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    BackupRetentionPeriod: 14
```
With the AWS CLI:
```sh
aws docdb modify-db-cluster --db-cluster-identifier catalog --backup-retention-period 14 --apply-immediately
```
The minimum is set in `.lakelint.yaml` with `min-backup-days: 14`.

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/backup_restore-understanding_backups.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbcluster.html
"""

from lakelint.core.check import check
from lakelint.core.options import NON_NEGATIVE_INT, Option
from lakelint.core.reading import read_together

from ._databases import kept_long_enough, minimum_days

CLUSTER_TYPE = "AWS::DocDB::DBCluster"


@check(code="LL523", name="docdb-backup-retention", severity="medium",
       title="DocumentDB backups kept for fewer days than the minimum",
       resource_types=[CLUSTER_TYPE], sources=["template", "live"],
       reads={CLUSTER_TYPE: ["BackupRetentionPeriod"]},
       options={"min-backup-days": Option(NON_NEGATIVE_INT, 7, "the fewest days automated backups must be kept")})
def docdb_backup_retention(cluster, ctx):
    minimum = minimum_days(ctx)
    for values in read_together(cluster, "BackupRetentionPeriod"):
        yield from kept_long_enough(values, "BackupRetentionPeriod", minimum=minimum, absent_days=1)

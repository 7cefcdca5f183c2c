"""S3 Tables maintenance turned off: unreferenced file removal on a table bucket, or compaction or
snapshot management on a table.

## What it does
Fails on every `AWS::S3Tables::TableBucket` whose `UnreferencedFileRemoval.Status` is `Disabled`, and
on every `AWS::S3Tables::Table` whose `Compaction.Status` or `SnapshotManagement.Status` is `disabled`
(either case is accepted, as the API writes both in lower case). Each `Fn::If` branch and each allowed
value of a parameter is checked; a status known only at deploy time cannot be verified.

On a live account the table buckets of each scanned region come from `ListTableBuckets` and their
setting from `GetTableBucketMaintenanceConfiguration` (`icebergUnreferencedFileRemoval`); their
tables come from `ListTables` and each table's settings from `GetTableMaintenanceConfiguration`
(`icebergCompaction`, `icebergSnapshotManagement`). Table buckets and tables AWS creates and manages
itself (`type: aws`, such as S3 Metadata's `aws-s3` bucket) are not read: their maintenance is AWS's.

**When the property is absent:** S3 Tables turns all three maintenance operations on for every new
table bucket and table (unreferenced files are marked noncurrent after 3 days and deleted 10 days
later; snapshots older than 120 hours are expired beyond the last one; files are compacted towards
512 MB), so an absent configuration, or one without a `Status`, passes.

## Why it matters
An Iceberg table never deletes anything by itself: every write adds data and metadata files and a new
snapshot. Without snapshot management the snapshots, and every file they still reference, are kept
forever; without unreferenced file removal the files no snapshot references any more (failed writes,
expired snapshots) stay in the bucket; without compaction streaming writes leave millions of small
files that make every query slower and cost more per request. Storage and request costs then grow
without bound, and deleted rows stay recoverable long after a retention rule says they are gone.

## Example
```yaml
OrdersTable:
  Type: AWS::S3Tables::Table
  Properties:
    TableBucketARN: !GetAtt LakeTables.TableBucketARN
    Namespace: sales
    TableName: orders
    OpenTableFormat: ICEBERG
    WithoutMetadata: "Yes"
    SnapshotManagement:
      Status: disabled              # LL133
```

## Fix
Leave the settings out (maintenance is on by default), or turn them on and tune them:
```yaml
    Compaction:
      Status: enabled
      TargetFileSizeMB: 512
    SnapshotManagement:
      Status: enabled
      MinSnapshotsToKeep: 5
      MaxSnapshotAgeHours: 168
```
With the AWS CLI:
```sh
aws s3tables put-table-maintenance-configuration --table-bucket-arn TABLE_BUCKET_ARN --namespace sales \\
  --name orders --type icebergSnapshotManagement \\
  --value '{"status":"enabled","settings":{"icebergSnapshotManagement":{"minSnapshotsToKeep":5,"maxSnapshotAgeHours":168}}}'
aws s3tables put-table-bucket-maintenance-configuration --table-bucket-arn TABLE_BUCKET_ARN \\
  --type icebergUnreferencedFileRemoval \\
  --value '{"status":"enabled","settings":{"icebergUnreferencedFileRemoval":{"unreferencedDays":3,"nonCurrentDays":10}}}'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-maintenance-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-table-buckets-maintenance.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-maintenance.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import show

TABLE_BUCKET = "AWS::S3Tables::TableBucket"
TABLE = "AWS::S3Tables::Table"
# property -> what turning it off costs, in a finding
BUCKET_SETTINGS = {"UnreferencedFileRemoval": "files no snapshot references are never deleted, so storage grows "
                                              "without bound"}
TABLE_SETTINGS = {"Compaction": "small files are never compacted, so every query reads more files and request "
                                "costs grow with every write",
                  "SnapshotManagement": "snapshots, and every file they reference, are never expired, so storage "
                                        "grows without bound"}


@check(code="LL133", name="s3tables-maintenance", severity="low",
       title="S3 Tables maintenance turned off (unreferenced file removal, compaction or snapshot management)",
       resource_types=[TABLE_BUCKET, TABLE], sources=["template", "live"], preview=True,
       reads={TABLE_BUCKET: list(BUCKET_SETTINGS), TABLE: list(TABLE_SETTINGS)})
def s3tables_maintenance(resource, ctx):
    settings = BUCKET_SETTINGS if resource.type == TABLE_BUCKET else TABLE_SETTINGS
    for prop, cost in settings.items():
        for status in read(resource, f"{prop}.Status", what=f"{prop}.Status"):
            if isinstance(status, str) and status.strip().lower() == "disabled":
                yield fail(f"{prop} is turned off (Status {show(status)}): {cost}", key=f"{prop}.Status")

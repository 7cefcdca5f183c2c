"""A Timestream table that does not set its memory and magnetic store retention.

## What it does
Checks that every `AWS::Timestream::Table` sets both `RetentionProperties.MemoryStoreRetentionPeriodInHours`
and `RetentionProperties.MagneticStoreRetentionPeriodInDays`. Only their presence matters (a value
from a parameter counts). Each `Fn::If` branch is checked, `AWS::NoValue` included.

**When the property is absent:** Timestream keeps data 6 hours in the memory store and 73,000 days
(200 years) in the magnetic store, so an absent setting fails: data is kept, and paid for, practically
forever.

## Why it matters
Retention is the lifecycle policy of a time-series table. Left at the defaults, telemetry piles up
for two centuries, storage cost grows without bound, and personal data outlives every retention rule
the lake's governance promises. Setting both periods is the decision this check asks for.

## Example
```yaml
Readings:
  Type: AWS::Timestream::Table
  Properties:
    DatabaseName: !Ref Telemetry
    TableName: readings         # LL622: no RetentionProperties
```

## Fix
```yaml
Readings:
  Type: AWS::Timestream::Table
  Properties:
    DatabaseName: !Ref Telemetry
    TableName: readings
    RetentionProperties:
      MemoryStoreRetentionPeriodInHours: "24"
      MagneticStoreRetentionPeriodInDays: "365"
```
With the AWS CLI:
```sh
aws timestream-write update-table --database-name telemetry --table-name readings \
  --retention-properties MemoryStoreRetentionPeriodInHours=24,MagneticStoreRetentionPeriodInDays=365
```

## References
- https://docs.aws.amazon.com/timestream/latest/developerguide/storage.html
- https://docs.aws.amazon.com/timestream/latest/developerguide/API_RetentionProperties.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-timestream-table-retentionproperties.html
"""

from lakelint.check import check, fail, unknown
from lakelint.values import MISSING, is_unresolved

SETTINGS = (("MemoryStoreRetentionPeriodInHours", "memory store keeps data 6 hours"),
            ("MagneticStoreRetentionPeriodInDays", "magnetic store keeps data 73000 days"))


@check(code="LL622", name="timestream-retention-set", severity="low",
       title="Timestream table without explicit memory and magnetic store retention",
       resource_types=["AWS::Timestream::Table"], sources=["template"])
def timestream_retention_set(table, ctx):
    for branch in table.branches("RetentionProperties"):
        retention = branch.value
        if is_unresolved(retention):
            yield unknown(f"cannot verify RetentionProperties: it {retention.reason}", cause=retention,
                          branch=branch, key="RetentionProperties")
            continue
        if retention is MISSING or not isinstance(retention, dict):
            yield fail("RetentionProperties is not set: the memory store keeps data 6 hours and the magnetic "
                       "store 73000 days (200 years)", branch=branch, key="RetentionProperties")
            continue
        for setting, default in SETTINGS:
            if retention.get(setting, MISSING) in (MISSING, None, ""):
                yield fail(f"{setting} is not set: the {default} by default", branch=branch, at=retention,
                           key=f"RetentionProperties.{setting}")

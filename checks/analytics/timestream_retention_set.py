"""A Timestream table that does not set its memory and magnetic store retention.

## What it does
Checks that every `AWS::Timestream::Table` sets both `RetentionProperties.MemoryStoreRetentionPeriodInHours`
and `RetentionProperties.MagneticStoreRetentionPeriodInDays`. Only their presence matters (a value
from a parameter counts). Each `Fn::If` branch is checked, `AWS::NoValue` included.

**When the property is absent:** Timestream keeps data 6 hours in the memory store and 73,000 days
(200 years) in the magnetic store, so an absent setting fails: data is kept, and paid for, practically
forever.

**Live:** Timestream always reports both periods (`ListTables`), filling in the defaults when a table
set none, so live data cannot tell "not set" from "set to the default". The check does the sound
thing with what it can see: a period equal to its documented default (6 hours, 73,000 days) is
reported as not chosen, and the message says it may also have been set to that value on purpose
(then pick the value you mean to keep, or ignore LL622 for that account). Any other value is a
decision and passes.

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

from lakelint.core.check import check, fail
from lakelint.core.propcheck import number
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING

TABLE = "AWS::Timestream::Table"
KEY = "RetentionProperties"
SETTINGS = (("MemoryStoreRetentionPeriodInHours", "memory store keeps data 6 hours"),
            ("MagneticStoreRetentionPeriodInDays", "magnetic store keeps data 73000 days"))
# what Timestream fills in when a table sets no retention (live data shows these values)
DEFAULTS = {"MemoryStoreRetentionPeriodInHours": (6, "6 hours"),
            "MagneticStoreRetentionPeriodInDays": (73000, "200 years")}


@check(code="LL622", name="timestream-retention-set", severity="low",
       title="Timestream table without explicit memory and magnetic store retention",
       resource_types=[TABLE], sources=["template", "live"],
       reads={TABLE: [f"{KEY}.{setting}" for setting, _ in SETTINGS]})
def timestream_retention_set(table, ctx):
    for retention in read(table, KEY):
        yield from (_live(retention) if table.source == "live" else _template(retention))


def _template(retention):
    if retention is MISSING or not isinstance(retention, dict):
        yield fail(f"{KEY} is not set: the memory store keeps data 6 hours and the magnetic store 73000 days "
                   "(200 years)", key=KEY)
        return
    for setting, default in SETTINGS:
        if retention.get(setting, MISSING) in (MISSING, None, ""):
            yield fail(f"{setting} is not set: the {default} by default", at=retention, key=f"{KEY}.{setting}")


def _live(retention):
    """Live periods are always there: one equal to Timestream's default cannot be told from one never set."""
    for setting, (default, described) in DEFAULTS.items():
        value = retention.get(setting, MISSING) if isinstance(retention, dict) else MISSING
        if value is not None and known(value, setting, key=f"{KEY}.{setting}") is None:
            continue
        if value is MISSING:
            yield fail(f"{setting} is not reported: Timestream keeps data {described} by default",
                       key=f"{KEY}.{setting}")
        elif number(value) == default:
            yield fail(f"{setting} is {default}, Timestream's default ({described}): live data cannot tell it "
                       "from a retention never set", key=f"{KEY}.{setting}")

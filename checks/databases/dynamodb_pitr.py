"""A DynamoDB table (or global table replica) without point-in-time recovery.

## What it does
Checks `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` on every `AWS::DynamoDB::Table`,
and on every replica in `Replicas` of an `AWS::DynamoDB::GlobalTable` (each replica has its own
setting; the finding names the replica's Region). Each `Fn::If` branch and each allowed value of a
parameter is checked; `"true"` strings count.

Live, the setting comes from `DescribeContinuousBackups`; each replica of a global table is a
table of its own Region there and is judged in it.

**When the property is absent:** point-in-time recovery is off.

## Why it matters
Point-in-time recovery restores a table to any second of the last 35 days (or the recovery period you
set): the way back from a buggy job that overwrote items, or a delete nobody meant. On-demand backups
only cover the moments someone remembered to take one.

## Example
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: false        # LL512
```

## Fix
```yaml
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: true
```
With the AWS CLI:
```sh
aws dynamodb update-continuous-backups --table-name orders \
  --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-pointintimerecoveryspecification.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-replicaspecification.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read, read_together
from lakelint.core.values import MISSING
from lakelint.fixes.intents import ensure_properties, no_fix, set_property

from ._databases import replica_label, replica_path, switched_on, where

TABLE_TYPE = "AWS::DynamoDB::Table"
GLOBAL_TYPE = "AWS::DynamoDB::GlobalTable"
KEY = "PointInTimeRecoverySpecification"
FLAG = "PointInTimeRecoveryEnabled"
NOT_WRITTEN = no_fix("the replica is not an item the template writes in Replicas (an intrinsic function makes it)")


@check(code="LL512", name="dynamodb-pitr", severity="medium",
       title="DynamoDB table without point-in-time recovery",
       resource_types=[TABLE_TYPE, GLOBAL_TYPE], sources=["template", "live"],
       reads={TABLE_TYPE: [KEY], GLOBAL_TYPE: [f"Replicas.{KEY}", "Replicas.Region"]}, fix="safe")
def dynamodb_pitr(table, ctx):
    if table.type == GLOBAL_TYPE:
        for replicas in read(table, "Replicas"):
            for replica in replicas if isinstance(replicas, list) else []:
                if isinstance(replica, dict):
                    yield from _recovery(replica, of=f"replica {replica_label(replica)}",
                                         at=replica_path(table, replica))
        return
    for values in read_together(table, KEY):
        yield from _recovery(values, at=())


def _recovery(holder, of="", at=None):
    """The point-in-time recovery of a table (or of one replica: ``of`` names it). ``at`` is where the
    holder is written, as a fix's path below ``Properties`` (``()`` for the table itself), or None
    when no fix can name it."""
    spec = known(holder.get(KEY, MISSING), f"{KEY} of {of}" if of else KEY, at=where(holder, KEY), key=KEY)
    if spec is None:
        return
    if not isinstance(spec, dict):
        prefix = f"{of}: " if of else ""
        # turned on where it is absent; a specification written as something else is the author's to fix
        if at is None:
            fix = NOT_WRITTEN
        elif spec is MISSING:
            fix = ensure_properties(at + (KEY,), {FLAG: True})
        else:
            fix = no_fix(f"{KEY} is written, but not as a mapping: fix it by hand")
        yield fail(f"{prefix}{KEY} is not set: point-in-time recovery is off by default", at=where(holder, KEY),
                   key=KEY, fix=fix)
        return
    yield from switched_on(spec, FLAG, what=f"{KEY}.{FLAG}", path=f"{KEY}.{FLAG}", of=of,
                           absent=f"{KEY}.{FLAG} is not set: point-in-time recovery is off",
                           fix=set_property(at + (KEY, FLAG), True) if at is not None else NOT_WRITTEN)

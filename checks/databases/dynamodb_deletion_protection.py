"""A DynamoDB table (or global table replica) without deletion protection.

## What it does
Checks `DeletionProtectionEnabled` on every `AWS::DynamoDB::Table`, and on every replica in `Replicas`
of an `AWS::DynamoDB::GlobalTable` (the finding names the replica's Region). Each `Fn::If` branch and
each allowed value of a parameter is checked; `"true"` strings count.

Live, `DeletionProtectionEnabled` comes from `DescribeTable`; each replica of a global table is
judged in its own Region.

**When the property is absent:** deletion protection is off.

## Why it matters
With deletion protection on, DynamoDB refuses `DeleteTable`, whoever asks: a person, a script, or a
stack deletion or replacement. A deleted table takes its items and its point-in-time recovery window
with it (only backups survive).

## Example
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    DeletionProtectionEnabled: false        # LL513
```

## Fix
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  DeletionPolicy: Retain
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    DeletionProtectionEnabled: true
```
With the AWS CLI:
```sh
aws dynamodb update-table --table-name orders --deletion-protection-enabled
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-replicaspecification.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read, read_together
from lakelint.fixes.intents import no_fix, set_property

from ._databases import replica_label, replica_path, switched_on

TABLE_TYPE = "AWS::DynamoDB::Table"
GLOBAL_TYPE = "AWS::DynamoDB::GlobalTable"
KEY = "DeletionProtectionEnabled"
ABSENT = f"{KEY} is not set: off by default"
NOT_WRITTEN = no_fix("the replica is not an item the template writes in Replicas (an intrinsic function makes it)")


@check(code="LL513", name="dynamodb-deletion-protection", severity="medium",
       title="DynamoDB table without deletion protection",
       resource_types=[TABLE_TYPE, GLOBAL_TYPE], sources=["template", "live"],
       reads={TABLE_TYPE: [KEY], GLOBAL_TYPE: [f"Replicas.{KEY}", "Replicas.Region"]}, fix="safe")
def dynamodb_deletion_protection(table, ctx):
    if table.type == GLOBAL_TYPE:
        for replicas in read(table, "Replicas"):
            for replica in replicas if isinstance(replicas, list) else []:
                if isinstance(replica, dict):
                    path = replica_path(table, replica, KEY)
                    yield from switched_on(replica, KEY, absent=ABSENT, of=f"replica {replica_label(replica)}",
                                           fix=set_property(path, True) if path else NOT_WRITTEN)
        return
    for values in read_together(table, KEY):
        yield from switched_on(values, KEY, absent=ABSENT, fix=set_property(KEY, True))

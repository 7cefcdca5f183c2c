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

from lakelint.core.check import check, unknown
from lakelint.core.propcheck import flag_verdicts, props_branches
from ._databases import replica_label
from lakelint.core.values import MISSING, is_unresolved

KEY = "DeletionProtectionEnabled"


@check(code="LL513", name="dynamodb-deletion-protection", severity="medium",
       title="DynamoDB table without deletion protection",
       resource_types=["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"], sources=["template", "live"])
def dynamodb_deletion_protection(table, ctx):
    if table.type == "AWS::DynamoDB::GlobalTable":
        for branch in props_branches(table, "Replicas"):
            replicas = branch.value.get("Replicas", MISSING)
            if is_unresolved(replicas):
                yield unknown(f"cannot verify Replicas: it {replicas.reason}", cause=replicas, branch=branch)
                continue
            for replica in replicas if isinstance(replicas, list) else []:
                if not isinstance(replica, dict):
                    continue
                prefix = f"replica {replica_label(replica)}: "
                for verdict in flag_verdicts(table, replica, KEY, branch,
                                             absent_message=f"{KEY} is not set: off by default"):
                    verdict.message = prefix + verdict.message
                    yield verdict
        return
    for branch in props_branches(table, KEY):
        yield from flag_verdicts(table, branch.value, KEY, branch, absent_message=f"{KEY} is not set: off by default")

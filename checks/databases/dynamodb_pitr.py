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

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import at_key, flag_verdicts, missing_at, props_branches
from ._databases import replica_label
from lakelint.core.values import MISSING, is_unresolved

KEY = "PointInTimeRecoverySpecification"
FLAG = "PointInTimeRecoveryEnabled"


@check(code="LL512", name="dynamodb-pitr", severity="medium",
       title="DynamoDB table without point-in-time recovery",
       resource_types=["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"], sources=["template", "live"])
def dynamodb_pitr(table, ctx):
    if table.type == "AWS::DynamoDB::GlobalTable":
        for branch in props_branches(table, "Replicas"):
            replicas = branch.value.get("Replicas", MISSING)
            if is_unresolved(replicas):
                yield unknown(f"cannot verify Replicas: it {replicas.reason}", cause=replicas, branch=branch)
                continue
            for replica in replicas if isinstance(replicas, list) else []:
                if isinstance(replica, dict):
                    yield from _spec_verdicts(table, replica, branch, f"replica {replica_label(replica)}: ")
        return
    for branch in props_branches(table, KEY):
        yield from _spec_verdicts(table, branch.value, branch, "")


def _spec_verdicts(table, holder, branch, prefix):
    spec = holder.get(KEY, MISSING)
    if is_unresolved(spec):
        yield unknown(f"{prefix}cannot verify {KEY}: it {spec.reason}", cause=spec, branch=branch,
                      at=at_key(holder, KEY), key=KEY)
        return
    if not isinstance(spec, dict):
        yield fail(f"{prefix}{KEY} is not set: point-in-time recovery is off by default", branch=branch,
                   at=missing_at(holder, KEY), key=KEY)
        return
    for verdict in flag_verdicts(table, spec, FLAG, branch, what=f"{KEY}.{FLAG}", path=f"{KEY}.{FLAG}",
                                 absent_message=f"{KEY}.{FLAG} is not set: point-in-time recovery is off"):
        verdict.message = prefix + verdict.message
        yield verdict

"""An encrypted RDS DB instance or cluster that uses the AWS managed key `aws/rds`.

## What it does
For every `AWS::RDS::DBCluster`, and every `AWS::RDS::DBInstance` that does not belong to a cluster,
whose storage is encrypted (`StorageEncrypted` true, or Aurora Serverless v1), checks that `KmsKeyId`
names a customer managed key: a `Ref`/`!GetAtt` of an `AWS::KMS::Key`, a key ARN or id, a customer
alias or a parameter. `alias/aws/rds` (also as an alias ARN) is the AWS managed key. Unencrypted
storage is LL501's finding, not this one's.

Live, RDS reports `KmsKeyId` as a key ARN whichever key it is: the key as KMS describes it
(`DescribeKey`'s `KeyManager`) tells the AWS managed key from a customer managed one.

**When the property is absent:** RDS encrypts with the AWS managed key `aws/rds`, so an encrypted
database without `KmsKeyId` fails.

## Why it matters
The AWS managed key's policy cannot be changed: you cannot limit who may use it, share encrypted
snapshots with another account, or revoke access to the data by disabling the key. A customer managed
key gives the data lake one place to grant, audit and revoke access to database copies.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    StorageEncrypted: true
    KmsKeyId: alias/aws/rds        # LL502
```

## Fix
```yaml
DbKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy: ...
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    StorageEncrypted: true
    KmsKeyId: !GetAtt DbKey.Arn
```
With the AWS CLI (the key of existing storage cannot change; copy a snapshot with the new key and restore):
```sh
aws rds copy-db-snapshot --source-db-snapshot-identifier orders-snap \
  --target-db-snapshot-identifier orders-cmk --kms-key-id KEY_ARN
aws rds restore-db-instance-from-db-snapshot --db-instance-identifier orders-v2 --db-snapshot-identifier orders-cmk
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check
from lakelint.core.values import truth
from lakelint.knowledge.keymanager import KEY_TYPE, customer_key_verdicts

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, KEY_READS, own_settings, text


@check(code="LL502", name="rds-kms-customer-managed-key", severity="low",
       title="RDS storage encrypted with the AWS managed key",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: ["StorageEncrypted", "KmsKeyId", "DBClusterIdentifier"],
              CLUSTER_TYPE: ["StorageEncrypted", "KmsKeyId", "EngineMode"], KEY_TYPE: KEY_READS})
def rds_kms_customer_managed_key(db, ctx):
    mode = ("EngineMode",) if db.type == CLUSTER_TYPE else ()
    for values in own_settings(db, "StorageEncrypted", "KmsKeyId", *mode):
        serverless = text(values.get("EngineMode")) == "serverless"  # Aurora Serverless v1: always encrypted
        if serverless or truth(values.get("StorageEncrypted")) is True:
            yield from customer_key_verdicts(db, values, "KmsKeyId", None, service_alias="aws/rds")

"""An encrypted DocumentDB cluster that uses the AWS managed key `aws/rds`.

## What it does
For every `AWS::DocDB::DBCluster` with `StorageEncrypted` true, checks that `KmsKeyId` names a
customer managed key: a `Ref`/`!GetAtt` of an `AWS::KMS::Key`, a key id or ARN, a customer alias or a
parameter. DocumentDB's AWS managed key is `alias/aws/rds` (also as an alias ARN). Unencrypted
clusters are LL521's finding.

Live, DocumentDB reports `KmsKeyId` as a key ARN whichever key it is: the key as KMS describes
it (`DescribeKey`'s `KeyManager`) tells the AWS managed key from a customer managed one.

**When the property is absent:** DocumentDB encrypts with the AWS managed key `aws/rds`.

## Why it matters
The AWS managed key's policy cannot be changed: encrypted snapshots cannot be shared across accounts
and access cannot be limited or revoked at the key. A customer managed key puts access to the cluster's
data, backups and snapshots under a policy you control.

## Example
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    StorageEncrypted: true        # LL522: no KmsKeyId
```

## Fix
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    StorageEncrypted: true
    KmsKeyId: !GetAtt DocDbKey.Arn
```
With the AWS CLI (the key is chosen at creation; restore a snapshot with the new key):
```sh
aws docdb restore-db-cluster-from-snapshot --db-cluster-identifier catalog-v2 \
  --snapshot-identifier catalog-snap --engine docdb --kms-key-id KEY_ARN
```

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbcluster.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together
from lakelint.core.values import truth
from lakelint.knowledge.keymanager import KEY_TYPE, customer_key_verdicts

from ._databases import KEY_READS

CLUSTER_TYPE = "AWS::DocDB::DBCluster"


@check(code="LL522", name="docdb-kms-customer-managed-key", severity="low",
       title="DocumentDB cluster encrypted with the AWS managed key",
       resource_types=[CLUSTER_TYPE], sources=["template", "live"],
       reads={CLUSTER_TYPE: ["StorageEncrypted", "KmsKeyId"], KEY_TYPE: KEY_READS})
def docdb_kms_customer_managed_key(cluster, ctx):
    for values in read_together(cluster, "StorageEncrypted", "KmsKeyId"):
        if truth(values.get("StorageEncrypted")) is True:
            yield from customer_key_verdicts(cluster, values, "KmsKeyId", None, service_alias="aws/rds")

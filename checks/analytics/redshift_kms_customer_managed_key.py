"""A Redshift cluster encrypted without a customer managed KMS key.

## What it does
Checks that an encrypted `AWS::Redshift::Cluster` names a customer managed key in `KmsKeyId`: a
`Ref`/`GetAtt` to an `AWS::KMS::Key`, a key or alias ARN, a customer alias, or a parameter. An
absent `KmsKeyId`, or an `alias/aws/redshift` alias, is a key AWS manages. Each `Fn::If` branch is
checked; branches where the cluster is not encrypted at all are left to LL601.

**When the property is absent:** Redshift encrypts new clusters with an AWS owned key (since
January 2025), or with the AWS managed key `aws/redshift` when `Encrypted` is true without a key;
neither is a key you control, so an absent `KmsKeyId` fails. A cluster restored from a snapshot
(`SnapshotIdentifier`) without `KmsKeyId` keeps the snapshot's key, which the template does not show:
the finding says so.

**Live:** `DescribeClusters` gives `KmsKeyId` as a key ARN whichever key it is, so the check reads
that key as KMS describes it (`DescribeKey`): `KeyManager` `AWS` is the AWS managed key
`aws/redshift`. An encrypted cluster without `KmsKeyId` uses a key AWS owns. A key that is not among
the region's keys belongs to another account, so it is customer managed (AWS managed keys are never
shared across accounts).

## Why it matters
With a key of your own, the key policy decides who can decrypt the warehouse and its snapshots, key
use is logged in CloudTrail under your account, access can be revoked by disabling the key, and
snapshots can be shared across accounts (an AWS managed or owned key cannot be shared).

## Example
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
    Encrypted: true             # LL602: no KmsKeyId
```

## Fix
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
    Encrypted: true
    KmsKeyId: !GetAtt WarehouseKey.Arn
```
With the AWS CLI:
```sh
aws redshift modify-cluster --cluster-identifier warehouse --encrypted --kms-key-id KEY_ARN
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-cluster.html
"""

from lakelint.core.check import check, unknown
from lakelint.core.reading import read_together
from lakelint.core.values import MISSING, Unresolved, show, truth

from ..storage._keys import KEY_READS, customer_key

CLUSTER = "AWS::Redshift::Cluster"


@check(code="LL602", name="redshift-kms-customer-managed-key", severity="low",
       title="Redshift cluster encrypted without a customer managed key",
       resource_types=[CLUSTER], sources=["template", "live"],
       reads={CLUSTER: ["Encrypted", "KmsKeyId", "SnapshotIdentifier"], **KEY_READS})
def redshift_kms_customer_managed_key(cluster, ctx):
    absent = ("the cluster is encrypted with a key AWS owns (no KmsKeyId), not a customer managed key"
              if cluster.source == "live" else
              "KmsKeyId is not set: the cluster is encrypted with a key AWS owns or manages (aws/redshift), "
              "not a customer managed key")
    for values in read_together(cluster, "Encrypted", "KmsKeyId", "SnapshotIdentifier"):
        encrypted = values.get("Encrypted", MISSING)
        if encrypted is not MISSING and not isinstance(encrypted, Unresolved) and truth(encrypted) is not True:
            continue  # known not to be encrypted: LL601's finding
        snapshot = values.get("SnapshotIdentifier", MISSING)
        if values.get("KmsKeyId", MISSING) is MISSING and snapshot not in (MISSING, None, ""):
            yield unknown(f"KmsKeyId is not set and the cluster is restored from snapshot {show(snapshot)}: it keeps "
                          "that snapshot's key, which the template does not show; name a customer managed key",
                          key="KmsKeyId")
            continue
        yield from customer_key(cluster, values, service_alias="aws/redshift", absent=absent)

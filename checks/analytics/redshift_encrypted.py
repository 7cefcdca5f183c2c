"""A Redshift cluster whose data is not encrypted at rest.

## What it does
Checks the `Encrypted` property of every `AWS::Redshift::Cluster`, on each `Fn::If` branch and each
allowed value of a parameter (booleans may be written as strings). `Encrypted: false` fails; a value
that cannot be known (a parameter without `AllowedValues` or `Default`) is reported as unverifiable.
Live, `Encrypted` is what `DescribeClusters` says: always true or false.

**When the property is absent:** since January 2025 Redshift encrypts every new provisioned cluster,
with an AWS owned key when no `KmsKeyId` is given (the API default of `Encrypted` is now true and a
request with `false` is rejected), so an absent `Encrypted` passes. A cluster restored from a snapshot
(`SnapshotIdentifier`) takes the snapshot's encryption, which the template does not show: the finding
says so. Clusters created before 2025 with `Encrypted: false` stay unencrypted.

## Why it matters
The warehouse holds the curated, joined and most valuable copy of the lake's data. Encryption at rest
also covers its automated and manual snapshots; an unencrypted cluster can only be encrypted by a
migration, and a snapshot shared by mistake exposes everything in it.

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
    Encrypted: false            # LL601
```

## Fix
Encrypt the cluster, preferably with a key of your own:
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
    KmsKeyId: !Ref WarehouseKey
```
With the AWS CLI (an existing cluster is migrated in place):
```sh
aws redshift modify-cluster --cluster-identifier warehouse --encrypted --kms-key-id KEY_ARN
```

## Fix safety
The fix sets `Encrypted: true` (with the AWS managed key `aws/redshift` unless `KmsKeyId` names one).
Redshift encrypts an existing cluster in place, but the migration makes the cluster read-only for its
duration (hours on a large cluster): schedule the deployment. No fix is offered on a cluster restored
from a snapshot, whose encryption comes from the snapshot and the key chosen for it.

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html
- https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
- https://aws.amazon.com/blogs/big-data/amazon-redshift-enhances-security-by-changing-default-behavior-in-2025/
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-cluster.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import known, position, read_together
from lakelint.core.values import MISSING, show, truth
from lakelint.fixes.intents import no_fix, set_property

CLUSTER = "AWS::Redshift::Cluster"


@check(code="LL601", name="redshift-encrypted", severity="high",
       title="Redshift cluster not encrypted at rest",
       resource_types=[CLUSTER], sources=["template", "live"],
       reads={CLUSTER: ["Encrypted", "SnapshotIdentifier"]}, fix="unsafe")
def redshift_encrypted(cluster, ctx):
    # a cluster restored from a snapshot takes the snapshot's encryption unless a customer managed key
    # is named for it: the fix does not guess that key
    restored = "SnapshotIdentifier" in (cluster.props if isinstance(cluster.props, dict) else {})
    fix = no_fix("the cluster is restored from a snapshot (SnapshotIdentifier): encrypting the restore needs a "
                 "KMS key chosen for it (KmsKeyId)") if restored else set_property("Encrypted", True)
    for values in read_together(cluster, "Encrypted", "SnapshotIdentifier"):
        encrypted = values.get("Encrypted", MISSING)
        if encrypted is not None and known(encrypted, "Encrypted", at=position(values, "Encrypted"),
                                           key="Encrypted") is None:
            continue
        snapshot = values.get("SnapshotIdentifier", MISSING)
        if encrypted is MISSING:
            if snapshot not in (MISSING, None, ""):
                yield unknown(f"Encrypted is not set and the cluster is restored from snapshot {show(snapshot)}: "
                              "it is encrypted only if that snapshot is; set Encrypted: true", key="Encrypted")
        elif truth(encrypted) is not True:
            yield fail(f"Encrypted is {show(encrypted)}: the cluster and its snapshots are not encrypted at rest",
                       at=position(values, "Encrypted"), key="Encrypted", fix=fix)

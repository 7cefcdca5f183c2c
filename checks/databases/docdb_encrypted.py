"""A DocumentDB cluster whose storage is not encrypted.

## What it does
Checks that every `AWS::DocDB::DBCluster` sets `StorageEncrypted` to true. Each `Fn::If` branch and
each allowed value of a parameter is checked; `"true"` strings count.

Live, clusters come from `DescribeDBClusters` (engine `docdb`), which always states
`StorageEncrypted`.

**When the property is absent:** through CloudFormation and the API the cluster is created
unencrypted (`StorageEncrypted` defaults to false; the console encrypts by default). A cluster restored
from a snapshot (`SnapshotIdentifier`) or cloned (`SourceDBClusterIdentifier`) inherits the encryption
of its source, which the template does not show: the finding says so.

## Why it matters
Document databases often hold the semi-structured records a lake ingests (profiles, events, orders).
Encryption at rest covers the cluster's storage, backups, snapshots and replicas, and can only be chosen
when the cluster is created.

## Example
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    StorageEncrypted: false        # LL521
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
With the AWS CLI (an existing cluster is encrypted by restoring a snapshot into a new, encrypted one):
```sh
aws docdb restore-db-cluster-from-snapshot --db-cluster-identifier catalog-v2 \
  --snapshot-identifier catalog-snap --engine docdb --kms-key-id KEY_ARN
```

## Fix safety
The fix sets `StorageEncrypted: true` (with the AWS managed key `aws/rds` unless `KmsKeyId` names
one). On a deployed stack CloudFormation replaces the cluster: a new, empty cluster with a new
endpoint. Restore it from a snapshot instead (`SnapshotIdentifier`, as under Fix). No fix is offered on
a cluster restored from a snapshot: it keeps the snapshot's encryption.

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbcluster.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together
from lakelint.core.values import MISSING
from lakelint.fixes.intents import no_fix, set_property

from ._databases import switched_on, writes_any

CLUSTER_TYPE = "AWS::DocDB::DBCluster"
SOURCES = ("SnapshotIdentifier", "SourceDBClusterIdentifier")


@check(code="LL521", name="docdb-encrypted", severity="high",
       title="DocumentDB cluster storage not encrypted",
       resource_types=[CLUSTER_TYPE], sources=["template", "live"],
       reads={CLUSTER_TYPE: ["StorageEncrypted", *SOURCES]}, fix="unsafe")
def docdb_encrypted(cluster, ctx):
    source = next((key for key in SOURCES if writes_any(cluster, key)), None)
    fix = no_fix(f"the storage encryption is inherited from {source}: encrypt the source (restore from an "
                 f"encrypted snapshot)") if source else set_property("StorageEncrypted", True)
    for values in read_together(cluster, "StorageEncrypted", *SOURCES):
        source = next((key for key in SOURCES if values.get(key, MISSING) is not MISSING), None)
        if source:
            absent = (f"StorageEncrypted is not set: encryption is inherited from {source}, which this template "
                      f"does not show; set StorageEncrypted: true")
        else:
            absent = "StorageEncrypted is not set: DocumentDB creates unencrypted storage by default"
        yield from switched_on(values, "StorageEncrypted", absent=absent, fix=fix)

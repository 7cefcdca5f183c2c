"""An RDS DB instance or DB cluster whose storage is not encrypted at rest.

## What it does
Checks `StorageEncrypted` on every `AWS::RDS::DBCluster` and on every `AWS::RDS::DBInstance` that does
not belong to a cluster. An instance with a `DBClusterIdentifier` (Aurora, Multi-AZ DB cluster) takes
its encryption from the cluster, so it is judged there and not reported twice. Each `Fn::If` branch and
each allowed value of a parameter is checked; `"true"`/`"false"` strings count as booleans.

Live, instances and clusters come from RDS `DescribeDBInstances` and `DescribeDBClusters`,
which always state `StorageEncrypted` (DocumentDB and Neptune clusters, listed by the same API, are
left out).

**When the property is absent:** RDS creates unencrypted storage (`StorageEncrypted` defaults to
false), except that a DB restored from a snapshot (`DBSnapshotIdentifier`, `SnapshotIdentifier`), a read
replica (`SourceDBInstanceIdentifier`) or a secondary cluster of a global database inherits the
encryption of its source, which the template does not show: the finding says so. A read replica of an
instance in the same template is not reported: its source is checked instead. Aurora Serverless v1
(`EngineMode: serverless`) is always encrypted.

## Why it matters
Operational databases that feed a data lake hold the same data as the lake. Encryption at rest protects
snapshots, replicas and the underlying volumes, and can only be chosen when the database is created:
turning it on later means a snapshot copy and a restore.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    AllocatedStorage: "50"
    StorageEncrypted: false        # LL501
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    AllocatedStorage: "50"
    StorageEncrypted: true
    KmsKeyId: !GetAtt DbKey.Arn
```
With the AWS CLI (an existing database is encrypted through an encrypted snapshot copy):
```sh
aws rds create-db-snapshot --db-instance-identifier orders --db-snapshot-identifier orders-plain
aws rds copy-db-snapshot --source-db-snapshot-identifier orders-plain \
  --target-db-snapshot-identifier orders-encrypted --kms-key-id KEY_ARN
aws rds restore-db-instance-from-db-snapshot --db-instance-identifier orders-v2 \
  --db-snapshot-identifier orders-encrypted
```

## Fix safety
The fix sets `StorageEncrypted: true` (with the AWS managed key `aws/rds` unless `KmsKeyId` names
one). On a deployed stack CloudFormation replaces the instance or cluster: a new, empty database with
a new endpoint. Take a snapshot, copy it encrypted and restore from it (`DBSnapshotIdentifier`), as
under Fix, rather than let the replacement start empty. No fix is offered on an Aurora member (its
storage is the cluster's) or on a database restored from a snapshot (it keeps the snapshot's
encryption).

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbcluster.html
"""

from lakelint.core.check import check
from lakelint.core.values import MISSING
from lakelint.fixes.intents import no_fix, set_property

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, own_settings, switched_on, text, writes_any

INSTANCE_SOURCES = ("DBSnapshotIdentifier", "SourceDBInstanceIdentifier", "SourceDBInstanceAutomatedBackupsArn",
                    "SourceDbiResourceId")
CLUSTER_SOURCES = ("SnapshotIdentifier", "SourceDBClusterIdentifier", "GlobalClusterIdentifier")


def inherited_from(values, sources):
    for key in sources:
        if values.get(key, MISSING) is not MISSING:
            return key
    return None


def _source_in_template(db, source) -> bool:
    """A read replica whose source is a DB instance of the same template (a ``Ref`` to it)."""
    refs = getattr(source, "refs", ())
    stack = db.stack
    return any(r.name in refs and r.type == INSTANCE_TYPE for r in (stack.resources if stack else ()))


def _fix(db, sources, is_cluster):
    """StorageEncrypted: true, only where AWS takes it: not on a database that inherits its encryption
    (from a snapshot, a source or a global cluster), nor on an instance that is a cluster's member on
    some branch (Aurora: the cluster's setting is the one that counts)."""
    source = next((key for key in sources if writes_any(db, key)), None)
    if source:
        return no_fix(f"the storage encryption is inherited from {source}: CloudFormation takes no "
                      f"StorageEncrypted with it; encrypt the source (an encrypted snapshot copy, say)")
    if not is_cluster and writes_any(db, "DBClusterIdentifier"):
        return no_fix("the instance belongs to a DB cluster (DBClusterIdentifier) on some branch: its storage "
                      "encryption is the cluster's")
    return set_property("StorageEncrypted", True)


@check(code="LL501", name="rds-storage-encrypted", severity="high",
       title="RDS DB instance or cluster storage is not encrypted",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: ["StorageEncrypted", "DBClusterIdentifier", *INSTANCE_SOURCES],
              CLUSTER_TYPE: ["StorageEncrypted", "EngineMode", *CLUSTER_SOURCES]}, fix="unsafe")
def rds_storage_encrypted(db, ctx):
    is_cluster = db.type == CLUSTER_TYPE
    sources = CLUSTER_SOURCES if is_cluster else INSTANCE_SOURCES
    mode = ("EngineMode",) if is_cluster else ()
    fix = _fix(db, sources, is_cluster)
    for values in own_settings(db, "StorageEncrypted", *mode, *sources):
        if text(values.get("EngineMode")) == "serverless":
            continue  # Aurora Serverless v1 is always encrypted
        source = inherited_from(values, sources)
        if source == "SourceDBInstanceIdentifier" and _source_in_template(db, values[source]):
            continue  # the replica is encrypted exactly when its source is, and the source is checked
        if source:
            absent = (f"StorageEncrypted is not set: encryption is inherited from {source}, which this "
                      f"template does not show; set StorageEncrypted: true")
        else:
            absent = "StorageEncrypted is not set: RDS creates unencrypted storage by default"
        yield from switched_on(values, "StorageEncrypted", absent=absent, fix=fix)

"""A DocumentDB cluster without deletion protection.

## What it does
Checks that every `AWS::DocDB::DBCluster` sets `DeletionProtection` to true. Each `Fn::If` branch and
each allowed value of a parameter is checked; `"true"` strings count.

Live, `DeletionProtection` comes from `DescribeDBClusters` (engine `docdb`).

**When the property is absent:** deletion protection is off.

## Why it matters
With deletion protection on, DocumentDB refuses to delete the cluster, whether a person, a script or a
stack deletion or replacement asks. Deleting a cluster deletes its automated backups too (only manual
snapshots and a final snapshot survive).

## Example
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    DeletionProtection: false        # LL524
```

## Fix
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  DeletionPolicy: Snapshot
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
    DeletionProtection: true
```
With the AWS CLI:
```sh
aws docdb modify-db-cluster --db-cluster-identifier catalog --deletion-protection --apply-immediately
```

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/db-cluster-delete.html#db-cluster-deletion-protection
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbcluster.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together
from lakelint.fixes.intents import set_property

from ._databases import switched_on

CLUSTER_TYPE = "AWS::DocDB::DBCluster"
PROTECT = set_property("DeletionProtection", True)


@check(code="LL524", name="docdb-deletion-protection", severity="medium",
       title="DocumentDB cluster without deletion protection",
       resource_types=[CLUSTER_TYPE], sources=["template", "live"],
       reads={CLUSTER_TYPE: ["DeletionProtection"]}, fix="safe")
def docdb_deletion_protection(cluster, ctx):
    for values in read_together(cluster, "DeletionProtection"):
        yield from switched_on(values, "DeletionProtection", absent="DeletionProtection is not set: off by default",
                               fix=PROTECT)

"""An RDS DB instance or cluster without deletion protection.

## What it does
Checks `DeletionProtection` on every `AWS::RDS::DBCluster` and on every `AWS::RDS::DBInstance` that does
not belong to a cluster (a cluster's instances are protected by the cluster's setting). Each `Fn::If`
branch and each allowed value of a parameter is checked; `"true"` strings count.

Live, `DeletionProtection` comes from `DescribeDBInstances` and `DescribeDBClusters`.

**When the property is absent:** deletion protection is off (`DeletionProtection` defaults to false
through CloudFormation and the API; only the console turns it on by default).

## Why it matters
With deletion protection on, RDS refuses to delete the database, whether the request comes from a
person, a script or a stack deletion or replacement. The operational databases a data lake ingests from
are usually the system of record: losing one loses the source of truth, not a copy.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    DeletionProtection: false        # LL506
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  DeletionPolicy: Snapshot
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    DeletionProtection: true
```
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders --deletion-protection --apply-immediately
aws rds modify-db-cluster --db-cluster-identifier lake --deletion-protection --apply-immediately
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeletionProtection.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check
from lakelint.fixes.intents import no_fix, set_property

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, own_settings, switched_on, writes_any


@check(code="LL506", name="rds-deletion-protection", severity="medium",
       title="RDS instance or cluster without deletion protection",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: ["DeletionProtection", "DBClusterIdentifier"], CLUSTER_TYPE: ["DeletionProtection"]},
       fix="safe")
def rds_deletion_protection(db, ctx):
    # an instance that is a cluster's member on some branch takes the cluster's protection: no fix there
    member = db.type == INSTANCE_TYPE and writes_any(db, "DBClusterIdentifier")
    fix = no_fix("the instance belongs to a DB cluster (DBClusterIdentifier) on some branch: deletion protection "
                 "is the cluster's") if member else set_property("DeletionProtection", True)
    for values in own_settings(db, "DeletionProtection"):
        yield from switched_on(values, "DeletionProtection", absent="DeletionProtection is not set: off by default",
                               fix=fix)

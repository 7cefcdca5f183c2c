"""A single-AZ RDS DB instance or Aurora cluster.

## What it does
Checks that every `AWS::RDS::DBInstance` that does not belong to a cluster sets `MultiAZ` to true, and
that every Aurora `AWS::RDS::DBCluster` has at least two DB instances in the template (a writer and an
Aurora Replica to fail over to: Aurora places them in different Availability Zones); a DB instance
with a `Condition` counts only where its condition holds. Multi-AZ DB clusters (`DBClusterInstanceClass`
set) always span three Availability Zones and pass; Aurora Serverless v1 (`EngineMode: serverless`) is
not checked.

Live, `MultiAZ` comes from `DescribeDBInstances`, and an Aurora cluster's instances are the DB
instances in the account whose `DBClusterIdentifier` names it.

**When the property is absent:** `MultiAZ` defaults to false: a single instance in one Availability
Zone. An Aurora cluster whose instances are not in this template is reported, since the template does
not show a second instance.

## Why it matters
A single-AZ database is down for as long as its Availability Zone or host is: ingestion jobs and CDC
streams into the lake stop with it. Multi-AZ keeps a synchronous standby (or an Aurora Replica) that
takes over automatically, usually within a minute or two.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    MultiAZ: false        # LL505
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    MultiAZ: true
```
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders --multi-az --apply-immediately
aws rds create-db-instance --db-instance-identifier lake-reader --db-cluster-identifier lake \
  --engine aurora-postgresql --db-instance-class db.r6g.large
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, read_together
from lakelint.core.values import MISSING

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, own_settings, switched_on, text


@check(code="LL505", name="rds-multi-az", severity="medium",
       title="RDS instance or Aurora cluster in a single Availability Zone",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: ["MultiAZ", "DBClusterIdentifier"],
              CLUSTER_TYPE: ["DBClusterInstanceClass", "EngineMode"]})
def rds_multi_az(db, ctx):
    if db.type == CLUSTER_TYPE:
        yield from _cluster(db)
        return
    for values in own_settings(db, "MultiAZ"):
        yield from switched_on(values, "MultiAZ",
                               absent="MultiAZ is not set: RDS creates a single-AZ instance by default")


def _cluster(cluster):
    """An Aurora cluster needs a second DB instance (an Aurora Replica) where the first one is not."""
    for values in read_together(cluster, "DBClusterInstanceClass", "EngineMode"):
        if values.get("DBClusterInstanceClass", MISSING) is not MISSING:
            continue  # a Multi-AZ DB cluster: one writer and two readers in three AZs
        if text(values.get("EngineMode")) == "serverless":
            continue
        # a member with a Condition is there only where it holds
        for members in existing(cluster.related("instances"), within=cluster):
            if len(members) < 2:
                found = "no DB instance" if not members else f"only {members[0].name}"
                where = "" if cluster.source == "live" else " in this template"
                yield fail(f"the cluster has {found}{where}: without a second instance (an Aurora "
                           f"Replica) there is nothing to fail over to in another Availability Zone")

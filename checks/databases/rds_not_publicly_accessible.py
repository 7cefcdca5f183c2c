"""An RDS DB instance (or Multi-AZ DB cluster) that is, or may be, publicly accessible.

## What it does
Checks `PubliclyAccessible` on every `AWS::RDS::DBInstance` (Aurora instances included: the setting is
per instance) and on `AWS::RDS::DBCluster` resources that are Multi-AZ DB clusters (they have a
`DBClusterInstanceClass`; Aurora clusters have no such setting). `true`, `"true"` and each `Fn::If`
branch or allowed parameter value that gives true fail.

Live, `DescribeDBInstances` states `PubliclyAccessible` for every instance (and
`DescribeDBClusters` for Multi-AZ DB clusters), so the value is exact and the subnet-group caveat below
is for templates only.

**When the property is absent:** RDS decides from the network. Without `DBSubnetGroupName` the
database goes into the default VPC and is publicly accessible by default; with a DB subnet group the
default depends on the subnets (public when they route to an internet gateway), which the template does
not show. Both are reported, saying which applies: set `PubliclyAccessible: false`.

## Why it matters
A publicly accessible database gets a public DNS name and address; one security-group rule that is too
wide then exposes a data-lake source to the internet. Lake pipelines reach their sources from inside the
VPC, so no operational database needs a public endpoint.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    PubliclyAccessible: true        # LL503
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    DBSubnetGroupName: !Ref PrivateSubnets
    PubliclyAccessible: false
```
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders --no-publicly-accessible --apply-immediately
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding
- https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import known, read_together
from lakelint.core.values import MISSING, show, truth

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, where

KEY = "PubliclyAccessible"
# what decides the default when the setting is absent: an instance's subnet group or its cluster's
INSTANCE_KEYS = (KEY, "DBSubnetGroupName", "DBClusterIdentifier")
CLUSTER_KEYS = (KEY, "DBClusterInstanceClass")  # only Multi-AZ DB clusters have the setting


@check(code="LL503", name="rds-not-publicly-accessible", severity="high",
       title="RDS database is publicly accessible",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       reads={INSTANCE_TYPE: list(INSTANCE_KEYS), CLUSTER_TYPE: list(CLUSTER_KEYS)})
def rds_not_publicly_accessible(db, ctx):
    is_cluster = db.type == CLUSTER_TYPE
    for values in read_together(db, *(CLUSTER_KEYS if is_cluster else INSTANCE_KEYS)):
        aurora = is_cluster and values.get("DBClusterInstanceClass", MISSING) is MISSING
        if aurora and values.get(KEY, MISSING) is MISSING:
            continue  # Aurora: each instance carries the setting
        value = known(values.get(KEY, MISSING), KEY, at=where(values, KEY), key=KEY)
        if value is None:
            continue
        if value is MISSING and db.source == "live":
            # RDS states the setting for every instance: a response without it is incomplete
            yield unknown(f"cannot verify {KEY}: RDS did not report it", key=KEY)
        elif value is MISSING:
            yield fail(_absent(is_cluster, values), at=where(values, KEY), key=KEY)
        elif truth(value) is not False:
            yield fail(f"{KEY} is {show(value)}", at=where(values, KEY), key=KEY)


def _absent(is_cluster, values) -> str:
    """What an absent setting means: the default VPC's public default, or a subnet group's subnets."""
    if is_cluster or values.get("DBClusterIdentifier", MISSING) is not MISSING:
        subnet_group = "the cluster's DB subnet group"
    elif values.get("DBSubnetGroupName", MISSING) is not MISSING:
        subnet_group = "its DB subnet group"
    else:
        return ("PubliclyAccessible is not set and there is no DBSubnetGroupName: the database goes into the "
                "default VPC, where it is publicly accessible by default; set it to false")
    return (f"PubliclyAccessible is not set: its default depends on {subnet_group} (public when the subnets "
            f"have an internet gateway route); set it to false")

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
from lakelint.core.propcheck import at_key, missing_at, props_branches
from lakelint.core.values import MISSING, is_unresolved, show, truth


@check(code="LL503", name="rds-not-publicly-accessible", severity="high",
       title="RDS database is publicly accessible",
       resource_types=["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"], sources=["template", "live"])
def rds_not_publicly_accessible(db, ctx):
    is_cluster = db.type == "AWS::RDS::DBCluster"
    keys = ("PubliclyAccessible", "DBSubnetGroupName", "DBClusterInstanceClass", "DBClusterIdentifier")
    for branch in props_branches(db, *keys):
        values = branch.value
        value = values.get("PubliclyAccessible", MISSING)
        if is_cluster and values.get("DBClusterInstanceClass", MISSING) is MISSING and value is MISSING:
            continue  # Aurora: each instance carries the setting
        if is_unresolved(value):
            yield unknown(f"cannot verify PubliclyAccessible: it {value.reason}", cause=value, branch=branch,
                          at=at_key(values, "PubliclyAccessible"), key="PubliclyAccessible")
        elif value is MISSING and db.source == "live":
            # RDS states the setting for every instance: a response without it is incomplete
            yield unknown("cannot verify PubliclyAccessible: RDS did not report it", branch=branch,
                          key="PubliclyAccessible")
        elif value is MISSING:
            if is_cluster or values.get("DBClusterIdentifier", MISSING) is not MISSING:
                subnet_group = "the cluster's DB subnet group"
            else:
                subnet_group = None if values.get("DBSubnetGroupName", MISSING) is MISSING else "its DB subnet group"
            if subnet_group is None:
                message = ("PubliclyAccessible is not set and there is no DBSubnetGroupName: the database goes "
                           "into the default VPC, where it is publicly accessible by default; set it to false")
            else:
                message = (f"PubliclyAccessible is not set: its default depends on {subnet_group} (public when "
                           f"the subnets have an internet gateway route); set it to false")
            yield fail(message, branch=branch, at=missing_at(values, "PubliclyAccessible"), key="PubliclyAccessible")
        elif truth(value) is not False:
            yield fail(f"PubliclyAccessible is {show(value)}", branch=branch, at=at_key(values, "PubliclyAccessible"),
                       key="PubliclyAccessible")

"""A Redshift cluster launched without a cluster subnet group of its own.

## What it does
Checks that an `AWS::Redshift::Cluster` names a `ClusterSubnetGroupName` (a `Ref` to an
`AWS::Redshift::ClusterSubnetGroup`, a literal name or a parameter; only its presence matters) on
every `Fn::If` branch, `AWS::NoValue` included.

**When the property is absent:** the API reference still says such a cluster is deployed "outside a
VPC" (EC2-Classic); since EC2-Classic's retirement Redshift places it in the account's default VPC, on
default subnets the template does not control, so an absent value fails.

**Live:** `DescribeClusters` names the cluster's subnet group. A cluster without one is outside any
VPC (EC2-Classic) and fails; so does one in the subnet group named `default`, which Redshift makes
for the default VPC when no group is chosen (no one else may use that name): it is the live form of
the absent property above.

## Why it matters
The subnet group decides which subnets, route tables and network ACLs the warehouse lives behind. The
default VPC has public subnets with a route to an internet gateway; a data-lake warehouse belongs in
private subnets chosen on purpose, next to the S3 gateway endpoint its COPY and UNLOAD traffic uses.

## Example
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:                   # LL607: no ClusterSubnetGroupName
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
```

## Fix
```yaml
PrivateSubnets:
  Type: AWS::Redshift::ClusterSubnetGroup
  Properties:
    Description: private subnets of the lake VPC
    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
    ClusterSubnetGroupName: !Ref PrivateSubnets
```
With the AWS CLI (a cluster moves to another subnet group by restoring a snapshot into it):
```sh
aws redshift create-cluster-subnet-group --cluster-subnet-group-name lake-private \
  --description "private subnets of the lake VPC" --subnet-ids subnet-0a subnet-0b
aws redshift restore-from-cluster-snapshot --cluster-identifier warehouse-vpc \
  --snapshot-identifier warehouse-final --cluster-subnet-group-name lake-private
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-cluster-subnet-groups.html
- https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-clustersubnetgroup.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING

CLUSTER = "AWS::Redshift::Cluster"
KEY = "ClusterSubnetGroupName"


@check(code="LL607", name="redshift-in-vpc", severity="medium",
       title="Redshift cluster without a cluster subnet group",
       resource_types=[CLUSTER], sources=["template", "live"],
       reads={CLUSTER: [KEY]})
def redshift_in_vpc(cluster, ctx):
    live = cluster.source == "live"
    # in a template, a name known only at deploy time still puts the cluster in a group of the template's
    # choosing; live, the name must have been read to be judged
    for group in read(cluster, KEY, presence=not live):
        if live:
            yield from _live(group)
        elif group is MISSING or group in (None, ""):
            state = "is empty" if group == "" else "is not set"
            yield fail(f"{KEY} {state}: the cluster lands in the default VPC's default subnets, not in subnets "
                       "the template chooses", key=KEY)


def _live(group):
    if group in (MISSING, None, ""):
        yield fail("the cluster has no cluster subnet group: it is not in a VPC (EC2-Classic)", key=KEY)
    elif isinstance(group, str) and group.strip().lower() == "default":
        yield fail("the cluster is in the subnet group default: the default VPC's subnets, not subnets "
                   "chosen for it", key=KEY)

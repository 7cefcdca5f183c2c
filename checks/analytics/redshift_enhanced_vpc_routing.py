"""A Redshift cluster whose COPY and UNLOAD traffic to S3 leaves the VPC.

## What it does
Checks that an `AWS::Redshift::Cluster` sets `EnhancedVpcRouting` to true (or `"true"`) on every
`Fn::If` branch and allowed parameter value. Live, `EnhancedVpcRouting` is what `DescribeClusters`
says: always true or false.

**When the property is absent:** enhanced VPC routing is off by default, so COPY, UNLOAD and Spectrum
traffic to S3 takes Redshift's own network path, outside your VPC; an absent value fails.

## Why it matters
With enhanced VPC routing, traffic between the warehouse and the lake's buckets goes through your VPC,
where S3 endpoint policies, security groups, network ACLs and VPC Flow Logs apply to it. Without it,
a COPY or UNLOAD can reach any bucket on the internet, and the data-lake network guidance (endpoint
policies naming the lake buckets, LL201/LL202) does not cover the warehouse at all.

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
    EnhancedVpcRouting: false   # LL606
```

## Fix
Turn it on (the VPC then needs an S3 gateway endpoint or a NAT path to S3):
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
    EnhancedVpcRouting: true
```
With the AWS CLI:
```sh
aws redshift modify-cluster --cluster-identifier warehouse --enhanced-vpc-routing
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/enhanced-vpc-routing.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-cluster.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together

from ..storage._flags import must_be_true

CLUSTER = "AWS::Redshift::Cluster"


@check(code="LL606", name="redshift-enhanced-vpc-routing", severity="medium",
       title="Redshift COPY/UNLOAD traffic to S3 does not stay in the VPC",
       resource_types=[CLUSTER], sources=["template", "live"],
       reads={CLUSTER: ["EnhancedVpcRouting"]})
def redshift_enhanced_vpc_routing(cluster, ctx):
    for values in read_together(cluster, "EnhancedVpcRouting"):
        yield from must_be_true(values, "EnhancedVpcRouting", absent=(
            "EnhancedVpcRouting is not set (off by default): COPY and UNLOAD traffic to S3 leaves the VPC"))

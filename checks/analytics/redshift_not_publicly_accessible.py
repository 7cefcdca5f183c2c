"""A Redshift cluster that can be reached from the internet.

## What it does
Fails when an `AWS::Redshift::Cluster` sets `PubliclyAccessible` to true (or `"true"`) on any
`Fn::If` branch or allowed parameter value; a value that cannot be known is reported as unverifiable.
Live, `PubliclyAccessible` is what `DescribeClusters` says: always true or false.

**When the property is absent:** `PubliclyAccessible` defaults to false for clusters created or
restored since January 2025 (before that the API default was true), so an absent value passes.

## Why it matters
A publicly accessible cluster gets a public IP address and a DNS name that resolves to it: the only
thing left between the warehouse and the internet is its security groups. Misconfigured public
warehouses are a recurring source of data-lake breaches; analysts reach a private cluster through the
VPC, a VPN or Redshift's managed VPC endpoints instead.

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
    PubliclyAccessible: true    # LL603
```

## Fix
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
    PubliclyAccessible: false
    ClusterSubnetGroupName: !Ref PrivateSubnets
```
With the AWS CLI:
```sh
aws redshift modify-cluster --cluster-identifier warehouse --no-publicly-accessible
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html
- https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
- https://aws.amazon.com/blogs/big-data/amazon-redshift-enhances-security-by-changing-default-behavior-in-2025/
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING, show, truth

CLUSTER = "AWS::Redshift::Cluster"


@check(code="LL603", name="redshift-not-publicly-accessible", severity="high",
       title="Redshift cluster publicly accessible",
       resource_types=[CLUSTER], sources=["template", "live"],
       reads={CLUSTER: ["PubliclyAccessible"]})
def redshift_not_publicly_accessible(cluster, ctx):
    for value in read(cluster, "PubliclyAccessible"):
        if value is not MISSING and truth(value) is not False:
            yield fail(f"PubliclyAccessible is {show(value)}: the cluster has a public endpoint",
                       key="PubliclyAccessible")

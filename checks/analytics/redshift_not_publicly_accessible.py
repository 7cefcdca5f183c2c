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

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, is_unresolved, show, truth


@check(code="LL603", name="redshift-not-publicly-accessible", severity="high",
       title="Redshift cluster publicly accessible",
       resource_types=["AWS::Redshift::Cluster"], sources=["template", "live"])
def redshift_not_publicly_accessible(cluster, ctx):
    for branch in cluster.branches("PubliclyAccessible"):
        value = branch.value
        if value is MISSING:
            continue
        if is_unresolved(value):
            yield unknown(f"cannot verify PubliclyAccessible: it {value.reason}", cause=value, branch=branch,
                          key="PubliclyAccessible")
        elif truth(value) is not False:
            yield fail(f"PubliclyAccessible is {show(value)}: the cluster has a public endpoint",
                       branch=branch, key="PubliclyAccessible")

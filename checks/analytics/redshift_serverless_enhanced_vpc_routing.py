"""A Redshift Serverless workgroup whose COPY and UNLOAD traffic to S3 leaves the VPC.

## What it does
Checks that an `AWS::RedshiftServerless::Workgroup` sets `EnhancedVpcRouting` to true (or `"true"`)
on every `Fn::If` branch and allowed parameter value; a workgroup with a `Condition` is judged where it
exists. A value that cannot be known is reported as unverifiable. Live, `EnhancedVpcRouting` is what
`ListWorkgroups` says of each workgroup: always true or false.

**When the property is absent:** enhanced VPC routing is off by default, so COPY, UNLOAD and
Spectrum traffic to S3 takes Redshift's own network path, outside your VPC; an absent value fails.

## Why it matters
With enhanced VPC routing, traffic between the serverless warehouse and the lake's buckets goes through
your VPC, where S3 endpoint policies, security groups, network ACLs and VPC Flow Logs apply to it.
Without it, a COPY or UNLOAD can reach any bucket on the internet (an `UNLOAD` to an attacker's bucket
is an exfiltration path), and the data-lake network guidance (endpoint policies naming the lake
buckets, LL201/LL202) does not cover the warehouse at all. LL606 is the same rule for provisioned
clusters.

## Example
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Workgroup
  Properties:
    WorkgroupName: analytics
    NamespaceName: !Ref AnalyticsNamespace   # LL614: no EnhancedVpcRouting
```

## Fix
Turn it on (the workgroup's subnets then need an S3 gateway endpoint or a NAT path to S3):
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Workgroup
  Properties:
    WorkgroupName: analytics
    NamespaceName: !Ref AnalyticsNamespace
    EnhancedVpcRouting: true
```
With the AWS CLI:
```sh
aws redshift-serverless update-workgroup --workgroup-name analytics --enhanced-vpc-routing
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/enhanced-vpc-routing.html
- https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_UpdateWorkgroup.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshiftserverless-workgroup.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together

from ..storage._flags import must_be_true

WORKGROUP = "AWS::RedshiftServerless::Workgroup"


@check(code="LL614", name="redshift-serverless-enhanced-vpc-routing", severity="medium",
       title="Redshift Serverless workgroup traffic to S3 does not stay in the VPC",
       resource_types=[WORKGROUP], sources=["template", "live"], preview=True,
       reads={WORKGROUP: ["EnhancedVpcRouting"]})
def redshift_serverless_enhanced_vpc_routing(workgroup, ctx):
    for values in read_together(workgroup, "EnhancedVpcRouting"):
        yield from must_be_true(values, "EnhancedVpcRouting", absent=(
            "EnhancedVpcRouting is not set (off by default): COPY and UNLOAD traffic to S3 leaves the VPC"))

"""A Redshift Serverless workgroup that can be reached from the internet.

## What it does
Fails when an `AWS::RedshiftServerless::Workgroup` sets `PubliclyAccessible` to true (or `"true"`) on
any `Fn::If` branch or allowed parameter value; a workgroup with a `Condition` is judged where it
exists. A value that cannot be known (a parameter without `AllowedValues` or `Default`) is reported as
unverifiable, and a value that is not a boolean fails. Live, `PubliclyAccessible` is what
`ListWorkgroups` says of each workgroup: always true or false.

**When the property is absent:** `PubliclyAccessible` defaults to false, so an absent value passes.

## Why it matters
A publicly accessible workgroup gets an endpoint that resolves to public IP addresses: anyone on the
internet can try to connect to the serverless warehouse, and only its security groups stand in the way.
The warehouse holds the curated, joined copy of the lake's data; analysts and BI tools reach a private
workgroup through the VPC, a VPN or a Redshift-managed VPC endpoint instead.

## Example
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Workgroup
  Properties:
    WorkgroupName: analytics
    NamespaceName: !Ref AnalyticsNamespace
    PubliclyAccessible: true     # LL613
```

## Fix
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Workgroup
  Properties:
    WorkgroupName: analytics
    NamespaceName: !Ref AnalyticsNamespace
    PubliclyAccessible: false
    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB, !Ref PrivateSubnetC]
```
With the AWS CLI:
```sh
aws redshift-serverless update-workgroup --workgroup-name analytics --no-publicly-accessible
```

## References
- https://docs.aws.amazon.com/config/latest/developerguide/redshift-serverless-workgroup-no-public-access.html
- https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_UpdateWorkgroup.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshiftserverless-workgroup.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read

from ..storage._flags import must_not_be_true

WORKGROUP = "AWS::RedshiftServerless::Workgroup"


@check(code="LL613", name="redshift-serverless-workgroup-not-public", severity="high",
       title="Redshift Serverless workgroup publicly accessible",
       resource_types=[WORKGROUP], sources=["template", "live"], preview=True,
       reads={WORKGROUP: ["PubliclyAccessible"]})
def redshift_serverless_workgroup_not_public(workgroup, ctx):
    for value in read(workgroup, "PubliclyAccessible"):
        yield from must_not_be_true(value, "PubliclyAccessible", "the workgroup has a public endpoint")

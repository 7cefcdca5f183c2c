"""An S3 VPC endpoint with no policy, or with a policy that grants full access.

## What it does
Looks at every VPC endpoint (gateway or interface) whose service is S3
(`com.amazonaws.<region>.s3`, also when built with `!Sub` or `!Join`) and fails when it has no
`PolicyDocument`, or when a statement allows `*` (or `s3:*`) actions on `*` resources to the `*`
principal without a condition.

**When the property is absent:** AWS attaches a default policy that allows full access to every
bucket in every account, so an absent `PolicyDocument` fails.

## Why it matters
The S3 endpoint is the path every job in the VPC uses to reach S3. With full access it also reaches
any bucket of any account, which is how data is exfiltrated from a private network without a NAT or
internet gateway ever seeing it. The data-lake network guidance asks for endpoint policies that name
the buckets (or the organisation) the VPC is allowed to reach.

## Example
```yaml
S3Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3   # LL201: no PolicyDocument
    RouteTableIds: [!Ref PrivateRouteTable]
```

## Fix
Attach a policy that limits the endpoint to the lake's buckets:
```yaml
S3Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    RouteTableIds: [!Ref PrivateRouteTable]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
          Resource: [!GetAtt LakeBucket.Arn, !Sub "${LakeBucket.Arn}/*"]
```
With the AWS CLI:
```sh
aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0123456789abcdef0 --policy-document file://endpoint-policy.json
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html
"""

from lakelint.core.check import check, fail

from ._endpoints import ENDPOINT_TYPE, endpoint_policies, serving


def full_access(statement) -> bool:
    """Allow of every action on every resource to everyone, with nothing to narrow it."""
    return (statement.allows and statement.public_principal and statement.all_actions
            and statement.all_resources and not statement.conditions)


@check(code="LL201", name="vpce-s3-policy", severity="high",
       title="S3 VPC endpoint without a policy that restricts access",
       resource_types=[ENDPOINT_TYPE], reads={ENDPOINT_TYPE: ["ServiceName", "PolicyDocument"]})
def vpce_s3_policy(endpoint, ctx):
    for _ in serving(endpoint, "s3"):
        for policy, at in endpoint_policies(endpoint):
            if policy is None:
                yield fail("the S3 endpoint has no PolicyDocument: AWS's default policy allows full access to "
                           "every bucket", at=at, key="PolicyDocument")
                continue
            for statement in policy.statements:
                if full_access(statement):
                    yield fail("the endpoint policy allows every action on every resource to every principal",
                               at=statement.pos or at, key="PolicyDocument.Statement")
                    break

"""A DynamoDB VPC endpoint with no policy, or with a policy that grants full access.

## What it does
Looks at every VPC endpoint whose service is DynamoDB (`com.amazonaws.<region>.dynamodb`, also when
built with `!Sub` or `!Join`) and fails when it has no `PolicyDocument`, or when a statement allows
`*` (or `dynamodb:*`) actions on `*` resources to the `*` principal without a condition. Policies
written as JSON strings count, and every `Fn::If` branch is checked. On a live account the endpoints
and their policies come from `DescribeVpcEndpoints` in each scanned region.

**When the property is absent:** AWS attaches a default policy that allows every action on every
table of every account, so an absent `PolicyDocument` fails.

## Why it matters
The DynamoDB gateway endpoint carries every call the VPC makes to DynamoDB. With full access, a
workload in the VPC can write lake metadata or extracted data to a table in any account, unseen by
NAT gateways and firewalls. An endpoint policy naming the tables (or the account) closes that path.

## Example
```yaml
DynamoEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.dynamodb   # LL203: no PolicyDocument
    RouteTableIds: [!Ref PrivateRouteTable]
```

## Fix
```yaml
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
          Resource: !GetAtt JobStateTable.Arn
```
With the AWS CLI:
```sh
aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0123456789abcdef0 --policy-document file://dynamodb-endpoint-policy.json
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/vpc-endpoints-dynamodb.html
- https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
"""

from lakelint.core.check import check, fail

from ._endpoints import ENDPOINT_TYPE, endpoint_policies, serving


def full_access(statement) -> bool:
    return (statement.allows and statement.public_principal and statement.all_actions_of("dynamodb")
            and statement.all_resources and not statement.conditions)


@check(code="LL203", name="vpce-dynamodb-policy", severity="medium",
       title="DynamoDB VPC endpoint without a policy that restricts access",
       resource_types=[ENDPOINT_TYPE], sources=["template", "live"],
       reads={ENDPOINT_TYPE: ["ServiceName", "PolicyDocument"]})
def vpce_dynamodb_policy(endpoint, ctx):
    for _ in serving(endpoint, "dynamodb"):
        for policy, at in endpoint_policies(endpoint):
            if policy is None:
                yield fail("the DynamoDB endpoint has no PolicyDocument: AWS's default policy allows full access "
                           "to every table", at=at, key="PolicyDocument")
                continue
            for statement in policy.statements:
                if full_access(statement):
                    yield fail("the endpoint policy allows every action on every table to every principal",
                               at=statement.pos or at, key="PolicyDocument.Statement")
                    break

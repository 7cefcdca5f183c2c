"""An S3 VPC endpoint policy that does not limit access to named buckets or to the organisation.

## What it does
Looks at every VPC endpoint whose service is S3 and fails unless its policy limits what the VPC can
reach: every `Allow` statement either names its buckets (`Resource` entries such as
`arn:aws:s3:::lake-raw/*` or `!GetAtt LakeBucket.Arn`, not `*` or `arn:aws:s3:::*`), or carries a
condition that pins the resources or callers to the organisation or account (`aws:ResourceOrgID`,
`s3:ResourceAccount`, `aws:ResourceAccount`, `aws:PrincipalOrgID`); or a `Deny` statement refuses
every request whose resource or caller is outside them (`StringNotEquals` on one of those keys).
Policies written as JSON strings count, and every `Fn::If` branch is checked. On a live account the
endpoints and their policies come from `DescribeVpcEndpoints` in each scanned region.

**When the property is absent:** AWS attaches a default policy that allows everything on every bucket
of every account, so an endpoint without a policy fails (LL201 reports it too, as high).

## Why it matters
LL201 catches the full-access policy; this check asks for the next step of the data-lake network
guidance. An endpoint policy that allows `s3:GetObject` and `s3:PutObject` on `*` still lets any
workload in the VPC copy data to a bucket in an attacker's account, and that traffic never crosses a
NAT gateway or firewall. Limiting the endpoint to the lake's buckets, or to the organisation's
resources, closes that path.

## Example
```yaml
S3Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: [s3:GetObject, s3:PutObject]
          Resource: "*"                  # LL202
```

## Fix
```yaml
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: [s3:GetObject, s3:PutObject]
          Resource: "*"
          Condition:
            StringEquals:
              aws:ResourceOrgID: o-exampleorgid
```
With the AWS CLI:
```sh
aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0123456789abcdef0 --policy-document file://org-scoped-endpoint-policy.json
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#edit-vpc-endpoint-policy-s3
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
- https://aws.amazon.com/blogs/security/how-to-implement-data-perimeter-guardrails/
"""

from lakelint.core.check import check, fail
from lakelint.core.values import Unresolved, show
from lakelint.knowledge.policy import allow_verdict
from lakelint.knowledge.services import s3_arn_bucket

from ._endpoints import ENDPOINT_TYPE, endpoint_policies, serving

SCOPING_KEYS = ("aws:ResourceOrgID", "s3:ResourceAccount", "aws:ResourceAccount", "aws:PrincipalOrgID")


def names_bucket(resource) -> bool:
    """A resource entry that names a bucket (or an object in one), not every bucket."""
    if isinstance(resource, Unresolved) and not str(resource).startswith("arn:"):
        return True  # !GetAtt LakeBucket.Arn, "${LakeBucket.Arn}/*": a bucket of the template
    bucket = s3_arn_bucket(resource)
    if bucket is None:
        return not str(resource).strip().startswith("*")
    return bool(bucket) and not bucket.startswith("*")


def statement_scoped(statement) -> bool:
    if any(c.narrows for c in statement.conditions_on(*SCOPING_KEYS)):
        return True
    return bool(statement.resources) and not statement.not_resources and all(
        names_bucket(r) for r in statement.resources)


def perimeter_deny(statement) -> bool:
    """A Deny of everything outside the organisation or account."""
    return (statement.denies and statement.covers_action("s3:GetObject") and statement.covers_action("s3:PutObject")
            and any(c.negated for c in statement.conditions_on(*SCOPING_KEYS)))


@check(code="LL202", name="vpce-s3-policy-scoped", severity="low",
       title="S3 VPC endpoint policy not limited to named buckets or the organisation",
       resource_types=[ENDPOINT_TYPE], sources=["template", "live"],
       reads={ENDPOINT_TYPE: ["ServiceName", "PolicyDocument"]})
def vpce_s3_policy_scoped(endpoint, ctx):
    for _ in serving(endpoint, "s3"):
        for policy, at in endpoint_policies(endpoint):
            if policy is None:
                yield fail("the S3 endpoint has no PolicyDocument: AWS's default policy reaches every bucket of "
                           "every account", at=at, key="PolicyDocument")
                continue
            if any(perimeter_deny(s) for s in policy.statements):
                continue
            for statement in policy.may_allow:
                if not statement_scoped(statement):
                    label = f"statement {show(statement.sid)}" if statement.sid else "a statement"
                    yield allow_verdict(statement, f"{label} of the endpoint policy allows any bucket: name the "
                                        "buckets or add an aws:ResourceOrgID / s3:ResourceAccount / "
                                        "aws:PrincipalOrgID condition", at=statement.pos or at,
                                        key="PolicyDocument.Statement")

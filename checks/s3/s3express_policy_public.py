"""S3 directory bucket policy that allows everyone, or a directory bucket access point that lacks Block
Public Access (or a VPC-only network origin, where the configuration asks for one).

## What it does
- `AWS::S3Express::BucketPolicy`: fails on each `Allow` statement of `PolicyDocument` whose principal
  is `*` or `{"AWS": "*"}` without a condition that narrows it. The policy model and the narrowing
  conditions are those of the S3 bucket-policy checks (LL108): `aws:SourceVpce`, `aws:SourceVpc`,
  `aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceIp` and the other keys S3
  treats as non-public; a negated operator, an `...IfExists` operator, a `ForAllValues` test, a `*`
  value or `0.0.0.0/0` narrows nothing.
- `AWS::S3Express::AccessPoint`: fails when any of `BlockPublicAcls`, `BlockPublicPolicy`,
  `IgnorePublicAcls` and `RestrictPublicBuckets` of its `PublicAccessBlockConfiguration` is false, and
  on each `Allow` to `*` without a narrowing condition in its `Policy`. With the option
  `s3express-vpc-only-access-points: true` it also fails when the access point has no
  `VpcConfiguration` (its network origin is then `Internet`); the option is off by default.

Policies written as JSON strings, every `Fn::If` branch and each allowed value of a parameter are
checked; a value known only at deploy time cannot be verified.

On a live account the directory buckets of each scanned region come from `ListDirectoryBuckets` and
their policies from `GetBucketPolicy` through the region's S3 Express control endpoint, each an
`AWS::S3Express::BucketPolicy` named `<bucket>/policy`; the access points come from s3control's
`ListAccessPointsForDirectoryBuckets` (their network origin and VPC with them), their Block Public
Access settings from `GetAccessPoint` and their policies from `GetAccessPointPolicy` (IAM actions
`s3express:ListAllMyDirectoryBuckets`, `s3express:GetBucketPolicy`,
`s3express:ListAccessPointsForDirectoryBuckets`, `s3express:GetAccessPoint`,
`s3express:GetAccessPointPolicy`). A policy or setting that could not be read is reported as "could
not evaluate", never passed.

**When the property is absent:** a directory bucket without a bucket policy, or an access point without
a policy, grants nothing beyond IAM in its own account, which passes; S3 turns every Block Public Access
setting on for a new access point of a directory bucket, so an absent configuration, or a setting
absent from it, passes; an access point without `VpcConfiguration` accepts requests from the internet
(subject to its policies), which fails only when the option asks for VPC-only access points.

## Why it matters
Directory buckets hold a lake's hottest copies of its data and are reached through sessions that any
principal the bucket policy allows can create. `"Principal": "*"` there lets every AWS account create
sessions and read or write the objects the statement covers. Access points are the narrow doors to a
shared directory bucket: one whose Block Public Access is off, or whose policy lets everyone in,
turns a door into a public entrance; one reachable from the internet where the data should only ever
be read from inside the VPC widens the blast radius of a leaked credential.

## Example
```yaml
HotBucketPolicy:
  Type: AWS::S3Express::BucketPolicy
  Properties:
    Bucket: !Ref HotBucket
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"                      # LL137
          Action: s3express:CreateSession
          Resource: !GetAtt HotBucket.Arn
```

## Fix
Name the principals, or narrow `*` to your organisation or VPC endpoint; keep access points' Block
Public Access on and give them a VPC:
```yaml
        - Effect: Allow
          Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/spark"}
          Action: s3express:CreateSession
          Resource: !GetAtt HotBucket.Arn
HotAccessPoint:
  Type: AWS::S3Express::AccessPoint
  Properties:
    Bucket: !Ref HotBucket
    Name: spark--use1-az4--xa-s3
    VpcConfiguration: {VpcId: !Ref LakeVpc}
```
With the AWS CLI:
```sh
aws s3api put-bucket-policy --bucket lake-hot--use1-az4--x-s3 --policy file://narrowed.json
aws s3control create-access-point --account-id ACCOUNT --name spark--use1-az4--xa-s3 \\
  --bucket lake-hot--use1-az4--x-s3 --vpc-configuration VpcId=VPC_ID
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-security-iam-example-bucket-policies.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-directory-buckets.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3express-accesspoint.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.options import BOOLEAN, Option
from lakelint.core.reading import read
from lakelint.core.values import MISSING, show, truth
from lakelint.knowledge.policy import allow_verdict, policy_branches

BUCKET_POLICY = "AWS::S3Express::BucketPolicy"
ACCESS_POINT = "AWS::S3Express::AccessPoint"
SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
BPA = "PublicAccessBlockConfiguration"
VPC_ONLY = "s3express-vpc-only-access-points"


@check(code="LL137", name="s3express-policy-public", severity="high",
       title="S3 directory bucket policy allows everyone, or its access point lacks Block Public Access",
       resource_types=[BUCKET_POLICY, ACCESS_POINT], sources=["template", "live"], preview=True,
       options={VPC_ONLY: Option(BOOLEAN, False, "directory bucket access points must have a VpcConfiguration "
                                                 "(network origin VPC)")},
       reads={BUCKET_POLICY: ["PolicyDocument"], ACCESS_POINT: [BPA, "Policy", "VpcConfiguration"]})
def s3express_policy_public(resource, ctx):
    if resource.type == BUCKET_POLICY:
        yield from public_statements(resource, "PolicyDocument", "directory bucket policy")
        return
    for setting in SETTINGS:
        for value in read(resource, f"{BPA}.{setting}", what=setting):
            if value is not MISSING and truth(value) is not True:
                yield fail(f"{setting} is {show(value)} on the directory bucket's access point", key=f"{BPA}.{setting}")
    yield from public_statements(resource, "Policy", "access point policy")
    if ctx.option(VPC_ONLY):
        for vpc in read(resource, "VpcConfiguration", what="VpcConfiguration", presence=True):
            if vpc is MISSING:
                yield fail(f"the access point has no VpcConfiguration, so its network origin is Internet, and "
                           f"{VPC_ONLY} asks for VPC-only access points", key="VpcConfiguration")


def public_statements(resource, path: str, what: str):
    for branch, document in policy_branches(resource, path):
        if document.problem:
            yield unknown(f"cannot verify the {what}: {document.problem}", cause=document.cause, branch=branch,
                          key=path)
            continue
        for statement in document.may_allow:
            if statement.public_principal and not statement.narrowing_conditions:
                label = f"statement {statement.sid}" if statement.sid else "a statement"
                yield allow_verdict(statement, f"{label} of the {what} allows Principal * with no condition that "
                                               "narrows it (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceAccount, "
                                               "...)", branch=branch, at=statement.pos, key=f"{path}.Statement")

"""An S3 bucket policy that allows everyone without a condition that narrows who.

## What it does
Fails on every `Allow` statement of an `AWS::S3::BucketPolicy` whose principal is `*` or
`{"AWS": "*"}` and that has no condition tying it to a network, organisation, account or caller:
`aws:SourceVpce`, `aws:SourceVpc`, `aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn`,
`aws:SourceIp`, and the other keys S3 itself treats as non-public (`aws:PrincipalAccount`,
`aws:PrincipalArn`, `aws:PrincipalOrgPaths`, `aws:SourceOwner`, `aws:SourceOrgID`,
`aws:SourceOrgPaths`, `s3:DataAccessPointAccount`, `s3:DataAccessPointArn`). A condition only narrows
when it matches listed values: a negated operator (`StringNotEquals`), an `...IfExists` operator, a
`ForAllValues` test, a `*` value or `0.0.0.0/0` does not. Documents written as JSON strings and every
`Fn::If` branch are checked.

Live, each bucket's policy (`GetBucketPolicy`) is an `AWS::S3::BucketPolicy` named `<bucket>/policy`;
a policy that could not be read is reported as "could not evaluate", never passed.

**When the property is absent:** not applicable: a statement without a condition is unconditional.

## Why it matters
`"Principal": "*"` means every AWS account and anonymous callers. On a data-lake bucket that is a data
leak waiting for Block Public Access to be switched off; with a narrowing condition the same statement
becomes "everyone in my organisation" or "anything coming through my VPC endpoint", which is what
these statements are almost always meant to say.

## Example
```yaml
LakePolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref LakeBucket
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"                  # LL108
          Action: s3:GetObject
          Resource: !Sub "${LakeBucket.Arn}/*"
```

## Fix
Name the principals, or narrow `*` to your organisation or VPC endpoint:
```yaml
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${LakeBucket.Arn}/*"
          Condition:
            StringEquals:
              aws:PrincipalOrgID: o-exampleorgid
```
With the AWS CLI:
```sh
aws s3api put-bucket-policy --bucket BUCKET --policy file://policy-narrowed-to-org.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
"""

from lakelint.core.check import check
from lakelint.knowledge.policy import allow_verdict, read_policy

PATH = "PolicyDocument.Statement"


@check(code="LL108", name="s3-policy-public-principal", severity="high",
       title="S3 bucket policy allows everyone without a narrowing condition",
       resource_types=["AWS::S3::BucketPolicy"], sources=["template", "live"],
       reads={"AWS::S3::BucketPolicy": ["PolicyDocument"]})
def s3_policy_public_principal(policy, ctx):
    for document in read_policy(policy, "PolicyDocument", what="the bucket policy"):
        for statement in document.may_allow:
            if statement.public_principal and not statement.narrowing_conditions:
                yield allow_verdict(statement, f"{statement.label} allows Principal * with no condition that narrows "
                                    "it (aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID, aws:SourceAccount, ...)",
                                    at=statement.pos, key=PATH)

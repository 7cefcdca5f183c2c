"""An S3 bucket policy that allows every action (`s3:*` or `*`).

## What it does
Fails on every `Allow` statement of an `AWS::S3::BucketPolicy` whose `Action` is `s3:*` or `*`
(in any letter case, alone or in a list). Documents written as JSON strings and every `Fn::If` branch
are checked. `Deny` statements with `s3:*` are fine (that is how TLS and encryption are enforced).

Live, each bucket's policy (`GetBucketPolicy`) is an `AWS::S3::BucketPolicy` named `<bucket>/policy`;
a policy that could not be read is reported as "could not evaluate", never passed.

**When the property is absent:** not applicable: a statement without `Action` uses `NotAction`, which
LL110 reports.

## Why it matters
`s3:*` includes `s3:DeleteBucket`, `s3:PutBucketPolicy`, `s3:PutBucketAcl` and
`s3:PutLifecycleConfiguration`: whoever the statement names can delete the lake, rewrite its policy or
make it public. Least privilege on a data lake means listing the reads and writes a consumer needs.

## Example
```yaml
        - Effect: Allow
          Principal: {AWS: !GetAtt EtlRole.Arn}
          Action: s3:*                    # LL109
          Resource: [!GetAtt LakeBucket.Arn, !Sub "${LakeBucket.Arn}/*"]
```

## Fix
List the actions the principal needs:
```yaml
        - Effect: Allow
          Principal: {AWS: !GetAtt EtlRole.Arn}
          Action: [s3:GetObject, s3:PutObject, s3:ListBucket]
          Resource: [!GetAtt LakeBucket.Arn, !Sub "${LakeBucket.Arn}/*"]
```
With the AWS CLI:
```sh
aws s3api put-bucket-policy --bucket BUCKET --policy file://least-privilege-policy.json
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
"""

from lakelint.core.check import check
from lakelint.knowledge.policy import allow_verdict, read_policy

PATH = "PolicyDocument.Statement.Action"


@check(code="LL109", name="s3-policy-wildcard-action", severity="medium",
       title="S3 bucket policy allows every action",
       resource_types=["AWS::S3::BucketPolicy"], sources=["template", "live"],
       reads={"AWS::S3::BucketPolicy": ["PolicyDocument"]})
def s3_policy_wildcard_action(policy, ctx):
    for document in read_policy(policy, "PolicyDocument", what="the bucket policy"):
        for statement in document.may_allow:
            wildcards = statement.wildcard_actions("s3")
            if wildcards:
                yield allow_verdict(statement, f"{statement.label} allows Action {wildcards[0]}", at=statement.pos,
                                    key=PATH)

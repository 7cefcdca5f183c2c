"""An S3 bucket policy that allows with `NotPrincipal` or `NotAction`.

## What it does
Fails on every `Allow` statement of an `AWS::S3::BucketPolicy` that uses `NotPrincipal` or
`NotAction`. Documents written as JSON strings and every `Fn::If` branch are checked. `Deny` with
`NotPrincipal` or `NotAction` is a legitimate pattern and is not reported.

Live, each bucket's policy (`GetBucketPolicy`) is an `AWS::S3::BucketPolicy` named `<bucket>/policy`;
a policy that could not be read is reported as "could not evaluate", never passed.

**When the property is absent:** not applicable.

## Why it matters
An `Allow` with `NotPrincipal` grants access to everyone except the principals listed, anonymous
callers included; an `Allow` with `NotAction` grants every action except those listed, including
every action S3 adds in the future. Both read as restrictions and behave as broad grants, which is
why AWS recommends against them in `Allow` statements.

## Example
```yaml
        - Effect: Allow
          NotPrincipal: {AWS: !GetAtt AuditRole.Arn}   # LL110
          Action: s3:GetObject
          Resource: !Sub "${LakeBucket.Arn}/*"
```

## Fix
Name who is allowed and what they may do:
```yaml
        - Effect: Allow
          Principal: {AWS: !GetAtt EtlRole.Arn}
          Action: [s3:GetObject, s3:ListBucket]
          Resource: [!GetAtt LakeBucket.Arn, !Sub "${LakeBucket.Arn}/*"]
```
With the AWS CLI:
```sh
aws s3api put-bucket-policy --bucket BUCKET --policy file://policy-with-named-principals.json
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
"""

from lakelint.core.check import check
from lakelint.knowledge.policy import allow_verdict, read_policy

PATH = "PolicyDocument.Statement"


@check(code="LL110", name="s3-policy-allow-not", severity="medium",
       title="S3 bucket policy allows with NotPrincipal or NotAction",
       resource_types=["AWS::S3::BucketPolicy"], sources=["template", "live"],
       reads={"AWS::S3::BucketPolicy": ["PolicyDocument"]})
def s3_policy_allow_not(policy, ctx):
    for document in read_policy(policy, "PolicyDocument", what="the bucket policy"):
        for statement in document.may_allow:
            used = [name for name, flag in (("NotPrincipal", statement.has_not_principal),
                                            ("NotAction", statement.has_not_action)) if flag]
            if used:
                yield allow_verdict(statement, f"{statement.label} is an Allow with {' and '.join(used)}: it grants "
                                    "everything it does not list", at=statement.pos, key=PATH)

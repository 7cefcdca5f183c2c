"""An S3 bucket whose policy does not refuse uploads that ask for other encryption than SSE-KMS.

## What it does
Looks at the bucket policies attached to the bucket (as LL105 does) and fails unless one of them has
a statement that denies `s3:PutObject` on the bucket's objects to `*` when the `s3:x-amz-server-side-encryption` header is
something other than `aws:kms` (or `aws:kms:dsse`): `Effect: Deny` with a `StringNotEquals` (or
`StringNotEqualsIfExists`, which lets uploads without the header fall back to the bucket's default
encryption) test whose values are only `aws:kms` / `aws:kms:dsse`. Policies written as JSON strings
count, and every `Fn::If` branch of the document is checked. On a live account the policy comes from
`GetBucketPolicy`.

**When the property is absent:** without such a statement S3 honours whatever encryption header an
upload sends, including `AES256` (SSE-S3).

## Why it matters
Default encryption (LL102) only applies to uploads that do not ask for something else: a client
that sends `x-amz-server-side-encryption: AES256` stores the object with SSE-S3, outside the KMS key
policy and its audit trail. The deny makes SSE-KMS the only way in.

## Example
```yaml
RawBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref RawBucket
    PolicyDocument:
      Statement:                         # LL124: no deny of other SSE headers
        - Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource: "*"
          Condition: {Bool: {aws:SecureTransport: false}}
```

## Fix
```yaml
        - Sid: DenyNonKmsUploads
          Effect: Deny
          Principal: "*"
          Action: s3:PutObject
          Resource: !Sub "${RawBucket.Arn}/*"
          Condition:
            StringNotEqualsIfExists:
              s3:x-amz-server-side-encryption: aws:kms
```
With the AWS CLI (merge the statement into the existing policy first):
```sh
aws s3api put-bucket-policy --bucket BUCKET --policy file://policy-with-kms-only-uploads.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
"""

from lakelint.core.check import check
from lakelint.knowledge.policy import required_statement_verdicts
from lakelint.knowledge.services import S3_KMS_ALGORITHMS

PATH = "PolicyDocument"
HEADER = "s3:x-amz-server-side-encryption"


def judge(policy):
    """"pass", ("unknown", cause) or "fail" for one policy document."""
    pending = None
    for statement in policy.statements:
        if not (statement.denies and statement.public_principal and statement.covers_action("s3:PutObject")
                and statement.covers_objects):
            continue
        for condition in statement.conditions_on(HEADER):
            if condition.operator != "StringNotEquals" or condition.set_operator:
                continue
            if condition.unresolved_values:
                pending = pending or condition.unresolved_values[0]
                continue
            if condition.values and all(v in S3_KMS_ALGORITHMS for v in condition.texts):
                return "pass", None
    return ("unknown", pending) if pending is not None else ("fail", None)


@check(code="LL124", name="s3-encrypted-uploads-enforced", severity="low",
       title="S3 bucket policy does not deny uploads with other encryption than SSE-KMS",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": [], "AWS::S3::BucketPolicy": ["PolicyDocument"]})
def s3_encrypted_uploads_enforced(bucket, ctx):
    yield from required_statement_verdicts(
        bucket, judge, denies="denies uploads whose encryption header is not aws:kms", test=HEADER,
        no_policy="no bucket policy denies uploads whose encryption header is not aws:kms", path=PATH)

"""An S3 bucket whose policy does not deny requests made over plain HTTP.

## What it does
Looks at the bucket policies attached to the bucket (`AWS::S3::BucketPolicy` resources that name it
by `Ref`, `GetAtt`, `Sub`, its literal name or ARN) and fails unless one of them has a statement that
denies requests when `aws:SecureTransport` is false: `Effect: Deny`, principal `*` (or `{"AWS": "*"}`),
actions covering both `s3:GetObject` and `s3:PutObject` (for example `s3:*`), resources that include
the objects (`arn:aws:s3:::bucket/*`, `${Bucket.Arn}/*` or `*`, not only the bucket ARN) and a
`Bool` (or `BoolIfExists`) condition with `aws:SecureTransport` set to `false` (`false` or `"false"`).
Policies written as JSON strings count, and every `Fn::If` branch of the document is checked. A
bucket policy that only exists under a resource `Condition` leaves the bucket without it when the
condition is false.

Live, the bucket's policy comes from `GetBucketPolicy` (no policy: `NoSuchBucketPolicy`); a policy
that could not be read makes the bucket "could not evaluate", never a pass.

**When the property is absent:** a bucket without a policy accepts requests over HTTP as well as HTTPS,
so a bucket without a bucket policy fails.

## Why it matters
S3 serves every endpoint over HTTP as well as HTTPS. A client, SDK or tool that is misconfigured to use
`http://` sends credentials-signed requests and data in clear text, and nothing on the bucket stops it.
The only S3 control that refuses plain HTTP is a bucket policy that denies `aws:SecureTransport`
false; AWS's S3 security best practices and the data-lake guidance require it on every bucket.

## Example
```yaml
RawBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref RawBucket
    PolicyDocument:                      # LL105: nothing denies plain HTTP
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/etl"}
          Action: s3:GetObject
          Resource: !Sub "${RawBucket.Arn}/*"
```

## Fix
Add a statement that denies every request made without TLS:
```yaml
RawBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref RawBucket
    PolicyDocument:
      Statement:
        - Sid: DenyInsecureTransport
          Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource: [!GetAtt RawBucket.Arn, !Sub "${RawBucket.Arn}/*"]
          Condition:
            Bool:
              aws:SecureTransport: false
```
With the AWS CLI (merge the statement into the existing policy first):
```sh
aws s3api put-bucket-policy --bucket BUCKET --policy file://policy-with-deny-insecure-transport.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
- https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
"""

from lakelint.core.check import check
from lakelint.knowledge.policy import required_statement_verdicts

PATH = "PolicyDocument"


def secure_transport_test(statement):
    """The statement's ``aws:SecureTransport`` test when it is the deny this check wants, else None."""
    if not (statement.denies and statement.public_principal and statement.covers_action("s3:GetObject")
            and statement.covers_action("s3:PutObject") and statement.covers_objects):
        return None
    for condition in statement.conditions_on("aws:SecureTransport"):
        if condition.operator == "Bool":
            return condition
    return None


def judge(policy):
    """"pass", or ("unknown", cause) when the only candidate's value is not known, or "fail"."""
    pending = None
    for statement in policy.statements:
        test = secure_transport_test(statement)
        if test is None:
            continue
        if test.value_is("false"):
            return "pass", None
        if test.unresolved_values and pending is None:
            pending = test.unresolved_values[0]
    return ("unknown", pending) if pending is not None else ("fail", None)


@check(code="LL105", name="s3-secure-transport", severity="high",
       title="S3 bucket policy does not deny requests over plain HTTP",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": [], "AWS::S3::BucketPolicy": ["PolicyDocument"]})
def s3_secure_transport(bucket, ctx):
    yield from required_statement_verdicts(
        bucket, judge, denies="denies requests with aws:SecureTransport false", test="aws:SecureTransport",
        no_policy="no bucket policy denies requests with aws:SecureTransport false: the bucket accepts plain HTTP",
        path=PATH)

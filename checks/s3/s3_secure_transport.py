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

## Fix safety
The fix appends the statement below to the bucket's `AWS::S3::BucketPolicy` (its `PolicyDocument`'s
`Statement` list), or, where the bucket has no policy, adds one: a resource `<Bucket>TlsOnlyPolicy`
(with a number where that name is taken) that holds only this statement, under the bucket's own
`Condition` if it has one. The bucket and its objects are named with `Fn::GetAtt`/`Fn::Sub` of the
bucket, in the template's short or full form:
```yaml
- Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: [!GetAtt RawBucket.Arn, !Sub '${RawBucket.Arn}/*']
  Condition: {Bool: {aws:SecureTransport: 'false'}}
```
It is unsafe because every client that still uses plain HTTP (an old SDK or tool configured with an
`http://` endpoint) is refused from then on. No fix is offered where the policy document is a JSON
string or is written with an intrinsic function, where its statements are chosen by `Fn::If`, where the
policy is shared by several buckets (its `Bucket` is chosen by `Fn::If`), where the bucket has several
policies, where its policy exists only under a `Condition` the bucket does not share, or where the
policy `DependsOn` the bucket (the new reference would make that redundant, which cfn-lint reports):
the finding says why in `--diff`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
- https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
"""

from lakelint.core.check import check
from lakelint.fixes.intents import add_resource, append_item, get_att, no_fix, ref, sub
from lakelint.knowledge.policy import required_statement_verdicts

PATH = "PolicyDocument"
POLICY_TYPE = "AWS::S3::BucketPolicy"


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
       reads={"AWS::S3::Bucket": [], "AWS::S3::BucketPolicy": ["PolicyDocument"]}, fix="unsafe")
def s3_secure_transport(bucket, ctx):
    fix = None
    for verdict in required_statement_verdicts(
            bucket, judge, denies="denies requests with aws:SecureTransport false", test="aws:SecureTransport",
            no_policy="no bucket policy denies requests with aws:SecureTransport false: the bucket accepts plain HTTP",
            path=PATH):
        if verdict.kind == "fail" and bucket.source == "template":
            fix = fix or tls_only_fix(bucket)
            verdict = verdict.replace(fix=fix)
        yield verdict


def tls_only_statement(bucket) -> dict:
    """The statement the fix writes: deny every request to the bucket and its objects made without TLS."""
    return {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [get_att(bucket.name, "Arn"), sub("${" + bucket.name + ".Arn}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def tls_only_fix(bucket):
    """The statement appended to the bucket's one policy, or a new policy holding it; or why neither is
    exactly right (the structure is the template's, whatever branch the finding is about)."""
    if not bucket.name.isalnum():
        return no_fix(f"the bucket's logical id {bucket.name} is not alphanumeric, as CloudFormation requires: "
                      "the statement could not name it")
    statement = tls_only_statement(bucket)
    policies = bucket.related("policies")
    if not policies:
        return _new_policy(bucket, statement)
    if len(policies) > 1:
        names = ", ".join(sorted(p.name for p in policies))
        return no_fix(f"the bucket has several bucket policies ({names}): add the statement to the one that applies")
    policy = policies[0]
    if policy.origin:
        return no_fix(f"bucket policy {policy.name} is made by {policy.origin}: fix the source it is made from")
    if len(policy.related("target")) > 1:
        return no_fix(f"bucket policy {policy.name} is shared by several buckets (its Bucket is chosen by an "
                      "intrinsic function): add the statement by hand")
    if bucket.name in _names(policy.attributes.get("DependsOn")):
        return no_fix(f"bucket policy {policy.name} DependsOn the bucket: the statement's reference to the bucket "
                      "would make that redundant (cfn-lint W3005); add the statement by hand")
    if policy.condition and policy.condition != bucket.condition:
        return no_fix(f"bucket policy {policy.name} exists only where {policy.condition} holds: add the statement "
                      "where it applies by hand")
    props = policy.props if isinstance(policy.props, dict) else {}
    document = props.get(PATH)
    if isinstance(document, str):
        return no_fix(f"bucket policy {policy.name} writes its PolicyDocument as a JSON string: add the statement "
                      "by hand")
    statements = document.get("Statement") if isinstance(document, dict) and not _intrinsic(document) else None
    if isinstance(statements, dict) and not _intrinsic(statements):
        return no_fix(f"bucket policy {policy.name} writes one Statement, not a list: add the statement by hand")
    if isinstance(statements, list) and any(_intrinsic(s) for s in statements):
        return no_fix(f"bucket policy {policy.name} has statements chosen by an intrinsic function: add the "
                      "statement by hand")
    # a document or statement list written with an intrinsic function: the machinery withholds it, saying why
    return append_item(f"{PATH}.Statement", statement, target=policy.name,
                       description=f"deny requests without TLS in bucket policy {policy.name}")


def _new_policy(bucket, statement):
    taken = {r.name for r in (bucket.stack.resources if bucket.stack is not None else [])}
    root = getattr(bucket.stack, "root", None)
    if isinstance(root, dict) and isinstance(root.get("Resources"), dict):
        taken |= set(root["Resources"])
    stem = bucket.name + "TlsOnlyPolicy"
    name, number = stem, 1
    while name in taken:
        number += 1
        name = f"{stem}{number}"
    body = {"Type": POLICY_TYPE}
    if bucket.condition:
        body["Condition"] = bucket.condition
    body["Properties"] = {"Bucket": ref(bucket.name),
                          "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}
    return add_resource(name, body, description=f"add bucket policy {name}, denying requests without TLS")


def _names(value) -> set:
    """The logical ids a ``DependsOn`` names (a name or a list of names)."""
    if isinstance(value, str):
        return {value}
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _intrinsic(value) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref"))

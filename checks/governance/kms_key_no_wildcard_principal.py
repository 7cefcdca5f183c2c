"""A KMS key policy that lets any principal use the key.

## What it does
Reads the `KeyPolicy` of every `AWS::KMS::Key` (YAML, JSON or a JSON string, on each `Fn::If`
branch) and fails on an `Allow` statement whose principal is `*` or `{"AWS": "*"}` unless a condition
narrows it to known callers: `kms:CallerAccount`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`,
`aws:PrincipalOrgPaths`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`,
`aws:SourceOrgID`, `aws:SourceVpce`, `aws:SourceVpc` or `aws:SourceIp`, with a positive operator
(`StringEquals`, `ArnLike`, ...) and no `*` value. A policy that cannot be read is reported as
unverifiable.

Live, it reads each key's policy (`GetKeyPolicy`), AWS managed keys included.

**When the property is absent:** CloudFormation gives the key the default key policy, which allows
only the account (`arn:aws:iam::ACCOUNT:root`) and lets IAM policies decide, so an absent `KeyPolicy`
passes.

## Why it matters
The key policy is the root of access to everything the key encrypts: a `*` principal lets any AWS
account decrypt the lake's data wherever it can read the ciphertext (a public snapshot, a shared
bucket, a copied object) and can also let outsiders schedule the key's deletion. Key policies are
easy to widen by mistake when granting a service access.

## Example
```yaml
LakeKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"                  # LL732
          Action: ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource: "*"
```

## Fix
Name the principals, or narrow `*` to your account or organisation:
```yaml
LakeKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
          Action: "kms:*"
          Resource: "*"
        - Effect: Allow
          Principal: "*"
          Action: ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource: "*"
          Condition:
            StringEquals:
              kms:CallerAccount: !Ref AWS::AccountId
              kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com
```
With the AWS CLI:
```sh
aws kms put-key-policy --key-id KEY_ID --policy-name default --policy file://key-policy.json
```

## References
- https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
- https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
- https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import here, read, report
from lakelint.core.values import MISSING, Unresolved, show
from lakelint.knowledge.policy import Policy

KEY_TYPE = "AWS::KMS::Key"
NARROWING_KEYS = (
    "kms:calleraccount", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourcevpce",
    "aws:sourcevpc", "aws:sourceip",
)


def narrowed(statement) -> bool:
    """A condition that limits who can use the key: a positive test on an identity or network key."""
    for condition in statement.conditions_on(*NARROWING_KEYS):
        if "Not" in condition.operator or condition.if_exists:
            continue
        if condition.values and not any(str(v).strip() == "*" for v in condition.values):
            return True
    return False


@check(code="LL732", name="kms-key-no-wildcard-principal", severity="high",
       title="KMS key policy allows * principals without a narrowing condition",
       resource_types=[KEY_TYPE], sources=["template", "live"], reads={KEY_TYPE: ["KeyPolicy"]})
def kms_key_no_wildcard_principal(key, ctx):
    for document in read(key, "KeyPolicy", presence=True):
        if document is MISSING:
            continue  # the default key policy: the account only
        policy = Policy.parse(document)
        if policy.problem:
            # a policy only known at deploy time (its cause), or one that is not a JSON policy
            cause = policy.cause or Unresolved("", policy.problem.removeprefix("the policy document "))
            report(cause, "the key policy", at=here(), key="KeyPolicy")
            continue
        for statement in policy.allows:
            if statement.public_principal and not narrowed(statement):
                label = f" ({show(statement.sid)})" if statement.sid else ""
                yield fail(f"a key policy statement{label} allows {_actions(statement)} to every principal "
                           "without a condition that narrows it", at=statement.pos, key="KeyPolicy.Statement")


def _actions(statement) -> str:
    actions = [show(a) for a in statement.actions] or [f"all but {', '.join(show(a) for a in statement.not_actions)}"]
    return ", ".join(actions[:3]) + (" ..." if len(actions) > 3 else "")

"""An S3 bucket whose default encryption is not SSE-KMS.

## What it does
Checks that the bucket's default encryption (`BucketEncryption.ServerSideEncryptionConfiguration`)
uses `aws:kms` or `aws:kms:dsse` as its `SSEAlgorithm`. Each `Fn::If` branch and each allowed value
of a parameter is checked; an algorithm that comes from a parameter with no `AllowedValues` or
`Default` cannot be verified and is reported as such.

**When the property is absent:** since January 2023 S3 encrypts new objects with SSE-S3 (`AES256`),
which is encryption at rest but not with a key you control, so an absent `BucketEncryption` fails.

## Why it matters
With SSE-KMS, reading an object needs `kms:Decrypt` on the key as well as `s3:GetObject` on the
object: a second, independent permission layer that bucket policies cannot open by mistake, with every
use of the key logged in CloudTrail. The data-lake guidance asks for KMS keys on every lake bucket so
that access to the data can be audited and revoked by revoking access to the key.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: AES256        # LL102
```

## Fix
Use a KMS key (preferably your own) as the bucket's default:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt LakeKey.Arn
          BucketKeyEnabled: true
```
With the AWS CLI:
```sh
aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}'
```

## Fix safety
The fix sets the default encryption to `SSEAlgorithm: aws:kms` with `BucketKeyEnabled: true`. Its
`KMSMasterKeyID` is the template's own key where the template declares exactly one `AWS::KMS::Key`,
referred to as the template's other resources refer to it (`!GetAtt Key.Arn`, or `!Ref Key` where that
is what they use); otherwise the AWS managed key `alias/aws/s3`. A fix that brings a new finding is
not written, so where LL119 runs (it asks for a customer managed key) the `alias/aws/s3` fix is
refused, and `--diff` says so: add a key to the template, or run `--fix --select LL102` to take the
AWS managed key knowingly (LL119 then reports it). Likewise the template's key must have rotation on
(LL120). An existing rule (`AES256`) is changed in place, keeping what else it says; a bucket without default
encryption gets the rule. It is unsafe because every reader and writer of the bucket then needs
`kms:Decrypt` (and `kms:GenerateDataKey` to write) on the key, in its IAM policy and in the key's policy:
clients that could read the objects before may be refused. Objects already stored keep their old
encryption. No fix is offered where the rule or its algorithm is chosen by `Fn::If` or comes from a
parameter, where the bucket writes several rules, or where the template's only key cannot be named
from the bucket: it exists under a `Condition` the bucket does not share, it depends on the bucket
(its key policy names a role whose policy names the bucket: a circular dependency), or the bucket
already `DependsOn` it (cfn-lint would call that redundant).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-serversideencryptionbydefault.html
"""

import re

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show
from lakelint.fixes.intents import Fix, ensure_properties, get_att, no_fix, ref, set_property
from lakelint.knowledge.services import S3_KMS_ALGORITHMS

PATH = "BucketEncryption.ServerSideEncryptionConfiguration"
KEY_TYPE = "AWS::KMS::Key"
MANAGED_KEY = "alias/aws/s3"


@check(code="LL102", name="s3-sse-kms", severity="high",
       title="S3 bucket default encryption is not SSE-KMS",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["BucketEncryption"]}, fix="unsafe")
def s3_sse_kms(bucket, ctx):
    for rules in read(bucket, PATH, what="default encryption"):
        if rules is MISSING or not isinstance(rules, list) or not rules:
            yield fail("no default encryption is configured: S3 falls back to SSE-S3 (AES256), not SSE-KMS", key=PATH,
                       fix=sse_kms_fix(bucket))
            continue
        defaults = [dig(rule, "ServerSideEncryptionByDefault") for rule in rules]
        algorithms = [(dig(default, "SSEAlgorithm"), default if isinstance(default, dict) else rules)
                      for default in defaults]
        if any(algorithm in S3_KMS_ALGORITHMS for algorithm, _ in algorithms):
            continue
        for algorithm, where in algorithms:  # the first unknown algorithm, if any, is what cannot be verified
            if known(algorithm, "SSEAlgorithm", at=(where, "SSEAlgorithm"), key=f"{PATH}.SSEAlgorithm") is None:
                break
        else:
            algorithm, where = algorithms[0]
            yield fail(f"default encryption uses SSEAlgorithm {show(algorithm)}, not aws:kms or aws:kms:dsse",
                       at=(where, "SSEAlgorithm"), key=f"{PATH}.SSEAlgorithm", fix=sse_kms_fix(bucket))


def sse_kms_fix(bucket):
    """The fix, from the rules as the template writes them (not as one branch reads them): a rule is
    added where there is none, the one rule is changed in place, several are the author's to merge.
    Where the template writes the rule or its algorithm with an intrinsic function, the fix machinery
    withholds it and says why (lakelint/fixes/intents.py: ``blocked_by``)."""
    if bucket.source != "template":
        return None
    value = _key(bucket)
    if isinstance(value, Fix):
        return value  # why the template's key cannot be used
    props = bucket.props if isinstance(bucket.props, dict) else {}
    encryption = props.get("BucketEncryption", MISSING)
    if _plain(encryption) and not isinstance(encryption, dict):
        return no_fix("BucketEncryption is written, but not as a mapping: fix it by hand")
    rules = encryption.get("ServerSideEncryptionConfiguration", MISSING) if _plain(encryption) else MISSING
    rule = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": value},
            "BucketKeyEnabled": True}
    if _plain(encryption) and _plain(rules) and not isinstance(rules, list):
        return no_fix(f"{PATH} is written, but not as a list of rules: fix it by hand")
    if isinstance(rules, list) and len(rules) > 1:
        return no_fix(f"{PATH} writes {len(rules)} rules where S3 keeps one: merge them by hand")
    if isinstance(rules, list) and rules:
        fix = ensure_properties(PATH.split(".") + [0], rule,
                                description=f"use SSE-KMS with {_shown(value)} and an S3 Bucket Key")
    else:  # absent, an empty list, or written with an intrinsic function (then withheld, with the reason)
        fix = set_property(PATH, [rule], description=f"add SSE-KMS default encryption with {_shown(value)} "
                                                     "and an S3 Bucket Key")
    return fix


def _plain(value) -> bool:
    """A value the template writes itself, not with an intrinsic function (``{"Fn::If": ...}``)."""
    return value is not MISSING and not (isinstance(value, dict) and len(value) == 1
                                         and next(iter(value)).startswith(("Fn::", "Ref")))


def _key(bucket):
    """The KMSMasterKeyID the fix writes, or the no_fix when the template's one key cannot be named here."""
    stack = bucket.stack
    keys = stack.of_type(KEY_TYPE) if stack is not None else []
    if len(keys) != 1:
        return MANAGED_KEY
    key = keys[0]
    if key.origin:
        return no_fix(f"the template's KMS key {key.name} is made by {key.origin}: name it by hand")
    if key.condition and key.condition != bucket.condition:
        return no_fix(f"the template's only KMS key, {key.name}, exists only where {key.condition} holds: "
                      "choose the bucket's key by hand")
    if bucket.name in _dependencies(stack, key):
        return no_fix(f"the template's only KMS key, {key.name}, depends on the bucket (its policy names a role or "
                      "resource that names the bucket): naming the key in the bucket would make a circular dependency")
    if key.name in _names(bucket.attributes.get("DependsOn")):
        return no_fix(f"the bucket DependsOn {key.name}: a reference to the key would make that redundant (cfn-lint "
                      "W3005); name the key by hand")
    return get_att(key.name, "Arn") if _by_arn(stack, key) else ref(key.name)


def _names(value) -> set:
    """The logical ids a ``DependsOn`` names (a name or a list of names)."""
    if isinstance(value, str):
        return {value}
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _dependencies(stack, start) -> set:
    """The logical ids ``start`` depends on, directly or through others: what its properties and
    attributes name with ``Ref``, ``Fn::GetAtt``, ``${...}`` in ``Fn::Sub`` and ``DependsOn``."""
    by_name = {r.name: r for r in stack.resources}
    seen, todo = set(), [start]
    while todo:
        resource = todo.pop()
        found = set()
        _referenced(resource.props, found)
        _referenced({k: v for k, v in resource.attributes.items() if k != "DependsOn"}, found)
        found |= _names(resource.attributes.get("DependsOn"))
        for name in found - seen:
            seen.add(name)
            if name in by_name:
                todo.append(by_name[name])
    return seen


_SUBSTITUTED = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}")


def _referenced(node, found: set) -> None:
    if isinstance(node, dict):
        if len(node) == 1 and isinstance(node.get("Ref"), str):
            found.add(node["Ref"])
        target = node.get("Fn::GetAtt") if len(node) == 1 else None
        if isinstance(target, list) and target and isinstance(target[0], str):
            found.add(target[0])
        elif isinstance(target, str):
            found.add(target.split(".", 1)[0])
        substituted = node.get("Fn::Sub") if len(node) == 1 else None
        text = substituted[0] if isinstance(substituted, list) and substituted else substituted
        if isinstance(text, str):
            found.update(_SUBSTITUTED.findall(text))
        for value in node.values():
            _referenced(value, found)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, found)


def _by_arn(stack, key) -> bool:
    """Whether the template's resources name the KMS key ``key`` by its ARN (``!GetAtt Key.Arn``,
    ``${Key.Arn}``) at least as often as by its id (``!Ref Key``, ``${Key}``): the fix names it the same
    way. ARN where nothing names it (S3 and every other service accept it). Kept in the key's memo:
    every bucket of the stack asks, and the answer walks the whole template."""
    memo_key = ("s3_sse_kms", "by_arn")
    if memo_key not in key.memo:
        key.memo[memo_key] = _count_by_arn(stack, key.name)
    return key.memo[memo_key]


def _count_by_arn(stack, name: str) -> bool:
    counts = {"arn": 0, "id": 0}
    stack_items = [r.props for r in stack.resources]

    def walk(node):
        if isinstance(node, dict):
            if node.get("Ref") == name and len(node) == 1:
                counts["id"] += 1
            target = node.get("Fn::GetAtt") if len(node) == 1 else None
            if target is not None and list(target if isinstance(target, list) else str(target).split(".", 1)) \
                    == [name, "Arn"]:
                counts["arn"] += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and "${" in node:
            counts["arn"] += node.count("${" + name + ".Arn}")
            counts["id"] += node.count("${" + name + "}")

    walk(stack_items)
    return counts["arn"] >= counts["id"]


def _shown(value) -> str:
    from lakelint.fixes.intents import Intrinsic

    if isinstance(value, Intrinsic):
        tag, argument = value.short()
        return f"{tag} {argument}"
    return str(value)

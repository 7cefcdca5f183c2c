"""S3 table bucket not encrypted with SSE-KMS and a key S3 Tables maintenance can use.

## What it does
Reads the `EncryptionConfiguration` of every `AWS::S3Tables::TableBucket` and fails when:

- it is absent, or its `SSEAlgorithm` is not `aws:kms` (`AES256` is SSE-S3, with a key S3 owns);
- `SSEAlgorithm` is `aws:kms` but no `KMSKeyArn` names the key;
- the key it names is a customer managed key (an `AWS::KMS::Key` of the same template, or live, a key
  of the scanned account and region) whose key policy does not allow the S3 Tables maintenance service
  principal `maintenance.s3tables.amazonaws.com` both `kms:GenerateDataKey` and `kms:Decrypt`. A
  statement counts when it allows those actions (`kms:*` and wildcards included) to that service
  principal, whatever its conditions (AWS's own example narrows it with the encryption context), or
  to `*` without any condition; an unconditional `Deny` of either action to the principal or to `*`
  fails, and a conditional one cannot be verified. A key without a `KeyPolicy` gets the default key
  policy, which lets only the account's IAM principals use it: it fails.

Each `Fn::If` branch and each allowed value of a parameter is checked, and an `Fn::If` between two
keys judges each key on its own branch. An algorithm, a key policy or a statement `Effect` known only
at deploy time cannot be verified. A key named by a literal ARN, a parameter or an import is not in
the template: the template cannot show its key policy, so only the first two rules apply to it there
(live mode judges its policy when the key belongs to the scanned account and region; a key of another
account is not read). Live, the key's `KeyManager` (`DescribeKey`) and policy (`GetKeyPolicy`) are
read, and a key AWS manages is not judged on its policy (that policy is AWS's, not the account's to
change).

On a live account the table buckets come from `ListTableBuckets` and their encryption from
`GetTableBucketEncryption`. Table buckets AWS creates and manages itself (the `aws-s3` bucket of S3
Metadata tables, listed with `type: aws`) are not read: their settings are AWS's, and LL138 judges
the metadata tables' encryption from the general purpose bucket's configuration.

**When the property is absent:** S3 Tables encrypts every table of the bucket with SSE-S3 (`AES256`).

## Why it matters
With SSE-KMS, reading a table's data and metadata files needs `kms:Decrypt` on your key as well as the
S3 Tables permissions: a second, independent permission layer that is logged in CloudTrail and can be
revoked by revoking access to the key. The key policy must also let the maintenance service principal
use the key: without `kms:GenerateDataKey` and `kms:Decrypt` for `maintenance.s3tables.amazonaws.com`,
compaction, snapshot management and unreferenced file removal fail on every table of the bucket,
queries slow down as small files pile up, and storage grows without bound (LL133).

## Example
```yaml
LakeTables:
  Type: AWS::S3Tables::TableBucket
  Properties:
    TableBucketName: lake-tables
    EncryptionConfiguration:
      SSEAlgorithm: AES256          # LL131
```

## Fix
```yaml
TablesKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Sid: AccountAdministration
          Effect: Allow
          Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
          Action: kms:*
          Resource: "*"
        - Sid: S3TablesMaintenance
          Effect: Allow
          Principal: {Service: maintenance.s3tables.amazonaws.com}
          Action: [kms:GenerateDataKey, kms:Decrypt]
          Resource: "*"
          Condition:
            StringLike:
              kms:EncryptionContext:aws:s3:arn: !Sub "arn:${AWS::Partition}:s3tables:${AWS::Region}:${AWS::AccountId}:bucket/lake-tables/*"
LakeTables:
  Type: AWS::S3Tables::TableBucket
  Properties:
    TableBucketName: lake-tables
    EncryptionConfiguration:
      SSEAlgorithm: aws:kms
      KMSKeyArn: !GetAtt TablesKey.Arn
```
With the AWS CLI (new tables use it; the key policy statement above is added with `aws kms put-key-policy`):
```sh
aws s3tables put-table-bucket-encryption --table-bucket-arn TABLE_BUCKET_ARN \\
  --encryption-configuration sseAlgorithm=aws:kms,kmsKeyArn=KEY_ARN
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-kms-encryption.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-kms-permissions.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3tables-tablebucket-encryptionconfiguration.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, Unresolved, dig, show
from lakelint.knowledge.keymanager import named_key
from lakelint.knowledge.policy import policy_branches

TABLE_BUCKET = "AWS::S3Tables::TableBucket"
KEY_TYPE = "AWS::KMS::Key"
PATH = "EncryptionConfiguration"
KEY_PATH = "EncryptionConfiguration.KMSKeyArn"
MAINTENANCE = "maintenance.s3tables.amazonaws.com"
NEEDED = ("kms:GenerateDataKey", "kms:Decrypt")


@check(code="LL131", name="s3tables-kms", severity="medium",
       title="S3 table bucket not encrypted with SSE-KMS and a key S3 Tables maintenance can use",
       resource_types=[TABLE_BUCKET], sources=["template", "live"], preview=True,
       reads={TABLE_BUCKET: [PATH], KEY_TYPE: ["KeyPolicy", "KeyManager"]})
def s3tables_kms(bucket, ctx):
    for config in read(bucket, PATH, what="the encryption configuration"):
        if config is MISSING:
            yield fail("no EncryptionConfiguration: S3 Tables encrypts the bucket's tables with SSE-S3 (AES256), "
                       "not with a KMS key of yours", key=PATH)
            continue
        algorithm = known(dig(config, "SSEAlgorithm"), "SSEAlgorithm", key=f"{PATH}.SSEAlgorithm")
        if algorithm is None:
            continue
        if algorithm != "aws:kms":
            yield fail(f"SSEAlgorithm is {show(algorithm)}, not aws:kms: the tables are not encrypted with a KMS "
                       "key of yours", key=f"{PATH}.SSEAlgorithm")
            continue
        reference = dig(config, "KMSKeyArn")
        if reference is MISSING:
            yield fail("SSEAlgorithm is aws:kms but no KMSKeyArn names the key", key=KEY_PATH)
            continue
        where = (config, "KMSKeyArn")
        for key in keys_named(bucket, reference):
            yield from key_verdicts(key, where)


def keys_named(bucket, reference) -> list:
    """The KMS key records ``reference`` names: in a template the keys of the template it refers to
    (each side of an ``Fn::If`` is its own branch, so only the key of this branch), live the key of
    the scanned account and region it names. A key outside them is not judged (see the docs)."""
    if isinstance(reference, Unresolved):
        refs = set(getattr(reference, "refs", ()) or ())
        stack = getattr(bucket, "stack", None)
        candidates = list(bucket.related("kms_keys"))
        candidates += [r for r in getattr(stack, "resources", []) if r.type == KEY_TYPE and r not in candidates]
        return [key for key in candidates if key.name in refs]
    if isinstance(reference, str):
        key = named_key(bucket, reference)
        return [key] if key is not None else []
    return []


def key_verdicts(key, where):
    """The verdicts on ``key``'s policy, pointing at where the bucket names the key (``where``)."""
    managers = list(read(key, "KeyManager", what=f"who manages KMS key {key.name}", key=KEY_PATH))
    if not managers:
        return  # who manages the key is unknown, and reported as such
    if any(isinstance(m, str) and m.upper() == "AWS" for m in managers):
        return  # an AWS managed key has AWS's key policy: not the user's to change
    for branch, policy in policy_branches(key, "KeyPolicy"):
        if policy.problem:
            yield unknown(f"cannot verify the key policy of KMS key {key.name}: {policy.problem}",
                          cause=policy.cause, branch=branch, at=where, key=KEY_PATH)
            continue
        if branch.value is MISSING:
            yield fail(f"KMS key {key.name} has no KeyPolicy: the default key policy does not let {MAINTENANCE} "
                       "use it, so S3 Tables maintenance fails on this bucket's tables",
                       branch=branch, at=where, key=KEY_PATH)
            continue
        outcome, detail, cause = maintenance_allowed(policy)
        if outcome == "fail":
            yield fail(f"the key policy of KMS key {key.name} {detail}: S3 Tables maintenance (compaction, "
                       "snapshot management, unreferenced file removal) fails on this bucket's tables",
                       branch=branch, at=where, key=KEY_PATH)
        elif outcome == "unknown":
            yield unknown(f"cannot verify that the key policy of KMS key {key.name} lets {MAINTENANCE} use it: "
                          f"{detail}", cause=cause, branch=branch, at=where, key=KEY_PATH)


def _names_maintenance(statement) -> tuple:
    """(names the maintenance principal or everyone, the unresolved principal that may be it)."""
    for principal in statement.principals:
        if principal.is_public:
            return True, None
        if principal.kind == "Service":
            if isinstance(principal.value, Unresolved):
                return False, principal.value
            if str(principal.value).strip().lower() == MAINTENANCE:
                return True, None
    return False, None


def maintenance_allowed(policy) -> tuple:
    """("pass" | "fail" | "unknown", what is wrong, the unknown value) for the key policy."""
    for statement in policy.denies:
        applies, _ = _names_maintenance(statement)
        denied = [a for a in NEEDED if statement.covers_action(a)]
        if not applies or not denied:
            continue
        if not statement.conditions:
            return "fail", f"denies {MAINTENANCE} {denied[0]}", None
        label = f"statement {statement.sid}" if statement.sid else "a Deny statement"
        return "unknown", f"{label} denies {denied[0]} under a condition lakelint does not evaluate", None
    missing = []
    for action in NEEDED:
        granted, pending = False, None
        for statement in policy.may_allow:
            applies, unresolved = _names_maintenance(statement)
            if unresolved is not None and statement.allows_action(action):
                pending = pending or unresolved
                continue
            if not applies or not statement.allows_action(action):
                continue
            public_only = not any(p.kind == "Service" for p in statement.principals)
            if public_only and statement.conditions:
                continue  # a conditional grant to everyone is not a grant lakelint can count on
            if statement.effect_unknown:
                pending = pending or statement.effect
                continue
            granted = True
            break
        if granted:
            continue
        if pending is not None:
            return "unknown", f"a statement that may grant {action} has a value that {pending.reason}", pending
        missing.append(action)
    if missing:
        return "fail", f"does not allow {MAINTENANCE} {' and '.join(missing)}", None
    return "pass", "", None

"""A customer managed KMS key that encrypts data-lake resources with rotation turned off.

## What it does
Looks at every `AWS::KMS::Key` that a data-lake resource of the same template uses (through any
`KmsKeyId`/`KMSMasterKeyID`/`KmsKeyArn`/`KmsKey` property, directly or through an `AWS::KMS::Alias`):
EFS, EBS, FSx, RDS, DynamoDB, DocumentDB, Redshift, Timestream, Glue, Athena, Lake Formation,
Kinesis, Firehose, EMR and MSK resources. It fails when `EnableKeyRotation` is not true on some
`Fn::If` branch or allowed parameter value, and names the resources that use the key. Keys that
cannot rotate automatically (asymmetric or HMAC `KeySpec`, imported key material or a custom key
store: an `Origin` other than `AWS_KMS`) are skipped; a key no data-lake resource uses is left alone,
and a user with a `Condition` makes the key a data-lake key only where it exists.

**S3 buckets are LL120's.** A key that a bucket uses is reported by LL120 (`s3-kms-key-rotation`) on
the bucket, where an S3 reviewer reads it. This check leaves buckets out, so one unrotated key of one
bucket is one finding: a key that only buckets use is not reported here, and a key that a bucket and
a table share is reported here for the table only.

Live, it reads the keys `ListKeys`/`DescribeKey`/`GetKeyRotationStatus` describe and the
resources of the region that name them; AWS managed keys (`KeyManager: AWS`) are skipped, since
AWS rotates them itself. A key whose `DescribeKey` could not be read, and whose rotation is not on,
could not be evaluated (it may be an AWS managed key).

**When the property is absent:** automatic rotation is off by default for a new customer managed key
(`EnableKeyRotation` defaults to false), so an absent value fails.

## Why it matters
Rotation gives the key new cryptographic material every year (or every `RotationPeriodInDays`)
without changing its ARN or breaking decryption of older data, which limits how much data any one
key version protects. Most compliance frameworks ask for it on keys that protect stored data, and for
a key that encrypts the lake it costs nothing operationally.

## Example
```yaml
LakeKey:
  Type: AWS::KMS::Key
  Properties:
    Description: lake data key        # LL731: no EnableKeyRotation
SharedFiles:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    KmsKeyId: !GetAtt LakeKey.Arn
```

## Fix
```yaml
LakeKey:
  Type: AWS::KMS::Key
  Properties:
    Description: lake data key
    EnableKeyRotation: true
    RotationPeriodInDays: 365
```
With the AWS CLI:
```sh
aws kms enable-key-rotation --key-id KEY_ID --rotation-period-in-days 365
```

## References
- https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, known, read, read_together
from lakelint.core.values import MISSING, show, truth
from lakelint.fixes.intents import no_fix, set_property
from lakelint.knowledge.keymanager import KEY_TYPE, can_rotate

DATA_LAKE_PREFIXES = (
    "AWS::S3::", "AWS::EFS::", "AWS::EC2::Volume", "AWS::FSx::", "AWS::RDS::", "AWS::DynamoDB::",
    "AWS::DocDB::", "AWS::Redshift::", "AWS::RedshiftServerless::", "AWS::Timestream::", "AWS::Glue::",
    "AWS::Athena::", "AWS::LakeFormation::", "AWS::Kinesis::", "AWS::KinesisFirehose::", "AWS::EMR::",
    "AWS::EMRServerless::", "AWS::MSK::",
)
# A bucket's key is LL120's (s3-kms-key-rotation), which reports it on the bucket, where an S3 reviewer
# reads it: this check leaves buckets out, so one unrotated key of one bucket is one finding.
BUCKET_TYPE = "AWS::S3::Bucket"
# The data-lake resource types live mode records with a key, and the property that names the key:
# declared so that a scan that runs this check alone collects the resources that make a key a
# data-lake key (the inventory links a key to what names it).
USER_READS = {
    "AWS::EFS::FileSystem": ["KmsKeyId"], "AWS::EC2::Volume": ["KmsKeyId"], "AWS::FSx::FileSystem": ["KmsKeyId"],
    "AWS::RDS::DBInstance": ["KmsKeyId"], "AWS::RDS::DBCluster": ["KmsKeyId"],
    "AWS::DynamoDB::Table": ["SSESpecification"], "AWS::DocDB::DBCluster": ["KmsKeyId"],
    "AWS::Redshift::Cluster": ["KmsKeyId"], "AWS::RedshiftServerless::Namespace": ["KmsKeyId"],
    "AWS::Timestream::Database": ["KmsKeyId"],
    "AWS::Glue::DataCatalogEncryptionSettings": ["DataCatalogEncryptionSettings"],
    "AWS::Glue::SecurityConfiguration": ["EncryptionConfiguration"],
    "AWS::Athena::WorkGroup": ["WorkGroupConfiguration"],
}
KEY_READS = ["EnableKeyRotation", "KeySpec", "Origin", "KeyManager"]
ROTATE = set_property("EnableKeyRotation", True)


def data_lake_users(key) -> list:
    """The data-lake resources that name the key, buckets excepted (LL120 judges a bucket's key)."""
    return [r for r in key.related("encrypts") if r.type.startswith(DATA_LAKE_PREFIXES) and r.type != BUCKET_TYPE]


@check(code="LL731", name="kms-key-rotation", severity="medium",
       title="Customer managed KMS key used by a data-lake resource has rotation off",
       resource_types=[KEY_TYPE], reads={KEY_TYPE: KEY_READS, **USER_READS}, sources=["template", "live"],
       fix="safe")
def kms_key_rotation(key, ctx):
    users = data_lake_users(key)
    # a user with a Condition makes the key a data-lake key only where it exists
    for present in existing(users, within=key):
        if not present:
            continue
        names = ", ".join(sorted(r.name for r in present))
        for manager in read(key, "KeyManager", presence=True):  # live only: CUSTOMER or AWS
            for values in read_together(key, "EnableKeyRotation", "KeySpec", "Origin"):
                yield from _judge(key, manager, values, names)


def _judge(key, manager, values, names):
    rotation = values.get("EnableKeyRotation", MISSING)
    if truth(rotation) is True:
        return
    if known(manager, "whether the key is customer managed", key="KeyManager") is None:
        return
    if isinstance(manager, str) and manager.upper() == "AWS":
        return  # an AWS managed key (live): AWS rotates it every year, and nobody can turn that off
    spec = known(values.get("KeySpec", MISSING), "whether the key can rotate", key="EnableKeyRotation")
    origin = known(values.get("Origin", MISSING), "whether the key can rotate", key="EnableKeyRotation")
    if spec is None or origin is None or not can_rotate(spec, origin):
        return  # unknown (reported), or a key AWS KMS cannot rotate automatically
    if known(rotation, "EnableKeyRotation", at=_at(values), key="EnableKeyRotation") is None:
        return
    fix = ROTATE if _rotatable_everywhere(key) else no_fix(
        "KeySpec or Origin is written with an intrinsic function: where the key cannot rotate, EnableKeyRotation: "
        "true would fail the deployment")
    if rotation is MISSING:
        yield fail(f"EnableKeyRotation is not set (off by default) on a key that encrypts {names}",
                   at=values.key_pos.get("EnableKeyRotation"), key="EnableKeyRotation", fix=fix)
    elif truth(rotation) is None:
        yield fail(f"EnableKeyRotation is {show(rotation)}, which is not a boolean: the key encrypts {names}",
                   at=_at(values), key="EnableKeyRotation", fix=fix)
    else:
        yield fail(f"EnableKeyRotation is {show(rotation)}: the key encrypts {names}", at=_at(values),
                   key="EnableKeyRotation", fix=fix)


def _rotatable_everywhere(key) -> bool:
    """Whether the template writes the key's KeySpec and Origin plainly (or not at all), so the key AWS
    KMS can rotate on this branch can be rotated on every branch: rotation turned on for a key that is
    asymmetric or imported on another branch would fail the deployment, so the fix is offered only then."""
    props = key.props if isinstance(key.props, dict) else {}
    return not any(isinstance(props.get(name), (dict, list)) for name in ("KeySpec", "Origin"))


def _at(values):
    return (values, "EnableKeyRotation") if "EnableKeyRotation" in values else None

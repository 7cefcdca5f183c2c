"""A customer managed KMS key that encrypts data-lake resources with rotation turned off.

## What it does
Looks at every `AWS::KMS::Key` that a data-lake resource of the same template uses (through any
`KmsKeyId`/`KMSMasterKeyID`/`KmsKeyArn`/`KmsKey` property, directly or through an `AWS::KMS::Alias`):
S3, EFS, EBS, FSx, RDS, DynamoDB, DocumentDB, Redshift, Timestream, Glue, Athena, Lake Formation,
Kinesis, Firehose, EMR and MSK resources. It fails when `EnableKeyRotation` is not true on some
`Fn::If` branch or allowed parameter value. Keys that cannot rotate automatically (asymmetric or HMAC
`KeySpec`, `Origin: EXTERNAL`) are skipped; a key no data-lake resource uses is left alone.

Live, it reads the keys `ListKeys`/`DescribeKey`/`GetKeyRotationStatus` describe and the
resources of the region that name them; AWS managed keys (`KeyManager: AWS`) are skipped, since
AWS rotates them itself.

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
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt LakeKey.Arn
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

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import flag_verdicts, props_branches
from lakelint.core.values import MISSING, is_unresolved, truth

DATA_LAKE_PREFIXES = (
    "AWS::S3::", "AWS::EFS::", "AWS::EC2::Volume", "AWS::FSx::", "AWS::RDS::", "AWS::DynamoDB::",
    "AWS::DocDB::", "AWS::Redshift::", "AWS::RedshiftServerless::", "AWS::Timestream::", "AWS::Glue::",
    "AWS::Athena::", "AWS::LakeFormation::", "AWS::Kinesis::", "AWS::KinesisFirehose::", "AWS::EMR::",
    "AWS::EMRServerless::", "AWS::MSK::",
)
ROTATABLE_SPEC = "SYMMETRIC_DEFAULT"
# the data-lake resource types live mode records with a key property: declared so that a scan that
# runs this check alone still collects the resources that make a key a data-lake key
USER_TYPES = (
    "AWS::S3::Bucket", "AWS::EFS::FileSystem", "AWS::EC2::Volume", "AWS::FSx::FileSystem", "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster", "AWS::DynamoDB::Table", "AWS::DocDB::DBCluster", "AWS::Redshift::Cluster",
    "AWS::RedshiftServerless::Namespace", "AWS::Timestream::Database", "AWS::Glue::DataCatalogEncryptionSettings",
    "AWS::Glue::SecurityConfiguration", "AWS::Athena::WorkGroup",
)


def data_lake_users(key) -> list:
    return [r for r in key.related("encrypts") if r.type.startswith(DATA_LAKE_PREFIXES)]


@check(code="LL731", name="kms-key-rotation", severity="medium",
       title="Customer managed KMS key used by a data-lake resource has rotation off",
       resource_types=["AWS::KMS::Key"], reads=USER_TYPES, sources=["template", "live"])
def kms_key_rotation(key, ctx):
    users = data_lake_users(key)
    if not users:
        return
    manager = key.props.get("KeyManager", MISSING) if isinstance(key.props, dict) else MISSING
    if is_unresolved(manager):
        if truth(key.props.get("EnableKeyRotation", MISSING)) is not True:
            yield unknown(f"cannot tell whether the key is customer managed: it {manager.reason}", cause=manager,
                          key="KeyManager")
        return
    if isinstance(manager, str) and manager.upper() == "AWS":
        return  # an AWS managed key (live): AWS rotates it every year, and nobody can turn that off
    names = ", ".join(sorted(r.name for r in users))
    for branch in props_branches(key, "EnableKeyRotation", "KeySpec", "Origin"):
        values = branch.value
        spec, origin = values.get("KeySpec", ROTATABLE_SPEC), values.get("Origin", "AWS_KMS")
        if is_unresolved(spec) or is_unresolved(origin):
            cause = spec if is_unresolved(spec) else origin
            yield unknown(f"cannot tell whether the key can rotate: it {cause.reason}", cause=cause, branch=branch,
                          key="EnableKeyRotation")
            continue
        if str(spec).upper() != ROTATABLE_SPEC or str(origin).upper() == "EXTERNAL":
            continue  # AWS KMS cannot rotate these keys automatically
        absent = f"EnableKeyRotation is not set (off by default) on a key that encrypts {names}"
        for verdict in flag_verdicts(key, values, "EnableKeyRotation", branch, absent_message=absent):
            if verdict.kind == "fail" and values.get("EnableKeyRotation", MISSING) is not MISSING:
                verdict.message += f": the key encrypts {names}"
            yield verdict

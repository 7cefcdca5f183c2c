"""S3 Metadata tables not encrypted with KMS, or whose journal records never expire.

## What it does
Checks the S3 Metadata configuration of every `AWS::S3::Bucket`:

- `MetadataConfiguration` (the current, V2 configuration): its journal table
  (`JournalTableConfiguration`) and its inventory table (`InventoryTableConfiguration`, unless its
  `ConfigurationState` is `DISABLED`) must each have an `EncryptionConfiguration` with
  `SseAlgorithm: aws:kms` and a `KmsKeyArn`; and the journal table must set
  `RecordExpiration.Expiration: ENABLED`. A disabled or absent inventory table has nothing to encrypt
  and passes. Values are compared as S3 spells them (`aws:kms`, `ENABLED`).
- `MetadataTableConfiguration` (the older, V1 configuration) always fails: its journal records cannot
  expire, and it has no encryption setting of its own (its table takes the default encryption of the
  customer table bucket it names, which LL131 judges on the table bucket).

Each `Fn::If` branch and each allowed value of a parameter is judged; a value known only at deploy time
cannot be verified (a `KmsKeyArn` written as `!GetAtt Key.Arn` is fine: only its presence matters). A
bucket with a `Condition` is judged where it exists. Buckets without S3 Metadata are not judged. The
annotation table (`AnnotationTableConfiguration`) is not judged.

On a live account the configuration comes from `GetBucketMetadataConfiguration` (it answers V1 and V2
configurations alike: a V1 one is stored in a customer table bucket); that answer does not say how the
tables are encrypted, so each table's encryption is read with S3 Tables' `GetTableEncryption` on the
AWS managed table bucket (`aws-s3`) that holds it, which needs `s3tables:GetTableEncryption`.

**When the property is absent:** without `EncryptionConfiguration` S3 Metadata encrypts a table with
SSE-S3 (`AES256`), so an absent one fails; without `RecordExpiration` enabled, journal records are kept
for as long as the table exists, so an absent one fails too.

## Why it matters
The journal table records every change to the bucket's objects (keys, sizes, tags, user metadata, the
requester and its source IP address), and the inventory table lists every object: together they map the
lake's contents and who touches them. With a customer managed KMS key, the key policy decides who can
read the tables, every decryption is logged in CloudTrail, and access can be cut by disabling the key;
with SSE-S3 anyone allowed to query the tables reads them. Without record expiration the journal grows
with every upload, copy and delete, forever: query cost and storage grow without bound, and requester
data is kept longer than any retention policy asks.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    MetadataConfiguration:
      JournalTableConfiguration:           # LL138: SSE-S3, and records never expire
        RecordExpiration: {Expiration: DISABLED}
      InventoryTableConfiguration:
        ConfigurationState: ENABLED        # LL138: SSE-S3
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    MetadataConfiguration:
      JournalTableConfiguration:
        RecordExpiration: {Expiration: ENABLED, Days: 90}
        EncryptionConfiguration: {SseAlgorithm: "aws:kms", KmsKeyArn: !GetAtt MetadataKey.Arn}
      InventoryTableConfiguration:
        ConfigurationState: ENABLED
        EncryptionConfiguration: {SseAlgorithm: "aws:kms", KmsKeyArn: !GetAtt MetadataKey.Arn}
```
With the AWS CLI (record expiration can be turned on in place; a table's encryption is chosen when S3
Metadata creates it, so re-create the configuration to move its tables to KMS):
```sh
aws s3api update-bucket-metadata-journal-table-configuration --bucket BUCKET \
  --journal-table-configuration '{"RecordExpiration":{"Expiration":"ENABLED","Days":90}}'
aws s3api delete-bucket-metadata-configuration --bucket BUCKET
aws s3api create-bucket-metadata-configuration --bucket BUCKET --metadata-configuration \
  '{"JournalTableConfiguration":{"RecordExpiration":{"Expiration":"ENABLED","Days":90},"EncryptionConfiguration":{"SseAlgorithm":"aws:kms","KmsKeyArn":"KEY_ARN"}},"InventoryTableConfiguration":{"ConfigurationState":"ENABLED","EncryptionConfiguration":{"SseAlgorithm":"aws:kms","KmsKeyArn":"KEY_ARN"}}}'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/metadata-tables-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_MetadataTableEncryptionConfiguration.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketMetadataConfiguration.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-metadataconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import here, known, position, read, read_together
from lakelint.core.values import MISSING, show

BUCKET = "AWS::S3::Bucket"
V2 = "MetadataConfiguration"
V1 = "MetadataTableConfiguration"
JOURNAL = f"{V2}.JournalTableConfiguration"
INVENTORY = f"{V2}.InventoryTableConfiguration"
EXPIRATION = f"{JOURNAL}.RecordExpiration.Expiration"
KMS = "aws:kms"
ENABLED, DISABLED = "ENABLED", "DISABLED"  # as S3 Metadata spells them: other spellings are not these


# Every verdict names where it is placed (``at=``): the value judged when it is written, else the table
# configuration that lacks it, so a finding's line does not depend on how deep the reads are nested.
@check(code="LL138", name="s3-metadata-tables-encrypted", severity="low",
       title="S3 Metadata journal or inventory table not encrypted with KMS, or without record expiration",
       resource_types=[BUCKET], sources=["template", "live"], preview=True,
       reads={BUCKET: [V2, V1]})
def s3_metadata_tables_encrypted(bucket, ctx):
    for values in read_together(bucket, V2, V1):
        config, legacy = values.get(V2, MISSING), values.get(V1, MISSING)
        # live, one call answers both: when it fails, one verdict says so
        if (known(config, "the S3 Metadata configuration", key=V2) is None
                or known(legacy, "the V1 S3 Metadata configuration", key=V1) is None):
            continue
        if config is not MISSING:
            for _journal in read(bucket, JOURNAL, what="the journal table configuration"):
                journal_at = here() or position(values, V2)
                yield from _encrypted(bucket, JOURNAL, "journal", journal_at)
                yield from _expires(bucket, journal_at)
            for inventory in read(bucket, INVENTORY, what="the inventory table configuration"):
                if inventory is MISSING:
                    continue  # no inventory table
                inventory_at = here()
                for state in read(bucket, f"{INVENTORY}.ConfigurationState",
                                  what="the inventory table's ConfigurationState"):
                    if state is not MISSING and state != DISABLED:  # absent or DISABLED: there is no inventory table
                        yield from _encrypted(bucket, INVENTORY, "inventory", inventory_at)
        if legacy is not MISSING:
            yield fail("MetadataTableConfiguration is the older (V1) S3 Metadata configuration: its journal records "
                       "cannot expire, and it has no KMS setting of its own (its table takes its table bucket's "
                       "encryption); replace it with a MetadataConfiguration that sets RecordExpiration and an "
                       "aws:kms EncryptionConfiguration", at=position(values, V1), key=V1)


def _encrypted(bucket, table: str, label: str, table_at):
    """Verdicts on one table's ``EncryptionConfiguration``, which must be ``aws:kms`` with a key."""
    path = f"{table}.EncryptionConfiguration"
    for encryption in read(bucket, path, what=f"the {label} table's EncryptionConfiguration"):
        if encryption is MISSING:
            yield fail(f"the {label} table has no EncryptionConfiguration: S3 Metadata encrypts it with SSE-S3 "
                       "(AES256), not with a KMS key", at=table_at, key=path)
            continue
        encryption_at = here() or table_at
        for algorithm in read(bucket, f"{path}.SseAlgorithm", what=f"the {label} table's SseAlgorithm"):
            if algorithm != KMS:
                yield fail(f"the {label} table's SseAlgorithm is {show(algorithm)}, not aws:kms: it is not "
                           "encrypted with a KMS key", at=here() or encryption_at, key=f"{path}.SseAlgorithm")
                continue
            for key in read(bucket, f"{path}.KmsKeyArn", presence=True):
                if key is MISSING or key == "":
                    yield fail(f"the {label} table's SseAlgorithm is aws:kms but no KmsKeyArn names the "
                               "customer managed key S3 Metadata must use", at=here() or encryption_at,
                               key=f"{path}.KmsKeyArn")


def _expires(bucket, journal_at):
    """A verdict on the journal table's record expiration, which must be ENABLED."""
    for expiration in read(bucket, EXPIRATION, what="the journal table's record expiration"):
        if expiration != ENABLED:
            yield fail(f"the journal table's RecordExpiration.Expiration is {show(expiration)}, not ENABLED: its "
                       "records are kept forever and the table grows with every change to the bucket",
                       at=here() or journal_at, key=EXPIRATION)

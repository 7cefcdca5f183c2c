"""Glue Data Catalog metadata or connection passwords not encrypted.

## What it does
Checks every `AWS::Glue::DataCatalogEncryptionSettings`: `EncryptionAtRest.CatalogEncryptionMode` must
be `SSE-KMS` (or `SSE-KMS-WITH-SERVICE-ROLE`), and
`ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted` must be true. Each `Fn::If` branch
and allowed parameter value is checked; each failing half is its own finding.

Live, it reads `GetDataCatalogEncryptionSettings` in each region.

**When the property is absent:** catalog encryption at rest is `DISABLED` by default, and connection
passwords are returned in clear text by `GetConnection` unless `ReturnConnectionPasswordEncrypted` is
true, so an absent `EncryptionAtRest` or `ConnectionPasswordEncryption` fails.

## Why it matters
The Data Catalog describes every table of the lake: names, schemas, S3 locations, partition values
that often carry business data. Encrypting it with KMS puts the catalog behind a key policy as well as
IAM. Glue connections hold database passwords for JDBC sources; without password encryption any
principal allowed `glue:GetConnection` reads them.

## Example
```yaml
CatalogEncryption:
  Type: AWS::Glue::DataCatalogEncryptionSettings
  Properties:
    CatalogId: !Ref AWS::AccountId
    DataCatalogEncryptionSettings:
      EncryptionAtRest:
        CatalogEncryptionMode: DISABLED     # LL711
```

## Fix
```yaml
CatalogEncryption:
  Type: AWS::Glue::DataCatalogEncryptionSettings
  Properties:
    CatalogId: !Ref AWS::AccountId
    DataCatalogEncryptionSettings:
      EncryptionAtRest:
        CatalogEncryptionMode: SSE-KMS
        SseAwsKmsKeyId: !Ref CatalogKey
      ConnectionPasswordEncryption:
        ReturnConnectionPasswordEncrypted: true
        KmsKeyId: !Ref CatalogKey
```
With the AWS CLI:
```sh
aws glue put-data-catalog-encryption-settings --data-catalog-encryption-settings \
  '{"EncryptionAtRest":{"CatalogEncryptionMode":"SSE-KMS","SseAwsKmsKeyId":"KEY_ARN"},"ConnectionPasswordEncryption":{"ReturnConnectionPasswordEncrypted":true,"AwsKmsKeyId":"KEY_ARN"}}'
```

## References
- https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
- https://docs.aws.amazon.com/glue/latest/dg/encrypt-connection-passwords.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-datacatalogencryptionsettings.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show, truth

SETTINGS_TYPE = "AWS::Glue::DataCatalogEncryptionSettings"
ENCRYPTED_MODES = ("sse-kms", "sse-kms-with-service-role")
ROOT = "DataCatalogEncryptionSettings"
AT_REST = f"{ROOT}.EncryptionAtRest"
PASSWORDS = f"{ROOT}.ConnectionPasswordEncryption"


@check(code="LL711", name="glue-catalog-encrypted", severity="high",
       title="Glue Data Catalog not encrypted at rest, or connection passwords not encrypted",
       resource_types=[SETTINGS_TYPE], sources=["template", "live"], reads={SETTINGS_TYPE: [AT_REST, PASSWORDS]})
def glue_catalog_encrypted(settings, ctx):
    yield from _at_rest(settings)
    yield from _passwords(settings)


def _at_rest(settings):
    key = f"{AT_REST}.CatalogEncryptionMode"
    for at_rest in read(settings, AT_REST, what="catalog encryption at rest"):
        mode = known(dig(at_rest, "CatalogEncryptionMode"), "CatalogEncryptionMode",
                     at=(at_rest, "CatalogEncryptionMode"), key=key)
        if mode is None:
            continue
        if mode is MISSING:
            yield fail("catalog encryption at rest is not set (DISABLED by default)",
                       at=at_rest if isinstance(at_rest, dict) else None, key=key)
        elif str(mode).strip().lower() not in ENCRYPTED_MODES:
            yield fail(f"CatalogEncryptionMode is {show(mode)}: the Data Catalog is not encrypted at rest",
                       at=(at_rest, "CatalogEncryptionMode"), key=key)


def _passwords(settings):
    key = f"{PASSWORDS}.ReturnConnectionPasswordEncrypted"
    for config in read(settings, PASSWORDS, what="connection password encryption"):
        flag = known(dig(config, "ReturnConnectionPasswordEncrypted"), "ReturnConnectionPasswordEncrypted",
                     at=(config, "ReturnConnectionPasswordEncrypted"), key=key)
        if flag is None:
            continue
        if flag is MISSING:
            yield fail("connection password encryption is not set: GetConnection returns passwords in clear text",
                       at=config if isinstance(config, dict) else None, key=key)
        elif truth(flag) is not True:
            yield fail(f"ReturnConnectionPasswordEncrypted is {show(flag)}: connection passwords are not encrypted",
                       at=(config, "ReturnConnectionPasswordEncrypted"), key=key)

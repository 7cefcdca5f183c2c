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

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, is_unresolved, show, truth

ENCRYPTED_MODES = ("sse-kms", "sse-kms-with-service-role")
ROOT = "DataCatalogEncryptionSettings"


@check(code="LL711", name="glue-catalog-encrypted", severity="high",
       title="Glue Data Catalog not encrypted at rest, or connection passwords not encrypted",
       resource_types=["AWS::Glue::DataCatalogEncryptionSettings"], sources=["template", "live"])
def glue_catalog_encrypted(settings, ctx):
    yield from _at_rest(settings)
    yield from _passwords(settings)


def _at_rest(settings):
    for branch in settings.branches(ROOT, "EncryptionAtRest"):
        at_rest = branch.value
        if is_unresolved(at_rest):
            yield unknown(f"cannot verify catalog encryption: EncryptionAtRest {at_rest.reason}", cause=at_rest,
                          branch=branch, key=f"{ROOT}.EncryptionAtRest")
            continue
        mode = at_rest.get("CatalogEncryptionMode", MISSING) if isinstance(at_rest, dict) else MISSING
        key = f"{ROOT}.EncryptionAtRest.CatalogEncryptionMode"
        if is_unresolved(mode):
            yield unknown(f"cannot verify CatalogEncryptionMode: it {mode.reason}", cause=mode, branch=branch,
                          at=(at_rest, "CatalogEncryptionMode"), key=key)
        elif mode is MISSING:
            yield fail("catalog encryption at rest is not set (DISABLED by default)", branch=branch,
                       at=at_rest if isinstance(at_rest, dict) else None, key=key)
        elif str(mode).strip().lower() not in ENCRYPTED_MODES:
            yield fail(f"CatalogEncryptionMode is {show(mode)}: the Data Catalog is not encrypted at rest",
                       branch=branch, at=(at_rest, "CatalogEncryptionMode"), key=key)


def _passwords(settings):
    for branch in settings.branches(ROOT, "ConnectionPasswordEncryption"):
        config = branch.value
        if is_unresolved(config):
            yield unknown(f"cannot verify connection password encryption: it {config.reason}", cause=config,
                          branch=branch, key=f"{ROOT}.ConnectionPasswordEncryption")
            continue
        flag = config.get("ReturnConnectionPasswordEncrypted", MISSING) if isinstance(config, dict) else MISSING
        key = f"{ROOT}.ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted"
        if is_unresolved(flag):
            yield unknown(f"cannot verify ReturnConnectionPasswordEncrypted: it {flag.reason}", cause=flag,
                          branch=branch, at=(config, "ReturnConnectionPasswordEncrypted"), key=key)
        elif flag is MISSING:
            yield fail("connection password encryption is not set: GetConnection returns passwords in clear text",
                       branch=branch, at=config if isinstance(config, dict) else None, key=key)
        elif truth(flag) is not True:
            yield fail(f"ReturnConnectionPasswordEncrypted is {show(flag)}: connection passwords are not encrypted",
                       branch=branch, at=(config, "ReturnConnectionPasswordEncrypted"), key=key)

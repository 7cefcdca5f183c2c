"""A Glue security configuration that leaves S3, CloudWatch or job bookmark encryption off.

## What it does
Checks every `AWS::Glue::SecurityConfiguration`: its `EncryptionConfiguration` must turn on all three
kinds of encryption Glue offers: `S3Encryptions` with `S3EncryptionMode` `SSE-KMS` or `SSE-S3`,
`CloudWatchEncryption.CloudWatchEncryptionMode` `SSE-KMS`, and
`JobBookmarksEncryption.JobBookmarksEncryptionMode` `CSE-KMS`. Each missing or `DISABLED` one is its
own finding; each `Fn::If` branch and allowed parameter value is checked.

Live, it reads `GetSecurityConfigurations` in each region.

**When the property is absent:** every mode defaults to `DISABLED`: data written to S3 gets only the
bucket's default encryption, logs are not encrypted with your key, and job bookmarks are stored
unencrypted, so each absent setting fails.

## Why it matters
Glue jobs and crawlers move the lake's data. Their security configuration is where the encryption of
what they write (S3 output, CloudWatch logs that may contain records, bookmarks that record what was
processed) is decided. Leaving one of the three off is the gap through which data lands unencrypted.

## Example
```yaml
EtlSecurity:
  Type: AWS::Glue::SecurityConfiguration
  Properties:
    Name: etl-security
    EncryptionConfiguration:
      S3Encryptions:
        - S3EncryptionMode: SSE-KMS
          KmsKeyArn: !GetAtt LakeKey.Arn      # LL712: no CloudWatch or bookmark encryption
```

## Fix
```yaml
EtlSecurity:
  Type: AWS::Glue::SecurityConfiguration
  Properties:
    Name: etl-security
    EncryptionConfiguration:
      S3Encryptions:
        - S3EncryptionMode: SSE-KMS
          KmsKeyArn: !GetAtt LakeKey.Arn
      CloudWatchEncryption:
        CloudWatchEncryptionMode: SSE-KMS
        KmsKeyArn: !GetAtt LakeKey.Arn
      JobBookmarksEncryption:
        JobBookmarksEncryptionMode: CSE-KMS
        KmsKeyArn: !GetAtt LakeKey.Arn
```
With the AWS CLI (security configurations cannot be changed: create a new one and point jobs at it):
```sh
aws glue create-security-configuration --name etl-security-v2 --encryption-configuration \
  '{"S3Encryption":[{"S3EncryptionMode":"SSE-KMS","KmsKeyArn":"KEY_ARN"}],"CloudWatchEncryption":{"CloudWatchEncryptionMode":"SSE-KMS","KmsKeyArn":"KEY_ARN"},"JobBookmarksEncryption":{"JobBookmarksEncryptionMode":"CSE-KMS","KmsKeyArn":"KEY_ARN"}}'
```

## References
- https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
- https://docs.aws.amazon.com/glue/latest/dg/console-security-configurations.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-securityconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show

CONFIGURATION_TYPE = "AWS::Glue::SecurityConfiguration"
ROOT = "EncryptionConfiguration"
# section, mode property, modes that encrypt, what is left unencrypted
SECTIONS = (
    ("CloudWatchEncryption", "CloudWatchEncryptionMode", ("sse-kms",), "CloudWatch logs"),
    ("JobBookmarksEncryption", "JobBookmarksEncryptionMode", ("cse-kms",), "job bookmarks"),
)
S3_MODES = ("sse-kms", "sse-s3")


@check(code="LL712", name="glue-security-configuration", severity="medium",
       title="Glue security configuration leaves S3, CloudWatch or job bookmark encryption off",
       resource_types=[CONFIGURATION_TYPE], sources=["template", "live"],
       reads={CONFIGURATION_TYPE: [f"{ROOT}.S3Encryptions", *(f"{ROOT}.{section}" for section, *_ in SECTIONS)]})
def glue_security_configuration(configuration, ctx):
    yield from _s3(configuration)
    for section, prop, modes, what in SECTIONS:
        yield from _section(configuration, section, prop, modes, what)


def _s3(configuration):
    key = f"{ROOT}.S3Encryptions"
    for entries in read(configuration, key, what="S3Encryptions"):
        if isinstance(entries, dict):  # one entry written without the list
            entries = [entries]
        if not isinstance(entries, list) or not entries:
            yield fail("S3 encryption is not set (DISABLED by default): data the jobs write to S3 is not "
                       "encrypted by Glue", key=key)
            continue
        for entry in entries:
            mode = known(dig(entry, "S3EncryptionMode"), "S3EncryptionMode", at=(entry, "S3EncryptionMode"),
                         key=f"{key}.S3EncryptionMode")
            if mode is not None and (mode is MISSING or str(mode).strip().lower() not in S3_MODES):
                yield fail(f"S3EncryptionMode is {show(mode)}: data the jobs write to S3 is not encrypted by Glue",
                           at=(entry, "S3EncryptionMode") if isinstance(entry, dict) else None,
                           key=f"{key}.S3EncryptionMode")


def _section(configuration, section, prop, modes, what):
    key = f"{ROOT}.{section}.{prop}"
    for block in read(configuration, f"{ROOT}.{section}", what=section, key=key):
        mode = known(dig(block, prop), prop, at=(block, prop), key=key)
        if mode is None:
            continue
        if mode is MISSING:
            yield fail(f"{section} is not set (DISABLED by default): {what} are not encrypted",
                       at=block if isinstance(block, dict) else None, key=key)
        elif str(mode).strip().lower() not in modes:
            yield fail(f"{prop} is {show(mode)}: {what} are not encrypted", at=(block, prop), key=key)

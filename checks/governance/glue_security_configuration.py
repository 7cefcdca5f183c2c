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

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, dig, is_unresolved, show

ROOT = "EncryptionConfiguration"
# section, mode property, modes that encrypt, what is left unencrypted
SECTIONS = (
    ("CloudWatchEncryption", "CloudWatchEncryptionMode", ("sse-kms",), "CloudWatch logs"),
    ("JobBookmarksEncryption", "JobBookmarksEncryptionMode", ("cse-kms",), "job bookmarks"),
)
S3_MODES = ("sse-kms", "sse-s3")


@check(code="LL712", name="glue-security-configuration", severity="medium",
       title="Glue security configuration leaves S3, CloudWatch or job bookmark encryption off",
       resource_types=["AWS::Glue::SecurityConfiguration"], sources=["template", "live"])
def glue_security_configuration(configuration, ctx):
    for branch in configuration.branches(ROOT, "S3Encryptions"):
        yield from _s3(branch.value, branch)
    for section, prop, modes, what in SECTIONS:
        for branch in configuration.branches(ROOT, section):
            yield from _section(branch.value, section, prop, modes, what, branch)


def _s3(entries, branch):
    key = f"{ROOT}.S3Encryptions"
    if is_unresolved(entries):
        yield unknown(f"cannot verify S3Encryptions: it {entries.reason}", cause=entries, branch=branch, key=key)
        return
    if isinstance(entries, dict):  # one entry written without the list
        entries = [entries]
    if not isinstance(entries, list) or not entries:
        yield fail("S3 encryption is not set (DISABLED by default): data the jobs write to S3 is not "
                   "encrypted by Glue", branch=branch, key=key)
        return
    for entry in entries:
        mode = dig(entry, "S3EncryptionMode")
        if is_unresolved(mode):
            yield unknown(f"cannot verify S3EncryptionMode: it {mode.reason}", cause=mode, branch=branch,
                          at=(entry, "S3EncryptionMode"), key=f"{key}.S3EncryptionMode")
        elif mode is MISSING or str(mode).strip().lower() not in S3_MODES:
            yield fail(f"S3EncryptionMode is {show(mode)}: data the jobs write to S3 is not encrypted by Glue",
                       branch=branch, at=(entry, "S3EncryptionMode") if isinstance(entry, dict) else None,
                       key=f"{key}.S3EncryptionMode")


def _section(block, section, prop, modes, what, branch):
    key = f"{ROOT}.{section}.{prop}"
    if is_unresolved(block):
        yield unknown(f"cannot verify {section}: it {block.reason}", cause=block, branch=branch, key=key)
        return
    mode = dig(block, prop)
    if is_unresolved(mode):
        yield unknown(f"cannot verify {prop}: it {mode.reason}", cause=mode, branch=branch, at=(block, prop), key=key)
    elif mode is MISSING:
        yield fail(f"{section} is not set (DISABLED by default): {what} are not encrypted", branch=branch,
                   at=block if isinstance(block, dict) else None, key=key)
    elif str(mode).strip().lower() not in modes:
        yield fail(f"{prop} is {show(mode)}: {what} are not encrypted", branch=branch, at=(block, prop), key=key)

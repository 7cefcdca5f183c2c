"""An Athena workgroup whose query results are not encrypted.

## What it does
Checks every `AWS::Athena::WorkGroup`: its `WorkGroupConfiguration.ResultConfiguration` must have an
`EncryptionConfiguration` whose `EncryptionOption` is `SSE_KMS` or `CSE_KMS` (preferred: results
behind a KMS key) or `SSE_S3`, or the workgroup must use Athena managed query results
(`ManagedQueryResultsConfiguration.Enabled: true`), which Athena encrypts with its own key unless
a KMS key is given. An encryption set only through the older `WorkGroupConfigurationUpdates` counts
too. Each `Fn::If` branch and allowed parameter value is checked.

Live, it reads every workgroup of `ListWorkGroups` through `GetWorkGroup`, the account's
`primary` workgroup included.

**When the property is absent:** Athena writes results to the output location without asking for
encryption, so they get whatever default encryption the results bucket has (SSE-S3 at best), not one
the workgroup guarantees; an absent `EncryptionConfiguration` fails.

## Why it matters
Query results are copies of the lake's data: every `SELECT` leaves its answer as a CSV file in the
results bucket, readable by anyone with access to that bucket, long after the query. Encrypting them
with a KMS key keeps the copies behind the same key policy as the source tables.

## Example
```yaml
Analysts:
  Type: AWS::Athena::WorkGroup
  Properties:
    Name: analysts
    WorkGroupConfiguration:
      ResultConfiguration:
        OutputLocation: s3://lake-athena-results/analysts/   # LL721: no EncryptionConfiguration
```

## Fix
```yaml
Analysts:
  Type: AWS::Athena::WorkGroup
  Properties:
    Name: analysts
    WorkGroupConfiguration:
      EnforceWorkGroupConfiguration: true
      ResultConfiguration:
        OutputLocation: s3://lake-athena-results/analysts/
        EncryptionConfiguration:
          EncryptionOption: SSE_KMS
          KmsKey: !GetAtt ResultsKey.Arn
```
With the AWS CLI:
```sh
aws athena update-work-group --work-group analysts --configuration-updates \
  '{"EnforceWorkGroupConfiguration":true,"ResultConfigurationUpdates":{"EncryptionConfiguration":{"EncryptionOption":"SSE_KMS","KmsKey":"KEY_ARN"}}}'
```

## References
- https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html
- https://docs.aws.amazon.com/athena/latest/APIReference/API_ManagedQueryResultsConfiguration.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-athena-workgroup-resultconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show, truth

WORKGROUP_TYPE = "AWS::Athena::WorkGroup"
OPTIONS = ("SSE_KMS", "CSE_KMS", "SSE_S3")
ENCRYPTION = ("ResultConfiguration", "EncryptionConfiguration", "EncryptionOption")
UPDATES = "WorkGroupConfigurationUpdates.ResultConfigurationUpdates.EncryptionConfiguration.EncryptionOption"
KEY = "WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.EncryptionOption"


@check(code="LL721", name="athena-results-encrypted", severity="medium",
       title="Athena workgroup whose query results are not encrypted",
       resource_types=[WORKGROUP_TYPE], sources=["template", "live"],
       reads={WORKGROUP_TYPE: ["WorkGroupConfiguration", UPDATES]})
def athena_results_encrypted(workgroup, ctx):
    for config in read(workgroup, "WorkGroupConfiguration", what="the workgroup configuration"):
        managed_block = dig(config, "ManagedQueryResultsConfiguration")
        managed = known(dig(managed_block, "Enabled"), "ManagedQueryResultsConfiguration.Enabled",
                        at=(managed_block, "Enabled") if isinstance(managed_block, dict) else None,
                        key="WorkGroupConfiguration.ManagedQueryResultsConfiguration")
        if managed is None or truth(managed) is True:
            continue  # Athena managed results are always encrypted
        encryption = dig(config, *ENCRYPTION[:2])
        option = known(dig(config, *ENCRYPTION), "EncryptionOption", at=(encryption, "EncryptionOption"), key=KEY)
        if option is None:
            continue
        if option is not MISSING:
            if str(option).strip().upper() not in OPTIONS:
                yield fail(f"EncryptionOption is {show(option)}, not SSE_KMS, CSE_KMS or SSE_S3",
                           at=(encryption, "EncryptionOption"), key=KEY)
            continue
        # the older WorkGroupConfigurationUpdates may carry the encryption instead
        for update in read(workgroup, UPDATES, presence=True):
            if not _encrypting(update):
                result = dig(config, "ResultConfiguration")
                yield fail("query results are not encrypted: the workgroup's ResultConfiguration has no "
                           "EncryptionConfiguration (SSE_KMS or CSE_KMS preferred)",
                           at=result if isinstance(result, dict) else None, key=KEY)


def _encrypting(option) -> bool:
    """An encryption option of WorkGroupConfigurationUpdates that encrypts; one only known at deploy
    time does not count, as it may be none."""
    return isinstance(option, str) and str(option).strip().upper() in OPTIONS

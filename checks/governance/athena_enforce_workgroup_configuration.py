"""An Athena workgroup that lets clients override its result settings.

## What it does
Fails when an `AWS::Athena::WorkGroup` sets `EnforceWorkGroupConfiguration` to false (or `"false"`)
in `WorkGroupConfiguration` or in the older `WorkGroupConfigurationUpdates`, on any `Fn::If` branch or
allowed parameter value; a value that cannot be known is reported as unverifiable.

Live, it reads every workgroup through `GetWorkGroup`, which always states the setting; the
account's `primary` workgroup starts with it off.

**When the property is absent:** a workgroup created through the API, which is what CloudFormation
does, enforces its configuration (only the console leaves "Override client-side settings" unticked by
default), so an absent value passes.

## Why it matters
Without enforcement every client chooses its own results location, encryption and bucket owner check:
one JDBC connection string or CLI call can write query results (copies of lake data) unencrypted to a
bucket the lake team does not control. Enforcing the workgroup configuration makes LL721's encryption
and the results bucket the only option.

## Example
```yaml
Analysts:
  Type: AWS::Athena::WorkGroup
  Properties:
    Name: analysts
    WorkGroupConfiguration:
      EnforceWorkGroupConfiguration: false    # LL722
      ResultConfiguration:
        OutputLocation: s3://lake-athena-results/analysts/
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
aws athena update-work-group --work-group analysts --configuration-updates EnforceWorkGroupConfiguration=true
```

## References
- https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
- https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-athena-workgroup-workgroupconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING, show, truth

WORKGROUP_TYPE = "AWS::Athena::WorkGroup"
PATHS = ("WorkGroupConfiguration.EnforceWorkGroupConfiguration",
         "WorkGroupConfigurationUpdates.EnforceWorkGroupConfiguration")


@check(code="LL722", name="athena-enforce-workgroup-configuration", severity="medium",
       title="Athena workgroup lets clients override its result settings",
       resource_types=[WORKGROUP_TYPE], sources=["template", "live"], reads={WORKGROUP_TYPE: list(PATHS)})
def athena_enforce_workgroup_configuration(workgroup, ctx):
    for path in PATHS:
        for value in read(workgroup, path, what="EnforceWorkGroupConfiguration"):
            if value is not MISSING and truth(value) is not True:
                yield fail(f"EnforceWorkGroupConfiguration is {show(value)}: clients may choose their own "
                           "results location and encryption", key=path)

"""Lake Formation data lake settings that name no administrator.

## What it does
Checks every `AWS::LakeFormation::DataLakeSettings`: `Admins` must list at least one principal with a
`DataLakePrincipalIdentifier`. Each `Fn::If` branch is checked, `AWS::NoValue` included; a list that
comes from a parameter without a known value is reported as unverifiable.

Live, it reads each region's `GetDataLakeSettings` (`DataLakeAdmins`), one record per account and
region named by the account id.

**When the property is absent:** the settings CloudFormation writes name no administrator. With
`MutationType: APPEND` the account keeps whatever administrators it already has, which the template
does not show; otherwise the list is replaced. Either way the template names none, so an absent or
empty `Admins` fails, and the message says which case applies.

## Why it matters
Data lake administrators are the principals that can grant and revoke Lake Formation permissions and
fix a broken grant. Without one, nobody can manage permissions through Lake Formation (only the
account root can repair it), and the lake's governance is either stuck or silently bypassed through
IAM. Naming the administrators in the template also makes who holds that power reviewable.

## Example
```yaml
LakeSettings:
  Type: AWS::LakeFormation::DataLakeSettings
  Properties:
    Admins: []                  # LL701
```

## Fix
```yaml
LakeSettings:
  Type: AWS::LakeFormation::DataLakeSettings
  Properties:
    Admins:
      - DataLakePrincipalIdentifier: !GetAtt LakeAdminRole.Arn
    CreateDatabaseDefaultPermissions: []
    CreateTableDefaultPermissions: []
```
With the AWS CLI (this replaces the whole settings document: read it first with `get-data-lake-settings`):
```sh
aws lakeformation put-data-lake-settings --data-lake-settings \
  '{"DataLakeAdmins":[{"DataLakePrincipalIdentifier":"arn:aws:iam::111122223333:role/LakeAdmin"}],"CreateDatabaseDefaultPermissions":[],"CreateTableDefaultPermissions":[]}'
```

## References
- https://docs.aws.amazon.com/lake-formation/latest/dg/initial-lf-config.html
- https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-datalakesettings.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read_together
from lakelint.core.values import MISSING, dig

SETTINGS_TYPE = "AWS::LakeFormation::DataLakeSettings"


@check(code="LL701", name="lakeformation-admins-defined", severity="medium",
       title="Lake Formation data lake settings name no administrators",
       resource_types=[SETTINGS_TYPE], sources=["template", "live"],
       reads={SETTINGS_TYPE: ["Admins", "MutationType"]})
def lakeformation_admins_defined(settings, ctx):
    for values in read_together(settings, "Admins", "MutationType"):
        admins = known(values.get("Admins", MISSING), "Admins", key="Admins")
        if admins is None:
            continue
        named = [a for a in admins if dig(a, "DataLakePrincipalIdentifier") not in (MISSING, None, "")] \
            if isinstance(admins, list) else []
        if named:
            continue
        mutation = values.get("MutationType", MISSING)
        state = "is not set" if admins is MISSING else "is empty"
        if isinstance(mutation, str) and mutation.strip().upper() == "APPEND":
            message = (f"Admins {state}: with MutationType APPEND the account keeps whatever data lake "
                       "administrators it has, which the template does not name")
        else:
            message = f"Admins {state}: the data lake settings name no administrator"
        yield fail(message, at=(values, "Admins") if "Admins" in values else None, key="Admins")

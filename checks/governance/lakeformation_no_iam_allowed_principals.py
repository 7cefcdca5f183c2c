"""New Glue databases or tables default to IAM_ALLOWED_PRINCIPALS, bypassing Lake Formation.

## What it does
Checks `CreateDatabaseDefaultPermissions` and `CreateTableDefaultPermissions` of every
`AWS::LakeFormation::DataLakeSettings`, and `DatabaseInput.CreateTableDefaultPermissions` of every
`AWS::Glue::Database`: an entry whose principal is `IAM_ALLOWED_PRINCIPALS` fails. Each `Fn::If`
branch and allowed parameter value is checked; an empty list (`[]`) is the setting that hands new
databases and tables to Lake Formation permissions.

Live, it reads each region's `GetDataLakeSettings` and the `CreateTableDefaultPermissions` of
each database from Glue `GetDatabases`: the lists the account holds now.

**When the property is absent:** the account's current default applies, and CloudFormation does not
change it (it also ignores an emptied list on update, coverage-roadmap issue 2197). Every account
starts with "Use only IAM access control", that is `ALL` to `IAM_ALLOWED_PRINCIPALS`, so an absent
setting fails with a message that says the outcome depends on the account. A Glue database without
`CreateTableDefaultPermissions` is only reported when no data lake settings in the same template
settle the default (settings with a `Condition` settle it only where they exist).

## Why it matters
`IAM_ALLOWED_PRINCIPALS` with `ALL` means "anyone whose IAM policy allows Glue and S3 access may read
this table": Lake Formation grants, column filters and row filters are not consulted. A lake that
carefully grants Lake Formation permissions but leaves this default on has every new table open to
IAM alone, which is exactly what Lake Formation was adopted to prevent.

## Example
```yaml
LakeSettings:
  Type: AWS::LakeFormation::DataLakeSettings
  Properties:
    Admins:
      - DataLakePrincipalIdentifier: !GetAtt LakeAdminRole.Arn
    CreateTableDefaultPermissions:
      - Principal: {DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS}   # LL702
        Permissions: [ALL]
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
- https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
- https://docs.aws.amazon.com/lake-formation/latest/dg/upgrade-glue-lake-formation.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-datalakesettings.html
- https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2197
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, known, read
from lakelint.core.values import MISSING, dig, show

IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS"
SETTINGS_TYPE = "AWS::LakeFormation::DataLakeSettings"
DATABASE_TYPE = "AWS::Glue::Database"
SETTINGS_PROPERTIES = (("CreateDatabaseDefaultPermissions", "databases"),
                       ("CreateTableDefaultPermissions", "tables"))
DATABASE_PATH = "DatabaseInput.CreateTableDefaultPermissions"


@check(code="LL702", name="lakeformation-no-iam-allowed-principals", severity="high",
       title="New databases or tables default to IAM_ALLOWED_PRINCIPALS",
       resource_types=[SETTINGS_TYPE, DATABASE_TYPE], sources=["template", "live"],
       reads={SETTINGS_TYPE: [prop for prop, _ in SETTINGS_PROPERTIES], DATABASE_TYPE: [DATABASE_PATH]})
def lakeformation_no_iam_allowed_principals(resource, ctx):
    if resource.type == DATABASE_TYPE:
        yield from _database(resource)
        return
    for prop, what in SETTINGS_PROPERTIES:
        for entries in read(resource, prop, what=prop):
            if entries is MISSING:
                yield fail(f"{prop} is not set: new {what} keep the account's default, which starts as ALL to "
                           f"IAM_ALLOWED_PRINCIPALS (Use only IAM access control); set it to []", key=prop)
                continue
            yield from _entries(entries, prop, f"new {what}")


def _database(database):
    settings = database.stack.of_type(SETTINGS_TYPE) if database.stack is not None else []
    for entries in read(database, DATABASE_PATH, what=DATABASE_PATH):
        if entries is not MISSING:
            yield from _entries(entries, DATABASE_PATH, "new tables of this database")
            continue
        for present in existing(settings, within=database):
            if not present:  # no data lake settings of this template settle the account default here
                yield fail("CreateTableDefaultPermissions is not set and no data lake settings in this template set "
                           "the account default: new tables get the account's default, which starts as ALL to "
                           "IAM_ALLOWED_PRINCIPALS; set it to []", key=DATABASE_PATH)


def _entries(entries, key, what):
    for entry in entries if isinstance(entries, list) else ():
        principal = known(dig(entry, "Principal", "DataLakePrincipalIdentifier"), f"the principal of {key}",
                          at=entry, key=key)
        if isinstance(principal, str) and principal.strip().upper() == IAM_ALLOWED_PRINCIPALS:
            permissions = dig(entry, "Permissions")
            granted = ", ".join(show(p) for p in permissions) if isinstance(permissions, list) else "permissions"
            yield fail(f"{key} grants {granted} to IAM_ALLOWED_PRINCIPALS: {what} are governed by IAM alone, "
                       "not Lake Formation", at=entry, key=key)

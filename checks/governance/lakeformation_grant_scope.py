"""A Lake Formation grant of ALL to IAM_ALLOWED_PRINCIPALS, or a grant to an untrusted account.

## What it does
Checks every `AWS::LakeFormation::Permissions` and `AWS::LakeFormation::PrincipalPermissions` on each
`Fn::If` branch and allowed parameter value. It fails when the principal is `IAM_ALLOWED_PRINCIPALS`
and `Permissions` or `PermissionsWithGrantOption` include `ALL`, and when the principal belongs to an
AWS account (a 12-digit account id or an IAM ARN) that is neither the template's own account
(`${AWS::AccountId}`, or a literal catalog id the template's grants name: a `CatalogId` in their
`Resource`, a `PrincipalPermissions`' `Catalog`) nor listed in the `trusted-accounts` option. Organization, organizational unit, SAML and IAM Identity Center principals
are not account-scoped and are left alone; a principal only known at deploy time from a parameter is
reported as unverifiable.

Live, it reads every grant `ListPermissions` shows the scanning principal (a data lake
administrator sees them all) and counts the scanned account as the catalog's own.

**When the property is absent:** a grant without a principal or permissions grants nothing; there is
no default principal, so absent values pass.

## Why it matters
`ALL` to `IAM_ALLOWED_PRINCIPALS` hands a database or table back to plain IAM access control: every
principal whose IAM policy allows Glue and S3 reads it, whatever Lake Formation grants say. A grant to
another account shares the data outside the account boundary; cross-account sharing is legitimate only
with accounts the lake team has decided to trust, which is what `trusted-accounts` records.

## Example
```yaml
OrdersGrant:
  Type: AWS::LakeFormation::Permissions
  Properties:
    DataLakePrincipal:
      DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS    # LL704
    Permissions: [ALL]
    Resource:
      TableResource: {DatabaseName: curated, Name: orders}
```

## Fix
Grant named roles only what they need (and list partner accounts in `trusted-accounts`):
```yaml
OrdersGrant:
  Type: AWS::LakeFormation::PrincipalPermissions
  Properties:
    Principal:
      DataLakePrincipalIdentifier: !GetAtt AnalystRole.Arn
    Permissions: [SELECT, DESCRIBE]
    PermissionsWithGrantOption: []
    Resource:
      Table: {CatalogId: !Ref AWS::AccountId, DatabaseName: curated, Name: orders}
```
With the AWS CLI:
```sh
aws lakeformation revoke-permissions --principal DataLakePrincipalIdentifier=IAM_ALLOWED_PRINCIPALS \
  --permissions ALL --resource '{"Table":{"DatabaseName":"curated","Name":"orders"}}'
```

## References
- https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html
- https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-permissions.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-principalpermissions.html
"""

import re

from lakelint.core.check import check, fail
from lakelint.core.options import ACCOUNT_IDS, Option
from lakelint.core.reading import known, read, read_together
from lakelint.core.values import MISSING, dig, show
from lakelint.knowledge.policy import Principal

IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS"
OWN_ACCOUNT = "${AWS::AccountId}"
PRINCIPAL = {"AWS::LakeFormation::Permissions": "DataLakePrincipal",
             "AWS::LakeFormation::PrincipalPermissions": "Principal"}
# the catalog a template's grant names as its own: CatalogId in its Resource, and a PrincipalPermissions'
# Catalog (read on templates only: live, the scanned account is the catalog's own)
CATALOG = {"AWS::LakeFormation::Permissions": ("Resource",),
           "AWS::LakeFormation::PrincipalPermissions": ("Resource", "Catalog")}
_ACCOUNT_ID = re.compile(r"^\d{12}$")


@check(code="LL704", name="lakeformation-grant-scope", severity="medium",
       title="Lake Formation grant of ALL to IAM_ALLOWED_PRINCIPALS or to an untrusted account",
       resource_types=list(PRINCIPAL), sources=["template", "live"], options={"trusted-accounts": Option(
           ACCOUNT_IDS, [], "accounts besides the stack's own whose principals may be granted ALL")},
       reads={rtype: [holder, "Permissions", "PermissionsWithGrantOption", *CATALOG[rtype]]
              for rtype, holder in PRINCIPAL.items()})
def lakeformation_grant_scope(grant, ctx):
    trusted = {str(a) for a in (ctx.option("trusted-accounts") or [])}
    # live: the scanned account is the catalog's own (a grant's CatalogId may name a sharing account)
    own = {grant.account} if getattr(grant, "source", None) == "live" and grant.account else own_accounts(grant)
    holder = PRINCIPAL[grant.type]
    key = f"{holder}.DataLakePrincipalIdentifier"
    for values in read_together(grant, holder, "Permissions", "PermissionsWithGrantOption"):
        principal = dig(values.get(holder, MISSING), "DataLakePrincipalIdentifier")
        if principal is MISSING:
            continue
        at = (values[holder], "DataLakePrincipalIdentifier") if isinstance(values.get(holder), dict) else None
        text = str(principal).strip()
        account = Principal("AWS", text.replace("${AWS::Partition}", "aws")).account
        # a principal known only at deploy time whose account cannot be told either
        if account is None and not _known_enough(principal, grant):
            if known(principal, "the grant's principal", at=at, key=key) is None:
                continue
        granted = _permissions(values)
        if not granted:
            continue
        if text.upper() == IAM_ALLOWED_PRINCIPALS:
            if "ALL" in granted:
                yield fail("the grant gives ALL to IAM_ALLOWED_PRINCIPALS: access is decided by IAM alone, not "
                           "Lake Formation", at=at, key=key)
            continue
        if account is None or account == OWN_ACCOUNT or account in trusted or account in own:
            continue
        hint = "" if own else f" (if {account} is the account this template deploys to, add it to trusted-accounts)"
        who = f"account {account}" if text == account else f"{show(principal)} in account {account}"
        home = "the scanned account" if getattr(grant, "source", None) == "live" else "this template's catalog account"
        yield fail(f"the grant gives {', '.join(sorted(granted))} to {who}, which is neither "
                   f"{home} nor in trusted-accounts{hint}", at=at, key=key)


def _permissions(values) -> set:
    found = set()
    for prop in ("Permissions", "PermissionsWithGrantOption"):
        listed = values.get(prop, MISSING)
        for item in listed if isinstance(listed, list) else ():
            if isinstance(item, str):
                found.add(item.strip().upper())
    return found


def _known_enough(principal, grant) -> bool:
    """A principal built only from pseudo parameters and resources of this template (a role of its own,
    an ARN with ${AWS::AccountId}): its account can still be told."""
    names = {r.name for r in grant.stack.resources} if grant.stack is not None else set()
    refs = getattr(principal, "refs", ())
    return bool(refs) and all(ref.startswith("AWS::") or ref in names for ref in refs)


def own_accounts(grant) -> set:
    """Literal account ids the template's grants name as their catalog (a ``CatalogId`` in their
    ``Resource``, a PrincipalPermissions' ``Catalog``), on any branch."""
    found = set()

    def collect(value, wanted=False):
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k in ("CatalogId", "Catalog"))
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif wanted and isinstance(value, str) and _ACCOUNT_ID.match(value):
            found.add(value)

    grants = [r for r in grant.stack.resources if r.type in CATALOG] if grant.stack is not None else [grant]
    for other in grants:
        for prop in CATALOG[other.type]:
            for value in read(other, prop, presence=True):
                collect({prop: value})
    return found

"""A lake location that is not registered with Lake Formation.

## What it does
Collects the S3 locations the catalog points at in a template: Glue database `LocationUri`, Glue
table `StorageDescriptor.Location`, and the data locations of Lake Formation grants
(`AWS::LakeFormation::Permissions` and `PrincipalPermissions`). Each must be covered by an
`AWS::LakeFormation::Resource` of the same template whose `ResourceArn` is the bucket or a prefix
above the location. Locations written as `s3://...` or ARNs, with `!Sub`/`!Join`, or as `!Ref`/
`!GetAtt` of a bucket in the template all compare. Each `Fn::If` branch is checked. A location in the
catalog of an account listed in `trusted-accounts` (its `CatalogId`) is registered there and skipped;
a location or registration whose bucket is only known at deploy time is reported as unverifiable.

Live, it reads each region's Glue databases and tables (`GetDatabases`, `GetTables`), Lake
Formation grants on data locations (`ListPermissions`) and registrations (`ListResources`): a location
must be covered by a registration of the same account and region. A registration listing that
cannot be read makes every location unverifiable.

**When the property is absent:** a location nobody registers stays outside Lake Formation: its data
is reached with the caller's own IAM and S3 permissions, so a location with no covering registration
fails (the template checks registrations in the same template only).

## Why it matters
Lake Formation only vends credentials for, and only enforces its grants, column filters and row
filters on, data in registered locations. A Glue table over an unregistered bucket looks governed in
the catalog while every query of it is decided by IAM and the bucket policy alone.

## Example
```yaml
RawDatabase:
  Type: AWS::Glue::Database
  Properties:
    CatalogId: !Ref AWS::AccountId
    DatabaseInput:
      Name: raw
      LocationUri: s3://lake-raw/        # LL703: no AWS::LakeFormation::Resource for lake-raw
```

## Fix
```yaml
RawLocation:
  Type: AWS::LakeFormation::Resource
  Properties:
    ResourceArn: arn:aws:s3:::lake-raw
    UseServiceLinkedRole: true
```
With the AWS CLI:
```sh
aws lakeformation register-resource --resource-arn arn:aws:s3:::lake-raw --use-service-linked-role
```

## References
- https://docs.aws.amazon.com/lake-formation/latest/dg/register-data-lake.html
- https://docs.aws.amazon.com/lake-formation/latest/dg/register-location.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-resource.html
"""

import re

from lakelint.knowledge import s3_locations
from lakelint.core.check import check, fail, unknown
from lakelint.core.options import ACCOUNT_IDS, Option
from lakelint.core.values import MISSING, is_unresolved

CATALOG_IDS = {
    "AWS::Glue::Database": ("CatalogId",),
    "AWS::Glue::Table": ("CatalogId",),
    "AWS::LakeFormation::Permissions": ("Resource", "DataLocationResource", "CatalogId"),
    "AWS::LakeFormation::PrincipalPermissions": ("Resource", "DataLocation", "CatalogId"),
}
_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9]+)\}$")


@check(code="LL703", name="lakeformation-location-registered", severity="medium",
       title="Lake bucket not registered as a Lake Formation resource", scope="stack", sources=["template", "live"],
       resource_types=["AWS::Glue::Database", "AWS::Glue::Table", "AWS::LakeFormation::Permissions",
                       "AWS::LakeFormation::PrincipalPermissions", "AWS::LakeFormation::Resource"],
       options={"trusted-accounts": Option(
           ACCOUNT_IDS, [], "accounts whose buckets are not expected to be registered in this one")})
def lakeformation_location_registered(stack, ctx):
    trusted = {str(a) for a in (ctx.option("trusted-accounts") or [])}
    names = s3_locations.bucket_names(stack)
    resources = {r.name for r in stack.resources}
    registered, uncertain = [], []
    for registration in stack.of_type("AWS::LakeFormation::Resource"):
        for branch in registration.branches("ResourceArn"):
            location = s3_locations.parse(branch.value, names)
            if location is not None and _identified(location, resources):
                registered.append(location)
            elif location is not None or is_unresolved(branch.value):
                uncertain.append(branch.value)
    for holder in stack.resources:
        path = s3_locations.CATALOG_LOCATIONS.get(holder.type)
        if path is None or _trusted_catalog(holder, trusted):
            continue
        for branch in holder.branches(*path):
            yield from _judge(holder, branch, ".".join(path), names, resources, registered, uncertain)


def _judge(holder, branch, key, names, resources, registered, uncertain):
    value = branch.value
    if value is MISSING:
        return
    location = s3_locations.parse(value, names)
    if location is None:
        if is_unresolved(value):
            yield unknown(f"cannot verify the Lake Formation registration of {value}: it is not an S3 location "
                          f"that can be read here (it {value.reason})", cause=value, branch=branch, key=key,
                          resource=holder)
        return
    if any(r.covers(location) for r in registered):
        return
    if not _identified(location, resources):
        yield unknown(f"cannot verify the Lake Formation registration of {location}: its bucket "
                      f"{_bucket_reason(location, holder.stack)}", cause=value if is_unresolved(value) else None,
                      branch=branch, key=key, resource=holder)
    elif uncertain and _live(holder):
        yield unknown(f"cannot verify the Lake Formation registration of {location}: the registered locations "
                      f"{uncertain[0].reason}", cause=uncertain[0], branch=branch, key=key, resource=holder)
    elif uncertain:
        yield unknown(f"cannot verify the Lake Formation registration of {location}: a registration in this template "
                      f"names a bucket only known at deploy time ({uncertain[0]})", branch=branch, key=key,
                      resource=holder)
    else:
        scope = "in this account and region" if _live(holder) else "AWS::LakeFormation::Resource in this template"
        yield fail(f"{location} (bucket {location.bucket}) is not registered with Lake Formation: no "
                   f"{'registration ' if _live(holder) else ''}{scope} covers it", branch=branch, key=key,
                   resource=holder)


def _live(resource) -> bool:
    return getattr(resource, "source", None) == "live"


def _identified(location, resources) -> bool:
    """A bucket name that is written out, or that is a bucket resource of the template (its generated
    name is unknown but it is a different bucket from any other)."""
    if location.known:
        return True
    match = _PLACEHOLDER.match(location.bucket)
    return bool(match) and match.group(1) in resources


def _bucket_reason(location, stack) -> str:
    """Why a bucket name is not known, phrased to read after "its bucket"."""
    if location.bucket == "${resolve}":
        return "comes from a {{resolve:...}} dynamic reference, resolved only at deploy time"
    match = _PLACEHOLDER.match(location.bucket)
    if match and match.group(1) in (getattr(stack, "parameters", None) or {}):
        return f"comes from parameter {match.group(1)}, which has no AllowedValues or Default"
    return f"{location.bucket} is known only at deploy time"


def _trusted_catalog(holder, trusted) -> bool:
    """A catalog of another, trusted account: the location is registered in that account."""
    path = CATALOG_IDS.get(holder.type)
    branches = holder.branches(*path) if path else []
    return bool(branches) and all(isinstance(b.value, str) and not is_unresolved(b.value) and b.value in trusted
                                  for b in branches)

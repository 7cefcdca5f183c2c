"""A lake location that is not registered with Lake Formation.

## What it does
Collects the S3 locations the catalog points at in a template: Glue database `LocationUri`, Glue
table `StorageDescriptor.Location`, and the data locations of Lake Formation grants
(`AWS::LakeFormation::Permissions` and `PrincipalPermissions`). Each must be covered by an
`AWS::LakeFormation::Resource` of the same template whose `ResourceArn` is the bucket or a prefix
above the location. Locations written as `s3://...` or ARNs, with `!Sub`/`!Join`, or as `!Ref`/
`!GetAtt` of a bucket in the template all compare. Each `Fn::If` branch is checked, and a registration
with a `Condition` covers a location only where it exists. A location in the catalog of an account
listed in `trusted-accounts` (its `CatalogId`) is registered there and skipped. A location or
registration whose bucket is only known at deploy time is reported as unverifiable, saying why: a
parameter without a value, a `{{resolve:ssm:...}}` dynamic reference (read whole, also inside a
`!Sub` with `${Param}` in the reference), or an empty bucket name (a parameter whose default is '').

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

from lakelint.core.check import check, fail
from lakelint.core.options import ACCOUNT_IDS, Option
from lakelint.core.reading import existing, known, read
from lakelint.core.values import MISSING, Unresolved
from lakelint.knowledge import s3_locations

from ._locations import described, unknown_bucket

REGISTRATION_TYPE = "AWS::LakeFormation::Resource"
CATALOG_IDS = {
    "AWS::Glue::Database": ("CatalogId",),
    "AWS::Glue::Table": ("CatalogId",),
    "AWS::LakeFormation::Permissions": ("Resource", "DataLocationResource", "CatalogId"),
    "AWS::LakeFormation::PrincipalPermissions": ("Resource", "DataLocation", "CatalogId"),
}
READS = {rtype: [".".join(path), ".".join(CATALOG_IDS[rtype])]
         for rtype, path in s3_locations.CATALOG_LOCATIONS.items()}
# the registrations; and the names of the template's buckets, so that !Ref RawBucket and
# s3://lake-raw/ read as one bucket (live, locations name their buckets already)
READS.update({REGISTRATION_TYPE: ["ResourceArn"], "AWS::S3::Bucket": ["BucketName"]})


@check(code="LL703", name="lakeformation-location-registered", severity="medium",
       title="Lake bucket not registered as a Lake Formation resource", scope="stack", sources=["template", "live"],
       resource_types=["AWS::Glue::Database", "AWS::Glue::Table", "AWS::LakeFormation::Permissions",
                       "AWS::LakeFormation::PrincipalPermissions", REGISTRATION_TYPE],
       options={"trusted-accounts": Option(
           ACCOUNT_IDS, [], "accounts whose buckets are not expected to be registered in this one")},
       reads=READS)
def lakeformation_location_registered(stack, ctx):
    trusted = {str(a) for a in (ctx.option("trusted-accounts") or [])}
    names = s3_locations.bucket_names(stack)
    registrations = [(registration, _registered(registration, names))
                     for registration in stack.of_type(REGISTRATION_TYPE)]
    for holder in stack.resources:
        path = s3_locations.CATALOG_LOCATIONS.get(holder.type)
        if path is None or _trusted_catalog(holder, trusted):
            continue
        for value in read(holder, path, presence=True):
            if value is MISSING:
                continue
            # a registration with a Condition covers the location only where it exists
            for present in existing([registration for registration, _ in registrations], within=holder):
                there = [(r, outcomes) for r, outcomes in registrations if any(r is p for p in present)]
                registered = [location for _, outcomes in there for location, _ in outcomes if location]
                uncertain = [(r, cause) for r, outcomes in there for _, cause in outcomes if cause]
                yield from _judge(holder, value, path, names, registered, uncertain)


def _registered(registration, names) -> list:
    """``(location, None)`` for each outcome of the registration's ResourceArn whose bucket is known,
    ``(None, why)`` for one whose bucket cannot be told (``why`` an unknown value)."""
    found = []
    for value in read(registration, "ResourceArn", presence=True):
        location = s3_locations.parse(value, names)
        if location is not None:
            bucket = unknown_bucket(location, value, registration.stack)
            found.append((location, None) if bucket is None else (None, bucket))
        elif isinstance(value, Unresolved):
            found.append((None, value))
    return found


def _judge(holder, value, path, names, registered, uncertain):
    prop, key = path[-1], ".".join(path)
    location = s3_locations.parse(value, names)
    if location is None:  # not an S3 location; one known only at deploy time cannot be told
        known(value, f"the Lake Formation registration of the location in {prop}", key=key, resource=holder)
        return
    if any(r.covers(location) for r in registered):
        return
    bucket = unknown_bucket(location, value, holder.stack)
    if bucket is not None:
        known(bucket, f"the Lake Formation registration of the bucket in {prop}", key=key, resource=holder)
    elif uncertain:
        registration, cause = uncertain[0]
        what = ("which locations are registered with Lake Formation" if _live(holder)
                else f"which bucket registration {registration.name} covers")
        known(cause, what, key=key, resource=holder)
    else:
        scope = "in this account and region" if _live(holder) else "AWS::LakeFormation::Resource in this template"
        yield fail(f"{described(location)} is not registered with Lake Formation: no "
                   f"{'registration ' if _live(holder) else ''}{scope} covers it", key=key, resource=holder)


def _live(resource) -> bool:
    return getattr(resource, "source", None) == "live"


def _trusted_catalog(holder, trusted) -> bool:
    """A catalog of another, trusted account: the location is registered in that account."""
    path = CATALOG_IDS.get(holder.type)
    branches = holder.branches(*path) if path else []
    return bool(branches) and all(isinstance(b.value, str) and not isinstance(b.value, Unresolved)
                                  and b.value in trusted for b in branches)

"""A Lake Formation location registered in hybrid access mode.

## What it does
Fails when an `AWS::LakeFormation::Resource` (a registered data lake location) sets
`HybridAccessEnabled` to true (or `"true"`) on any `Fn::If` branch or allowed parameter value; a
registration with a `Condition` is judged where it exists. A value that cannot be known is reported as
unverifiable, and a value that is not a boolean fails. Live, the flag is what `ListResources` says of
each registered location.

**When the property is absent:** Lake Formation registers a location without hybrid access mode, so an
absent value (or false) passes.

## Why it matters
Hybrid access mode gives the tables on a location two permission pathways. Lake Formation permissions
apply only to the principals that are **opted in** (`aws lakeformation create-lake-formation-opt-in`,
per principal and database or table, by a data lake administrator); every other principal keeps
reaching the data through its IAM policies and the S3 bucket policy alone, and Lake Formation enforces
only `CREATE_TABLE`, `CREATE_PARTITION` and `UPDATE_TABLE` for it. So column-level, row-level and
LF-tag controls do not bind anyone who is not opted in, and revoking a Lake Formation grant does not
stop such a principal. Hybrid access is meant for a migration: the location is governed only as far as
the list of opted-in principals reaches, and a template cannot show that list.

## Example
```yaml
RawLocation:
  Type: AWS::LakeFormation::Resource
  Properties:
    ResourceArn: !Sub arn:${AWS::Partition}:s3:::${RawBucket}
    UseServiceLinkedRole: true
    HybridAccessEnabled: true     # LL705
```

## Fix
Grant Lake Formation permissions to every principal that uses the location's tables (opting them in
first lets you test those grants while the others keep working), then turn hybrid access off and remove
the `IAM_ALLOWED_PRINCIPALS` grants on its databases and tables (LL702, LL704):
```yaml
RawLocation:
  Type: AWS::LakeFormation::Resource
  Properties:
    ResourceArn: !Sub arn:${AWS::Partition}:s3:::${RawBucket}
    UseServiceLinkedRole: true
    HybridAccessEnabled: false
```
With the AWS CLI (a location registered with the service-linked role cannot be edited: deregister it
and register it again without `--hybrid-access-enabled`):
```sh
aws lakeformation list-lake-formation-opt-ins     # who Lake Formation governs today
aws lakeformation update-resource --resource-arn arn:aws:s3:::lake-raw --role-arn ROLE_ARN --no-hybrid-access-enabled
```

## References
- https://docs.aws.amazon.com/lake-formation/latest/dg/hybrid-access-mode.html
- https://docs.aws.amazon.com/lake-formation/latest/dg/notes-hybrid.html
- https://docs.aws.amazon.com/lake-formation/latest/dg/view-hybrid-access.html
- https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ResourceInfo.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-resource.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read

from ..storage._flags import must_not_be_true

REGISTRATION = "AWS::LakeFormation::Resource"


@check(code="LL705", name="lakeformation-hybrid-access", severity="medium",
       title="Lake Formation location registered in hybrid access mode",
       resource_types=[REGISTRATION], sources=["template", "live"], preview=True,
       reads={REGISTRATION: ["HybridAccessEnabled"]})
def lakeformation_hybrid_access(registration, ctx):
    for value in read(registration, "HybridAccessEnabled"):
        yield from must_not_be_true(value, "HybridAccessEnabled", (
            "IAM and S3 bucket policies still grant access to this location's tables beside Lake Formation, "
            "for every principal that is not opted in to Lake Formation permissions"))

"""An S3 bucket with a public canned ACL or ACL grants to everyone.

## What it does
Fails when the bucket's `AccessControl` is `PublicRead`, `PublicReadWrite` or `AuthenticatedRead`,
and (in a live account, where the bucket's ACL is read as `AclGrants`) when a grant names the
`AllUsers` or `AuthenticatedUsers` group. Live, `GetBucketAcl` gives the grants; grants that are
exactly a canned ACL also read as that `AccessControl`, and are then reported once. Each `Fn::If` branch and each allowed value of a parameter is
checked; a canned ACL from a parameter without `AllowedValues` or `Default` cannot be verified.

**When the property is absent:** S3 applies the `Private` canned ACL (owner full control only), which
passes.

## Why it matters
`AuthenticatedRead` is not "my users": it is every AWS account in the world. `PublicRead` and
`PublicReadWrite` open the bucket to anonymous callers. ACLs bypass the bucket policy review people
do, which is why AWS recommends disabling them altogether (LL107) and Block Public Access ignores them
(LL101).

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    AccessControl: PublicRead            # LL106
```

## Fix
Remove the canned ACL (and disable ACLs with `BucketOwnerEnforced`); grant access with a bucket policy:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    OwnershipControls:
      Rules:
        - ObjectOwnership: BucketOwnerEnforced
```
With the AWS CLI:
```sh
aws s3api put-bucket-acl --bucket BUCKET --acl private
aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#cfn-s3-bucket-accesscontrol
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.knowledge.services import S3_PUBLIC_CANNED_ACLS, s3_public_grantee


@check(code="LL106", name="s3-no-public-acl", severity="high",
       title="S3 bucket with a public ACL",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": ["AccessControl", "AclGrants"]})
def s3_no_public_acl(bucket, ctx):
    for acl in read(bucket, "AccessControl"):
        if acl in S3_PUBLIC_CANNED_ACLS:
            yield fail(f"AccessControl is {acl}: the bucket ACL grants access outside the account", key="AccessControl")
            continue  # the grants of that canned ACL say the same
        # live only: the ACL's grants, read by the same call (unreadable grants: AccessControl said so)
        for grants in read(bucket, "AclGrants", presence=True):
            for grant in grants if isinstance(grants, list) else []:
                group = s3_public_grantee(grant.get("Grantee") if isinstance(grant, dict) else None)
                if group:
                    yield fail(f"the bucket ACL grants {grant.get('Permission', 'access')} to {group}", key="AclGrants")

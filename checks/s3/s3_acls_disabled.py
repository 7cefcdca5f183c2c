"""An S3 bucket whose object ownership is not `BucketOwnerEnforced` (ACLs still in force).

## What it does
Checks `OwnershipControls.Rules[].ObjectOwnership` and fails when it is `ObjectWriter` or
`BucketOwnerPreferred`, or a rule leaves it unset. Each `Fn::If` branch and each allowed value of a
parameter is checked.

**When the property is absent:** since April 2023 S3 creates every new bucket with
`BucketOwnerEnforced` (ACLs disabled), so a bucket without `OwnershipControls` passes.

Live, `GetBucketOwnershipControls` gives the setting. An existing bucket without ownership controls
(`OwnershipControlsNotFoundError`: created before April 2023 and never changed) has ACLs enabled with
objects owned by their writer, so it reads as `ObjectWriter` and fails.

## Why it matters
With ACLs enabled, objects written by another account belong to that account and carry their own
ACLs, so the bucket owner's policy does not govern them and a single `PutObjectAcl` can expose an
object. `BucketOwnerEnforced` makes the bucket owner own every object and access is decided by
policies alone; AWS recommends it for every bucket except the few that must use ACLs.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    OwnershipControls:
      Rules:
        - ObjectOwnership: ObjectWriter      # LL107
```

## Fix
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
aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
```

## Fix safety
Unsafe: the fix sets `ObjectOwnership: BucketOwnerEnforced` on each rule the template writes, which
disables every ACL of the bucket and its objects. Access that an ACL granted stops: another account
that reads objects through their ACLs, CloudFront standard logging and other services that deliver
with ACLs, clients that upload with an ACL other than `bucket-owner-full-control`. Move that access to
the bucket policy first. No fix is offered where the bucket sets `AccessControl` (other than
`Private`), since S3 rejects that ACL once ACLs are disabled, nor where the setting is chosen by
`Fn::If`, taken from a parameter, or written on a rule an intrinsic function makes.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-faq.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show
from lakelint.fixes.intents import no_fix, set_property, written_index

ENFORCED = "BucketOwnerEnforced"
PATH = "OwnershipControls.Rules.ObjectOwnership"


@check(code="LL107", name="s3-acls-disabled", severity="low",
       title="S3 bucket with ACLs enabled (object ownership not BucketOwnerEnforced)",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": ["OwnershipControls"]}, fix="unsafe")
def s3_acls_disabled(bucket, ctx):
    for rules in read(bucket, "OwnershipControls.Rules", what="OwnershipControls", key=PATH):
        if not isinstance(rules, list) or not rules:
            continue  # S3's default for new buckets is BucketOwnerEnforced
        for rule in rules:
            if not isinstance(rule, dict):
                continue
            ownership = dig(rule, "ObjectOwnership")
            if ownership == ENFORCED or known(ownership, "ObjectOwnership", at=(rule, "ObjectOwnership"),
                                               key=PATH) is None:
                continue
            yield fail(f"ObjectOwnership is {show(ownership)}, not {ENFORCED}: ACLs stay enabled",
                       at=(rule, "ObjectOwnership") if ownership is not MISSING else rule, key=PATH,
                       fix=_enforce(bucket, rule))


def _enforce(bucket, rule):
    """ObjectOwnership: BucketOwnerEnforced on the rule, named by its place in the list the template
    writes; none where the template sets an ACL (S3 rejects it once ACLs are disabled, and the ACL may
    be what the bucket needs, such as log delivery's)."""
    props = bucket.props if isinstance(bucket.props, dict) else {}
    acl = props.get("AccessControl", MISSING)
    if acl is not MISSING and acl != "Private":
        return no_fix(f"the bucket sets AccessControl ({show(acl)}), which S3 rejects once ACLs are disabled: "
                      "replace the ACL with a bucket policy first")
    index = written_index(dig(props, "OwnershipControls", "Rules"), rule)
    if index is None:
        return no_fix("the ownership rule is not an item the template writes in OwnershipControls.Rules "
                      "(an intrinsic function makes it)")
    return set_property(("OwnershipControls", "Rules", index, "ObjectOwnership"), ENFORCED)

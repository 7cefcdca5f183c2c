"""An S3 bucket that a stack delete or replacement would destroy.

## What it does
Checks the bucket's `DeletionPolicy` and `UpdateReplacePolicy` resource attributes and fails unless
both keep the bucket: `Retain` (or, for `DeletionPolicy`, `RetainExceptOnCreate`, which only deletes a
bucket created by a stack creation that rolled back). An `Fn::If` (with the
`AWS::LanguageExtensions` transform) is checked on both branches, a parameter on each allowed value.

**When the property is absent:** CloudFormation's default for both attributes is `Delete`: deleting the
stack, or an update that replaces the bucket (a changed `BucketName`), deletes it.

## Why it matters
A data lake outlives the stacks that describe it. With `Delete`, a mistaken `cdk destroy`, a stack
rename or a property change that forces replacement removes the bucket (CloudFormation only fails on
a non-empty bucket after it has deleted everything it could around it, and tools that empty buckets
first make it succeed). `Retain` turns those accidents into an orphaned bucket, not lost data.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket                  # LL117: defaults to Delete
  Properties:
    VersioningConfiguration: {Status: Enabled}
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  DeletionPolicy: Retain
  UpdateReplacePolicy: Retain
  Properties:
    VersioningConfiguration: {Status: Enabled}
```
With the AWS CLI, protect the deployed stack while the template is fixed:
```sh
aws cloudformation update-termination-protection --enable-termination-protection --stack-name STACK
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.branches import single_branch
from lakelint.core.values import MISSING, is_unresolved, show

KEEPS = {"DeletionPolicy": ("Retain", "RetainExceptOnCreate"), "UpdateReplacePolicy": ("Retain",)}
EFFECT = {"DeletionPolicy": "deleting the stack deletes the bucket",
          "UpdateReplacePolicy": "a replacement deletes the old bucket"}


def attribute_branches(bucket, attribute):
    """Branches of a resource attribute, with positions from the template when there is one."""
    body = None
    root = getattr(bucket.stack, "root", None)
    if isinstance(root, dict) and isinstance(root.get("Resources"), dict):
        body = root["Resources"].get(bucket.name)
    if not isinstance(body, dict):
        body = bucket.attributes
    if bucket.expand is None:
        return [single_branch(body, (attribute,))]
    return bucket.expand(body, (attribute,))


@check(code="LL117", name="s3-retain-on-delete", severity="medium",
       title="S3 bucket deleted with its stack or on replacement",
       resource_types=["AWS::S3::Bucket"], sources=["template"])
def s3_retain_on_delete(bucket, ctx):
    for attribute, keeping in KEEPS.items():
        for branch in attribute_branches(bucket, attribute):
            value = branch.value
            if value in keeping:
                continue
            if is_unresolved(value):
                yield unknown(f"cannot verify {attribute}: it {value.reason}", cause=value, branch=branch, key=attribute)
            elif value is MISSING:
                yield fail(f"{attribute} is not set (Delete): {EFFECT[attribute]}", branch=branch, key=attribute)
            else:
                yield fail(f"{attribute} is {show(value)}, not Retain: {EFFECT[attribute]}", branch=branch, key=attribute)

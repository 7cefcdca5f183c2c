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

## Fix safety
The fix sets the missing or deleting attribute to `Retain`, next to the resource's other keys. A
retained bucket stays in the account, with its objects and their cost, after the stack is deleted
or the bucket replaced: remove it by hand when it is really no longer needed (and a stack that names
its bucket with `BucketName` cannot create it again while the retained one exists). An attribute
chosen by `Fn::If` or taken from a parameter is not changed.

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read_attribute
from lakelint.core.values import MISSING, show
from lakelint.fixes.intents import set_attribute

KEEPS = {"DeletionPolicy": ("Retain", "RetainExceptOnCreate"), "UpdateReplacePolicy": ("Retain",)}
EFFECT = {"DeletionPolicy": "deleting the stack deletes the bucket",
          "UpdateReplacePolicy": "a replacement deletes the old bucket"}
RETAIN = {attribute: set_attribute(attribute, "Retain") for attribute in KEEPS}


@check(code="LL117", name="s3-retain-on-delete", severity="medium",
       title="S3 bucket deleted with its stack or on replacement",
       resource_types=["AWS::S3::Bucket"], sources=["template"],
       reads={"AWS::S3::Bucket": list(KEEPS)}, fix="safe")  # resource attributes, template-only
def s3_retain_on_delete(bucket, ctx):
    for attribute, keeping in KEEPS.items():
        for value in read_attribute(bucket, attribute):
            if value in keeping:
                continue
            if value is MISSING:
                yield fail(f"{attribute} is not set (Delete): {EFFECT[attribute]}", key=attribute,
                           fix=RETAIN[attribute])
            else:
                yield fail(f"{attribute} is {show(value)}, not Retain: {EFFECT[attribute]}", key=attribute,
                           fix=RETAIN[attribute])

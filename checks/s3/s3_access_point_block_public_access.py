"""An S3 access point without all four Block Public Access settings.

## What it does
Checks the `PublicAccessBlockConfiguration` of every `AWS::S3::AccessPoint` and fails when
`BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls` or `RestrictPublicBuckets` is set to false
(`false` or `"false"`). Each `Fn::If` branch and each allowed value of a parameter is checked; a value
from a parameter without `AllowedValues` or `Default` cannot be verified. On a live account the access
points of each scanned region come from s3control's `ListAccessPoints` and their settings from
`GetAccessPoint`.

**When the property is absent:** S3 turns every Block Public Access setting on for a new access
point ("all block public access settings are enabled by default for access points; you must
explicitly disable any settings that you don't want"), so an absent configuration, or a setting
absent from it, passes.

## Why it matters
An access point is a second front door to the bucket with its own policy. S3 applies the most
restrictive of the access point's, the bucket's and the account's settings, and an access point's
settings cannot be changed after it is created: a point created with a setting off stays that way
until it is deleted and recreated, and a public access point policy (LL123) is then enforced.

## Example
```yaml
AnalyticsAccessPoint:
  Type: AWS::S3::AccessPoint
  Properties:
    Bucket: !Ref CuratedBucket
    PublicAccessBlockConfiguration:
      BlockPublicPolicy: false           # LL122
```

## Fix
Leave the settings at their default (on), or set them explicitly; the access point is replaced:
```yaml
AnalyticsAccessPoint:
  Type: AWS::S3::AccessPoint
  Properties:
    Bucket: !Ref CuratedBucket
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
```
With the AWS CLI (recreate it; the settings cannot be changed in place):
```sh
aws s3control delete-access-point --account-id ACCOUNT --name analytics
aws s3control create-access-point --account-id ACCOUNT --name analytics --bucket BUCKET \
  --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-bpa-settings.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-accesspoint.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show, truth

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
PATH = "PublicAccessBlockConfiguration"


@check(code="LL122", name="s3-access-point-block-public-access", severity="high",
       title="S3 access point without all four Block Public Access settings",
       resource_types=["AWS::S3::AccessPoint"], sources=["template", "live"],
       reads={"AWS::S3::AccessPoint": [PATH]})
def s3_access_point_block_public_access(access_point, ctx):
    for config in read(access_point, PATH, what="Block Public Access"):
        if not isinstance(config, dict):
            continue  # absent: all four on by default
        for setting in SETTINGS:
            value = dig(config, setting)
            if value is MISSING or truth(value) is True:
                continue
            if known(value, setting, at=(config, setting), key=f"{PATH}.{setting}") is not None:
                yield fail(f"{setting} is {show(value)} on the access point", at=(config, setting),
                           key=f"{PATH}.{setting}")

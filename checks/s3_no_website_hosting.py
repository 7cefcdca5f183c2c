"""An S3 data bucket configured for static website hosting.

## What it does
Fails when the bucket has a `WebsiteConfiguration` (index document, error document, redirects or
routing rules), in any `Fn::If` branch.

**When the property is absent:** S3 serves no website endpoint for the bucket, which passes.

## Why it matters
A website endpoint serves objects anonymously over plain HTTP and answers with S3's own errors and
redirects; it only works when the bucket is public. A data-lake bucket has no business being a
website: the configuration is either left over or a sign the bucket is about to be opened up. Serve
web content from a separate bucket behind CloudFront with origin access control.

## Example
```yaml
CuratedBucket:
  Type: AWS::S3::Bucket
  Properties:
    WebsiteConfiguration:                # LL114
      IndexDocument: index.html
```

## Fix
Remove `WebsiteConfiguration` from data buckets:
```yaml
CuratedBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration: {Status: Enabled}
```
With the AWS CLI:
```sh
aws s3api delete-bucket-website --bucket BUCKET
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
"""

from lakelint.check import check, fail
from lakelint.values import MISSING, key_pos_of


@check(code="LL114", name="s3-no-website-hosting", severity="medium",
       title="S3 data bucket configured for static website hosting",
       resource_types=["AWS::S3::Bucket"], sources=["template"])
def s3_no_website_hosting(bucket, ctx):
    for branch in bucket.branches("WebsiteConfiguration"):
        if branch.value is not MISSING:
            yield fail("static website hosting is configured on a data bucket (WebsiteConfiguration)",
                       branch=branch, at=key_pos_of(bucket.props, "WebsiteConfiguration"),
                       key="WebsiteConfiguration")

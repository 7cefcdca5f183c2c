"""An S3 data bucket configured for static website hosting.

## What it does
Fails when the bucket has a `WebsiteConfiguration` (index document, error document, redirects or
routing rules), in any `Fn::If` branch.

Live, `GetBucketWebsite` gives the configuration (`NoSuchWebsiteConfiguration`: none); one that could
not be read is "could not evaluate", never a pass nor a finding.

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

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING, key_pos_of


@check(code="LL114", name="s3-no-website-hosting", severity="medium",
       title="S3 data bucket configured for static website hosting",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": ["WebsiteConfiguration"]})
def s3_no_website_hosting(bucket, ctx):
    for website in read(bucket, "WebsiteConfiguration", what="website hosting"):
        if website is not MISSING:
            yield fail("static website hosting is configured on a data bucket (WebsiteConfiguration)",
                       at=key_pos_of(bucket.props, "WebsiteConfiguration"), key="WebsiteConfiguration")

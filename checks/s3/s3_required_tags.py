"""An S3 bucket without a tag the configuration requires.

## What it does
Fails for each tag named in the `required-tags` option that the bucket's `Tags` do not have (keys
compare exactly, as AWS does). Each `Fn::If` branch and each allowed value of a parameter is checked;
a tag key from a parameter without a value cannot be verified. On a live account the tags come from
`GetBucketTagging`. The check is off until `required-tags` is configured:

```yaml
# .lakelint.yaml
required-tags: [data-classification, owner]
```

**When the property is absent:** a bucket without `Tags` has no tags, so every required tag is missing.

## Why it matters
Tags are how a data lake answers "what is in this bucket, who owns it and how sensitive is it":
cost allocation, attribute-based access control (`aws:ResourceTag` conditions), Macie and backup
policies all key off them. A bucket without its classification tag falls outside every control that
depends on it.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    Tags:                                # LL121: no data-classification
      - {Key: owner, Value: data-platform}
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    Tags:
      - {Key: owner, Value: data-platform}
      - {Key: data-classification, Value: confidential}
```
With the AWS CLI (put-bucket-tagging replaces the whole tag set):
```sh
aws s3api put-bucket-tagging --bucket BUCKET \
  --tagging 'TagSet=[{Key=owner,Value=data-platform},{Key=data-classification,Value=confidential}]'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html
- https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html
"""

from lakelint.core.check import check, fail
from lakelint.core.options import STRINGS, Option
from lakelint.core.reading import known, read
from lakelint.core.values import as_list, key_pos_of


@check(code="LL121", name="s3-required-tags", severity="low",
       title="S3 bucket without a required tag",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       options={"required-tags": Option(STRINGS, [], "tag keys every bucket must carry; none by default, which turns the check off")},
       reads={"AWS::S3::Bucket": ["Tags"]})
def s3_required_tags(bucket, ctx):
    required = [str(t) for t in (ctx.option("required-tags") or [])]
    if not required:
        return
    where = key_pos_of(bucket.props, "Tags") if isinstance(bucket.props, dict) and "Tags" in bucket.props else None
    for tags in read(bucket, "Tags", what="tags"):
        keys = [tag.get("Key") for tag in as_list(tags) if isinstance(tag, dict)]
        keys = [key for key in keys if isinstance(key, str)]
        missing = [t for t in required if t not in keys]
        if not missing:
            continue
        # a key known only at deploy time may be the missing one
        if all(known(key, f"required tag {missing[0]}", at=where, key="Tags") is not None for key in keys):
            plural = "s" if len(missing) > 1 else ""
            yield fail(f"missing required tag{plural} {', '.join(missing)}", at=where, key="Tags")

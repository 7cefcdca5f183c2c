"""An S3 bucket without a valid `data-classification` tag.

## What it does
Checks that the bucket's `Tags` hold a `data-classification` tag whose value is one of `public`,
`internal`, `confidential` or `restricted`. Each `Fn::If` branch is checked, and a value that comes
from a parameter is checked for every value the parameter allows.

**When the property is absent:** the bucket has no tags, so no classification.

## Why it matters
Access reviews, Macie jobs and retention rules are driven by the classification tag. A bucket without
one, or with a value nobody's tooling knows (`secret`, `PII`), falls through every one of them.

## Example
```yaml
CuratedBucket:
  Type: AWS::S3::Bucket
  Properties:
    Tags:
      - Key: data-classification
        Value: secret                  # XP102: not a known level
```

## Fix
Tag the bucket with one of the four levels:
```yaml
CuratedBucket:
  Type: AWS::S3::Bucket
  Properties:
    Tags:
      - Key: data-classification
        Value: confidential
```
With the AWS CLI (this replaces the bucket's whole tag set):
```sh
aws s3api put-bucket-tagging --bucket BUCKET --tagging 'TagSet=[{Key=data-classification,Value=confidential}]'
```

## References
- https://docs.aws.amazon.com/whitepapers/latest/data-classification/data-classification-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, as_list, is_unresolved

TAG = "data-classification"
LEVELS = ("public", "internal", "confidential", "restricted")


@check(code="XP102", name="bucket-classification-tag", severity="high",
       title="S3 bucket without a valid data-classification tag",
       resource_types=["AWS::S3::Bucket"])
def bucket_classification_tag(bucket, ctx):
    for branch in bucket.branches("Tags"):
        tags = branch.value
        if is_unresolved(tags):
            yield unknown(f"cannot verify the {TAG} tag: the tags {tags.reason}", cause=tags, branch=branch, key="Tags")
            continue
        found = [tag for tag in (as_list(tags) if tags is not MISSING else [])
                 if isinstance(tag, dict) and tag.get("Key") == TAG]
        if not found:
            yield fail(f"no {TAG} tag", branch=branch, key="Tags")
            continue
        value = found[0].get("Value", MISSING)
        if is_unresolved(value):
            yield unknown(f"cannot verify the {TAG} tag: its value {value.reason}", cause=value, branch=branch,
                          at=(found[0], "Value"), key=f"Tags.{TAG}")
        elif value not in LEVELS:
            yield fail(f"{TAG} is {value}, not one of {', '.join(LEVELS)}", branch=branch,
                       at=(found[0], "Value") if "Value" in found[0] else found[0], key=f"Tags.{TAG}")

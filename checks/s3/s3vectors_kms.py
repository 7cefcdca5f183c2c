"""S3 vector bucket or vector index without SSE-KMS, which cannot be changed after creation.

## What it does
Reads the `EncryptionConfiguration` of every `AWS::S3Vectors::VectorBucket` and
`AWS::S3Vectors::Index` and fails when its `SseType` is not `aws:kms`:

- a vector bucket without `EncryptionConfiguration`, or without `SseType`, is encrypted with SSE-S3
  (`AES256`), and fails;
- an index that sets its own `SseType` is judged on it; an index without one inherits its vector
  bucket's encryption, so it is judged on the bucket it names with `VectorBucketArn` (or, without one,
  `VectorBucketName`): a `Ref`, a `GetAtt`, the bucket's literal name or ARN, each side of an `Fn::If`
  on its own bucket. When that bucket is not in the template (a name or ARN of a bucket created
  elsewhere), what the index inherits cannot be verified.

Both settings are fixed when the bucket or index is created, and the message says so. Each `Fn::If`
branch and each allowed value of a parameter is checked; a value known only at deploy time cannot be
verified. `KmsKeyArn` is not judged here: with `aws:kms`, S3 Vectors takes a customer managed key only.

On a live account the vector buckets of each scanned region come from `ListVectorBuckets` and their
encryption from `GetVectorBucket`; their indexes from `ListIndexes` and each index's encryption from
`GetIndex` (an index the API reports without its own encryption inherits its bucket's, as above).

**When the property is absent:** S3 Vectors encrypts a vector bucket with SSE-S3 (`AES256`), and an
index with its vector bucket's encryption.

## Why it matters
Vector buckets hold embeddings of a lake's documents, and embeddings can be inverted back into much of
the text they were computed from, so they deserve the same protection as the documents. With
SSE-KMS, reading a vector needs `kms:Decrypt` on your key as well as the S3 Vectors permissions, every
use of the key is logged in CloudTrail, and access can be revoked at the key. Because a vector
bucket's and an index's encryption can never be changed later, the template is the only place to get
it right: fixing it afterwards means creating a new bucket or index and re-inserting every vector.

## Example
```yaml
EmbeddingsBucket:
  Type: AWS::S3Vectors::VectorBucket
  Properties:
    VectorBucketName: lake-embeddings      # LL134: no EncryptionConfiguration, SSE-S3
```

## Fix
```yaml
EmbeddingsBucket:
  Type: AWS::S3Vectors::VectorBucket
  Properties:
    VectorBucketName: lake-embeddings
    EncryptionConfiguration:
      SseType: aws:kms
      KmsKeyArn: !GetAtt VectorsKey.Arn
```
With the AWS CLI (a new bucket; the encryption of an existing one cannot be changed):
```sh
aws s3vectors create-vector-bucket --vector-bucket-name lake-embeddings-kms \\
  --encryption-configuration sseType=aws:kms,kmsKeyArn=KEY_ARN
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-data-encryption.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3vectors-vectorbucket.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3vectors-index.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import existing, here, read
from lakelint.core.values import MISSING, show

BUCKET = "AWS::S3Vectors::VectorBucket"
INDEX = "AWS::S3Vectors::Index"
PATH = "EncryptionConfiguration.SseType"
FIXED = "it cannot be changed after creation"
REFERENCES = ("VectorBucketArn", "VectorBucketName")


@check(code="LL134", name="s3vectors-kms", severity="medium",
       title="S3 vector bucket or index without SSE-KMS (fixed at creation)",
       resource_types=[BUCKET, INDEX], sources=["template", "live"], preview=True,
       reads={BUCKET: ["EncryptionConfiguration", "VectorBucketName", "VectorBucketArn"],
              INDEX: ["EncryptionConfiguration", *REFERENCES]})
def s3vectors_kms(resource, ctx):
    if resource.type == BUCKET:
        for sse in read(resource, PATH, what="the vector bucket's SseType"):
            if sse is MISSING:
                yield fail(f"no SseType: the vector bucket is encrypted with SSE-S3 (AES256), not SSE-KMS, and {FIXED}",
                           key=PATH)
            elif sse != "aws:kms":
                yield fail(f"SseType is {show(sse)}, not aws:kms, and {FIXED}", key=PATH)
        return
    for sse in read(resource, PATH, what="the index's SseType"):
        if sse is MISSING:
            yield from inherited(resource)
        elif sse != "aws:kms":
            yield fail(f"SseType is {show(sse)}, not aws:kms, and {FIXED}", key=PATH)


def inherited(index):
    """The index sets no encryption of its own: judge the vector bucket's, which it inherits. Each way
    the index's reference can turn out (an ``Fn::If`` between two buckets) judges its own bucket."""
    buckets = index.related("vector_bucket")
    judged = False
    for prop in REFERENCES:
        for reference in read(index, prop, what=f"the index's {prop}", presence=True):
            if reference is MISSING:
                continue
            judged = True
            named = [bucket for bucket in buckets if names(bucket, reference)]
            if not named:
                yield unknown("cannot verify the index's encryption: it sets no EncryptionConfiguration and inherits "
                              "its vector bucket's, which is not in this template", key=PATH, at=here())
                continue
            yield from bucket_verdicts(index, named)
        if judged:
            return  # VectorBucketArn, when set, is the reference CloudFormation uses
    if not judged:
        yield unknown("cannot verify the index's encryption: it names no vector bucket", key=PATH)


def names(bucket, reference) -> bool:
    """Does ``reference`` (a ``Ref``/``GetAtt`` known at deploy time, a name or an ARN) name ``bucket``?"""
    refs = getattr(reference, "refs", None)
    if refs:
        return bucket.name in refs
    text = str(reference)
    name = text.split(":bucket/", 1)[1] if ":bucket/" in text else text
    props = bucket.props if isinstance(bucket.props, dict) else {}
    return name in (bucket.name, props.get("VectorBucketName")) or text in (bucket.arn, props.get("VectorBucketArn"))


def bucket_verdicts(index, buckets):
    for present in existing(buckets, within=index):
        for bucket in present:
            for sse in read(bucket, PATH, what=f"the SseType of vector bucket {bucket.name}"):
                if sse is MISSING or sse != "aws:kms":
                    shown = "SSE-S3 (AES256)" if sse is MISSING else f"SseType {show(sse)}"
                    yield fail(f"the index sets no EncryptionConfiguration and inherits vector bucket {bucket.name}'s "
                               f"{shown}, not SSE-KMS, and {FIXED}", at=index.pos, key="EncryptionConfiguration")

"""S3 Vectors of one region: vector buckets, their indexes and their policies, in CloudFormation's shapes.

- ``ListVectorBuckets`` -> ``AWS::S3Vectors::VectorBucket`` {``VectorBucketName``, ``VectorBucketArn``},
  named by the bucket's name; ``GetVectorBucket`` fills ``EncryptionConfiguration`` {``SseType``,
  ``KmsKeyArn``} (the API's ``sseType``/``kmsKeyArn``; a KMS key it names links to its key record).
- ``GetVectorBucketPolicy`` -> ``AWS::S3Vectors::VectorBucketPolicy`` named ``<bucket>/policy``
  {``VectorBucketName``, ``VectorBucketArn``, ``Policy``}, linked to its bucket both ways (``policies``
  / ``target``); ``NotFoundException`` there means the bucket has no policy, as a template without one.
- ``ListIndexes`` (per bucket) -> ``AWS::S3Vectors::Index`` named ``<bucket>/<index>``
  {``VectorBucketName``, ``VectorBucketArn``, ``IndexName``, ``IndexArn``}, linked to its bucket as the
  template source links them (``vector_bucket`` / ``indexes``); ``GetIndex`` fills its
  ``EncryptionConfiguration``, absent when the answer has none (the index then has its bucket's).

Only the region's own buckets are kept (their ARN says the region; an emulator may list every region's
in each). A failed listing fails the collector for the region (an error entry naming the call and its
IAM action); a failed read puts an ``Unreadable`` at the property. A region where S3 Vectors is not
offered (its endpoint does not exist: collectors/_endpoints.py) and an emulator that does not implement
one of these calls skip the service there with a note.
"""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.collectors._endpoints import client_host
from lakelint.sources.live.collectors._shared import arn_region, listing_where_offered, present
from lakelint.sources.live.collectors._shared import read_or_unreadable as _read

SERVICE = "s3vectors"
BUCKET = "AWS::S3Vectors::VectorBucket"
POLICY = "AWS::S3Vectors::VectorBucketPolicy"
INDEX = "AWS::S3Vectors::Index"

LIST_VECTOR_BUCKETS = read_call(SERVICE, "ListVectorBuckets", "s3vectors:ListVectorBuckets")
GET_VECTOR_BUCKET = read_call(SERVICE, "GetVectorBucket", "s3vectors:GetVectorBucket")
GET_VECTOR_BUCKET_POLICY = read_call(SERVICE, "GetVectorBucketPolicy", "s3vectors:GetVectorBucketPolicy",
                                     "NotFoundException")
LIST_INDEXES = read_call(SERVICE, "ListIndexes", "s3vectors:ListIndexes")
GET_INDEX = read_call(SERVICE, "GetIndex", "s3vectors:GetIndex")


def encryption_configuration(described: dict):
    config = (described or {}).get("encryptionConfiguration")
    if not config:
        return MISSING
    shaped = {}
    if config.get("sseType"):
        shaped["SseType"] = config["sseType"]
    if config.get("kmsKeyArn"):
        shaped["KmsKeyArn"] = config["kmsKeyArn"]
    return shaped


def bucket_records(ctx, region, listed: dict) -> list:
    name, arn = listed["vectorBucketName"], listed["vectorBucketArn"]
    identity = {"VectorBucketName": name, "VectorBucketArn": arn}
    records = []
    if ctx.lists(BUCKET):
        props = dict(identity)
        if ctx.wants(GET_VECTOR_BUCKET):
            answer, unreadable = _read(ctx, GET_VECTOR_BUCKET, region, vectorBucketName=name)
            props["EncryptionConfiguration"] = unreadable or encryption_configuration(
                (answer or {}).get("vectorBucket"))
        records.append(LiveRecord(type=BUCKET, name=name, arn=arn, props=present(props)))
    if ctx.wants(GET_VECTOR_BUCKET_POLICY):
        answer, unreadable = _read(ctx, GET_VECTOR_BUCKET_POLICY, region, vectorBucketName=name)
        document = unreadable or shapes.policy_document((answer or {}).get("policy"))
        if document is not MISSING:
            records.append(LiveRecord(type=POLICY, name=f"{name}/policy", arn=arn, props={**identity, "Policy": document},
                                      links=[("target", BUCKET, name, "policies")]))
    if ctx.wants(LIST_INDEXES):
        for page in ctx.pages(LIST_INDEXES, region, vectorBucketName=name):
            for index in page.get("indexes") or []:
                records.append(index_record(ctx, region, identity, index))
    return records


def index_record(ctx, region, bucket: dict, index: dict) -> LiveRecord:
    bucket_name, index_name = bucket["VectorBucketName"], index["indexName"]
    arn = index.get("indexArn") or f"{bucket['VectorBucketArn']}/index/{index_name}"
    props = {**bucket, "IndexName": index_name, "IndexArn": arn}
    if ctx.wants(GET_INDEX):
        answer, unreadable = _read(ctx, GET_INDEX, region, vectorBucketName=bucket_name, indexName=index_name)
        props["EncryptionConfiguration"] = unreadable or encryption_configuration((answer or {}).get("index"))
    return LiveRecord(type=INDEX, name=f"{bucket_name}/{index_name}", arn=arn, props=present(props),
                      links=[("vector_bucket", BUCKET, bucket_name, "indexes")])


def collect(ctx, region) -> list:
    pages = listing_where_offered(ctx, LIST_VECTOR_BUCKETS, region, client_host(ctx, SERVICE, region),
                                  "S3 Vectors is not offered")
    if pages is None:
        return []
    records = []
    for page in pages:
        for listed in page.get("vectorBuckets") or []:
            if arn_region(listed.get("vectorBucketArn")) not in (None, region):
                continue  # another region's bucket, as an emulator may list them
            records += bucket_records(ctx, region, listed)
    return records


_BUCKET_IDENTITY = ("VectorBucketName", "VectorBucketArn")

COLLECTOR = Collector(
    name="S3 Vectors",
    types={
        BUCKET: provides(LIST_VECTOR_BUCKETS, {
            **fields(LIST_VECTOR_BUCKETS, *_BUCKET_IDENTITY),
            **fields(GET_VECTOR_BUCKET, "EncryptionConfiguration")}),
        POLICY: provides((LIST_VECTOR_BUCKETS, GET_VECTOR_BUCKET_POLICY), fields(
            (LIST_VECTOR_BUCKETS, GET_VECTOR_BUCKET_POLICY), *_BUCKET_IDENTITY, "Policy")),
        INDEX: provides((LIST_VECTOR_BUCKETS, LIST_INDEXES), {
            **fields((LIST_VECTOR_BUCKETS, LIST_INDEXES), *_BUCKET_IDENTITY, "IndexName", "IndexArn"),
            **fields(GET_INDEX, "EncryptionConfiguration")}),
    },
    collect=collect,
    failure="list S3 vector buckets in {region}",
)

"""The S3 Vectors collector (collectors/s3_vectors.py): shapes, links, regions, faults, calls.

moto 5.2.6 serves vector buckets (with their encryption), indexes and bucket policies. Its GetIndex
answer never carries an index's own encryption, so an index created with one has GetIndex answered as
S3 Vectors answers it (s3_families_scenarios.py); its backend is one per partition, so every region
lists every region's buckets, which the collector leaves to their own region."""

from __future__ import annotations

from s3_families_scenarios import key_arn, private, vector_bucket, vector_index

from lakelint.sources.live.collectors import by_name
from lakelint.sources.live.collectors import s3_vectors as svc
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import scan

QUERY = "s3vectors:QueryVectors"


def seed_full_scan(aws):
    """A KMS-encrypted vector bucket with a policy and an index (us-east-1): every call is made."""
    vector_bucket(aws, "seed-embeddings", sse="aws:kms", key=key_arn(aws), policy=private(QUERY),
                  region="us-east-1")
    vector_index(aws, "seed-embeddings", "seed-documents", region="us-east-1")


def scan_with(session, regions=("us-east-1",), collectors=()):
    plan = ScanPlan.everything(collectors=[svc.COLLECTOR, *collectors])
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def by_type(stacks, rtype) -> dict:
    return {r.name: r for s in stacks for r in s.resources if r.type == rtype}


def session_for(aws, live_session):
    session = live_session()
    session.on_client.append(aws.install_answers)
    return session


def test_records_have_cloudformation_shape_and_links(mocked_aws, live_session):
    key = key_arn(mocked_aws)
    arn = vector_bucket(mocked_aws, "lake-embeddings", sse="aws:kms", key=key, policy=private(QUERY))
    vector_index(mocked_aws, "lake-embeddings", "documents")
    vector_index(mocked_aws, "lake-embeddings", "tickets", sse="AES256")
    plain = vector_bucket(mocked_aws, "lake-search")
    result, stacks = scan_with(session_for(mocked_aws, live_session), collectors=[by_name("KMS keys")])
    assert result.errors == []
    buckets = by_type(stacks, svc.BUCKET)
    bucket = buckets["lake-embeddings"]
    assert bucket.arn == arn and bucket.props == {
        "VectorBucketName": "lake-embeddings", "VectorBucketArn": arn,
        "EncryptionConfiguration": {"SseType": "aws:kms", "KmsKeyArn": key}}
    assert [k.arn for k in bucket.related("kms_keys")] == [key]
    assert buckets["lake-search"].props["EncryptionConfiguration"] == {"SseType": "AES256"}
    assert buckets["lake-search"].arn == plain
    indexes = by_type(stacks, svc.INDEX)
    documents, tickets = indexes["lake-embeddings/documents"], indexes["lake-embeddings/tickets"]
    assert documents.props == {"VectorBucketName": "lake-embeddings", "VectorBucketArn": arn,
                               "IndexName": "documents", "IndexArn": f"{arn}/index/documents"}
    assert "EncryptionConfiguration" not in documents.props  # none of its own: it has its bucket's
    assert tickets.props["EncryptionConfiguration"] == {"SseType": "AES256"}
    assert documents.related("vector_bucket") == [bucket]
    assert sorted(r.name for r in bucket.related("indexes")) == sorted(indexes)
    (policy,) = by_type(stacks, svc.POLICY).values()
    assert policy.name == "lake-embeddings/policy" and policy.props["Policy"] == private(QUERY)
    assert policy.related("target") == [bucket]


def test_each_region_keeps_its_own_buckets(mocked_aws, live_session):
    """moto lists every region's vector buckets in each region; the ARN says whose they are."""
    vector_bucket(mocked_aws, "lake-embeddings")
    vector_bucket(mocked_aws, "lake-embeddings-eu", region="eu-west-1")
    result, stacks = scan_with(session_for(mocked_aws, live_session), regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    assert sorted((r.region, r.name) for r in by_type(stacks, svc.BUCKET).values()) == [
        ("eu-west-1", "lake-embeddings-eu"), ("us-east-1", "lake-embeddings")]


def test_a_denied_read_is_an_unreadable_at_its_key(mocked_aws, live_session):
    vector_bucket(mocked_aws, "lake-embeddings")
    vector_index(mocked_aws, "lake-embeddings", "documents")
    for operation in ("GetVectorBucket", "GetIndex"):
        mocked_aws.answer_error("s3vectors", operation, "AccessDeniedException", 403)
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    assert result.errors == []
    for rtype, name, operation in ((svc.BUCKET, "lake-embeddings", "GetVectorBucket"),
                                   (svc.INDEX, "lake-embeddings/documents", "GetIndex")):
        value = by_type(stacks, rtype)[name].props["EncryptionConfiguration"]
        assert (value.api_call, value.iam_action, value.kind) == (operation, f"s3vectors:{operation}",
                                                                  "access-denied")


def test_a_denied_listing_is_an_error_for_the_region(mocked_aws, live_session):
    vector_bucket(mocked_aws, "lake-embeddings")
    mocked_aws.answer_error("s3vectors", "ListVectorBuckets", "AccessDeniedException", 403)
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    (error,) = result.errors
    assert (error.iam_action, error.resource) == ("s3vectors:ListVectorBuckets", "us-east-1")
    assert by_type(stacks, svc.BUCKET) == {}


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = session_for(mocked_aws, live_session)
    result, stacks = scan_with(session, regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    performed = {op for (service, op) in session.guard.operations() if service == "s3vectors"}
    assert performed == {c.operation for c in svc.COLLECTOR.calls}
    assert session.guard.calls[("s3vectors", "GetVectorBucket")] == 1  # the bucket, in its own region only

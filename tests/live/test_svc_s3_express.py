"""The S3 directory bucket collector (collectors/s3_express.py): shapes, links, IAM actions of its own,
emulator answers, faults, calls; and the general purpose bucket collector never lists a directory
bucket as ``AWS::S3::Bucket``.

moto 5.2.6 does not serve directory buckets: it answers ListDirectoryBuckets with the general purpose
bucket list and CreateBucket of a directory bucket with NoSuchBucket, and does not serve s3control's
ListAccessPointsForDirectoryBuckets. ListDirectoryBuckets, GetBucketEncryption, GetBucketPolicy,
ListAccessPointsForDirectoryBuckets, GetAccessPoint and GetAccessPointPolicy are answered as S3
Express answers them (s3_families_scenarios.DirectoryBuckets, one answer per bucket and access point).
"""

from __future__ import annotations

import pytest
from s3_families_scenarios import DirectoryBuckets, key_arn, private, public

from lakelint.sources.live import catalog
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.collectors import by_name
from lakelint.sources.live.collectors import s3_express as svc
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import scan

SESSION = "s3express:CreateSession"
HOT = "lake-hot--use1-az4--x-s3"


def seed_full_scan(aws):
    """A KMS-encrypted directory bucket with a policy, and an access point with a policy, in us-east-1:
    every call is made (eu-west-1's listings are answered empty)."""
    buckets = DirectoryBuckets(aws)
    buckets.bucket("seed-hot--use1-az4--x-s3", algorithm="aws:kms", key=key_arn(aws, region="us-east-1"),
                   policy=private(SESSION))
    buckets.access_point("seed--use1-az4--xa-s3", "seed-hot--use1-az4--x-s3", vpc="vpc-0a1b2c3d4e5f67890",
                         policy=private(SESSION))
    buckets.answer()
    DirectoryBuckets(aws, region="eu-west-1").answer()


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
    buckets = DirectoryBuckets(mocked_aws)
    buckets.bucket(HOT, algorithm="aws:kms", key=key, policy=public(SESSION))
    buckets.bucket("lake-shuffle--use1-az5--x-s3", algorithm=None)
    buckets.access_point("spark--use1-az4--xa-s3", HOT, vpc="vpc-0a1b2c3d4e5f67890", policy=private(SESSION))
    buckets.access_point("partner--use1-az4--xa-s3", HOT, BlockPublicPolicy=False)
    buckets.answer()
    result, stacks = scan_with(session_for(mocked_aws, live_session), collectors=[by_name("KMS keys")])
    assert result.errors == []
    found = by_type(stacks, svc.DIRECTORY_BUCKET)
    hot = found[HOT]
    assert hot.arn == f"arn:aws:s3express:us-east-1:123456789012:bucket/{HOT}"
    assert hot.props == {"BucketName": HOT, "BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
         "BucketKeyEnabled": True}]}}
    assert [k.arn for k in hot.related("kms_keys")] == [key]
    # ServerSideEncryptionConfigurationNotFoundError: none configured, as a template without one
    assert found["lake-shuffle--use1-az5--x-s3"].props == {"BucketName": "lake-shuffle--use1-az5--x-s3"}
    (policy,) = by_type(stacks, svc.BUCKET_POLICY).values()
    assert policy.name == f"{HOT}/policy" and policy.props == {"Bucket": HOT, "PolicyDocument": public(SESSION)}
    assert policy.related("target") == [hot] and hot.related("policies") == [policy]
    points = by_type(stacks, svc.ACCESS_POINT)
    assert points["spark--use1-az4--xa-s3"].props == {
        "Name": "spark--use1-az4--xa-s3", "Bucket": HOT, "BucketAccountId": "123456789012", "NetworkOrigin": "VPC",
        "VpcConfiguration": {"VpcId": "vpc-0a1b2c3d4e5f67890"}, "Policy": private(SESSION),
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True}}
    partner = points["partner--use1-az4--xa-s3"]
    assert partner.props["NetworkOrigin"] == "Internet" and "VpcConfiguration" not in partner.props
    assert partner.props["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is False
    assert "Policy" not in partner.props  # NoSuchAccessPointPolicy: none
    assert sorted(r.name for r in hot.related("access_points")) == sorted(points)


def test_calls_are_the_s3express_actions_not_the_general_purpose_ones(mocked_aws, live_session):
    """The same operations need s3express: actions on directory buckets; a denied read names that one."""
    assert {c.iam_action for c in svc.COLLECTOR.calls} == {
        "s3express:ListAllMyDirectoryBuckets", "s3express:GetEncryptionConfiguration", "s3express:GetBucketPolicy",
        "s3express:ListAccessPointsForDirectoryBuckets", "s3express:GetAccessPoint", "s3express:GetAccessPointPolicy"}
    assert {c.iam_action for c in catalog.variants("s3", "GetBucketEncryption")} == {
        "s3:GetEncryptionConfiguration", "s3express:GetEncryptionConfiguration"}
    buckets = DirectoryBuckets(mocked_aws)
    buckets.bucket(HOT)
    buckets.answer()
    mocked_aws.canned.insert(0, ("s3", "GetBucketEncryption", None, {
        "Error": {"Code": "AccessDenied", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, {"Bucket": HOT}))
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    value = by_type(stacks, svc.DIRECTORY_BUCKET)[HOT].props["BucketEncryption"]
    assert (value.api_call, value.iam_action, value.kind) == ("GetBucketEncryption",
                                                              "s3express:GetEncryptionConfiguration", "access-denied")


def test_what_moto_lists_as_directory_buckets_is_left_out_with_a_note(mocked_aws, live_session):
    """ListDirectoryBuckets left to moto answers with the general purpose buckets: not directory names."""
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer("s3control", "ListAccessPointsForDirectoryBuckets", {"AccessPointList": []})
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    assert result.errors == [] and by_type(stacks, svc.DIRECTORY_BUCKET) == {}
    assert result.notes == ["S3 directory buckets in us-east-1: the endpoint listed lake-raw as directory buckets or "
                            "their access points, but their names are not of the directory form (*--x-s3, "
                            "*--xa-s3): left out"]


def test_access_points_deleted_since_the_listing_are_left_out(mocked_aws, live_session):
    buckets = DirectoryBuckets(mocked_aws)
    buckets.bucket(HOT)
    buckets.access_point("gone--use1-az4--xa-s3", HOT)
    buckets.answer()
    mocked_aws.canned.insert(0, ("s3control", "GetAccessPoint", None, {
        "Error": {"Code": "NoSuchAccessPoint", "Message": "gone"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, None))
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    assert result.errors == [] and by_type(stacks, svc.ACCESS_POINT) == {}


def test_a_denied_listing_is_an_error_for_the_region(mocked_aws, live_session):
    mocked_aws.answer_error("s3", "ListDirectoryBuckets", "AccessDenied", 403)
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    (error,) = result.errors
    assert (error.api_call, error.iam_action, error.resource) == (
        "ListDirectoryBuckets", "s3express:ListAllMyDirectoryBuckets", "us-east-1")


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = session_for(mocked_aws, live_session)
    result, stacks = scan_with(session, regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    performed = {(service, op) for (service, op) in session.guard.operations() if service != "sts"}
    assert performed == {(c.service, c.operation) for c in svc.COLLECTOR.calls}
    assert session.guard.calls[("s3", "ListDirectoryBuckets")] == 2  # once per region


def test_the_general_purpose_bucket_collector_never_lists_a_directory_bucket(mocked_aws, live_session):
    """ListBuckets lists general purpose buckets only on AWS; an answer naming a directory bucket (an
    emulator's) still never becomes an ``AWS::S3::Bucket``, so LL101-LL124 never judge one."""
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    mocked_aws.bucket("lake-raw")
    mocked_aws.answer("s3", "ListBuckets", {"Buckets": [{"Name": "lake-raw", "BucketRegion": "us-east-1"},
                                                        {"Name": HOT, "BucketRegion": "us-east-1"}]})
    session = session_for(mocked_aws, live_session)
    plan = ScanPlan.everything(collectors=[by_name("S3 buckets")])
    result = scan(session, ["us-east-1"], plan, Progress(False))
    assert result.errors == []
    assert sorted(r.name for _, r in result.records if r.type == "AWS::S3::Bucket") == ["lake-raw"]
    assert any(HOT in note for note in result.notes)
    specs = load_checks(plugins=False)
    general = [s.code for s in specs if "live" in s.sources and "101" <= s.code[2:] <= "125"]
    session = session_for(mocked_aws, live_session)
    report = lint_live(build_config({"select": general, "preview": True}, None), specs, regions=["us-east-1"],
                       session=session)
    assert HOT not in {f.resource for f in report.findings} | {e.resource for e in report.errors}
    assert ("s3", "GetBucketEncryption") in session.guard.operations()  # lake-raw was read, the other one never


def test_through_a_custom_endpoint_directory_buckets_are_skipped_with_a_note(mocked_aws, monkeypatch):
    """botocore sends GetBucketEncryption of a directory bucket through a custom endpoint as a zonal
    request that first calls CreateSession (minting credentials): lakelint makes no such call, so the
    service is skipped there with a note, and no request is signed for it."""
    from lakelint.sources.live.session import LiveSession

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5999")
    buckets = DirectoryBuckets(mocked_aws)
    buckets.bucket(HOT)
    buckets.answer()
    session = LiveSession()
    session.on_client.append(mocked_aws.install_answers)
    plan = ScanPlan.everything(collectors=[svc.COLLECTOR])
    sent = []
    session.on_client.append(lambda client: client.meta.events.register_first(
        "before-sign", lambda operation_name=None, **_: sent.append(operation_name)))
    monkeypatch.setattr(svc, "_listing", lambda ctx, call, region, **params: [
        {"Buckets": [{"Name": HOT}]}] if call is svc.LIST_DIRECTORY_BUCKETS else [])
    ctx = CollectContext(session, "123456789012", plan)
    with pytest.raises(Fault) as raised:
        svc.collect(ctx, "us-east-1")
    assert raised.value.kind == "unsupported" and "s3express:CreateSession" in raised.value.detail
    assert sent == [] and session.guard.total == 0


def test_vpc_only_access_points_option_live(mocked_aws, live_session):
    """LL137's s3express-vpc-only-access-points reads the network origin the listing gives."""
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    buckets = DirectoryBuckets(mocked_aws)
    buckets.bucket(HOT)
    buckets.access_point("spark--use1-az4--xa-s3", HOT, vpc="vpc-0a1b2c3d4e5f67890")
    buckets.access_point("reports--use1-az4--xa-s3", HOT)
    buckets.answer()
    specs = load_checks(plugins=False)
    for option, expected in ((False, []), (True, ["reports--use1-az4--xa-s3"])):
        config = build_config({"select": ["LL137"], "preview": True, "s3express-vpc-only-access-points": option}, None)
        report = lint_live(config, specs, regions=["us-east-1"], session=session_for(mocked_aws, live_session))
        assert report.errors == []
        assert [f.resource for f in report.findings] == expected

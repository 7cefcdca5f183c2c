"""The S3 access point collector (collectors/s3_access_points.py): shape, links, paging, faults, calls."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from lakelint.sources.live.collectors import by_name
from lakelint.sources.live.collectors import s3_access_points as svc
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

ACCOUNT = "123456789012"
POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/analytics"}, "Action": "s3:GetObject",
     "Resource": f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/lake-seed-ap/object/*"}]}


def seed_full_scan(aws):
    """One access point with a policy: ListAccessPoints, GetAccessPoint and GetAccessPointPolicy are
    all made. It names a bucket by name only, so the full scan's bucket count stays as it is."""
    aws.s3control.create_access_point(AccountId=aws.account_id, Name="lake-seed-ap", Bucket="lake-raw")
    aws.s3control.put_access_point_policy(AccountId=aws.account_id, Name="lake-seed-ap", Policy=json.dumps(POLICY))


def scan_with(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=[svc.COLLECTOR, by_name("S3 buckets")])
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def access_points(stacks) -> dict:
    return {r.name: r for s in stacks for r in s.resources if r.type == "AWS::S3::AccessPoint"}


def denied(operation):
    def call(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, operation)
    return call


def deny(session, method, operation):
    def hook(client):
        if client.meta.service_model.service_name == "s3control":
            setattr(client, method, denied(operation))
    session.on_client.append(hook)


def test_records_have_cloudformation_shape_and_link_to_their_bucket(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    vpc = mocked_aws.vpc()
    mocked_aws.s3control.create_access_point(
        AccountId=ACCOUNT, Name="partners", Bucket="lake-raw",
        PublicAccessBlockConfiguration=dict(BlockPublicAcls=True, BlockPublicPolicy=False, IgnorePublicAcls=True,
                                            RestrictPublicBuckets=True))
    mocked_aws.s3control.put_access_point_policy(AccountId=ACCOUNT, Name="partners", Policy=json.dumps(POLICY))
    mocked_aws.s3control.create_access_point(AccountId=ACCOUNT, Name="etl", Bucket="lake-raw",
                                             VpcConfiguration={"VpcId": vpc})
    result, stacks = scan_with(live_session())
    assert result.errors == []
    found = access_points(stacks)
    assert found["partners"].props == {
        "Name": "partners", "Bucket": "lake-raw", "Policy": POLICY,
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": False,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True}}
    assert found["etl"].props["VpcConfiguration"] == {"VpcId": vpc}
    assert "Policy" not in found["etl"].props  # NoSuchAccessPointPolicy: none, not a fault
    assert found["partners"].arn == f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/partners"
    (bucket,) = [r for s in stacks for r in s.resources if r.type == "AWS::S3::Bucket"]
    assert found["partners"].related("target") == [bucket]
    assert {r.name for r in bucket.related("access_points")} == {"partners", "etl"}


def test_listing_follows_next_token(mocked_aws, live_session, monkeypatch):
    monkeypatch.setattr(svc, "PAGE_SIZE", 2)
    for name in ("ap-one", "ap-two", "ap-three", "ap-four", "ap-five"):
        mocked_aws.s3control.create_access_point(AccountId=ACCOUNT, Name=name, Bucket="lake-raw")
    session = live_session()
    result, stacks = scan_with(session)
    assert set(access_points(stacks)) == {"ap-one", "ap-two", "ap-three", "ap-four", "ap-five"}
    assert session.guard.calls[("s3control", "ListAccessPoints")] == 3


def test_access_points_of_other_regions_are_left_to_their_region(mocked_aws, live_session):
    """moto lists every access point in every region; AWS lists a region's own, which the ARN says."""
    mocked_aws.s3control.create_access_point(AccountId=ACCOUNT, Name="lake-ap", Bucket="lake-raw")
    result, stacks = scan_with(live_session(), regions=("us-east-1", "eu-west-1"))
    assert [(r.region, r.name) for r in access_points(stacks).values()] == [("us-east-1", "lake-ap")]


@pytest.mark.parametrize("method, operation, key, action", [
    ("get_access_point", "GetAccessPoint", "PublicAccessBlockConfiguration", "s3:GetAccessPoint"),
    ("get_access_point_policy", "GetAccessPointPolicy", "Policy", "s3:GetAccessPointPolicy"),
])
def test_a_denied_read_is_an_unreadable_at_its_key(mocked_aws, live_session, method, operation, key, action):
    mocked_aws.s3control.create_access_point(AccountId=ACCOUNT, Name="lake-ap", Bucket="lake-raw")
    session = live_session()
    deny(session, method, operation)
    result, stacks = scan_with(session)
    assert result.errors == []
    value = access_points(stacks)["lake-ap"].props[key]
    assert value.api_call == operation and value.iam_action == action and value.kind == "access-denied"


def test_a_denied_listing_is_an_error_for_the_region(mocked_aws, live_session):
    mocked_aws.s3control.create_access_point(AccountId=ACCOUNT, Name="lake-ap", Bucket="lake-raw")
    session = live_session()
    deny(session, "list_access_points", "ListAccessPoints")
    result, stacks = scan_with(session)
    assert access_points(stacks) == {}
    (error,) = result.errors
    assert error.iam_action == "s3:ListAccessPoints" and error.resource == "us-east-1"


def test_unreadable_settings_make_the_checks_could_not_evaluate(mocked_aws, live_session):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    mocked_aws.s3control.create_access_point(AccountId=ACCOUNT, Name="lake-ap", Bucket="lake-raw")
    session = live_session()
    deny(session, "get_access_point", "GetAccessPoint")
    report = lint_live(build_config({"select": ["LL122", "LL123"]}, None), load_checks(plugins=False),
                       regions=["us-east-1"], session=session)
    assert report.findings == []
    assert [(e.check, e.resource, e.iam_action) for e in report.errors] == [("LL122", "lake-ap", "s3:GetAccessPoint")]


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_with(session)
    performed = {op for (service, op) in session.guard.operations() if service == "s3control"}
    assert performed == {c.operation for c in svc.COLLECTOR.calls}
    assert session.guard.calls[("sts", "GetCallerIdentity")] == 1  # the scan's own, shared with the collector

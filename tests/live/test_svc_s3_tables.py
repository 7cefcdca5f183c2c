"""The S3 Tables collector (collectors/s3_tables.py): shapes, links, faults, skipped regions, calls.

moto 5.2.6 creates and lists table buckets, namespaces and tables, but does not serve
GetTableBucketEncryption, GetTableBucketMaintenanceConfiguration, GetTableBucketPolicy,
GetTableMaintenanceConfiguration or GetTablePolicy: they are answered as S3 Tables answers them
(``aws.answer(..., params=...)``, through s3_families_scenarios.py), and so are the AWS managed table
buckets moto cannot create (a ListTableBuckets answer). moto's S3 Tables backend exists in us-east-1,
us-east-2 and us-west-2 only (any other region's call raises KeyError inside moto): a scan of
eu-west-1 has its ListTableBuckets answered, with no table bucket."""

from __future__ import annotations

import json
import socket

import pytest
from s3_families_scenarios import MAINTENANCE_STATEMENT, key_arn, key_policy, public, table, table_bucket

from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.collectors import by_name
from lakelint.sources.live.collectors import s3_tables as svc
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import scan

ACCOUNT = "123456789012"


def seed_full_scan(aws):
    """A KMS-encrypted table bucket with a policy and one table with a policy (us-east-1): every call of
    the collector is made. eu-west-1, where moto has no S3 Tables backend, holds none."""
    aws.answer("s3tables", "ListTableBuckets", {"tableBuckets": []}, "eu-west-1")
    arn = table_bucket(aws, "seed-tables", algorithm="aws:kms", key=key_arn(aws, key_policy(MAINTENANCE_STATEMENT)),
                       policy=public("s3tables:GetTableData", StringEquals={"aws:PrincipalOrgID": "o-seed"}),
                       region="us-east-1")
    table(aws, arn, "seed", "events", policy=public("s3tables:GetTableData",
                                                    StringEquals={"aws:PrincipalOrgID": "o-seed"}), region="us-east-1")


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
    key = key_arn(mocked_aws, key_policy(MAINTENANCE_STATEMENT))
    policy = public("s3tables:GetTableData")
    arn = table_bucket(mocked_aws, "lake-tables", algorithm="aws:kms", key=key, removal="disabled", policy=policy)
    table(mocked_aws, arn, "sales", "orders", snapshots="disabled", policy=policy)
    table(mocked_aws, arn, "sales", "returns")
    result, stacks = scan_with(session_for(mocked_aws, live_session), collectors=[by_name("KMS keys")])
    assert result.errors == []
    bucket = by_type(stacks, svc.TABLE_BUCKET)["lake-tables"]
    assert bucket.arn == arn and bucket.props == {
        "TableBucketName": "lake-tables", "TableBucketARN": arn,
        "EncryptionConfiguration": {"SSEAlgorithm": "aws:kms", "KMSKeyArn": key},
        "UnreferencedFileRemoval": {"Status": "Disabled", "UnreferencedDays": 3, "NoncurrentDays": 10}}
    assert [k.arn for k in bucket.related("kms_keys")] == [key]  # linked as templates link them
    tables = by_type(stacks, svc.TABLE)
    assert set(tables) == {"lake-tables/sales/orders", "lake-tables/sales/returns"}
    orders = tables["lake-tables/sales/orders"]
    assert orders.props["Compaction"] == {"Status": "enabled", "TargetFileSizeMB": 512}
    assert orders.props["SnapshotManagement"] == {"Status": "disabled", "MinSnapshotsToKeep": 1,
                                                  "MaxSnapshotAgeHours": 120}
    assert (orders.props["Namespace"], orders.props["TableName"], orders.props["TableBucketARN"]) == (
        "sales", "orders", arn)
    assert orders.related("table_bucket") == [bucket]
    assert sorted(r.name for r in bucket.related("tables")) == sorted(tables)
    (bucket_policy,) = by_type(stacks, svc.BUCKET_POLICY).values()
    assert bucket_policy.name == "lake-tables/policy" and bucket_policy.props == {
        "TableBucketARN": arn, "ResourcePolicy": policy}
    assert bucket_policy.related("target") == [bucket] and bucket.related("policies") == [bucket_policy]
    # NotFoundException: the returns table has no policy, as a template without one
    assert set(by_type(stacks, svc.TABLE_POLICY)) == {"lake-tables/sales/orders/policy"}


def test_aws_managed_table_buckets_and_tables_are_left_out(mocked_aws, live_session):
    mine = f"arn:aws:s3tables:us-east-1:{ACCOUNT}:bucket/lake-tables"
    mocked_aws.answer("s3tables", "ListTableBuckets", {"tableBuckets": [
        {"arn": mine, "name": "lake-tables", "ownerAccountId": ACCOUNT, "createdAt": "2026-01-05T10:00:00Z",
         "type": "customer"},
        {"arn": f"arn:aws:s3tables:us-east-1:{ACCOUNT}:bucket/aws-s3", "name": "aws-s3", "ownerAccountId": ACCOUNT,
         "createdAt": "2026-01-05T10:00:00Z", "type": "aws"}]})
    mocked_aws.answer("s3tables", "ListTables", {"tables": [
        {"namespace": ["raw"], "name": "clicks", "type": "customer", "tableARN": f"{mine}/table/1",
         "createdAt": "2026-01-05T10:00:00Z", "modifiedAt": "2026-01-05T10:00:00Z"},
        {"namespace": ["b_lake"], "name": "journal", "type": "aws", "tableARN": f"{mine}/table/2",
         "createdAt": "2026-01-05T10:00:00Z", "modifiedAt": "2026-01-05T10:00:00Z"}]})
    for operation in ("GetTableBucketEncryption", "GetTableBucketMaintenanceConfiguration",
                      "GetTableMaintenanceConfiguration"):
        mocked_aws.answer("s3tables", operation, {"configuration": {}})
    for operation in ("GetTableBucketPolicy", "GetTablePolicy"):
        mocked_aws.answer_error("s3tables", operation, "NotFoundException", 404)
    session = session_for(mocked_aws, live_session)
    result, stacks = scan_with(session)
    assert result.errors == []
    assert set(by_type(stacks, svc.TABLE_BUCKET)) == {"lake-tables"}
    assert set(by_type(stacks, svc.TABLE)) == {"lake-tables/raw/clicks"}
    assert session.guard.calls[("s3tables", "ListTables")] == 1  # AWS's bucket is not even listed


@pytest.mark.parametrize("operation, key", [
    ("GetTableBucketEncryption", "EncryptionConfiguration"),
    ("GetTableBucketMaintenanceConfiguration", "UnreferencedFileRemoval"),
])
def test_a_denied_read_is_an_unreadable_at_its_key(mocked_aws, live_session, operation, key):
    table_bucket(mocked_aws, "lake-tables")
    mocked_aws.canned.insert(0, ("s3tables", operation, None, {
        "Error": {"Code": "AccessDeniedException", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
        None))
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    assert result.errors == []
    value = by_type(stacks, svc.TABLE_BUCKET)["lake-tables"].props[key]
    assert (value.api_call, value.iam_action, value.kind) == (operation, f"s3tables:{operation}", "access-denied")


def test_an_unreadable_policy_is_a_policy_record_whose_document_is_unknown(mocked_aws, live_session):
    arn = table_bucket(mocked_aws, "lake-tables")
    mocked_aws.canned.insert(0, ("s3tables", "GetTableBucketPolicy", None, {
        "Error": {"Code": "AccessDeniedException", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
        None))
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    (record,) = by_type(stacks, svc.BUCKET_POLICY).values()
    assert record.props["TableBucketARN"] == arn
    assert record.props["ResourcePolicy"].iam_action == "s3tables:GetTableBucketPolicy"


def test_a_denied_listing_is_an_error_for_the_region(mocked_aws, live_session):
    table_bucket(mocked_aws, "lake-tables")
    mocked_aws.answer_error("s3tables", "ListTableBuckets", "AccessDeniedException", 403)
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    (error,) = result.errors
    assert (error.api_call, error.iam_action, error.resource) == ("ListTableBuckets", "s3tables:ListTableBuckets",
                                                                  "us-east-1")
    assert by_type(stacks, svc.TABLE_BUCKET) == {}


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = session_for(mocked_aws, live_session)
    result, stacks = scan_with(session, regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    assert {r.region for r in by_type(stacks, svc.TABLE_BUCKET).values()} == {"us-east-1"}
    performed = {op for (service, op) in session.guard.operations() if service == "s3tables"}
    assert performed == {c.operation for c in svc.COLLECTOR.calls}
    assert session.guard.calls[("s3tables", "ListTableBuckets")] == 2  # once per region


class FakeSession:
    """A session whose listing cannot connect, as botocore's EndpointConnectionError is classified."""

    def __init__(self, endpoint):
        self.endpoint = endpoint

    def pages(self, call, region=None, **_):
        raise Fault(call, "timeout", f"could not connect for {call.operation} (EndpointConnectionError)")
        yield  # pragma: no cover

    def client(self, service, region=None):
        class meta:
            endpoint_url = self.endpoint

        class Client:
            pass

        client = Client()
        client.meta = meta
        return client


def dns(monkeypatch, existing):
    def getaddrinfo(host, *_args, **_kwargs):
        if host in existing:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 443))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_region_without_the_service_is_skipped_with_a_note(monkeypatch):
    dns(monkeypatch, {"ec2.ap-south-2.amazonaws.com"})
    ctx = CollectContext(FakeSession("https://s3tables.ap-south-2.amazonaws.com"), ACCOUNT, ScanPlan.everything())
    assert svc.collect(ctx, "ap-south-2") == []
    assert ctx.notes == ["S3 Tables is not offered in ap-south-2 (its endpoint s3tables.ap-south-2.amazonaws.com "
                         "does not exist): skipped there"]


def test_a_connection_failure_where_the_endpoint_exists_stays_a_fault(monkeypatch):
    dns(monkeypatch, {"ec2.us-east-1.amazonaws.com", "s3tables.us-east-1.amazonaws.com"})
    ctx = CollectContext(FakeSession("https://s3tables.us-east-1.amazonaws.com"), ACCOUNT, ScanPlan.everything())
    with pytest.raises(Fault):
        svc.collect(ctx, "us-east-1")
    dns(monkeypatch, set())  # DNS says nothing exists at all: the network is down, not the service
    with pytest.raises(Fault):
        svc.collect(ctx, "ap-south-2")
    assert ctx.notes == []


def test_an_emulator_without_a_read_skips_the_service_with_a_note(mocked_aws, live_session, monkeypatch):
    """An emulator that lacks GetTableBucketEncryption: the whole service is skipped there (a note), as
    for any service an emulator lacks, rather than every table bucket being "could not evaluate"."""
    table_bucket(mocked_aws, "lake-tables")
    session = session_for(mocked_aws, live_session)
    original = session.read

    def read(call, region=None, **params):
        if call is svc.GET_BUCKET_ENCRYPTION:
            raise Fault(call, "unsupported", "the endpoint http://127.0.0.1:5000 does not implement s3tables "
                                             "GetTableBucketEncryption")
        return original(call, region, **params)

    monkeypatch.setattr(session, "read", read)
    result, stacks = scan_with(session)
    assert result.errors == [] and by_type(stacks, svc.TABLE_BUCKET) == {}
    assert result.notes == ["skipped S3 Tables in us-east-1: the endpoint http://127.0.0.1:5000 does not implement "
                            "s3tables GetTableBucketEncryption"]


def test_policies_that_are_not_json_are_kept_as_text(mocked_aws, live_session):
    arn = table_bucket(mocked_aws, "lake-tables")
    mocked_aws.canned.insert(0, ("s3tables", "GetTableBucketPolicy", None, {"resourcePolicy": "{not json"}, None))
    result, stacks = scan_with(session_for(mocked_aws, live_session))
    (record,) = by_type(stacks, svc.BUCKET_POLICY).values()
    assert record.props == {"TableBucketARN": arn, "ResourcePolicy": "{not json"}
    json.dumps(dict(record.props))

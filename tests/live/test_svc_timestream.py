"""The Timestream collector: databases and tables in CloudFormation's shape, behind endpoint discovery."""

from __future__ import annotations

import json

from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.collectors import timestream as svc_timestream
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan


def seed_full_scan(aws):
    """A database with one table: DescribeEndpoints, ListDatabases and ListTables are all made."""
    client = aws.client("timestream-write")
    client.create_database(DatabaseName="seed-telemetry")
    client.create_table(DatabaseName="seed-telemetry", TableName="readings")


def collectors(*names):
    return [c for c in all_collectors() if c is svc_timestream.COLLECTOR or c.name in names]


def scan_with(session, regions=("us-east-1",), extra=()):
    plan = ScanPlan.everything(collectors=collectors(*extra))
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def of_type(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def test_databases_and_tables_have_cloudformation_shape(mocked_aws, live_session):
    key = mocked_aws.client("kms").create_key(Description="telemetry")["KeyMetadata"]
    client = mocked_aws.client("timestream-write")
    client.create_database(DatabaseName="telemetry", KmsKeyId=key["Arn"])
    client.create_database(DatabaseName="sensors")
    client.create_table(DatabaseName="telemetry", TableName="readings",
                        RetentionProperties={"MemoryStoreRetentionPeriodInHours": 24,
                                             "MagneticStoreRetentionPeriodInDays": 365})
    client.create_table(DatabaseName="sensors", TableName="readings")
    session = live_session()
    result, stacks = scan_with(session, extra=("KMS keys",))
    assert result.errors == []
    databases = of_type(stacks, "AWS::Timestream::Database")
    assert databases["telemetry"].props == {"DatabaseName": "telemetry", "KmsKeyId": key["Arn"]}
    assert databases["telemetry"].arn == "arn:aws:timestream:us-east-1:123456789012:database/telemetry"
    assert [k.name for k in databases["telemetry"].related("kms_keys")] == [key["KeyId"]]
    tables = of_type(stacks, "AWS::Timestream::Table")
    assert set(tables) == {"telemetry/readings", "sensors/readings"}  # names are unique only per database
    assert tables["telemetry/readings"].props == {
        "DatabaseName": "telemetry", "TableName": "readings",
        "RetentionProperties": {"MemoryStoreRetentionPeriodInHours": "24", "MagneticStoreRetentionPeriodInDays": "365"}}
    # a table that set nothing still reports Timestream's defaults
    assert tables["sensors/readings"].props["RetentionProperties"] == {
        "MemoryStoreRetentionPeriodInHours": "6", "MagneticStoreRetentionPeriodInDays": "73000"}
    assert tables["sensors/readings"].arn.endswith(":database/sensors/table/readings")
    assert session.guard.calls[("timestream-write", "ListTables")] == 2  # once per database


def test_endpoint_discovery_is_read_and_a_denial_names_its_own_action(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("timestream-write", "DescribeEndpoints", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    (error,) = result.errors
    assert error.api_call == "DescribeEndpoints" and error.iam_action == "timestream:DescribeEndpoints"
    assert of_type(stacks, "AWS::Timestream::Table") == {}


def test_a_denied_table_listing_is_an_error_naming_the_action(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("timestream-write", "ListTables", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, _ = scan_with(session)
    (error,) = result.errors
    assert error.api_call == "ListTables" and error.iam_action == "timestream:ListTables"
    assert "AccessDenied" in error.message


def test_listings_follow_next_token(mocked_aws, live_session):
    pages = iter([{"Databases": [{"DatabaseName": "a", "KmsKeyId": "k"}], "NextToken": "t1"},
                  {"Databases": [{"DatabaseName": "b", "KmsKeyId": "k"}]}])
    seen = []

    def page_by_page(client):
        if client.meta.service_model.service_name != "timestream-write":
            return
        from botocore.awsrequest import AWSResponse

        def answer(params, **_):
            body = params.get("body") or b"{}"
            seen.append(json.loads(body).get("NextToken"))
            return AWSResponse(None, 200, {}, None), next(pages)

        client.meta.events.register("before-call.timestream-write.ListDatabases", answer)
        client.meta.events.register("before-call.timestream-write.ListTables",
                                    lambda **_: (AWSResponse(None, 200, {}, None), {"Tables": []}))

    session = live_session()
    session.on_client.append(page_by_page)
    result, stacks = scan_with(session)
    assert result.errors == [] and seen == [None, "t1"]
    assert set(of_type(stacks, "AWS::Timestream::Database")) == {"a", "b"}


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    result, _ = scan_with(session)
    assert result.errors == []
    performed = {op for (service, op) in session.guard.operations() if service == "timestream-write"}
    assert performed == {c.operation for c in svc_timestream.COLLECTOR.calls}


def test_a_region_without_timestream_is_skipped_without_a_call(live_session):
    session = live_session()
    assert "ap-southeast-1" in session.boto.get_available_regions("ec2")
    assert "ap-southeast-1" not in session.boto.get_available_regions("timestream-write")
    assert svc_timestream.collect(CollectContext(session, "123456789012", ScanPlan.everything()), "ap-southeast-1") == []
    assert session.guard.total == 0

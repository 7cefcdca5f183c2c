"""The DynamoDB collector: tables in CloudFormation's shape, and the auto scaling linked to them."""

from __future__ import annotations

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)
KEYS = dict(KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
PROVISIONED = dict(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})
READ = "dynamodb:table:ReadCapacityUnits"


def seed_full_scan(aws):
    """A provisioned table with a scaled read dimension and a scheduled action: every call is made."""
    aws.client("dynamodb").create_table(TableName="seed-orders", **KEYS, **PROVISIONED)
    scaling = aws.client("application-autoscaling")
    scaling.register_scalable_target(ServiceNamespace="dynamodb", ResourceId="table/seed-orders",
                                     ScalableDimension=READ, MinCapacity=5, MaxCapacity=50)
    scaling.put_scaling_policy(PolicyName="seed-read", ServiceNamespace="dynamodb", ResourceId="table/seed-orders",
                               ScalableDimension=READ, PolicyType="TargetTrackingScaling",
                               TargetTrackingScalingPolicyConfiguration={
                                   "TargetValue": 70.0, "PredefinedMetricSpecification": {
                                       "PredefinedMetricType": "DynamoDBReadCapacityUtilization"}})
    scaling.put_scheduled_action(ServiceNamespace="dynamodb", ScheduledActionName="seed-nightly",
                                 ResourceId="table/seed-orders", ScalableDimension=READ, Schedule="cron(0 1 * * ? *)",
                                 ScalableTargetAction={"MinCapacity": 10, "MaxCapacity": 60})


def dynamodb_collector():
    return [c for c in all_collectors() if c.name == "DynamoDB tables"]


def scan_tables(session, *more):
    plan = ScanPlan.everything(collectors=dynamodb_collector() + list(more))
    result = scan(session, ["us-east-1"], plan, Progress(False))
    return result, build_stacks(result, plan)


def of_type(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def test_tables_have_cloudformation_shape_and_their_scaling_is_linked(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    dynamodb = mocked_aws.client("dynamodb")
    key = mocked_aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    dynamodb.create_table(TableName="events", BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True,
                          SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}, **KEYS)
    dynamodb.update_continuous_backups(TableName="events",
                                       PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    kms = [c for c in all_collectors() if c.name == "KMS keys"]
    result, stacks = scan_tables(live_session(), *kms)
    assert result.errors == []
    tables = of_type(stacks, "AWS::DynamoDB::Table")
    assert set(tables) == {"seed-orders", "events"}
    events = tables["events"]
    assert events.arn == "arn:aws:dynamodb:us-east-1:123456789012:table/events"
    assert events.props["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
    assert events.props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert events.props["DeletionProtectionEnabled"] is True and events.props["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in events.props
    assert [k.arn for k in events.related("kms_keys")] == [key]
    orders = tables["seed-orders"]
    assert "SSESpecification" not in orders.props  # the AWS owned key, as a template that does not set it
    assert orders.props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": False}
    assert orders.props["BillingMode"] == "PROVISIONED"
    assert orders.props["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 7}
    (target,) = orders.related("scalable_targets")
    assert target.props["ScalableDimension"] == READ and target.props["ResourceId"] == "table/seed-orders"
    assert target.props["ScheduledActions"] == [{"ScheduledActionName": "seed-nightly", "Schedule": "cron(0 1 * * ? *)",
                                                 "ScalableTargetAction": {"MinCapacity": 10, "MaxCapacity": 60}}]
    assert target.related("tables") == [orders]
    (policy,) = target.related("scaling_policies")
    assert policy.props["PolicyName"] == "seed-read" and policy.related("targets") == [target]


def _lint(mocked_aws, live_session, code):
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    return lint_live(build_config({"select": [code]}, None), SPECS, regions=["us-east-1"], session=session)


def test_a_denied_backup_read_is_an_unreadable_at_its_key(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("dynamodb", "DescribeContinuousBackups", "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_tables(session)
    value = of_type(stacks, "AWS::DynamoDB::Table")["seed-orders"].props["PointInTimeRecoverySpecification"]
    assert value.api_call == "DescribeContinuousBackups" and value.iam_action == "dynamodb:DescribeContinuousBackups"
    report = _lint(mocked_aws, live_session, "LL512")
    assert report.findings == []
    assert [(e.resource, e.iam_action) for e in report.errors] == [
        ("seed-orders", "dynamodb:DescribeContinuousBackups")]


def test_a_denied_table_description_leaves_its_properties_unknown(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("dynamodb", "DescribeTable", "AccessDeniedException", status=403)
    for code in ("LL511", "LL513", "LL514"):
        report = _lint(mocked_aws, live_session, code)
        assert report.findings == [], code
        assert [(e.resource, e.api_call, e.iam_action) for e in report.errors] == [
            ("seed-orders", "DescribeTable", "dynamodb:DescribeTable")], code


@pytest.mark.parametrize("operation", ["DescribeScalableTargets", "DescribeScalingPolicies",
                                       "DescribeScheduledActions"])
def test_unreadable_auto_scaling_is_not_a_table_that_does_not_scale(mocked_aws, live_session, operation):
    mocked_aws.client("dynamodb").create_table(TableName="orders", **KEYS, **PROVISIONED)
    mocked_aws.client("application-autoscaling").register_scalable_target(
        ServiceNamespace="dynamodb", ResourceId="table/orders", ScalableDimension=READ, MinCapacity=5, MaxCapacity=50)
    mocked_aws.answer_error("application-autoscaling", operation, "AccessDeniedException", status=403)
    report = _lint(mocked_aws, live_session, "LL514")
    assert report.findings == []
    assert [(e.resource, e.api_call, e.iam_action) for e in report.errors] == [
        ("orders", operation, f"application-autoscaling:{operation}")]


def test_a_table_deleted_after_the_listing_is_skipped(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("dynamodb", "DescribeTable", "ResourceNotFoundException")
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_tables(session)
    assert result.errors == [] and of_type(stacks, "AWS::DynamoDB::Table") == {}


def test_the_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_tables(session)
    performed = {(service, op) for (service, op) in session.guard.operations()
                 if service in ("dynamodb", "application-autoscaling")}
    assert performed == {(c.service, c.operation) for c in dynamodb_collector()[0].calls}


def test_no_table_no_auto_scaling_reads(mocked_aws, live_session):
    session = live_session()
    result, _ = scan_tables(session)
    assert result.errors == []
    assert {op for (service, op) in session.guard.operations() if service not in ("sts", "s3")} == {"ListTables"}

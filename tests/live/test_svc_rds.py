"""The RDS collector: DB instances and DB clusters in CloudFormation's shape, linked as templates link them."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

PASSWORD = "not-a-real-password-1"


def seed_full_scan(aws):
    """One instance and one Aurora cluster: both listings have something to say."""
    rds = aws.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="seed-orders", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="lake", MasterUserPassword=PASSWORD,
                           PubliclyAccessible=False)  # AWS always reports it; moto only when it was given
    rds.create_db_cluster(DBClusterIdentifier="seed-aurora", Engine="aurora-postgresql", MasterUsername="lake",
                          MasterUserPassword=PASSWORD)


def rds_collector():
    return [c for c in all_collectors() if c.name == "RDS databases"]


def scan_rds(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=rds_collector())
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def by_name(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def test_instances_and_clusters_have_cloudformation_shape(mocked_aws, live_session):
    rds = mocked_aws.client("rds")
    key = mocked_aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    rds.create_db_instance(DBInstanceIdentifier="orders", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="lake", MasterUserPassword=PASSWORD,
                           StorageEncrypted=True, KmsKeyId=key, PubliclyAccessible=False, MultiAZ=True,
                           BackupRetentionPeriod=14, DeletionProtection=True, EnableIAMDatabaseAuthentication=True,
                           EnableCloudwatchLogsExports=["postgresql"])
    rds.create_db_instance_read_replica(DBInstanceIdentifier="orders-replica", SourceDBInstanceIdentifier="orders")
    rds.create_db_cluster(DBClusterIdentifier="lake-aurora", Engine="aurora-postgresql", MasterUsername="lake",
                          MasterUserPassword=PASSWORD, BackupRetentionPeriod=3, PubliclyAccessible=True)
    rds.create_db_instance(DBInstanceIdentifier="lake-aurora-1", Engine="aurora-postgresql",
                           DBInstanceClass="db.r5.large", DBClusterIdentifier="lake-aurora", PubliclyAccessible=True)
    rds.create_db_cluster(DBClusterIdentifier="lake-maz", Engine="postgres", DBClusterInstanceClass="db.m5d.large",
                          AllocatedStorage=100, StorageType="io1", Iops=1000, MasterUsername="lake",
                          MasterUserPassword=PASSWORD, PubliclyAccessible=True)
    rds.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune")
    session = live_session()
    result, stacks = scan_rds(session)
    assert result.errors == []
    instances = by_name(stacks, "AWS::RDS::DBInstance")
    clusters = by_name(stacks, "AWS::RDS::DBCluster")
    assert set(instances) == {"orders", "orders-replica", "lake-aurora-1"}
    assert set(clusters) == {"lake-aurora", "lake-maz"}  # Neptune is not an AWS::RDS::DBCluster
    orders = instances["orders"]
    assert orders.arn == "arn:aws:rds:us-east-1:123456789012:db:orders"
    assert {k: orders.props[k] for k in ("StorageEncrypted", "KmsKeyId", "PubliclyAccessible", "MultiAZ",
                                          "BackupRetentionPeriod", "DeletionProtection",
                                          "EnableIAMDatabaseAuthentication", "EnableCloudwatchLogsExports",
                                          "Engine")} == {
        "StorageEncrypted": True, "KmsKeyId": key, "PubliclyAccessible": False, "MultiAZ": True,
        "BackupRetentionPeriod": 14, "DeletionProtection": True, "EnableIAMDatabaseAuthentication": True,
        "EnableCloudwatchLogsExports": ["postgresql"], "Engine": "postgres"}
    assert "DBClusterIdentifier" not in orders.props
    assert instances["orders-replica"].props["SourceDBInstanceIdentifier"] == "orders"
    assert "EnableCloudwatchLogsExports" not in instances["lake-aurora-1"].props  # nothing exported: absent
    aurora = clusters["lake-aurora"]
    assert aurora.props["BackupRetentionPeriod"] == 3 and aurora.props["EngineMode"] == "provisioned"
    assert "PubliclyAccessible" not in aurora.props  # an Aurora cluster has no such setting of its own
    assert "DBClusterInstanceClass" not in aurora.props
    assert aurora.related("instances") == [instances["lake-aurora-1"]]
    assert instances["lake-aurora-1"].related("clusters") == [aurora]
    assert instances["lake-aurora-1"].props["DBClusterIdentifier"] == "lake-aurora"
    assert clusters["lake-maz"].props["PubliclyAccessible"] is True
    assert clusters["lake-maz"].props["DBClusterInstanceClass"] == "db.m5d.large"


def test_docdb_and_neptune_listed_by_the_rds_api_are_left_out(mocked_aws, live_session):
    mocked_aws.answer("rds", "DescribeDBClusters", {"DBClusters": [
        {"DBClusterIdentifier": "catalog", "Engine": "docdb", "StorageEncrypted": False,
         "DBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:catalog"},
        {"DBClusterIdentifier": "lake-aurora", "Engine": "aurora-mysql", "StorageEncrypted": True,
         "DBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:lake-aurora"}]})
    mocked_aws.answer("rds", "DescribeDBInstances", {"DBInstances": [
        {"DBInstanceIdentifier": "catalog-1", "Engine": "docdb", "DBClusterIdentifier": "catalog",
         "DBInstanceArn": "arn:aws:rds:us-east-1:123456789012:db:catalog-1"},
        {"DBInstanceIdentifier": "graph-1", "Engine": "neptune", "DBClusterIdentifier": "graph",
         "DBInstanceArn": "arn:aws:rds:us-east-1:123456789012:db:graph-1"},
        {"DBInstanceIdentifier": "lake-aurora-1", "Engine": "aurora-mysql", "DBClusterIdentifier": "lake-aurora",
         "PubliclyAccessible": False, "DBInstanceArn": "arn:aws:rds:us-east-1:123456789012:db:lake-aurora-1"}]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    _, stacks = scan_rds(session)
    assert set(by_name(stacks, "AWS::RDS::DBCluster")) == {"lake-aurora"}
    assert set(by_name(stacks, "AWS::RDS::DBInstance")) == {"lake-aurora-1"}


@pytest.mark.parametrize("operation, action", [("DescribeDBInstances", "rds:DescribeDBInstances"),
                                               ("DescribeDBClusters", "rds:DescribeDBClusters")])
def test_a_denied_listing_is_an_error_naming_its_action(mocked_aws, live_session, operation, action):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("rds", operation, "AccessDenied", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_rds(session)
    (error,) = result.errors
    assert error.api_call == operation and error.iam_action == action
    assert "AccessDenied" in error.message and error.resource == "us-east-1"
    assert by_name(stacks, "AWS::RDS::DBInstance") == {}  # nothing half-read is judged


def test_a_denied_listing_makes_the_checks_report_could_not_evaluate(mocked_aws, live_session):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("rds", "DescribeDBInstances", "AccessDenied", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL501"]}, None), load_checks(plugins=False),
                       regions=["us-east-1"], session=session)
    assert [e.iam_action for e in report.errors] == ["rds:DescribeDBInstances"]
    assert report.findings == []


def test_the_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_rds(session)
    performed = {op for (service, op) in session.guard.operations() if service == "rds"}
    assert performed == {c.operation for c in rds_collector()[0].calls}
    assert all(session.guard.calls[("rds", op)] == 1 for op in performed)


def test_an_unreadable_key_manager_makes_ll502_could_not_evaluate(mocked_aws, live_session):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    key = mocked_aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    mocked_aws.client("rds").create_db_instance(
        DBInstanceIdentifier="orders", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
        MasterUsername="lake", MasterUserPassword=PASSWORD, StorageEncrypted=True, KmsKeyId=key,
        PubliclyAccessible=False)
    mocked_aws.answer_error("kms", "DescribeKey", "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL502"]}, None), load_checks(plugins=False),
                       regions=["us-east-1"], session=session)
    assert report.findings == []
    assert [(e.check, e.resource, e.api_call, e.iam_action) for e in report.errors] == [
        ("LL502", "orders", "DescribeKey", "kms:DescribeKey")]

"""The DocumentDB collector: clusters and their cluster parameter groups, linked as templates link them."""

from __future__ import annotations

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)
ACCOUNT = "123456789012"


def seed_full_scan(aws):
    """A DocumentDB cluster with a custom cluster parameter group. moto refuses the ``docdb`` engine
    but serves DocumentDB's API from its RDS backend, so a Neptune cluster is created and its engine
    turned into ``docdb`` there: the full scan (which installs no canned answers) then lists it and
    reads its group's parameters from moto."""
    from moto.rds.models import rds_backends

    rds = aws.client("rds")
    rds.create_db_cluster_parameter_group(DBClusterParameterGroupName="seed-docdb", DBParameterGroupFamily="docdb5.0",
                                          Description="lake")
    rds.create_db_cluster(DBClusterIdentifier="seed-catalog", Engine="neptune",
                          DBClusterParameterGroupName="seed-docdb")
    rds_backends[aws.account_id][aws.region].clusters["seed-catalog"].engine = "docdb"


def docdb_collector():
    return [c for c in all_collectors() if c.name == "DocumentDB clusters"]


def scan_docdb(session):
    plan = ScanPlan.everything(collectors=docdb_collector())
    result = scan(session, ["us-east-1"], plan, Progress(False))
    return result, build_stacks(result, plan)


def of_type(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def cluster(name, group, **settings):
    return {"DBClusterIdentifier": name, "DBClusterArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:{name}",
            "Engine": "docdb", "EngineVersion": "5.0.0", "Status": "available", "DBClusterParameterGroup": group,
            "DBSubnetGroup": "lake-private", **settings}


def answered(aws, live_session, clusters, parameters=None):
    aws.answer("docdb", "DescribeDBClusters", {"DBClusters": clusters})
    if parameters is not None:
        aws.answer("docdb", "DescribeDBClusterParameters", {"Parameters": [
            {"ParameterName": k, "ParameterValue": v, "Source": "user"} for k, v in parameters.items()]})
    session = live_session()
    session.on_client.append(aws.install_answers)
    return session


def test_clusters_and_groups_have_cloudformation_shape(mocked_aws, live_session):
    clusters = [cluster("catalog", "lake-docdb", StorageEncrypted=True, KmsKeyId="arn:aws:kms:us-east-1:1:key/k",
                        BackupRetentionPeriod=7, DeletionProtection=True,
                        EnabledCloudwatchLogsExports=["audit", "profiler"]),
                cluster("profiles", "lake-docdb", StorageEncrypted=False, BackupRetentionPeriod=1,
                        DeletionProtection=False, EnabledCloudwatchLogsExports=[])]
    session = answered(mocked_aws, live_session, clusters, {"tls": "disabled", "audit_logs": "enabled"})
    result, stacks = scan_docdb(session)
    assert result.errors == []
    found = of_type(stacks, "AWS::DocDB::DBCluster")
    catalog = found["catalog"]
    assert catalog.arn == f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:catalog"
    assert {k: catalog.props[k] for k in ("StorageEncrypted", "KmsKeyId", "BackupRetentionPeriod",
                                           "DeletionProtection", "EnableCloudwatchLogsExports",
                                           "DBClusterParameterGroupName")} == {
        "StorageEncrypted": True, "KmsKeyId": "arn:aws:kms:us-east-1:1:key/k", "BackupRetentionPeriod": 7,
        "DeletionProtection": True, "EnableCloudwatchLogsExports": ["audit", "profiler"],
        "DBClusterParameterGroupName": "lake-docdb"}
    assert "EnableCloudwatchLogsExports" not in found["profiles"].props  # nothing exported: absent
    (group,) = of_type(stacks, "AWS::DocDB::DBClusterParameterGroup").values()
    assert group.name == "lake-docdb" and group.arn == f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster-pg:lake-docdb"
    assert group.props == {"Name": "lake-docdb", "Parameters": {"tls": "disabled", "audit_logs": "enabled"}}
    assert catalog.related("parameter_groups") == [group]
    assert {c.name for c in group.related("clusters")} == {"catalog", "profiles"}
    # one group, read once however many clusters use it
    assert session.guard.calls[("docdb", "DescribeDBClusterParameters")] == 1


def test_only_docdb_engines_are_taken(mocked_aws, live_session):
    clusters = [cluster("catalog", "default.docdb5.0"), cluster("lake-aurora", "default.aurora-mysql8.0",
                                                                Engine="aurora-mysql")]
    session = answered(mocked_aws, live_session, clusters, {"tls": "enabled"})
    _, stacks = scan_docdb(session)
    assert set(of_type(stacks, "AWS::DocDB::DBCluster")) == {"catalog"}


def test_denied_parameters_are_unreadable_and_the_checks_say_could_not_evaluate(mocked_aws, live_session):
    clusters = [cluster("catalog", "lake-docdb", EnabledCloudwatchLogsExports=["audit", "profiler"])]
    mocked_aws.answer_error("docdb", "DescribeDBClusterParameters", "AccessDenied", status=403)
    session = answered(mocked_aws, live_session, clusters)
    _, stacks = scan_docdb(session)
    (group,) = of_type(stacks, "AWS::DocDB::DBClusterParameterGroup").values()
    value = group.props["Parameters"]
    assert value.api_call == "DescribeDBClusterParameters" and value.iam_action == "rds:DescribeDBClusterParameters"
    for code in ("LL526", "LL525"):
        session = live_session()
        session.on_client.append(mocked_aws.install_answers)
        report = lint_live(build_config({"select": [code]}, None), SPECS, regions=["us-east-1"], session=session)
        assert report.findings == [], code
        assert {(e.resource, e.iam_action) for e in report.errors} == {("catalog", "rds:DescribeDBClusterParameters")}


def test_a_denied_listing_is_an_error_naming_its_action(mocked_aws, live_session):
    mocked_aws.answer_error("docdb", "DescribeDBClusters", "AccessDenied", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, _ = scan_docdb(session)
    (error,) = result.errors
    assert error.api_call == "DescribeDBClusters" and error.iam_action == "rds:DescribeDBClusters"


def test_a_group_deleted_meanwhile_is_left_out(mocked_aws, live_session):
    mocked_aws.answer_error("docdb", "DescribeDBClusterParameters", "DBParameterGroupNotFound", status=404)
    session = answered(mocked_aws, live_session, [cluster("catalog", "lake-docdb")])
    result, stacks = scan_docdb(session)
    assert result.errors == [] and of_type(stacks, "AWS::DocDB::DBClusterParameterGroup") == {}


def test_the_seeded_cluster_makes_exactly_the_declared_calls(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    result, stacks = scan_docdb(session)
    assert result.errors == []
    assert set(of_type(stacks, "AWS::DocDB::DBCluster")) == {"seed-catalog"}
    performed = {(service, op) for (service, op) in session.guard.operations() if service == "docdb"}
    assert performed == {(c.service, c.operation) for c in docdb_collector()[0].calls}

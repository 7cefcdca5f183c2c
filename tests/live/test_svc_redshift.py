"""The Redshift collector: clusters and the parameter groups they use, in CloudFormation's shape."""

from __future__ import annotations

from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.collectors import redshift as svc_redshift
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

PASSWORD = "Lake-Passw0rd"


def seed_full_scan(aws):
    """A cluster with audit logging on, in a parameter group of its own: every Redshift call is made."""
    redshift = aws.client("redshift")
    redshift.create_cluster_parameter_group(ParameterGroupName="seed-params", ParameterGroupFamily="redshift-2.0",
                                            Description="seed")
    redshift.create_cluster(ClusterIdentifier="seed-warehouse", NodeType="ra3.xlplus", ClusterType="single-node",
                            MasterUsername="admin", MasterUserPassword=PASSWORD,
                            ClusterParameterGroupName="seed-params")
    redshift.enable_logging(ClusterIdentifier="seed-warehouse", LogDestinationType="cloudwatch",
                            LogExports=["connectionlog"])


def collector():
    return [c for c in all_collectors() if c is svc_redshift.COLLECTOR]


def scan_with(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=collector())
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def by_name(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


def test_clusters_and_their_groups_have_cloudformation_shape(mocked_aws, live_session):
    redshift = mocked_aws.client("redshift")
    subnet = mocked_aws.ec2.create_subnet(VpcId=mocked_aws.vpc(), CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    redshift.create_cluster_subnet_group(ClusterSubnetGroupName="lake-private", Description="d", SubnetIds=[subnet])
    redshift.create_cluster_parameter_group(ParameterGroupName="lake-params", ParameterGroupFamily="redshift-1.0",
                                            Description="d")
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    for name, extra in (("warehouse", dict(Encrypted=True, KmsKeyId=key, PubliclyAccessible=True,
                                           EnhancedVpcRouting=True, ClusterSubnetGroupName="lake-private",
                                           ClusterParameterGroupName="lake-params")),
                        ("sandbox", dict(ClusterParameterGroupName="lake-params")),
                        ("scratch", {})):
        redshift.create_cluster(ClusterIdentifier=name, NodeType="ra3.xlplus", ClusterType="single-node",
                                MasterUsername="admin", MasterUserPassword=PASSWORD, **extra)
    redshift.enable_logging(ClusterIdentifier="warehouse", LogDestinationType="cloudwatch",
                            LogExports=["connectionlog", "useractivitylog"])
    redshift.enable_logging(ClusterIdentifier="sandbox", BucketName="lake-audit", S3KeyPrefix="redshift/")
    session = live_session()
    result, stacks = scan_with(session)
    assert result.errors == []
    clusters = by_name(stacks, "AWS::Redshift::Cluster")
    warehouse = clusters["warehouse"].props
    assert warehouse["Encrypted"] is True and warehouse["KmsKeyId"] == key
    assert warehouse["PubliclyAccessible"] is True and warehouse["EnhancedVpcRouting"] is True
    assert warehouse["ClusterSubnetGroupName"] == "lake-private"
    assert warehouse["ClusterParameterGroupName"] == "lake-params" and warehouse["ClusterType"] == "single-node"
    assert warehouse["LoggingProperties"] == {"LogDestinationType": "cloudwatch",
                                              "LogExports": ["connectionlog", "useractivitylog"]}
    assert clusters["sandbox"].props["LoggingProperties"] == {"LogDestinationType": "s3", "BucketName": "lake-audit",
                                                              "S3KeyPrefix": "redshift/"}
    scratch = clusters["scratch"].props
    assert scratch["Encrypted"] is False and scratch["PubliclyAccessible"] is False
    assert "LoggingProperties" not in scratch and "KmsKeyId" not in scratch and "ClusterSubnetGroupName" not in scratch
    assert clusters["warehouse"].arn == "arn:aws:redshift:us-east-1:123456789012:cluster:warehouse"
    groups = by_name(stacks, "AWS::Redshift::ClusterParameterGroup")
    assert set(groups) == {"lake-params", scratch["ClusterParameterGroupName"]}
    parameters = {p["ParameterName"]: p["ParameterValue"] for p in groups["lake-params"].props["Parameters"]}
    assert parameters["require_ssl"] in ("true", "false")
    assert groups["lake-params"].props["ParameterGroupName"] == "lake-params"
    assert {c.name for c in groups["lake-params"].related("clusters")} == {"warehouse", "sandbox"}
    assert clusters["warehouse"].related("parameter_groups") == [groups["lake-params"]]
    # each group once, however many clusters use it; logging once per cluster
    assert session.guard.calls[("redshift", "DescribeClusterParameters")] == 2
    assert session.guard.calls[("redshift", "DescribeLoggingStatus")] == 3


def test_a_denied_logging_read_is_an_unreadable_value(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("redshift", "DescribeLoggingStatus", "AccessDenied", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    value = by_name(stacks, "AWS::Redshift::Cluster")["seed-warehouse"].props["LoggingProperties"]
    assert value.api_call == "DescribeLoggingStatus" and value.iam_action == "redshift:DescribeLoggingStatus"
    assert "AccessDenied" in value.reason


def test_a_denied_parameter_read_is_an_unreadable_value(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("redshift", "DescribeClusterParameters", "AccessDenied", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    value = by_name(stacks, "AWS::Redshift::ClusterParameterGroup")["seed-params"].props["Parameters"]
    assert value.api_call == "DescribeClusterParameters"
    assert value.iam_action == "redshift:DescribeClusterParameters"


def test_a_denied_listing_is_an_error_naming_the_action(mocked_aws, live_session):
    mocked_aws.answer_error("redshift", "DescribeClusters", "AccessDenied", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    (error,) = result.errors
    assert error.api_call == "DescribeClusters" and error.iam_action == "redshift:DescribeClusters"


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    result, _ = scan_with(session)
    assert result.errors == []
    performed = {op for (service, op) in session.guard.operations() if service == "redshift"}
    assert performed == {c.operation for c in svc_redshift.COLLECTOR.calls}


def test_a_region_without_the_service_is_skipped_without_a_call(mocked_aws, live_session, monkeypatch):
    session = live_session()
    monkeypatch.setattr(session.boto, "get_available_regions",
                        lambda service, partition="aws", **_: ["us-east-1", "eu-west-1"] if service == "ec2"
                        else ["us-east-1"])
    assert svc_redshift.collect(CollectContext(session, "123456789012", ScanPlan.everything()), "eu-west-1") == []
    assert session.guard.total == 0


def test_unreadable_properties_are_could_not_evaluate_not_passes(mocked_aws, live_session):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    redshift = mocked_aws.client("redshift")
    redshift.create_cluster(ClusterIdentifier="warehouse", NodeType="ra3.xlplus", ClusterType="single-node",
                            MasterUsername="admin", MasterUserPassword=PASSWORD)  # default group, logging off
    mocked_aws.answer_error("redshift", "DescribeClusterParameters", "AccessDenied", 403)
    mocked_aws.answer_error("redshift", "DescribeLoggingStatus", "AccessDenied", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL604", "LL605"]}, None), load_checks(plugins=False),
                       regions=["us-east-1"], session=session)
    assert [f for f in report.findings if f.check in ("LL604", "LL605")] == []
    got = sorted((e.check, e.resource, e.iam_action) for e in report.errors)
    assert got == [("LL604", "warehouse", "redshift:DescribeLoggingStatus"),
                   ("LL605", "warehouse", "redshift:DescribeClusterParameters")]

"""The Redshift Serverless workgroups collector: workgroups in CloudFormation's shape.

moto does not serve Redshift Serverless, so ListWorkgroups is answered as the service answers it
(the Workgroup shape of botocore's model, as AWS fills it)."""

from __future__ import annotations

from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.collectors import redshift_serverless_workgroups as svc_workgroups
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import scan

WORKGROUP = "AWS::RedshiftServerless::Workgroup"


def workgroup(name, public=False, routing=False, region="us-east-1", **extra):
    return {"workgroupName": name, "workgroupId": f"{name}-id", "namespaceName": "analytics",
            "workgroupArn": f"arn:aws:redshift-serverless:{region}:123456789012:workgroup/{name}-id",
            "publiclyAccessible": public, "enhancedVpcRouting": routing, "baseCapacity": 8, "maxCapacity": 64,
            "port": 5439, "subnetIds": ["subnet-0a1b2c3d4e5f60718"], "securityGroupIds": ["sg-0a1b2c3d4e5f60718"],
            "configParameters": [{"parameterKey": "require_ssl", "parameterValue": "true"}],
            "status": "AVAILABLE", "creationDate": "2026-01-05T10:00:00Z", **extra}


def seed_full_scan(aws):
    """One workgroup in every region (ListWorkgroups is the collector's only call)."""
    aws.answer("redshift-serverless", "ListWorkgroups", {"workgroups": [workgroup("seed-analytics")]})


def collector():
    return [c for c in all_collectors() if c is svc_workgroups.COLLECTOR]


def scan_with(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=collector())
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def workgroups(stacks):
    return {r.name: r for s in stacks for r in s.resources if r.type == WORKGROUP}


def test_workgroups_have_cloudformation_shape(mocked_aws, live_session):
    mocked_aws.answer("redshift-serverless", "ListWorkgroups", {"workgroups": [
        workgroup("analytics", public=True, routing=True), workgroup("sandbox", configParameters=[])]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    assert result.errors == []
    found = workgroups(stacks)
    assert found["analytics"].props == {
        "WorkgroupName": "analytics", "NamespaceName": "analytics", "PubliclyAccessible": True,
        "EnhancedVpcRouting": True, "BaseCapacity": 8, "MaxCapacity": 64, "Port": 5439,
        "SubnetIds": ["subnet-0a1b2c3d4e5f60718"], "SecurityGroupIds": ["sg-0a1b2c3d4e5f60718"],
        "ConfigParameters": [{"ParameterKey": "require_ssl", "ParameterValue": "true"}]}
    assert found["analytics"].arn == "arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/analytics-id"
    sandbox = found["sandbox"].props
    # false is stated, never left out: a check reads the account's setting, not a template's default
    assert sandbox["PubliclyAccessible"] is False and sandbox["EnhancedVpcRouting"] is False
    assert "ConfigParameters" not in sandbox


def test_a_denied_listing_is_an_error_naming_the_action(mocked_aws, live_session):
    mocked_aws.answer_error("redshift-serverless", "ListWorkgroups", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    (error,) = result.errors
    assert error.api_call == "ListWorkgroups" and error.iam_action == "redshift-serverless:ListWorkgroups"
    assert error.message.startswith("could not read Redshift Serverless workgroups in us-east-1: ")
    assert "AccessDenied" in error.message and workgroups(stacks) == {}


def test_a_denied_namespace_listing_does_not_cost_the_workgroups(mocked_aws, live_session):
    from lakelint.sources.live.collectors import redshift_serverless

    mocked_aws.answer_error("redshift-serverless", "ListNamespaces", "AccessDeniedException", 403)
    mocked_aws.answer("redshift-serverless", "ListWorkgroups", {"workgroups": [workgroup("analytics")]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    plan = ScanPlan.everything(collectors=collector() + [redshift_serverless.COLLECTOR])
    result = scan(session, ["us-east-1"], plan, Progress(False))
    assert [e.api_call for e in result.errors] == ["ListNamespaces"]
    assert list(workgroups(build_stacks(result, plan))) == ["analytics"]


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session, regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    assert sorted((r.region, r.name) for s in stacks for r in s.resources if r.type == WORKGROUP) == [
        ("eu-west-1", "seed-analytics"), ("us-east-1", "seed-analytics")]
    performed = {op for (service, op) in session.guard.operations() if service == "redshift-serverless"}
    assert performed == {c.operation for c in svc_workgroups.COLLECTOR.calls} == {"ListWorkgroups"}
    assert session.guard.calls[("redshift-serverless", "ListWorkgroups")] == 2  # once per region


def test_every_page_is_read(mocked_aws, live_session):
    pages = iter([{"workgroups": [workgroup("first")], "nextToken": "page-2"},
                  {"workgroups": [workgroup("second")]}])
    session = live_session()

    def paged(client):
        if client.meta.service_model.service_name == "redshift-serverless":
            from botocore.awsrequest import AWSResponse

            client.meta.events.register("before-call.redshift-serverless.ListWorkgroups",
                                        lambda **_: (AWSResponse(None, 200, {}, None), next(pages)))

    session.on_client.append(paged)
    result, stacks = scan_with(session)
    assert result.errors == [] and sorted(workgroups(stacks)) == ["first", "second"]


def test_a_region_without_the_service_is_skipped_without_a_call(live_session, monkeypatch):
    session = live_session()
    monkeypatch.setattr(session.boto, "get_available_regions",
                        lambda service, partition="aws", **_: ["us-east-1", "me-south-1"] if service == "ec2"
                        else ["us-east-1"])
    plan = ScanPlan.everything()
    assert svc_workgroups.collect(CollectContext(session, "123456789012", plan), "me-south-1") == []
    assert session.guard.total == 0

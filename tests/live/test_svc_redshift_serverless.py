"""The Redshift Serverless collector: namespaces in CloudFormation's shape.

moto does not serve Redshift Serverless, so ListNamespaces is answered as the service answers it."""

from __future__ import annotations

from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.collectors import redshift_serverless as svc_redshift_serverless
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def namespace(name, key="AWS_OWNED_KMS_KEY", exports=(), region="us-east-1"):
    return {"namespaceName": name, "namespaceId": f"{name}-id",
            "namespaceArn": f"arn:aws:redshift-serverless:{region}:123456789012:namespace/{name}-id",
            "kmsKeyId": key, "logExports": list(exports), "adminUsername": "admin", "dbName": "dev",
            "status": "AVAILABLE", "iamRoles": [], "creationDate": "2026-01-05T10:00:00Z"}


def seed_full_scan(aws):
    """One namespace in every region (ListNamespaces is the collector's only call)."""
    aws.answer("redshift-serverless", "ListNamespaces",
               {"namespaces": [namespace("seed-analytics", exports=["userlog"])]})


def collector():
    return [c for c in all_collectors() if c is svc_redshift_serverless.COLLECTOR]


def scan_with(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=collector())
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def namespaces(stacks):
    return {r.name: r for s in stacks for r in s.resources if r.type == "AWS::RedshiftServerless::Namespace"}


def test_namespaces_have_cloudformation_shape_and_link_their_keys(mocked_aws, live_session):
    key = mocked_aws.client("kms").create_key(Description="analytics")["KeyMetadata"]
    mocked_aws.answer("redshift-serverless", "ListNamespaces", {"namespaces": [
        namespace("analytics", key=key["Arn"], exports=["connectionlog", "useractivitylog"]),
        namespace("sandbox")]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    plan = ScanPlan.everything(collectors=collector() + [c for c in all_collectors() if c.name == "KMS keys"])
    result = scan(session, ["us-east-1"], plan, Progress(False))
    assert result.errors == []
    found = namespaces(build_stacks(result, plan))
    analytics, sandbox = found["analytics"], found["sandbox"]
    assert analytics.props == {"NamespaceName": "analytics", "KmsKeyId": key["Arn"],
                               "LogExports": ["connectionlog", "useractivitylog"], "AdminUsername": "admin",
                               "DbName": "dev"}
    assert analytics.arn == "arn:aws:redshift-serverless:us-east-1:123456789012:namespace/analytics-id"
    assert [k.name for k in analytics.related("kms_keys")] == [key["KeyId"]]
    # AWS_OWNED_KMS_KEY is the AWS owned key: as in a template, no KmsKeyId; no log exported: no LogExports
    assert "KmsKeyId" not in sandbox.props and "LogExports" not in sandbox.props


def test_a_denied_listing_is_an_error_naming_the_action(mocked_aws, live_session):
    mocked_aws.answer_error("redshift-serverless", "ListNamespaces", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session)
    (error,) = result.errors
    assert error.api_call == "ListNamespaces" and error.iam_action == "redshift-serverless:ListNamespaces"
    assert "AccessDenied" in error.message and namespaces(stacks) == {}


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_with(session, regions=("us-east-1", "eu-west-1"))
    assert result.errors == []
    assert sorted((r.region, r.name) for s in stacks for r in s.resources
                  if r.type == "AWS::RedshiftServerless::Namespace") == [
        ("eu-west-1", "seed-analytics"), ("us-east-1", "seed-analytics")]
    performed = {op for (service, op) in session.guard.operations() if service == "redshift-serverless"}
    assert performed == {c.operation for c in svc_redshift_serverless.COLLECTOR.calls}
    assert session.guard.calls[("redshift-serverless", "ListNamespaces")] == 2  # once per region


def test_a_region_without_the_service_is_skipped_without_a_call(live_session, monkeypatch):
    session = live_session()
    monkeypatch.setattr(session.boto, "get_available_regions",
                        lambda service, partition="aws", **_: ["us-east-1", "me-south-1"] if service == "ec2"
                        else ["us-east-1"])
    assert svc_redshift_serverless.collect(CollectContext(session, "123456789012", ScanPlan.everything()), "me-south-1") == []
    assert session.guard.total == 0

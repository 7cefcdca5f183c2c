"""The Athena collector: every workgroup, in ``AWS::Athena::WorkGroup``'s shape."""

from __future__ import annotations

import pytest
from moto_gaps import gap

from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

pytestmark = pytest.mark.skipif(bool(gap("athena")), reason=gap("athena") or "")

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def seed_full_scan(aws):
    """A workgroup besides the account's primary one (which exists anyway): every call is made."""
    aws.client("athena").create_work_group(Name="seed", Configuration={"ResultConfiguration": {
        "OutputLocation": "s3://lake-athena-results/"}})


def collector():
    return [c for c in all_collectors() if c.name == "Athena workgroups"]


def scan_with(session):
    plan = ScanPlan.everything(collectors=collector())
    result = scan(session, ["us-east-1"], plan, Progress(False))
    return result, {(r.type, r.name): r for s in build_stacks(result, plan) for r in s.resources}


def test_workgroups_have_the_cloudformation_shape_and_link_their_key(mocked_aws, live_session):
    kms = mocked_aws.client("kms")
    key = kms.create_key()["KeyMetadata"]
    mocked_aws.client("athena").create_work_group(Name="analysts", Configuration={
        "EnforceWorkGroupConfiguration": True, "ResultConfiguration": {
            "OutputLocation": "s3://lake-athena-results/analysts/",
            "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": key["Arn"]}}})
    kms_collector = [c for c in all_collectors() if c.name == "KMS keys"]
    plan = ScanPlan.everything(collectors=collector() + kms_collector)
    result = scan(live_session(), ["us-east-1"], plan, Progress(False))
    assert result.errors == []
    found = {(r.type, r.name): r for s in build_stacks(result, plan) for r in s.resources}
    analysts = found[("AWS::Athena::WorkGroup", "analysts")]
    configuration = analysts.props["WorkGroupConfiguration"]
    assert analysts.props["Name"] == "analysts" and analysts.props["State"] == "ENABLED"
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["ResultConfiguration"] == {"OutputLocation": "s3://lake-athena-results/analysts/",
                                                    "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS",
                                                                                "KmsKey": key["Arn"]}}
    assert analysts.arn == "arn:aws:athena:us-east-1:123456789012:workgroup/analysts"
    assert [k.name for k in analysts.related("kms_keys")] == [key["KeyId"]]
    primary = found[("AWS::Athena::WorkGroup", "primary")]
    assert primary.props["WorkGroupConfiguration"]["EnforceWorkGroupConfiguration"] is False


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_with(session)
    performed = {op for (service, op) in session.guard.operations() if service == "athena"}
    assert performed == {c.operation for c in collector()[0].calls}
    assert session.guard.calls[("athena", "GetWorkGroup")] == 2  # primary and seed


def test_a_denied_workgroup_read_is_an_unreadable_configuration(mocked_aws, live_session):
    mocked_aws.answer_error("athena", "GetWorkGroup", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, found = scan_with(session)
    value = found[("AWS::Athena::WorkGroup", "primary")].props["WorkGroupConfiguration"]
    assert value.api_call == "GetWorkGroup" and value.iam_action == "athena:GetWorkGroup"
    assert "AccessDenied" in value.reason


def test_a_denied_listing_is_an_error_for_the_region(mocked_aws, live_session):
    mocked_aws.answer_error("athena", "ListWorkGroups", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, found = scan_with(session)
    (error,) = result.errors
    assert (error.api_call, error.iam_action) == ("ListWorkGroups", "athena:ListWorkGroups")
    assert not any(key[0] == "AWS::Athena::WorkGroup" for key in found)


def test_both_workgroup_checks_say_could_not_evaluate_on_an_unreadable_workgroup(mocked_aws, live_session):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    mocked_aws.answer_error("athena", "GetWorkGroup", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL721", "LL722"]}, None), load_checks(plugins=False),
                       regions=["us-east-1"], session=session)
    assert report.findings == []
    assert sorted((e.check, e.resource, e.iam_action) for e in report.errors) == [
        ("LL721", "primary", "athena:GetWorkGroup"), ("LL722", "primary", "athena:GetWorkGroup")]

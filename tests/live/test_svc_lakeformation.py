"""The Lake Formation collector: settings, registrations and grants in CloudFormation's shapes."""

from __future__ import annotations

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.collector import token_pages
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan
from lakelint.sources.live.collectors.lakeformation import LIST_PERMISSIONS

SPECS = load_checks(plugins=False)
ADMIN = "arn:aws:iam::123456789012:role/LakeAdmin"
SERVICE_LINKED = ("arn:aws:iam::123456789012:role/aws-service-role/lakeformation.amazonaws.com/"
                  "AWSServiceRoleForLakeFormationDataAccess")


def seed_full_scan(aws):
    """Settings, a registration and a grant: every Lake Formation call of the collector is made."""
    lf = aws.client("lakeformation")
    lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": ADMIN}]})
    lf.register_resource(ResourceArn="arn:aws:s3:::lake-seed", RoleArn=SERVICE_LINKED)
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": ADMIN}, Permissions=["ALL"],
                         Resource={"Database": {"Name": "seed"}})


def collector():
    return [c for c in all_collectors() if c.name == "Lake Formation"]


def scan_with(session):
    plan = ScanPlan.everything(collectors=collector())
    result = scan(session, ["us-east-1"], plan, Progress(False))
    return result, {(r.type, r.name): r for s in build_stacks(result, plan) for r in s.resources}


def test_records_have_the_cloudformation_shape(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.client("lakeformation").register_resource(ResourceArn="arn:aws:s3:::lake-raw/curated",
                                                         RoleArn="arn:aws:iam::123456789012:role/lf-access")
    mocked_aws.client("lakeformation").grant_permissions(
        Principal={"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}, Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"], Resource={"Table": {"DatabaseName": "seed", "Name": "orders"}})
    result, found = scan_with(live_session())
    assert result.errors == []
    settings = found[("AWS::LakeFormation::DataLakeSettings", "123456789012")]
    assert settings.props["Admins"] == [{"DataLakePrincipalIdentifier": ADMIN}]
    assert settings.props["CreateDatabaseDefaultPermissions"] == []  # replaced by the seed, so empty
    assert settings.arn == "arn:aws:glue:us-east-1:123456789012:catalog" and settings.region == "us-east-1"
    seed = found[("AWS::LakeFormation::Resource", "arn:aws:s3:::lake-seed")]
    assert seed.props == {"ResourceArn": "arn:aws:s3:::lake-seed", "UseServiceLinkedRole": True,
                          "RoleArn": SERVICE_LINKED}
    own_role = found[("AWS::LakeFormation::Resource", "arn:aws:s3:::lake-raw/curated")]
    assert own_role.props["UseServiceLinkedRole"] is False
    grant = found[("AWS::LakeFormation::PrincipalPermissions", f"{ADMIN} on database seed")]
    assert grant.props == {"Principal": {"DataLakePrincipalIdentifier": ADMIN},
                           "Resource": {"Database": {"Name": "seed"}}, "Permissions": ["ALL"],
                           "PermissionsWithGrantOption": []}
    assert grant.arn == "arn:aws:glue:us-east-1:123456789012:database/seed"
    table_grant = found[("AWS::LakeFormation::PrincipalPermissions", "IAM_ALLOWED_PRINCIPALS on table seed.orders")]
    assert table_grant.props["PermissionsWithGrantOption"] == ["SELECT"]
    assert table_grant.arn == "arn:aws:glue:us-east-1:123456789012:table/seed/orders"


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_with(session)
    performed = {op for (service, op) in session.guard.operations() if service == "lakeformation"}
    assert performed == {c.operation for c in collector()[0].calls}


def test_a_denied_settings_read_is_an_unreadable_value(mocked_aws, live_session):
    mocked_aws.answer_error("lakeformation", "GetDataLakeSettings", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, found = scan_with(session)
    value = found[("AWS::LakeFormation::DataLakeSettings", "123456789012")].props["Admins"]
    assert value.api_call == "GetDataLakeSettings" and value.iam_action == "lakeformation:GetDataLakeSettings"
    assert "AccessDenied" in value.reason
    report = lint_live(build_config({"select": ["LL701"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert [f.check for f in report.findings] == []
    (error,) = report.errors
    assert error.check == "LL701" and error.iam_action == "lakeformation:GetDataLakeSettings"


def test_a_denied_registration_listing_makes_locations_unverifiable_not_failing(mocked_aws, live_session):
    mocked_aws.client("glue").create_database(DatabaseInput={"Name": "raw", "LocationUri": "s3://lake-raw/"})
    mocked_aws.answer_error("lakeformation", "ListResources", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL703"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.resource, error.api_call, error.iam_action) == (
        "LL703", "raw", "ListResources", "lakeformation:ListResources")


def test_a_denied_grant_listing_is_unknown_for_the_grant_check(mocked_aws, live_session):
    mocked_aws.answer_error("lakeformation", "ListPermissions", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL704"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.api_call, error.iam_action) == ("LL704", "ListPermissions", "lakeformation:ListPermissions")


class _PagedSession:
    """Answers a token-paged call in three pages, the way Lake Formation and Athena page."""

    def __init__(self):
        self.tokens = []

    def read(self, call, region, **params):
        self.tokens.append(params.get("NextToken"))
        following = {None: "t1", "t1": "t2", "t2": None}[params.get("NextToken")]
        return {"PrincipalResourcePermissions": [{"page": params.get("NextToken")}], "NextToken": following}


def test_token_pages_follow_next_token_to_the_end():
    session = _PagedSession()
    pages = list(token_pages(session, LIST_PERMISSIONS, "us-east-1"))
    assert [p["PrincipalResourcePermissions"][0]["page"] for p in pages] == [None, "t1", "t2"]
    assert session.tokens == [None, "t1", "t2"]


def test_token_pages_stop_when_a_service_repeats_its_token():
    class Stuck(_PagedSession):
        def read(self, call, region, **params):
            self.tokens.append(params.get("NextToken"))
            return {"NextToken": "same"}

    session = Stuck()
    assert len(list(token_pages(session, LIST_PERMISSIONS, "us-east-1"))) == 2


def test_registrations_carry_the_hybrid_access_flag_as_listed(mocked_aws, live_session):
    """ListResources states HybridAccessEnabled per location (moto keeps no such flag, so the listing is
    answered as Lake Formation answers it): true and false are copied, and a location whose
    ResourceInfo leaves it out has no flag, as a template that leaves it out."""
    mocked_aws.answer("lakeformation", "ListResources", {"ResourceInfoList": [
        {"ResourceArn": "arn:aws:s3:::lake-raw", "RoleArn": SERVICE_LINKED, "HybridAccessEnabled": True,
         "WithFederation": False},
        {"ResourceArn": "arn:aws:s3:::lake-curated", "RoleArn": SERVICE_LINKED, "HybridAccessEnabled": False},
        {"ResourceArn": "arn:aws:s3:::lake-archive", "RoleArn": SERVICE_LINKED}]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, found = scan_with(session)
    assert result.errors == []
    flags = {name: record.props.get("HybridAccessEnabled", "absent")
             for (rtype, name), record in found.items() if rtype == "AWS::LakeFormation::Resource"}
    assert flags == {"arn:aws:s3:::lake-raw": True, "arn:aws:s3:::lake-curated": False,
                     "arn:aws:s3:::lake-archive": "absent"}
    report = lint_live(build_config({"select": ["LL705"], "preview": True}, None), SPECS, regions=["us-east-1"],
                       session=session)
    assert [(f.check, f.resource) for f in report.findings] == [("LL705", "arn:aws:s3:::lake-raw")]

"""``--region all`` is quiet and honest: what an emulator lacks is said once per service, account-level
defaults that exist in every region are judged only where the account has data-lake resources (unless
``--region`` names the region or ``live-regions: all`` asks for every region), and progress counts the
regional phase too.
"""

from __future__ import annotations

import io

import pytest
from botocore.awsrequest import AWSResponse

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)
DEFAULTS = ["LL204", "LL413", "LL701", "LL702", "LL711", "LL721", "LL722"]  # account-level, every region


def _enabled_regions(client):
    """The account has two enabled regions (moto would list them all, and build each one's backends)."""
    if client.meta.service_model.service_name != "ec2":
        return
    answer = {"Regions": [{"RegionName": "eu-west-1"}, {"RegionName": "us-east-1"}]}
    client.meta.events.register("before-call.ec2.DescribeRegions", lambda **_: (AWSResponse(None, 200, {}, None), answer))


def _lint(live_session, regions, select=DEFAULTS, **config):
    session = live_session(workers=4)
    session.on_client.append(_enabled_regions)
    settings = build_config({"select": list(select)}, None)
    for key, value in config.items():
        setattr(settings, key, value)  # live_regions: parsed by the configuration, set here directly
    return lint_live(settings, SPECS, regions=regions, session=session)


def _regions_per_check(report) -> dict:
    found = {}
    for finding in report.findings:
        found.setdefault(finding.check, set()).add(finding.region)
    return found


def test_defaults_are_judged_only_where_the_account_holds_data_lake_resources(mocked_aws, live_session, capsys):
    mocked_aws.bucket("lake-raw")  # us-east-1 holds the lake; eu-west-1 nothing but AWS's defaults
    report = _lint(live_session, ["all"])
    assert report.errors == []
    assert _regions_per_check(report) == {code: {"us-east-1"} for code in DEFAULTS}
    err = capsys.readouterr().err
    assert "lakelint: note: 1 region of --region all holds no data-lake resources" in err
    assert "were not judged: eu-west-1 (name a region with --region, or set live-regions: all" in err


def test_a_resource_of_any_judged_type_makes_a_region_active(mocked_aws, live_session):
    """A DynamoDB table makes eu-west-1 active (the scan lists tables because LL513 judges them)."""
    mocked_aws.bucket("lake-raw")
    mocked_aws.client("dynamodb", "eu-west-1").create_table(
        TableName="orders", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id",
                                                                                       "AttributeType": "S"}])
    report = _lint(live_session, ["all"], select=DEFAULTS + ["LL513"])
    assert _regions_per_check(report)["LL413"] == {"us-east-1", "eu-west-1"}
    assert _regions_per_check(_lint(live_session, ["all"]))["LL413"] == {"us-east-1"}  # tables not listed


def test_live_regions_all_judges_every_region(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    report = _lint(live_session, ["all"], live_regions="all")
    assert _regions_per_check(report) == {code: {"us-east-1", "eu-west-1"} for code in DEFAULTS}


def test_a_region_named_on_the_command_line_is_judged_in_full(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    report = _lint(live_session, ["us-east-1", "eu-west-1"])
    assert _regions_per_check(report) == {code: {"us-east-1", "eu-west-1"} for code in DEFAULTS}
    report = _lint(live_session, ["all", "eu-west-1"])
    assert _regions_per_check(report)["LL711"] == {"us-east-1", "eu-west-1"}


def test_an_account_without_data_lake_resources_is_told_not_passed(mocked_aws, live_session, capsys):
    report = _lint(live_session, ["all"])
    assert report.findings == [] and report.errors == []
    assert "2 regions of --region all hold no data-lake resources" in capsys.readouterr().err


def test_progress_counts_the_regional_phase(mocked_aws, live_session, monkeypatch):
    mocked_aws.bucket("lake-raw")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    session = live_session(workers=2)
    lint_live(build_config({"select": ["LL103", "LL201"]}, None), SPECS, regions=["us-east-1", "eu-west-1"],
              session=session, progress=True)
    text = stream.getvalue()
    assert "regional services 2/2" in text and "buckets 1/1" in text


@pytest.fixture
def moto_server_endpoint(monkeypatch):
    import urllib.request

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    try:
        yield url
    finally:
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()
        server.stop()


def test_what_an_emulator_lacks_is_said_once_per_service(moto_server_endpoint, capsys):
    """moto has no Redshift Serverless: three regions, one note (it was one per region)."""
    from lakelint.sources.live.session import LiveSession

    session = LiveSession(workers=2)
    report = lint_live(build_config({"select": ["LL612"]}, None), SPECS,
                       regions=["us-east-1", "eu-west-1", "ap-southeast-2"], session=session)
    assert report.errors == []
    notes = [line for line in capsys.readouterr().err.splitlines() if "skipped Redshift Serverless" in line]
    assert notes == [f"lakelint: note: skipped Redshift Serverless namespaces in ap-southeast-2, eu-west-1, "
                     f"us-east-1: the endpoint {moto_server_endpoint} does not implement redshift-serverless "
                     f"ListNamespaces"]

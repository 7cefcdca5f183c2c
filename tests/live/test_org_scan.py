"""A multi-account run in-process (lakelint/runs/org.py): every account scanned as a one-account scan
through an assumed role, faults kept with their account, the run ended early with what it has."""

from __future__ import annotations

import datetime
import json
import signal
import threading
import time

import pytest
from botocore.exceptions import ClientError
from org_scenario import MANAGEMENT, SELECT, OrgScenario, lake

from lakelint.core.config import ConfigError, build_config
from lakelint.core.exits import report_exit_code
from lakelint.core.isolation import user_interrupts
from lakelint.core.registry import load_checks
from lakelint.reporters import render
from lakelint.runs.live import lint_live
from lakelint.runs.org import OrgRequest, lint_org
from lakelint.runs.org_report import FindingSpool
from lakelint.sources.live.assume import RoleAssumer
from lakelint.sources.live.catalog import SCANNER_CALLS
from lakelint.sources.live.session import LiveSession

SPECS = load_checks(plugins=False)


@pytest.fixture
def org(mocked_aws):
    scenario = OrgScenario()
    scenario.ids_by_name = lake(scenario)
    return scenario


def _config(**settings):
    return build_config({"select": SELECT.split(","), **settings}, None)


def _run(config=None, regions=("us-east-1",), base=None, on_session=None, timeout=None, **request):
    request.setdefault("org", True)
    request.setdefault("role_name", "lakelint-scan")
    base = base or LiveSession(extra_calls=SCANNER_CALLS)
    report = lint_org(config or _config(), SPECS, OrgRequest(**request), regions=list(regions), base_session=base,
                      on_session=on_session, timeout=timeout)
    return report, base


def _by_account(report) -> dict:
    found = {}
    for finding in report.findings:
        found.setdefault(finding.account, set()).add((finding.check, finding.resource))
    return found


def test_every_account_is_scanned_and_its_findings_say_which(org):
    ids = org.ids
    report, base = _run(regions=("us-east-1", "eu-west-1"))
    assert report.errors == []
    assert isinstance(report.findings, FindingSpool)  # kept on disk, not in memory
    found = _by_account(report)
    # raw's account-level Block Public Access covers its buckets (LL101 live)
    assert found[ids["raw"]] == {("LL102", "raw-landing"), ("LL103", "raw-landing")}
    assert found[ids["sandbox"]] == {("LL101", "sandbox-scratch"), ("LL102", "sandbox-scratch"),
                                     ("LL103", "sandbox-scratch"), ("LL302", ids["sandbox"])}
    assert found[ids["curated"]] == {("LL101", "curated-eu"), ("LL302", ids["curated"])}
    assert found[MANAGEMENT] == {("LL302", MANAGEMENT)}  # the management account is an account too
    for finding in report.findings:
        name = {v: k for k, v in ids.items()}.get(finding.account, "master")
        assert finding.account_name == name
        assert finding.ou_path == {"raw": "Root/Data/Prod", "sandbox": "Root/Sandbox"}.get(name, "Root")
        if finding.check != "LL302":  # the account's own record is in every region's stack
            assert finding.region == ("eu-west-1" if finding.resource == "curated-eu" else "us-east-1")
        data = finding.to_dict()
        assert (data["account"], data["account_name"], data["ou_path"]) == (finding.account, name, finding.ou_path)
    assert [a.account for a in report.accounts] == sorted(set(ids.values()) | {MANAGEMENT})
    assert {a.account for a in report.accounts if a.scanned} == set(ids.values()) | {MANAGEMENT}
    assert report.summary()["accounts"] == 4 and report.resources == 4
    assert report_exit_code(report) == 1


def test_calls_per_account_are_exactly_a_one_account_scans(org):
    """The org run's calls in each account, counted by that account's guard, against `lakelint --live`
    in the account alone (the same role, the same plan)."""
    config = _config()
    sessions = {}
    _run(config, regions=("us-east-1", "eu-west-1"), on_session=lambda account, s: sessions.setdefault(account, s))
    assert set(sessions) == set(org.ids.values()) | {MANAGEMENT}
    base = LiveSession(extra_calls=SCANNER_CALLS)
    assumer = RoleAssumer(base, "lakelint-scan")
    for account, in_org in sessions.items():
        alone = LiveSession(boto_session=assumer.session(account))
        lint_live(_config(), SPECS, regions=["us-east-1", "eu-west-1"], session=alone)
        assert dict(in_org.guard.calls) == dict(alone.guard.calls), account
        # account-wide reads once per account, whatever the regions
        assert in_org.guard.calls[("s3", "ListBuckets")] == 1
        assert in_org.guard.calls[("s3control", "GetPublicAccessBlock")] == 1
        assert in_org.guard.calls[("sts", "GetCallerIdentity")] == 1


def test_the_role_is_assumed_once_per_account_and_reused_across_regions(org):
    report, base = _run(regions=("us-east-1", "eu-west-1"))
    accounts = len(org.ids) + 1
    assert base.guard.calls[("sts", "AssumeRole")] == accounts
    assert base.guard.calls[("organizations", "ListAccounts")] == 1
    assert not any(service not in ("sts", "organizations") for service, _ in base.guard.calls)


def test_the_role_session_is_renewed_before_it_expires(mocked_aws):
    base = LiveSession(extra_calls=SCANNER_CALLS)
    session = RoleAssumer(base, "lakelint-scan").session("111122223333")
    credentials = session.get_credentials()
    first = credentials.get_frozen_credentials().access_key
    assert base.guard.calls[("sts", "AssumeRole")] == 1
    # ten minutes left: botocore must assume the role again before using them
    credentials._expiry_time = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=9)
    assert credentials.get_frozen_credentials().access_key != first
    assert base.guard.calls[("sts", "AssumeRole")] == 2
    assert session.client("sts").get_caller_identity()["Account"] == "111122223333"


def _deny_assume_role(into: str):
    """A base-session hook: AssumeRole into ``into`` answers AccessDenied (its trust policy refuses us)."""
    def hook(client):
        if client.meta.service_model.service_name != "sts":
            return

        def refuse(params=None, **_):  # the request: the role ARN is in its (url-encoded) body
            if into in str(params):
                raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"},
                                   "ResponseMetadata": {"HTTPStatusCode": 403}}, "AssumeRole")
        client.meta.events.register("before-call.sts.AssumeRole", refuse)
    return hook


def test_an_account_whose_role_cannot_be_assumed_is_one_error_and_the_rest_is_scanned(org):
    base = LiveSession(extra_calls=SCANNER_CALLS)
    base.on_client.append(_deny_assume_role(org.ids["sandbox"]))
    report, _ = _run(base=base)
    (error,) = report.errors
    assert error.account == org.ids["sandbox"]
    assert error.message.startswith(f"account {org.ids['sandbox']} (sandbox) was not scanned: could not assume the "
                                    f"role arn:aws:iam::{org.ids['sandbox']}:role/lakelint-scan: AccessDenied")
    assert error.iam_action == "sts:AssumeRole"
    assert org.ids["sandbox"] not in _by_account(report)
    assert {org.ids["raw"], org.ids["curated"], MANAGEMENT} <= set(_by_account(report))
    assert report_exit_code(report) == 2
    status = {a.account: a for a in report.accounts}
    assert status[org.ids["sandbox"]].scanned is False and status[org.ids["raw"]].scanned is True


def test_a_suspended_account_is_one_error_and_no_call(org):
    org.close("curated")
    report, base = _run()
    (error,) = report.errors
    assert error.account == org.ids["curated"]
    assert "was not scanned: it is SUSPENDED in AWS Organizations" in error.message
    assert base.guard.calls[("sts", "AssumeRole")] == 3  # raw, sandbox, the management account
    assert report_exit_code(report) == 2


def _deny_everything(client):
    """An account behind an SCP that denies all: every call but GetCallerIdentity is refused."""
    def refuse(model=None, **_):
        if model.name != "GetCallerIdentity":
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "explicit deny in an SCP"},
                               "ResponseMetadata": {"HTTPStatusCode": 403}}, model.name)
    client.meta.events.register("before-call.*.*", refuse)


def test_an_account_whose_every_call_is_denied_is_one_error(org):
    def hook(account, session):
        if account == org.ids["raw"]:
            session.on_client.append(_deny_everything)

    report, _ = _run(regions=("us-east-1", "eu-west-1"), on_session=hook)
    (error,) = report.errors
    assert error.account == org.ids["raw"]
    assert "was not scanned: every call was denied" in error.message
    assert "lakelint --print-iam-policy" in error.message and "SCP" in error.message
    assert org.ids["raw"] not in _by_account(report) and org.ids["sandbox"] in _by_account(report)


def test_named_accounts_without_the_organisation(org):
    report, base = _run(org=False, accounts=[org.ids["raw"], org.ids["sandbox"]], exclude=[org.ids["sandbox"]])
    assert set(_by_account(report)) == {org.ids["raw"]}
    assert not any(service == "organizations" for service, _ in base.guard.calls)
    assert all(f.account_name is None and f.ou_path is None for f in report.findings)
    assert "account_name" not in next(iter(report.findings)).to_dict()
    assert [a.state for a in report.accounts] == [None]


def test_a_named_account_outside_the_organisation_is_an_error(org):
    report, _ = _run(accounts=[org.ids["raw"], "999988887777"])
    (error,) = report.errors
    assert error.account == "999988887777" and "not an account of the organisation" in error.message
    assert set(_by_account(report)) == {org.ids["raw"]}


def test_ctrl_c_writes_what_was_judged_and_names_the_rest(org):
    """Three accounts, one at a time; Ctrl-C arrives while the second is being read."""
    order = []

    def hook(account, session):
        order.append(account)
        if len(order) == 2:
            signal.raise_signal(signal.SIGINT)  # delivered to the main thread, which waits for this scan
            time.sleep(0.5)

    with user_interrupts():
        report, _ = _run(on_session=hook, max_in_flight=1, exclude=[MANAGEMENT])
    first = order[0]
    assert set(_by_account(report)) == {first}
    messages = [e.message for e in report.errors]
    assert any("the run was interrupted (Ctrl-C): 2 accounts were not scanned, 1 was" in m for m in messages)
    not_scanned = {e.account for e in report.errors if "was not scanned: the run was interrupted" in e.message}
    assert not_scanned == set(org.ids.values()) - {first}
    assert report_exit_code(report) == 2
    text = render(report, "text")
    assert "(the run is incomplete)" in text


def test_the_timeout_names_the_accounts_it_did_not_reach(org):
    """One account at a time; the first one's scan outlasts the run's deadline. (The deadline leaves
    room for listing the organisation and loading the service models on a loaded machine: at 6 s, a
    2-core machine at load 20 once reached no account at all.)"""
    started = []

    def slow(account, session):
        started.append(account)
        time.sleep(max(0.0, session.deadlines.run_end - time.monotonic()) + 0.1)

    report, _ = _run(on_session=slow, max_in_flight=1, timeout=10, exclude=[MANAGEMENT])
    assert len(started) == 1
    not_reached = [e for e in report.errors if "--timeout of 10 s ran out before it started" in e.message]
    assert len(not_reached) == 2 and started[0] not in {e.account for e in not_reached}
    cut_short = [e for e in report.errors if e.account == started[0]]
    assert any("--timeout of 10 s ran out" in e.message for e in cut_short)  # the first: unread, said so
    assert report_exit_code(report) == 2


def test_per_account_ignores_by_id_and_by_ou_path(org):
    config = _config(**{"per-account-ignores": {
        org.ids["raw"]: {"checks": ["LL103"], "reason": "raw data expires by a nightly job"},
        "Root/Sandbox": {"checks": ["LL1"], "reason": "sandboxes hold no production data"},
        "Root/Data": {"checks": ["s3-sse-kms"], "reason": "expired", "until": "2020-01-01"},
    }})
    report, _ = _run(config)
    suppressed = {(f.account, f.check): f.suppression_reason for f in report.findings if f.suppressed}
    assert suppressed == {
        (org.ids["raw"], "LL103"): "raw data expires by a nightly job",
        (org.ids["sandbox"], "LL101"): "sandboxes hold no production data",
        (org.ids["sandbox"], "LL102"): "sandboxes hold no production data",
        (org.ids["sandbox"], "LL103"): "sandboxes hold no production data",
    }
    active = {(f.account, f.check) for f in report.findings if not f.suppressed}
    assert (org.ids["raw"], "LL102") in active  # the expired entry no longer applies
    assert (org.ids["sandbox"], "LL302") in active
    data = json.loads(render(report, "json"))
    assert data["summary"]["suppressed"] == 4
    assert "sandbox-scratch" not in render(report, "text")


def test_per_account_ignores_apply_to_a_one_account_scan_by_id(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    config = _config(**{"per-account-ignores": {mocked_aws.account_id: {"checks": ["LL103"], "reason": "why"},
                                                "Root": {"checks": ["LL102"], "reason": "no OU path here"}}})
    report = lint_live(config, SPECS, regions=["us-east-1"], session=live_session(workers=2))
    assert {f.check for f in report.findings if f.suppressed} == {"LL103"}
    assert {f.check for f in report.findings if not f.suppressed} >= {"LL101", "LL102"}


def test_an_unknown_check_in_per_account_ignores_is_a_usage_error(org):
    config = _config(**{"per-account-ignores": {org.ids["raw"]: {"checks": ["LL999"], "reason": "x"}}})
    with pytest.raises(ConfigError, match="names unknown check LL999"):
        _run(config)


@pytest.mark.parametrize("settings, message", [
    ({"per-account-ignores": {"111122223333": {"checks": ["LL103"]}}}, "has no reason"),
    ({"per-account-ignores": {"111122223333": {"reason": "x"}}}, "names no checks"),
    ({"per-account-ignores": {"111122223333": ["LL103"]}}, "a mapping of account ids"),
    ({"per-account-ignores": {"12345": {"checks": ["LL103"], "reason": "x"}}}, "a mapping of account ids"),
    ({"max-accounts-in-flight": 0}, "a positive whole number"),
    ({"api-concurrency": "many"}, "a positive whole number"),
])
def test_bad_multi_account_config_is_a_usage_error(settings, message):
    with pytest.raises(ConfigError, match=message):
        build_config(settings, None)


def test_the_per_api_limit_bounds_concurrent_calls_of_one_operation(mocked_aws):
    from concurrent.futures import ThreadPoolExecutor

    from lakelint.sources.live.collectors.s3_buckets import LIST_BUCKETS
    from lakelint.sources.live.collectors.vpc_endpoints import DESCRIBE_VPC_ENDPOINTS

    session = LiveSession(workers=8, api_concurrency=2)
    running, peak, lock = {}, {}, threading.Lock()

    def slow(model=None, **_):
        with lock:
            running[model.name] = running.get(model.name, 0) + 1
            peak[model.name] = max(peak.get(model.name, 0), running[model.name])
        time.sleep(0.05)
        with lock:
            running[model.name] -= 1

    session.on_client.append(lambda client: client.meta.events.register("before-call.*.*", slow))
    calls = [LIST_BUCKETS] * 8 + [DESCRIBE_VPC_ENDPOINTS] * 8
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda call: list(session.pages(call)) if call is DESCRIBE_VPC_ENDPOINTS else session.read(call),
                      calls))
    assert peak == {"ListBuckets": 2, "DescribeVpcEndpoints": 2}  # per operation, not per session


def test_each_accounts_inventory_is_freed_as_soon_as_it_is_judged(org, monkeypatch):
    """Memory flat in the number of accounts: when an account has been judged, nothing of its inventory
    is left, even with Python's automatic collection off (a run of hundreds of accounts would otherwise
    hold every inventory until a full collection happened to come by)."""
    import gc
    import weakref

    import lakelint.runs.org as org_run
    from lakelint.sources.live.progress import Progress

    built = []  # weak references to every stack and resource an account's scan made
    real_build = org_run.build_stacks

    def build_stacks(result, plan=None):
        stacks = real_build(result, plan)
        built.extend(weakref.ref(item) for stack in stacks for item in [stack, *stack.resources])
        return stacks

    alive_after_each = []
    real_step = Progress.step

    def step(self, label=None):
        if label == "accounts":  # an account has just been judged
            alive_after_each.append(sum(1 for ref in built if ref() is not None))
        return real_step(self, label)

    monkeypatch.setattr(org_run, "build_stacks", build_stacks)
    monkeypatch.setattr(Progress, "step", step)
    enabled = gc.isenabled()
    gc.disable()
    try:
        report, _ = _run(regions=("us-east-1", "eu-west-1"), max_in_flight=1)
    finally:
        if enabled:
            gc.enable()
    assert report.errors == [] and built
    assert alive_after_each == [0] * (len(org.ids) + 1)


def test_sarif_results_carry_the_accounts_name_and_ou_path(org):
    report, _ = _run()
    results = json.loads(render(report, "sarif"))["runs"][0]["results"]
    by_account = {r["properties"]["account"]: r["properties"] for r in results}
    raw = by_account[org.ids["raw"]]
    assert (raw["accountName"], raw["ouPath"], raw["region"]) == ("raw", "Root/Data/Prod", "us-east-1")
    assert (by_account[MANAGEMENT]["accountName"], by_account[MANAGEMENT]["ouPath"]) == ("master", "Root")

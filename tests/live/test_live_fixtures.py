"""Every live-capable check against its live scenarios, through the live source and the engine.

# Live scenario format: ``fixtures/LLxxx/live.py``

A plain Python module, one per check folder, holding **scenario functions** and the findings they
must produce. Each scenario builds an account's state with real boto3 calls; the test runs it under
moto's ``mock_aws`` (a fresh, empty account ``123456789012`` every time), then runs
``lint_live`` with only that check selected (as ``--select LLxxx`` would) and compares findings.

- ``def pass_<what>(aws): ...`` builds an account on which the check must report **nothing**.
- ``def fail_<what>(aws): ...`` builds one on which it must report **exactly** ``EXPECTED[name]``.
- ``EXPECTED = {"fail_<what>": [...]}``: every finding of the check, order not significant. An
  entry is ``("LL101", "bucket-name")`` or a dict ``{"check", "resource"}`` with optional
  ``"severity"``, ``"region"`` and ``"message"`` (a substring the message must contain).
- ``CONFIG = {...}`` (optional): configuration keys for every scenario of the module, as
  ``.lakelint.yaml`` would set them (``{"bucket-quota": 5}``).
- ``REGIONS = [...]`` (optional): the regions scanned, as ``--region`` (default ``["us-east-1"]``).
  Buckets are always scanned wherever they are; regions choose where regional resources are read.

Where moto does not serve an API, a scenario answers it itself: ``aws.answer(service, operation,
response, region=None)`` (or ``aws.answer_error(service, operation, code, status)``) makes the scanned
clients return that response for that operation, shaped like the real service's.

``aws`` is the helper in ``tests/live/conftest.py``: ``aws.s3``, ``aws.s3control``, ``aws.ec2``,
``aws.client(service, region)`` are boto3 clients on the mocked account; ``aws.bucket(name,
region=None)``, ``aws.public_access_block(bucket, **settings)``, ``aws.account_public_access_block``,
``aws.encryption``, ``aws.lifecycle`` and ``aws.vpc_endpoint(label, service, kind, policy, region)``
save typing. Resources whose ids AWS picks (VPC endpoints) get a label through
``aws.alias(real_id, label)`` (``vpc_endpoint`` does it), and expected findings name the label.

Scenarios must run cleanly: any error entry (a "could not evaluate") fails the test. Faults are
tested on their own in ``test_live_faults.py``. Every check whose sources include "live" needs at
least three passing and three failing scenarios.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from moto_gaps import scanned_services, skip_unserved

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SPECS = load_checks(plugins=False)
LIVE_SPECS = [s for s in SPECS if "live" in s.sources and s.scope not in ("suppressions", "drift")]


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"lakelint_live_fixture_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scenario_modules() -> dict:
    return {path.parent.name: load_module(path) for path in sorted(FIXTURES.glob("LL*/live.py"))}


MODULES = scenario_modules()


def scenarios(module) -> list:
    return sorted(name for name, value in vars(module).items()
                  if callable(value) and name.startswith(("pass_", "fail_")))


def _cases():
    return [pytest.param(code, name, id=f"{code}/{name}") for code, module in MODULES.items()
            for name in scenarios(module)]


def normalise(entry) -> dict:
    if isinstance(entry, (tuple, list)):
        check, resource = entry
        return {"check": check, "resource": resource}
    return dict(entry)


@pytest.mark.parametrize("code, name", _cases())
def test_live_scenario(code, name, mocked_aws, live_session):
    module = MODULES[code]
    assert code in {s.code for s in SPECS}, f"fixtures/{code}/live.py names no known check"
    config = build_config({"select": [code], "preview": True, **getattr(module, "CONFIG", {})}, None)
    skip_unserved(scanned_services(config))
    getattr(module, name)(mocked_aws)
    session = live_session(workers=4)
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(config, SPECS, regions=getattr(module, "REGIONS", ["us-east-1"]), session=session)
    assert report.errors == [], [e.message for e in report.errors]
    findings = [f for f in report.findings if f.check == code]
    for finding in findings:
        assert finding.source == "live" and finding.account == mocked_aws.account_id and finding.arn, finding
    got = sorted((f.check, mocked_aws.aliases.get(f.resource, f.resource)) for f in findings)
    if name.startswith("pass_"):
        assert got == [], [f.message for f in findings]
        return
    expected = [normalise(e) for e in getattr(module, "EXPECTED", {}).get(name, [])]
    assert expected, f"{name} has no entry in EXPECTED of fixtures/{code}/live.py"
    assert got == sorted((e["check"], e["resource"]) for e in expected), [f.message for f in findings]
    by_resource = {mocked_aws.aliases.get(f.resource, f.resource): f for f in findings}
    for entry in expected:
        finding = by_resource[entry["resource"]]
        if "severity" in entry:
            assert finding.severity == entry["severity"], finding
        if "region" in entry:
            assert finding.region == entry["region"], finding
        if "message" in entry:
            assert entry["message"] in finding.message, finding.message


def test_expected_names_only_existing_failing_scenarios():
    for code, module in MODULES.items():
        names = set(scenarios(module))
        for name in getattr(module, "EXPECTED", {}):
            assert name.startswith("fail_") and name in names, f"fixtures/{code}/live.py: EXPECTED[{name!r}]"


@pytest.mark.parametrize("spec", LIVE_SPECS, ids=lambda s: s.code)
def test_every_live_check_has_scenarios(spec):
    module = MODULES.get(spec.code)
    assert module is not None, f"{spec.code} supports live mode but has no fixtures/{spec.code}/live.py"
    names = scenarios(module)
    assert len([n for n in names if n.startswith("pass_")]) >= 3, f"{spec.code} needs three passing scenarios"
    assert len([n for n in names if n.startswith("fail_")]) >= 3, f"{spec.code} needs three failing scenarios"

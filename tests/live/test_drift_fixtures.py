"""Every drift check against its scenarios, through ``--live --compare``'s own run (in-process moto).

# Drift scenario format: ``fixtures/LL8xx/drift.py`` and ``fixtures/LL8xx/templates/``

A drift check (scope ``"drift"``) judges a resource's two verdicts, in its template and in the account,
so a scenario needs both: templates, stacks deployed from them, and an account changed by hand.

- ``templates/`` holds the templates the comparison reads (``--compare templates``).
- ``def pass_<what>(aws, deploy): ...`` builds an account on which the check must report **nothing**;
  ``def fail_<what>(aws, deploy): ...`` one on which it must report **exactly** ``EXPECTED[name]``.
  ``deploy(stack_name, template_file, **parameters)`` creates a stack from ``templates/<template_file>``
  with CloudFormation's ``CreateStack`` on moto (in us-east-1) and returns its {logical id: physical id};
  ``aws`` is the live scenarios' helper (tests/live/conftest.py: ``aws.s3``, ``aws.public_access_block``,
  ...), for the changes made by hand and for what moto's CloudFormation does not deploy.
- ``SELECT = [...]``: the checks compared (the run selects them and the drift check, as ``--select``).
- ``EXPECTED = {"fail_<what>": [(drift code, underlying check, logical id, template file, line), ...]}``.

Scenarios must run cleanly: any error entry (a side that could not be evaluated) fails the test. Every
drift check needs at least three passing and three failing scenarios.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.compare import lint_drift

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SPECS = load_checks(plugins=False)
DRIFT_SPECS = [s for s in SPECS if s.scope == "drift"]


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(f"lakelint_drift_fixture_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODULES = {path.parent.name: _module(path) for path in sorted(FIXTURES.glob("LL*/drift.py"))}


def _scenarios(module) -> list:
    return sorted(n for n, v in vars(module).items() if callable(v) and n.startswith(("pass_", "fail_")))


@pytest.mark.parametrize("code, name", [pytest.param(c, n, id=f"{c}/{n}") for c, m in MODULES.items()
                                        for n in _scenarios(m)])
def test_drift_scenario(code, name, mocked_aws, live_session, monkeypatch):
    module = MODULES[code]
    folder = FIXTURES / code

    def deploy(stack: str, template: str, **parameters) -> dict:
        cloudformation = mocked_aws.client("cloudformation")
        cloudformation.create_stack(StackName=stack, TemplateBody=(folder / "templates" / template).read_text(),
                                    Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
        listed = cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
        return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in listed if r["LogicalResourceId"]}

    getattr(module, name)(mocked_aws, deploy)
    config = build_config({"select": [*module.SELECT, code], "preview": True}, None)
    session = live_session(workers=4)
    session.on_client.append(mocked_aws.install_answers)
    monkeypatch.chdir(folder)
    report = lint_drift(["templates"], config, SPECS, regions=["us-east-1"], session=session)
    assert report.errors == [], [e.message for e in report.errors]
    assert {f.check for f in report.findings} <= {code}
    got = sorted((f.check, f.drift["check"], f.resource, Path(f.file).name, f.line) for f in report.findings)
    if name.startswith("pass_"):
        assert got == [], [f.message for f in report.findings]
        return
    assert name in module.EXPECTED, f"{name} has no entry in EXPECTED of fixtures/{code}/drift.py"
    assert got == sorted(module.EXPECTED[name]), [f.message for f in report.findings]
    for finding in report.findings:
        assert finding.arn and finding.account == mocked_aws.account_id
        assert finding.drift["template"]["verdict"] != finding.drift["live"]["verdict"]


def test_expected_names_only_existing_failing_scenarios():
    for code, module in MODULES.items():
        for name in module.EXPECTED:
            assert name.startswith("fail_") and name in _scenarios(module), f"fixtures/{code}/drift.py: {name}"


@pytest.mark.parametrize("spec", DRIFT_SPECS, ids=lambda s: s.code)
def test_every_drift_check_has_scenarios(spec):
    module = MODULES.get(spec.code)
    assert module is not None, f"{spec.code} is a drift check without fixtures/{spec.code}/drift.py"
    names = _scenarios(module)
    assert len([n for n in names if n.startswith("pass_")]) >= 3, f"{spec.code} needs three passing scenarios"
    assert len([n for n in names if n.startswith("fail_")]) >= 3, f"{spec.code} needs three failing scenarios"

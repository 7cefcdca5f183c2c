"""``lakelint --print-scan-role``: CloudFormation for the read-only scan role, with exactly the policy of
``--print-iam-policy``, that cfn-lint validates and lakelint's own checks pass."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import yaml

from lakelint.cli import main

CFN_LINT = [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"]


def _printed(*args) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


def _role(template: dict) -> dict:
    return template["Resources"]["ScanRole"]["Properties"]


@pytest.mark.parametrize("selection", [(), ("--select", "LL1"), ("--ignore", "LL7")])
def test_the_role_has_exactly_the_iam_policy(selection):
    policy = json.loads(_printed("--print-iam-policy", *selection))
    template = yaml.safe_load(_printed("--print-scan-role", *selection))
    (inline,) = _role(template)["Policies"]
    assert inline["PolicyDocument"] == policy
    as_json = json.loads(_printed("--print-scan-role", "--format", "json", *selection))
    assert as_json == template


def test_the_trust_policy_names_the_scanning_account_and_the_external_id():
    template = yaml.safe_load(_printed("--print-scan-role", "--format", "cloudformation"))
    (trust,) = _role(template)["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${ScanningAccountId}:root"}}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"]["Fn::If"][0] == "HasExternalId"
    assert template["Parameters"]["RoleName"]["Default"] == "lakelint-scan"
    assert "AWS::AccountId" not in json.dumps(template)  # nothing account-specific: StackSet-ready as it is


def test_the_stackset_variant_deploys_the_same_role_to_the_organisation():
    stackset = yaml.safe_load(_printed("--print-scan-role", "stackset"))
    properties = stackset["Resources"]["ScanRoleStackSet"]["Properties"]
    assert stackset["Resources"]["ScanRoleStackSet"]["Type"] == "AWS::CloudFormation::StackSet"
    assert properties["PermissionModel"] == "SERVICE_MANAGED" and properties["AutoDeployment"]["Enabled"] is True
    assert properties["Capabilities"] == ["CAPABILITY_NAMED_IAM"]
    assert json.loads(properties["TemplateBody"]) == yaml.safe_load(_printed("--print-scan-role"))


def test_cfn_lint_validates_both_templates_and_lakelint_passes_them(tmp_path):
    for kind in ("role", "stackset"):
        (tmp_path / f"{kind}.yaml").write_text(_printed("--print-scan-role", kind), encoding="utf-8")
        (tmp_path / f"{kind}.json").write_text(_printed("--print-scan-role", kind, "-f", "json"), encoding="utf-8")
    done = subprocess.run([*CFN_LINT, *sorted(str(p) for p in tmp_path.iterdir())], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([str(tmp_path), "--preview"]) == 0, out.getvalue()
    assert "All checks passed!" in out.getvalue()


@pytest.mark.parametrize("args, message", [
    (["--print-scan-role", "--format", "sarif"], "--print-scan-role prints CloudFormation"),
    (["--print-scan-role", "--select", "LL999"], "unknown check code or name: LL999"),
    (["--format", "cloudformation", "."], "--format cloudformation is for --print-scan-role"),
])
def test_usage_errors(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_printing_the_scan_role_does_not_import_boto3():
    root = Path(__file__).resolve().parent.parent
    code = ("import sys; from lakelint.cli import main; import io, contextlib; "
            "contextlib.redirect_stdout(io.StringIO()).__enter__(); main(['--print-scan-role']); "
            "bad = [m for m in ('boto3', 'botocore') if m in sys.modules]; assert not bad, bad")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

"""``lakelint --print-scan-role``: CloudFormation for the read-only role a multi-account run assumes.

Two templates, both generated from the policy ``--print-iam-policy`` prints for the same selection
(``--select``/``--ignore`` and ``bucket-quota``), so the role grants exactly what the scan calls:

- ``role``: the role itself (``AWS::IAM::Role``), with that policy inline and a trust policy for the
  scanning account (``ScanningAccountId``), optionally requiring an external id. It has no account- or
  region-specific literal, so it is ready to be a StackSet's template as it is, or a plain stack in
  one account (the management account, which a service-managed StackSet never deploys to);
- ``stackset``: for the management account (or a StackSets delegated administrator): an
  ``AWS::CloudFormation::StackSet`` with service-managed permissions and automatic deployment, whose
  template is the role above, rolled out to the OUs named (the root id for the whole organisation) and
  to every account that joins them later.

Rendered as YAML (``--format cloudformation``, the default) or JSON (``--format json``), in
CloudFormation's long function form (``Fn::Sub``), which every YAML and JSON reader takes.
"""

from __future__ import annotations

import json

from lakelint.sources.live.assume import SESSION_SECONDS

DEFAULT_ROLE_NAME = "lakelint-scan"
KINDS = ("role", "stackset")


def _parameters() -> dict:
    return {
        "ScanningAccountId": {
            "Type": "String", "AllowedPattern": "^[0-9]{12}$",
            "Description": "The account lakelint runs in: its principals (with sts:AssumeRole) may assume the role",
        },
        "RoleName": {
            "Type": "String", "Default": DEFAULT_ROLE_NAME, "AllowedPattern": "^[\\w+=,.@-]{1,64}$",
            "Description": "The role's name: lakelint --live --org --role-name NAME",
        },
        "ExternalId": {
            "Type": "String", "Default": "",
            "Description": "Optional: when set, lakelint must pass --external-id with this value",
        },
    }


def role_template(policy: dict) -> dict:
    """The read-only scan role with ``policy`` (``iam.policy(plan)``) inline."""
    trust = {"Effect": "Allow",
             "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${ScanningAccountId}:root"}},
             "Action": "sts:AssumeRole",
             "Condition": {"Fn::If": ["HasExternalId", {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
                                      {"Ref": "AWS::NoValue"}]}}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "lakelint's read-only scan role: exactly the actions of lakelint --print-iam-policy, "
                       "assumable from the scanning account (lakelint --print-scan-role)",
        "Parameters": _parameters(),
        "Conditions": {"HasExternalId": {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExternalId"}, ""]}]}},
        "Resources": {
            "ScanRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Ref": "RoleName"},
                    "Description": "Read-only role lakelint assumes to lint this account's data lake",
                    "MaxSessionDuration": SESSION_SECONDS,
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
                    "Policies": [{"PolicyName": "lakelint-read-only", "PolicyDocument": policy}],
                    "Tags": [{"Key": "managed-by", "Value": "lakelint"}],
                },
            },
        },
        "Outputs": {"RoleArn": {"Description": "The role lakelint assumes", "Value": {"Fn::GetAtt": ["ScanRole", "Arn"]}}},
    }


def stackset_template(policy: dict) -> dict:
    """A service-managed StackSet that deploys ``role_template(policy)`` to the OUs named."""
    parameters = _parameters()
    parameters["OrganizationalUnitIds"] = {
        "Type": "CommaDelimitedList",
        "Description": "Where to deploy the role: OU ids, or the root id (r-...) for the whole organisation",
    }
    parameters["DeploymentRegion"] = {
        "Type": "String", "Default": "us-east-1",
        "Description": "One region to deploy the stacks in (an IAM role is global)",
    }
    body = json.dumps(role_template(policy), separators=(",", ":"))
    passed = [{"ParameterKey": key, "ParameterValue": {"Ref": key}} for key in ("ScanningAccountId", "RoleName",
                                                                              "ExternalId")]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Deploys lakelint's read-only scan role to every account of the OUs named, and to accounts "
                       "that join them later (lakelint --print-scan-role stackset)",
        "Parameters": parameters,
        "Resources": {
            "ScanRoleStackSet": {
                "Type": "AWS::CloudFormation::StackSet",
                "Properties": {
                    "StackSetName": "lakelint-scan-role",
                    "Description": "lakelint's read-only scan role",
                    "PermissionModel": "SERVICE_MANAGED",
                    "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
                    "ManagedExecution": {"Active": True},
                    "Capabilities": ["CAPABILITY_NAMED_IAM"],
                    "OperationPreferences": {"FailureTolerancePercentage": 10, "MaxConcurrentPercentage": 25},
                    "Parameters": passed,
                    "StackInstancesGroup": [{
                        "DeploymentTargets": {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}},
                        "Regions": [{"Ref": "DeploymentRegion"}],
                    }],
                    "TemplateBody": body,
                },
            },
        },
    }


def render(policy: dict, kind: str = "role", fmt: str = "cloudformation") -> str:
    """The template of ``kind`` as YAML (``cloudformation``) or JSON (``json``)."""
    template = stackset_template(policy) if kind == "stackset" else role_template(policy)
    if fmt == "json":
        return json.dumps(template, indent=2) + "\n"
    import yaml

    return yaml.safe_dump(template, sort_keys=False, default_flow_style=False, width=120)

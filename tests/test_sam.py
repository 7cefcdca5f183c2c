"""AWS SAM: SimpleTables are checked as the AWS::DynamoDB::Table SAM makes of them, where they are written.

The mapping in lakelint/sources/cloudformation/sam.py is compared with AWS's own translator
(aws-sam-translator, in the test extra) for every SimpleTable shape below: the tables must be equal,
and a template the translator refuses must be one lakelint reports a problem for.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lakelint.core.config import Config
from lakelint.core.engine import Engine
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates
from lakelint.sources.cloudformation import sam
from lakelint.sources.cloudformation.loader import parse
from lakelint.sources.cloudformation.source import display_path, load_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SPECS = load_checks(plugins=False)
TRANSFORM = "AWS::Serverless-2016-10-31"
TABLE_CHECKS = ["LL511", "LL512", "LL513", "LL514"]


def _table(properties=None, **attributes):
    body = {"Type": sam.SIMPLE_TABLE, **attributes}
    if properties is not None:
        body["Properties"] = properties
    return body


IS_PROD = {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
ENV = {"Env": {"Type": "String", "AllowedValues": ["dev", "prod"], "Default": "dev"}}
KMS = {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/lake"}

# SimpleTable shapes SAM accepts: lakelint must make exactly the table the translator makes.
ACCEPTED = {
    "no properties": {"Resources": {"T": _table()}},
    "empty properties": {"Resources": {"T": _table({})}},
    "primary key string": {"Resources": {"T": _table({"PrimaryKey": {"Name": "pk", "Type": "String"}})}},
    "primary key number": {"Resources": {"T": _table({"PrimaryKey": {"Name": "n", "Type": "Number"}})}},
    "primary key binary": {"Resources": {"T": _table({"PrimaryKey": {"Name": "b", "Type": "Binary"}})}},
    "provisioned": {"Resources": {"T": _table({"ProvisionedThroughput": {"ReadCapacityUnits": 5,
                                                                         "WriteCapacityUnits": 2}})}},
    "provisioned from parameters": {
        "Parameters": {"Rcu": {"Type": "Number", "Default": 5}},
        "Resources": {"T": _table({"ProvisionedThroughput": {"ReadCapacityUnits": {"Ref": "Rcu"},
                                                             "WriteCapacityUnits": {"Ref": "Rcu"}}})}},
    "provisioned under Fn::If": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Resources": {"T": _table({"ProvisionedThroughput": {"Fn::If": [
            "IsProd", {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}, {"Ref": "AWS::NoValue"}]}})}},
    "provisioned empty": {"Resources": {"T": _table({"ProvisionedThroughput": {}})}},
    "provisioned of one key, as text": {  # SAM takes any mapping of one key for an intrinsic: unchecked
        "Resources": {"T": _table({"ProvisionedThroughput": {"ReadCapacityUnits": "5"}})}},
    "sse kms": {"Resources": {"T": _table({"SSESpecification": KMS})}},
    "sse under Fn::If": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Resources": {"T": _table({"SSESpecification": {"Fn::If": ["IsProd", KMS, {"Ref": "AWS::NoValue"}]}})}},
    "sse from a parameter": {
        "Parameters": {"Sse": {"Type": "String", "AllowedValues": ["true", "false"]}},
        "Resources": {"T": _table({"SSESpecification": {"SSEEnabled": {"Ref": "Sse"}}})}},
    "sse null": {"Resources": {"T": _table({"SSESpecification": None})}},
    "sse empty": {"Resources": {"T": _table({"SSESpecification": {}})}},
    "pitr": {"Resources": {"T": _table({"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})}},
    "pitr under Fn::If": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Resources": {"T": _table({"PointInTimeRecoverySpecification": {
            "PointInTimeRecoveryEnabled": {"Fn::If": ["IsProd", True, False]}}})}},
    "pitr false": {"Resources": {"T": _table({"PointInTimeRecoverySpecification": False})}},
    "table name": {"Resources": {"T": _table({"TableName": "orders"})}},
    "table name sub": {"Resources": {"T": _table({"TableName": {"Fn::Sub": "${AWS::StackName}-orders"}})}},
    "table name empty": {"Resources": {"T": _table({"TableName": ""})}},
    "tags": {"Parameters": ENV,
             "Resources": {"T": _table({"Tags": {"team": "data", "env": {"Ref": "Env"}, "empty": None}})}},
    "tags empty": {"Resources": {"T": _table({"Tags": {}})}},
    "every property": {"Resources": {"T": _table({
        "PrimaryKey": {"Name": "pk", "Type": "String"}, "TableName": "t",
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}, "SSESpecification": KMS,
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}, "Tags": {"a": "b"}})}},
    "resource attributes": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"},
                      "T": _table({}, Condition="IsProd", DependsOn="Topic", DeletionPolicy="Retain",
                                  UpdateReplacePolicy="Retain",
                                  Metadata={"lakelint": {"ignore": [{"id": "LL513", "reason": "r"}]}})}},
    "globals sse": {"Globals": {"SimpleTable": {"SSESpecification": KMS}},
                    "Resources": {"T": _table(), "U": _table({"TableName": "u"})}},
    "globals merged key by key": {
        "Globals": {"SimpleTable": {"SSESpecification": KMS}},
        "Resources": {"T": _table({"SSESpecification": {"SSEEnabled": False}})}},
    "globals Fn::If, local mapping": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Globals": {"SimpleTable": {"SSESpecification": {"Fn::If": ["IsProd", KMS, {"Ref": "AWS::NoValue"}]}}},
        "Resources": {"T": _table({"SSESpecification": {"SSEEnabled": True}})}},
    "globals mapping, local Fn::If": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Globals": {"SimpleTable": {"SSESpecification": KMS}},
        "Resources": {"T": _table({"SSESpecification": {"Fn::If": ["IsProd", {"SSEEnabled": True},
                                                                   {"Ref": "AWS::NoValue"}]}})}},
    "globals nested Fn::If value": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Globals": {"SimpleTable": {"SSESpecification": {"SSEEnabled": {"Fn::If": ["IsProd", True, False]}}}},
        "Resources": {"T": _table({"SSESpecification": {"SSEType": "KMS"}})}},
    "globals for other types only": {
        "Globals": {"Function": {"Timeout": 10}},
        "Resources": {"T": _table({"TableName": "t"})}},
    "ignore every global": {"Globals": {"SimpleTable": {"SSESpecification": KMS}},
                            "Resources": {"T": _table({}, IgnoreGlobals="*"), "U": _table()}},
    "ignore one global": {"Globals": {"SimpleTable": {"SSESpecification": KMS}},
                          "Resources": {"T": _table({}, IgnoreGlobals=["SSESpecification"])}},
    "ignore globals without globals": {"Resources": {"T": _table({}, IgnoreGlobals=["SSESpecification"])}},
    "embedded connector": {"Resources": {
        "Fn": {"Type": "AWS::Serverless::Function",
               "Properties": {"Runtime": "python3.12", "Handler": "app.handler", "InlineCode": "pass"}},
        "T": _table({"TableName": "t"}, Connectors={
            "ToFn": {"Properties": {"Destination": {"Id": "Fn"}, "Permissions": ["Read"]}}})}},
}

# Shapes SAM refuses (the template cannot be deployed): lakelint must report a problem for each.
REFUSED = {
    "unknown property": {"Resources": {"T": _table({"DeletionProtectionEnabled": True})}},
    "primary key type S": {"Resources": {"T": _table({"PrimaryKey": {"Name": "pk", "Type": "S"}})}},
    "primary key without type": {"Resources": {"T": _table({"PrimaryKey": {"Name": "pk"}})}},
    "primary key without name": {"Resources": {"T": _table({"PrimaryKey": {"Type": "String"}})}},
    "primary key name from a parameter": {
        "Parameters": {"Key": {"Type": "String", "Default": "pk"}},
        "Resources": {"T": _table({"PrimaryKey": {"Name": {"Ref": "Key"}, "Type": "String"}})}},
    "primary key under Fn::If": {
        "Parameters": ENV, "Conditions": IS_PROD,
        "Resources": {"T": _table({"PrimaryKey": {"Fn::If": ["IsProd", {"Name": "a", "Type": "String"},
                                                             {"Name": "b", "Type": "String"}]}})}},
    "properties null": {"Resources": {"T": _table(None, Properties=None)}},
    "properties a list": {"Resources": {"T": _table(None, Properties=["SSESpecification"])}},
    "capacity as text": {"Resources": {"T": _table({"ProvisionedThroughput": {"ReadCapacityUnits": "5",
                                                                              "WriteCapacityUnits": 5}})}},
    "table name a number": {"Resources": {"T": _table({"TableName": 5})}},
    "tags a list": {"Resources": {"T": _table({"Tags": [{"Key": "a", "Value": "b"}]})}},
    "sse as text": {"Resources": {"T": _table({"SSESpecification": "KMS"})}},
    "globals pitr": {"Globals": {"SimpleTable": {"PointInTimeRecoverySpecification": {
        "PointInTimeRecoveryEnabled": True}}}, "Resources": {"T": _table()}},
    "globals section null": {"Globals": {"SimpleTable": None}, "Resources": {"T": _table()}},
    "globals not a mapping": {"Globals": ["SimpleTable"], "Resources": {"T": _table()}},
    "ignore a global that is not set": {"Globals": {"SimpleTable": {"SSESpecification": KMS}},
                                        "Resources": {"T": _table({}, IgnoreGlobals=["TableName"])}},
    "ignore globals as other text": {"Globals": {"SimpleTable": {"SSESpecification": KMS}},
                                     "Resources": {"T": _table({}, IgnoreGlobals="SSESpecification")}},
}


@functools.lru_cache(maxsize=1)
def _session():
    """The translator wants a Region for its pseudo parameters (it makes no call): one session for all."""
    import boto3

    return boto3.Session(region_name="us-east-1")


def _translator_output(template: dict):
    """The Resources AWS's SAM translator makes of ``template``, or the text of its refusal."""
    if os.environ.get("CI"):
        import samtranslator  # noqa: F401  (CI installs the test extra: never skip there)
    else:
        pytest.importorskip("samtranslator", reason="aws-sam-translator is in the test extra: "
                                                    "pip install -c constraints/test.txt '.[test]'")
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    translator = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=_session())
    try:
        output = translator.translate(sam_template=copy.deepcopy({"Transform": TRANSFORM, **template}),
                                      parameter_values={})
    except InvalidDocumentException as exc:
        return "; ".join(cause.message for cause in exc.causes)
    finally:
        translator.metrics.publish()  # its offline publisher drops them; unpublished ones are warned about
    return output["Resources"]


def _lakelint_output(template: dict):
    """(the Resources lakelint makes of ``template``, its problems), through the real parser."""
    root = parse(json.dumps({"Transform": TRANSFORM, **template}), json_mode=True)
    translated, problems = sam.translate(root)
    return translated["Resources"], problems


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_simple_table_is_the_table_the_sam_translator_makes(name):
    template = ACCEPTED[name]
    expected = _translator_output(template)
    assert isinstance(expected, dict), f"the translator refused {name}: {expected}"
    ours, problems = _lakelint_output(template)
    assert problems == []
    tables = [logical_id for logical_id, body in template["Resources"].items() if body["Type"] == sam.SIMPLE_TABLE]
    for logical_id in tables:
        assert ours[logical_id] == expected[logical_id]
    # what is not a SimpleTable is left as written
    for logical_id, body in template["Resources"].items():
        if logical_id not in tables:
            assert ours[logical_id] == body


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_the_sam_translator_refuses_is_a_problem(name):
    template = REFUSED[name]
    refusal = _translator_output(template)
    assert isinstance(refusal, str), f"the translator accepted {name}"
    _, problems = _lakelint_output(template)
    assert problems, f"SAM refuses {name} ({refusal}); lakelint said nothing"
    assert all(message.startswith("SAM refuses") for message, _ in problems)


# -- findings on SimpleTables, located in the SAM source ------------------------------------------


def _lint(path, select=TABLE_CHECKS):
    return lint_templates([str(path)], Config(select=list(select)), SPECS)


def _found(report):
    return sorted((f.check, f.resource, f.line, f.column, f.condition) for f in report.findings)


def test_a_simple_table_without_sse_pitr_or_deletion_protection_fails_at_its_own_lines():
    """Before SAM resources were mapped, a SimpleTable was never checked: these passed in silence."""
    report = _lint(FIXTURES / "LL511" / "template" / "fail_sam_simple_table.yaml", ["LL511", "LL512", "LL513"])
    assert report.errors == []
    assert {f.file for f in report.findings} == {display_path(FIXTURES / "LL511" / "template" / "fail_sam_simple_table.yaml")}
    assert {f.resource_type for f in report.findings} == {"AWS::DynamoDB::Table"}
    assert _found(report) == [
        ("LL511", "Audit", 23, 7, "IsProd=false"),  # the !If that removes SSESpecification outside prod
        ("LL511", "Events", 19, 21, None),  # SSEEnabled: false
        ("LL511", "Orders", 11, 3, None),  # no SSESpecification: the table's logical id
        ("LL512", "Audit", 20, 3, None),
        ("LL512", "Events", 15, 3, None),
        ("LL512", "Orders", 11, 3, None),
        ("LL513", "Audit", 20, 3, None),
        ("LL513", "Events", 15, 3, None),
        ("LL513", "Orders", 11, 3, None),
    ]


@pytest.mark.parametrize("relative, expected", [
    ("LL511/template/fail_sam_globals.yaml", [("LL511", "Audit", 17, 3, None), ("LL511", "Events", 16, 21, None)]),
    ("LL512/template/fail_sam_simple_table.yaml", [("LL512", "Audit", 24, 56, "IsProd=false"),
                                                  ("LL512", "Events", 19, 37, None),
                                                  ("LL512", "Orders", 11, 3, None)]),
    ("LL513/template/fail_sam_simple_table.yaml", [("LL513", "Events", 11, 3, None), ("LL513", "Orders", 7, 3, None)]),
], ids=["globals", "pitr", "deletion protection"])
def test_sam_fixtures_report_file_line_and_column(relative, expected):
    path = FIXTURES / relative
    report = _lint(path, [relative[:5]])
    assert report.errors == [] and {f.file for f in report.findings} == {display_path(path)}
    assert _found(report) == expected


def test_a_value_set_by_globals_is_reported_where_globals_writes_it(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(f"Transform: {TRANSFORM}\n"
                    "Globals:\n  SimpleTable:\n    SSESpecification:\n      SSEEnabled: false\n"
                    "Resources:\n  Orders:\n    Type: AWS::Serverless::SimpleTable\n")
    report = _lint(path, ["LL511"])
    assert _found(report) == [("LL511", "Orders", 5, 19, None)]


def test_an_on_demand_simple_table_passes_auto_scaling_and_a_provisioned_one_is_judged(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(f"""Transform: {TRANSFORM}
Resources:
  OnDemand:
    Type: AWS::Serverless::SimpleTable
  Fixed:
    Type: AWS::Serverless::SimpleTable
    Properties:
      ProvisionedThroughput: {{ReadCapacityUnits: 5, WriteCapacityUnits: 5}}
  Scaled:
    Type: AWS::Serverless::SimpleTable
    Properties:
      ProvisionedThroughput: {{ReadCapacityUnits: 5, WriteCapacityUnits: 5}}
""" + "".join(f"""  Scaled{dim}:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ResourceId: !Sub table/${{Scaled}}
      ScalableDimension: dynamodb:table:{dim}CapacityUnits
      MinCapacity: 5
      MaxCapacity: 50
  Scaled{dim}Policy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: p{dim}
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref Scaled{dim}
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 70
        PredefinedMetricSpecification: {{PredefinedMetricType: DynamoDB{dim}CapacityUtilization}}
""" for dim in ("Read", "Write")))
    report = _lint(path, ["LL514"])
    assert report.errors == []
    assert _found(report) == [("LL514", "Fixed", 5, 3, None)]


def test_suppressions_on_a_simple_table_apply_to_its_findings(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(f"""Transform: {TRANSFORM}
Resources:
  Orders:  # lakelint: ignore[LL512]: the table is rebuilt from the lake every night
    Type: AWS::Serverless::SimpleTable
    Metadata:
      lakelint:
        ignore:
          - id: LL513
            reason: a cache, recreated on deploy
""")
    report = _lint(path, ["LL511", "LL512", "LL513"])
    assert sorted((f.check, f.suppressed) for f in report.findings) == [
        ("LL511", False), ("LL512", True), ("LL513", True)]


def test_a_conditional_simple_table_is_judged_only_where_it_exists(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(f"""Transform: {TRANSFORM}
Parameters:
  Env: {{Type: String, AllowedValues: [dev, prod]}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
    Condition: IsProd
    Properties:
      SSESpecification: !If [IsProd, !Ref AWS::NoValue, {{SSEEnabled: true}}]
""")
    report = _lint(path, ["LL511"])
    assert [(f.resource, f.line) for f in report.findings] == [("Orders", 11)]


# -- what SAM would refuse -----------------------------------------------------------------------


def test_a_property_sam_refuses_is_an_error_with_its_line_and_the_table_is_still_checked(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(f"""Transform: {TRANSFORM}
Globals:
  SimpleTable:
    PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: true}}
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
    Properties:
      DeletionProtectionEnabled: true
      PrimaryKey: {{Name: pk, Type: S}}
""")
    report = _lint(path, ["LL511", "LL513"])
    errors = sorted((e.file, e.line, e.column, e.message) for e in report.errors)
    assert [(line, column) for _, line, column, _ in errors] == [(4, 5), (9, 7), (10, 36)]
    assert all(file == display_path(path) and message.startswith("SAM refuses") for file, _, _, message in errors)
    assert "Globals.SimpleTable.PointInTimeRecoverySpecification" in errors[0][3]
    assert "no property DeletionProtectionEnabled" in errors[1][3] and "AWS::DynamoDB::Table" in errors[1][3]
    assert "PrimaryKey Type 'S'" in errors[2][3]
    assert sorted(f.check for f in report.findings) == ["LL511", "LL513"]


def test_the_command_line_exits_2_with_the_file_and_line_of_a_refused_property(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(f"Transform: {TRANSFORM}\nResources:\n  Orders:\n    Type: AWS::Serverless::SimpleTable\n"
                    "    Properties:\n      BillingMode: PAY_PER_REQUEST\n")
    result = subprocess.run([sys.executable, "-c", "import sys; from lakelint.cli import main; "
                             "sys.exit(main(sys.argv[1:]))", str(path), "--select", "LL511"],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert f"{path}:6:7: error: SAM refuses SimpleTable Orders: it has no property BillingMode" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# -- templates the transform does not touch ------------------------------------------------------


SIMPLE = ("Resources:\n  Orders:\n    Type: AWS::Serverless::SimpleTable\n"
          "  Raw:\n    Type: AWS::S3::Bucket\n")


def test_a_template_without_the_sam_transform_is_untouched():
    """Without the transform CloudFormation does not know the type: it is not a table to check."""
    stack, errors = load_text("t.yaml", SIMPLE.encode())
    assert errors == [] and [(r.name, r.type) for r in stack.resources] == [
        ("Orders", sam.SIMPLE_TABLE), ("Raw", "AWS::S3::Bucket")]
    root = parse(SIMPLE)
    assert not sam.declared(root)


@pytest.mark.parametrize("transform", [TRANSFORM, f"[AWS::LanguageExtensions, {TRANSFORM}]"])
def test_the_transform_alone_or_in_a_list_maps_simple_tables(transform):
    stack, errors = load_text("t.yaml", f"Transform: {transform}\n{SIMPLE}".encode())
    assert errors == [] and [(r.name, r.type, r.pos) for r in stack.resources] == [
        ("Orders", "AWS::DynamoDB::Table", (3, 3)), ("Raw", "AWS::S3::Bucket", (5, 3))]


def test_a_sam_template_without_a_simple_table_is_the_same_object():
    root = parse(f"Transform: {TRANSFORM}\nGlobals: {{Function: {{Timeout: 3}}}}\n"
                 "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n")
    assert sam.translate(root) == (root, []) and sam.translate(root)[0] is root


def test_simple_tables_made_by_fn_foreach_are_mapped_too():
    text = f"""Transform: [AWS::LanguageExtensions, {TRANSFORM}]
Resources:
  Fn::ForEach::Tables:
    - Name
    - [Orders, Events]
    - ${{Name}}Table:
        Type: AWS::Serverless::SimpleTable
"""
    stack, errors = load_text("t.yaml", text.encode())
    assert errors == [] and [(r.name, r.type, r.pos) for r in stack.resources] == [
        ("OrdersTable", "AWS::DynamoDB::Table", (6, 7)), ("EventsTable", "AWS::DynamoDB::Table", (6, 7))]


def test_template_mode_never_imports_the_sam_translator(tmp_path):
    """The mapping is lakelint's own: a SAM template is linted without aws-sam-translator, boto3 or
    pydantic, so template mode stays lean (DESIGN 10)."""
    template = tmp_path / "template.yaml"
    template.write_text(f"Transform: {TRANSFORM}\nResources:\n  Orders:\n    Type: AWS::Serverless::SimpleTable\n")
    code = (
        "import sys\n"
        "from lakelint.cli import main\n"
        f"rc = main([{str(template)!r}, '--format', 'json', '-o', {str(tmp_path / 'out.json')!r}])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'samtranslator', 'boto3', 'botocore', 'pydantic'})\n"
        "print(rc, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout
    assert out.strip() == "1 []"
    findings = json.loads((tmp_path / "out.json").read_text())["findings"]
    assert {f["check"] for f in findings} >= {"LL511", "LL512", "LL513"}


# -- hostile shapes ------------------------------------------------------------------------------

_scalars = st.one_of(st.sampled_from(["", "String", "S", "KMS", "*", "SSESpecification", "IsProd"]),
                     st.booleans(), st.integers(min_value=-1, max_value=5), st.none())
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["Name", "Type", "SSEEnabled", "Ref", "Fn::If", "ReadCapacityUnits", "x"]),
                        children, max_size=3),
        st.builds(lambda a, b: {"Fn::If": ["IsProd", a, b]}, children, children)),
    max_leaves=8)
_properties = st.dictionaries(st.sampled_from([*sam.PROPERTIES, "BillingMode", "Fn::If"]), _values, max_size=4)


@settings(max_examples=80, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(properties=st.one_of(_properties, _values), table_globals=st.one_of(st.none(), _values, _properties),
       ignore=st.one_of(st.none(), _values))
def test_any_simple_table_shape_is_checked_or_refused_with_a_position_never_a_crash(properties, table_globals, ignore):
    body = {"Type": sam.SIMPLE_TABLE, "Properties": properties}
    if ignore is not None:
        body["IgnoreGlobals"] = ignore
    template = {"Transform": TRANSFORM, "Parameters": ENV, "Conditions": IS_PROD, "Resources": {"T": body}}
    if table_globals is not None:
        template["Globals"] = {"SimpleTable": table_globals}
    stack, errors = load_text("t.json", json.dumps(template).encode())
    assert errors == [] and [r.type for r in stack.resources] == ["AWS::DynamoDB::Table"]
    assert all(note.message.startswith("SAM refuses") and note.line for note in stack.notes)
    result = Engine(SPECS, Config(select=TABLE_CHECKS), source="template").run_stack(stack)
    assert [e.message for e in result.errors if not e.message.startswith("SAM refuses")] == []


def _if(children):
    return st.builds(lambda a, b: {"Fn::If": ["IsProd", a, b]}, children, children)


_leaf = st.one_of(st.booleans(), st.integers(0, 5), st.sampled_from(["KMS", "alias/lake", ""]),
                  st.just({"Ref": "Env"}), st.just({"Ref": "AWS::NoValue"}))
_spec = st.one_of(st.none(), st.just({}), st.dictionaries(
    st.sampled_from(["SSEEnabled", "SSEType", "KMSMasterKeyId", "PointInTimeRecoveryEnabled"]),
    st.one_of(_leaf, _if(_leaf)), max_size=3))
_spec = st.one_of(_spec, _if(_spec))
_simple_table_properties = st.fixed_dictionaries({}, optional={
    "SSESpecification": _spec,
    "PointInTimeRecoverySpecification": st.one_of(_spec, st.booleans()),
    "PrimaryKey": st.one_of(st.none(), st.just({}), st.just({"Name": "k", "Type": "Number"}),
                            st.just({"Name": "k", "Type": "Text"})),
    "ProvisionedThroughput": st.one_of(st.just({}), st.just({"ReadCapacityUnits": 1, "WriteCapacityUnits": {"Ref": "Env"}}),
                                       _if(st.just({"ReadCapacityUnits": 2})), st.just({"ReadCapacityUnits": 1.5})),
    "TableName": st.one_of(st.just("t"), st.just(""), st.just({"Fn::Sub": "${Env}-t"}), st.just(7)),
    "Tags": st.one_of(st.just({}), st.dictionaries(st.sampled_from(["a", "b"]), st.one_of(_leaf, st.none()), max_size=2)),
    "DeletionProtectionEnabled": st.booleans(),
})


@settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(properties=_simple_table_properties,
       table_globals=st.one_of(st.none(), st.fixed_dictionaries({}, optional={"SSESpecification": _spec,
                                                                            "TableName": st.just("g")})),
       ignore=st.one_of(st.none(), st.just("*"), st.just(["SSESpecification"]), st.just([])))
def test_generated_simple_tables_agree_with_the_sam_translator(properties, table_globals, ignore):
    """Beyond the named shapes: generated SimpleTables (mostly valid, some not), each translated by both."""
    body = {"Type": sam.SIMPLE_TABLE, "Properties": properties}
    if ignore is not None:
        body["IgnoreGlobals"] = ignore
    template = {"Parameters": ENV, "Conditions": IS_PROD, "Resources": {"T": body}}
    if table_globals is not None:
        template["Globals"] = {"SimpleTable": table_globals}
    expected = _translator_output(template)
    ours, problems = _lakelint_output(template)
    if isinstance(expected, str):
        assert problems, f"SAM refuses it ({expected}); lakelint said nothing"
    else:
        assert problems == [] and ours["T"] == expected["T"]

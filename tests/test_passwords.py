"""lakelint.knowledge.passwords: which password values are written in a template and which are not."""

from __future__ import annotations

import textwrap

import pytest

from lakelint.knowledge.passwords import is_secure_reference, plaintext_password_verdicts
from lakelint.sources.cloudformation.source import load_text

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  PlainPassword:
    Type: String
  HiddenPassword:
    Type: String
    NoEcho: true
  HiddenWithDefault:
    Type: String
    NoEcho: "true"
    Default: hunter2hunter2
  SecretName:
    Type: String
    Default: prod/db
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    NoEcho: true
    Default: /prod/db/password
  UseSecret:
    Type: String
    AllowedValues: ["yes", "no"]
Conditions:
  Secret: !Equals [!Ref UseSecret, "yes"]
Mappings:
  Passwords:
    prod:
      Db: from-a-mapping-1
Resources:
  Other:
    Type: AWS::SecretsManager::Secret
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
"""


def verdicts(password_yaml: str, managed: str | None = "ManageMasterUserPassword"):
    text = HEADER + textwrap.indent(password_yaml, " " * 6)
    stack, errors = load_text("t.yaml", text.encode())
    assert errors == [] and stack is not None
    db = next(r for r in stack.resources if r.name == "Db")
    return list(plaintext_password_verdicts(db, "MasterUserPassword", managed))


def kinds(found):
    return [v.kind for v in found]


@pytest.mark.parametrize("written", [
    "MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'",
    "MasterUserPassword: '{{resolve:ssm-secure:/prod/db/password:3}}'",
    "MasterUserPassword: !Sub '{{resolve:secretsmanager:${Other}:SecretString:password}}'",
    "MasterUserPassword: !Sub '{{resolve:secretsmanager:${SecretName}:SecretString:password}}'",
    "MasterUserPassword: !Join ['', ['{{resolve:secretsmanager:', !Ref Other, ':SecretString:password}}']]",
    "MasterUserPassword: !Ref HiddenPassword",
    "MasterUserPassword: !Ref FromSsm",
    "MasterUserPassword: !If [Secret, !Ref AWS::NoValue, !Ref HiddenPassword]",
    "ManageMasterUserPassword: true",
    "MasterUserPassword: !Ref AWS::NoValue",
])
def test_passes(written):
    assert verdicts(written) == []


def test_literal_fails_at_its_line():
    found = verdicts("MasterUserPassword: correct-horse-battery")
    assert kinds(found) == ["fail"]
    assert "written in the template" in found[0].message
    assert "ManageMasterUserPassword" in found[0].message
    assert found[0].pos == (HEADER.count("\n") + 1, 27)  # the value, on the line after the header


def test_number_literal_fails():
    assert kinds(verdicts("MasterUserPassword: 12345678")) == ["fail"]


def test_parameter_without_noecho_fails_and_names_it():
    found = verdicts("MasterUserPassword: !Ref PlainPassword")
    assert kinds(found) == ["fail"]
    assert "parameter PlainPassword" in found[0].message and "NoEcho" in found[0].message


def test_noecho_parameter_with_default_fails():
    found = verdicts("MasterUserPassword: !Ref HiddenWithDefault")
    assert kinds(found) == ["fail"]
    assert "Default" in found[0].message


def test_if_names_the_failing_branch_only():
    found = verdicts("MasterUserPassword: !If [Secret, '{{resolve:secretsmanager:db}}', !Ref PlainPassword]")
    assert kinds(found) == ["fail"]
    assert found[0].branch.label == "Secret=false"


def test_both_branches_can_fail():
    found = verdicts("MasterUserPassword: !If [Secret, literal-one-1, !Ref PlainPassword]")
    assert sorted(v.branch.label for v in found) == ["Secret=false", "Secret=true"]


def test_sub_with_literal_part_fails():
    found = verdicts("MasterUserPassword: !Sub '${HiddenPassword}-suffix'")
    assert kinds(found) == ["fail"]
    assert "part of MasterUserPassword" in found[0].message


def test_sub_of_plain_parameter_fails():
    assert kinds(verdicts("MasterUserPassword: !Sub '${PlainPassword}'")) == ["fail"]


def test_mapping_value_is_written_in_template():
    found = verdicts("MasterUserPassword: !FindInMap [Passwords, prod, Db]")
    assert kinds(found) == ["fail"]


def test_plain_ssm_reference_fails():
    found = verdicts("MasterUserPassword: '{{resolve:ssm:/prod/db/password}}'")
    assert kinds(found) == ["fail"]
    assert "SSM" in found[0].message


@pytest.mark.parametrize("written", [
    "MasterUserPassword: !GetAtt Other.Id",
    "MasterUserPassword: !ImportValue shared-db-password",
])
def test_deploy_time_values_are_unknown(written):
    found = verdicts(written)
    assert kinds(found) == ["unknown"]
    assert found[0].message.startswith("cannot verify MasterUserPassword: it ")


def test_advice_without_managed_property():
    found = verdicts("MasterUserPassword: literal-pw-1", managed=None)
    assert "NoEcho parameter" in found[0].message


def test_secure_reference_helper():
    assert is_secure_reference("{{resolve:secretsmanager:x}}")
    assert is_secure_reference("{{resolve:ssm-secure:/x:1}}")
    assert not is_secure_reference("{{resolve:ssm:/x}}")
    assert not is_secure_reference(None)

"""What a finding on a template with conditions and parameters says, and that no bound is a pass.

Regression tests for issue 11 (items 2, 3, 4, 9, 15, 16) and issue 12 (items 1, 2, 3): each names the
input that was wrong before and the exact findings it must give now.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

SPECS = load_checks(plugins=False)
ROOT = Path(__file__).resolve().parent.parent


def lint(tmp_path, text: str, select, name="t.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return lint_templates([str(path)], Config(select=list(select)), SPECS)


def rows(report, code=None):
    return sorted((f.check, f.resource, f.line, f.condition, f.message) for f in report.findings
                  if code is None or f.check == code)


# -- 12.1: conditions are tied to what defines them ---------------------------------------------

ENCRYPTION_AT_REST = """\
Parameters:
  EncryptionAtRest: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
Conditions:
  IsEncryptionAtRest: !Equals [!Ref EncryptionAtRest, "true"]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: !If [IsEncryptionAtRest, !Ref EncryptionAtRest, false]
"""


def test_a_condition_is_never_chosen_apart_from_its_definition(tmp_path):
    # Before: the branch IsEncryptionAtRest=true held 'true', and IsEncryptionAtRest=false was paired with
    # both values of EncryptionAtRest, one of them impossible. Now: false exactly when the parameter is.
    report = lint(tmp_path, ENCRYPTION_AT_REST, ["LL501"])
    assert rows(report) == [("LL501", "Db", 10, "IsEncryptionAtRest=false",
                             "StorageEncrypted is false (when IsEncryptionAtRest is false)")]


SNAPSHOT = """\
Parameters:
  SnapshotIdentifier: {Type: String, Default: ""}
Conditions:
  IsSnapshotSpecified: !Not [!Equals [!Ref SnapshotIdentifier, ""]]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBSnapshotIdentifier: !If [IsSnapshotSpecified, !Ref SnapshotIdentifier, !Ref AWS::NoValue]
"""


def test_a_snapshot_condition_never_pairs_with_an_empty_snapshot(tmp_path):
    # IsSnapshotSpecified=true with SnapshotIdentifier='' was a branch before; now the true side holds
    # only for values other than '', so the snapshot is present there (and encryption inherited).
    report = lint(tmp_path, SNAPSHOT, ["LL501"])
    messages = [m for *_, m in rows(report)]
    assert messages == [
        "StorageEncrypted is not set: RDS creates unencrypted storage by default (when IsSnapshotSpecified is false)",
        "StorageEncrypted is not set: encryption is inherited from DBSnapshotIdentifier, which this template does "
        "not show; set StorageEncrypted: true (when IsSnapshotSpecified is true)"]


# -- 12.2: a resource's own Condition decides which branches exist --------------------------------

CONDITIONAL_BUCKET = """\
Parameters:
  EnableLogging: {Type: String, AllowedValues: ["yes", "no"]}
Conditions:
  IsEnableLogging: !Equals [!Ref EnableLogging, "yes"]
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Condition: IsEnableLogging
    Properties:
      VersioningConfiguration: !If [IsEnableLogging, {Status: Enabled}, !Ref AWS::NoValue]
"""


def test_no_finding_on_a_branch_where_the_resource_does_not_exist(tmp_path):
    # LogBucket exists only when IsEnableLogging is true, and there it is versioned.
    assert rows(lint(tmp_path, CONDITIONAL_BUCKET, ["LL112"])) == []


CONDITIONAL_POLICY = """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Lake:
    Type: AWS::S3::Bucket
  TlsOnly:
    Type: AWS::S3::BucketPolicy
    Condition: IsProd
    Properties:
      Bucket: !Ref Lake
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: [!Sub "${Lake.Arn}", !Sub "${Lake.Arn}/*"]
            Condition: {Bool: {aws:SecureTransport: "false"}}
"""


def test_a_relation_to_a_conditional_policy_holds_only_where_the_policy_exists(tmp_path):
    assert rows(lint(tmp_path, CONDITIONAL_POLICY, ["LL105"])) == [
        ("LL105", "Lake", 6, "IsProd=false",
         "bucket policy TlsOnly does not exist here (Condition): nothing denies requests with aws:SecureTransport "
         "false (when IsProd is false)")]


def test_a_conditional_bucket_with_the_same_condition_as_its_policy_passes(tmp_path):
    text = CONDITIONAL_POLICY.replace("    Type: AWS::S3::Bucket\n", "    Type: AWS::S3::Bucket\n    Condition: IsProd\n", 1)
    assert rows(lint(tmp_path, text, ["LL105"])) == []


# -- 12.3: one finding per problem, labels that name only what decides ---------------------------

UNDECIDING = """\
Parameters:
  A: {Type: String, AllowedValues: ["1", "2"]}
  B: {Type: String, AllowedValues: ["1", "2"]}
  C: {Type: String, AllowedValues: ["1", "2"]}
  D: {Type: String, AllowedValues: ["1", "2"]}
Conditions:
  HasA: !Equals [!Ref A, "1"]
  HasB: !Equals [!Ref B, "1"]
  HasC: !Equals [!Ref C, "1"]
  HasD: !Equals [!Ref D, "1"]
Resources:
  Lake:
    Type: AWS::S3::Bucket
  LakePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Lake
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: [!If [HasA, arn:aws:iam::111111111111:root, !Ref AWS::NoValue],
                    !If [HasB, arn:aws:iam::222222222222:root, !Ref AWS::NoValue],
                    !If [HasC, arn:aws:iam::333333333333:root, !Ref AWS::NoValue],
                    !If [HasD, arn:aws:iam::444444444444:root, !Ref AWS::NoValue]]
            Action: s3:GetObject
            Resource: !Sub "${Lake.Arn}/*"
"""


def test_the_same_problem_on_every_branch_is_one_finding_without_a_label(tmp_path):
    # Before: 16 identical LL105 findings, one per combination of four conditions that do not decide it.
    assert rows(lint(tmp_path, UNDECIDING, ["LL105"])) == [
        ("LL105", "Lake", 19, None, "bucket policy LakePolicy has no statement that denies requests with "
                                   "aws:SecureTransport false")]


def test_a_label_names_only_the_condition_that_decides(tmp_path):
    found = rows(lint(tmp_path, UNDECIDING, ["LL111"]))
    assert [(line, condition) for _, _, line, condition, _ in found] == [
        (20, "HasA=true"), (20, "HasB=true"), (20, "HasC=true"), (20, "HasD=true")]  # Principal's line


PUBLIC = """\
Parameters:
  PubliclyAccessible: {Type: String, AllowedValues: ["true", "false"], Default: "false"}
  ClusterName: {Type: String, Default: slurm-accounting-cluster}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceIdentifier: !Ref ClusterName
      PubliclyAccessible: !Ref PubliclyAccessible
"""


def test_a_label_never_restates_the_message_nor_names_a_parameter_that_decides_nothing(tmp_path):
    assert [m for *_, m in rows(lint(tmp_path, PUBLIC, ["LL503"]))] == [
        "PubliclyAccessible is true (when parameter PubliclyAccessible is 'true' (default 'false'))"]


# -- 11.2: a bound is never a pass ---------------------------------------------------------------

def _seventy(kms_everywhere_but: int | None) -> str:
    values = [f"v{i:02d}" for i in range(70)]
    entries = "\n".join(f"    {v}: {{Alg: {'AES256' if i == kms_everywhere_but else 'aws:kms'}}}"
                        for i, v in enumerate(values))
    return (f"Parameters:\n  Tier: {{Type: String, AllowedValues: [{', '.join(values)}]}}\n"
            f"Mappings:\n  Algorithms:\n{entries}\nResources:\n  Lake:\n    Type: AWS::S3::Bucket\n"
            f"    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n"
            f"          - ServerSideEncryptionByDefault:\n"
            f"              SSEAlgorithm: !FindInMap [Algorithms, !Ref Tier, Alg]\n")


def test_seventy_allowed_values_through_a_mapping_still_find_the_one_that_fails(tmp_path):
    report = lint(tmp_path, _seventy(41), ["LL102"])
    assert rows(report) == [("LL102", "Lake", 82, "Tier=v41",
                             "default encryption uses SSEAlgorithm AES256, not aws:kms or aws:kms:dsse "
                             "(when parameter Tier is 'v41')")]
    assert rows(lint(tmp_path, _seventy(None), ["LL102"])) == []


def test_forty_independent_conditions_are_never_a_silent_pass(tmp_path):
    params = "\n".join(f"  P{i}: {{Type: String, AllowedValues: ['on', 'off']}}" for i in range(40))
    conditions = "\n".join(f"  C{i}: !Equals [!Ref P{i}, 'on']" for i in range(40))
    rules = "\n".join(f"          - !If [C{i}, {{Status: Enabled, ExpirationInDays: {i + 1}}}, !Ref AWS::NoValue]"
                      for i in range(40))
    text = (f"Parameters:\n{params}\nConditions:\n{conditions}\nResources:\n  Lake:\n    Type: AWS::S3::Bucket\n"
            f"    Properties:\n      LifecycleConfiguration:\n        Rules:\n{rules}\n")
    found = rows(lint(tmp_path, text, ["LL103"]))
    assert len(found) == 1, found
    check, resource, _, _, message = found[0]
    assert (check, resource) == ("LL103", "Lake")
    assert message.startswith("cannot verify every outcome of LifecycleConfiguration")


# -- 11.3: an intrinsic over an unknown value is unknown ------------------------------------------

def test_select_over_a_list_known_at_deploy_time_is_unverifiable_not_a_pass(tmp_path):
    text = ("Parameters:\n  AclList: {Type: CommaDelimitedList}\nResources:\n  Lake:\n    Type: AWS::S3::Bucket\n"
            "    Properties:\n      AccessControl: !Select [0, !Ref AclList]\n")
    found = rows(lint(tmp_path, text, ["LL106"]))
    assert len(found) == 1 and found[0][4].startswith("cannot verify"), found


def test_select_over_a_split_stack_id_picks_no_character_of_placeholder_text(tmp_path):
    text = ("Resources:\n  Lake:\n    Type: AWS::S3::Bucket\n    Properties:\n"
            "      BucketName: !Select [2, !Split ['/', !Ref AWS::StackId]]\n")
    found = rows(lint(tmp_path, text, ["LL116"]))
    assert all("'F'" not in message and "uppercase" not in message.split(":")[0] for *_, message in found), found


# -- 11.4: Fn::ForEach --------------------------------------------------------------------------

FOREACH = """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Zone
    - [raw, curated]
    - ${Zone}Bucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub lake-${Zone}
          BucketEncryption:
            ServerSideEncryptionConfiguration:
              - ServerSideEncryptionByDefault:
                  SSEAlgorithm: AES256
"""


def test_resources_made_by_fn_foreach_are_checked_where_the_loop_body_is(tmp_path):
    report = lint(tmp_path, FOREACH, ["LL102"])
    assert report.files == 1 and report.resources == 2
    assert [(r, line) for _, r, line, _, _ in rows(report)] == [("curatedBucket", 13), ("rawBucket", 13)]


def test_language_extension_functions(tmp_path):
    text = """\
Transform: AWS::LanguageExtensions
Mappings:
  Algorithms:
    prod: {Alg: "aws:kms"}
Resources:
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: !FindInMap [Algorithms, dev, Alg, {DefaultValue: AES256}]
"""
    assert [m for *_, m in rows(lint(tmp_path, text, ["LL102"]))] == [
        "default encryption uses SSEAlgorithm AES256, not aws:kms or aws:kms:dsse"]


# -- 11.9: every intrinsic is bounded -------------------------------------------------------------

def test_a_small_template_of_chained_selects_finishes_in_seconds(tmp_path):
    conditions = "\n".join(f"  C{i}: !Equals [!Ref AWS::Region, r{i}]" for i in range(24))
    nested = "0"  # idx = !Select [idx, !If [Ci, [0], [0]]], 24 times
    for i in range(24):
        nested = f"{{'Fn::Select': [{nested}, {{'Fn::If': [C{i}, [0], [0]]}}]}}"
    text = (f"Conditions:\n{conditions}\nResources:\n  Lake:\n    Type: AWS::S3::Bucket\n    Properties:\n"
            f"      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n"
            f"          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: {nested}\n")
    start = time.monotonic()
    report = lint(tmp_path, text, ["LL102"])
    assert time.monotonic() - start < 10
    assert len(rows(report)) == 1


# -- 11.15: what CloudFormation would reject is unverifiable, never an internal error -----------

@pytest.mark.parametrize("value", ['!Split ["", abc]', "!Select [0, {a: b}]", "!Select [7, [a]]", "!Split [[], abc]"])
def test_intrinsics_cloudformation_rejects_are_unverifiable(tmp_path, value):
    text = f"Resources:\n  Lake:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: {value}\n"
    report = lint(tmp_path, text, ["LL106"])
    assert report.errors == []
    found = rows(report)
    assert len(found) == 1 and "malformed" in found[0][4] and len(found[0][4]) < 300, found


def test_a_five_thousand_digit_number_is_a_located_error_never_echoed(tmp_path):
    for name, text in (("t.yaml", "Resources:\n  Lake:\n    Type: AWS::S3::Bucket\n    Properties:\n"
                                  f"      ObjectLockEnabled: {'9' * 5000}\n"),
                       ("t.json", '{"Resources": {"Lake": {"Type": "AWS::S3::Bucket", "Properties": '
                                  f'{{"ObjectLockEnabled": {"9" * 5000}}}}}}}')):
        report = lint(tmp_path, text, ["LL1"], name=name)
        assert all("internal error" not in e.message and len(e.message) < 300 for e in report.errors), report.errors
        assert all(len(f.message) < 400 for f in report.findings)


# -- 11.16: NoEcho values never reach a report ------------------------------------------------

NOECHO = """\
Parameters:
  DbPass:
    Type: String
    NoEcho: true
    Default: S3cretPassw0rd
    AllowedValues: [S3cretPassw0rd, An0therSecret]
Resources:
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref DbPass
      Tags:
        - Key: owner
          Value: !Ref DbPass
"""


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_no_report_prints_a_noecho_value(tmp_path, fmt):
    (tmp_path / "t.yaml").write_text(NOECHO)
    out = subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--format", fmt], cwd=tmp_path,
                         capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 1, out.stderr
    for secret in ("S3cretPassw0rd", "An0therSecret", "s3cretpassw0rd", "an0thersecret"):
        assert secret not in out.stdout and secret not in out.stderr
    assert "DbPass" in out.stdout


def test_the_json_report_names_the_noecho_parameter_not_its_value(tmp_path):
    (tmp_path / "t.yaml").write_text(NOECHO)
    out = subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--format", "json", "--select", "LL116"],
                         cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    findings = json.loads(out.stdout)["findings"]
    assert findings and all("NoEcho" in (f["condition"] or "NoEcho") for f in findings), findings


NESTED_SUB = """\
Resources:
  Raw:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub
        - "Lake_${Inner}-raw"
        - Inner: !Sub "${AWS::AccountId}-x"
"""


def test_a_sub_inside_a_sub_is_shown_as_one_text_with_its_unknown_piece_once(tmp_path):
    """A ``Fn::Sub`` variable bound to another ``Fn::Sub``: the message shows the joined text with the
    inner unknown piece written once as ``${AWS::AccountId}``, never ``${${AWS::AccountId}}``, and the
    known characters of both texts are judged."""
    report = lint(tmp_path, NESTED_SUB, ["LL116"])
    assert rows(report) == [("LL116", "Raw", 5, None, "bucket name Lake_${AWS::AccountId}-x-raw contains 'L', '_' "
                                                      "(only lowercase letters, digits, '.' and '-')")]

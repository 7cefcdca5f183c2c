"""``--fix``, ``--diff``, ``--unsafe-fixes``: the fix machinery, through the CLI, with plugin checks.

The checks below (loaded with ``--checks-dir``) use each kind of fix a built-in check may use; the
built-in checks' own fixes are tested with byte-for-byte fixtures in tests/test_check_fixes.py. Every
expected file here is the whole file after the fix: nothing but the fix may change, comments, quoting,
flow style, JSON indentation and CRLF line endings included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text())

DOCS = '"""{title}.\n\n## What it does\nx\n## Why it matters\nx\n## Example\nx\n## Fix\nx\n## References\n- x\n"""\n'
PLUGINS = {
    "versioning.py": '''
from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.fixes.intents import set_property

@check(code="XF101", name="xf-versioning", severity="medium", title="versioning", fix="safe",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["VersioningConfiguration"]})
def versioning(bucket, ctx):
    for status in read(bucket, "VersioningConfiguration.Status", what="versioning status"):
        if status != "Enabled":
            yield fail("versioning is not enabled", fix=set_property("VersioningConfiguration.Status", "Enabled"))
''',
    "public_access.py": '''
from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import truth
from lakelint.fixes.intents import ensure_properties

KEYS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")

@check(code="XF102", name="xf-public-access", severity="high", title="public access", fix="safe",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["PublicAccessBlockConfiguration"]})
def public_access(bucket, ctx):
    fix = ensure_properties("PublicAccessBlockConfiguration", dict.fromkeys(KEYS, True))
    for key in KEYS:
        for value in read(bucket, f"PublicAccessBlockConfiguration.{key}", what=key):
            if truth(value) is not True:
                yield fail(f"{key} is not true", fix=fix)
''',
    "retain.py": '''
from lakelint.core.check import check, fail
from lakelint.fixes.intents import set_attribute

@check(code="XF103", name="xf-retain", severity="low", title="retain", fix="safe",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": []})
def retain(bucket, ctx):
    if bucket.attributes.get("DeletionPolicy") != "Retain":
        yield fail("DeletionPolicy is not Retain", fix=set_attribute("DeletionPolicy", "Retain"))
''',
    "abort.py": '''
from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING, dig
from lakelint.fixes.intents import append_item

RULE = {"Id": "abort-incomplete-uploads", "Status": "Enabled",
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}

@check(code="XF104", name="xf-abort", severity="low", title="abort", fix="safe",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["LifecycleConfiguration"]})
def abort(bucket, ctx):
    for rules in read(bucket, "LifecycleConfiguration.Rules", what="lifecycle rules"):
        if not any(dig(r, "AbortIncompleteMultipartUpload") is not MISSING for r in (rules or [])):
            yield fail("no rule aborts incomplete uploads", fix=append_item("LifecycleConfiguration.Rules", RULE))
''',
    "encryption.py": '''
from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING
from lakelint.fixes.intents import set_property

@check(code="XF105", name="xf-encryption", severity="high", title="encryption", fix="unsafe",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["BucketEncryption"]})
def encryption(bucket, ctx):
    for value in read(bucket, "BucketEncryption", what="default encryption"):
        if value is MISSING:
            yield fail("no default encryption", fix=set_property("BucketEncryption", {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}))
''',
    "tagged.py": '''
from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING

@check(code="XF106", name="xf-no-accelerate", severity="low", title="accelerate",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["AccelerateConfiguration"]})
def no_accelerate(bucket, ctx):
    for value in read(bucket, "AccelerateConfiguration", what="acceleration"):
        if value is not MISSING:
            yield fail("transfer acceleration is configured")
''',
    "accelerate.py": '''
from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING
from lakelint.fixes.intents import set_property

@check(code="XF107", name="xf-wants-accelerate", severity="low", title="wants accelerate", fix="safe",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["AccelerateConfiguration"]})
def wants_accelerate(bucket, ctx):
    for value in read(bucket, "AccelerateConfiguration", what="acceleration"):
        if value is MISSING:  # its fix makes XF106 fail: it must not be written
            yield fail("no acceleration", fix=set_property("AccelerateConfiguration.AccelerationStatus", "Enabled"))
''',
}


@pytest.fixture(scope="module")
def plugins(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fix-plugins")
    for name, body in PLUGINS.items():
        (folder / name).write_text(DOCS.format(title=name) + body)
    return folder


def lakelint(cwd: Path, plugins: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lakelint", "--checks-dir", str(plugins), *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})


BLOCK = """\
# the lake's raw zone
Resources:
  Raw:   # landing data
    Type: AWS::S3::Bucket
    Properties:
      BucketName: 'lake-raw'   # quoted on purpose
      LifecycleConfiguration:
        Rules:
          - Id: expire
            Status: Enabled
            ExpirationInDays: 30
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false   # reviewed: see TICKET-1
"""

BLOCK_FIXED = """\
# the lake's raw zone
Resources:
  Raw:   # landing data
    Type: AWS::S3::Bucket
    Properties:
      BucketName: 'lake-raw'   # quoted on purpose
      LifecycleConfiguration:
        Rules:
          - Id: expire
            Status: Enabled
            ExpirationInDays: 30
          - Id: abort-incomplete-uploads
            Status: Enabled
            AbortIncompleteMultipartUpload:
              DaysAfterInitiation: 7
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true   # reviewed: see TICKET-1
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      VersioningConfiguration:
        Status: Enabled
    DeletionPolicy: Retain
"""

SELECT = "XF101,XF102,XF103,XF104"


def test_fix_writes_only_the_fixes_in_the_files_own_style(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(BLOCK)
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", SELECT, "--fix")
    assert (tmp_path / "t.yaml").read_text() == BLOCK_FIXED
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Fixed 6 findings: All checks passed!" in done.stdout


def test_fix_is_idempotent(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(BLOCK_FIXED)
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", SELECT, "--fix")
    assert (tmp_path / "t.yaml").read_text() == BLOCK_FIXED and done.returncode == 0


def test_diff_shows_the_fixes_and_changes_nothing(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(BLOCK)
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", SELECT, "--diff")
    assert done.returncode == 1
    assert (tmp_path / "t.yaml").read_text() == BLOCK
    assert done.stdout.startswith("--- a/t.yaml\n+++ b/t.yaml\n")
    assert "-        BlockPublicPolicy: false   # reviewed: see TICKET-1\n" in done.stdout
    assert "+        BlockPublicPolicy: true   # reviewed: see TICKET-1\n" in done.stdout
    clean = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF106", "--diff")
    assert clean.returncode == 0 and clean.stdout == ""


def test_the_text_report_marks_fixable_findings_and_counts_them(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(BLOCK)
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", SELECT + ",XF105")
    lines = done.stdout.splitlines()
    assert any(line.startswith("t.yaml:3:3: XF101 [*] [medium]") for line in lines), lines
    assert any(" XF105 [high]" in line for line in lines)  # unsafe: no mark
    assert "; 4 fixable with lakelint --fix; 1 more with --fix --unsafe-fixes." in done.stdout


def test_select_limits_what_is_fixed(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(BLOCK)
    lakelint(tmp_path, plugins, "t.yaml", "--select", "XF103", "--fix")
    assert (tmp_path / "t.yaml").read_text() == BLOCK.rstrip("\n") + "\n    DeletionPolicy: Retain\n"


def test_unsafe_fixes_need_their_flag(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n")
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF105", "--fix")
    assert done.returncode == 1 and (tmp_path / "t.yaml").read_text() == "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n"
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF105", "--fix", "--unsafe-fixes")
    assert done.returncode == 0
    assert (tmp_path / "t.yaml").read_text() == (
        "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n"
        "        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n"
        "              SSEAlgorithm: aws:kms\n")


def test_flow_style_crlf_and_json_keep_their_form(tmp_path, plugins):
    (tmp_path / "flow.yaml").write_bytes(b"Resources:\r\n  Raw: {Type: AWS::S3::Bucket, Properties: {BucketName: raw}}\r\n")
    (tmp_path / "t.json").write_text('{\n    "Resources": {\n        "Raw": {\n            "Type": "AWS::S3::Bucket",\n'
                                     '            "Properties": {\n                "BucketName": "raw"\n            }\n'
                                     '        }\n    }\n}\n')
    done = lakelint(tmp_path, plugins, "flow.yaml", "t.json", "--select", "XF101", "--fix")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "flow.yaml").read_bytes() == (
        b"Resources:\r\n  Raw: {Type: AWS::S3::Bucket, Properties: {BucketName: raw, "
        b"VersioningConfiguration: {Status: Enabled}}}\r\n")
    assert (tmp_path / "t.json").read_text() == (
        '{\n    "Resources": {\n        "Raw": {\n            "Type": "AWS::S3::Bucket",\n'
        '            "Properties": {\n                "BucketName": "raw",\n'
        '                "VersioningConfiguration": {\n                    "Status": "Enabled"\n                }\n'
        '            }\n        }\n    }\n}\n')


NOT_FIXABLE = """\
Transform: AWS::LanguageExtensions
Parameters:
  Status: {Type: String, AllowedValues: [Enabled, Suspended]}
Conditions:
  IsProd: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Branchy:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: !If [IsProd, {Status: Enabled}, {Status: Suspended}]
  FromParameter:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: !Ref Status
  Fn::ForEach::Zones:
    - Zone
    - [a, b]
    - Zone${Zone}:
        Type: AWS::S3::Bucket
"""


def test_no_fix_is_guessed_under_an_if_a_parameter_or_a_loop(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(NOT_FIXABLE)
    report = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF101")
    assert "[*]" not in report.stdout and "fixable" not in report.stdout
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF101", "--diff")
    assert done.returncode == 0 and (tmp_path / "t.yaml").read_text() == NOT_FIXABLE
    reasons = sorted(line.split(": not fixable: ")[1] for line in done.stdout.splitlines())
    assert reasons == [
        "VersioningConfiguration is chosen by Fn::If: a fix would have to guess which branch to change",
        "VersioningConfiguration.Status comes from a Ref (a parameter or a resource): change the parameter's "
        "value instead",
        "the resource is made by Fn::ForEach::Zones: fix the source it is made from",
        "the resource is made by Fn::ForEach::Zones: fix the source it is made from"], done.stdout


def test_a_key_an_ensure_fix_would_set_from_a_parameter_is_not_guessed(tmp_path, plugins):
    """Regression: an "ensure" fix was marked fixable ([*], counted) when a key it sets came from a
    parameter, and --diff then gave a generic reason; blocked_by now looks inside the mapping."""
    text = ("Parameters:\n  Block: {Type: String, AllowedValues: ['true', 'false']}\nResources:\n  Raw:\n"
            "    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration:\n"
            "        BlockPublicAcls: !Ref Block\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n"
            "        RestrictPublicBuckets: true\n")
    (tmp_path / "t.yaml").write_text(text)
    report = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF102")
    assert "[*]" not in report.stdout and "fixable" not in report.stdout, report.stdout
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF102", "--diff")
    assert done.stdout == ("# t.yaml:8: XF102 on Raw: not fixable: PublicAccessBlockConfiguration.BlockPublicAcls "
                           "comes from a Ref (a parameter or a resource): change the parameter's value instead\n")
    assert (tmp_path / "t.yaml").read_text() == text


def test_a_fix_that_would_bring_a_new_finding_is_not_written(tmp_path, plugins):
    text = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n"
    (tmp_path / "t.yaml").write_text(text)
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF106,XF107", "--diff")
    assert done.returncode == 0 and (tmp_path / "t.yaml").read_text() == text
    assert ("# t.yaml:2: XF107 on Raw: not fixed: the fixed file gives a new finding: XF106 on Raw: transfer "
            "acceleration is configured") in done.stdout
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", "XF106,XF107", "--fix")
    assert done.returncode == 1 and (tmp_path / "t.yaml").read_text() == text


def test_sarif_carries_the_fixes_and_stays_valid(tmp_path, plugins):
    (tmp_path / "t.yaml").write_text(BLOCK)
    done = lakelint(tmp_path, plugins, "t.yaml", "--select", SELECT, "--format", "sarif")
    log = json.loads(done.stdout)
    jsonschema.validate(log, SCHEMA)
    fixed = [r for r in log["runs"][0]["results"] if r.get("fixes")]
    assert {r["ruleId"] for r in fixed} == {"XF101", "XF102", "XF103", "XF104"}
    retain = next(r for r in fixed if r["ruleId"] == "XF103")["fixes"][0]
    change = retain["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "t.yaml"
    assert change["replacements"] == [{"deletedRegion": {"startLine": 15, "startColumn": 1, "endLine": 15,
                                                         "endColumn": 1},
                                       "insertedContent": {"text": "    DeletionPolicy: Retain\n"}}]


def test_the_fixed_files_parse_with_cfn_lint(tmp_path, plugins):
    from cfnlint.decode import decode_str

    (tmp_path / "t.yaml").write_text(BLOCK)
    lakelint(tmp_path, plugins, "t.yaml", "--select", SELECT + ",XF105", "--fix", "--unsafe-fixes")
    template, problems = decode_str((tmp_path / "t.yaml").read_text())
    assert problems in (None, []) and template["Resources"]["Raw"]["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("args", [["--live", "--fix"], ["-", "--fix"], ["--unsafe-fixes"]])
def test_fix_flags_in_the_wrong_place_are_usage_errors(tmp_path, plugins, args):
    done = lakelint(tmp_path, plugins, *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "lakelint: error:" in done.stderr


# -- built-in checks: what the verification counts as the same finding ----------------------------

def builtin(cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})


def test_a_finding_the_fix_rewords_is_the_same_finding_not_a_new_one(tmp_path):
    """LL104's fix adds a rule that only aborts uploads: LL103 ("no lifecycle rule") stays, worded
    "no enabled lifecycle rule transitions or expires objects". That is LL103's finding on the same
    property, not a new one, so the fix is written (it was refused as bringing a new finding)."""
    text = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: lake-raw\n"
    (tmp_path / "t.yaml").write_text(text)
    done = builtin(tmp_path, "t.yaml", "--select", "LL103,LL104", "--fix")
    assert "DaysAfterInitiation: 7" in (tmp_path / "t.yaml").read_text(), done.stdout + done.stderr
    assert "LL103" in done.stdout and "LL104" not in done.stdout


def test_one_of_two_alike_findings_is_fixed_while_the_other_stays():
    """Two findings with one identity (same check, resource and property: two list items, say), one
    fixable and one not. After the fix one is left: counted, that is the fix verified (it was refused
    as "the fix does not make the finding go away")."""
    from lakelint.core.model import Finding
    from lakelint.fixes.apply import fix_file
    from lakelint.fixes.intents import no_fix, set_property

    def finding(fix):
        return Finding("LL118", "n", "low", "BucketKeyEnabled is not set", "template", "Raw", "AWS::S3::Bucket",
                       file="t.yaml", fingerprint_key="Flag", fix=fix.replace(resource="Raw", safety="safe"))

    fixable, blocked = finding(set_property("Flag", True)), finding(no_fix("an intrinsic makes it"))
    text = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: x\n"
    result = fix_file("t.yaml", text, [fixable, blocked], lambda fixed: [blocked])
    assert result.skipped == [] and result.fixed_findings == 1
    assert result.fixed == text + "      Flag: true\n"


def test_a_reason_names_the_property_as_the_findings_do(tmp_path):
    """The reason a fix is not written names the property path as findings do
    (``LifecycleConfiguration.Rules``), not the fixer's ``Properties.LifecycleConfiguration.Rules``."""
    (tmp_path / "t.yaml").write_text(
        "Conditions:\n  C: !Equals [a, b]\nResources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      LifecycleConfiguration:\n        Rules:\n"
        "          - !If [C, {Status: Enabled, ExpirationInDays: 9}, {Status: Enabled, ExpirationInDays: 8}]\n")
    done = builtin(tmp_path, "t.yaml", "--select", "LL104", "--diff")
    assert "LL104 on Raw: not fixed: LifecycleConfiguration.Rules holds an item written with an intrinsic" \
        in done.stdout, done.stdout + done.stderr


# -- intents with intrinsic functions, on another resource, and leaving a lesser finding -------------

def _apply(text: str, fix, resource: str = "Raw") -> str:
    from lakelint.fixes.apply import apply_fix
    from lakelint.fixes.intents import Fix

    return apply_fix(text, Fix(fix.intents, fix.description, resource=resource))


STATEMENT_YAML = ("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n  RawPolicy:\n    Type: AWS::S3::BucketPolicy\n"
                  "    Properties:\n      Bucket: !Ref Raw\n      PolicyDocument:\n        Statement:\n"
                  "          - Effect: Allow   # the readers\n            Principal: {AWS: \"arn:aws:iam::111122223333:root\"}\n"
                  "            Action: \"s3:GetObject\"\n            Resource: !Sub \"${Raw.Arn}/*\"\n")


def test_an_item_is_appended_to_another_resources_list_with_intrinsics_in_short_form():
    from lakelint.fixes.intents import append_item, get_att, sub

    item = {"Effect": "Deny", "Resource": [get_att("Raw", "Arn"), sub("${Raw.Arn}/*")]}
    fixed = _apply(STATEMENT_YAML, append_item("PolicyDocument.Statement", item, target="RawPolicy"))
    assert fixed == STATEMENT_YAML + (  # the file quotes with double quotes: so does the fix
        "          - Effect: Deny\n            Resource:\n              - !GetAtt Raw.Arn\n"
        "              - !Sub \"${Raw.Arn}/*\"\n")


def test_intrinsics_are_written_in_full_where_the_file_writes_them_so():
    from lakelint.fixes.intents import get_att, ref, set_property

    text = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: k\n" \
           "          Value: {Ref: 'AWS::StackName'}\n"
    fixed = _apply(text, set_property("Key.Id", get_att("Lake", "Arn")))
    assert fixed == text + "      Key:\n        Id:\n          Fn::GetAtt: [Lake, Arn]\n"
    flow = "Resources:\n  Raw: {Type: 'AWS::S3::Bucket', Properties: {Name: {Ref: Base}}}\n"
    assert _apply(flow, set_property("Other", ref("Base"))) == \
        "Resources:\n  Raw: {Type: 'AWS::S3::Bucket', Properties: {Name: {Ref: Base}, Other: {Ref: Base}}}\n"


def test_intrinsics_in_json_are_written_in_full():
    from lakelint.fixes.intents import get_att, set_property

    text = '{\n  "Resources": {\n    "Raw": {\n      "Type": "AWS::S3::Bucket",\n      "Properties": {\n' \
           '        "A": 1\n      }\n    }\n  }\n}\n'
    fixed = _apply(text, set_property("Key", get_att("Lake", "Arn")))
    assert json.loads(fixed)["Resources"]["Raw"]["Properties"]["Key"] == {"Fn::GetAtt": ["Lake", "Arn"]}
    assert '"A": 1,\n        "Key": {"Fn::GetAtt": ["Lake", "Arn"]}\n' in fixed  # on one line, as JSON templates write it


def test_a_fix_on_another_resource_is_not_guessed_where_that_resource_writes_an_intrinsic():
    from types import SimpleNamespace

    from lakelint.fixes.intents import append_item, blocked_by

    policy = SimpleNamespace(name="RawPolicy", props={"PolicyDocument": {"Fn::If": ["C", {}, {}]}}, attributes={},
                             origin=None)
    bucket = SimpleNamespace(name="Raw", props={}, attributes={}, origin=None,
                             stack=SimpleNamespace(resources=[policy]))
    reason = blocked_by(bucket, append_item("PolicyDocument.Statement", {}, target="RawPolicy"))
    assert "PolicyDocument is chosen by Fn::If" in reason
    assert "not a resource" in blocked_by(bucket, append_item("PolicyDocument.Statement", {}, target="Gone"))


def test_ll102_names_the_aws_managed_key_without_a_key_in_the_template_and_is_refused_where_ll119_runs(tmp_path):
    """Without a KMS key of its own in the template, LL102's fix names alias/aws/s3: applied with LL102
    alone, refused (with the reason) where LL119 runs, since that fix trades LL102 for LL119."""
    text = ("Resources:\n  Raw:   # the lake's raw zone\n    Type: AWS::S3::Bucket\n"
            "    Properties:\n      BucketName: lake-raw-0021\n")
    template = tmp_path / "t.yaml"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    template.write_text(text)
    done = subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--fix", "--unsafe-fixes", "--select",
                           "LL102,LL119"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert template.read_text() == text, done.stdout
    shown = subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--diff", "--unsafe-fixes", "--select",
                            "LL102,LL119"], cwd=tmp_path, capture_output=True, text=True, env=env).stdout
    assert "LL102 on Raw: not fixed: the fixed file gives a new finding: LL119" in shown, shown
    done = subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--fix", "--unsafe-fixes", "--select",
                           "LL102"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert template.read_text() == text + (
        "      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n"
        "          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n"
        "              KMSMasterKeyID: alias/aws/s3\n            BucketKeyEnabled: true\n"), done.stdout + done.stderr


def test_a_finding_the_fix_leaves_in_other_words_is_not_new_but_the_fixed_one_reworded_is_not_fixed():
    from types import SimpleNamespace

    from lakelint.fixes.apply import fix_file
    from lakelint.fixes.intents import set_property

    def finding(check, message, fix=None, key="PolicyDocument"):
        return SimpleNamespace(check=check, resource="Raw", fingerprint_key=key, message=message, fix=fix,
                               suppressed=False, condition=None, verdict="fail")

    fix = set_property("A", 2).bound(SimpleNamespace(name="Raw", props={}, attributes={}), "unsafe")
    text = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: 1\n"
    before = [finding("LL105", "no policy", fix, key="A"), finding("LL124", "no bucket policy denies uploads")]
    reworded = [finding("LL124", "bucket policy RawPolicy has no statement that denies uploads")]
    assert fix_file("t.yaml", text, before, lambda _: reworded, unsafe=True).changed
    unfixed = reworded + [finding("LL105", "A is 2, not 3", key="A")]
    result = fix_file("t.yaml", text, before, lambda _: unfixed, unsafe=True)
    assert not result.changed and "LL105 on Raw remains" in result.skipped[0][1]
    other = [finding("LL124", "no bucket policy denies uploads", key="Other")]
    assert not fix_file("t.yaml", text, before, lambda _: other, unsafe=True).changed


def test_ll105_adds_a_tls_only_policy_to_a_bucket_without_one_under_its_condition_and_a_free_name(tmp_path):
    """The add-resource half of LL105's fix, byte for byte (its fixtures in fixtures/LL105/fix/ append to
    an existing policy: there LL124's finding keeps its words, here it names the new policy, which the
    verification accepts as the same finding reworded)."""
    template = tmp_path / "t.yaml"
    template.write_text(
        'Conditions:\n  IsProd: !Equals [!Ref AWS::AccountId, "111122223333"]\nResources:\n'
        "  Raw:   # the raw zone\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n"
        "  RawTlsOnlyPolicy:   # the name is taken\n    Type: AWS::SNS::Topic\n\n"
        "Outputs:\n  Name: {Value: !Ref Raw, Condition: IsProd}\n")
    before = template.read_text()
    done = subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--fix", "--unsafe-fixes", "--select",
                           "LL105,LL124"], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})
    added = ("  RawTlsOnlyPolicy2:\n    Type: AWS::S3::BucketPolicy\n    Condition: IsProd\n    Properties:\n"
             "      Bucket: !Ref Raw\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n"
             "          - Effect: Deny\n            Principal: \"*\"\n            Action: \"s3:*\"\n"
             "            Resource:\n              - !GetAtt Raw.Arn\n              - !Sub \"${Raw.Arn}/*\"\n"
             "            Condition:\n              Bool:\n                aws:SecureTransport: \"false\"\n")
    assert template.read_text() == before.replace("SNS::Topic\n", "SNS::Topic\n" + added), done.stdout + done.stderr
    assert "LL105" not in done.stdout and "LL124" in done.stdout, done.stdout


def test_ll105_adds_a_policy_in_json_with_intrinsics_in_full(tmp_path):
    template = tmp_path / "t.json"
    template.write_text('{\n    "Resources": {\n        "Raw": {"Type": "AWS::S3::Bucket"}\n    }\n}\n')
    subprocess.run([sys.executable, "-m", "lakelint", "t.json", "--fix", "--unsafe-fixes", "--select", "LL105"],
                   cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    text = template.read_text()
    assert text.startswith('{\n    "Resources": {\n        "Raw": {"Type": "AWS::S3::Bucket"},\n'
                           '        "RawTlsOnlyPolicy": {\n            "Type": "AWS::S3::BucketPolicy",\n'), text
    policy = json.loads(text)["Resources"]["RawTlsOnlyPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "Raw"}
    assert policy["PolicyDocument"]["Statement"][0]["Resource"] == [{"Fn::GetAtt": ["Raw", "Arn"]},
                                                                     {"Fn::Sub": "${Raw.Arn}/*"}]
    assert '\n' + " " * 28 + '"Resource": [\n' + " " * 32 + '{"Fn::GetAtt": ["Raw", "Arn"]},\n' in text


def test_an_item_is_appended_to_a_list_whose_dashes_stand_on_lines_of_their_own():
    from lakelint.fixes.intents import append_item

    text = ("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        -\n"
            "          Key: a\n          Value: b\n")
    fixed = _apply(text, append_item("Tags", {"Key": "c", "Value": "d"}))
    assert fixed == text + "        - Key: c\n          Value: d\n"


def test_a_file_named_twice_through_a_link_is_fixed_once(tmp_path):
    """``plain.yaml`` and ``link.yaml -> plain.yaml`` are one file: fixing it under both names applied
    the second name's fixes, positioned on the text as first linted, to the already fixed file (two abort
    rules, two Block Public Access blocks). It is fixed once, and the other name is said."""
    text = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: lake-raw-0001\n"
    (tmp_path / "plain.yaml").write_text(text)
    (tmp_path / "link.yaml").symlink_to("plain.yaml")
    done = builtin(tmp_path, ".", "--fix")
    fixed = (tmp_path / "plain.yaml").read_text()
    assert fixed.count("PublicAccessBlockConfiguration:") == 1, fixed
    assert fixed.count("abort-incomplete-multipart-uploads") == 1, fixed
    assert "lakelint: note: plain.yaml: the same file as link.yaml, fixed once under that name" in done.stderr
    assert "Traceback" not in done.stderr and done.returncode == 1
    again = builtin(tmp_path, ".", "--fix")
    assert (tmp_path / "plain.yaml").read_text() == fixed, again.stdout  # nothing left that --fix changes

"""The CloudFormation source: tags, positions, what counts as CloudFormation, SAM, CDK, relations."""

from __future__ import annotations

import json

import pytest

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates
from lakelint.sources.cloudformation.loader import TemplateError, parse
from lakelint.sources.cloudformation.source import find_files, load_text
from lakelint.core.values import pos_of

SPECS = load_checks(plugins=False)

SHORT_FORMS = {
    "!Ref X": {"Ref": "X"},
    "!GetAtt Bucket.Arn": {"Fn::GetAtt": ["Bucket", "Arn"]},
    "!GetAtt [Bucket, Arn]": {"Fn::GetAtt": ["Bucket", "Arn"]},
    "!Sub a-${X}": {"Fn::Sub": "a-${X}"},
    "!Join [',', [a, b]]": {"Fn::Join": [",", ["a", "b"]]},
    "!If [C, a, b]": {"Fn::If": ["C", "a", "b"]},
    "!Select [0, [a]]": {"Fn::Select": [0, ["a"]]},
    "!Split [',', 'a,b']": {"Fn::Split": [",", "a,b"]},
    "!FindInMap [M, k, v]": {"Fn::FindInMap": ["M", "k", "v"]},
    "!Base64 text": {"Fn::Base64": "text"},
    "!Cidr [10.0.0.0/16, 4, 8]": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
    "!ImportValue Shared": {"Fn::ImportValue": "Shared"},
    "!GetAZs ''": {"Fn::GetAZs": ""},
    "!Equals [a, b]": {"Fn::Equals": ["a", "b"]},
    "!And [!Condition A, !Condition B]": {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]},
    "!Or [!Condition A, !Condition B]": {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]},
    "!Not [!Condition A]": {"Fn::Not": [{"Condition": "A"}]},
    "!ToJsonString {a: 1}": {"Fn::ToJsonString": {"a": 1}},
    "!Length [a, b]": {"Fn::Length": ["a", "b"]},
    "!Transform {Name: M}": {"Fn::Transform": {"Name": "M"}},
}


@pytest.mark.parametrize("text, expected", SHORT_FORMS.items(), ids=list(SHORT_FORMS))
def test_every_short_form_tag(text, expected):
    assert parse(f"V: {text}\n")["V"] == expected


def test_unknown_tag_is_an_error_with_position():
    with pytest.raises(TemplateError) as info:
        parse("Resources:\n  B:\n    Type: !Bogus x\n")
    assert "unknown tag !Bogus" in info.value.message and (info.value.line, info.value.column) == (3, 11)


def test_duplicate_key_names_both_lines():
    with pytest.raises(TemplateError) as info:
        parse("Resources:\n  B:\n    Type: a\n  B:\n    Type: b\n")
    assert info.value.line == 4 and "first defined on line 2" in info.value.message


def test_json_keeps_line_and_column_of_keys_and_values():
    root = parse('{\n  "Resources": {\n    "B": {"Type": "AWS::S3::Bucket", "Properties": {"X": 1e3}}\n  }\n}\n', json_mode=True)
    bucket = root["Resources"]["B"]
    assert root["Resources"].key_pos["B"] == (3, 5)
    assert pos_of(bucket, "Type") == (3, 19)
    assert bucket["Properties"]["X"] == 1000.0  # a JSON number, not YAML 1.1's string


@pytest.mark.parametrize("text", [
    "", "just: a config\n", "Resources: 3\n", "Resources:\n  Thing: {Properties: {}}\n",
    "[1, 2, 3]\n", "openapi: 3.0.0\npaths: {}\n",
])
def test_files_that_are_not_cloudformation_are_skipped_silently(text):
    stack, errors = load_text("x.yaml", text.encode())
    assert stack is None and errors == []


def test_sam_template_is_cloudformation(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: a.b, Runtime: python3.12, CodeUri: .}\n  Data:\n    Type: AWS::S3::Bucket\n")
    report = lint_templates([str(tmp_path)], Config(select=["LL102"]), SPECS)
    assert [(f.check, f.resource, f.line) for f in report.findings] == [("LL102", "Data", 6)]


def test_cdk_out_templates_are_linted_and_cdk_metadata_is_not(tmp_path):
    out = tmp_path / "cdk.out"
    (out / "asset.abc123").mkdir(parents=True)
    (out / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {}}))
    (out / "tree.json").write_text(json.dumps({"version": "tree-0.1", "tree": {"id": "App"}}))
    (out / "LakeStack.template.json").write_text(json.dumps(
        {"Resources": {"RawBucket1A2B3C": {"Type": "AWS::S3::Bucket", "Properties": {}}}}, indent=1))
    (out / "asset.abc123" / "bundled.template.json").write_text(json.dumps(
        {"Resources": {"Other": {"Type": "AWS::S3::Bucket"}}}))
    report = lint_templates([str(tmp_path)], Config(select=["LL102"], exclude=["cdk.out/asset.*"], base=str(tmp_path)), SPECS)
    assert [(f.file.split("/")[-1], f.resource) for f in report.findings] == [("LakeStack.template.json", "RawBucket1A2B3C")]
    assert report.files == 1 and report.errors == []


@pytest.mark.parametrize("reference", [
    "!Ref Lake", "!GetAtt Lake.Arn", "!Sub '${Lake}'", "lake-raw-data", "arn:aws:s3:::lake-raw-data",
])
def test_bucket_policy_is_linked_to_its_bucket(reference):
    text = ("Resources:\n  Lake:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: lake-raw-data}\n"
            f"  LakePolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: {reference}\n"
            "      PolicyDocument: {Statement: []}\n")
    stack, _ = load_text("t.yaml", text.encode())
    bucket, policy = stack.resources
    assert bucket.related("policies") == [policy] and policy.related("target") == [bucket]


def test_unlinked_policy_for_another_stacks_bucket():
    text = ("Resources:\n  LakePolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
            "      Bucket: !ImportValue shared-bucket\n      PolicyDocument: {}\n")
    stack, _ = load_text("t.yaml", text.encode())
    assert stack.resources[0].related("target") == []


def test_resources_with_a_condition_are_still_checked(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("Conditions:\n  C: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n  B:\n"
                    "    Type: AWS::S3::Bucket\n    Condition: C\n")
    report = lint_templates([str(path)], Config(select=["LL102"]), SPECS)
    # it fails wherever it exists: no condition to name
    assert [(f.check, f.resource, f.line, f.condition) for f in report.findings] == [("LL102", "B", 4, None)]


def test_a_resource_whose_condition_is_never_true_is_never_created_so_never_checked(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("Conditions:\n  C: !Equals [a, b]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: C\n")
    assert lint_templates([str(path)], Config(select=["LL102"]), SPECS).findings == []


def test_walk_sorts_files_and_picks_template_suffixes(tmp_path):
    for name in ("b.yaml", "a.yml", "c.json", "d.template", "e.txt", ".hidden/f.yaml", "node_modules/g.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    files, errors = find_files([str(tmp_path)])
    assert [p.name for _, p in files] == ["a.yml", "b.yaml", "c.json", "d.template"] and errors == []


@pytest.mark.parametrize("raw", [b"a: 1\n", b"\xef\xbb\xbfa: 1\n", b"\xef\xbb\xbf\xef\xbb\xbfa", b"a: \xff\n",
                                 b"\xef\xbb\xbfa:\n  b: caf\xe9\n", b"", b"\xef\xbb", "é✓".encode()])
def test_utf8_templates_decode_as_the_utf8_sig_codec_does(raw):
    """decode_text strips the byte-order mark itself; text and errors stay the utf-8-sig codec's."""
    from lakelint.sources.cloudformation.loader import TemplateError, decode_text

    try:
        expected = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        with pytest.raises(TemplateError) as error:
            decode_text(raw)
        assert (str(error.value), error.value.line, error.value.column) == (
            str(TemplateError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line, column)), line, column)
    else:
        assert decode_text(raw) == expected

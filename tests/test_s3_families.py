"""The S3 Tables, S3 Vectors and S3 Express checks (LL131-LL137) on templates: their fixtures are valid
CloudFormation, the general purpose bucket checks never judge these types, and LL137's option.

cfn-lint (its resource schemas are the reference for the types' property names and allowed values)
must accept every fixture of these checks without a single match, so the fixtures test lakelint on
templates CloudFormation would deploy, not on shapes it would refuse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

ROOT = Path(__file__).resolve().parent.parent
CODES = ("LL131", "LL132", "LL133", "LL134", "LL135", "LL136", "LL137")
FIXTURES = sorted(p for code in CODES for p in (ROOT / "fixtures" / code / "template").iterdir())
SPECS = load_checks(plugins=False)
NEW_TYPES = ("AWS::S3Tables::", "AWS::S3Vectors::", "AWS::S3Express::")


BAD_TEMPLATE = ("Resources:\n  T:\n    Type: AWS::S3Tables::TableBucket\n    Properties:\n"
                "      TableBucketName: lake-tables\n      EncryptionConfiguration:\n"
                "        SSEAlgorithm: aws:kms:dsse\n        KmsKeyArn: arn\n")


@pytest.fixture(scope="module")
def cfn_lint_matches(tmp_path_factory) -> dict:
    """cfn-lint's matches on every fixture and on one template its schemas refuse, by file: one cfn-lint
    run (its schemas load once)."""
    from cfnlint.api import ManualArgs, lint_by_config

    bad = tmp_path_factory.mktemp("cfn") / "bad.yaml"
    bad.write_text(BAD_TEMPLATE)
    found = {}
    files = [str(p) for p in FIXTURES] + [str(bad)]
    for match in lint_by_config(ManualArgs(templates=files, regions=["us-east-1"])):
        found.setdefault(str(Path(match.filename).resolve()), []).append((match.rule.id, match.linenumber,
                                                                           match.message))
    found["<bad>"] = found.pop(str(bad.resolve()), [])
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_fixture_is_a_template_cfn_lint_accepts(path, cfn_lint_matches):
    assert cfn_lint_matches.get(str(path.resolve()), []) == []


def test_cfn_lint_does_report_what_its_schemas_refuse(cfn_lint_matches):
    """The check above would pass on anything if cfn-lint read none of the types: in the same run, a
    wrong property name and a value outside the schema's enum are reported."""
    assert {rule for rule, _, _ in cfn_lint_matches["<bad>"]} >= {"E3002", "E3030"}


def test_the_checks_are_preview_checks_of_the_catalog():
    by_code = {s.code: s for s in SPECS}
    expected = {"LL131": ("s3tables-kms", "medium"), "LL132": ("s3tables-policy-public", "high"),
                "LL133": ("s3tables-maintenance", "low"), "LL134": ("s3vectors-kms", "medium"),
                "LL135": ("s3vectors-policy-public", "high"), "LL136": ("s3express-kms", "medium"),
                "LL137": ("s3express-policy-public", "high")}
    for code, (name, severity) in expected.items():
        spec = by_code[code]
        assert (spec.name, spec.severity, spec.preview, set(spec.sources)) == (name, severity, True,
                                                                              {"template", "live"})
        assert all(t.startswith(NEW_TYPES) for t in spec.resource_types)


def test_general_purpose_bucket_checks_never_judge_directory_table_or_vector_buckets():
    """LL101-LL125 judge ``AWS::S3::Bucket`` and its policies and access points; the new types are other
    CloudFormation types, so none of those checks reports anything on the new checks' fixtures."""
    gp = [s.code for s in SPECS if s.code.startswith("LL1") and "101" <= s.code[2:] <= "125"]
    config = build_config({"select": gp, "preview": True}, None)
    report = lint_templates([str(p) for p in FIXTURES], config, SPECS)
    judged = {f.resource for f in report.findings}
    resources = [(f.check, f.resource, f.message) for f in report.findings]
    assert report.errors == [] and resources == [], resources
    assert not judged


def lint(text: str, tmp_path, **config):
    path = tmp_path / "stack.yaml"
    path.write_text(text)
    return lint_templates([str(path)], build_config({"select": ["LL137"], "preview": True, **config}, None), SPECS)


ACCESS_POINTS = """
Resources:
  InternetAccessPoint:
    Type: AWS::S3Express::AccessPoint
    Properties:
      Bucket: lake-hot--use1-az4--x-s3
      Name: public--use1-az4--xa-s3
  VpcAccessPoint:
    Type: AWS::S3Express::AccessPoint
    Properties:
      Bucket: lake-hot--use1-az4--x-s3
      Name: spark--use1-az4--xa-s3
      VpcConfiguration:
        VpcId: !Ref VpcId
Parameters:
  VpcId:
    Type: AWS::EC2::VPC::Id
"""


def test_vpc_only_access_points_is_an_option_off_by_default(tmp_path):
    assert lint(ACCESS_POINTS, tmp_path).findings == []
    report = lint(ACCESS_POINTS, tmp_path, **{"s3express-vpc-only-access-points": True})
    assert [(f.resource, f.line) for f in report.findings] == [("InternetAccessPoint", 3)]
    assert "network origin is Internet" in report.findings[0].message
    # a VPC id only known at deploy time is still a VPC: presence is what the option asks for


def test_the_option_is_validated(tmp_path):
    from lakelint.core.config import ConfigError

    with pytest.raises(ConfigError, match="s3express-vpc-only-access-points"):
        lint(ACCESS_POINTS, tmp_path, **{"s3express-vpc-only-access-points": "yes"})


VECTORS = """
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  ProdBucket:
    Type: AWS::S3Vectors::VectorBucket
    Properties: {VectorBucketName: lake-embeddings}
  DevBucket:
    Type: AWS::S3Vectors::VectorBucket
  ByArn:
    Type: AWS::S3Vectors::Index
    Properties:
      VectorBucketArn: arn:aws:s3vectors:us-east-1:111122223333:bucket/lake-embeddings
      IndexName: by-arn
  ByIf:
    Type: AWS::S3Vectors::Index
    Properties:
      VectorBucketArn: !If [IsProd, !Ref ProdBucket, !GetAtt DevBucket.VectorBucketArn]
      IndexName: by-if
  Elsewhere:
    Type: AWS::S3Vectors::Index
    Properties: {VectorBucketName: shared-embeddings, IndexName: elsewhere}
"""


def test_an_index_is_linked_to_the_vector_bucket_it_names():
    from lakelint.sources.cloudformation.loader import parse
    from lakelint.sources.cloudformation.template import build_stack

    resources = {r.name: r for r in build_stack(parse(VECTORS), "t.yaml").resources}
    assert [b.name for b in resources["ByArn"].related("vector_bucket")] == ["ProdBucket"]
    assert sorted(b.name for b in resources["ByIf"].related("vector_bucket")) == ["DevBucket", "ProdBucket"]
    assert resources["Elsewhere"].related("vector_bucket") == []
    assert sorted(i.name for i in resources["ProdBucket"].related("indexes")) == ["ByArn", "ByIf"]

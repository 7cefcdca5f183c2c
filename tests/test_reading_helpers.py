"""The reading API's additions for views and attributes (lakelint/core/reading.py): ``read_derived``,
``read_attribute``, ``cannot_verify`` and ``known(resource=...)``; and the pieces an unknown text keeps
(``Unresolved.parts``, ``split_from``) so a check can name the piece that decides."""

from __future__ import annotations

from lakelint.core.check import CheckSpec, check, fail
from lakelint.core.config import Config
from lakelint.core.reading import cannot_verify, known, read_attribute, read_derived, recording_paths, session
from lakelint.core.values import MISSING, Unresolved
from lakelint.runs.templates import lint_templates
from lakelint.sources.cloudformation.loader import parse
from lakelint.sources.cloudformation.template import build_stack


def spec(code, func, reads, resource_types=("AWS::S3::Bucket",)):
    meta = check(code=code, name=f"test-{code.lower()}", severity="low", title="test check",
                 resource_types=list(resource_types), sources=["template"], reads=reads)(func).__lakelint_check__
    return CheckSpec(func=func, summary="test check", docs={}, module=f"tests.{code.lower()}", origin="test", **meta)


def lint(tmp_path, text, specs):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    return lint_templates([str(path)], Config(select=[s.code for s in specs]), specs, jobs=1)


TEMPLATE = """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
  Keep: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Lake:
    Type: AWS::S3::Bucket
    DeletionPolicy: !If [IsProd, Retain, Delete]
    UpdateReplacePolicy: !Ref Keep
    Properties:
      Tags: !If [IsProd, [{Key: tier, Value: gold}], [{Key: tier, Value: bronze}]]
"""

CALLS = []


def count_tags(value):
    CALLS.append(value)
    return [tag.get("Value") for tag in value] if isinstance(value, list) else MISSING


def derived_gold(bucket, ctx):
    for values in read_derived(bucket, "Tags", count_tags):
        if values != ["gold"]:
            yield fail(f"tier is {values[0]}")


def derived_any(bucket, ctx):
    for values in read_derived(bucket, "Tags", count_tags):
        if "gold" in values:
            yield fail("gold tier")


def test_read_derived_computes_once_per_resource_and_verdicts_hold_in_their_branch(tmp_path):
    CALLS.clear()
    specs = [spec("XT001", derived_gold, {"AWS::S3::Bucket": ["Tags"]}),
             spec("XT002", derived_any, {"AWS::S3::Bucket": ["Tags"]})]
    report = lint(tmp_path, TEMPLATE, specs)
    assert len(CALLS) == 2  # two branches, derived once for both checks
    found = sorted((f.check, f.message, f.condition) for f in report.findings)
    assert found == [("XT001", "tier is bronze (when IsProd is false)", "IsProd=false"),
                     ("XT002", "gold tier (when IsProd is true)", "IsProd=true")]


def retained(bucket, ctx):
    for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
        for value in read_attribute(bucket, attribute):
            if value != "Retain":
                yield fail(f"{attribute} is {value if value is not MISSING else 'not set'}")


def test_read_attribute_reads_an_attribute_like_a_property(tmp_path):
    with recording_paths() as paths:
        report = lint(tmp_path, TEMPLATE, [spec("XT003", retained, {"AWS::S3::Bucket": ["DeletionPolicy"]})])
    found = sorted((f.message, f.verdict, f.line) for f in report.findings)
    assert found == [
        ("DeletionPolicy is Delete (when IsProd is false)", "fail", 9),
        ("cannot verify UpdateReplacePolicy: it comes from parameter Keep, which has no AllowedValues or Default",
         "unverifiable", 10),
    ]
    assert paths["XT003"] == {("AWS::S3::Bucket", "DeletionPolicy"), ("AWS::S3::Bucket", "UpdateReplacePolicy")}


def test_cannot_verify_gives_the_verdict_known_reports_and_known_names_its_resource():
    stack = build_stack(parse(TEMPLATE), "t.yaml")
    bucket = stack.resources[0]
    value = Unresolved("${Keep}", "comes from parameter Keep")
    verdict = cannot_verify(value, "the policy", key="K")
    assert (verdict.kind, verdict.message, verdict.cause, verdict.key) == (
        "unknown", "cannot verify the policy: it comes from parameter Keep", value, "K")
    reads = session()
    assert known(value, "the account record", resource=bucket) is None
    assert known("Retain", "the account record", resource=bucket) == "Retain"
    (reported,) = reads.finish()
    assert reported.resource is bucket and reported.message.startswith("cannot verify the account record: it ")


PIECES = """\
Parameters:
  Acct: {Type: String}
  Name: {Type: String, AllowedPattern: "^[a-z0-9-]{3,40}$"}
  Accts: {Type: CommaDelimitedList}
Resources:
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "lake-${Name}-raw"
      A: !Sub "arn:${AWS::Partition}:iam::${Acct}:root"
      B: !Split [",", !Sub ["arn:${AWS::Partition}:iam::${inner}:root", {inner: !Join [",", !Ref Accts]}]]
      C: !Join ["-", [!Ref Name, "x", !Sub "${AWS::Region}-${Acct}"]]
"""


def test_an_unknown_text_keeps_its_pieces():
    bucket = build_stack(parse(PIECES), "t.yaml").resources[0]
    (name,) = [b.value for b in bucket.branches("BucketName")]
    assert name.parts == ("lake-", "${Name}", "-raw")
    assert name.parts[1].constraints == {"AllowedPattern": "^[a-z0-9-]{3,40}$"}
    (arn,) = [b.value for b in bucket.branches("A")]
    assert [str(p) for p in arn.parts] == ["arn:", "${AWS::Partition}", ":iam::", "${Acct}", ":root"]
    assert arn.parts[3].reason == "comes from parameter Acct, which has no AllowedValues or Default"
    (split,) = [b.value for b in bucket.branches("B")]
    assert str(split) == "${Fn::Split}" and str(split.split_from).startswith("arn:${AWS::Partition}:iam::")
    (joined,) = [b.value for b in bucket.branches("C")]  # a Sub inside a Join: one flat list of pieces
    assert [str(p) for p in joined.parts] == ["${Name}", "-x-", "${AWS::Region}", "-", "${Acct}"]

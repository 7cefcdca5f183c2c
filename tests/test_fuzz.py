"""Fuzzing: random templates built from every intrinsic function and every resource type a check reads.

Whatever the template, lakelint must give a verdict or say why it could not: no internal error (a
check or the evaluator crashing), an exit code of 0, 1 or 2, and a bounded time per template. The
templates come from hypothesis (derandomized, so CI sees the same ones every run, and bounded in
number); property names are taken from the check fixtures, so the checks really run on them.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lakelint.cli import main
from lakelint.core.registry import load_checks

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)
SECONDS_PER_TEMPLATE = 5.0


def _vocabulary() -> dict:
    """{resource type: sorted property names} for every type a check judges or reads, from fixtures."""
    types = {t for s in SPECS for t in (*s.resource_types, *s.reads) if t.startswith("AWS::")}
    found = {t: set() for t in types}
    for path in sorted((ROOT / "fixtures").glob("LL*/template/*")):
        try:
            data = yaml.load(path.read_text(), Loader=_Lenient)
        except yaml.YAMLError:
            continue
        for body in (data or {}).get("Resources", {}).values() if isinstance(data, dict) else ():
            if isinstance(body, dict) and body.get("Type") in found and isinstance(body.get("Properties"), dict):
                found[body["Type"]] |= set(body["Properties"])
    return {t: sorted(props) or ["Name"] for t, props in sorted(found.items())}


class _Lenient(yaml.SafeLoader):
    """Reads fixtures with short-form tags as plain values (only their keys matter here)."""


_Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)
VOCABULARY = _vocabulary()
PARAMETERS = ["Env", "Alg", "Free", "Secret", "Names", "Ssm"]
CONDITIONS = ["IsProd", "HasKey", "InEast", "Both"]

scalars = st.one_of(st.sampled_from(["", "true", "false", "aws:kms", "AES256", "Enabled", "arn:aws:iam::111122223333:root",
                                     "*", "s3:*", "lake-raw", "0", "10.0.0.0/16", "PublicRead"]),
                    st.booleans(), st.integers(min_value=-3, max_value=400), st.none())


def intrinsics(children):
    names = st.sampled_from(PARAMETERS + CONDITIONS + ["Lake", "AWS::Region", "AWS::NoValue", "AWS::StackId", "Nope"])
    return st.one_of(
        st.builds(lambda n: {"Ref": n}, names),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(CONDITIONS + ["Undefined"]), children, children),
        st.builds(lambda t: {"Fn::Sub": t}, st.sampled_from(["lake-${Env}", "${AWS::Region}-${Nope}", "${Lake.Arn}/*",
                                                            "${!Literal}", "{{resolve:ssm:/x/${Env}}}"])),
        st.builds(lambda t, v: {"Fn::Sub": [t, {"X": v}]}, st.sampled_from(["${X}-${Env}", "a"]), children),
        st.builds(lambda d, items: {"Fn::Join": [d, items]}, st.sampled_from(["", ",", ":"]), st.lists(children, max_size=3)),
        st.builds(lambda i, items: {"Fn::Select": [i, items]}, st.one_of(st.integers(-1, 3), children), children),
        st.builds(lambda d, s: {"Fn::Split": [d, s]}, st.sampled_from(["", "/", ","]), children),
        st.builds(lambda m, a, b: {"Fn::FindInMap": [m, a, b]}, st.sampled_from(["Algorithms", "Nope"]), children,
                  st.sampled_from(["Alg", "Key"])),
        st.builds(lambda a, d: {"Fn::FindInMap": ["Algorithms", a, "Alg", {"DefaultValue": d}]}, children, children),
        st.builds(lambda r, a: {"Fn::GetAtt": [r, a]}, st.sampled_from(["Lake", "Nope"]), st.sampled_from(["Arn", "X.Y"])),
        st.builds(lambda v: {"Fn::ImportValue": v}, children),
        st.builds(lambda v: {"Fn::Base64": v}, children),
        st.builds(lambda v: {"Fn::GetAZs": v}, children),
        st.builds(lambda v: {"Fn::Cidr": [v, 2, 8]}, children),
        st.builds(lambda v: {"Fn::Length": v}, children),
        st.builds(lambda v: {"Fn::ToJsonString": v}, children),
        st.builds(lambda v: {"Fn::Transform": {"Name": "Macro", "Parameters": v}}, children),
        st.builds(lambda a, b: {"Fn::Equals": [a, b]}, children, children),
        st.builds(lambda v: {"Fn::Not": [v]}, children),
        st.builds(lambda v: {"Fn::And": v}, st.lists(children, max_size=2)),
        st.builds(lambda v: {"Fn::Or": v}, st.lists(children, max_size=2)),
        st.builds(lambda c: {"Condition": c}, st.sampled_from(CONDITIONS)),
    )


values = st.recursive(scalars, lambda children: st.one_of(
    intrinsics(children), st.lists(children, max_size=3),
    st.dictionaries(st.sampled_from(["Status", "SSEAlgorithm", "Effect", "Principal", "Action", "Resource",
                                     "Condition", "Rules", "Key", "Value", "Enabled"]), children, max_size=3)),
    max_leaves=12)


@st.composite
def resources(draw):
    kind = draw(st.sampled_from(sorted(VOCABULARY)))
    props = draw(st.dictionaries(st.sampled_from(VOCABULARY[kind]), values, max_size=4))
    body = {"Type": kind, "Properties": props}
    if draw(st.booleans()):
        body["Condition"] = draw(st.sampled_from(CONDITIONS))
    return body


@st.composite
def templates(draw):
    parameters = {
        "Env": {"Type": "String", "AllowedValues": ["dev", "prod"]},
        "Alg": {"Type": "String", "Default": "aws:kms"},
        "Free": {"Type": "String"},
        "Secret": {"Type": "String", "NoEcho": True, "Default": draw(st.sampled_from(["hunter22", "x"]))},
        "Names": {"Type": "CommaDelimitedList", "Default": "a,b"},
        "Ssm": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/lake/alg"},
    }
    conditions = {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "HasKey": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Free"}, ""]}]},
        "InEast": draw(st.one_of(st.just({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}), values)),
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "HasKey"}]},
    }
    body = draw(st.dictionaries(st.sampled_from(["Lake", "A", "B", "C", "D"]), resources(), min_size=1, max_size=4))
    template = {"Parameters": parameters, "Mappings": {"Algorithms": {"dev": {"Alg": "AES256"}, "prod": {"Alg": "aws:kms"}}},
                "Conditions": conditions, "Resources": body}
    if draw(st.booleans()):
        template["Transform"] = "AWS::LanguageExtensions"
        template["Resources"]["Fn::ForEach::Loop"] = ["Item", draw(st.one_of(st.just(["x", "y"]), values)),
                                                      {"${Item}Bucket": draw(resources())}]
    return template


@settings(max_examples=120, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(template=templates(), as_json=st.booleans())
def test_any_template_gets_a_verdict_or_a_reason(tmp_path_factory, template, as_json):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / ("t.json" if as_json else "t.yaml")
    path.write_text(yaml.safe_dump(template, sort_keys=False) if not as_json else _json(template))
    out = folder / "report.json"
    start = time.monotonic()
    code = main([str(path), "--format", "json", "-o", str(out)])
    elapsed = time.monotonic() - start
    assert code in (0, 1, 2)
    assert elapsed < SECONDS_PER_TEMPLATE, f"{elapsed:.1f} s on\n{path.read_text()[:2000]}"
    report = out.read_text()
    assert "internal error" not in report, report[:3000] + "\n" + path.read_text()[:3000]
    assert "hunter22" not in report


def _json(template) -> str:
    import json

    return json.dumps(template, indent=1, default=str)

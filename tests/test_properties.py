"""Property-based tests: generated templates, valid and mutated, through the loader and the engine.

What must hold for every input hypothesis can think of:

- the loader returns data or raises ``TemplateError`` (with a position inside the text), never
  anything else; a whole file through the source gives a stack or error entries, never an exception;
- the engine lints whatever the loader accepts without an internal error;
- the position-keeping loader reads data exactly as PyYAML and the json module do;
- findings do not depend on formatting or key order: the same template as block YAML with short-form
  tags, long-form YAML, flow YAML, indented JSON and one-line JSON, with its mappings in any order,
  gives the same findings (everything but line and column).

The examples are derandomized (a fixed sequence, the same on every machine and in CI) and kept small
enough for the whole module to run in well under 30 s. Set LAKELINT_HYPOTHESIS_EXAMPLES to explore
further locally.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lakelint.core.config import Config
from lakelint.core.engine import Engine
from lakelint.core.registry import load_checks
from lakelint.sources.cloudformation.loader import TemplateError, decode_text, parse
from lakelint.sources.cloudformation.source import load_text

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)
EXAMPLES = int(os.environ.get("LAKELINT_HYPOTHESIS_EXAMPLES", "0")) or None


def _ci(examples: int) -> settings:
    """The fixed profile: derandomized, no example database, no deadline (CI machines are noisy)."""
    return settings(max_examples=EXAMPLES or examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _generator():
    spec = importlib.util.spec_from_file_location("lakelint_bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()


def lint(name: str, raw: bytes) -> tuple[list, list]:
    """One file in memory through the source and the engine, run-wide checks included."""
    stack, errors = load_text(name, raw)
    if stack is None:
        return [], errors
    engine = Engine(SPECS, Config())
    findings, run_errors = engine.finish([engine.run_stack(stack)])
    return findings, errors + run_errors


def essence(findings) -> list:
    """What a finding says, without where it is written."""
    return sorted((f.check, f.resource, f.message, f.condition, f.severity, f.suppressed) for f in findings)


def no_internal_errors(errors) -> None:
    internal = [e.message for e in errors if "internal error" in e.message]
    assert not internal, internal


# -- strategies --------------------------------------------------------------------------------------

_WORDS = st.sampled_from(["aws:kms", "aws:kms:dsse", "AES256", "Enabled", "Disabled", "true", "false",
                          "*", "s3:*", "s3:GetObject", "Allow", "Deny", "", "prod", "123456789012"])
_SCALARS = st.one_of(_WORDS, st.booleans(), st.integers(-5, 400), st.none())


def _intrinsic(inner):
    return st.one_of(
        st.builds(lambda v: gen.if_("IsProd", v[0], v[1]), st.tuples(inner, inner)),
        st.sampled_from([gen.ref("Environment"), gen.ref("EncryptionAlgorithm"), gen.ref("Unknown"),
                         gen.ref("AWS::AccountId"), gen.NO_VALUE, gen.sub("${AWS::Region}-${Environment}"),
                         gen.getatt("LakeKey.Arn")]),
    )


_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(_intrinsic(inner), st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["Status", "SSEAlgorithm", "Rules", "Effect",
                                                             "Principal", "Action", "Resource", "Statement",
                                                             "Condition", "KMSMasterKeyID"]), inner, max_size=3)),
    max_leaves=12,
)


def _property_tree(known: dict):
    """Properties that follow the real shape most of the time and go astray some of the time."""
    return st.fixed_dictionaries({}, optional={key: st.one_of(value, _VALUES) for key, value in known.items()})


_BUCKET = _property_tree({
    "BucketEncryption": st.builds(lambda alg: {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": alg}}]}, st.one_of(_WORDS, _intrinsic(_WORDS))),
    "PublicAccessBlockConfiguration": st.fixed_dictionaries({}, optional={
        k: st.one_of(st.booleans(), _WORDS, _intrinsic(st.booleans()))
        for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")}),
    "LifecycleConfiguration": st.builds(lambda status: {"Rules": [{"Status": status, "ExpirationInDays": 30}]},
                                        st.one_of(_WORDS, _intrinsic(_WORDS))),
    "VersioningConfiguration": st.builds(lambda s: {"Status": s}, _WORDS),
})
_ENDPOINT = _property_tree({
    "ServiceName": st.sampled_from(["com.amazonaws.us-east-1.s3", gen.sub("com.amazonaws.${AWS::Region}.s3"),
                                    "com.amazonaws.us-east-1.dynamodb"]),
    "PolicyDocument": st.builds(lambda effect, action, resource: {"Statement": [
        {"Effect": effect, "Principal": "*", "Action": action, "Resource": resource}]},
        _WORDS, st.one_of(_WORDS, st.lists(_WORDS, max_size=2)), _WORDS),
})
_POLICY = _property_tree({
    "Bucket": st.sampled_from([gen.ref("Bucket0"), gen.ref("Bucket1"), "some-bucket"]),
    "PolicyDocument": st.builds(lambda effect, principal: {"Statement": [
        {"Effect": effect, "Principal": principal, "Action": "s3:GetObject", "Resource": "*"}]},
        _WORDS, st.one_of(_WORDS, st.just({"AWS": "*"}))),
})


@st.composite
def templates(draw) -> dict:
    """A template with buckets, a bucket policy and an endpoint whose settings vary freely."""
    resources = {}
    for index in range(draw(st.integers(1, 3))):
        body = {"Type": "AWS::S3::Bucket", "Properties": draw(_BUCKET)}
        if draw(st.booleans()):
            body["Metadata"] = {"lakelint": {"ignore": [{"id": draw(st.sampled_from(["LL101", "LL103", "LL999"])),
                                                         "reason": draw(st.sampled_from(["reviewed", ""]))}]}}
        resources[f"Bucket{index}"] = body
    if draw(st.booleans()):
        resources["Policy"] = {"Type": "AWS::S3::BucketPolicy", "Properties": draw(_POLICY)}
    if draw(st.booleans()):
        resources["Endpoint"] = {"Type": "AWS::EC2::VPCEndpoint", "Properties": draw(_ENDPOINT)}
    return {
        "Parameters": {"Environment": {"Type": "String", "AllowedValues": ["dev", "prod"]},
                       "EncryptionAlgorithm": {"Type": "String", "Default": "aws:kms"},
                       "Unknown": {"Type": "String"}},
        "Conditions": {"IsProd": gen.equals(gen.ref("Environment"), "prod")},
        "Resources": resources,
    }


realistic = st.builds(gen.template, index=st.integers(0, 10**6), seed=st.integers(0, 10**4))
any_template = st.one_of(realistic, templates())


def shuffled(value, rng: random.Random):
    """The same data with every mapping's keys in another order (intrinsic bodies kept in shape)."""
    if isinstance(value, gen._Tag):
        return gen._Tag(value.name, shuffled(value.value, rng))
    if isinstance(value, dict):
        items = [(k, shuffled(v, rng)) for k, v in value.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def renderings(data: dict) -> dict:
    long_form = gen._long(data)
    return {
        "short.yaml": gen.render_yaml(data),
        "long.yaml": yaml.safe_dump(long_form, default_flow_style=False, sort_keys=False),
        "flow.yaml": yaml.safe_dump(long_form, default_flow_style=True, sort_keys=False, width=100),
        "indented.json": json.dumps(long_form, indent=2),
        "minified.json": json.dumps(long_form, separators=(",", ":")),
    }


# -- formatting and key order ---------------------------------------------------------------------------


@_ci(50)
@given(any_template)
def test_every_rendering_holds_the_same_data(data):
    """The premise of the next test: the five renderings are one template, not five."""
    expected = json.loads(json.dumps(gen._long(data)))
    for name, text in renderings(data).items():
        assert parse(text) == expected, name


@_ci(80)
@given(any_template)
def test_yaml_and_json_of_the_same_template_give_the_same_findings(data):
    results = {}
    for name, text in renderings(data).items():
        findings, errors = lint(name, text.encode("utf-8"))
        assert [e.message for e in errors if e.file == name] == [], (name, text)
        no_internal_errors(errors)
        results[name] = essence(findings)
    first = results["short.yaml"]
    for name, got in results.items():
        assert got == first, name


@_ci(60)
@given(any_template, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_key_order(data, rng):
    before, errors = lint("t.yaml", gen.render_yaml(data).encode("utf-8"))
    after, errors_after = lint("t.yaml", gen.render_yaml(shuffled(data, rng)).encode("utf-8"))
    no_internal_errors(errors + errors_after)
    assert essence(after) == essence(before)


# -- mutated templates: linted or a clean error ------------------------------------------------------------

_NOISE = st.lists(st.sampled_from(list(":-[]{}!&*#|>'\"\t %@`,?\\~=\r\x00\u00e9") + ["ab", "\n", "  "]),
                  max_size=6).map("".join)


@st.composite
def mutated(draw) -> bytes:
    data = draw(any_template)
    lines = gen.render_yaml(data).split("\n") if draw(st.booleans()) else gen.render_json(data).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert", "truncate"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            lines[at] = "  " + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][2:]
        elif kind == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(_NOISE) + lines[at][column:]
        elif kind == "truncate":
            lines = lines[: at + 1]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@_ci(300)
@given(mutated())
def test_mutated_templates_are_linted_or_reported_cleanly(raw):
    findings, errors = lint("mutated.yaml", raw)
    no_internal_errors(errors)
    lines = _line_count(raw)
    for error in errors:
        assert error.message and error.file == "mutated.yaml"
        assert error.line is None or 1 <= error.line <= lines, (error.line, error.message)


def _line_count(raw: bytes) -> int:
    """Lines as YAML counts them (CR, LF, CRLF, NEL, LS and PS all end a line)."""
    try:
        return len(decode_text(raw).splitlines()) + 1
    except TemplateError:
        return raw.count(b"\n") + raw.count(b"\r") + 1


@_ci(300)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(raw):
    findings, errors = lint("random.yaml", raw)
    no_internal_errors(errors)


@_ci(300)
@given(st.text(max_size=300))
def test_the_loader_raises_only_template_errors(text):
    try:
        parse(text)
    except TemplateError as exc:
        assert exc.message
        assert exc.line is None or 1 <= exc.line <= len(text.splitlines()) + 1


# -- the loader reads data as PyYAML and json do ------------------------------------------------------------

# Raw control characters (DEL, C1) are left out: JSON allows them unescaped in strings, YAML does not,
# so a JSON template holding one is refused with a clear error (its escaped form, \u007f, is fine).
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_DATA = st.recursive(
    st.one_of(_TEXT, st.booleans(), st.none(), st.integers(-10**20, 10**20),
              st.floats(allow_nan=False, allow_infinity=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=20,
)


@_ci(200)
@given(_DATA)
def test_the_loader_agrees_with_pyyaml_and_json(data):
    as_yaml = yaml.safe_dump(data, allow_unicode=True)
    assert parse(as_yaml) == yaml.safe_load(as_yaml) == data
    as_json = json.dumps(data, ensure_ascii=False)
    assert parse(as_json, json_mode=True) == json.loads(as_json) == data

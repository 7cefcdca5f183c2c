"""The loader gives what it gave before issue 18, on every input: values, positions, marks and errors.

``loader.parse`` now builds values from libyaml's events in one pass (yaml_events.py) and hands the
documents that path does not take to the composed path (yaml_nodes.py). tests/loader_reference.py is
the loader as it was; on each input both must agree on:

- the value, with the type of every scalar (``1`` is not ``"1"``, ``True`` is not ``"true"``);
- every position (each mapping's ``pos``, ``key_pos`` and ``val_pos``; each list's ``pos`` and
  ``item_pos``) and every ``dynamic`` mark (branch expansion relies on them);
- or the error: message, line and column.

The inputs: every real template, every fixture, the other-YAML files, a generated corpus, edge cases
chosen for the differences between the two paths, and hypothesis-made documents (derandomized) mixing
tags, quoting styles, anchors, flow and block collections, then damaged to make syntax errors.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loader_reference as reference
from lakelint.core.values import LocDict, LocList
from lakelint.sources.cloudformation import loader, yaml_events

ROOT = Path(__file__).resolve().parent.parent


def shape(value):
    """Everything the loader's value says, as comparable data."""
    if isinstance(value, LocDict):
        return ("map", value.pos, value.dynamic,
                [(type(k).__name__, k, value.key_pos.get(k), value.val_pos.get(k), shape(v)) for k, v in value.items()])
    if isinstance(value, LocList):
        return ("seq", value.pos, value.dynamic, list(value.item_pos), [shape(v) for v in value])
    if isinstance(value, (dict, list)):
        return ("plain " + type(value).__name__, repr(value))
    return (type(value).__name__, repr(value))


def outcome(parse, error, text, json_mode):
    try:
        return ("value", shape(parse(text, json_mode)))
    except error as exc:
        return ("error", exc.message, exc.line, exc.column)


def assert_same(text: str, json_mode=None) -> None:
    before = outcome(reference.parse, reference.TemplateError, text, json_mode)
    now = outcome(loader.parse, loader.TemplateError, text, json_mode)
    assert now == before, f"differs on {text[:300]!r} (json_mode={json_mode})"


def _files() -> list:
    found = sorted(p for p in (ROOT / "tests" / "corpus" / "real").iterdir() if p.suffix in (".yaml", ".yml", ".json", ".template"))
    found += sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    found += sorted(p for p in (ROOT / "tests" / "data" / "other-yaml").rglob("*") if p.is_file())
    return found


FILES = _files()


def _generated(count: int) -> list:
    spec = importlib.util.spec_from_file_location("lakelint_bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts = []
    for index in range(count):
        data = module.template(index, 6)
        texts.append((module.render_json(data), True) if index % 5 == 4 else (module.render_yaml(data), None))
    return texts


def test_the_inputs_are_all_there():
    assert len(FILES) > 500


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT))[-90:])
def test_every_file_loads_as_before(path):
    raw = path.read_bytes()
    try:
        text = loader.decode_text(raw)
    except loader.TemplateError:
        pytest.skip("not text: the loader never sees it")
    assert_same(text, path.suffix == ".json" or None)
    assert_same(text, True)
    assert_same(text, False)


def test_generated_templates_load_as_before_and_take_the_event_path():
    for text, json_mode in _generated(40):
        assert_same(text, json_mode)
        # the one-pass builder really builds them: a handover would make this test prove nothing
        yaml_events.parse(text, bool(json_mode))


def test_real_templates_take_the_event_path_unless_they_hold_an_error():
    handed = []
    for path in FILES[:120]:
        text = loader.decode_text(path.read_bytes())
        json_mode = path.suffix == ".json" or loader.looks_like_json(text)
        try:
            yaml_events.parse(text, json_mode)
        except yaml_events.Handover:
            try:
                reference.parse(text, json_mode)
            except reference.TemplateError:
                continue
            handed.append(path.name)
    assert not handed, f"handed to the composed path without an error: {handed}"


EDGE_CASES = [
    "",
    "---\n",
    "---\n...\n",
    "~\n",
    "just text\n",
    "!Ref X\n",
    "a: ! '123'\n",  # "!" marks a quoted scalar implicit too: it resolves to an int
    "! '123': x\n",
    "! 0x1F: ! yes\n",
    "a: ! 1e5\nb: ! '1e5'\n",
    "a: !!str 12345\nb: !!int '7'\nc: !!bool 'yes'\nd: !!float '1.5'\ne: !!null ''\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2024-01-01\nb: 2024-01-01 10:00:00\n",
    "a: !!int 'x'\n",
    "a: !!set {x}\n",
    "a: !!python/object:os.system x\n",
    "a: !Bogus x\n",
    "a: !Bogus [x]\n",
    "a: =\n",
    "a: <<\n",
    "<<: {a: 1}\nb: 2\n",
    "base: &b {x: 1, y: 2}\nuse: {<<: *b, y: 3}\n",
    "base: &b {x: 1}\nother: &c {x: 2}\nuse: {<<: [*b, *c]}\n",
    "a: &a [1, 2]\nb: *a\nc: *a\n",
    "a: &a x\nb: *a\n",
    "a: *missing\n",
    "a: &a\n  b: *a\n",
    "a: &a {<<: *a}\n",
    "x: &x [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\nz: [*y, *y]\n",
    "a: 1\na: 2\n",
    "1: a\n1.0: b\n",
    "true: a\nyes: b\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "!Ref k: v\n",
    "&k a: 1\nb: *k\n",
    "a: [1, 2\n",
    "a: b\n---\nc: d\n",
    "a: b\n---\nc: [\n",
    "a: 1\na: 2\nb: [\n",  # a duplicate key before a syntax error: the syntax error wins
    "a: !Bogus 1\nb: {\n",
    "a: 'x\n",
    "a: \"\\x\"\n",
    "a:\tb\n",
    "key: value\n\x07bad\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG ! tag:example.com,2000:\n---\na: !Ref x\n",
    "a: !Sub\n  - '${X}'\n  - X: !Ref Y\nb: !GetAtt A.B.C\nc: !GetAtt [A, B]\n",
    "a: !If [C, !Ref X, !Ref 'AWS::NoValue']\nb: !Join ['', [!Sub x, y]]\n",
    "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: [{Key: a, Value: !Ref P}]}\n",
    "a: |\n  literal\n  text\nb: >\n  folded\n  text\nc: \"dq\"\nd: 'sq'\n",
    "a: -1\nb: +2\nc: .5\nd: 1_000\ne: 0o17\nf: 017\ng: 0b101\nh: 1:30\ni: .inf\nj: -.Inf\nk: .nan\n",
    "a: y\nb: Y\nc: n\nd: NO\ne: on\nf: Off\ng: null\nh: Null\ni: NULL\nj: nul\n",
    "a: \nb: ''\nc: \"\"\n",
    '{"a": 1, "b": 1e5, "c": -0.5, "d": true, "e": null, "f": "x", "g": [1, 2.5e-3, "3"], "h": 01}',
    '{"a": yes, "b": 0x1F, "c": 2024-01-01, "d": ~, "e": 1_000, "f": 99999999999999999999999}',
    '{"a": 1, "a": 2}',
    '{"a": [1, 2}',
    '[1, 2, 3]',
    '{"a": ' + "9" * 5000 + "}",
    '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "' + "x" * 3000 + '"}}}}',
]


def _nested(levels: int, short_every: int = 0, long_line: bool = False) -> str:
    """A block document nested ``levels`` mappings deep, with a short-form tag every ``short_every``
    levels, and optionally a long line (which makes the loader measure nesting before composing)."""
    lines = []
    for level in range(levels):
        tag = " !If" if short_every and level % short_every == short_every - 1 else ""
        lines.append("  " * level + f"k{level}:{tag}" if not tag else "  " * level + f"k{level}: !Sub")
    lines.append("  " * levels + "leaf: x")
    if long_line:
        lines.append("long: " + "y" * 6000)
    return "\n".join(lines) + "\n"


def _flow(levels: int, tagged: bool = False) -> str:
    opener = "!Sub [" if tagged else "["
    return "a: " + opener * levels + "1" + "]" * levels + "\n"


DEPTH_CASES = [_flow(n) for n in (198, 199, 200, 201, 202)]
DEPTH_CASES += [_flow(n, tagged=True) for n in (99, 100, 101)]
DEPTH_CASES += ["a: " + "[" * 2600 + "]" * 2600 + "\n"]  # nesting that could exceed the safe bound
DEPTH_CASES += [_nested(n, long_line=True) for n in (198, 199, 200, 201)]
DEPTH_CASES += [_nested(n) for n in (199, 200, 201, 202)]
DEPTH_CASES += [_nested(n, short_every=7) for n in (170, 175, 180)]


@pytest.mark.parametrize("text", EDGE_CASES + DEPTH_CASES, ids=lambda t: t[:40])
def test_edge_cases_load_as_before(text):
    assert_same(text, None)
    assert_same(text, True)
    assert_same(text, False)


# -- generated documents --------------------------------------------------------------------------

_SCALARS = st.sampled_from([
    "x", "Enabled", "'quoted'", '"double"', "''", "", "~", "null", "yes", "No", "on", "true", "FALSE",
    "1", "-2", "0x1F", "017", "1.5", "1e5", ".inf", "1:30", "2024-01-01", "2024-01-01 10:00:00", "=", "<<",
    "! '12'", "! 12", "!Ref P", "!GetAtt A.B", "!Sub '${X}'", "!!str 5", "!!int '5'", "!Bogus z",
    "&a v", "*a", "|\n  block", "a b c", "'multi word'", "\"esc\\u00e9\"", "-", "?",
])
_KEYS = st.sampled_from(["a", "b", "Ref", "Fn::If", "Condition", "'q'", "1", "true", "~", "<<", "! '3'",
                         "&k c", "*k", "Type", "Properties"])


def _render(value, indent: int) -> str:
    pad = "  " * indent
    kind, body = value
    if kind == "scalar":
        return body
    if kind == "flowseq":
        return body[0] + "[" + ", ".join(_render(v, 0).replace("\n", " ") for v in body[1]) + "]"
    if kind == "flowmap":
        return body[0] + "{" + ", ".join(f"{k}: {_render(v, 0)}".replace("\n", " ") for k, v in body[1]) + "}"
    if kind == "seq":
        if not body[1]:
            return body[0] + "[]"
        return body[0] + "".join(f"\n{pad}- {_render(v, indent + 1)}" for v in body[1])
    if not body[1]:
        return body[0] + "{}"
    return body[0] + "".join(f"\n{pad}{k}: {_render(v, indent + 1)}" for k, v in body[1])


_TAGS = st.sampled_from(["", "", "", "!If ", "!Sub ", "!Bogus ", "!!map ", "! ", "&a "])
_documents = st.recursive(
    st.tuples(st.just("scalar"), _SCALARS),
    lambda inner: st.one_of(
        st.tuples(st.just("seq"), st.tuples(_TAGS, st.lists(inner, max_size=4))),
        st.tuples(st.just("map"), st.tuples(_TAGS, st.lists(st.tuples(_KEYS, inner), max_size=4))),
        st.tuples(st.just("flowseq"), st.tuples(_TAGS, st.lists(inner, max_size=3))),
        st.tuples(st.just("flowmap"), st.tuples(_TAGS, st.lists(st.tuples(_KEYS, inner), max_size=3))),
    ),
    max_leaves=25,
)


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(_documents, st.integers(0, 10**6), st.sampled_from([None, "", "drop", "insert"]))
def test_generated_documents_load_as_before(document, position, damage):
    text = "root: " + _render(document, 1) + "\n"
    if damage == "drop" and text:
        cut = position % len(text)
        text = text[:cut] + text[cut + 1:]
    elif damage == "insert":
        cut = position % (len(text) + 1)
        text = text[:cut] + "]:{'&*!,"[position % 8] + text[cut:]
    assert_same(text, None)
    assert_same(text, True)

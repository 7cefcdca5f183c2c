"""``--fix --unsafe-fixes`` on real templates: every template of tests/corpus/real and every fixture
template (fixtures/LLxxx/template/ and the fix fixtures), fixed in a temporary copy.

The fix fixtures (tests/test_check_fixes.py) prove each fix on files written for it; this proves them
on files nobody wrote for them, all checks at once, the way a user runs ``lakelint --fix``. Each file
the fix changes must:

- load in lakelint again, without an error, and parse with cfn-lint; a real template (tests/corpus)
  must also get no cfn-lint match the original did not get (every rule, before and after, with the
  rules loaded once per process: tests/cfnlint_once.py; still the suite's largest cost, so the fixture templates, written for lakelint's checks, are only parsed; the fix fixtures are
  linted with every cfn-lint rule in tests/test_check_fixes.py);
- have none of the fixed findings left and no finding the original did not have (all checks,
  preview ones included; counted by what a finding is about, as the fixer verifies);
- mean exactly what the original meant with the applied fixes' intents applied to it, and nothing
  else: the fixed file's data is compared with the original's data changed by an independent,
  data-level reading of the intents (``_intended``);
- differ from the original only in the lines the fix writes: no line is removed without a line put in
  its place, a replaced line keeps its indentation and its comment, every comment of the file is kept
  and the line endings stay the file's.

The files whose fixes apply (or are refused, with their reasons) are not chosen by hand: any check
that gains a fix is covered here without a change to this file.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.dev import corpus_snapshots as snapshots
from lakelint.fixes.apply import identity
from lakelint.fixes.intents import plain
from lakelint.runs.fix import encoding_of, fix_templates
from lakelint.runs.templates import lint_templates

from cfnlint_once import cfn_lint_matches

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)
CONFIG = Config(preview=True)
SUFFIXES = (".yaml", ".yml", ".json", ".template")


def _files() -> list:
    corpus = [ROOT / snapshots.CORPUS / t for t in snapshots.templates(ROOT)]
    fixtures = [p for p in sorted((ROOT / "fixtures").glob("LL*/template/*")) if p.suffix in SUFFIXES]
    fixes = [p for p in sorted((ROOT / "fixtures").glob("LL*/fix/*")) if ".after." not in p.name]
    return corpus + fixtures + fixes


FILES = _files()


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# -- the data a template means, and what the intents make of it ------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms read as their long forms (``!Ref x`` -> ``{"Ref": x}``)."""


def _tagged(loader, suffix, node):
    name = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt":  # ``!GetAtt Key.Arn`` means ``Fn::GetAtt: [Key, Arn]``
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_Loader.add_multi_constructor("!", _tagged)


def _data(raw: bytes):
    text = raw.decode(encoding_of(raw)).lstrip("\ufeff")
    try:
        return json.loads(text)
    except ValueError:  # YAML, or JSON that only YAML reads (as CloudFormation and lakelint do)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader with intrinsic tags


def _walk(node, path: tuple, create: bool):
    for step in path:
        if isinstance(step, int):
            node = node[step]
        else:
            if create and not isinstance(node.get(step), (dict, list)):
                node[step] = {}
            node = node[step]
    return node


def _set(node, path: tuple, value):
    parent = _walk(node, path[:-1], create=True)
    parent[path[-1]] = copy.deepcopy(value)


def _ensure(node, path: tuple, mapping: dict):
    parent = _walk(node, path[:-1], create=True)
    here = parent[path[-1]] if isinstance(parent, list) else parent.get(path[-1])  # a list item, by index
    if not isinstance(here, dict):
        parent[path[-1]] = copy.deepcopy(mapping)
        return
    for key, value in mapping.items():
        if isinstance(value, dict) and isinstance(here.get(key), dict):
            _ensure(here, (key,), value)
        else:
            here[key] = copy.deepcopy(value)


def _append(node, path: tuple, item):
    parent = _walk(node, path[:-1], create=True)
    if not isinstance(parent.get(path[-1]), list):
        parent[path[-1]] = []
    parent[path[-1]].append(copy.deepcopy(item))


def _intended(data, applied) -> dict:
    """The original's data with every applied fix's intents applied, read from the intents alone."""
    data = copy.deepcopy(data)
    for finding in applied:
        fix = finding.fix
        for intent in fix.intents:
            value = plain(intent.value)  # intrinsics in their full form, as _Loader reads the file's
            if intent.kind == "add-resource":
                data["Resources"][intent.path[0]] = value
                continue
            resource = data["Resources"][intent.target or fix.resource]
            {"set": _set, "ensure": _ensure, "append": _append}[intent.kind](resource, tuple(intent.path), value)
    return data


# -- the text: only the fix's lines ---------------------------------------------------------------

_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def _comment(line: str) -> str | None:
    """The comment a YAML line ends with (a ``#`` inside quotes is rare enough in templates to be
    counted too: it must then be kept all the same)."""
    found = _COMMENT.search(line)
    return found.group(1) if found else None


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" "))]


def _head(line: str) -> str:
    """What a line starts with that a fix never changes: its indentation and, where it has one, its
    key (``      Status:``, ``    "OtherBucket":``)."""
    key = re.match(r'\s*(-\s+)?("[^"]*"|[^\s:{}\[\],"#][^:{}\[\],#]*?)\s*:(\s|$)', line)
    return key.group(0).rstrip() if key else line[:len(line) - len(line.lstrip())]


def _budget(applied) -> int:
    """How many of the original's lines the fixes may change: one per value an intent sets (it
    replaces a value on its line, or adds an entry after the last one on it, as JSON's comma or a
    flow mapping's ``, key: value``)."""
    def leaves(value) -> int:
        return sum(leaves(v) for v in value.values()) if isinstance(value, dict) and value else 1
    return sum(leaves(i.value) if i.kind == "ensure" else 1 for f in applied for i in f.fix.intents)


def _text_problems(before: str, after: str, applied, is_json: bool) -> list:
    problems = []
    old, new = before.splitlines(), after.splitlines()
    if is_json:  # a comma JSON needs before an entry added after the last one is syntax, not a change
        old, new = [line.rstrip(",") for line in old], [line.rstrip(",") for line in new]
    if "\r\n" in before and after.count("\n") != after.count("\r\n"):
        problems.append("a CRLF file got a line ending that is not CRLF")
    if "\r\n" not in before and "\r\n" in after:
        problems.append("an LF file got a CRLF line ending")
    changed = 0
    # A fix inserts lines and changes values in place, so the original's lines must come back in order,
    # each with its indentation and key (its head): the first line after the previous one with the same
    # head is its place (earliest first: that finds an order-keeping placement whenever there is one).
    # A line so placed whose text differs is a changed line.
    heads, at = [_head(line) for line in new], 0
    for number, was in enumerate(old, start=1):
        head = _head(was)
        while at < len(new) and heads[at] != head:
            at += 1
        if at == len(new):
            problems.append(f"line {number} removed with nothing in its place, or it lost its indentation or key: {was!r}")
            break
        now, at = new[at], at + 1
        if now != was:
            changed += 1
            if not is_json and _comment(was) and not now.endswith(_comment(was)):
                problems.append(f"line {number} lost its comment: {was!r} -> {now!r}")
    if changed > _budget(applied):
        problems.append(f"{changed} lines of the original changed, more than the {_budget(applied)} values the "
                        "fixes set")
    if not is_json:
        lost = Counter(filter(None, map(_comment, old))) - Counter(filter(None, map(_comment, new)))
        if lost:
            problems.append(f"comments lost: {sorted(lost)}")
    return problems


# -- the run --------------------------------------------------------------------------------------


def _cfn_lint(text: str) -> Counter:
    # A message that lists the template's resources ("'X' is not one of ['Bucket', ...]") names a resource
    # the fix adds: the same problem, not a new one, so the list is left out.
    return Counter((m.rule.id, re.sub(r"is not one of \[.*\]", "is not one of [...]", m.message))
                   for m in cfn_lint_matches(text))


def _fixed(path: Path, tmp_path: Path):
    """(original bytes, fixed bytes, the findings as linted first, the FixRun) of a copy of ``path``."""
    target = tmp_path / path.name
    shutil.copyfile(path, target)
    original = target.read_bytes()
    linted = lint_templates([str(target)], CONFIG, SPECS, jobs=1)
    run = fix_templates([str(target)], CONFIG, SPECS, write=True, unsafe=True, jobs=1)
    return original, target.read_bytes(), linted, run


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=_id)
def test_a_fixed_template_changes_by_the_fix_and_nothing_else(path, tmp_path):
    original, fixed, linted, run = _fixed(path, tmp_path)
    applied = [f for result in run.files for f in result.applied]
    if fixed == original:
        assert not applied, f"{_id(path)}: fixes counted as applied but the file did not change"
        return
    assert linted.errors == [], f"{_id(path)} did not load before, yet was changed"
    assert applied, f"{_id(path)} changed without an applied fix"
    assert run.report.errors == [], f"{_id(path)}: the fixed file does not load: {run.report.errors}"

    before = Counter(identity(f) for f in linted.findings)
    keys = {f.fix.key for f in applied}
    fixed_ids = Counter(identity(f) for f in linted.findings if f.fix is not None and f.fix.key in keys)
    after = Counter(identity(f) for f in run.report.findings)
    allowed = before - fixed_ids
    left = sorted(i for i in fixed_ids if after[i] > allowed[i])
    assert not left, f"{_id(path)}: fixed findings are still there: {left}"
    new = sorted(i for i in after if after[i] > allowed[i])
    assert not new, f"{_id(path)}: the fixes brought new findings: {new}"

    assert _data(fixed) == _intended(_data(original), applied), (
        f"{_id(path)}: the fixed file means something other than the original with the fixes applied")
    before_text, after_text = original.decode(encoding_of(original)), fixed.decode(encoding_of(fixed))
    is_json = before_text.lstrip("\ufeff").lstrip().startswith("{")
    problems = _text_problems(before_text, after_text, applied, is_json=is_json)
    assert not problems, f"{_id(path)}: the diff holds more than the fix:\n" + "\n".join(problems)

    from cfnlint.decode import decode_str

    _, errors = decode_str(after_text)
    assert not errors, f"{_id(path)}: cfn-lint does not parse the fixed file: {errors}"
    if snapshots.CORPUS in _id(path):  # every rule on the real templates (the fix fixtures: their own test)
        brought = _cfn_lint(after_text) - _cfn_lint(before_text)
        assert not brought, f"{_id(path)}: cfn-lint reports new problems on the fixed file: {sorted(brought)}"


@pytest.mark.slow
def test_the_corpus_run_fixes_real_templates_of_every_check_with_a_fix(tmp_path):
    """The test above proves nothing if no real template gets fixed: each check with a fix repairs at
    least one file here, and a good share of the real corpus changes."""
    fixed_by = Counter()
    changed_corpus = 0
    corpus = [p for p in FILES if snapshots.CORPUS in str(p)]
    for index, path in enumerate(FILES):
        folder = tmp_path / str(index)
        folder.mkdir()
        original, fixed, _, run = _fixed(path, folder)
        if fixed != original:
            changed_corpus += path in corpus
            fixed_by.update({f.check for result in run.files for f in result.applied})
    with_fix = {s.code for s in SPECS if s.fix}
    assert with_fix <= set(fixed_by), f"checks with a fix that fixed no file: {sorted(with_fix - set(fixed_by))}"
    assert changed_corpus >= 10, f"only {changed_corpus} real templates were fixed"


# -- the checks of this file can fail -------------------------------------------------------------

BEFORE = ("Resources:\n  Raw:   # raw zone\n    Type: AWS::S3::Bucket\n    Properties:\n"
          "      BucketName: raw   # fixed\n")


class _Applied:
    """An applied finding as far as ``_budget`` reads it: one ``set`` intent."""

    def __init__(self):
        from lakelint.fixes.intents import set_property

        self.fix = set_property("VersioningConfiguration.Status", "Enabled")


@pytest.mark.parametrize("after, problem", [
    (BEFORE + "      VersioningConfiguration:\n        Status: Enabled\n", None),
    (BEFORE.replace("   # raw zone", "") + "      X: 1\n", "lost its comment"),
    (BEFORE.replace("BucketName: raw   # fixed", "BucketName: raw"), "comments lost"),
    (BEFORE.replace("      BucketName", "        BucketName"), "lost its indentation or key"),
    (BEFORE.replace("    Properties:\n      BucketName: raw   # fixed\n", ""), "removed with nothing"),
    (BEFORE.replace("\n", "\r\n"), "CRLF line ending"),
    (BEFORE.replace("Raw:   # raw zone", "Raw:   # raw zone  ").replace("raw   # fixed", "raw   # fixed "),
     "more than the 1 values"),
])
def test_the_text_check_sees_what_is_not_the_fix(after, problem):
    problems = _text_problems(BEFORE, after, [_Applied()], is_json=False)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_the_data_check_reads_the_intents_on_its_own():
    from types import SimpleNamespace

    from lakelint.fixes.intents import append_item, ensure_properties, set_attribute

    data = _data(BEFORE.encode())
    fixes = [ensure_properties("PublicAccessBlockConfiguration", {"BlockPublicAcls": True}),
             append_item("LifecycleConfiguration.Rules", {"Id": "x"}), set_attribute("DeletionPolicy", "Retain")]
    applied = [SimpleNamespace(fix=replace_resource(f)) for f in fixes]
    assert _intended(data, applied)["Resources"]["Raw"] == {
        "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain",
        "Properties": {"BucketName": "raw", "PublicAccessBlockConfiguration": {"BlockPublicAcls": True},
                       "LifecycleConfiguration": {"Rules": [{"Id": "x"}]}}}
    assert _data(b"Resources: {A: {Type: !Ref T}}")["Resources"]["A"] == {"Type": {"Ref": "T"}}


def replace_resource(fix):
    return fix.replace(resource="Raw")

"""SARIF at scale (issue 18): the log is written one result at a time, and each fix's edit is worked
out without composing the file again for every fix. A SARIF run of 10,000 templates took 3.5 GB and
6.5 minutes when the whole log was one document of dicts, one string, and a YAML compose per fix.

The bytes must stay what ``json_dumps(as_dict(report), indent=2)`` gives, whatever the strings hold
(tests/test_output_identity.py holds the real and generated corpora to recorded bytes too)."""

from __future__ import annotations

import importlib.util
import random
import shutil
from pathlib import Path

import pytest
import yaml

from lakelint.core.config import Config
from lakelint.core.model import ErrorEntry, Finding, Report
from lakelint.core.registry import load_checks
from lakelint.fixes import apply, locate
from lakelint.fixes.intents import FixSummary
from lakelint.fixes.locate import NotFixable
from lakelint.reporters import Options, sarif_report
from lakelint.reporters.names import json_dumps
from lakelint.runs.fix import attach_replacements, summarise_with_edits
from lakelint.runs.templates import lint_templates

AWKWARD = ["plain", "", "line\nbreak", 'quote " and \\ backslash', '\n      "results": []', "tab\t",
           "ünïcödé ∑ 🚀", "\udcff escaped byte", "\x00 control", "a" * 200]


def _finding(rng, n) -> Finding:
    pick = rng.choice
    live = rng.random() < 0.3
    return Finding(check=pick(["LL101", "LL102", "LL999"]), name=pick(AWKWARD), severity=pick(["low", "high"]),
                   message=pick(AWKWARD) + str(n), source="live" if live else "template",
                   resource=pick(AWKWARD + [None]), resource_type=pick(["AWS::S3::Bucket", None]),
                   file=None if live else pick(["t.yaml", "dir/ü.yaml", "/abs/t.yaml"]), line=pick([None, 1, 7]),
                   column=pick([None, 3]), condition=pick([None, "IsProd=true"]), suppressed=rng.random() < 0.3,
                   suppression_reason=pick([None, "reviewed\n"]), arn=pick([None, "arn:aws:s3:::b"]) if live else None,
                   account="123456789012" if live else None, region="eu-west-1" if live else None,
                   verdict=pick(["fail", "unverifiable"]))


def _whole(report, options=None) -> str:
    return json_dumps(sarif_report.as_dict(report, options), indent=2) + "\n"


@pytest.mark.parametrize("count", [0, 1, 2, 37])
@pytest.mark.parametrize("statistics", [False, True])
def test_the_streamed_log_is_the_whole_document_indented(count, statistics):
    rng = random.Random(count)
    findings = [_finding(rng, n) for n in range(count)]
    errors = [ErrorEntry(rng.choice(AWKWARD), file=rng.choice([None, "t.yaml"]), line=rng.choice([None, 3]),
                         check=rng.choice([None, "LL101"])) for _ in range(count // 4)]
    specs = [s for s in load_checks(plugins=False) if s.code in ("LL101", "LL102")]
    report = Report(findings=findings, errors=errors, files=1, resources=count, checks=specs, tool_version="0.1.0")
    options = Options(statistics=statistics)
    pieces = list(sarif_report.chunks(report, options))
    assert "".join(pieces) == _whole(report, options)
    assert len(pieces) == count + 2 + (count > 0)  # head, one piece per result, the list's end, tail


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "datalake"


def test_fixes_of_a_real_run_stream_to_the_same_bytes():
    report = lint_templates([str(EXAMPLES)], Config(), load_checks(plugins=False))
    attach_replacements(report)
    with_edits = [f for f in report.findings if f.fix is not None and f.fix.replacements]
    assert len(with_edits) == 10  # the README's 7 fixable and 2 more unsafe, and one on a suppressed finding
    assert "".join(sarif_report.chunks(report)) == _whole(report)


def _generated(folder: Path, count: int) -> Path:
    spec = importlib.util.spec_from_file_location("lakelint_bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_corpus(folder, count=count, seed=11, json_every=5)
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_edits_worked_out_as_each_file_is_linted_give_the_same_log(tmp_path, jobs):
    """A lint writing SARIF turns each file's fixes into summaries with their edits as soon as the file
    is linted (in the workers, on large runs), instead of keeping every whole fix until the report."""
    corpus = _generated(tmp_path / "lake", 24)
    shutil.copytree(EXAMPLES, corpus / "examples")
    specs = load_checks(plugins=False)
    kept_whole = lint_templates([str(corpus)], Config(), specs, jobs=1)
    attach_replacements(kept_whole)
    at_lint = lint_templates([str(corpus)], Config(), specs, jobs=jobs, sarif_edits=True)
    fixable = [f for f in at_lint.findings if f.fix is not None]
    assert len(fixable) > 300 and sum(bool(f.fix.replacements) for f in fixable) > 100
    assert all(type(f.fix) is FixSummary for f in fixable)  # no intents or values kept past the file
    assert "".join(sarif_report.chunks(at_lint)) == "".join(sarif_report.chunks(kept_whole))


def test_a_fix_that_cannot_be_worked_out_keeps_its_reason_and_no_edit(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n", encoding="utf-8")
    report = lint_templates([str(tmp_path)], Config(), load_checks(plugins=False), jobs=1)
    fixable = [f for f in report.findings if f.fix is not None and f.fix.applicable]
    assert len(fixable) >= 2
    findings = fixable[:2]
    template.write_text("Resources: [unclosed\n", encoding="utf-8")  # changed since it was linted
    summarise_with_edits(findings[:1], template)
    assert type(findings[0].fix) is FixSummary and not findings[0].fix.replacements
    assert findings[0].fix.blocked.startswith("the file does not parse")
    template.unlink()  # gone: the fix is summarised without an edit, not an error
    summarise_with_edits(findings[1:2], template)
    assert type(findings[1].fix) is FixSummary and not findings[1].fix.replacements


def _naive_replacement(original: str, fixed: str) -> apply.Replacement:
    """The character-by-character version the halving search replaced."""
    start = 0
    limit = min(len(original), len(fixed))
    while start < limit and original[start] == fixed[start]:
        start += 1
    end_original, end_fixed = len(original), len(fixed)
    while end_original > start and end_fixed > start and original[end_original - 1] == fixed[end_fixed - 1]:
        end_original -= 1
        end_fixed -= 1
    line, column = apply._position(original, start)
    end_line, end_column = apply._position(original, end_original)
    return apply.Replacement(line, column, end_line, end_column, fixed[start:end_fixed])


def test_the_replaced_region_is_the_one_a_character_walk_finds():
    rng = random.Random(7)
    for _ in range(3000):
        original = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 12)))
        fixed = list(original)
        for _ in range(rng.randint(0, 3)):  # insertions, deletions and changes anywhere, overlapping too
            at = rng.randint(0, len(fixed))
            fixed[at:at + rng.randint(0, 2)] = rng.choice(["", "a", "b\n", "ab"])
        fixed = "".join(fixed)
        assert apply.replacement(original, fixed) == _naive_replacement(original, fixed), (original, fixed)


def test_a_text_is_composed_once_and_its_style_is_the_same_as_worked_out_afresh():
    template = sorted(EXAMPLES.glob("*.yaml"))[0].read_text(encoding="utf-8")
    text = template + "# padding " + str(random.random()) + "\n"  # a text no other test composed
    root = locate.compose(text)
    assert locate.compose(text) is root
    assert locate.style(text, root) == locate._style(text, root)
    other = locate.compose(template + "Outputs: {}\n")  # a node tree of another text
    assert locate.style(text, other) == locate._style(text, other)


def _same_nodes(ours, pyyaml) -> None:
    assert type(ours) is type(pyyaml)
    assert (ours.start_mark.index, ours.end_mark.index) == (pyyaml.start_mark.index, pyyaml.end_mark.index)
    if ours.tag.startswith("!") or pyyaml.tag.startswith("!"):  # explicit tags: the only ones a fix reads
        assert ours.tag == pyyaml.tag
    if isinstance(ours, yaml.ScalarNode):
        assert (ours.value, ours.style) == (pyyaml.value, pyyaml.style)
        return
    assert len(ours.value) == len(pyyaml.value)
    pairs = ours.value if isinstance(ours, yaml.MappingNode) else [(a, None) for a in ours.value]
    theirs = pyyaml.value if isinstance(pyyaml, yaml.MappingNode) else [(b, None) for b in pyyaml.value]
    for (key, value), (their_key, their_value) in zip(pairs, theirs):
        _same_nodes(key, their_key)
        if value is not None:
            _same_nodes(value, their_value)


def test_fixes_compose_the_nodes_pyyaml_does_with_only_explicit_tags_kept():
    """The fixes' loader skips PyYAML's implicit resolvers (a fix reads only ``!Ref``-style tags): every
    node, value, style, mark and explicit tag is still PyYAML's."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.yaml")) + sorted(EXAMPLES.rglob("*.json"))]
    texts.append("A: !Ref B\nC: [1, true, null, 2024-01-01, '1', !Sub 'x${Y}']\nD: {E: !GetAtt F.Arn}\n")
    for text in texts:
        _same_nodes(locate.compose(text), yaml.compose(text, Loader=yaml.CSafeLoader))
    assert locate.compose("a: true\n").value[0][1].tag == "tag:yaml.org,2002:str"  # what is skipped


def test_a_text_that_does_not_parse_is_refused_every_time():
    broken = "Resources: [unclosed\n"
    for _ in range(2):
        with pytest.raises(NotFixable, match="the file does not parse"):
            locate.compose(broken)


@pytest.mark.parametrize("results, said", [
    (5_000, None),
    (5_001, "5,001 results in one run: GitHub code scanning stores at most 5,000 of them, the most severe first, "
            "and drops the rest"),
    (25_000, "25,000 results in one run: GitHub code scanning stores at most 5,000 of them, the most severe first, "
             "and drops the rest"),
    (25_001, "25,001 results in one run: GitHub code scanning rejects a SARIF run of more than 25,000 results"),
])
def test_what_github_would_not_keep_of_a_log_is_worked_out_at_its_limits(results, said):
    assert sarif_report.github_limits(results) == said


def test_a_log_github_would_not_keep_whole_is_said_when_it_is_written(tmp_path, capsys):
    from lakelint.cli import main

    corpus = _generated(tmp_path / "lake", 240)
    out = tmp_path / "lake.sarif"
    assert main([str(corpus), "-f", "sarif", "-o", str(out)]) == 1
    results = out.read_text(encoding="utf-8").count('"ruleId"')
    assert 5_000 < results <= 25_000
    assert capsys.readouterr().err == (
        f"lakelint: note: {out}: {results:,} results in one run: GitHub code scanning stores at most 5,000 of "
        f"them, the most severe first, and drops the rest; narrow the run with --select, or upload only new "
        f"findings with --baseline\n")
    assert main([str(corpus), "-f", "sarif", "-o", str(out), "-q"]) == 1
    assert capsys.readouterr().err == ""
    assert main([str(corpus), "-f", "sarif", "-o", str(out), "--select", "LL101"]) == 1
    assert capsys.readouterr().err == ""  # a run GitHub takes whole: nothing to say

"""A large run keeps, of each resource, a properties-free stub only when a selected run-scope check
reads its type (issue 18 item 4: memory at 10,000 templates)."""

from __future__ import annotations

from lakelint.core.check import check
from lakelint.core.config import build_config
from lakelint.core.engine import Engine
from lakelint.core.model import Resource, Stack
from lakelint.core.registry import load_checks


def _stack():
    resources = [Resource("AWS::S3::Bucket", "B", {}, file="t.yaml", pos=(3, 3)),
                 Resource("AWS::Glue::Database", "D", {}, file="t.yaml", pos=(9, 3)),
                 Resource("AWS::KMS::Key", "K", {}, file="t.yaml", pos=(12, 3))]
    return Stack("template", resources, file="t.yaml")


def test_only_the_types_run_checks_read_are_kept_as_stubs():
    engine = Engine(load_checks(plugins=False), build_config({}, None))
    result = engine.run_stack(_stack())
    assert [s.type for s in result.stubs] == ["AWS::S3::Bucket"]  # LL301 counts buckets
    assert result.resource_lines == {"B": 3, "D": 9, "K": 12}


def test_no_run_check_selected_keeps_no_stub():
    engine = Engine(load_checks(plugins=False), build_config({"select": ["LL101"]}, None))
    assert engine.run_stack(_stack()).stubs == []


def test_a_run_check_that_declares_no_reads_sees_every_resource():
    seen = []

    @check(code="LL999", name="count-everything", severity="low", title="t", scope="run")
    def count(resources, ctx):
        seen.extend(r.type for r in resources)
        return []

    from lakelint.core.registry import specs_in_module

    import types

    module = types.ModuleType(__name__, "Counts.")
    module.count = count
    spec = specs_in_module(module, "test")[0]
    engine = Engine([spec], build_config({}, None))
    result = engine.run_stack(_stack())
    engine.finish([result])
    assert seen == ["AWS::S3::Bucket", "AWS::Glue::Database", "AWS::KMS::Key"]


def test_a_run_gathers_its_files_results_into_one_as_finish_reads_them():
    """A template run absorbs each file's result into one as it arrives: lists in order, and the first
    line seen for each name only (Engine.finish reads no later one); what finish computes is unchanged."""
    from lakelint.core.engine import StackResult

    results = [StackResult(findings=["f1"], stubs=["s1"], resource_lines={"A": 1, "B": 2}, resources=2),
               StackResult(errors=["e2"], suppressions=["p2"], resource_lines={"B": 7, "C": 9}, resources=2),
               StackResult(findings=["f3"], resource_lines={"A": 4}, resources=1)]
    gathered = StackResult()
    for r in results:
        gathered.absorb(r)
    lines = {}
    for r in results:
        for name, line in r.resource_lines.items():
            lines.setdefault(name, line)
    assert gathered.resource_lines == lines == {"A": 1, "B": 2, "C": 9}
    assert (gathered.findings, gathered.errors, gathered.suppressions, gathered.stubs, gathered.resources) == (
        ["f1", "f3"], ["e2"], ["p2"], ["s1"], 5)


def test_stubs_share_their_names_and_positions_across_files_and_workers():
    """Tens of thousands of stubs repeat a few names, types and positions: each is kept once, also for
    the results a worker sends back (pickled: copies per message until ``Engine.share``)."""
    import pickle

    def stack(file):
        name = "".join(["Raw", "Bucket"])  # built at run time, as a parser's strings are
        return Stack("template", [Resource("AWS::S3::Bucket", name, {}, file=file, pos=(3, 3))], file=file)

    engine = Engine(load_checks(plugins=False), build_config({}, None))
    first, second = engine.run_stack(stack("a.yaml")), engine.run_stack(stack("b.yaml"))
    arrived = pickle.loads(pickle.dumps(engine.run_stack(stack("c.yaml"))))
    engine.share(arrived)
    stubs = [result.stubs[0] for result in (first, second, arrived)]
    assert all(s.name is stubs[0].name and s.pos is stubs[0].pos and s.type is stubs[0].type for s in stubs)
    assert [(s.name, s.pos, s.file) for s in stubs] == [("RawBucket", (3, 3), f) for f in ("a.yaml", "b.yaml", "c.yaml")]


def test_a_run_holds_its_file_list_as_text():
    """A template run keeps each file's path as a string (the shown one when the two are equal), not
    as a Path object; the files read are the same ones."""
    from pathlib import Path

    from lakelint.runs.templates import _as_text

    shown = "".join(["lake/", "a.yaml"])
    pairs = _as_text([(shown, Path("lake/a.yaml")), ("b.yaml", Path("/abs/b.yaml"))])
    assert pairs == [("lake/a.yaml", "lake/a.yaml"), ("b.yaml", "/abs/b.yaml")]
    assert pairs[0][1] is shown


def test_a_position_that_cannot_be_shared_is_kept_as_it_is():
    engine = Engine(load_checks(plugins=False), build_config({}, None))
    stack = Stack("template", [Resource("AWS::S3::Bucket", "B", {}, file="t.yaml", pos=[3, 3])], file="t.yaml")
    assert engine.run_stack(stack).stubs[0].pos == [3, 3]

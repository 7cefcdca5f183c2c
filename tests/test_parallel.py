"""Large template runs use worker processes, and their output is byte-identical to a one-process run.

The corpus comes from the benchmark's generator (realistic data-lake templates, YAML and JSON), with
a broken file, a non-CloudFormation file and a suppression that matches nothing mixed in, so that
errors, run-wide checks (the bucket quota) and LL001 all take part. Workers that die or send back
something that cannot be pickled must cost time, never findings.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from lakelint.runs import templates as runner
from lakelint.cli import main
from lakelint.core.config import Config
from lakelint.core.registry import load_checks

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)

pytestmark = pytest.mark.skipif(not runner._can_fork(), reason="worker processes need fork")


def _generator():
    spec = importlib.util.spec_from_file_location("lakelint_bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    _generator().write_corpus(root / "lake", count=140, seed=6, json_every=7)
    (root / "lake" / "broken.yaml").write_text("Resources:\n  B: [unclosed\n", encoding="utf-8")
    (root / "lake" / "not-cfn.yaml").write_text("name: just some config\n", encoding="utf-8")
    (root / "lake" / "stale.yaml").write_text(
        "Resources:\n"
        "  Quiet:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Metadata:\n"
        "      lakelint:\n"
        "        ignore:\n"
        "          - id: LL999\n"
        "            reason: names a check that does not exist\n", encoding="utf-8")
    return root / "lake"


def _cli(args, out: Path) -> tuple[int, bytes]:
    code = main([*args, "-o", str(out)])
    return code, out.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_two_workers_give_byte_identical_output(corpus, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(corpus.parent)
    serial = _cli([corpus.name, "--jobs", "1", "-f", fmt], tmp_path / "one")
    parallel = _cli([corpus.name, "--jobs", "2", "-f", fmt], tmp_path / "two")
    assert serial[0] == parallel[0] == 2  # broken.yaml makes the run incomplete
    assert serial[1] == parallel[1]
    assert b"LL301" in serial[1] and b"LL001" in serial[1] and b"broken.yaml" in serial[1]


def test_report_objects_match_field_by_field(corpus):
    config = Config()
    one = runner.lint_templates([str(corpus)], config, SPECS, jobs=1)
    two = runner.lint_templates([str(corpus)], config, SPECS, jobs=2)
    assert [f.to_dict() for f in one.findings] == [f.to_dict() for f in two.findings]
    assert [e.to_dict() for e in one.errors] == [e.to_dict() for e in two.errors]
    assert (one.files, one.resources, one.paths) == (two.files, two.resources, two.paths)
    assert one.files == 142  # 140 generated + broken + stale; not-cfn.yaml is skipped
    assert len(one.findings) > 400


# -- the pool really is used, and its failures cost nothing ---------------------------------------

_PID_DIR = None


def _recording_chunk(chunk):
    """Stands in for runner._lint_chunk in the workers: leaves its pid behind, then waits (a while at
    most) until a second worker has too, so that one fast worker cannot take every chunk."""
    import time

    folder = Path(_PID_DIR)
    (folder / str(os.getpid())).touch()
    deadline = time.monotonic() + 30
    while len(list(folder.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    return [runner.lint_file(runner._WORKER_ENGINE, shown, path) for shown, path in chunk]


def test_auto_mode_spreads_a_large_run_over_worker_processes(corpus, tmp_path, monkeypatch):
    global _PID_DIR
    _PID_DIR = str(tmp_path)
    monkeypatch.setattr(runner, "available_cpus", lambda: 2)
    monkeypatch.setattr(runner, "_lint_chunk", _recording_chunk)
    report = runner.lint_templates([str(corpus)], Config(), SPECS)
    pids = {int(p.name) for p in tmp_path.iterdir()}
    assert len(pids) == 2 and os.getpid() not in pids
    assert report.files == 142


def _unpicklable_chunk(chunk):
    """A worker whose results cannot travel back (a lambda inside)."""
    outcomes = [runner.lint_file(runner._WORKER_ENGINE, shown, path) for shown, path in chunk]
    return outcomes + [lambda: None]


def _dying_chunk(chunk):
    """A worker that dies on the chunk holding lake-00070 (as a segfault or the OOM killer would)."""
    if any(shown.endswith("lake-00070.yaml") for shown, _ in chunk):
        os._exit(13)
    return [runner.lint_file(runner._WORKER_ENGINE, shown, path) for shown, path in chunk]


@pytest.mark.parametrize("broken_worker", [_unpicklable_chunk, _dying_chunk])
def test_a_failing_worker_costs_no_findings(corpus, monkeypatch, broken_worker):
    config = Config()
    expected = runner.lint_templates([str(corpus)], config, SPECS, jobs=1)
    monkeypatch.setattr(runner, "_lint_chunk", broken_worker)
    got = runner.lint_templates([str(corpus)], config, SPECS, jobs=2)
    assert [f.to_dict() for f in got.findings] == [f.to_dict() for f in expected.findings]
    assert [e.to_dict() for e in got.errors] == [e.to_dict() for e in expected.errors]
    assert got.paths == expected.paths


def test_stack_results_pickle_without_templates_or_bound_methods(corpus):
    """Workers send StackResults back: their resource stubs carry no expander, stack or properties."""
    import pickle

    from lakelint.core.engine import Engine
    from lakelint.sources.cloudformation.source import load_stack

    engine = Engine(SPECS, Config())
    stack, errors = load_stack("lake-00003.yaml", corpus / "lake-00003.yaml")
    assert errors == [] and stack is not None
    result = engine.run_stack(stack)
    assert result.stubs and all(not hasattr(s, "expand") and not hasattr(s, "stack") and s.props is None
                                for s in result.stubs)
    again = pickle.loads(pickle.dumps(result))
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in result.findings]


# -- how many workers --------------------------------------------------------------------------------


def test_worker_count(monkeypatch):
    monkeypatch.setattr(runner, "available_cpus", lambda: 2)
    assert runner.worker_count(None, 1) == 1
    assert runner.worker_count(None, runner.PARALLEL_MIN_FILES - 1) == 1
    assert runner.worker_count(None, runner.PARALLEL_MIN_FILES) == 2
    assert runner.worker_count(0, 1000) == 2
    assert runner.worker_count(1, 1000) == 1
    assert runner.worker_count(4, 1000) == 4
    assert runner.worker_count(4, 3) == 2  # never more workers than pairs of files
    with pytest.raises(ValueError):
        runner.worker_count(-1, 1000)


def test_small_runs_do_not_import_multiprocessing(tmp_path):
    import subprocess

    template = tmp_path / "one.yaml"
    template.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", encoding="utf-8")
    code = ("import sys; from lakelint.cli import main; main([sys.argv[1], '-o', sys.argv[2]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('multiprocessing', 'concurrent', 'boto3', 'botocore', 'cfnlint')))")
    out = subprocess.run([sys.executable, "-c", code, str(template), str(tmp_path / "out")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

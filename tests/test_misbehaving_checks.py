"""A plugin check that misbehaves costs only its own results on that resource (issue 11 item 6).

Each check below is loaded with ``--checks-dir`` beside the built-in checks and run through the CLI
in a subprocess, as a user's run would be: the built-in findings of the template are all still there,
the misbehaving check leaves one error entry per resource it failed on, and the exit code is 2 (the
run is incomplete).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = """\
Resources:
  Raw:
    Type: AWS::S3::Bucket
  Curated:
    Type: AWS::S3::Bucket
"""

DOCS = '''"""A plugin check that misbehaves.

## What it does
Nothing useful.
## Why it matters
It tests isolation.
## Example
None.
## Fix
None.
## References
- none
"""
'''

BODIES = {  # the check function's body
    "exits": "import sys\nsys.exit(0)",
    "interrupts": "raise KeyboardInterrupt()",
    "returns_a_number": "return 5",
    "yields_a_string": "yield 'not a verdict'",
    "raises": "raise RuntimeError('boom')",
    "loops_forever": "while True:\n    pass",
    "swallows_everything": "while True:\n    try:\n        pass\n    except Exception:\n        pass",
}


def plugin(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "plugin"
    folder.mkdir()
    body = "\n".join("    " + line for line in body.splitlines())
    (folder / "bad_check.py").write_text(DOCS + (
        "from lakelint.core.check import check\n\n"
        "@check(code=\"XB101\", name=\"misbehaves\", severity=\"high\", title=\"A check that misbehaves\",\n"
        "       resource_types=[\"AWS::S3::Bucket\"])\n"
        f"def misbehaves(bucket, ctx):\n{body}\n"))
    return folder


def run(tmp_path: Path, body: str, *extra) -> subprocess.CompletedProcess:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    folder = plugin(tmp_path, body)
    return subprocess.run([sys.executable, "-m", "lakelint", "t.yaml", "--checks-dir", str(folder), "--select",
                           "LL102,XB101", "--format", "json", *extra], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


@pytest.mark.parametrize("name", ["exits", "interrupts", "returns_a_number", "yields_a_string", "raises"])
def test_a_check_that_fails_costs_only_its_own_results(tmp_path, name):
    result = run(tmp_path, BODIES[name])
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert sorted(f["resource"] for f in report["findings"] if f["check"] == "LL102") == ["Curated", "Raw"]
    errors = [e for e in report["errors"] if e.get("check") == "XB101"]
    assert sorted(e["resource"] for e in errors) == ["Curated", "Raw"], report["errors"]
    assert all(e["message"].startswith("internal error in check XB101 on ") for e in errors)
    assert "Traceback" not in result.stderr


def test_what_each_failure_is_called(tmp_path):
    messages = {}
    for name in ("exits", "interrupts", "returns_a_number", "yields_a_string"):
        folder = tmp_path / name
        folder.mkdir()
        report = json.loads(run(folder, BODIES[name]).stdout)
        messages[name] = next(e["message"] for e in report["errors"] if e.get("check") == "XB101")
    assert "sys.exit(0)" in messages["exits"]
    assert "KeyboardInterrupt" in messages["interrupts"]
    assert "not a sequence of verdicts" in messages["returns_a_number"]
    assert "not a verdict" in messages["yields_a_string"]


@pytest.mark.parametrize("name", ["loops_forever", "swallows_everything"])
def test_a_check_that_never_ends_is_stopped_at_its_time_limit(tmp_path, name):
    (tmp_path / ".lakelint.yaml").write_text("check-timeout: 1\n")
    start = time.monotonic()
    result = run(tmp_path, BODIES[name], "--config", str(tmp_path / ".lakelint.yaml"))
    elapsed = time.monotonic() - start
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert sorted(f["resource"] for f in report["findings"] if f["check"] == "LL102") == ["Curated", "Raw"]
    errors = [e["message"] for e in report["errors"] if e.get("check") == "XB101"]
    assert len(errors) == 2 and all("check-timeout" in m for m in errors), errors
    assert elapsed < 30  # two checks of about a second each, and start-up


def test_a_real_interrupt_still_stops_the_run(tmp_path):
    """Ctrl-C from the user is not a check's failure: the run stops, exit 2, one line on stderr."""
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    folder = plugin(tmp_path, BODIES["loops_forever"])
    process = subprocess.Popen([sys.executable, "-m", "lakelint", "t.yaml", "--checks-dir", str(folder)],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(1.5)
    process.send_signal(2)  # SIGINT
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "interrupted" in err and "Traceback" not in err


def test_the_time_limit_holds_through_the_library_too(tmp_path):
    from lakelint.core.config import Config
    from lakelint.core.registry import load_checks
    from lakelint.runs.templates import lint_templates

    (tmp_path / "t.yaml").write_text(TEMPLATE)
    specs = load_checks(extra_dirs=[plugin(tmp_path, BODIES["swallows_everything"])], plugins=False)
    start = time.monotonic()
    report = lint_templates([str(tmp_path / "t.yaml")], Config(select=["LL102", "XB101"], check_timeout=0.5), specs)
    assert time.monotonic() - start < 20
    assert sorted(f.resource for f in report.findings) == ["Curated", "Raw"]
    assert sorted(e.resource for e in report.errors) == ["Curated", "Raw"]


def test_outside_the_main_thread_checks_run_without_signal_handlers():
    """Only the main thread takes signals: elsewhere user_interrupts and watchdog step aside (signal
    itself tells, without importing threading) and checks still give their verdicts."""
    import signal
    import threading

    from lakelint.core.check import fail
    from lakelint.core.isolation import run_check, user_interrupts, watchdog

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM)
    results = []

    def lint():
        with user_interrupts(), watchdog():
            results.append(run_check(lambda: [fail("x")], (), 1.0))

    worker = threading.Thread(target=lint)
    worker.start()
    worker.join()
    assert [v.message for v in results[0]] == ["x"]
    with user_interrupts(), watchdog():  # the main thread: both installed, then given back
        assert signal.getsignal(signal.SIGINT) is not before[0] and signal.getsignal(signal.SIGALRM) is not before[1]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM)) == before

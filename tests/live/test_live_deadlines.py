"""Time bounds: a server that accepts connections and never answers cannot stretch a scan into hours.

Each call has a deadline that covers its retries; ``--timeout SECONDS`` bounds the whole run, after
which what was not read is unknown and the run exits 2 with what it has. The endpoint here is a real
socket server that accepts every connection and never sends a byte; the bounds asserted are generous
(the point is seconds, not the half hour of 30 s read timeouts times retries times calls).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lakelint.core.config import build_config
from lakelint.core.exits import exit_code
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live
from lakelint.sources.live.session import LiveSession

ROOT = Path(__file__).resolve().parents[2]
SPECS = load_checks(plugins=False)
GENEROUS = 30  # seconds: far above the deadlines below, far below what an unbounded scan takes


@pytest.fixture
def silent_endpoint():
    """``http://127.0.0.1:PORT`` of a server that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def test_the_run_timeout_ends_the_command_with_what_it_has(silent_endpoint, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=silent_endpoint, AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s",
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_EC2_METADATA_DISABLED="true",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "lakelint", "--live", "--timeout", "3", "--select", "LL102",
                           "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert elapsed < GENEROUS, f"the run took {elapsed:.1f} s"
    assert done.returncode == 2, done.stderr
    errors = [e["message"] for e in json.loads(done.stdout)["errors"]]
    assert any(m.startswith(("could not identify the account behind the credentials: GetCallerIdentity timed out",
                             "could not identify the account behind the credentials: GetCallerIdentity was cut "
                             "short: the run's --timeout of 3 s ran out")) for m in errors), errors
    assert any("the run's --timeout of 3 s ran out" in m for m in errors), errors


def test_each_call_has_a_deadline_that_covers_its_retries(silent_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", silent_endpoint)
    # 30 s per attempt and 8 attempts would be minutes; the call's own 2 s deadline ends it
    session = LiveSession(workers=1, attempts=8, read_timeout=30, call_deadline=2)
    started = time.monotonic()
    report = lint_live(build_config({"select": ["LL102"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert time.monotonic() - started < GENEROUS
    (error,) = report.errors
    assert error.api_call == "GetCallerIdentity" and "timed out" in error.message


def test_a_read_cut_short_by_the_run_timeout_is_unknown_and_the_rest_is_reported(mocked_aws, live_session,
                                                                                 silent_endpoint):
    """Listing and encryption are answered (moto); the lifecycle read goes to the silent server. The run's
    deadline cuts it short: LL103 could not be evaluated, LL102's finding stands, the calls the deadline
    left unmade are counted, and the run ends near the deadline."""
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1, attempts=4)

    def to_silence(request, **_):
        request.url = silent_endpoint + "/lake-raw?lifecycle"

    session.on_client.append(lambda client: client.meta.events.register_first(
        "before-send.s3.GetBucketLifecycleConfiguration", to_silence))
    started = time.monotonic()
    # LL112 and LL113 plan GetBucketVersioning and GetBucketLogging, which come after the lifecycle read
    # (the checks declare exactly what they read): the deadline leaves them unmade
    report = lint_live(build_config({"select": ["LL102", "LL103", "LL112", "LL113"]}, None), SPECS,
                       regions=["us-east-1"], session=session, timeout=3)
    assert time.monotonic() - started < GENEROUS
    assert [(f.check, f.resource) for f in report.findings] == [("LL102", "lake-raw")]
    by_check = {(e.check, e.resource): e for e in report.errors}
    assert "GetBucketLifecycleConfiguration timed out" in by_check[("LL103", "lake-raw")].message
    (summary,) = [e for e in report.errors if e.check is None]
    assert summary.message.startswith("the run's --timeout of 3 s ran out: ") and "were not made" in summary.message
    assert ("s3", "GetBucketVersioning") not in session.guard.calls  # the calls not made are not counted
    assert exit_code(report.findings, report.errors, "low") == 2


def test_a_timeout_that_is_not_positive_is_a_usage_error(capsys):
    from lakelint.cli import main

    assert main(["--live", "--timeout", "0"]) == 2
    assert "--timeout must be a positive number of seconds" in capsys.readouterr().err

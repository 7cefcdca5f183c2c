"""The organisation examples (examples/org/) are runnable as they stand (issue 14, item 4).

They are copied into users' CI and batch accounts, where a typo costs a night's scan. So here:

- the GitHub Actions workflow parses as YAML and has the shape it promises (a matrix of N shard jobs
  whose ``--shard K/N`` covers 1..N, a merge job that runs after them even when one failed and uploads
  the SARIF file the merge wrote);
- the AWS Batch job definitions parse, and run the scripts that exist, with the same shard count;
- the scripts pass ``sh -n``, and each one's lakelint commands, as the shell expands them, are
  accepted by lakelint's own argument parser and usage checks: the workflow's steps and the Batch
  scripts run under bash with ``lakelint`` a recorder that writes down its arguments (and creates the
  report file it was told to write), so what is checked is exactly what the example would run.

tests/live/test_org_end_to_end.py runs the Batch scripts for real against an organisation on a moto
server.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lakelint.cli.arguments import build_parser
from lakelint.cli.inputs import InputError
from lakelint.cli.main import _check_combinations, _multi_account, _org_request
from lakelint.cli.merge import build_parser as build_merge_parser
from lakelint.core.config import ConfigError
from lakelint.sources.live.assume import check_role_options

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "org"
WORKFLOW = EXAMPLES / "github-actions.yml"
BATCH = EXAMPLES / "batch"
SCRIPTS = sorted(BATCH.glob("*.sh"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")

# records lakelint's arguments, one JSON list a line, and writes an empty report where it was told to
RECORDER = """import json, os, sys
argv = sys.argv[1:]
with open(os.environ["LAKELINT_LOG"], "a") as log:
    log.write(json.dumps(argv) + "\\n")
for flag in ("-o", "--output"):
    if flag in argv[:-1]:
        open(argv[argv.index(flag) + 1], "w").write("{}")
"""


def accept(argv: list) -> None:
    """What ``lakelint ARGV`` checks before it reads anything: the parser, the flag combinations, the
    accounts and role options. Fails the test with lakelint's own message."""
    try:
        if argv[:1] == ["merge"]:
            build_merge_parser().parse_args(argv[1:])
            return
        args = build_parser().parse_args(argv)
        _check_combinations(args)
        if _multi_account(args):
            _org_request(args)
            check_role_options(args.role_name, args.external_id, args.role_session_name)
    except SystemExit as exc:
        pytest.fail(f"lakelint {shlex.join(argv)}: the parser refuses it (exit {exc.code})")
    except (ConfigError, InputError) as exc:
        pytest.fail(f"lakelint {shlex.join(argv)}: {exc}")


@pytest.fixture
def recorder(tmp_path):
    """A PATH and environment in which ``lakelint`` records its command lines to ``log``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "lakelint"
    shim.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -c {shlex.quote(RECORDER)} \"$@\"\n")
    shim.chmod(0o755)
    log = tmp_path / "lakelint.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LAKELINT"))}
    env.update(PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "")]), LAKELINT_LOG=str(log))

    def recorded() -> list:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return env, recorded


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _lakelint_steps(job: dict) -> list:
    return [step["run"] for step in job["steps"] if "run" in step and step["run"].lstrip().startswith("lakelint ")]


def _expand(command: str, values: dict) -> str:
    """A run: step with its ``${{ ... }}`` expressions replaced, as GitHub does before the shell sees it."""
    def value(match):
        assert match.group(1) in values, f"{WORKFLOW.name}: no test value for ${{{{ {match.group(1)} }}}}"
        return str(values[match.group(1)])

    return EXPRESSION.sub(value, command)


def test_the_workflow_is_a_matrix_of_shards_and_a_merge_that_uploads_sarif():
    workflow = _workflow()
    scan, merge = workflow["jobs"]["scan"], workflow["jobs"]["merge"]
    shards = int(workflow["env"]["SHARDS"])
    assert shards > 1
    assert scan["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
    assert scan["strategy"]["fail-fast"] is False  # one shard's findings must not cancel the others
    assert merge["needs"] == "scan" and merge["if"] == "always()"
    (merge_to_sarif,) = [c for c in _lakelint_steps(merge) if "--format sarif" in c]
    sarif = shlex.split(merge_to_sarif)[shlex.split(merge_to_sarif).index("--output") + 1]
    uploads = [step for step in merge["steps"] if step.get("uses", "").startswith("actions/upload-artifact")]
    assert [step["with"]["path"] for step in uploads] == [sarif]
    (scan_step,) = _lakelint_steps(scan)
    uploaded = [step["with"]["path"] for step in scan["steps"] if step.get("uses", "").startswith("actions/upload")]
    assert uploaded == ["shard-${{ matrix.shard }}.json"] and "--output \"shard-${{ matrix.shard }}.json\"" in scan_step


def test_every_lakelint_command_of_the_workflow_is_accepted(recorder, tmp_path):
    env, recorded = recorder
    workflow = _workflow()
    env = {**env, **{k: str(v) for k, v in workflow["env"].items() if "${{" not in str(v)}}
    shards = int(workflow["env"]["SHARDS"])
    for shard in workflow["jobs"]["scan"]["strategy"]["matrix"]["shard"]:
        for command in _lakelint_steps(workflow["jobs"]["scan"]):
            subprocess.run(["bash", "-e", "-c", _expand(command, {"matrix.shard": shard})], cwd=tmp_path, env=env,
                           check=True)
    for command in _lakelint_steps(workflow["jobs"]["merge"]):
        subprocess.run(["bash", "-e", "-c", _expand(command, {})], cwd=tmp_path, env=env, check=True)
    commands = recorded()
    scans = [argv for argv in commands if argv[0] != "merge"]
    merges = [argv for argv in commands if argv[0] == "merge"]
    assert [argv[argv.index("--shard") + 1] for argv in scans] == [f"{k}/{shards}" for k in range(1, shards + 1)]
    assert len(merges) == 2
    for argv in merges:  # the glob reached every shard's report
        assert sorted(a for a in argv if a.endswith(".json")) == [f"shard-{k}.json" for k in range(1, shards + 1)]
    for argv in commands:
        accept(argv)


def test_the_batch_job_definitions_run_the_scripts_with_one_shard_count():
    shard_job = json.loads((BATCH / "job-definition.json").read_text(encoding="utf-8"))
    merge_job = json.loads((BATCH / "merge-job-definition.json").read_text(encoding="utf-8"))
    environment = {}
    for job, script in ((shard_job, "scan-shard.sh"), (merge_job, "merge.sh")):
        container = job["containerProperties"]
        assert Path(container["command"][0]).name == script and (BATCH / script).is_file()
        environment[script] = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["scan-shard.sh"]["SHARDS"] == environment["merge.sh"]["SHARDS"]
    assert environment["scan-shard.sh"]["REPORTS"] == environment["merge.sh"]["REPORTS"]
    submit = (BATCH / "submit.sh").read_text(encoding="utf-8")
    assert f"--job-definition {shard_job['jobDefinitionName']}" in submit
    assert f"--job-definition {merge_job['jobDefinitionName']}" in submit
    assert '--array-properties "size=$SHARDS"' in submit and '--depends-on "jobId=$array"' in submit


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_the_batch_scripts_are_valid_shell(script):
    done = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, f"{script.name}: {done.stderr}"


def test_every_lakelint_command_of_the_batch_scripts_is_accepted(recorder, tmp_path):
    """Each array child's shard is its AWS_BATCH_JOB_ARRAY_INDEX plus one; the merge reads them all."""
    env, recorded = recorder
    env = {**env, "SHARDS": "3", "REPORTS": str(tmp_path / "reports"), "REGIONS": "us-east-1 eu-west-1",
           "LAKELINT_ARGS": "--select LL101,LL102 --profile scanner"}
    for index in range(3):
        subprocess.run(["sh", str(BATCH / "scan-shard.sh")], cwd=tmp_path, env={**env, "AWS_BATCH_JOB_ARRAY_INDEX":
                                                                                 str(index)}, check=True)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [f"shard-{k}-of-3.json" for k in (1, 2, 3)]
    subprocess.run(["sh", str(BATCH / "merge.sh")], cwd=tmp_path, env=env, check=True)
    commands = recorded()
    scans = [argv for argv in commands if argv[0] != "merge"]
    assert [argv[argv.index("--shard") + 1] for argv in scans] == ["1/3", "2/3", "3/3"]
    assert all(argv.count("--region") == 2 and "--profile" in argv for argv in scans)
    merges = [argv for argv in commands if argv[0] == "merge"]
    assert len(merges) == 3 and {a for argv in merges for a in argv if a in ("sarif", "json")} == {"sarif", "json"}
    for argv in commands:
        accept(argv)


def test_the_recorder_catches_a_command_lakelint_refuses():
    """The acceptance check above can fail: the mistakes an example could make are refused."""
    for argv in (["--live", "--org", "--shard", "0/4", "--role-name", "r"],  # shards count from 1
                 ["--live", "--org", "--shard", "1/4"],  # no --role-name
                 ["--org", "--role-name", "r"],  # no --live
                 ["merge", "a.json", "--format", "html5"]):
        with pytest.raises(pytest.fail.Exception):
            accept(argv)

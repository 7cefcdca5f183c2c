"""Every command in docs/guide.md runs, in order, and gives the exit code the guide states.

The guide is executable documentation. This test reads its fenced blocks:

- ```sh blocks: each line is a command (``\\`` continues a line; ``#`` lines are comments). A trailing
  ``# exits N`` is the exit code the command must give; without it, 0.
- ```yaml PATH blocks (a path after the language): the block is written to PATH in the working
  folder, as the reader would save it. For the CI files (``.github/workflows/*.yml``,
  ``.gitlab-ci.yml``) the commands of their ``run:`` steps and ``script:`` lists run too.

The commands run in one scratch folder holding a ``git init`` and, in ``./lakelint``, a copy of this
working tree: the reader's clone of lakelint, which the guide's ``pip install ./lakelint`` builds and
installs into a virtualenv that sees the test environment's packages, so the commands exercise the
installed console scripts, not the source tree. The CI files install ``"$LAKELINT"``, the variable the
guide tells the reader to set to their clone's pip requirement; here it is a wheel built from the same
tree.
Live-mode commands run against a moto server on 127.0.0.1 holding two buckets, with a ``prod`` profile
in a scratch AWS config; that account manages an organisation with one more account (moto lets any
role be assumed in it), for the guide's ``--org`` commands. ``cfn-lint`` and ``pre-commit`` are the same entry points, run through the
venv's (or this) interpreter, since their console scripts may not be on PATH in CI; ``pip`` is this
interpreter's pip with ``--python`` pointing at the venv.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.request
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from environments import build_wheel, pinned, project_copy
from moto_gaps import catalog_services, gap, skip_unserved

PROJECT = Path(__file__).resolve().parent.parent
GUIDE = PROJECT / "docs" / "guide.md"
SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")
BLOCK = re.compile(r"^```([\w-]*)[ \t]*([^\s`]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
CI_FILES = (".gitlab-ci.yml",)


@dataclass
class Step:
    kind: str  # "run" or "write"
    text: str  # the command, or the file's content
    path: str | None = None  # for "write"
    exits: int = 0
    line: int = 0  # in the guide

    @property
    def label(self) -> str:
        shown = self.text if self.kind == "run" else f"write {self.path}"
        return f"L{self.line}: {shown[:70]}"


def _commands(block: str, first_line: int) -> list:
    steps, pending, start = [], "", 0
    for offset, raw in enumerate(block.splitlines()):
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            start = first_line + offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        command = pending + line
        pending = ""
        match = EXITS.search(command)
        steps.append(Step("run", command, exits=int(match.group(1)) if match else 0, line=start))
    return steps


def _ci_commands(path: str, text: str, first_line: int) -> list:
    """The shell commands of a GitHub workflow's ``run:`` steps or a GitLab job's ``script:``."""
    data = yaml.safe_load(text)
    commands = []
    if path.startswith(".github/workflows/"):
        for job in data["jobs"].values():
            commands += [step["run"] for step in job["steps"] if "run" in step]
    else:
        for job in data.values():
            if isinstance(job, dict):
                commands += list(job.get("script", []))
    steps = []
    lines = text.splitlines()
    for command in commands:
        number, raw = next((i, l) for i, l in enumerate(lines) if command in l)
        match = EXITS.search(raw)
        steps.append(Step("run", command, exits=int(match.group(1)) if match else 0, line=first_line + number))
    return steps


def guide_steps() -> list:
    text = GUIDE.read_text(encoding="utf-8")
    steps = []
    for block in BLOCK.finditer(text):
        lang, path, body = block.groups()
        first_line = text.count("\n", 0, block.start(3)) + 1
        if lang == "sh":
            steps += _commands(body, first_line)
        elif lang == "yaml" and path:
            steps.append(Step("write", body, path=path, line=first_line))
            if path.startswith(".github/workflows/") or path in CI_FILES:
                steps += _ci_commands(path, body, first_line)
    return steps


STEPS = guide_steps()


# -- the environment the guide's reader has ----------------------------------------------------------

def _moto_server():
    """moto in a process of its own: a server in this process would share moto's state with it, and any
    ``mock_aws`` here (moto_gaps' probe on the first live step, another test on this xdist worker) resets
    that state, taking the seeded buckets and organisation with it."""
    import socket
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
            return server, endpoint
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the moto server did not start within 60 s")


def _seed_account(endpoint: str):
    import boto3

    for region in ("us-east-1", "eu-west-1"):
        s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint,
                          aws_access_key_id="setup", aws_secret_access_key="setup")
        extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=f"lake-raw-{region}", **extra)
    # the guide's "Scanning an organisation": prod's account manages an organisation of two accounts
    org = boto3.client("organizations", region_name="us-east-1", endpoint_url=endpoint,
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    org.create_organization(FeatureSet="ALL")
    org.create_account(AccountName="analytics", Email="analytics@example.com")


def _shim(bin_dir: Path, name: str, python: str, code: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\nexec {shlex.quote(python)} -c {shlex.quote(code)} \"$@\"\n")
    path.chmod(0o755)


class Reader:
    """The scratch folder, environment and progress through the guide."""

    def __init__(self, root: Path):
        self.work = root / "repo"
        project_copy(self.work / "lakelint")  # the reader's clone of lakelint
        subprocess.run(["git", "init", "-q"], cwd=self.work, check=True)
        wheel = build_wheel(root / "build")
        dist = wheel.parent
        env_dir = root / "venv"
        venv.create(env_dir, with_pip=False, system_site_packages=True)
        python = str(env_dir / "bin" / "python")
        shims = root / "shims"
        shims.mkdir()
        # this interpreter's pip, installing into the venv (saves seeding the venv with its own pip)
        _shim(shims, "pip", sys.executable,
              f"import sys; from pip._internal.cli.main import main; sys.exit(main(['--python', {python!r}] + sys.argv[1:]))")
        _shim(shims, "cfn-lint", python,
              "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())")
        _shim(shims, "pre-commit", sys.executable,
              "import sys; from pre_commit.main import main; sys.exit(main())")
        # moto's probes of what it serves (moto_gaps) run mock_aws in this process, which resets the
        # backends the in-process server shares: probe first (cached), then seed the account
        for service in catalog_services():
            gap(service)
        self.server, endpoint = _moto_server()
        _seed_account(endpoint)
        aws = root / "aws"
        aws.mkdir()
        (aws / "config").write_text("[profile prod]\nregion = us-east-1\n")
        (aws / "credentials").write_text("[prod]\naws_access_key_id = prodkey\naws_secret_access_key = prodsecret\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON", "VIRTUAL_ENV"))}
        env.update(
            PATH=os.pathsep.join([str(shims), str(env_dir / "bin"), env.get("PATH", "")]),
            VIRTUAL_ENV=str(env_dir), NO_COLOR="1", PRE_COMMIT_HOME=str(root / "pre-commit-home"),
            PIP_FIND_LINKS=" ".join(filter(None, [str(dist), os.environ.get("PIP_FIND_LINKS", "")])),
            PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONSTRAINT=pinned()["PIP_CONSTRAINT"],
            LAKELINT=str(wheel),  # what the guide's CI files ask the reader to set
            AWS_CONFIG_FILE=str(aws / "config"), AWS_SHARED_CREDENTIALS_FILE=str(aws / "credentials"),
            AWS_ENDPOINT_URL=endpoint, AWS_EC2_METADATA_DISABLED="true",
            GIT_AUTHOR_NAME="guide", GIT_AUTHOR_EMAIL="guide@lakelint.invalid",
            GIT_COMMITTER_NAME="guide", GIT_COMMITTER_EMAIL="guide@lakelint.invalid",
        )
        self.env = env
        self.endpoint = endpoint
        self.done = 0
        self.results = {}

    def run_through(self, index: int):
        while self.done <= index:
            step = STEPS[self.done]
            self.done += 1
            if step.kind == "write":
                target = self.work / step.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(step.text, encoding="utf-8")
                self.results[step.line, step.text] = None
                continue
            self.results[step.line, step.text] = subprocess.run(
                ["bash", "-c", step.text], cwd=self.work, env=self.env, capture_output=True, text=True,
                timeout=300)
        return self.results.get((STEPS[index].line, STEPS[index].text))

    def close(self):
        try:
            urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST"),
                                   timeout=10).close()
        finally:
            self.server.terminate()
            self.server.wait(timeout=30)


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    made = Reader(tmp_path_factory.mktemp("guide"))
    yield made
    made.close()


# -- the tests ---------------------------------------------------------------------------------------

def test_guide_has_the_sections_and_commands():
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("## Getting started", "## pre-commit", "## CI", "### GitHub Actions", "### GitLab",
                    "## Configuration", "## Suppressions", "## Unverifiable findings", "## Baselines",
                    "## cfn-lint, both ways", "## Live mode", "## Scanning an organisation",
                    "## Writing a check plugin"):
        assert f"\n{heading}" in text, heading
    commands = [s.text for s in STEPS if s.kind == "run"]
    assert len(commands) >= 25
    for needle in ("--report sarif=", "--report junit=", "--report gitlab=", "--write-baseline", "--baseline", "--cfn-lint",
                   "cfn-lint -a lakelint.integrations.cfnlint", "--live", "pre-commit install",
                   "pre-commit run --all-files", "pip install ./lakelint/examples/plugin", "--report",
                   "--statistics", "--show-source", "--stdin-filename", "--unverifiable warn", "--org", "--shard",
                   "lakelint merge", "--print-scan-role"):
        assert any(needle in c for c in commands), needle


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(STEPS)), ids=[s.label for s in STEPS])
def test_guide_step(reader, index):
    step = STEPS[index]
    if "--live" in step.text:
        skip_unserved(catalog_services())
    result = reader.run_through(index)
    if step.kind == "write":
        assert (reader.work / step.path).is_file()
        return
    assert result.returncode == step.exits, (
        f"docs/guide.md line {step.line}: `{step.text}` exited {result.returncode}, the guide says "
        f"{step.exits}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}")


@pytest.mark.slow
def test_guide_artifacts_are_what_the_guide_says(reader):
    skip_unserved(catalog_services())  # live.sarif comes from a full live scan
    reader.run_through(len(STEPS) - 1)
    work = reader.work
    for sarif in ("lakelint.sarif", "live.sarif"):
        log = json.loads((work / sarif).read_text())
        jsonschema.validate(log, SCHEMA)
        assert log["runs"][0]["results"], sarif
    live = json.loads((work / "live.sarif").read_text())["runs"][0]["results"]
    assert {r["properties"]["region"] for r in live} == {"us-east-1", "eu-west-1"}
    junit = ET.parse(work / "lakelint.xml").getroot()
    assert junit.iter("failure") is not None and any(True for _ in junit.iter("failure"))
    quality = json.loads((work / "gl-code-quality-report.json").read_text())
    assert quality and {"description", "check_name", "fingerprint", "severity", "location"} == set(quality[0])
    assert json.loads((work / "lakelint-baseline.json").read_text())["version"] == 1
    policy = json.loads((work / "lakelint-readonly-policy.json").read_text())
    assert policy["Statement"]
    assert (work / ".git" / "hooks" / "pre-commit").is_file()
    assert any(f["check"] == "LL101" for f in json.loads((work / "lakelint.json").read_text())["findings"])

"""The worked plugin example (examples/plugin) as a user installs it: through pip and its
``lakelint.checks`` entry point, then its own fixture tests.

The pack is copied to a scratch folder (so the build leaves nothing in the tree), installed with pip
into a target folder (no virtualenv to build: a few seconds), and its own tests run with that folder
on the path, so lakelint discovers the pack exactly as it would in a user's environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from environments import pinned

PROJECT = Path(__file__).resolve().parent.parent
PLUGIN = PROJECT / "examples" / "plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("plugin")
    source = work / "src"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    site = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
                    "--target", str(site), str(source)], check=True, cwd=work, timeout=300, env=pinned())
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(PROJECT)]), "NO_COLOR": "1"}
    return source, env


def test_the_pack_passes_its_own_tests(installed):
    source, env = installed
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                            cwd=source, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "10 passed" in result.stdout


def test_installed_pack_runs_beside_the_builtin_checks(installed, tmp_path):
    _, env = installed
    (tmp_path / "stack.yaml").write_text("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n"
                                         "    Properties:\n      BucketName: raw\n")
    result = subprocess.run([sys.executable, "-m", "lakelint", "stack.yaml", "--select", "LL101,XP1",
                             "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    found = sorted((f["check"], f["line"]) for f in json.loads(result.stdout)["findings"])
    assert found == [("LL101", 2), ("XP101", 5), ("XP102", 2)]


def test_walking_examples_does_not_lint_the_plugin_fixtures():
    result = subprocess.run([sys.executable, "-m", "lakelint", "examples/", "--format", "junit"], cwd=PROJECT,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1, result.stderr
    assert "examples/datalake/storage.yaml" in result.stdout
    assert "examples/plugin" not in result.stdout

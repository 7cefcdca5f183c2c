"""Environments for the tests that build a wheel or a virtualenv with pip (packaging, pre-commit, the
guide, the example plugin): pip there must resolve the versions of constraints/test.txt, as the README's
test command does, so those tests install the same thing today and next year."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOCK = PROJECT / "constraints" / "test.txt"


def pinned(env: dict | None = None) -> dict:
    """``env`` (default: this process's environment) with pip held to the pinned versions, build
    isolation included (pip reads PIP_CONSTRAINT in the environments it builds in, too)."""
    return {**(os.environ if env is None else env), "PIP_CONSTRAINT": str(LOCK)}


def project_copy(target: Path) -> Path:
    """The project's working tree (tracked and untracked files git does not ignore) copied to ``target``.

    Builds run there, never in the working tree: setuptools writes ``build/`` and ``*.egg-info`` beside
    the sources, and two test processes building at once (pytest-xdist) would trip over each other."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=PROJECT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build_wheel(work: Path, env: dict | None = None) -> Path:
    """The project's wheel, built from a copy of the tree into ``work/dist`` with the pinned build backend."""
    source = project_copy(work / "source")
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
                   check=True, cwd=work, env=env or pinned(), timeout=300)
    (wheel,) = dist.glob("lakelint-*.whl")
    return wheel

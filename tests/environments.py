"""Environments for the tests that build a wheel or a virtualenv with pip (packaging, pre-commit, the
guide, the example plugin): pip there must resolve the versions of constraints/test.txt, as the README's
test command does, so those tests install the same thing today and next year."""

from __future__ import annotations

import os
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "constraints" / "test.txt"


def pinned(env: dict | None = None) -> dict:
    """``env`` (default: this process's environment) with pip held to the pinned versions, build
    isolation included (pip reads PIP_CONSTRAINT in the environments it builds in, too)."""
    return {**(os.environ if env is None else env), "PIP_CONSTRAINT": str(LOCK)}

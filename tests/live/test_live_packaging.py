"""The live source's packages are all in the wheel: a subpackage pyproject.toml does not list is left
out of the installed product (the collectors were, once, until the guide's steps caught it)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_every_live_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    live = ROOT / "lakelint" / "sources" / "live"
    packages = {".".join(init.parent.relative_to(ROOT).parts) for init in live.rglob("__init__.py")}
    assert packages and packages <= listed, sorted(packages - listed)

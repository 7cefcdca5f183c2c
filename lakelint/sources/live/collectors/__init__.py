"""Every live collector, one module per AWS service: live mode grows to a new service by adding one.

A module here declares ``COLLECTOR = Collector(...)`` (the interface is in ../collector.py): the
resource types it fills, per type the calls that list them and, per top-level property, the calls that
fill it. Modules whose name starts with ``_`` hold helpers, not collectors.
"""

from __future__ import annotations

import importlib
from pathlib import Path

_COLLECTORS = []


def collectors() -> list:
    """Every collector, in module-name order."""
    if not _COLLECTORS:
        for path in sorted(Path(__file__).parent.glob("*.py")):
            if path.stem.startswith("_"):
                continue
            module = importlib.import_module(f"{__package__}.{path.stem}")
            _COLLECTORS.append(module.COLLECTOR)
    return _COLLECTORS


def by_name(name: str):
    """The collector called ``name`` ("KMS keys"); KeyError names the known ones."""
    for collector in collectors():
        if collector.name == name:
            return collector
    raise KeyError(f"no live collector named {name!r} (known: {', '.join(c.name for c in collectors())})")

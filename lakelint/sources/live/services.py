"""Regional service collectors: live mode grows to a new AWS service by adding one module.

A module named ``svc_<name>.py`` in this package declares ``COLLECTOR = ServiceCollector(...)``:

- ``resource_types``: the CloudFormation types (or ``LakeLint::...`` records) it fills;
- ``calls``: every read call it may make. They join the call catalog, so the read-only guard lets
  them through, ``--print-iam-policy`` grants them, and a denied call names its IAM action;
- ``collect(session, region)``: the records of one region, as ``LiveRecord`` objects whose props
  are in CloudFormation's shape (that is what lets the checks run unchanged). A property that could
  not be read is ``Fault.value()`` (an ``Unreadable``) at its key; a failed listing raises ``Fault``.

The scan runs the collectors that the selected checks need, once per scanned region, on the shared
bounded pool; the inventory turns records into resources, resolves their ``links``, and links any
resource to the KMS keys its properties name, as the template source does.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class LiveRecord:
    """One resource as a collector found it."""

    type: str
    name: str
    props: dict
    arn: str | None = None
    account: str | None = None  # the owner, when it is not the scanned account
    # (relation, target type, target name, inverse relation or None): resolved within the region
    links: list = field(default_factory=list)


@dataclass(frozen=True)
class ServiceCollector:
    name: str
    resource_types: tuple
    calls: tuple
    collect: Callable  # collect(session, region) -> list[LiveRecord]


_COLLECTORS = []


def collectors() -> list:
    """Every ``svc_*.py`` module's collector, in file-name order."""
    if not _COLLECTORS:
        for path in sorted(Path(__file__).parent.glob("svc_*.py")):
            module = importlib.import_module(f"{__package__}.{path.stem}")
            _COLLECTORS.append(module.COLLECTOR)
    return _COLLECTORS


def service_calls() -> list:
    return [call for collector in collectors() for call in collector.calls]


def read_types(specs) -> tuple[set, bool]:
    """(the resource types the selected checks read, whether one of them may read anything).

    Types come from ``resource_types`` and ``reads`` (stack-scope checks may declare them too); a
    stack-scope check that names none may read anything. Run-scope checks see resources without
    properties, so they need no collector of their own."""
    types = {t for s in specs if s.scope != "run" for t in (*s.resource_types, *s.reads)}
    everything = any(s.scope == "stack" and not s.resource_types and not s.reads for s in specs)
    return types, everything


def needed(specs) -> list:
    """The collectors whose resources the selected checks read."""
    types, everything = read_types(specs)
    if everything:
        return list(collectors())
    return [c for c in collectors() if types & set(c.resource_types)]

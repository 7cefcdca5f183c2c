"""The JSON report, version 1 (DESIGN section 5). Keys may be added, never renamed or removed.

Added since the first release: each finding's ``verdict`` (``fail``, or ``unverifiable`` when the
template cannot prove compliance), the summary's ``unverifiable`` and ``unverifiable_ignored`` counts,
and, with ``--statistics``, a top-level ``statistics`` list (a count per check). Multi-account live runs
(and their merges) add ``accounts`` (one object per account: id, name, OU path, state, whether it was
scanned, resources, regions) and, with ``--statistics``, ``account_statistics`` (counts per account).

``chunks`` writes the document piece by piece, one finding at a time, so a run with a hundred
thousand findings never holds them all as dicts and one string; its output is byte for byte what
``json.dumps(as_dict(report), indent=2)`` gives. The output is ASCII: any other character, including
the escaped bytes of a file name that is not valid UTF-8, is a ``\\u`` escape, so the name round-trips.
"""

from __future__ import annotations

import json

from lakelint.reporters.statistics import account_statistics, statistics


def _head(report) -> dict:
    return {
        "version": 1,
        "tool": {"name": "lakelint", "version": report.tool_version},
        "summary": report.summary(),
    }


def as_dict(report, options=None) -> dict:
    data = {
        **_head(report),
        "findings": [f.to_dict() for f in report.findings],
        "errors": [e.to_dict() for e in report.errors],
    }
    data.update(_tail(report, options))
    return data


def _tail(report, options) -> dict:
    """What follows the errors: the run's accounts (multi-account live runs, what ``lakelint merge``
    reads) and, with ``--statistics``, the counts per check (and per account)."""
    tail = {}
    accounts = getattr(report, "accounts", None)
    if accounts is not None:
        tail["accounts"] = [a.to_dict() for a in accounts]
    if options is not None and options.statistics:
        tail["statistics"] = statistics(report)
        per_account = account_statistics(report)
        if per_account is not None:
            tail["account_statistics"] = per_account
    return tail


def _indented(value, depth: int) -> str:
    return json.dumps(value, indent=2).replace("\n", "\n" + "  " * depth)


# Findings and errors are flat records (every value a string, number, boolean or null) nearly always.
# ``json.dumps(..., indent=2)`` encodes them in Python, one value at a time: with ``indent`` set, the
# json module never uses its C encoder. The C encoder (used when ``indent`` is None) writes a whole batch
# of flat records in one call when the item separator is the indented layout's own ",\n" + indentation:
# between two values of a record that is exactly what indent=2 writes, and between two records it reads
# "},\n      {", which no string can hold (a string's newline is always written as \n), so one
# replacement makes it the indented layout's record boundary. A record holding a list or a mapping (a
# finding's fix) goes through the indented Python encoder, as every record did before.
_SCALARS = (str, int, float, bool, type(None))
_BATCH = 512  # records per C call: large enough to amortise it, small enough to keep memory flat
_FLAT = json.JSONEncoder(separators=(",\n      ", ": "))
_RECORD_BOUNDARY = ("},\n      {", "\n    },\n    {\n      ")


def _flat(record: dict) -> bool:
    return bool(record) and all(isinstance(value, _SCALARS) for value in record.values())


def _flat_batch(records: list) -> str:
    """``records`` (flat, non-empty) as indent=2 writes them at depth 2, joined by ",\n"."""
    text = _FLAT.encode(records)
    return "    {\n      " + text[2:-2].replace(*_RECORD_BOUNDARY) + "\n    }"


def _array(name: str, items, last: bool):
    yield f'  "{name}": ['
    first = True
    batch = []
    for item in items:
        record = item.to_dict()
        if _flat(record):
            batch.append(record)
            if len(batch) < _BATCH:
                continue
            text = _flat_batch(batch)
            batch = []
        else:
            if batch:
                yield ("\n" if first else ",\n") + _flat_batch(batch)
                first, batch = False, []
            text = "    " + _indented(record, 2)
        yield ("\n" if first else ",\n") + text
        first = False
    if batch:
        yield ("\n" if first else ",\n") + _flat_batch(batch)
        first = False
    yield ("]" if first else "\n  ]") + ("" if last else ",") + "\n"


def chunks(report, options=None):
    yield "{\n"
    for key, value in _head(report).items():
        yield f'  "{key}": {_indented(value, 1)},\n'
    yield from _array("findings", report.findings, last=False)
    tail = _tail(report, options)
    yield from _array("errors", report.errors, last=not tail)
    for index, (key, value) in enumerate(tail.items()):
        yield f'  "{key}": {_indented(value, 1)}' + (",\n" if index < len(tail) - 1 else "\n")
    yield "}\n"


def render(report, options=None) -> str:
    return "".join(chunks(report, options))

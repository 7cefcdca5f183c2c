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


# Findings and errors are flat records (every value a string, number, boolean or null), or flat records
# with one flat mapping inside (a finding's fix: safety, description, applicable, reason).
# ``json.dumps(..., indent=2)`` encodes them in Python, one value at a time: with ``indent`` set, the
# json module never uses its C encoder. The C encoder (used when ``indent`` is None) writes a whole batch
# of records in one call when the item separator is the indented layout's own ",\n" + indentation:
# between two values of a record that is exactly what indent=2 writes, and between two records it reads
# "},\n      {", which no string can hold (a string's newline is always written as \n), so one
# replacement makes it the indented layout's record boundary. A flat mapping inside a record is encoded
# alone, with its own deeper separator, and stands in the batch as a placeholder string that starts with
# a NUL character, written "\u0000" and then replaced by it: a record none of whose strings holds a NUL
# can hold no other "\u0000". Any other record (a list inside, a deeper mapping, an empty mapping, a
# NUL in a string) goes through the indented Python encoder, as every record did before.
_SCALARS = (str, int, float, bool, type(None))
_BATCH = 512  # records per C call: large enough to amortise it, small enough to keep memory flat
_FLAT = json.JSONEncoder(separators=(",\n      ", ": "))
_NESTED = json.JSONEncoder(separators=(",\n        ", ": "))  # a flat mapping's items, one level deeper
_RECORD_BOUNDARY = ("},\n      {", "\n    },\n    {\n      ")
_PLACEHOLDER = '"\\u0000'  # how the C encoder writes the start of a placeholder string


def _batchable(record: dict, nested: list):
    """``record`` ready for the batch (its flat mappings replaced by placeholders whose texts are
    appended to ``nested``), or None when the indented Python encoder must write it."""
    if not record:
        return None
    ready = None
    for key, value in record.items():
        if isinstance(value, str):
            if "\0" in value:
                return None
        elif value.__class__ is dict:
            if not value or not all(isinstance(v, _SCALARS) and not (isinstance(v, str) and "\0" in v)
                                    for v in value.values()):
                return None
            if ready is None:
                ready = dict(record)
            ready[key] = f"\0{len(nested)}"
            nested.append("{\n        " + _NESTED.encode(value)[1:-1] + "\n      }")
        elif not isinstance(value, _SCALARS):
            return None
    return record if ready is None else ready


def _flat_batch(records: list, nested=()) -> str:
    """``records`` (batchable, non-empty) as indent=2 writes them at depth 2, joined by ",\n"."""
    text = _FLAT.encode(records)
    text = "    {\n      " + text[2:-2].replace(*_RECORD_BOUNDARY) + "\n    }"
    if not nested:
        return text
    pieces = text.split(_PLACEHOLDER)
    for i in range(1, len(pieces)):  # each piece starts with its placeholder's number and closing quote
        number, rest = pieces[i].split('"', 1)
        pieces[i] = nested[int(number)] + rest
    return "".join(pieces)


def _array(name: str, items, last: bool):
    yield f'  "{name}": ['
    first = True
    batch, nested = [], []
    for item in items:
        record = item.to_dict()
        ready = _batchable(record, nested)
        if ready is not None:
            batch.append(ready)
            if len(batch) < _BATCH:
                continue
            text = _flat_batch(batch, nested)
            batch, nested = [], []
        else:
            if batch:
                yield ("\n" if first else ",\n") + _flat_batch(batch, nested)
                first, batch, nested = False, [], []
            text = "    " + _indented(record, 2)
        yield ("\n" if first else ",\n") + text
        first = False
    if batch:
        yield ("\n" if first else ",\n") + _flat_batch(batch, nested)
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

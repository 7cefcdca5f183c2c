"""The JSON report, version 1 (DESIGN section 5). Keys may be added, never renamed or removed.

``chunks`` writes the document piece by piece, one finding at a time, so a run with a hundred
thousand findings never holds them all as dicts and one string; its output is byte for byte what
``json.dumps(as_dict(report), indent=2)`` gives.
"""

from __future__ import annotations

import json


def _head(report) -> dict:
    return {
        "version": 1,
        "tool": {"name": "lakelint", "version": report.tool_version},
        "summary": report.summary(),
    }


def as_dict(report) -> dict:
    return {
        **_head(report),
        "findings": [f.to_dict() for f in report.findings],
        "errors": [e.to_dict() for e in report.errors],
    }


def _indented(value, depth: int) -> str:
    return json.dumps(value, indent=2).replace("\n", "\n" + "  " * depth)


def _array(name: str, items, last: bool):
    yield f'  "{name}": ['
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + "    " + _indented(item.to_dict(), 2)
        first = False
    yield ("]" if first else "\n  ]") + ("" if last else ",") + "\n"


def chunks(report):
    yield "{\n"
    for key, value in _head(report).items():
        yield f'  "{key}": {_indented(value, 1)},\n'
    yield from _array("findings", report.findings, last=False)
    yield from _array("errors", report.errors, last=True)
    yield "}\n"


def render(report) -> str:
    return "".join(chunks(report))

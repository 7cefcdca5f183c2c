"""The JSON report, version 1 (DESIGN section 5). Keys may be added, never renamed or removed."""

from __future__ import annotations

import json


def as_dict(report) -> dict:
    return {
        "version": 1,
        "tool": {"name": "lakelint", "version": report.tool_version},
        "summary": report.summary(),
        "findings": [f.to_dict() for f in report.findings],
        "errors": [e.to_dict() for e in report.errors],
    }


def render(report) -> str:
    return json.dumps(as_dict(report), indent=2) + "\n"

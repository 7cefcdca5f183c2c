"""Reporters render a ``Report``; each format is one module with a ``render(report) -> str``.

They know the finding and error records and the checks' metadata, nothing about sources or checks'
logic. Modules load only when their format is asked for.
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "github", "junit")


def render(report, fmt: str, color: bool = False) -> str:
    module = importlib.import_module(f"lakelint.reporters.{fmt}_report")
    if fmt == "text":
        return module.render(report, color=color)
    return module.render(report)

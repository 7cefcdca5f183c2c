"""Reporters render a ``Report``; each format is one module with a ``render(report) -> str``, and may
offer ``chunks(report)`` (an iterable of strings) to write a large report without holding it whole.

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


def stream(report, fmt: str, color: bool = False):
    """The report as pieces of text to write in turn: the format's ``chunks`` when it has them."""
    module = importlib.import_module(f"lakelint.reporters.{fmt}_report")
    if hasattr(module, "chunks"):
        return module.chunks(report, color=color) if fmt == "text" else module.chunks(report)
    return [render(report, fmt, color=color)]

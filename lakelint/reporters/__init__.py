"""Reporters render a ``Report``; each format is one module with a ``render(report, options) -> str``,
and may offer ``chunks(report, options)`` (an iterable of strings) to write a large report without
holding it whole.

They know the finding and error records and the checks' metadata, nothing about sources or checks'
logic. Modules load only when their format is asked for. ``Options`` carries what the command line
asks of every report (colour, ``--quiet``, ``--statistics``, ``--show-source``); a format uses what is
meaningful to it and ignores the rest.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from lakelint.core.records import FrozenRecord, init_field

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "html")


class Options(FrozenRecord):
    """How a report is rendered, as the command line asks. A plain class, not a dataclass: see
    lakelint/core/records.py."""

    __slots__ = _fields = ("color", "quiet", "statistics", "show_source", "source_lines")

    def __init__(self, color: bool = False, quiet: bool = False, statistics: bool = False,
                 show_source: bool = False, source_lines: Callable[[str], list | None] | None = None):
        init_field(self, "color", color)  # text only, and only on a terminal (the CLI decides)
        init_field(self, "quiet", quiet)  # findings only: no summary line
        # a count per check instead of (text) or beside (json, sarif) the findings
        init_field(self, "statistics", statistics)
        init_field(self, "show_source", show_source)  # the offending template lines with a caret under the column
        # file as shown in the report -> its lines, for --show-source (None when it cannot be read)
        init_field(self, "source_lines", source_lines)


def _options(options: Options | None, color: bool) -> Options:
    if options is None:
        return Options(color=color)
    return options


def _module(fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    return importlib.import_module(f"lakelint.reporters.{fmt}_report")


def render(report, fmt: str, options: Options | None = None, *, color: bool = False) -> str:
    return _module(fmt).render(report, _options(options, color))


def stream(report, fmt: str, options: Options | None = None, *, color: bool = False):
    """The report as pieces of text to write in turn: the format's ``chunks`` when it has them."""
    module = _module(fmt)
    options = _options(options, color)
    if hasattr(module, "chunks"):
        return module.chunks(report, options)
    return [module.render(report, options)]

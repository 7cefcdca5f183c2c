"""What a run reads: the template files (named, found by a directory walk, or piped on stdin), the
baseline and the configuration, so that no output is ever written over one of them.

``lakelint t.yaml -o t.yaml`` once replaced the template with its own report. The rule now: an output
(``-o``, ``--report``, ``--write-baseline``) that is an input is refused with exit code 2 before
anything is written. Inputs named on the command line are known before linting; templates found by
walking a directory are known once the walk is done, and are compared then, still before any report or
baseline is written. Paths are compared by the file they reach (device and inode), so a symbolic link
or a ``./`` prefix does not slip past. ``--baseline F --write-baseline F`` is allowed: that is how a
baseline is pruned.

It also gives ``--show-source`` the lines of each template, read again from disk (or, for stdin, the
text that was piped in).
"""

from __future__ import annotations

import os
import re
import sys

from lakelint.cli.outputs import OutputError, identity, is_regular_or_new, refuse_input

_LINE_BREAK = r"\r\n|[\n\r\x85\u2028\u2029]"  # YAML's line breaks, so numbers match the parser's (--show-source)


class InputError(Exception):
    """Standard input cannot be read, or the command line mixes stdin with files."""


def wants_stdin(args) -> bool:
    """``lakelint -`` or ``lakelint --stdin-filename NAME`` (with no path) read a template from stdin."""
    if "-" in args.paths:
        if len(args.paths) > 1:
            raise InputError("'-' reads one template from stdin; it cannot be combined with other paths")
        return True
    if args.stdin_filename:
        if args.paths:
            raise InputError("--stdin-filename names the template read from stdin: use it with '-', not with paths")
        return True
    return False


def read_stdin(limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of stdin (one more than allowed, so a larger input is seen as such)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("standard input is not available to read a template from")
    try:
        return stream.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read standard input: {exc.strerror or exc}") from None


def protected_before_linting(args, config, stdin_name: str | None) -> dict:
    """identity -> (kind, description) of every input known before linting."""
    protected = {}
    for given in args.paths:
        if given != "-" and os.path.exists(given) and not os.path.isdir(given):
            protected[identity(given)] = ("template", "a template named on the command line")
    if stdin_name and args.stdin_filename:
        protected[identity(args.stdin_filename)] = ("template", "the name of the template read from stdin")
    if args.baseline:
        protected[identity(args.baseline)] = ("baseline", "the baseline this run reads")
    if config.path:
        protected[identity(config.path)] = ("config", "the configuration this run reads")
    return protected


def refuse_linted(report, targets, write_baseline: str | None) -> None:
    """After the walk, before anything is written: no destination may be a template the run linted."""
    destinations = [(t.label, t.path) for t in targets if t.path is not None]
    if write_baseline:
        destinations.append(("--write-baseline", write_baseline))
    # only a destination that exists can be a file the walk read
    wanted = {identity(path): (label, path) for label, path in destinations
              if os.path.exists(path) and is_regular_or_new(path)}
    if not wanted:
        return
    for shown in report.paths:
        key = identity(shown)
        if key in wanted:
            label, path = wanted[key]
            refuse_input(path, label, ("template", "a template this run linted"))


class SourceLines:
    """``file -> its lines`` for --show-source: read from disk on first use, kept for the next finding."""

    def __init__(self, max_size: int, stdin_name: str | None = None, stdin_raw: bytes | None = None):
        self.max_size = max_size
        self.cache = {}
        if stdin_name is not None and stdin_raw is not None:
            self.cache[stdin_name] = _lines(stdin_raw)

    def __call__(self, file: str):
        if file not in self.cache:
            self.cache[file] = self._read(file)
        return self.cache[file]

    def _read(self, file: str):
        try:
            if os.path.getsize(file) > self.max_size or not os.path.isfile(file):
                return None
            with open(file, "rb") as handle:
                return _lines(handle.read(self.max_size + 1))
        except OSError:
            return None


def _lines(raw: bytes):
    """The lines of a template as the source decoded it (UTF-8 or UTF-16 with a BOM); None if it cannot."""
    from lakelint.sources.cloudformation.loader import TemplateError, decode_text

    try:
        return re.split(_LINE_BREAK, decode_text(raw))
    except TemplateError:
        return None


__all__ = ["InputError", "OutputError", "SourceLines", "protected_before_linting", "read_stdin",
           "refuse_linted", "wants_stdin"]

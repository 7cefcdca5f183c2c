"""Where the reports go: the main output (stdout, or ``-o FILE``) and each ``--report FORMAT=FILE``.

Every destination is checked before linting (``preflight``): a file that cannot be written (no such
folder, a directory, no permission) is a usage error, exit code 2, and so are two reports aimed at one
file. A run whose report cannot be delivered has lost its result, so a failed write is exit code 2 too:
one line on stderr naming the destination, never a traceback. That holds for standard output on a
full disk (``lakelint ... > /dev/full``): the error is reported, and stdout is pointed at /dev/null so
the interpreter's own flush at exit does not print a second, raw error.

Text is written as UTF-8 bytes whatever the locale, with file names that are not valid UTF-8 kept as
their original bytes (reporters/names.py), so a report never fails because of a name.
"""

from __future__ import annotations

import os
import stat
import sys

from lakelint.core.records import FrozenRecord, init_field
from lakelint.reporters.names import encode, readable


class OutputError(Exception):
    """A report cannot be, or could not be, written."""


class Target(FrozenRecord):
    """One report to write: its format, and its file or standard output. A plain class, not a dataclass:
    see lakelint/core/records.py."""

    __slots__ = _fields = ("fmt", "path", "label")

    def __init__(self, fmt: str, path: str | None, label: str):
        init_field(self, "fmt", fmt)
        init_field(self, "path", path)  # None: standard output
        init_field(self, "label", label)  # how the command line asked for it: "-o", "--report sarif=..."

    @property
    def shown(self) -> str:
        return self.path if self.path is not None else "standard output"


def plan(args) -> list:
    """The main output, then the extra reports, in the order given."""
    main_fmt = args.format or "text"
    targets = [Target(main_fmt, args.output, "--output" if args.output else "stdout")]
    targets += [Target(fmt, path, f"--report {fmt}={path}") for fmt, path in args.report]
    return targets


def identity(path: str):
    """What tells two paths apart: the file they reach (through symbolic links), or, for a file that
    does not exist yet, its absolute normalised path."""
    try:
        info = os.stat(path)
        return ("file", info.st_dev, info.st_ino)
    except OSError:
        return ("path", os.path.normcase(os.path.abspath(path)))


def is_regular_or_new(path: str) -> bool:
    """False for devices and pipes (``-o /dev/null``, ``-o /dev/stdout``): writing two reports there is
    not clobbering anything, so they are not compared."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def check_writable(path: str) -> None:
    shown = readable(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise OutputError(f"cannot write {shown}: no such directory: "
                              f"{readable(os.path.dirname(path)) or '.'}") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {shown}: permission denied (in {readable(folder)})") from None
        return
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {shown}: it is a directory")
    if not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {shown}: permission denied")


def preflight(targets, write_baseline: str | None, protected) -> None:
    """Refuse, before linting, a destination that cannot be written, that two outputs share, or that
    is one of the run's inputs (``protected``: identity -> (kind, description), see inputs.py).
    ``--write-baseline F`` with ``--baseline F`` is the one input that may be overwritten: that is how
    a baseline is pruned."""
    destinations = [(t.label, t.path) for t in targets if t.path is not None]
    if write_baseline:
        destinations.append(("--write-baseline", write_baseline))
    seen = {}
    for label, path in destinations:
        check_writable(path)
        if not is_regular_or_new(path):
            continue
        key = identity(path)
        if key in seen:
            raise OutputError(f"{readable(path)}: both {seen[key]} and {label} would write it")
        seen[key] = label
        refuse_input(path, label, protected.get(key))


def refuse_input(path: str, label: str, what) -> None:
    if what is None:
        return
    kind, description = what
    if label == "--write-baseline" and kind == "baseline":
        return
    raise OutputError(f"{readable(path)} is {description}, an input of this run: {label} would overwrite it "
                      f"(nothing was written)")


def write(pieces, target: Target) -> None:
    """Write an iterable of strings to the target. Raises OutputError."""
    if target.path is None:
        write_stdout(pieces)
        return
    try:
        with open(target.path, "wb") as handle:
            for piece in pieces:
                handle.write(encode(piece))
    except OSError as exc:
        raise OutputError(f"cannot write {readable(target.path)}: {exc.strerror or exc}") from None


def write_stdout(pieces) -> None:
    stream = sys.stdout
    if stream is None:  # started with stdout closed (``lakelint ... >&-``)
        raise OutputError("cannot write the report to standard output: it is closed")
    try:
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stand-in (tests): it takes str
            for piece in pieces:
                stream.write(readable(piece))
            stream.flush()
            return
        for piece in pieces:
            buffer.write(encode(piece))
        buffer.flush()
    except BrokenPipeError:
        silence_stdout()
        raise
    except OSError as exc:
        silence_stdout()
        raise OutputError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


def silence_stdout() -> None:
    """Point stdout at /dev/null, so what is still buffered is dropped at exit instead of failing again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

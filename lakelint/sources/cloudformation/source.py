"""The template source: find template files, read them, and hand back stacks or error entries.

A file that cannot be read or parsed becomes an ``ErrorEntry`` naming the file, line and column; it
never stops the other files from being linted. YAML and JSON files that are not CloudFormation are
skipped without a word, so ``lakelint .`` can run at the top of any repository: whether a file is
CloudFormation is decided from its text before it is parsed (``detect.py``), so a GitLab CI file with
``!reference`` or a Helm template with ``{{ }}`` is never a syntax error.

An empty file (or one holding only whitespace and comments) is one of those: it has no ``Resources``,
so it is not CloudFormation, and it is skipped the same way whether a directory walk found it or it was
named on the command line. It cannot hide a finding (there is nothing in it to deploy), and failing a
commit over an empty placeholder file is the kind of noise that gets a hook turned off.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from lakelint.core.config import relative_to
from lakelint.core.model import ErrorEntry, Stack
from lakelint.sources.cloudformation.detect import looks_like_cloudformation
from lakelint.sources.cloudformation.loader import TemplateError, decode_text, parse
from lakelint.sources.cloudformation.template import build_stack, is_cloudformation

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_DIRS = {"node_modules", "__pycache__"}
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory when below it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def is_excluded(path: str | None, patterns) -> bool:
    """``exclude`` globs match the path or any folder above it (``cdk.out/asset.*`` excludes a tree).
    ``path`` is relative to the folder the patterns are relative to; None (outside it) never matches."""
    if not patterns or not path:
        return False
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(c, p) for p in patterns for c in candidates)


def find_files(paths, exclude=(), base: str | None = None) -> tuple[list, list]:
    """Template files below ``paths``, sorted; plus error entries for paths that cannot be walked.

    ``exclude`` globs are relative to ``base`` (the folder of the configuration file that declares
    them; None: the working folder), whatever the working folder; files outside ``base`` are matched
    by none of them. Files named explicitly are taken unless excluded (pre-commit passes files).
    Directory walks follow symbolic links but never enter a directory twice, so a link loop ends the
    walk, not the run.
    """
    files, errors = [], []
    seen_files = set()

    def excluded(shown: str) -> bool:
        return bool(exclude) and is_excluded(relative_to(base, shown), exclude)

    def add(path: Path):
        shown = display_path(path)
        if shown not in seen_files and not excluded(shown):
            seen_files.add(shown)
            files.append((shown, path))

    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(path, add, errors, excluded)
        elif path.exists() or path.is_symlink():
            add(path)
        else:
            errors.append(ErrorEntry(f"no such file or directory: {given}", file=str(given)))
    files.sort(key=lambda item: item[0])
    return files, errors


def _walk(root: Path, add, errors, excluded):
    visited = set()

    def on_error(exc: OSError):
        errors.append(ErrorEntry(f"cannot read directory: {exc.strerror or exc}",
                                 file=display_path(Path(exc.filename or root))))

    for directory, subdirs, names in os.walk(root, followlinks=True, onerror=on_error):
        try:
            stat = os.stat(directory)
        except OSError as exc:
            on_error(exc)
            subdirs[:] = []
            continue
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:
            subdirs[:] = []
            continue
        visited.add(identity)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d not in SKIPPED_DIRS
                            and not excluded(display_path(Path(directory) / d)))
        for name in sorted(names):
            if name.endswith(TEMPLATE_SUFFIXES):
                add(Path(directory) / name)


def load_stack(shown: str, path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE):
    """Read and parse one file. Returns ``(stack or None, [ErrorEntry])``.

    Only regular files are read (a named pipe or a device would block or never end), and never more
    than ``max_size`` bytes, even if the file grows between the size check and the read.
    """
    try:
        info = os.stat(path)  # before opening: opening a named pipe would wait for a writer
        if not stat.S_ISREG(info.st_mode):
            return None, [ErrorEntry("not a regular file", file=shown, line=1, column=1)]
        if info.st_size > max_size:
            return None, [_too_big(shown, info.st_size, max_size)]
        with open(path, "rb") as handle:
            raw = handle.read(max_size + 1)
    except OSError as exc:
        return None, [ErrorEntry(f"cannot read file: {exc.strerror or exc}", file=shown, line=1, column=1)]
    if len(raw) > max_size:
        return None, [_too_big(shown, len(raw), max_size)]
    return load_text(shown, raw)


def _too_big(shown: str, size: int, max_size: int) -> ErrorEntry:
    return ErrorEntry(f"file is {size:,} bytes, over the {max_size:,}-byte limit (max-file-size)",
                      file=shown, line=1, column=1)


def load_text(shown: str, raw: bytes):
    """One file's bytes to a stack: ``(stack or None, [ErrorEntry])``.

    Whether the file is CloudFormation is decided from its text first (``detect``): a file with no sign
    of it is skipped before its encoding or syntax is judged, so other YAML never fails a run; a file
    that shows a sign and cannot be read is an error with its line and column.
    """
    try:
        text = decode_text(raw)
    except TemplateError as exc:
        if not looks_like_cloudformation(_lossy(raw)):
            return None, []
        return None, [ErrorEntry(exc.message, file=shown, line=exc.line, column=exc.column)]
    if not looks_like_cloudformation(text):
        return None, []
    try:
        root = parse(text, json_mode=shown.endswith(".json") or None)
    except TemplateError as exc:
        return None, [ErrorEntry(exc.message, file=shown, line=exc.line, column=exc.column)]
    if not is_cloudformation(root):
        return None, []
    stack = build_stack(root, shown)
    if "lakelint" in text:
        stack.text_lines = text.splitlines()
    return stack, []


def _lossy(raw: bytes) -> str:
    """Text good enough to look for CloudFormation's signs in bytes that do not decode cleanly."""
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return raw.decode(encoding, errors="replace")

"""Find and read configuration files: ``.lakelint.yaml``/``.lakelint.yml`` or ``pyproject.toml``.

Found as ruff finds its configuration: the nearest file in the working folder or above it, up to the
filesystem root; when there is none, the nearest above the common folder of the paths the run names
(``lakelint ../other-repo/templates``, or ``lakelint repo/`` from the folder holding the repository).
In each folder ``.lakelint.yaml`` comes before ``.lakelint.yml``, and both before ``pyproject.toml``,
which counts only when it has a ``[tool.lakelint]`` table (however the name is quoted: TOML is parsed,
not searched). A ``pyproject.toml`` without the table belongs to someone else and is passed over
without a word, even when it is broken.

Reading is strict, because a configuration read wrongly switches a gate off in silence: UTF-8 only
(TOML requires it; a UTF-16 or latin-1 ``.lakelint.yaml`` is an error that says so), no control
characters, no duplicate keys (both lines named), a mapping at the top. Every problem is a
``ConfigError`` naming the file, and the line and column where the format has them, never a traceback.
Each file also yields the line of each top-level key, so that a wrong value is reported where it stands.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from lakelint.core.records import Record

YAML_NAMES = (".lakelint.yaml", ".lakelint.yml")
PYPROJECT = "pyproject.toml"
# Patterns as text, compiled by re when a pyproject.toml with our table is read: most runs read none.
_TABLE_HEADER = r"""(?m)^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*(?:lakelint|"lakelint"|'lakelint')[ \t]*[\].]"""
_TOML_KEY = r"""^[ \t]*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))[ \t]*="""
# Where a tool.lakelint table can be declared, bare or quoted (``_may_hold_table``); TOML keys stay on one line.
_TOOL_DOT_LAKELINT = rb"""tool["']?[ \t]*\.[ \t]*["']?lakelint"""  # [tool.lakelint], tool.lakelint.select = ...
_LAKELINT_KEY = rb"""lakelint["']?[ \t]*[.=]"""  # lakelint = {...}, lakelint.select = ... (under [tool])
_TOOL_TABLE = rb"""\[[ \t]*["']?tool["']?[ \t]*\]|tool["']?[ \t]*="""  # [tool], tool = {...}


class ConfigError(Exception):
    """A configuration that cannot be used; the message starts with the file (and line)."""


class ConfigFile(Record):
    """One configuration file's settings, where it is, and the line of each top-level key. A plain
    class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("path", "data", "lines")

    def __init__(self, path: Path, data: dict, lines: dict | None = None):
        self.path = path  # absolute
        self.data = data
        self.lines = {} if lines is None else lines  # key -> 1-based line

    @property
    def shown(self) -> str:
        return shown_path(self.path)


def shown_path(path: Path) -> str:
    """A config file's path as messages show it: relative to the working folder when it is below it."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


# -- discovery ----------------------------------------------------------------------------------------


def discover(paths=()) -> ConfigFile | None:
    """The nearest configuration for a run over ``paths`` (see the module docstring), or None."""
    cwd = Path.cwd()
    visited = set()
    for start in [cwd, *_named_folders(paths, cwd)]:
        for folder in [start, *start.parents]:
            if folder in visited:
                break  # the rest of this chain was searched already
            visited.add(folder)
            found = _in_folder(folder)
            if found is not None:
                return found
    return None


def _named_folders(paths, cwd: Path) -> list:
    """The common folder of the paths a run names, when it is not the working folder."""
    folders = []
    for given in paths:
        if given == "-":  # stdin
            continue
        absolute = Path(os.path.abspath(os.path.join(cwd, given)))
        folders.append(absolute if absolute.is_dir() else absolute.parent)
    if not folders:
        return []
    try:
        common = Path(os.path.commonpath([str(f) for f in folders]))
    except ValueError:  # different drives
        return []
    return [] if common == cwd else [common]


def _in_folder(folder: Path) -> ConfigFile | None:
    for name in YAML_NAMES:
        path = folder / name
        if path.is_file():
            return read(path)
    path = folder / PYPROJECT
    if path.is_file():
        return read_pyproject(path, only_if_ours=True)
    return None


# -- reading ------------------------------------------------------------------------------------------


def read(path: Path) -> ConfigFile:
    """Read a configuration file named by ``--config`` or found by ``discover``."""
    path = Path(os.path.abspath(path))
    if path.suffix == ".toml":
        return read_pyproject(path, only_if_ours=False)
    raw = _read_bytes(path)
    return _read_yaml(path, _decode(path, raw))


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(1024 * 1024 + 1)
    except OSError as exc:
        raise ConfigError(f"{shown_path(path)}: cannot read config: {exc.strerror or exc}") from None


def _decode(path: Path, raw: bytes) -> str:
    if len(raw) > 1024 * 1024:
        raise ConfigError(f"{shown_path(path)}: a configuration file over 1 MB is not a configuration file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:2].count(b"\x00") == 1:
        raise ConfigError(f"{shown_path(path)}: the file is UTF-16; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(f"{shown_path(path)}:{line}:{column}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                          f"save the file as UTF-8") from None


def _read_yaml(path: Path, text: str) -> ConfigFile:
    loader = None
    try:
        loader = _StrictLoader(text)  # checks every character on creation
        loader.config_path = shown_path(path)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.reader.ReaderError as exc:
        offset = exc.position
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        character = f" #x{exc.character:04x}" if isinstance(exc.character, int) else ""
        raise ConfigError(f"{shown_path(path)}:{line}:{column}: invalid YAML: control character{character} "
                          f"is not allowed") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{shown_path(path)}{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown_path(path)}: invalid YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{shown_path(path)}:1: the configuration must be a mapping of keys to values")
    lines = {}
    if node is not None and isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines.setdefault(key_node.value, key_node.start_mark.line + 1)
    return ConfigFile(path, data, lines)


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing duplicate keys (the last one would otherwise win in silence)."""

    config_path = None

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                raise ConfigError(f"{self.config_path}:{line}: duplicate key {key_node.value!r} "
                                  f"(first defined on line {seen[key_node.value]})")
            seen[key_node.value] = line
        return super().construct_mapping(node, deep)


def read_pyproject(path: Path, only_if_ours: bool) -> ConfigFile | None:
    """The ``[tool.lakelint]`` table of a ``pyproject.toml``. With ``only_if_ours`` (discovery), a file
    without the table is not ours: None, whatever state it is in."""
    raw = _read_bytes(path)
    if only_if_ours and not _may_hold_table(raw):  # cannot hold the table: not worth importing tomllib
        return None
    try:
        text = _decode(path, raw)
    except ConfigError:
        if only_if_ours and not re.search(_TABLE_HEADER, raw.decode("utf-8", errors="replace")):
            return None
        raise
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if only_if_ours and not re.search(_TABLE_HEADER, text):
            return None
        raise ConfigError(f"{shown_path(path)}: invalid TOML: {exc}") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "lakelint" not in tool:
        if only_if_ours:
            return None
        return ConfigFile(path, {}, {})
    table = tool["lakelint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{shown_path(path)}: tool.lakelint must be a table ([tool.lakelint])")
    return ConfigFile(path, table, _toml_key_lines(text))


def _may_hold_table(raw: bytes) -> bool:
    """Whether a ``pyproject.toml`` may declare a ``tool.lakelint`` table, from its bytes: the name
    after ``tool.``, or as a key in a file that declares a ``[tool]`` table; or a ``\\u`` escape, which
    a quoted key could spell either name with. A project that names lakelint only as a value (its
    dependency, its script) is then passed over without importing tomllib (issue 18)."""
    if b"lakelint" not in raw:
        return False
    if b"\\u" in raw or b"\\U" in raw or re.search(_TOOL_DOT_LAKELINT, raw):
        return True
    return re.search(_LAKELINT_KEY, raw) is not None and re.search(_TOOL_TABLE, raw) is not None


def _toml_key_lines(text: str) -> dict:
    """The line of each key of the ``[tool.lakelint]`` table (and of its sub-tables' names), for
    messages: tomllib gives values, not positions."""
    lines = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = re.match(_TABLE_HEADER, line)
            inside = bool(header) and header.group(0).rstrip().endswith("]")
            if header and not inside:  # [tool.lakelint.per-file-ignores]: the key is the sub-table
                sub = stripped.split("]")[0].split(".")[-1].strip().strip("\"'")
                lines.setdefault(sub, number)
            continue
        if inside:
            match = re.match(_TOML_KEY, line)
            if match:
                lines.setdefault(next(g for g in match.groups() if g), number)
    return lines

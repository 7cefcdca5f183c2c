"""The built-in checks from their generated index, each module imported only when the run needs it.

Importing every check module costs a one-template run (what pre-commit pays per commit) more than
linting it (issue 18). ``checks/_index.py``, written by ``python -m lakelint.dev generate`` from the
modules themselves, holds each built-in check's metadata: enough to select, order, validate against
plugins, bind the configuration's options and run the checks. A spec made from it imports its module
the first time something asks for what only the module has (the function, the documentation, the
declared options themselves: a key the configuration sets is parsed by its check's type), so a
template run imports the modules of the resource types it meets and of the stack- and run-wide checks,
no others.

The index is trusted only while it describes the modules beside it: it records a digest of every
``.py`` file of the checks folder, and a folder whose digest differs (a check edited, added or
removed without regenerating) is loaded module by module, as before the index existed. So a stale
index costs time, never a wrong result; ``generate --check`` reports it in CI.
"""

from __future__ import annotations

import importlib
import os
import zlib
from pathlib import Path

from lakelint.core.check import CheckSpec

INDEX_MODULE = "_index"  # checks/_index.py: a helper by its name, so never taken for a check
INDEX_FIELDS = ("code", "name", "severity", "title", "module", "sources", "resource_types", "scope", "reads",
                "preview", "fix", "option_signatures")


def folder_digest(directory: Path) -> str:
    """CRC-32 and length of every ``.py`` file under ``directory`` (relative path and bytes, in sorted
    order), the index itself excepted: what the index must have been generated from to be trusted.
    A checksum, not a cryptographic hash: it detects an edit, and it is computed on every run without
    importing hashlib (OpenSSL), which costs a one-template run more than reading the files."""
    crc, total, count = 0, 0, 0
    for name, path in sorted(_python_files(os.fspath(directory), "")):
        if name == INDEX_MODULE + ".py":
            continue
        with open(path, "rb", buffering=0) as handle:  # read whole: no buffer in between
            data = handle.readall()
        crc = zlib.crc32(data, zlib.crc32(name.encode("utf-8") + b"\0", crc))
        total, count = total + len(data), count + 1
    return f"{count}-{total}-{crc:08x}"


def _python_files(folder: str, prefix: str) -> list:
    """``(name relative to the top folder with / separators, path)`` of every ``.py`` file below
    ``folder``, as ``os.walk`` finds them (symbolic links to folders and unreadable folders are not
    entered; ``__pycache__`` and hidden folders are left out), without its per-file path arithmetic."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir():
            if not entry.is_symlink() and entry.name != "__pycache__" and not entry.name.startswith("."):
                found += _python_files(entry.path, prefix + entry.name + "/")
        elif entry.name.endswith(".py"):
            found.append((prefix + entry.name, entry.path))
    return found


class IndexedSpec(CheckSpec):
    """A built-in check's spec made from the index: its metadata is here at once, its module is
    imported when ``func``, ``summary``, ``docs`` or (for a check that declares some) ``options`` is
    first read. Every attribute, ``to_dict`` included, is what the spec the module gives holds
    (tests/test_check_index.py)."""

    def __init__(self, package: str | None = None, row: tuple | None = None, **fields):
        if row is None:  # spec.replace(...): every field given, the module already loaded
            CheckSpec.__init__(self, **fields)
            self.__dict__["_option_signatures"] = CheckSpec.option_signatures(self)
            return
        values = dict(zip(INDEX_FIELDS, row))
        self.__dict__.update(
            code=values["code"], name=values["name"], severity=values["severity"], title=values["title"],
            sources=tuple(values["sources"]), resource_types=tuple(values["resource_types"]),
            scope=values["scope"], reads={rtype: tuple(paths) for rtype, paths in values["reads"]},
            preview=values["preview"], fix=values["fix"], module=f"{package}.{values['module']}",
            origin="built-in",
            _option_signatures={key: (kind, default) for key, kind, default in values["option_signatures"]})

    def _load(self, docs: bool) -> None:
        """The function and options from the module; with ``docs``, its documentation too (parsed only
        when asked for: a lint never reads it)."""
        from lakelint.core.check import parse_docs
        from lakelint.core.registry import RegistryError, check_functions

        try:
            module = importlib.import_module(self.module)
        except Exception as exc:
            raise RegistryError(f"{self.module}: cannot load check module: {type(exc).__name__}: {exc}") from None
        if "func" not in self.__dict__:
            found = [(func, meta) for func, meta in check_functions(module) if meta["code"] == self.code]
            if not found:
                raise RegistryError(f"{self.module}: no longer declares {self.code}: regenerate the check index "
                                    f"(python -m lakelint.dev generate)")
            func, meta = found[0]
            self.__dict__.setdefault("func", func)
            self.__dict__.setdefault("options", meta["options"])
        if docs:
            summary, sections = parse_docs(module.__doc__ or "")
            self.__dict__.setdefault("summary", summary)
            self.__dict__.setdefault("docs", sections)

    def _lazy(key):  # noqa: N805 - a property factory used in the class body only
        def get(self):
            if key not in self.__dict__:
                if key == "options" and not self.__dict__["_option_signatures"]:
                    return self.__dict__.setdefault("options", {})
                self._load(docs=key in ("summary", "docs"))
            return self.__dict__[key]

        def set_(self, value):
            self.__dict__[key] = value

        return property(get, set_)

    func = _lazy("func")
    summary = _lazy("summary")
    docs = _lazy("docs")
    options = _lazy("options")
    del _lazy

    def option_signatures(self) -> dict:
        """From the index, without importing the module (the registry and ``bind_options`` ask it of
        every check): the very types and defaults the module declares (tests/test_check_index.py)."""
        return dict(self.__dict__["_option_signatures"])

    @property
    def loaded(self) -> bool:
        """Whether the check's module has been imported (tests and the parallel run read it)."""
        return "func" in self.__dict__


def load_index(directory: Path, package: str) -> list | None:
    """The built-in specs from ``directory``'s index, or None when there is no index or it does not
    describe the modules in ``directory`` (the caller then imports every module)."""
    path = directory / (INDEX_MODULE + ".py")
    if not path.is_file():
        return None
    try:
        index = _read_index(path, f"{package}.{INDEX_MODULE}")
        if index.DIGEST != folder_digest(directory) or index.FIELDS != INDEX_FIELDS:
            return None
        return [IndexedSpec(package, row) for row in index.CHECKS]
    except Exception:  # noqa: BLE001 - an unusable index is the same as none: the modules are read instead
        return None


def _read_index(path: Path, name: str):
    """The index module, executed from its file (its bytecode cached like any module's), whether or not
    its package has been set up yet."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def index_rows(specs, package: str) -> list:
    """The index's rows for ``specs`` (loaded from their modules), in code order."""
    rows = []
    for spec in sorted(specs, key=lambda s: s.code):
        rows.append((spec.code, spec.name, spec.severity, spec.title, spec.module.removeprefix(package + "."), tuple(spec.sources),
                     tuple(spec.resource_types), spec.scope,
                     tuple((rtype, tuple(paths)) for rtype, paths in spec.reads.items()),
                     spec.preview, spec.fix,
                     tuple((key, kind, default) for key, (kind, default) in sorted(spec.option_signatures().items()))))
    return rows

"""Find checks: the built-in ``checks/`` folder, installed plugins, and ``--checks-dir`` folders.

There is no list of checks to edit: dropping a module into a folder is how a check is added, as in
cfn-lint. Built-in checks and plugin checks are loaded the same way and must meet the same bar:
a unique code and name, a known severity and source, every documentation section, and options
declared with a type, a default of that type and a doc (checks sharing an option agree on it).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

from lakelint.core.check import (CODE_PATTERN, DOC_SECTIONS, NAME_PATTERN, SCOPES, SEVERITIES, SOURCES,
                            CheckSpec, parse_docs)
from lakelint.core.check_index import IndexedSpec
from lakelint.core.config import CORE_KEYS
from lakelint.core.options import declaration_problem

ENTRY_POINT_GROUP = "lakelint.checks"
BUILTIN_PACKAGE = "lakelint.checks"


class RegistryError(Exception):
    """A check that cannot be loaded or that breaks the rules every check must follow."""


def builtin_checks_dir() -> Path:
    """Installed, the checks ship as the ``lakelint.checks`` package; in a source tree they are the
    ``checks/`` folder beside ``lakelint/``."""
    spec = importlib.util.find_spec("lakelint.checks")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parent.parent.parent / "checks"


def specs_in_module(module, origin: str) -> list:
    summary, docs = parse_docs(module.__doc__ or "")
    return [CheckSpec(func=func, summary=summary, docs=docs, module=module.__name__, origin=origin, **meta)
            for func, meta in check_functions(module)]


def check_functions(module) -> list:
    """``(function, @check metadata)`` of every check the module itself declares."""
    found = []
    for value in vars(module).values():
        meta = getattr(value, "__lakelint_check__", None)
        if meta is not None and getattr(value, "__module__", None) == module.__name__:
            found.append((value, meta))
    return found


def _package(name: str, directory: Path) -> None:
    """Make ``name`` an importable package rooted at ``directory`` (once), so the modules below it can
    import their area's helpers (``from ._rds import cluster_member``) with plain imports."""
    if name in sys.modules:
        return
    init = directory / "__init__.py"
    spec = importlib.util.spec_from_file_location(name, init if init.is_file() else None,
                                                  submodule_search_locations=[str(directory)])
    if spec is None:  # a folder without __init__.py: a namespace of its own
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(directory)]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    if spec.loader is not None:
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            raise RegistryError(f"{init}: cannot load: {type(exc).__name__}: {exc}") from None


def _load_module(name: str, path: Path):
    try:
        return importlib.import_module(name)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise RegistryError(f"{path}: cannot load check module: {type(exc).__name__}: {exc}") from None


def check_modules(directory: Path, prefix: tuple = ()) -> list:
    """(dotted name relative to the top folder, path) of every check module in ``directory`` and in its
    area folders (subfolders with an ``__init__.py``), sorted. Files and folders whose name starts with
    ``_`` or ``.`` hold helpers, not checks."""
    found = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_dir() and (path / "__init__.py").is_file():
            found += check_modules(path, prefix + (path.name,))
        elif path.suffix == ".py" and path.is_file():
            found.append((".".join(prefix + (path.stem,)), path))
    return found


def load_dir(directory: Path, origin: str, package: str) -> list:
    """Every check in ``directory`` (area folders included), imported as modules of ``package``."""
    if not directory.is_dir():
        raise RegistryError(f"{directory}: not a directory of checks")
    _package(package, directory)
    specs = []
    for dotted, path in check_modules(directory):
        parts = dotted.split(".")
        for depth in range(1, len(parts)):
            _package(".".join([package, *parts[:depth]]), directory.joinpath(*parts[:depth]))
        specs.extend(specs_in_module(_load_module(f"{package}.{dotted}", path), origin))
    return specs


def entry_points_declared(path=None) -> bool:
    """Whether any distribution on ``path`` (``sys.path``) may declare a ``lakelint.checks`` entry point.

    ``importlib.metadata`` costs a one-template run ~20 ms in imports and a parse of every installed
    distribution's metadata (issue 18), to find, nearly always, no plugin. Installed distributions keep
    their entry points in ``*.dist-info/entry_points.txt`` (``*.egg-info`` for older ones), so reading
    those files for the group's name answers the question. Anything this scan cannot read (a zip on the
    path) counts as "may", and the caller then asks ``importlib.metadata`` as before.
    """
    for entry in sys.path if path is None else path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:  # a zip file (an egg, a zipapp): let importlib.metadata look inside
            return True
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                    if ENTRY_POINT_GROUP.encode() in handle.read():
                        return True
            except OSError:
                continue
    return False


def load_entry_points() -> list:
    if not entry_points_declared():
        return []
    import pkgutil  # only for plugins: its import pulls in typing, which a plain run does without
    from importlib.metadata import entry_points

    specs = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            module = entry.load()
        except Exception as exc:
            raise RegistryError(f"plugin {entry.name} ({entry.value}): cannot load: {type(exc).__name__}: {exc}") from None
        origin = f"plugin {entry.name}"
        specs.extend(specs_in_module(module, origin))
        if hasattr(module, "__path__"):  # a package of check modules
            for info in pkgutil.iter_modules(module.__path__, module.__name__ + "."):
                specs.extend(specs_in_module(importlib.import_module(info.name), origin))
    return specs


def validate(specs) -> None:
    """Every rule a check must follow, built-in or not. Raises on the first problem found."""
    codes, names = {}, {}
    for spec in specs:
        where = f"{spec.code} ({spec.module}, {spec.origin})"
        if not CODE_PATTERN.match(spec.code):
            raise RegistryError(f"{where}: code must look like LL123")
        if not NAME_PATTERN.match(spec.name):
            raise RegistryError(f"{where}: name must be kebab-case")
        if spec.severity not in SEVERITIES:
            raise RegistryError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        if spec.scope not in SCOPES:
            raise RegistryError(f"{where}: scope must be one of {', '.join(SCOPES)}")
        if not spec.sources or any(s not in SOURCES for s in spec.sources):
            raise RegistryError(f"{where}: sources must be among {', '.join(SOURCES)}")
        if spec.code in codes:
            raise RegistryError(f"{where}: duplicate code, also used by {codes[spec.code].module}")
        if spec.name in names:
            raise RegistryError(f"{where}: duplicate name {spec.name}, also used by {names[spec.name].code}")
        if isinstance(spec, IndexedSpec):  # validated whole when its index was generated
            codes[spec.code] = spec
            names[spec.name] = spec
            continue
        missing = [s for s in DOC_SECTIONS if not spec.docs.get(s)]
        if missing or not spec.summary:
            raise RegistryError(f"{where}: documentation lacks {', '.join(missing) or 'a summary line'}")
        if not isinstance(spec.preview, bool):
            raise RegistryError(f"{where}: preview must be True or False")
        if spec.fix not in (None, "safe", "unsafe"):
            raise RegistryError(f"{where}: fix must be \"safe\", \"unsafe\" or left out")
        codes[spec.code] = spec
        names[spec.name] = spec
    validate_options(specs)


def validate_options(specs) -> None:
    """Each declared option is well formed and is not one of the engine's own keys, and checks that
    declare the same key agree on its type and default: one key, one meaning, in every check."""
    first = {}
    for spec in specs:
        where = f"{spec.code} ({spec.module}, {spec.origin})"
        if not (isinstance(spec, IndexedSpec) and not spec.loaded):  # else validated when its index was generated
            if not isinstance(spec.options, dict):
                raise RegistryError(f"{where}: options must map configuration keys to Option(type, default, doc)")
            for key, option in spec.options.items():
                problem = declaration_problem(key, option)
                if problem:
                    raise RegistryError(f"{where}: {problem}")
                if key in CORE_KEYS:
                    raise RegistryError(f"{where}: option {key!r} is one of lakelint's own configuration keys")
        for key, (kind, default) in spec.option_signatures().items():
            if key not in first:
                first[key] = spec
                continue
            other_kind, other_default = first[key].option_signatures()[key]
            if (kind, default) != (other_kind, other_default):
                raise RegistryError(
                    f"{where}: option {key!r} is declared as {kind} with default {default!r}, "
                    f"but {first[key].code} ({first[key].module}) declares it as {other_kind} with default "
                    f"{other_default!r}: checks that share an option must agree")


def load_builtin() -> list:
    """The built-in checks: from their generated index while it is current (each module imported when
    first needed, core/check_index.py), else every module of the folder."""
    from lakelint.core.check_index import load_index

    directory = builtin_checks_dir()
    if directory.is_dir():
        _package(BUILTIN_PACKAGE, directory)
        indexed = load_index(directory, BUILTIN_PACKAGE)
        if indexed is not None:
            return indexed
    return load_dir(directory, "built-in", BUILTIN_PACKAGE)


def load_checks(extra_dirs=(), plugins: bool = True) -> list:
    """All checks, sorted by code: built-in, then entry-point plugins, then ``--checks-dir`` folders.
    Built-in checks met the rules when their index was generated, so of them only what a plugin could
    clash with (code, name, shared options) is validated here."""
    specs = load_builtin()
    if plugins:
        specs += load_entry_points()
    for directory in extra_dirs:
        # one module namespace per folder, so two folders may both hold a "checks.py"
        import hashlib  # only for --checks-dir: a plain run does not pay for OpenSSL's import

        digest = hashlib.sha1(str(Path(directory).resolve()).encode()).hexdigest()[:10]
        specs += load_dir(Path(directory), f"checks-dir {directory}", f"lakelint_checks_dir_{digest}")
    validate(specs)
    return sorted(specs, key=lambda s: s.code)

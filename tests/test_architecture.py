"""The import rules that keep the architecture what DESIGN section 1 draws.

    sources --> inventory (core) --> checks --> findings --> reporters

- the engine core (``lakelint/core``) imports nothing of lakelint outside itself: everything else
  depends on it;
- sources (``lakelint/sources``) import neither checks nor the engine (the engine, the registry and
  the check API), nor the orchestration above them;
- checks (``checks/``) import neither sources nor reporters nor the orchestration;
- the shared AWS knowledge (``lakelint/knowledge``) imports no source;
- reporters know findings and checks' metadata, not sources, checks or the engine.

Every import is read from the code (``import x``, ``from x import y``, including imports inside
functions), so a lazy import cannot slip past the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKS_PACKAGE = "lakelint.checks"

# (what, the folder its files are in, the lakelint modules it must never import)
RULES = [
    ("the engine core", ROOT / "lakelint" / "core",
     ("lakelint.sources", "lakelint.runs", "lakelint.reporters", "lakelint.cli", "lakelint.docs",
      "lakelint.knowledge", "lakelint.integrations", CHECKS_PACKAGE)),
    ("sources", ROOT / "lakelint" / "sources",
     (CHECKS_PACKAGE, "lakelint.core.engine", "lakelint.core.registry", "lakelint.core.check", "lakelint.runs",
      "lakelint.reporters", "lakelint.cli", "lakelint.docs", "lakelint.integrations")),
    ("checks", ROOT / "checks",
     ("lakelint.sources", "lakelint.reporters", "lakelint.runs", "lakelint.cli", "lakelint.docs",
      "lakelint.integrations", "lakelint.core.engine", "lakelint.core.registry")),
    ("the shared AWS knowledge", ROOT / "lakelint" / "knowledge",
     ("lakelint.sources", "lakelint.runs", "lakelint.reporters", "lakelint.cli", CHECKS_PACKAGE,
      "lakelint.core.engine", "lakelint.core.registry")),
    ("reporters", ROOT / "lakelint" / "reporters",
     ("lakelint.sources", "lakelint.runs", CHECKS_PACKAGE, "lakelint.core.engine", "lakelint.knowledge",
      "lakelint.cli")),
]


def imported_modules(path: Path) -> list:
    """(line, module) for every import in ``path``; ``from . import x`` is resolved against the file's
    package, and ``from lakelint import x`` counts as importing ``lakelint.x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _package_of(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _package_of(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[0] == "checks":
        parts[0:1] = ["lakelint", "checks"]
    return ".".join(parts[:-1])


def _breaks(module: str, forbidden) -> str | None:
    for rule in forbidden:
        if module == rule or module.startswith(rule + "."):
            return rule
    return None


@pytest.mark.parametrize("what, folder, forbidden", RULES, ids=[r[0] for r in RULES])
def test_import_rules_hold(what, folder, forbidden):
    broken = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in imported_modules(path):
            rule = _breaks(module, forbidden)
            if rule:
                broken.append(f"{path.relative_to(ROOT)}:{line} imports {module} ({what} must not import {rule})")
    assert broken == []


def test_the_rules_see_lazy_and_relative_imports(tmp_path):
    """The reader itself: an import inside a function and a relative import are both seen."""
    sample = ROOT / "lakelint" / "sources" / "cloudformation" / "_probe_for_test.py"
    sample.write_text("def f():\n    from lakelint.core import engine\n    from .. import live\n", encoding="utf-8")
    try:
        modules = [m for _, m in imported_modules(sample)]
    finally:
        sample.unlink()
    assert "lakelint.core.engine" in modules and "lakelint.sources.live" in modules


def test_every_check_sits_in_the_folder_of_its_code_range():
    from lakelint.core.registry import load_checks

    areas = {"0": "hygiene", "1": "s3", "2": "network", "3": "account", "4": "storage", "5": "databases",
             "6": "analytics", "7": "governance", "8": "drift"}
    for spec in load_checks(plugins=False):
        area = spec.module.split(".")[2]
        assert area == areas[spec.code[2]], f"{spec.code} lives in checks/{area}/, its range is checks/{areas[spec.code[2]]}/"


YAML_BUILDERS = ("lakelint.sources.cloudformation.yaml_events", "lakelint.sources.cloudformation.yaml_nodes",
                 "lakelint.sources.cloudformation.yaml_rules")


def test_loader_is_the_only_door_to_the_yaml_builders():
    """loader.py is the parser's public entry point (issue 18): the two builders and their shared rules
    are its internals, so the rest of lakelint imports ``loader`` and a builder can change freely."""
    inside = {ROOT / "lakelint" / "sources" / "cloudformation" / f"{m.rsplit('.', 1)[1]}.py" for m in YAML_BUILDERS}
    inside.add(ROOT / "lakelint" / "sources" / "cloudformation" / "loader.py")
    broken = []
    for path in sorted((ROOT / "lakelint").rglob("*.py")):
        if path in inside:
            continue
        for line, module in imported_modules(path):
            if _breaks(module, YAML_BUILDERS):
                broken.append(f"{path.relative_to(ROOT)}:{line} imports {module}: import it from loader.py")
    assert broken == []

"""Compare every generated file with what its generator renders today, and rewrite the stale ones.

Each artifact is a module of this package with three names:

- ``NAME``: what ``python -m lakelint.dev generate NAME`` calls it;
- ``expected(root) -> {path: text}``: every file it generates, as paths relative to the checkout root;
- ``owned(root) -> {path, ...}``: the files it generated before (so a snapshot whose template is gone
  is removed, not left behind to mislead).

A generator must be deterministic: the same checkout renders the same bytes on any machine, in any
working folder, on any day (sorted, no timestamps, no absolute paths, no tool version).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lakelint.dev import check_index, checks_doc, corpus_snapshots, guide_tables, iam_policy, readme_tables
from lakelint.dev.errors import GenerateError

ARTIFACTS = {module.NAME: module for module in (checks_doc, readme_tables, iam_policy, corpus_snapshots,
                                                 guide_tables, check_index)}
COMMAND = "python -m lakelint.dev generate"


@dataclass(frozen=True)
class Stale:
    """One generated file that differs from what its generator renders."""

    path: str  # relative to the checkout root, with forward slashes
    artifact: str
    state: str  # "out of date", "missing" or "no longer generated"
    text: str | None  # what the file should hold; None: the file should go

    @property
    def fix(self) -> str:
        return f"{COMMAND} {self.artifact}"


def checkout_root() -> Path:
    """The source checkout this package sits in; a clear error when lakelint was installed instead."""
    root = Path(__file__).resolve().parent.parent.parent
    if not ((root / "pyproject.toml").is_file() and (root / "checks").is_dir() and (root / "docs").is_dir()):
        raise GenerateError(f"{root} is not a lakelint source checkout (no pyproject.toml, checks/ and docs/): "
                            "run python -m lakelint.dev from a clone of the repository")
    return root


def select(names) -> list:
    """The artifact modules ``names`` asks for (every one when empty), in the registry's order."""
    unknown = [n for n in names if n not in ARTIFACTS]
    if unknown:
        raise GenerateError(f"unknown artifact {', '.join(unknown)} (known: {', '.join(ARTIFACTS)})")
    return [module for name, module in ARTIFACTS.items() if not names or name in names]


def stale_files(root: Path, artifacts) -> list:
    """Every file of ``artifacts`` under ``root`` that is missing, out of date or left over."""
    stale = []
    for module in artifacts:
        expected = module.expected(root)
        for path in sorted(expected):
            target = root / path
            if not target.is_file():
                stale.append(Stale(path, module.NAME, "missing", expected[path]))
            elif target.read_text(encoding="utf-8") != expected[path]:
                stale.append(Stale(path, module.NAME, "out of date", expected[path]))
        for path in sorted(set(module.owned(root)) - set(expected)):
            stale.append(Stale(path, module.NAME, "no longer generated", None))
    return stale


def apply(root: Path, stale) -> None:
    """Bring each stale file in line: write what it should hold, or remove it."""
    for entry in stale:
        target = root / entry.path
        if entry.text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(entry.text)


def report(stale) -> str:
    """What ``generate --check`` prints: each stale file, under the command that fixes it."""
    lines = [f"{len(stale)} generated file{'s are' if len(stale) != 1 else ' is'} not current:"]
    for artifact in dict.fromkeys(entry.artifact for entry in stale):
        entries = [entry for entry in stale if entry.artifact == artifact]
        lines.append(f"  {artifact}, fixed by: {entries[0].fix}")
        lines += [f"    {entry.path} ({entry.state})" for entry in entries]
    lines.append(f"Or run {COMMAND} to regenerate everything; review the diff and commit it.")
    return "\n".join(lines) + "\n"

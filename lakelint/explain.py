"""``--list-checks`` and ``--explain``: the checks' own metadata and docs, rendered for people."""

from __future__ import annotations

import json


def list_checks(specs, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps([s.to_dict() for s in specs], indent=2) + "\n"
    width = max((len(s.name) for s in specs), default=10)
    lines = []
    for spec in specs:
        sources = "+".join("T" if s == "template" else "L" for s in spec.sources)
        lines.append(f"{spec.code}  {spec.name:<{width}}  {spec.severity:<6}  {sources:<3}  {spec.title}")
    return "\n".join(lines) + "\n"


def find(specs, wanted: str):
    wanted = wanted.strip()
    for spec in specs:
        if spec.code == wanted.upper() or spec.name == wanted.lower():
            return spec
    return None


def explain(specs, wanted: str):
    spec = find(specs, wanted)
    if spec is None:
        return None
    header = (f"severity: {spec.severity}    sources: {', '.join(spec.sources)}"
              + (f"    resources: {', '.join(spec.resource_types)}" if spec.resource_types else ""))
    body = spec.help_markdown
    first, _, rest = body.partition("\n")
    return f"{first}\n\n{header}\n{rest}"


def checks_table(specs) -> str:
    """The Markdown table of checks that README.md carries between its checks markers."""
    rows = ["| code | name | severity | sources | what it flags |", "|---|---|---|---|---|"]
    for spec in specs:
        sources = " ".join("T" if s == "template" else "L" for s in spec.sources)
        anchor = f"docs/checks.md#{spec.code.lower()}"
        rows.append(f"| [{spec.code}]({anchor}) | `{spec.name}` | {spec.severity} | {sources} | {spec.title} |")
    return "\n".join(rows)


README_START, README_END = "<!-- checks:start -->", "<!-- checks:end -->"


def with_checks_table(readme: str, specs) -> str:
    head, _, rest = readme.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{checks_table(specs)}\n{README_END}{tail}"


if __name__ == "__main__":  # python -m lakelint.explain README.md: refresh the README's checks table
    import sys
    from pathlib import Path

    from lakelint.registry import load_checks

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    target.write_text(with_checks_table(target.read_text(), load_checks(plugins=False)))

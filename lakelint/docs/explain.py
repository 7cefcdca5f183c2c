"""``--list-checks`` and ``--explain``: the checks' own metadata and docs, rendered for people.

Both show what the declaration says beyond the prose: preview status (``[preview]``) and the options a
check reads (the same "Options" part docs/checks.md carries, from docs/checks_md.py). Also the README's
generated blocks (the checks table, the live services table), which ``python -m lakelint.dev generate``
writes into README.md.
"""

from __future__ import annotations

import json


def list_checks(specs, fmt: str = "text") -> str:
    """Every check, one a line; preview checks are marked ``[preview]`` (JSON: ``"preview": true``)."""
    if fmt == "json":
        return json.dumps([s.to_dict() for s in specs], indent=2) + "\n"
    width = max((len(s.name) for s in specs), default=10)
    lines = []
    for spec in specs:
        sources = "+".join("T" if s == "template" else "L" for s in spec.sources)
        marker = "[preview] " if spec.preview else ""
        lines.append(f"{spec.code}  {spec.name:<{width}}  {spec.severity:<6}  {sources:<3}  {marker}{spec.title}")
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
    from lakelint.docs.checks_md import PREVIEW_NOTE, render_options

    header = (f"severity: {spec.severity}    sources: {', '.join(spec.sources)}"
              + (f"    resources: {', '.join(spec.resource_types)}" if spec.resource_types else ""))
    if spec.preview:
        header += f"\npreview: {PREVIEW_NOTE}"
    from lakelint.docs.checks_md import fix_safety

    body = spec.help_markdown
    body = body.replace("\n## References\n", f"\n## Fix safety\n\n{fix_safety(spec)}\n\n## References\n", 1)
    if spec.options:
        body = body.rstrip("\n") + "\n\n## Options\n\n" + "\n".join(render_options(spec)) + "\n"
    first, _, rest = body.partition("\n")
    return f"{first}\n\n{header}\n{rest}"


def checks_table(specs) -> str:
    """The Markdown table of checks that README.md carries between its checks markers."""
    from lakelint.docs.checks_md import name_cell

    rows = ["| code | name | severity | sources | what it flags |", "|---|---|---|---|---|"]
    for spec in specs:
        sources = " ".join("T" if s == "template" else "L" for s in spec.sources)
        anchor = f"docs/checks.md#{spec.code.lower()}"
        rows.append(f"| [{spec.code}]({anchor}) | {name_cell(spec)} | {spec.severity} | {sources} | {spec.title} |")
    return "\n".join(rows)


def live_services_table() -> str:
    """README.md's live-mode "what it reads" table: one row per live collector, generated from the
    collectors' declarations (lakelint/sources/live/docs.py), as the IAM policy is."""
    from lakelint.sources.live.docs import collectors_table

    return collectors_table()


def with_block(readme: str, name: str, content: str) -> str:
    """Replace what stands between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, _, rest = readme.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{content}\n{end}{tail}"


def with_checks_table(readme: str, specs) -> str:
    return with_block(readme, "checks", checks_table(specs))


def with_generated_blocks(readme: str, specs) -> str:
    """README.md with every generated block up to date: the checks, the checks with a fix and the live
    services."""
    from lakelint.docs.checks_md import fixes_table

    readme = with_block(with_checks_table(readme, specs), "fixes", fixes_table(specs))
    return with_block(readme, "live-services", live_services_table())


RETIRED = ("python -m lakelint.docs.explain is retired: run python -m lakelint.dev generate "
           "(or generate --check) to write or check README.md's tables and every other generated file")


if __name__ == "__main__":  # a script still calling the old command must not pass in silence
    import sys

    print(f"lakelint: error: {RETIRED}", file=sys.stderr)
    sys.exit(2)

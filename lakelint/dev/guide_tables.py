"""docs/guide.md's generated block: the checks whose findings ``lakelint --fix`` repairs ("Fixing
findings"), between ``<!-- fixes:start -->`` and ``<!-- fixes:end -->``, so the guide names exactly
the checks that have a fix and how safe each is. The rest of the guide is written by hand.
"""

from __future__ import annotations

from lakelint.dev.errors import GenerateError

NAME = "guide-tables"
PATH = "docs/guide.md"
BLOCK = "fixes"


def expected(root) -> dict:
    from lakelint.core.registry import load_checks
    from lakelint.dev.readme_tables import check_markers
    from lakelint.docs.checks_md import fixes_table
    from lakelint.docs.explain import with_block

    target = root / PATH
    if not target.is_file():
        raise GenerateError(f"{target}: no such file: its table of checks with a fix is generated")
    guide = target.read_text(encoding="utf-8")
    check_markers(guide, BLOCK, PATH)
    return {PATH: with_block(guide, BLOCK, fixes_table(load_checks(plugins=False), folder=""))}


def owned(root) -> set:
    return {PATH}

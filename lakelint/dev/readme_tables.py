"""README.md's generated blocks: the checks table, the table of checks with a fix and the live services table.

The README is written by hand except between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
markers, which ``lakelint.docs.explain`` fills from the checks and from the live collectors. A marker
that is missing, repeated or out of order is an error naming the file (and line): filling in a block
that is not there would append a table to the end of the README without a word.
"""

from __future__ import annotations

from lakelint.dev.errors import GenerateError

NAME = "readme-tables"
PATH = "README.md"
BLOCKS = ("checks", "fixes", "live-services")


def expected(root) -> dict:
    from lakelint.core.registry import load_checks
    from lakelint.docs.explain import with_generated_blocks

    target = root / PATH
    if not target.is_file():
        raise GenerateError(f"{target}: no such file: its checks and live services tables are generated")
    readme = target.read_text(encoding="utf-8")
    for block in BLOCKS:
        check_markers(readme, block)
    return {PATH: with_generated_blocks(readme, load_checks(plugins=False))}


def owned(root) -> set:
    return {PATH}


def check_markers(readme: str, block: str, path: str = PATH) -> None:
    """That ``readme`` (the text of ``path``) has the start and end markers of ``block``, once each, in order."""
    lines = readme.splitlines()
    found = {}
    for marker in (f"<!-- {block}:start -->", f"<!-- {block}:end -->"):
        found[marker] = [number for number, line in enumerate(lines, 1) if line.strip() == marker]
        if not found[marker]:
            raise GenerateError(f"{path}: no {marker} line: the generated {block} table has nowhere to go")
        if len(found[marker]) > 1:
            raise GenerateError(f"{path}:{found[marker][1]}: a second {marker} line (the first is line "
                                f"{found[marker][0]})")
    start, end = found.values()
    if end[0] < start[0]:
        raise GenerateError(f"{path}:{end[0]}: <!-- {block}:end --> comes before its start marker (line {start[0]})")

"""docs/checks.md: every built-in check's reference, rendered from its metadata and docstring.

The rendering lives in ``lakelint.docs.checks_md`` (the same docs ``--explain`` prints); this
module only says where the page goes. Plugins are left out: the page documents what ships.
"""

from __future__ import annotations

NAME = "checks-doc"
PATH = "docs/checks.md"


def expected(root) -> dict:
    from lakelint.core.registry import load_checks
    from lakelint.docs.checks_md import render

    return {PATH: render(load_checks(plugins=False))}


def owned(root) -> set:
    return {PATH}

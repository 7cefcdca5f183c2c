"""The README is part of the product: its Quick start, its test command in CI, and its links.

Its generated tables are kept current by ``python -m lakelint.dev generate`` (tests/test_generated_files.py).
"""

from __future__ import annotations

import re
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def quick_start_commands() -> list:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the Quick start has one ```sh block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    first, second = quick_start_commands()
    assert "examples/" in first and "lakelint" in first
    assert ".[test]" in second and "pytest" in second


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert quick_start_commands()[1] in ci.splitlines()


def test_readme_links_the_docs():
    for target in ("docs/checks.md", "docs/output-formats.md", "docs/performance.md", "docs/iam-policy.json",
                   "docs/contributing.md"):
        assert f"({target})" in README
        assert (ROOT / target).is_file(), target


def test_readme_names_the_regenerate_commands():
    assert "python -m lakelint.dev generate`" in README
    assert "python -m lakelint.dev generate --check`" in README
    assert "python -m lakelint.docs." not in README and "python3 -m lakelint.docs." not in README

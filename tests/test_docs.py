"""docs/checks.md is generated from the checks and must match them; every check must be documented.

When this fails after you changed a check, run ``python3 -m lakelint.docs.checks_md --write`` and commit
docs/checks.md with the check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.docs import checks_md as docsgen
from lakelint.core.check import DOC_SECTIONS
from lakelint.core.registry import load_checks

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)


def test_docs_checks_md_is_up_to_date():
    current = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert current == docsgen.render(SPECS), "docs/checks.md is out of date: run python3 -m lakelint.docs.checks_md --write"


def test_every_check_has_one_section_and_one_index_row():
    text = docsgen.render(SPECS)
    for spec in SPECS:
        assert text.count(f"\n## {spec.code} `{spec.name}`\n") == 1, spec.code
        assert f"| [{spec.code}](#{spec.code.lower()}) | `{spec.name}` | {spec.severity} |" in text, spec.code
    assert len(re.findall(r"^## LL\d+ ", text, flags=re.M)) == len(SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.code)
def test_check_documentation_sections(spec):
    missing = [s for s in DOC_SECTIONS if not (spec.docs.get(s) or "").strip()]
    assert not missing, f"{spec.code} ({spec.module}) lacks doc sections: {missing}"
    fix = spec.docs["Fix"]
    if "template" in spec.sources:  # a live-only setting (account-level, region-level) has no resource
        assert "```yaml" in fix, f"{spec.code}: the Fix section needs a ```yaml CloudFormation (or config) snippet"
    else:
        assert "CloudFormation" in fix, f"{spec.code}: say why the Fix has no CloudFormation snippet"
    assert "```sh" in fix, f"{spec.code}: the Fix section needs a ```sh command-line snippet"
    assert re.search(r"https?://", spec.docs["References"]) or spec.scope == "suppressions", \
        f"{spec.code}: References should link to documentation"


def test_section_renders_metadata_and_docs():
    spec = next(s for s in SPECS if s.code == "LL105")
    text = "\n".join(docsgen.render_check(spec))
    assert "## LL105 `s3-secure-transport`" in text
    assert "- Severity: high" in text and "- Resource types: `AWS::S3::Bucket`" in text
    for section in DOC_SECTIONS:
        assert f"### {section}" in text
    assert spec.summary in text


def test_check_mode_exits_1_when_stale_and_write_fixes_it(tmp_path):
    target = tmp_path / "checks.md"
    target.write_text("# stale\n")
    assert docsgen.main(["--check"], path=target, specs=SPECS) == 1
    assert docsgen.main(["--write"], path=target, specs=SPECS) == 0
    assert docsgen.main(["--check"], path=target, specs=SPECS) == 0
    assert target.read_text() == docsgen.render(SPECS)


def test_module_entry_point_checks_the_real_file():
    result = subprocess.run([sys.executable, "-m", "lakelint.docs.checks_md", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

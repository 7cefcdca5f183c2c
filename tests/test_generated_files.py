"""Every generated file is current, and ``python -m lakelint.dev generate`` keeps them so.

When test_generated_files_are_current fails, its message names each stale file and the command that
rewrites it; run it, review the diff, commit it with the change that caused it.
"""

from __future__ import annotations

import json
import shutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.dev import generate
from lakelint.dev.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


def test_generated_files_are_current(capsys):
    code = main(["generate", "--check"])
    assert code == 0, capsys.readouterr().err


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A small copy of the checkout: the README, docs/ (the guide), and a corpus of two real templates."""
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "guide.md", tmp_path / "docs" / "guide.md")
    corpus = tmp_path / "tests" / "corpus" / "real"
    corpus.mkdir(parents=True)
    for name in ("aws-cloudformation__aws-cloudformation-templates__S3__compliant-bucket.yaml",
                 "stelligent__cfn_nag__spec__test_templates__yaml__s3__bucket_with_no_policy.yml"):
        shutil.copy(ROOT / "tests" / "corpus" / "real" / name, corpus / name)
    return tmp_path


def test_check_names_each_stale_file_with_its_command_and_generate_fixes_them(checkout, capsys):
    snapshots = checkout / "tests" / "corpus" / "snapshots"
    snapshots.mkdir()
    (snapshots / "gone.yaml.json").write_text("{}\n")  # its template was removed from the corpus
    (checkout / "docs" / "checks.md").write_text("# stale\n")

    assert main(["generate", "--check"], root=checkout) == 1
    err = capsys.readouterr().err
    assert "checks-doc, fixed by: python -m lakelint.dev generate checks-doc\n    docs/checks.md (out of date)" in err
    assert "docs/iam-policy.json (missing)" in err
    assert "tests/corpus/snapshots/gone.yaml.json (no longer generated)" in err
    assert ("tests/corpus/snapshots/stelligent__cfn_nag__spec__test_templates__yaml__s3__bucket_with_no_policy"
            ".yml.json (missing)") in err
    assert "README.md" not in err  # the copy is current
    assert (checkout / "docs" / "checks.md").read_text() == "# stale\n", "--check must not write"

    assert main(["generate"], root=checkout) == 0
    assert "removed tests/corpus/snapshots/gone.yaml.json" in capsys.readouterr().out
    assert main(["generate", "--check"], root=checkout) == 0
    assert sorted(p.name for p in snapshots.iterdir()) == [
        "aws-cloudformation__aws-cloudformation-templates__S3__compliant-bucket.yaml.json",
        "stelligent__cfn_nag__spec__test_templates__yaml__s3__bucket_with_no_policy.yml.json"]
    policy = json.loads((checkout / "docs" / "iam-policy.json").read_text())
    assert policy["Statement"][0]["Action"] == sorted(policy["Statement"][0]["Action"])


def test_one_artifact_can_be_checked_alone(checkout, capsys):
    (checkout / "docs" / "checks.md").write_text("# stale\n")
    assert main(["generate", "--check", "iam-policy", "readme-tables"], root=checkout) == 1
    err = capsys.readouterr().err
    assert "docs/iam-policy.json" in err and "docs/checks.md" not in err


def test_generating_twice_writes_the_same_bytes(checkout):
    assert main(["generate"], root=checkout) == 0
    first = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    assert main(["generate"], root=checkout) == 0
    assert {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()} == first
    for path, data in first.items():
        assert str(checkout).encode() not in data, f"{path} holds an absolute path"


@pytest.mark.parametrize("readme, error", [
    ("# lakelint\n", "README.md: no <!-- checks:start --> line"),
    ("<!-- checks:start -->\n<!-- checks:end -->\n<!-- checks:start -->\n", "README.md:3: a second <!-- checks:start -->"),
    ("<!-- checks:end -->\n<!-- checks:start -->\n<!-- live-services:start -->\n<!-- live-services:end -->\n",
     "README.md:1: <!-- checks:end --> comes before its start marker (line 2)"),
])
def test_a_readme_without_its_markers_is_a_clear_error(checkout, capsys, readme, error):
    (checkout / "README.md").write_text(readme)
    assert main(["generate", "readme-tables"], root=checkout) == 2
    err = capsys.readouterr().err
    assert error in err and "Traceback" not in err
    assert (checkout / "README.md").read_text() == readme


def test_a_guide_without_its_fixes_markers_is_a_clear_error(checkout, capsys):
    guide = checkout / "docs" / "guide.md"
    text = guide.read_text().replace("<!-- fixes:end -->\n", "")
    guide.write_text(text)
    assert main(["generate", "guide-tables"], root=checkout) == 2
    err = capsys.readouterr().err
    assert "docs/guide.md: no <!-- fixes:end --> line" in err and "Traceback" not in err
    assert guide.read_text() == text


def test_the_fixes_tables_name_every_check_with_a_fix_and_no_other():
    from lakelint.core.registry import load_checks

    fixed = {s.code for s in load_checks(plugins=False) if s.fix}
    for path in ("README.md", "docs/guide.md"):
        block = (ROOT / path).read_text().split("<!-- fixes:start -->")[1].split("<!-- fixes:end -->")[0]
        assert set(re.findall(r"^\| \[(LL\d+)\]", block, re.M)) == fixed, path


def test_unknown_artifact_is_a_usage_error(capsys):
    assert main(["generate", "--check", "checks-docs"]) == 2
    assert "unknown artifact checks-docs (known: checks-doc, readme-tables, iam-policy, corpus-snapshots, " \
        "guide-tables, check-index)" in \
        capsys.readouterr().err


def test_a_folder_that_is_not_a_checkout_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "__file__", str(tmp_path / "lakelint" / "dev" / "generate.py"))
    with pytest.raises(generate.GenerateError, match="is not a lakelint source checkout"):
        generate.checkout_root()


def test_the_command_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "lakelint.dev", "generate", "--check", "iam-policy"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "generated files are current (iam-policy)" in result.stdout

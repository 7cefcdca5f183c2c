"""Check discovery and the rules every check must follow, built-in or plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lakelint.core.registry import RegistryError, builtin_checks_dir, load_checks

ROOT = Path(__file__).resolve().parent.parent

PLUGIN = '''"""Tables must say who owns them.

## What it does
Fails when a DynamoDB table has no `owner` tag.

## Why it matters
Unowned tables are never cleaned up.

## Example
```yaml
T:
  Type: AWS::DynamoDB::Table
```

## Fix
```yaml
Tags: [{Key: owner, Value: data-team}]
```
```sh
aws dynamodb tag-resource --resource-arn ARN --tags Key=owner,Value=data-team
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html
"""
from lakelint.core.check import check, fail


@check(code="{code}", name="{name}", severity="low", title="Table without an owner tag",
       resource_types=["AWS::DynamoDB::Table"], sources=["template"])
def run(table, ctx):
    for branch in table.branches("Tags"):
        tags = branch.value if isinstance(branch.value, list) else []
        if not any(isinstance(t, dict) and t.get("Key") == "owner" for t in tags):
            yield fail("the table has no owner tag", branch=branch)
'''


def write_plugin(directory: Path, module: str, code="XX901", name="table-owner-tag", docs=PLUGIN):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{module}.py").write_text(docs.replace("{code}", code).replace("{name}", name))
    return directory


def test_builtin_checks_load_and_each_has_a_module_of_its_own():
    specs = load_checks(plugins=False)
    assert len({s.module for s in specs}) == len(specs)
    assert builtin_checks_dir().is_dir()


def test_checks_dir_adds_a_working_check(tmp_path):
    from lakelint.core.config import Config
    from lakelint.runs.templates import lint_templates

    specs = load_checks(extra_dirs=[write_plugin(tmp_path / "mine", "owner_tag")], plugins=False)
    assert "XX901" in [s.code for s in specs]
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n")
    report = lint_templates([str(template)], Config(select=["XX901"]), specs)
    assert [(f.check, f.resource, f.line) for f in report.findings] == [("XX901", "T", 2)]


def test_duplicate_code_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="duplicate code"):
        load_checks(extra_dirs=[write_plugin(tmp_path / "dup", "dup_code", code="LL101")], plugins=False)


def test_duplicate_name_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="duplicate name"):
        load_checks(extra_dirs=[write_plugin(tmp_path / "dupn", "dup_name", name="s3-sse-kms")], plugins=False)


@pytest.mark.parametrize("section", ["Why it matters", "Fix", "References"])
def test_missing_doc_section_is_refused(tmp_path, section):
    docs = PLUGIN.replace(f"## {section}", "## Something else")
    with pytest.raises(RegistryError, match=section):
        load_checks(extra_dirs=[write_plugin(tmp_path / "nodoc", "no_docs", docs=docs)], plugins=False)


def test_broken_plugin_module_is_a_clear_error(tmp_path):
    directory = tmp_path / "broken"
    directory.mkdir()
    (directory / "broken.py").write_text("import does_not_exist\n")
    with pytest.raises(RegistryError, match="cannot load check module: ModuleNotFoundError"):
        load_checks(extra_dirs=[directory], plugins=False)


def test_entry_point_plugins_are_discovered(tmp_path):
    site = tmp_path / "site"
    write_plugin(site, "owner_pack")
    dist = site / "owner_pack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: owner-pack\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[lakelint.checks]\nowner = owner_pack\n")
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(site)!r})
        from lakelint.core.registry import load_checks
        spec = [s for s in load_checks() if s.code == "XX901"][0]
        print(spec.origin)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "plugin owner"


def test_cli_reports_a_bad_checks_dir_with_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lakelint", "--checks-dir", str(tmp_path / "nope"), str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "not a directory of checks" in result.stderr and "Traceback" not in result.stderr

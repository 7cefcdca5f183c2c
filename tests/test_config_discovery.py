"""Configuration found as ruff finds it (issue 10.3, DESIGN section 11): the nearest ``.lakelint.yaml``,
``.lakelint.yml`` or ``pyproject.toml`` with a ``[tool.lakelint]`` table, from the working folder up to
the filesystem root, else from the folder of the paths the run names; patterns relative to the folder
of the file that declares them; ``--config`` wins, its folder the base. Every test runs the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# LL102 (AES256) and LL103 (no lifecycle rule) on one bucket
BUCKET = """\
Resources:
  Raw:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
"""

PLUGIN = '''"""Buckets the plugin flags.

## What it does
Flags every bucket.

## Why it matters
It proves the plugin folder was found.

## Example
```yaml
B: {Type: AWS::S3::Bucket}
```

## Fix
Nothing to fix.

## References
- https://example.com/plugin
"""
from lakelint.core.check import check, fail


@check(code="XX901", name="plugin-found", severity="low", title="The plugin ran",
       resource_types=["AWS::S3::Bucket"], sources=["template"])
def run(bucket, ctx):
    yield fail("the plugin from checks-dir ran")
'''

CONFIG = """\
select: [LL102, LL103, XX901]
exclude: ["legacy/**"]
per-file-ignores:
  "templates/old/**": [LL103]
checks-dir: [plugins]
"""


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository: config at its root, templates in folders, a legacy folder to exclude, a plugin."""
    root = tmp_path / "repo"
    for name in ("templates/lake.yaml", "templates/old/lake.yaml", "legacy/lake.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(BUCKET)
    (root / "plugins").mkdir()
    (root / "plugins" / "plugin_found.py").write_text(PLUGIN)
    (root / ".lakelint.yaml").write_text(CONFIG)
    return root


def lakelint(cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lakelint", *args, "-f", "json"], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def findings(done) -> list:
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == []
    return sorted((f["check"], f["file"]) for f in report["findings"])


def expected(prefix: str) -> list:
    """What the configuration makes of the repository, with files shown under ``prefix``."""
    return sorted([("LL102", f"{prefix}templates/lake.yaml"), ("LL103", f"{prefix}templates/lake.yaml"),
                   ("XX901", f"{prefix}templates/lake.yaml"),
                   ("LL102", f"{prefix}templates/old/lake.yaml"), ("XX901", f"{prefix}templates/old/lake.yaml")])


def test_from_the_repository_root(repo):
    assert findings(lakelint(repo, ".")) == expected("")


def test_from_a_subfolder_the_config_above_is_used_with_its_own_base(repo):
    """Run from templates/: the config one folder up is found, and its patterns still mean
    repo/legacy/** and repo/templates/old/**, and its checks-dir repo/plugins."""
    assert findings(lakelint(repo / "templates", ".")) == sorted([
        ("LL102", "lake.yaml"), ("LL103", "lake.yaml"), ("XX901", "lake.yaml"),
        ("LL102", "old/lake.yaml"), ("XX901", "old/lake.yaml")])
    assert findings(lakelint(repo / "templates", "..")) == expected("../")


def test_from_outside_the_repository(repo, tmp_path):
    """Run from the folder holding the repository, and from an unrelated folder with an absolute path:
    neither has a config of its own, so the one above the named paths is used."""
    assert findings(lakelint(tmp_path, "repo")) == expected("repo/")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = lakelint(elsewhere, str(repo / "templates"), str(repo / "legacy"))
    assert findings(done) == expected(f"{repo}/")


def test_a_config_in_the_working_folder_comes_first(repo, tmp_path):
    (tmp_path / ".lakelint.yaml").write_text("select: [LL103]\n")
    assert findings(lakelint(tmp_path, "repo")) == sorted(
        ("LL103", f"repo/{name}") for name in ("legacy/lake.yaml", "templates/lake.yaml", "templates/old/lake.yaml"))


def test_the_nearest_config_wins(repo):
    (repo / "templates" / ".lakelint.yml").write_text("select: [LL103]\n")
    assert findings(lakelint(repo / "templates", ".")) == [("LL103", "lake.yaml"), ("LL103", "old/lake.yaml")]


def test_patterns_do_not_match_files_outside_the_configs_folder(repo, tmp_path):
    """``--config`` wins, and its folder is the base: ci/'s patterns cannot reach repo/templates."""
    (repo / "ci").mkdir()
    (repo / "ci" / "strict.yaml").write_text('select: [LL103]\nexclude: ["*"]\nper-file-ignores: {"*": [LL103]}\n')
    done = lakelint(repo, "templates", "--config", "ci/strict.yaml")
    assert findings(done) == [("LL103", "templates/lake.yaml"), ("LL103", "templates/old/lake.yaml")]
    (repo / "ci" / "t.yaml").write_text(BUCKET)  # inside ci/, the same patterns apply
    done = lakelint(repo, "ci/t.yaml", "--config", "ci/strict.yaml")
    assert done.returncode == 0 and json.loads(done.stdout)["summary"]["files"] == 0


def test_a_pyproject_table_however_quoted(repo, tmp_path):
    """Issue 11.5: ``[tool."lakelint"]`` is the same table as ``[tool.lakelint]``."""
    (repo / ".lakelint.yaml").unlink()
    (repo / "pyproject.toml").write_text('[project]\nname = "lake"\n\n[tool."lakelint"]\n' + "\n".join([
        'select = ["LL102", "LL103", "XX901"]', 'exclude = ["legacy/**"]', 'checks-dir = ["plugins"]',
        '[tool."lakelint".per-file-ignores]', '"templates/old/**" = ["LL103"]']) + "\n")
    assert findings(lakelint(repo / "templates" / "old", "..")) == [
        ("LL102", "../lake.yaml"), ("LL102", "../old/lake.yaml"), ("LL103", "../lake.yaml"),
        ("XX901", "../lake.yaml"), ("XX901", "../old/lake.yaml")]


def test_a_pyproject_without_our_table_does_not_stop_the_search(repo):
    (repo / "templates" / "pyproject.toml").write_text('[project]\nname = "templates"\n')
    assert findings(lakelint(repo / "templates", "..")) == expected("../")


def test_yaml_comes_before_pyproject_in_one_folder(repo):
    (repo / "pyproject.toml").write_text('[tool.lakelint]\nselect = ["LL101"]\n')
    assert findings(lakelint(repo, ".")) == expected("")


def test_no_config_anywhere_means_defaults(tmp_path):
    (tmp_path / "t.yaml").write_text(BUCKET)
    done = lakelint(tmp_path, "t.yaml", "--select", "LL102")
    assert findings(done) == [("LL102", "t.yaml")]


def test_errors_name_the_config_that_was_found(repo):
    (repo / ".lakelint.yaml").write_text("select: [LL102]\nrequired-tags: 5\n")
    done = lakelint(repo / "templates" / "old", ".")
    assert done.returncode == 2
    assert f"{repo / '.lakelint.yaml'}:2: 'required-tags' must be a list of strings" in done.stderr


def test_stdin_does_not_count_as_a_path(tmp_path):
    from lakelint.core.config_files import _named_folders

    assert _named_folders(["-"], tmp_path) == []


OURS = [  # every way a pyproject.toml can declare tool.lakelint
    '[tool.lakelint]\nselect = ["LL101"]\n', '[ tool . lakelint ]\n', '[tool."lakelint"]\n', "['tool'.'lakelint']\n",
    '["tool" . lakelint.per-file-ignores]\n"a" = ["LL101"]\n', "[[tool.lakelint]]\nx = 1\n",
    'tool.lakelint.select = ["LL101"]\n', '[tool]\nlakelint = {select = ["LL101"]}\n',
    '[tool]\n"lakelint".select = ["LL101"]\n', "[ 'tool' ]\n'lakelint' = {}\n", 'tool = { lakelint = {} }\n',
    '[project]\nname = "lakelint"\n[tool]\n"lake\\u006cint" = {}\n', '[project]\nname = "x"\n\n[tool.lakelint]\n',
]
NOT_OURS = [  # lakelint named only as a value: no tomllib import, no parse
    '[project]\nname = "lakelint"\n[project.scripts]\nlakelint = "lakelint.cli:main"\n[tool.setuptools]\n'
    'package-dir = { "lakelint" = "lakelint", "lakelint.checks" = "checks" }\n',
    '[project.optional-dependencies]\ndev = ["lakelint>=0.1", "pytest"]\n[tool.ruff]\nline-length = 120\n',
]


@pytest.mark.parametrize("text", OURS + NOT_OURS)
def test_the_quick_look_at_a_pyproject_never_passes_over_our_table(text):
    """``_may_hold_table`` (read without tomllib) says yes to every file whose parsed TOML has the table,
    and no to the files that only name lakelint as a value."""
    import tomllib

    from lakelint.core.config_files import _may_hold_table

    declared = "lakelint" in tomllib.loads(text).get("tool", {})
    assert declared == (text in OURS)
    assert _may_hold_table(text.encode()) is declared


def test_a_pyproject_naming_lakelint_as_a_dependency_is_not_parsed(tmp_path):
    (tmp_path / "pyproject.toml").write_text(NOT_OURS[1])
    (tmp_path / "t.yaml").write_text(BUCKET)
    probe = ("import sys\nfrom lakelint.cli import main\nmain(['t.yaml', '-o', 'out.txt'])\n"
             "print('tomllib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "False"

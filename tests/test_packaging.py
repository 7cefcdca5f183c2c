"""The product as users install it: a wheel that carries the checks, and a lean template-mode start.

The wheel test builds the wheel from this tree, installs it into a fresh virtualenv and asks the
installed console script for its checks: they must be exactly the ones in checks/. The import test
runs the CLI on a template and asserts that neither boto3 nor cfn-lint was imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from environments import build_wheel, pinned, project_copy

from lakelint.core.registry import load_checks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the project's wheel installed (dependencies from the package index)."""
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                   check=True, cwd=work, env=pinned())
    return env_dir, wheel


def test_wheel_ships_every_check(installed):
    env_dir, wheel = installed
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for module in (ROOT / "checks").rglob("*.py"):
        assert f"lakelint/checks/{module.relative_to(ROOT / 'checks').as_posix()}" in names
    out = subprocess.run([str(env_dir / "bin" / "lakelint"), "--list-checks", "--format", "json"],
                         capture_output=True, text=True, cwd=env_dir, check=True).stdout
    listed = json.loads(out)
    assert [c["code"] for c in listed] == [s.code for s in load_checks(plugins=False)]
    for entry in listed:
        assert {"code", "name", "severity", "sources", "title"} <= set(entry)


def test_wheel_ships_every_engine_module(installed):
    """The package list in pyproject.toml is written by hand: a new engine package missing from it
    installs a lakelint that fails with ModuleNotFoundError on the first run that needs it (--fix did)."""
    import zipfile

    names = set(zipfile.ZipFile(installed[1]).namelist())
    missing = [module.relative_to(ROOT).as_posix() for module in (ROOT / "lakelint").rglob("*.py")
               if module.relative_to(ROOT).as_posix() not in names]
    assert missing == []


def test_installed_cli_lints_a_template(installed, tmp_path):
    env_dir, _ = installed
    template = tmp_path / "stack.yaml"
    template.write_text("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n")
    result = subprocess.run([str(env_dir / "bin" / "lakelint"), "--format", "json", str(template)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    codes = sorted(f["check"] for f in json.loads(result.stdout)["findings"])
    assert codes[:3] == ["LL101", "LL102", "LL103"]


def test_template_mode_does_not_import_boto3_or_cfn_lint(tmp_path):
    template = tmp_path / "stack.yaml"
    template.write_text("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n")
    code = (
        "import sys\n"
        "from lakelint.cli import main\n"
        f"rc = main([{str(template)!r}, '--format', 'json', '-o', {str(tmp_path / 'out.json')!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'cfnlint', 'moto'))\n"
        "print(rc, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout
    assert out.strip() == "1 []"


def test_live_mode_without_boto3_is_a_clear_error(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['boto3'] = None  # as if boto3 were not installed\n"
        "from lakelint.cli import main\n"
        "raise SystemExit(main(['--live', '--region', 'us-east-1']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "live mode needs boto3" in result.stderr and "Traceback" not in result.stderr


def test_boto3_is_a_dependency_so_live_mode_works_after_a_plain_install():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("boto3") for d in dependencies)


def test_the_build_uses_nothing_deprecated(tmp_path):
    """Today's deprecation warning is next year's failed install (setuptools announced that the old
    ``license`` table stops building in 2027): the build of this tree must print none, at the newest
    setuptools pyproject.toml admits."""
    source = project_copy(tmp_path / "source")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(source)],
                           capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PIP_CONSTRAINT": ""})
    assert build.returncode == 0, build.stderr[-2000:]
    warnings = [line.strip() for line in (build.stdout + build.stderr).splitlines() if "Deprecat" in line]
    assert warnings == []

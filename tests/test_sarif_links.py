"""SARIF's links to the documentation come from one place: ``[project.urls] Documentation`` in
pyproject.toml, read from the installed package's metadata.

Two wheels are built from copies of this tree: one as it is (no URL: SARIF leaves ``informationUri``
and ``helpUri`` out rather than invent one) and one whose pyproject sets a Documentation URL (SARIF
points there). Each is installed into its own virtualenv and its console script writes the SARIF, so
the test covers the whole path: pyproject -> wheel metadata -> installed package -> report. Slow.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from environments import pinned, project_copy

DOCS = "https://docs.example.test/lakelint/docs/"
TEMPLATE = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n"


def _installed(work: Path, documentation: str | None) -> Path:
    source = project_copy(work / "source")
    pyproject = source / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert re.search(r"^\[project\.urls\]\n\n", text, re.M), "pyproject.toml's [project.urls] table moved"
    if documentation:
        text = text.replace("[project.urls]\n", f'[project.urls]\nDocumentation = "{documentation}"\n', 1)
        pyproject.write_text(text, encoding="utf-8")
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
                   check=True, env=pinned(), timeout=300)
    (wheel,) = dist.glob("lakelint-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False, system_site_packages=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install", "-q",
                    "--no-deps", "--force-reinstall", "--disable-pip-version-check", str(wheel)],
                   check=True, env=pinned(), timeout=300)
    return env_dir


def _driver(env_dir: Path, tmp_path: Path) -> dict:
    (tmp_path / "t.yaml").write_text(TEMPLATE, encoding="utf-8")
    done = subprocess.run([str(env_dir / "bin" / "lakelint"), "-f", "sarif", "--select", "LL101", "t.yaml"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)["runs"][0]["tool"]["driver"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="venv layout")
def test_sarif_links_follow_the_installed_documentation_url(tmp_path_factory):
    plain = _driver(_installed(tmp_path_factory.mktemp("plain"), None), tmp_path_factory.mktemp("run1"))
    assert "informationUri" not in plain
    assert all("helpUri" not in rule for rule in plain["rules"])

    linked = _driver(_installed(tmp_path_factory.mktemp("linked"), DOCS), tmp_path_factory.mktemp("run2"))
    assert linked["informationUri"] == DOCS
    assert [rule["helpUri"] for rule in linked["rules"]] == [DOCS + "checks.md#ll101"]

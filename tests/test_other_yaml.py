"""Other YAML never blocks the gate (issue 10.2): whether a file is CloudFormation is decided from its
text before its syntax is judged (lakelint/sources/cloudformation/detect.py).

tests/data/other-yaml/ holds one realistic file of each kind a data-lake repository carries beside its
templates: GitLab CI with ``!reference``, a Helm chart (``{{ }}`` templates), Kustomize, multi-document
Kubernetes manifests, Ansible with ``!vault``, mkdocs with ``!!python/name:``, OpenAPI, docker-compose
with a merge key, a GitHub workflow and a Serverless Framework ``serverless.yml``. Five of them are not
even YAML that PyYAML can read (``test_the_hostile_ones_really_are_unparseable`` proves it, so the
fixtures cannot quietly become easy); every one of them is skipped without a word.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from lakelint.sources.cloudformation.detect import looks_like_cloudformation
from lakelint.sources.cloudformation.loader import TemplateError, parse
from lakelint.sources.cloudformation.source import load_text

ROOT = Path(__file__).resolve().parent.parent
OTHER = Path(__file__).parent / "data" / "other-yaml"
OTHER_FILES = sorted(p.relative_to(OTHER).as_posix() for p in OTHER.rglob("*") if p.is_file())
UNPARSEABLE = [".gitlab-ci.yml", "ansible/site.yml", "chart/templates/deployment.yaml", "docs/mkdocs.yml",
               "k8s/manifests.yaml"]

# One template with findings: LL102 (AES256) at 7:29 and LL103 (no lifecycle rule) at 3:3.
BAD_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RawBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
"""
EXPECTED = [("LL102", "templates/lake.yaml", 9, 29), ("LL103", "templates/lake.yaml", 3, 3)]


def test_every_kind_is_there():
    assert OTHER_FILES == [
        ".gitlab-ci.yml", "ansible/site.yml", "api/openapi.yaml", "chart/Chart.yaml",
        "chart/templates/deployment.yaml", "chart/values.yaml", "docker-compose.yml", "docs/mkdocs.yml",
        "k8s/manifests.yaml", "kustomize/kustomization.yaml", "serverless/serverless.yml", "workflows/ci.yml"]


@pytest.mark.parametrize("name", UNPARSEABLE)
def test_the_hostile_ones_really_are_unparseable(name):
    with pytest.raises(TemplateError):
        parse((OTHER / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", OTHER_FILES)
def test_other_yaml_is_skipped_silently(name):
    raw = (OTHER / name).read_bytes()
    assert not looks_like_cloudformation(raw.decode("utf-8"))
    assert load_text(name, raw) == (None, [])


def test_a_serverless_resources_block_is_not_a_template_on_its_own():
    """Its ``resources: Resources:`` block holds typed AWS resources, but nested under the framework's
    own key: it is a fragment the framework merges into the template it generates (after resolving
    ``${self:...}`` variables), so the generated template is what lakelint reads, not this file."""
    text = (OTHER / "serverless" / "serverless.yml").read_text(encoding="utf-8")
    assert "  Resources:\n    ArchiveBucket:\n      Type: AWS::S3::Bucket" in text
    assert load_text("serverless.yml", text.encode()) == (None, [])


@pytest.mark.parametrize("text, where", [
    # a Helm- or Jinja-templated CloudFormation template: it is CloudFormation, so its syntax counts
    ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  {{ .Values.name }}:\n    Type: AWS::S3::Bucket\n', (3, 4)),
    ("Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties: !Reference [a]\n", (4, 17)),
    ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
     "---\nResources: {}\n", (5, 1)),
    ('{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {"B": {"Type": "AWS::S3::Bucket"}\n', (2, 48)),
], ids=["templated", "unknown-tag", "two-documents", "json"])
def test_a_template_that_cannot_be_parsed_is_still_an_error_with_its_position(text, where):
    stack, errors = load_text("t.json" if text.startswith("{") else "t.yaml", text.encode())
    assert stack is None and len(errors) == 1
    assert (errors[0].line, errors[0].column) == where


@pytest.mark.parametrize("text, expected", [
    ("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", True),
    ("# a template\n---\nAWSTemplateFormatVersion: '2010-09-09'\n", True),
    ("Transform: AWS::Serverless-2016-10-31\n", True),
    ("Transform:\n  # SAM, then the language extensions\n  - AWS::Serverless-2016-10-31\n", True),
    ("Transform: [AWS::LanguageExtensions]\n", True),
    ('{\n  "Resources": {\n    "B": {"Type": "AWS::S3::Bucket"}\n  }\n}\n', True),
    ("{Resources: {B: {Type: 'Custom::Thing'}}}\n", True),
    ("Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n", True),
    ("  Resources:\n    B:\n      Type: AWS::S3::Bucket\n", True),  # a uniformly indented document
    ("resources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n", False),
    ('{"resources": {"Resources": {}}}', False),
    ('[{"Type": "AWS::S3::Bucket"}]', False),
    ("transform: AWS::Serverless-2016-10-31\n", False),
    ("steps:\n  - Resources: x\n", False),
    ("", False),
    ("# only a comment\n", False),
], ids=lambda value: repr(value)[:40] if isinstance(value, str) else None)
def test_the_signs_of_cloudformation(text, expected):
    assert looks_like_cloudformation(text) is expected


def test_binary_and_badly_encoded_files_without_a_sign_are_skipped():
    assert load_text("logo.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == (None, [])
    assert load_text("vars.yml", "greeting: caf\xe9\n".encode("latin-1")) == (None, [])
    line = "    Type: AWS::S3::Bucket # caf\xe9"
    stack, errors = load_text("t.yaml", f"Resources:\n  B:\n{line}\n".encode("latin-1"))
    assert stack is None and (errors[0].line, errors[0].column) == (3, len(line))


# -- the done criterion: a mixed repository through the CLI ---------------------------------------------


def mixed_repository(folder: Path) -> Path:
    shutil.copytree(OTHER, folder)
    (folder / "templates").mkdir()
    (folder / "templates" / "lake.yaml").write_text(BAD_TEMPLATE, encoding="utf-8")
    return folder


def findings(stdout: str) -> list:
    report = json.loads(stdout)
    assert report["errors"] == []
    return sorted((f["check"], f["file"], f["line"], f["column"]) for f in report["findings"])


def test_a_mixed_repository_gives_only_the_templates_findings(tmp_path):
    repo = mixed_repository(tmp_path / "repo")
    done = subprocess.run([sys.executable, "-m", "lakelint", ".", "-f", "json", "--select", "LL102,LL103"],
                          cwd=repo, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stderr
    assert findings(done.stdout) == EXPECTED
    assert json.loads(done.stdout)["summary"]["files"] == 1


@pytest.fixture(scope="module")
def installed_lakelint(tmp_path_factory) -> Path:
    """The console script of a wheel built from this tree, installed (without dependencies) into a fresh
    virtualenv that sees the test environment's packages."""
    from environments import build_wheel

    work = tmp_path_factory.mktemp("installed")
    wheel = build_wheel(work)
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test_environment.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", "--disable-pip-version-check", str(wheel)],
                   check=True, cwd=work)
    return env_dir / "bin" / "lakelint"


@pytest.mark.slow
def test_a_mixed_repository_through_the_installed_cli(installed_lakelint, tmp_path):
    repo = mixed_repository(tmp_path / "repo")
    done = subprocess.run([str(installed_lakelint), "-f", "json", "--select", "LL102,LL103"], cwd=repo,
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 1, done.stderr
    assert findings(done.stdout) == EXPECTED
    text = subprocess.run([str(installed_lakelint), "."], cwd=repo, capture_output=True, text=True)
    assert text.returncode == 1 and text.stderr == ""
    assert {line.split(":")[0] for line in text.stdout.splitlines() if line.startswith("templates/")} == {"templates/lake.yaml"}

"""The pre-commit hook, end to end, with the real pre-commit client.

The project's working tree as it is on disk (tracked files plus untracked, non-ignored ones) is
copied into a throw-away git repository and committed, so the hook that is tested is the code being
worked on, not the last commit. A second repository uses it from its ``.pre-commit-config.yaml``;
committing a template that breaks a check must be refused with the finding in the output, and a
clean template must go through.

pre-commit builds a virtualenv and pip-installs the hook from the first repository (PyPI must be
reachable for the build requirements). ``PRE_COMMIT_HOME`` is shared by the module so that happens
once. Slow: deselect with ``-m "not slow"``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from environments import pinned

PROJECT = Path(__file__).resolve().parent.parent

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
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            ExpirationInDays: 365
"""

GOOD_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  CuratedBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            ExpirationInDays: 365
"""


def _git(cwd: Path, *args, env) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _working_tree_files() -> list:
    """Tracked and untracked-but-not-ignored files of the project, as they are on disk."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=PROJECT, capture_output=True, text=True, check=True).stdout
    return sorted({name for name in listed.split("\0") if name and (PROJECT / name).is_file()})


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.fail("pre-commit is not installed: pip install -e '.[test]' (it is in the test extra)")
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text("[user]\n\tname = lakelint tests\n\temail = tests@lakelint.invalid\n"
                         "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n", encoding="utf-8")
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_COLOR="never",
        PYTHONDONTWRITEBYTECODE="1",
    )
    environment.pop("PYTHONPATH", None)  # the hook must run from its own virtualenv, not this tree
    return pinned(environment)  # the hook's virtualenv gets the pinned versions too


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, env) -> tuple[Path, str]:
    """A git repository holding a snapshot of the project's working tree; returns it and its HEAD."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in _working_tree_files():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, target)
    assert (repo / ".pre-commit-hooks.yaml").is_file()
    _git(repo, "init", "-q", env=env)
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", "snapshot of the lakelint working tree", env=env)
    return repo, _git(repo, "rev-parse", "HEAD", env=env).strip()


@pytest.fixture(scope="module")
def consumer(tmp_path_factory, env, hook_repo) -> Path:
    """A project that uses the hook, with pre-commit installed as its git hook and the hook's
    environment built once (timed, so the cost shows in the test report)."""
    repo_path, rev = hook_repo
    repo = tmp_path_factory.mktemp("consumer")
    _git(repo, "init", "-q", env=env)
    config = {"repos": [{"repo": str(repo_path), "rev": rev, "hooks": [{"id": "lakelint"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (repo / "README.md").write_text("a data lake\n", encoding="utf-8")
    # The headline S3 checks only, so checks added later do not change what these tests expect;
    # this also shows the hook reading the project's configuration.
    (repo / ".lakelint.yaml").write_text("select: [LL101, LL102, LL103]\n", encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", "initial", env=env)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
                               cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


def _commit(repo: Path, env, name: str, text: str) -> subprocess.CompletedProcess:
    """Add and commit one file; when the commit is refused, take the file back out of the index and
    the tree, so the next test starts from a clean repository."""
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "add", name, env=env)
    done = None
    try:
        done = subprocess.run(["git", "commit", "-m", f"add {name}"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)
    finally:
        if done is None or done.returncode != 0:
            _git(repo, "reset", "-q", "HEAD", "--", name, env=env)
            (repo / name).unlink()
    return done


def _head_files(repo: Path, env) -> set:
    return set(_git(repo, "ls-tree", "-r", "--name-only", "HEAD", env=env).split())


def test_hook_definition_matches_the_contract():
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "lakelint"]
    assert hook["entry"] == "lakelint"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    pattern = re.compile(hook["files"])
    for name in ("a.yaml", "b/c.yml", "cdk.out/Stack.template.json", "x.template"):
        assert pattern.search(name), name
    for name in ("a.py", "README.md", "yaml.txt"):
        assert not pattern.search(name), name


@pytest.mark.slow
def test_commit_of_a_bad_template_is_blocked(consumer, env):
    done = _commit(consumer, env, "templates/lake.yaml", BAD_TEMPLATE)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "lakelint" in output and "Failed" in output, output
    assert "templates/lake.yaml:12:" in output, output
    assert "LL101" in output and "BlockPublicPolicy is false" in output, output
    assert "LL102" in output, output
    assert "templates/lake.yaml" not in _head_files(consumer, env)


@pytest.mark.slow
def test_commit_of_a_good_template_passes(consumer, env):
    started = time.perf_counter()
    done = _commit(consumer, env, "templates/curated.yaml", GOOD_TEMPLATE)
    elapsed = time.perf_counter() - started
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "lakelint" in output and "Passed" in output, output
    assert "templates/curated.yaml" in _head_files(consumer, env)
    print(f"commit through the lakelint hook took {elapsed:.2f}s")


@pytest.mark.slow
def test_files_that_are_not_templates_do_not_trouble_the_hook(consumer, env):
    done = _commit(consumer, env, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert ".github/workflows/ci.yml" in _head_files(consumer, env)


@pytest.mark.slow
def test_hook_on_a_terminal_uses_colour_without_extra_dependencies(consumer, env):
    """With colour on, pre-commit runs the hook on a pseudo-terminal, so lakelint colours its output
    inside pre-commit's clean virtualenv: that must work with the declared dependencies alone."""
    coloured = dict(env, PRE_COMMIT_COLOR="always")
    done = _commit(consumer, coloured, "templates/raw.yaml", BAD_TEMPLATE)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output, output
    assert "\x1b[" in output and "LL101" in output and "BlockPublicPolicy is false" in output, output
    done = _commit(consumer, coloured, "templates/curated-2.yaml", GOOD_TEMPLATE)
    assert done.returncode == 0, done.stdout + done.stderr


UNVERSIONED_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RawBucket:   # landing zone
    Type: AWS::S3::Bucket
    Properties:
      BucketName: lake-raw
"""


@pytest.fixture(scope="module")
def fixing_consumer(tmp_path_factory, env, hook_repo) -> Path:
    """A project whose hook entry has ``args: [--fix]``, the documented variant that fixes the staged
    templates (the same hook repository and revision: pre-commit reuses the environment it built)."""
    repo_path, rev = hook_repo
    repo = tmp_path_factory.mktemp("fixing-consumer")
    _git(repo, "init", "-q", env=env)
    config = {"repos": [{"repo": str(repo_path), "rev": rev, "hooks": [{"id": "lakelint", "args": ["--fix"]}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    # two checks with safe fixes, so checks and fixes added later do not change what this test expects
    (repo / ".lakelint.yaml").write_text("select: [LL112, LL117]\n", encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", "initial", env=env)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
                               cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


@pytest.mark.slow
def test_the_fix_variant_fixes_the_staged_template_and_the_fixed_one_commits(fixing_consumer, env):
    repo, name = fixing_consumer, "templates/raw.yaml"
    (repo / "templates").mkdir(exist_ok=True)
    (repo / name).write_text(UNVERSIONED_TEMPLATE, encoding="utf-8")
    _git(repo, "add", name, env=env)
    done = subprocess.run(["git", "commit", "-m", "add the raw bucket"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output  # pre-commit stops a commit whose files a hook changed
    assert "files were modified by this hook" in output and "Traceback" not in output, output
    assert name not in _head_files(repo, env)
    assert (repo / name).read_text(encoding="utf-8") == UNVERSIONED_TEMPLATE.replace(
        "      BucketName: lake-raw\n",
        "      BucketName: lake-raw\n      VersioningConfiguration:\n        Status: Enabled\n"
        "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n")

    _git(repo, "add", name, env=env)  # the fix, reviewed and staged like any edit
    done = subprocess.run(["git", "commit", "-m", "add the raw bucket"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Passed" in done.stdout + done.stderr, done.stdout + done.stderr
    assert name in _head_files(repo, env)


@pytest.mark.slow
def test_the_fix_variant_fixes_only_what_is_staged(fixing_consumer, env):
    """pre-commit sets aside what is not staged before the hook runs: the fix is made on the staged
    version, nothing is staged by the hook, and the author's unstaged edit comes back on top."""
    repo, name = fixing_consumer, "templates/curated.yaml"
    staged = UNVERSIONED_TEMPLATE.replace("RawBucket", "CuratedBucket")
    edited = staged.replace('"2010-09-09"\n', '"2010-09-09"\nDescription: curated zone\n')
    (repo / "templates").mkdir(exist_ok=True)
    (repo / name).write_text(staged, encoding="utf-8")
    _git(repo, "add", name, env=env)
    (repo / name).write_text(edited, encoding="utf-8")
    try:
        done = subprocess.run(["git", "commit", "-m", "add the curated bucket"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)
        output = done.stdout + done.stderr
        assert done.returncode != 0 and "files were modified by this hook" in output, output
        assert _git(repo, "show", f":{name}", env=env) == staged, "the hook must not stage anything itself"
        assert (repo / name).read_text(encoding="utf-8") == edited.replace(
            "      BucketName: lake-raw\n",
            "      BucketName: lake-raw\n      VersioningConfiguration:\n        Status: Enabled\n"
            "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n"), output
    finally:
        _git(repo, "reset", "-q", "HEAD", "--", name, env=env)
        (repo / name).unlink()

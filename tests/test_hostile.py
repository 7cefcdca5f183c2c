"""Hostile inputs: no input makes lakelint crash, hang or lose another file's findings.

Every case lints a directory holding one good template (whose findings are known exactly) beside one
hostile file, through the command line. What must hold each time: no traceback, a clear error entry
naming the hostile file and where the problem is, exit code 2 (the run is incomplete), and the good
file's findings exactly as when it is linted alone.

Inputs that are unusual but valid (a byte-order mark, CRLF line ends, UTF-16 with a BOM) must lint
exactly like their plain UTF-8/LF twin. Empty files are not CloudFormation (no ``Resources``) and are
skipped without an error, like any other YAML file that is not a template (see
lakelint/sources/cloudformation/source.py for why).

Inputs that could crash the interpreter (deep nesting overflows libyaml's recursive C composer) or
take unbounded time and memory (alias bombs) run in a subprocess with a timeout, so a regression
fails this test instead of killing the test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.cli import main
from lakelint.sources.cloudformation import source as cfn_source

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  GoodBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false  # lakelint: ignore[LL101]: public dataset, reviewed by security
        IgnorePublicAcls: true
        RestrictPublicBuckets: false
"""
# (check, resource, line, column, suppressed) of GOOD with --select LL101,LL102
GOOD_FINDINGS = [
    ("LL102", "GoodBucket", 9, 29, False),
    ("LL101", "GoodBucket", 12, 28, True),
    ("LL101", "GoodBucket", 14, 32, False),
]
SELECT = ["--select", "LL101,LL102"]


def _findings(report: dict, file: str) -> list:
    return [(f["check"], f["resource"], f["line"], f["column"], f["suppressed"])
            for f in report["findings"] if f["file"] == file]


def lint_dir(tmp_path: Path, files: dict, capsys, *extra, paths=("repo",)) -> tuple[int, dict]:
    """Write ``files`` (name -> text or bytes) beside good.yaml and lint ``paths`` in-process."""
    folder = tmp_path / "repo"
    folder.mkdir(exist_ok=True)
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    out = tmp_path / "report.json"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = main([*paths, "-f", "json", "-o", str(out), *SELECT, *extra])
    finally:
        os.chdir(cwd)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    report = json.loads(out.read_text(encoding="utf-8"))
    assert _findings(report, "repo/good.yaml") == GOOD_FINDINGS
    return code, report


def lint_dir_subprocess(tmp_path: Path, files: dict, timeout: float = 60) -> tuple[int, dict]:
    """The same, in a child interpreter: a crash or a hang fails the test, not the test run."""
    folder = tmp_path / "repo"
    folder.mkdir(exist_ok=True)
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "lakelint", "repo", "-f", "json", *SELECT], cwd=tmp_path,
                          capture_output=True, text=True, timeout=timeout, env=env)
    assert done.returncode in (0, 1, 2), f"crashed with {done.returncode}: {done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert _findings(report, "repo/good.yaml") == GOOD_FINDINGS
    return done.returncode, report


def only_error(report: dict, file: str) -> dict:
    errors = [e for e in report["errors"] if e["file"] == file]
    assert len(errors) == 1, report["errors"]
    return errors[0]


# -- alias bombs and recursive structures ----------------------------------------------------------


def _billion_laughs(levels: int = 10, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    lines += ["Resources:", "  Bomb:", "    Type: AWS::S3::Bucket", f"    Properties: {{Tags: *a{levels - 1}}}"]
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int = 30) -> str:
    lines = ["m0: &m0 {k0: 1, j0: 2}"]
    for i in range(1, levels):
        lines += [f"m{i}: &m{i}", f"  <<: [*m{i - 1}]", f"  k{i}: [*m{i - 1}, *m{i - 1}]"]
    return "\n".join(lines) + "\nResources: {B: {Type: AWS::S3::Bucket}}\n"


@pytest.mark.parametrize("text, message", [
    (_billion_laughs(), "YAML aliases expand to more than 100,000 values (an alias bomb?)"),
    (_merge_bomb(), "expand to more than 100,000 values (an alias bomb?)"),
], ids=["billion-laughs", "merge-key-bomb"])
def test_alias_bombs_are_bounded(tmp_path, text, message):
    code, report = lint_dir_subprocess(tmp_path, {"bomb.yaml": text}, timeout=30)
    assert code == 2
    assert message in only_error(report, "repo/bomb.yaml")["message"]


def test_aliases_within_the_budget_still_work(tmp_path, capsys):
    text = ("Tagging: &tags\n  - {Key: team, Value: lake}\n"
            "Resources:\n"
            "  One:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: *tags}\n"
            "  Two:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: *tags}\n")
    code, report = lint_dir(tmp_path, {"aliases.yaml": text}, capsys)
    assert report["errors"] == []
    assert sorted({f[1] for f in _findings(report, "repo/aliases.yaml")}) == ["One", "Two"]


@pytest.mark.parametrize("text, line, message", [
    ("Resources: &r\n  B: *r\n", 1, "a YAML alias refers to a node that contains it"),
    ("Base: &a\n  x: 1\n  <<: *a\nResources: {B: {Type: AWS::S3::Bucket}}\n", 1,
     "a YAML merge key (<<) merges a mapping into itself"),
], ids=["alias-cycle", "merge-cycle"])
def test_recursive_aliases_are_errors(tmp_path, capsys, text, line, message):
    code, report = lint_dir(tmp_path, {"loop.yaml": text}, capsys)
    assert code == 2
    error = only_error(report, "repo/loop.yaml")
    assert message in error["message"] and error["line"] == line


# -- deep nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, line", [
    ("Resources: " + "[" * 100_000 + "]" * 100_000 + "\n", 1),  # overflows libyaml's C stack unguarded
    ("Resources:\n" + "- " * 50_000 + "x\n", 2),
    ("Resources:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(300)) + "  " * 301 + "v\n", 202),
], ids=["flow-100k", "block-dashes-50k", "indented-300"])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path, text, line):
    code, report = lint_dir_subprocess(tmp_path, {"deep.yaml": text}, timeout=30)
    assert code == 2
    error = only_error(report, "repo/deep.yaml")
    # lakelint's own guard, or (with libyaml builds that have one) libyaml's nesting limit, whichever
    # stops the document first: either way a clean error at the right line, never a crash
    assert error["message"] in ("nesting deeper than 200 levels",
                                "YAML syntax error: exceeded maximum nesting depth (while increasing flow level)")
    assert error["line"] == line


def test_nesting_below_the_limit_lints(tmp_path, capsys):
    deep = "{a: " * 150 + "1" + "}" * 150
    text = f"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: {deep}\n"
    code, report = lint_dir(tmp_path, {"nested.yaml": text}, capsys)
    assert report["errors"] == []
    assert {f[1] for f in _findings(report, "repo/nested.yaml")} == {"B"}


# -- encodings and line ends ------------------------------------------------------------------------


@pytest.mark.parametrize("content, line, column, message", [
    (b"Resources:\x00\x01\x02\n", 1, 1, "binary file, not a text template"),
    ("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Description: caf\xe9\n".encode("latin-1"), 4, 21,
     "not UTF-8 text (byte 0xe9)"),
    (b"\xff\xfe" + "Resources:".encode("utf-16-le") + b"\x00\xd8", 1, 1, "not valid UTF-16 text"),
    (b"Resources:\n  B: {Type: AWS::S3::Bucket}\n" + b"#" * 9000 + b"\x00\n", 3, 9001,
     "unacceptable character #x0000: control characters are not allowed"),
], ids=["nul-bytes", "latin-1", "broken-utf-16", "late-nul"])
def test_binary_and_badly_encoded_files(tmp_path, capsys, content, line, column, message):
    code, report = lint_dir(tmp_path, {"bad.yaml": content}, capsys)
    assert code == 2
    error = only_error(report, "repo/bad.yaml")
    assert message in error["message"]
    assert (error["line"], error["column"]) == (line, column)


@pytest.mark.parametrize("encode", [
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf-8 BOM"),
    pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="CRLF"),
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), id="BOM+CRLF"),
    pytest.param(lambda text: text.encode("utf-16"), id="UTF-16 with BOM"),
    pytest.param(lambda text: text.replace("\n", "\r").encode("utf-8"), id="CR only"),
])
def test_boms_and_line_ends_lint_like_plain_utf8(tmp_path, capsys, encode):
    """Same findings, same lines and columns, and the inline suppression on line 12 still applies."""
    code, report = lint_dir(tmp_path, {"twin.yaml": encode(GOOD)}, capsys)
    assert report["errors"] == []
    assert _findings(report, "repo/twin.yaml") == GOOD_FINDINGS
    assert code == 1


# -- size, duplicates, structure -----------------------------------------------------------------------


def test_files_over_the_size_limit(tmp_path, capsys):
    (tmp_path / ".lakelint.yaml").write_text("max-file-size: 2000\n", encoding="utf-8")
    big = GOOD + "# padding\n" * 200
    code, report = lint_dir(tmp_path, {"big.yaml": big}, capsys)
    assert code == 2
    error = only_error(report, "repo/big.yaml")
    assert error["message"] == f"file is {len(big.encode()):,} bytes, over the 2,000-byte limit (max-file-size)"


def test_duplicate_keys(tmp_path, capsys):
    text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n"
    code, report = lint_dir(tmp_path, {"dup.yaml": text}, capsys)
    assert code == 2
    error = only_error(report, "repo/dup.yaml")
    assert error["message"] == "duplicate key 'B' (first defined on line 2)"
    assert (error["line"], error["column"]) == (4, 3)


@pytest.mark.parametrize("text, message", [
    ("Resources: {B: {Type: AWS::S3::Bucket}}\n---\nResources: {}\n", "but found another document"),
    ("Resources:\n  B: !!python/object/apply:os.system [echo]\n", "unsupported YAML tag"),
    ("Resources:\n  B: !Bogus x\n", "unknown tag !Bogus"),
    ("Resources:\n  ? [a, b]\n  : {Type: AWS::S3::Bucket}\n", "a mapping key must be a scalar"),
    ("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {N: !!int 1" + "9" * 5000 + "}\n",
     "invalid int value"),
    ("Resources:\n  B: {Type: AWS::S3::Bucket\n", "syntax error"),
    ('{"Resources": {"B": {"Type": "AWS::S3::Bucket",}}', "syntax error"),
], ids=["two-documents", "python-tag", "unknown-tag", "complex-key", "huge-int", "yaml-syntax", "json-syntax"])
def test_malformed_documents(tmp_path, capsys, text, message):
    name = "bad.json" if text.startswith("{") else "bad.yaml"
    code, report = lint_dir(tmp_path, {name: text}, capsys)
    assert code == 2
    assert message in only_error(report, f"repo/{name}")["message"]


@pytest.mark.parametrize("text", [
    "Resources: [a, b]\n",
    "Resources:\n  B: {Type: 42}\n",
    "Resources:\n  B: {Type: AWS::S3::Bucket, Properties: just a string}\n",
    "Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {BucketEncryption: [1, 2]}}\n",
    "Resources:\n  1: {Type: AWS::S3::Bucket}\n  null: {Type: AWS::S3::Bucket}\n  2020-01-01: {Type: AWS::S3::Bucket}\n",
    "Parameters: [x]\nConditions: 5\nMappings: null\nResources:\n  B: {Type: AWS::S3::Bucket, Condition: [x]}\n",
    "Resources:\n  B: {Type: AWS::S3::Bucket, Metadata: {lakelint: {ignore: [{id: [LL101]}, 7, {until: x}]}}}\n",
], ids=["resources-list", "type-int", "properties-string", "encryption-ints", "odd-keys", "odd-sections",
        "odd-suppressions"])
def test_odd_shapes_never_crash(tmp_path, capsys, text):
    """Valid YAML in shapes CloudFormation would refuse: linted or reported, never a traceback."""
    code, report = lint_dir(tmp_path, {"odd.yaml": text}, capsys)
    assert code in (0, 1, 2)
    assert not any("internal error" in e["message"] for e in report["errors"]), report["errors"]


# -- the file system ------------------------------------------------------------------------------------


def test_symlink_loops(tmp_path, capsys):
    folder = tmp_path / "repo"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "up").symlink_to(folder, target_is_directory=True)  # a directory loop
    (folder / "self").symlink_to(folder / "self")  # a link to itself
    (folder / "a.yaml").symlink_to(folder / "b.yaml")  # two file links pointing at each other
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    code, report = lint_dir(tmp_path, {}, capsys)
    assert code == 2
    assert len(_findings(report, "repo/good.yaml")) == 3  # linted once, not once per way round the loop
    assert report["summary"]["files"] == 3
    for name in ("repo/a.yaml", "repo/b.yaml"):
        assert only_error(report, name)["message"].startswith("cannot read file: ")


def _deny(monkeypatch, target: Path):
    """Make ``target`` unreadable even for root, by refusing to open it."""
    real_open = open

    def guarded_open(path, *args, **kwargs):
        if Path(path).resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cfn_source, "open", guarded_open, raising=False)


def test_unreadable_file(tmp_path, capsys, monkeypatch):
    _deny(monkeypatch, tmp_path / "repo" / "secret.yaml")
    code, report = lint_dir(tmp_path, {"secret.yaml": GOOD}, capsys)
    assert code == 2
    error = only_error(report, "repo/secret.yaml")
    assert error["message"] == "cannot read file: Permission denied"


def test_unreadable_folder(tmp_path, capsys, monkeypatch):
    locked = tmp_path / "repo" / "locked"
    real_scandir = os.scandir

    def guarded_scandir(path="."):
        if Path(path).resolve() == locked.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    code, report = lint_dir(tmp_path, {"locked/inside.yaml": GOOD}, capsys)
    assert code == 2
    error = only_error(report, "repo/locked")
    assert error["message"] == "cannot read directory: Permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_really_unreadable_file_and_folder(tmp_path, capsys):
    folder = tmp_path / "repo"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "inside.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "secret.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "secret.yaml").chmod(0)
    (folder / "locked").chmod(0)
    try:
        code, report = lint_dir(tmp_path, {}, capsys)
    finally:
        (folder / "locked").chmod(0o755)
        (folder / "secret.yaml").chmod(0o644)
    assert code == 2
    assert only_error(report, "repo/secret.yaml")["message"] == "cannot read file: Permission denied"
    assert only_error(report, "repo/locked")["message"] == "cannot read directory: Permission denied"


def test_named_pipe_does_not_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    (tmp_path / "repo").mkdir()
    os.mkfifo(tmp_path / "repo" / "pipe.yaml")
    code, report = lint_dir_subprocess(tmp_path, {}, timeout=30)
    assert code == 2
    assert only_error(report, "repo/pipe.yaml")["message"] == "not a regular file"


def test_a_missing_path_named_on_the_command_line(tmp_path, capsys):
    code, report = lint_dir(tmp_path, {}, capsys, paths=("repo", "repo/nope.yaml"))
    assert code == 2
    assert only_error(report, "repo/nope.yaml")["message"] == "no such file or directory: repo/nope.yaml"


# -- empty files: not CloudFormation, skipped ------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"# only a comment\n", b"---\n", b"~\n", b"\xef\xbb\xbf"],
                         ids=["empty", "blank", "comment", "document-marker", "null", "bom-only"])
def test_empty_files_are_skipped_quietly(tmp_path, capsys, content):
    code, report = lint_dir(tmp_path, {"empty.yaml": content, "empty.json": content}, capsys)
    assert report["errors"] == []
    assert report["summary"]["files"] == 1  # only good.yaml counts as a template
    assert code == 1  # good.yaml's finding, nothing from the empty files


def test_an_empty_file_named_explicitly_is_skipped_too(tmp_path, capsys):
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "empty.yaml").write_bytes(b"")
    code, report = lint_dir(tmp_path, {}, capsys, paths=("repo/good.yaml", "repo/empty.yaml"))
    assert report["errors"] == []
    assert code == 1


# -- the same, through worker processes ------------------------------------------------------------


def test_hostile_files_in_a_parallel_run(tmp_path, capsys):
    """Hostile files spread over workers: same errors, good files' findings intact."""
    files = {f"copy{i:02d}.yaml": GOOD for i in range(70)}
    files.update({"dup.yaml": "Resources:\n  B: {Type: A}\n  B: {Type: A}\n",
                  "bin.yaml": b"Resources:\x00\x00", "bomb.yaml": _billion_laughs(),
                  "deep.yaml": "Resources: " + "[" * 10_000 + "]" * 10_000 + "\n"})
    code, report = lint_dir(tmp_path, files, capsys, "--jobs", "2")
    assert code == 2
    assert sorted(e["file"] for e in report["errors"]) == ["repo/bin.yaml", "repo/bomb.yaml", "repo/deep.yaml",
                                                          "repo/dup.yaml"]
    for i in range(70):
        assert _findings(report, f"repo/copy{i:02d}.yaml") == GOOD_FINDINGS

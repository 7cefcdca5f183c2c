"""Every writer and reader of the command line under hostile conditions (issue 11, items 11-14).

Each test runs the real CLI in a subprocess (``python -m lakelint``), since what it guards depends on
the process: a named pipe that would block a read, standard output on a full disk, a file name that
is not valid UTF-8. The rule for all of them: a clear one-line error naming the file, exit code 2,
never a traceback and never a damaged input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
S3 = "LL101,LL102,LL103"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names, pipes and devices")

LAKE = """\
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
"""

# A file name that is not valid UTF-8 (byte 0xFF), as bytes: the tests create it with os-level calls.
ODD_NAME = b"caf\xff.yaml"


def lakelint(cwd: Path, *args, stdout=subprocess.PIPE, stdin=None, input_bytes=None, timeout=60):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=cwd, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, stdin=stdin, input=input_bytes, timeout=timeout)


def one_clean_error(done, *needles) -> str:
    """The run exited 2 with one line on stderr holding every needle, and no traceback."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], err
    return lines[0]


@pytest.fixture
def lake(tmp_path) -> Path:
    (tmp_path / "lake.yaml").write_text(LAKE, encoding="utf-8")
    return tmp_path


# -- outputs that are inputs -------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["lake.yaml", "-o", "lake.yaml"],
    ["lake.yaml", "--write-baseline", "lake.yaml"],
    ["lake.yaml", "--report", "sarif=lake.yaml"],
    [".", "-o", "lake.yaml"],  # found by the directory walk, not named
    [".", "--write-baseline", "./lake.yaml"],
    [".", "--report", "junit=lake.yaml"],
])
def test_an_output_that_is_an_input_is_refused_before_anything_is_written(lake, args):
    done = lakelint(lake, "--select", S3, *args)
    one_clean_error(done, "lake.yaml", "input")
    assert (lake / "lake.yaml").read_text(encoding="utf-8") == LAKE
    assert done.stdout == b""


def test_an_output_that_is_the_baseline_being_read_is_refused(lake):
    assert lakelint(lake, "lake.yaml", "--write-baseline", "b.json").returncode == 0
    before = (lake / "b.json").read_bytes()
    done = lakelint(lake, "lake.yaml", "--baseline", "b.json", "-o", "b.json")
    one_clean_error(done, "b.json")
    assert (lake / "b.json").read_bytes() == before


@POSIX
def test_an_output_reached_through_a_symlink_to_an_input_is_refused(lake):
    os.symlink("lake.yaml", lake / "alias.json")
    done = lakelint(lake, "lake.yaml", "-o", "alias.json")
    one_clean_error(done, "alias.json")
    assert (lake / "lake.yaml").read_text(encoding="utf-8") == LAKE


def test_pruning_a_baseline_in_place_is_still_allowed(lake):
    assert lakelint(lake, "lake.yaml", "--select", S3, "--write-baseline", "b.json").returncode == 0
    done = lakelint(lake, "lake.yaml", "--select", S3, "--baseline", "b.json", "--write-baseline", "b.json")
    assert done.returncode == 0, done.stderr


# -- the baseline file -------------------------------------------------------------------------------

@POSIX
def test_baseline_that_is_a_fifo_is_refused_without_blocking(lake):
    os.mkfifo(lake / "pipe.json")
    done = lakelint(lake, "lake.yaml", "--baseline", "pipe.json", timeout=20)
    one_clean_error(done, "pipe.json", "not a regular file")


def test_latin1_baseline_is_a_clean_error_naming_the_file(lake):
    text = '{"version": 1, "tool": "lakelint", "findings": [\n  {"file": "caf\xe9.yaml", "resource": "R", "check": "LL101", "key": "k"}\n]}\n'
    (lake / "old.json").write_bytes(text.encode("latin-1"))
    line = one_clean_error(lakelint(lake, "lake.yaml", "--baseline", "old.json"), "old.json", "UTF-8")
    assert "old.json:2" in line  # the line of the offending byte


def test_baseline_problems_are_found_before_linting(lake):
    """A bad baseline stops the run before any report is written."""
    (lake / "b.json").write_text("not json", encoding="utf-8")
    done = lakelint(lake, "lake.yaml", "--baseline", "b.json", "-o", "report.json")
    one_clean_error(done, "b.json")
    assert not (lake / "report.json").exists()


# -- standard output -------------------------------------------------------------------------------

@POSIX
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_stdout_on_a_full_disk_is_one_clean_error(lake, fmt):
    with open("/dev/full", "wb") as full:
        done = lakelint(lake, "lake.yaml", "-f", fmt, stdout=full)
    one_clean_error(done, "standard output", "No space left on device")


@POSIX
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_list_checks_on_a_full_disk_is_one_clean_error(tmp_path):
    with open("/dev/full", "wb") as full:
        done = lakelint(tmp_path, "--list-checks", stdout=full)
    one_clean_error(done, "standard output")


# -- file names that are not valid UTF-8 --------------------------------------------------------------

@pytest.fixture
def odd(tmp_path) -> Path:
    if sys.platform == "win32" or sys.platform == "darwin":
        pytest.skip("the file system must accept any bytes in a name")
    with open(os.path.join(os.fsencode(tmp_path), ODD_NAME), "w", encoding="utf-8") as handle:
        handle.write(LAKE)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_a_name_that_is_not_utf8_is_written_by_every_writer(odd, fmt):
    to_stdout = lakelint(odd, "--select", S3, "-f", fmt, ".")
    assert to_stdout.returncode == 1, to_stdout.stderr
    assert b"Traceback" not in to_stdout.stderr
    to_file = lakelint(odd, "--select", S3, "-f", fmt, "-o", "report.out", ".")
    assert to_file.returncode == 1, to_file.stderr
    written = (odd / "report.out").read_bytes()
    assert written == to_stdout.stdout
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(written.decode("utf-8"))  # valid UTF-8 and valid JSON
    if fmt == "junit":
        ET.fromstring(written)  # well-formed XML


def test_a_name_that_is_not_utf8_round_trips_through_json(odd):
    done = lakelint(odd, "--select", S3, "-f", "json", ".")
    files = {f["file"] for f in json.loads(done.stdout.decode("utf-8"))["findings"]}
    assert files == {os.fsdecode(ODD_NAME)}  # the surrogate escape decodes back to the same bytes
    assert {os.fsencode(f) for f in files} == {ODD_NAME}


def test_a_name_that_is_not_utf8_is_percent_encoded_in_sarif(odd):
    done = lakelint(odd, "--select", S3, "-f", "sarif", ".")
    log = json.loads(done.stdout.decode("utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"caf%FF.yaml"}


def test_a_name_that_is_not_utf8_in_text_keeps_its_bytes(odd):
    done = lakelint(odd, "--select", S3, ".")
    assert ODD_NAME + b":12:28: LL101" in done.stdout


def test_junit_to_stdout_is_well_formed_with_a_name_that_is_not_utf8(odd):
    done = lakelint(odd, "--select", S3, "-f", "junit", ".")
    root = ET.fromstring(done.stdout)
    assert root.find("testsuite").get("name") == "caf\\xff.yaml"

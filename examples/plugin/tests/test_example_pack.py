"""The example pack's own tests: installed, lakelint finds its checks, and each fixture gives exactly
the findings listed below.

Run them where the pack is installed next to lakelint (``pip install -e examples/plugin`` then
``python -m pytest examples/plugin``); lakelint's suite does that in a scratch folder
(tests/test_example_plugin.py). The fixtures end in ``.yaml.in`` so that a walk of ``examples/`` does
not lint them: they are named explicitly here, and lakelint reads any file it is given.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# file -> the findings of its check: (resource, line, condition or None)
EXPECTED = {
    "XP101/fail_missing_and_plain.yaml.in": [("RawBucket", 2, None), ("ScratchBucket", 7, None)],
    "XP101/fail_if_and_parameter.yaml.in": [("RawBucket", 12, "IsProd=false"), ("StageBucket", 16, "Stage=sandbox")],
    "XP102/fail_missing_and_unknown_level.yaml.in": [("RawBucket", 6, None), ("CuratedBucket", 13, None)],
    "XP102/fail_parameter.yaml.in": [("AnyLevelBucket", 13, None), ("OwnerBucket", 19, "Owner=secret")],
}
FILES = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob("*/*.yaml.in"))


def lakelint(*args):
    return subprocess.run([sys.executable, "-m", "lakelint", *args], capture_output=True, text=True, timeout=60)


def test_lakelint_loads_the_pack_through_its_entry_point():
    listed = json.loads(lakelint("--list-checks", "--format", "json").stdout)
    pack = {c["code"]: c for c in listed if c["code"].startswith("XP")}
    assert sorted(pack) == ["XP101", "XP102"]
    assert pack["XP101"]["name"] == "bucket-name-prefix"
    assert pack["XP101"]["origin"] == "plugin example-pack"


def test_explain_renders_the_docstring():
    text = lakelint("--explain", "XP101").stdout
    assert "bucket-name-prefix" in text and "## Why it matters" in text and "lake-" in text


@pytest.mark.parametrize("name", FILES)
def test_fixture(name):
    code = name.split("/")[0]
    result = lakelint(str(FIXTURES / name), "--select", code, "--format", "json")
    found = sorted((f["resource"], f["line"], f["condition"]) for f in json.loads(result.stdout)["findings"])
    assert found == sorted(EXPECTED.get(name, [])), result.stderr
    assert result.returncode == (1 if name in EXPECTED else 0)
    assert (name in EXPECTED) == Path(name).name.startswith("fail_")

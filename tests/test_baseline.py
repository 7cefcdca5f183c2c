"""Baselines: record today's findings, then report only new ones (``lakelint.runs.baseline``).

The CLI tests run ``python -m lakelint`` in a temporary folder. They pin ``--select`` to the headline
S3 checks plus LL001 so that checks added later do not change what they expect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.runs.baseline import Baseline, BaselineError, apply, fingerprint, property_key, pruned
from lakelint.core.model import Finding

PROJECT = Path(__file__).resolve().parent.parent
SELECT = "LL001,LL101,LL102,LL103"

# LL101 at 12:28 (BlockPublicPolicy false), LL102 at 9:29 (AES256), LL103 at 3:3 (no lifecycle).
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

# The same template moved down by a comment block and reformatted into flow style: same findings.
LAKE_MOVED = """\
# Raw landing zone.
#
# Owned by the ingestion team.
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RawBucket:
    Type: "AWS::S3::Bucket"
    Properties:
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: false,
                                       IgnorePublicAcls: true, RestrictPublicBuckets: true}
      BucketEncryption:
        ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]
"""

# LL101 fixed (BlockPublicPolicy true); LL102 and LL103 remain.
LAKE_LL101_FIXED = LAKE.replace("BlockPublicPolicy: false", "BlockPublicPolicy: true")

SECOND = """\
Resources:
  CuratedBucket:
    Type: AWS::S3::Bucket
"""


def run(cwd, *args):
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)


def findings(result) -> list:
    return [(f["check"], f["resource"], f["line"]) for f in json.loads(result.stdout)["findings"]
            if not f["suppressed"]]


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "lake.yaml").write_text(LAKE)
    return tmp_path


def write_baseline(repo, *extra):
    result = run(repo, "templates", "--select", SELECT, "--write-baseline", "lakelint-baseline.json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads((repo / "lakelint-baseline.json").read_text())


def test_write_baseline_records_findings_sorted_one_per_line(repo):
    data = write_baseline(repo)
    assert data["version"] == 1
    assert data["findings"] == [
        {"file": "templates/lake.yaml", "resource": "RawBucket", "check": "LL101",
         "key": "PublicAccessBlockConfiguration.BlockPublicPolicy", "count": 1},
        {"file": "templates/lake.yaml", "resource": "RawBucket", "check": "LL102",
         "key": "BucketEncryption.ServerSideEncryptionConfiguration.SSEAlgorithm", "count": 1},
        {"file": "templates/lake.yaml", "resource": "RawBucket", "check": "LL103",
         "key": "LifecycleConfiguration.Rules", "count": 1},
    ]
    lines = (repo / "lakelint-baseline.json").read_text().splitlines()
    entry_lines = [line for line in lines if '"check"' in line]
    assert len(entry_lines) == 3, "one entry per line, for reviewable diffs"
    assert entry_lines == sorted(entry_lines)


def test_write_baseline_run_reports_nothing_and_exits_0(repo):
    result = run(repo, "templates", "--select", SELECT, "--write-baseline", "b.json", "--format", "json")
    assert result.returncode == 0
    assert findings(result) == []
    assert "wrote 3 findings to the baseline b.json" in result.stderr


def test_write_baseline_does_not_say_all_checks_passed(repo):
    result = run(repo, "templates", "--select", SELECT, "--write-baseline", "b.json")
    assert result.returncode == 0
    assert "All checks passed!" not in result.stdout
    assert result.stdout == "Recorded 3 findings in the baseline b.json (1 file, 1 resource).\n"


def test_a_run_with_known_findings_does_not_say_all_checks_passed(repo):
    write_baseline(repo)
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json")
    assert result.returncode == 0
    assert result.stdout == ("No new findings in 1 file, 1 resource; 3 recorded in the baseline "
                             "lakelint-baseline.json.\n")


def test_quiet_silences_the_baseline_notes(repo):
    write_baseline(repo)
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_baseline_hides_recorded_findings(repo):
    write_baseline(repo)
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert findings(result) == []
    assert "3 findings recorded in the baseline lakelint-baseline.json not reported" in result.stderr


def test_new_finding_is_reported(repo):
    write_baseline(repo)
    (repo / "templates" / "second.yaml").write_text(SECOND)
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    assert result.returncode == 1
    assert sorted(findings(result)) == [("LL101", "CuratedBucket", 2), ("LL102", "CuratedBucket", 2),
                                        ("LL103", "CuratedBucket", 2)]


def test_line_moves_and_reformatting_keep_findings_matched(repo):
    write_baseline(repo)
    (repo / "templates" / "lake.yaml").write_text(LAKE_MOVED)
    plain = run(repo, "templates", "--select", SELECT, "--format", "json")
    assert sorted(findings(plain)) == [("LL101", "RawBucket", 9), ("LL102", "RawBucket", 12),
                                       ("LL103", "RawBucket", 6)], "the lines did move"
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert findings(result) == []


def test_baseline_works_from_another_directory(repo):
    write_baseline(repo)
    sub = repo / "templates"
    result = run(sub, ".", "--select", SELECT, "--baseline", "../lakelint-baseline.json", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert findings(result) == []


def test_fixed_entry_is_reported_as_ll001_at_its_line(repo):
    write_baseline(repo)
    (repo / "templates" / "lake.yaml").write_text(LAKE_LL101_FIXED)
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    assert result.returncode == 1
    [stale] = json.loads(result.stdout)["findings"]
    assert stale == {  # the record as it always was: only the producer moved into the LL001 check
        "check": "LL001", "name": "unused-suppression", "severity": "low",
        "message": "baseline entry for LL101 on RawBucket in templates/lake.yaml matched no finding: the problem "
                   "is fixed, so drop the entry (--baseline FILE --write-baseline FILE) and a return of it "
                   "counts as new",
        "source": "template", "resource": "RawBucket", "resource_type": None, "file": "lakelint-baseline.json",
        "line": 5, "column": 1, "condition": None, "suppressed": False, "suppression_reason": None,
        "verdict": "fail", "fix": None}  # "fix": added with --fix (DESIGN 11: keys are only ever added)


def test_fixed_entry_severity_follows_the_configured_ll001_severity(repo):
    write_baseline(repo)
    (repo / "templates" / "lake.yaml").write_text(LAKE_LL101_FIXED)
    (repo / ".lakelint.yaml").write_text("severity: {unused-suppression: high}\n")
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    [stale] = json.loads(result.stdout)["findings"]
    assert (stale["check"], stale["severity"]) == ("LL001", "high")


def test_the_ll001_check_is_the_one_producer_of_fixed_entry_findings(repo, monkeypatch):
    """The fixed entries reach the LL001 check as records it judges; runs/baseline.py builds no finding."""
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.baseline import use_baselines
    from lakelint.runs.templates import lint_templates

    write_baseline(repo)
    (repo / "templates" / "lake.yaml").write_text(LAKE_LL101_FIXED)
    monkeypatch.chdir(repo)
    specs = load_checks()
    spec = next(s for s in specs if s.code == "LL001")
    seen = []
    original = spec.func

    def spying(records, ctx):
        seen.extend(records)
        yield from original(records, ctx)

    monkeypatch.setattr(spec, "func", spying)
    config = build_config({"select": SELECT.split(",")}, None)
    report = lint_templates(["templates"], config, specs)
    use_baselines(report, config, specs, "lakelint-baseline.json", None)
    stale = [r for r in seen if getattr(r, "kind", None) == "baseline"]
    assert [(r.check, r.resource, r.line) for r in stale] == [("LL101", "RawBucket", 5)]
    assert [f.check for f in report.findings] == ["LL001"]

    def silent(records, ctx):  # if LL001 says nothing, nothing is said: there is no second producer
        return iter(())

    monkeypatch.setattr(spec, "func", silent)
    report = lint_templates(["templates"], config, specs)
    use_baselines(report, config, specs, "lakelint-baseline.json", None)
    assert report.findings == []


def test_ignoring_ll001_silences_fixed_entries(repo):
    write_baseline(repo)
    (repo / "templates" / "lake.yaml").write_text(LAKE_LL101_FIXED)
    result = run(repo, "templates", "--select", "LL101,LL102,LL103", "--baseline", "lakelint-baseline.json",
                 "--format", "json")
    assert result.returncode == 0
    assert findings(result) == []


def test_prune_then_reintroduced_finding_is_new_again(repo):
    write_baseline(repo)
    (repo / "templates" / "lake.yaml").write_text(LAKE_LL101_FIXED)
    prune = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json",
                "--write-baseline", "lakelint-baseline.json")
    assert prune.returncode == 0, prune.stdout + prune.stderr
    assert "wrote 2 baseline entries to lakelint-baseline.json (1 fixed, dropped)" in prune.stderr
    checks = [e["check"] for e in json.loads((repo / "lakelint-baseline.json").read_text())["findings"]]
    assert checks == ["LL102", "LL103"]
    (repo / "templates" / "lake.yaml").write_text(LAKE)  # the problem comes back
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    assert result.returncode == 1
    assert findings(result) == [("LL101", "RawBucket", 12)]


def test_prune_never_adds_new_findings(repo):
    write_baseline(repo)
    (repo / "templates" / "second.yaml").write_text(SECOND)
    prune = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json",
                "--write-baseline", "lakelint-baseline.json", "--format", "json")
    assert prune.returncode == 1
    assert len(findings(prune)) == 3
    assert len(json.loads((repo / "lakelint-baseline.json").read_text())["findings"]) == 3


def test_partial_run_does_not_call_other_files_fixed(repo):
    (repo / "templates" / "second.yaml").write_text(SECOND)
    write_baseline(repo)
    result = run(repo, "templates/lake.yaml", "--select", SELECT, "--baseline", "lakelint-baseline.json",
                 "--format", "json")
    assert result.returncode == 0, result.stdout
    assert findings(result) == []


def test_deselected_check_does_not_make_its_entries_fixed(repo):
    write_baseline(repo)
    result = run(repo, "templates", "--select", "LL001,LL101", "--baseline", "lakelint-baseline.json",
                 "--format", "json")
    assert result.returncode == 0, result.stdout
    assert findings(result) == []


def test_suppressed_findings_are_not_baselined_and_stay_suppressed(repo):
    suppressed = LAKE.replace("BlockPublicPolicy: false",
                              "BlockPublicPolicy: false  # lakelint: ignore[LL101]: public dataset")
    (repo / "templates" / "lake.yaml").write_text(suppressed)
    data = write_baseline(repo)
    assert [e["check"] for e in data["findings"]] == ["LL102", "LL103"]
    result = run(repo, "templates", "--select", SELECT, "--baseline", "lakelint-baseline.json", "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert [(f["check"], f["suppressed"]) for f in report["findings"]] == [("LL101", True)]


def test_unreadable_or_foreign_baseline_is_exit_2(repo):
    result = run(repo, "templates", "--baseline", "missing.json")
    assert result.returncode == 2
    assert "missing.json: cannot read baseline" in result.stderr
    (repo / "other.json").write_text('{"findings": []}')
    result = run(repo, "templates", "--baseline", "other.json")
    assert result.returncode == 2
    assert "not a lakelint baseline" in result.stderr


# -- the module, without the CLI -------------------------------------------------------------------

def finding(**kw):
    base = dict(check="LL103", name="s3-lifecycle-configured", severity="medium", message="no rule",
                source="template", resource="Raw", resource_type="AWS::S3::Bucket", file="t.yaml", line=3)
    base.update(kw)
    return Finding(**base)


def test_fingerprint_ignores_lines_and_columns(tmp_path):
    a = fingerprint(finding(line=3, column=3, fingerprint_key="A.B"), tmp_path)
    b = fingerprint(finding(line=40, column=9, fingerprint_key="A.B"), tmp_path)
    assert a == b
    assert a != fingerprint(finding(fingerprint_key="A.C"), tmp_path)
    assert a != fingerprint(finding(resource="Other", fingerprint_key="A.B"), tmp_path)
    assert a != fingerprint(finding(check="LL101", fingerprint_key="A.B"), tmp_path)


def test_property_key_falls_back_to_message_without_digits():
    assert property_key(finding(message="bucket count 97 of 100 at line 12")) == "bucket count of at line"
    assert property_key(finding(fingerprint_key="X.Y", message="anything 1")) == "X.Y"


def test_identical_fingerprints_are_counted(tmp_path):
    path = str(tmp_path / "b.json")
    two = [finding(fingerprint_key="K", condition="IsProd=true"), finding(fingerprint_key="K", condition="IsProd=false")]
    baseline = Baseline.from_findings(two, path)
    assert len(baseline) == 2 and len(baseline.counts) == 1
    three = two + [finding(fingerprint_key="K", line=99)]
    outcome = apply(baseline, three)
    assert len(outcome.known) == 2 and [f.line for f in outcome.new] == [99]
    outcome = apply(baseline, two[:1])
    assert outcome.fixed == [(next(iter(baseline.counts)), 1)]
    assert len(pruned(baseline, outcome)) == 1


def test_written_file_reads_back(tmp_path):
    path = str(tmp_path / "b.json")
    baseline = Baseline.from_findings([finding(fingerprint_key="K"), finding(check="LL101", message="m 1")], path)
    baseline.write(path)
    again = Baseline.read(path)
    assert again.counts == baseline.counts
    assert sorted(again.lines.values()) == [5, 6]


def test_bad_count_is_refused(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"version": 1, "findings": [{"check": "LL101", "count": 0}]}')
    with pytest.raises(BaselineError, match="entry 1 has a count"):
        Baseline.read(str(path))


def test_latin1_baseline_is_refused_with_its_line(tmp_path):
    path = tmp_path / "b.json"
    path.write_bytes('{"version": 1,\n "findings": [{"check": "LL101", "file": "caf\xe9.yaml"}]}'.encode("latin-1"))
    with pytest.raises(BaselineError, match=r"b.json:2: baseline is not UTF-8 text \(byte 0xE9\)"):
        Baseline.read(str(path))


def test_baseline_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "b.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"version": 1, "findings": [{"check": "LL101", "count": 2}]}')
    assert len(Baseline.read(str(path))) == 2


def test_a_directory_is_not_a_baseline(tmp_path):
    with pytest.raises(BaselineError, match="not a regular file"):
        Baseline.read(str(tmp_path))

"""lakelint's output on every real template of tests/corpus/real matches its committed snapshot.

The snapshots under tests/corpus/snapshots/ hold everything ``lakelint FILE --format json`` reports on
each template (every finding with every key, and the errors), sorted. Any change in what users see on
real templates fails here with the findings that went and came and the JSON diff; when the change is
intended, ``python -m lakelint.dev generate corpus-snapshots`` rewrites them and the diff goes to review.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lakelint.core.registry import load_checks
from lakelint.dev import corpus_snapshots as snapshots

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)
TEMPLATES = snapshots.templates(ROOT)


def test_every_template_has_a_snapshot_and_every_snapshot_a_template():
    assert len(TEMPLATES) >= 90, "the corpus went missing"
    wanted = {snapshots.snapshot_path(t) for t in TEMPLATES}
    committed = snapshots.owned(ROOT)
    assert not wanted - committed, f"templates without a snapshot: run {snapshots.COMMAND}"
    assert not committed - wanted, f"snapshots of templates that are gone: run {snapshots.COMMAND}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t[:100])
def test_output_matches_the_snapshot(template):
    path = ROOT / snapshots.snapshot_path(template)
    if not path.is_file():
        pytest.fail(f"{snapshots.snapshot_path(template)} is missing: run {snapshots.COMMAND}", pytrace=False)
    committed = path.read_text(encoding="utf-8")
    current = snapshots.snapshot(ROOT, template, SPECS)
    if current != committed:
        pytest.fail(snapshots.difference(template, committed, current), pytrace=False)


def test_a_difference_reads_as_findings_and_a_json_diff_with_the_command():
    template = TEMPLATES[0]
    committed = (ROOT / snapshots.snapshot_path(template)).read_text(encoding="utf-8")
    document = json.loads(committed)
    document["findings"].append({"check": "LL999", "severity": "high", "message": "a finding that came",
                                 "resource": "NewBucket", "line": 7, "column": 3})
    changed = snapshots.render(document)
    text = snapshots.difference(template, committed, changed)
    assert f"tests/corpus/real/{template}" in text
    assert "  + 7:3: LL999 [high] a finding that came (NewBucket)" in text
    assert any(line.startswith("+ ") and '"message": "a finding that came"' in line for line in text.splitlines())
    assert "python -m lakelint.dev generate corpus-snapshots" in text


def test_snapshots_do_not_depend_on_the_working_folder_the_date_or_the_version(tmp_path, monkeypatch):
    from lakelint import __version__

    template = next(t for t in TEMPLATES if "compliant-bucket" in t)
    here = snapshots.snapshot(ROOT, template, SPECS)
    monkeypatch.chdir(tmp_path)
    elsewhere = snapshots.snapshot(ROOT, template, SPECS)
    assert here == elsewhere
    document = json.loads(here)
    assert document["tool"]["version"] == snapshots.VERSION_PLACEHOLDER != __version__
    assert {f["file"] for f in document["findings"]} == {template}
    assert str(ROOT) not in here and str(tmp_path) not in here


def test_snapshots_sort_findings_whatever_order_the_report_gives():
    document = {"version": 1, "tool": {"name": "lakelint", "version": "9.9.9"}, "summary": {}, "errors": [],
                "findings": [{"file": "a.yaml", "line": 9, "column": 1, "check": "LL101", "message": "m"},
                             {"file": "a.yaml", "line": 2, "column": 5, "check": "LL102", "message": "m"},
                             {"file": "a.yaml", "line": 2, "column": 5, "check": "LL101", "message": "m"}]}
    rendered = json.loads(snapshots.render(document))
    assert [(f["line"], f["check"]) for f in rendered["findings"]] == [(2, "LL101"), (2, "LL102"), (9, "LL101")]
    assert rendered["tool"]["version"] == snapshots.VERSION_PLACEHOLDER

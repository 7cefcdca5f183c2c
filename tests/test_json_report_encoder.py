"""The JSON report writes flat records through json's C encoder (issue 18); its bytes must stay what
``json.dumps(as_dict(report), indent=2)`` gives, whatever the strings hold and wherever a record that
is not flat (a finding with a fix) or a batch boundary falls."""

from __future__ import annotations

import json
import random

import pytest

from lakelint.core.model import ErrorEntry, Finding, Report
from lakelint.reporters import json_report

AWKWARD = ["plain", "", "line\nbreak", 'quote " and \\ backslash', "},\n      {", "\"},\n      {\"", "tab\t",
           "ünïcödé ∑ 🚀", "\udcff surrogate-escaped byte", "\x00\x1f control", "</script>", "a" * 300]


class _Fix:
    """A fix with its edits: a list inside, so the record goes through the indented Python encoder."""

    def __init__(self, n):
        self.n = n

    def to_dict(self):
        return {"description": f"fix {self.n}", "safety": "safe", "edits": [{"line": self.n, "text": "x\ny"}]}


class _Summary:
    """A fix's summary as a plain lint reports it: a flat mapping, which goes through the batch; an
    empty one, or one whose text holds a NUL (the placeholder's mark), does not."""

    def __init__(self, rng, n):
        self.value = rng.choice([{}, {"safety": "unsafe", "description": rng.choice(AWKWARD) + str(n),
                                      "applicable": rng.random() < 0.5, "reason": rng.choice([None, "\x00x", "why"])}])

    def to_dict(self):
        return self.value


def _finding(rng, n) -> Finding:
    pick = rng.choice
    live = rng.random() < 0.2
    return Finding(check=f"LL{rng.randint(1, 899):03d}", name=pick(AWKWARD), severity=pick(["low", "high"]),
                   message=pick(AWKWARD) + str(n), source="live" if live else "template", resource=pick(AWKWARD + [None]),
                   resource_type=pick(["AWS::S3::Bucket", None]), file=pick(AWKWARD + [None]),
                   line=pick([None, 0, 1, 10**12]), column=pick([None, 7]), condition=pick([None, "IsProd"]),
                   suppressed=rng.random() < 0.3, suppression_reason=pick([None, "reason\n"]),
                   arn=pick([None, "arn:aws:s3:::b"]), account=pick([None, "123456789012"]), region="eu-west-1",
                   verdict=pick(["fail", "unverifiable"]),
                   fix=pick([None, None, _Summary(rng, n), _Summary(rng, n), _Fix(n) if rng.random() < 0.1 else None]))


def _without_nul(finding) -> None:
    """A NUL in a record's text sends it down the Python path (the placeholder's mark): the batch
    tests take them out of the texts they draw."""
    for name in ("message", "name", "resource", "file"):
        value = getattr(finding, name)
        setattr(finding, name, value and value.replace("\x00", ""))


@pytest.mark.parametrize("count", [0, 1, 2, json_report._BATCH - 1, json_report._BATCH, 3 * json_report._BATCH + 7])
@pytest.mark.parametrize("statistics", [False, True])
def test_streamed_report_is_json_dumps_indent_2(count, statistics):
    rng = random.Random(count)
    findings = [_finding(rng, n) for n in range(count)]
    errors = [ErrorEntry(rng.choice(AWKWARD), file=rng.choice(AWKWARD + [None]), line=rng.choice([None, 3]),
                         check=rng.choice([None, "LL101"])) for _ in range(count // 3)]
    report = Report(findings=findings, errors=errors, files=count, resources=2 * count, checks=[], tool_version="0.1.0")
    options = type("Options", (), {"statistics": statistics})()
    assert json_report.render(report, options) == json.dumps(json_report.as_dict(report, options), indent=2) + "\n"


def test_flat_records_go_through_the_c_encoder(monkeypatch):
    """Not a timing: the batch path is the one taken (the C encoder serves JSONEncoder without indent)."""
    assert json.encoder.c_make_encoder is not None
    calls = []
    real = json_report._flat_batch
    monkeypatch.setattr(json_report, "_flat_batch",
                        lambda records, nested=(): calls.append(len(records)) or real(records, nested))
    rng = random.Random(1)
    findings = [_finding(rng, n) for n in range(1000)]
    for f in findings:
        f.fix = None
        _without_nul(f)
    report = Report(findings=findings, errors=[], files=1, resources=1, checks=[], tool_version="0.1.0")
    json_report.render(report)
    assert sum(calls) == 1000 and len(calls) == 2


def test_records_with_a_flat_fix_go_through_the_c_encoder(monkeypatch):
    """A plain lint's findings carry their fix's summary, a flat mapping: they are batched too, and
    the bytes are still what indent=2 writes."""
    calls = []
    real = json_report._flat_batch
    monkeypatch.setattr(json_report, "_flat_batch",
                        lambda records, nested=(): calls.append((len(records), len(nested))) or real(records, nested))
    rng = random.Random(2)
    findings = [_finding(rng, n) for n in range(1000)]
    for f in findings:
        f.fix = _Summary(rng, 0)
        f.fix.value = {"safety": "safe", "description": f.message.replace("\x00", ""), "applicable": True,
                       "reason": None}
        _without_nul(f)
    report = Report(findings=findings, errors=[], files=1, resources=1, checks=[], tool_version="0.1.0")
    text = json_report.render(report)
    assert calls == [(512, 512), (488, 488)]
    assert text == json.dumps(json_report.as_dict(report), indent=2) + "\n"

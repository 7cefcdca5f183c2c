"""Findings are compact records (issue 18 item 4) that keep the Finding API: constructor keywords,
attributes read and written, equality, pickling (the parallel run sends them between processes),
to_dict and sort_key."""

from __future__ import annotations

import pickle
import sys

from lakelint.core.model import Finding


def _finding(**extra) -> Finding:
    fields = dict(check="LL101", name="s3-block-public-access", severity="high",
                  message="".join(["BlockPublicPolicy ", "is false"]), source="template", resource="Raw",
                  resource_type="AWS::S3::Bucket", file="t.yaml", line=4, column=7, condition="IsProd")
    return Finding(**{**fields, **extra})


def test_the_api_of_the_dataclass_it_replaces():
    f = _finding()
    assert (f.arn, f.account, f.region, f.fix, f.suppression_reason) == (None,) * 5
    f.suppressed, f.suppression_reason = True, "accepted"
    f.account = "123456789012"
    assert (f.suppressed, f.suppression_reason, f.account) == (True, "accepted", "123456789012")
    assert f == pickle.loads(pickle.dumps(f)) and f != _finding()
    assert f.to_dict()["suppression_reason"] == "accepted" and "account" not in f.to_dict()  # template source
    assert f.sort_key() == ("t.yaml", 4, 7, "LL101", "Raw", "123456789012", "", "BlockPublicPolicy is false")
    live = _finding(source="live", arn="arn:aws:s3:::raw", account="1", region="eu-west-1")
    assert live.to_dict()["arn"] == "arn:aws:s3:::raw" and live.to_dict()["region"] == "eu-west-1"
    assert "Finding(check='LL101'" in repr(f)


def test_a_finding_is_small_and_shares_its_texts():
    a, b = _finding(), _finding()
    assert a.message is b.message  # built separately, one string
    c, d = pickle.loads(pickle.dumps(a)), pickle.loads(pickle.dumps(b))  # as a worker's results arrive
    assert c.message is a.message and d.condition is a.condition
    assert not hasattr(a, "__dict__")
    assert sys.getsizeof(a) <= 8 * 10 + 32  # ten slots; the dataclass it replaces held twenty-two


def test_findings_of_one_check_share_what_it_decides_and_change_alone():
    """Code, name, severity, source, verdict, resource type and whether suppressed are one tuple that
    all findings with the same values share; setting one of them on a finding changes that one only."""
    a, b = _finding(line=1), _finding(line=2)
    assert a._kind is b._kind
    b.suppressed, b.source, b.severity = True, "live", "low"
    assert (a.suppressed, a.source, a.severity) == (False, "template", "high")
    assert (b.suppressed, b.source, b.severity, b.check, b.resource_type) == (
        True, "live", "low", "LL101", "AWS::S3::Bucket")
    b.suppressed, b.source, b.severity = False, "template", "high"
    assert b._kind is a._kind and b == _finding(line=2)


def test_findings_are_sorted_file_by_file_exactly_as_one_sort_would():
    import random

    from lakelint.core.engine import sort_findings

    rng = random.Random(18)
    findings = [_finding(file=rng.choice([None, "", "b.yaml", "a.yaml", "a/b.yaml", "A.yaml"]),
                         line=rng.choice([None, 1, 2, 3]), check=rng.choice(["LL101", "LL102"]),
                         message=rng.choice(["x", "y"])) for _ in range(2000)]
    expected = sorted(findings, key=Finding.sort_key)
    got = list(findings)
    sort_findings(got)
    assert [id(f) for f in got] == [id(f) for f in expected]  # same order, ties in the same order too


def test_a_plain_lint_keeps_only_the_summary_of_each_fix(tmp_path):
    """Without --fix, --diff or SARIF, no edit is made or shown: each finding keeps what the reports say
    of its fix (a FixSummary), not its intents and values, which took most of a 10,000-template run's
    memory. The reports are the same either way, the count of fixes included."""
    from lakelint.core.config import Config
    from lakelint.core.registry import load_checks
    from lakelint.fixes.intents import Fix, FixSummary
    from lakelint.reporters import render
    from lakelint.runs.templates import lint_templates

    template = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: lake-raw-0001\n"
    for name in ("a.yaml", "b.yaml"):  # the same bucket name in two files: two fixes, not one
        (tmp_path / name).write_text(template)
    specs = load_checks(plugins=False)
    full = lint_templates([str(tmp_path)], Config(), specs, jobs=1)
    slim = lint_templates([str(tmp_path)], Config(), specs, jobs=1, fix_edits=False)
    fixes = [f.fix for f in slim.findings if f.fix is not None]
    assert fixes and all(isinstance(fix, FixSummary) and fix.intents == () for fix in fixes)
    assert all(isinstance(f.fix, Fix) for f in full.findings if f.fix is not None)
    for fmt in ("json", "text", "junit", "gitlab", "github"):
        assert render(slim, fmt) == render(full, fmt), fmt
    summary = render(full, "text").splitlines()[-1]
    per_file = {f.fix.key for f in full.findings
                if f.fix is not None and f.fix.safety == "safe" and f.file.endswith("a.yaml")}
    assert f"{2 * len(per_file)} fixable with lakelint --fix" in summary, summary
    restored = pickle.loads(pickle.dumps(slim.findings[0]))  # as a worker's results arrive
    assert restored == slim.findings[0] and restored.fix.to_dict() == full.findings[0].fix.to_dict()


def test_a_plain_lint_holds_each_distinct_fix_summary_once(tmp_path):
    """Equal fix summaries are one object, in one process and when workers send them back (issue 18:
    10,000 templates repeat a few hundred summaries 150,000 times); the reports do not change."""
    from lakelint.core.config import Config
    from lakelint.core.registry import load_checks
    from lakelint.reporters import render
    from lakelint.runs.templates import lint_templates

    template = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: lake-raw-0001\n"
    for index in range(4):
        (tmp_path / f"t{index}.yaml").write_text(template)
    specs = load_checks(plugins=False)
    full = lint_templates([str(tmp_path)], Config(), specs, jobs=1)
    for jobs in (1, 2):
        slim = lint_templates([str(tmp_path)], Config(), specs, jobs=jobs, fix_edits=False)
        fixes = [f.fix for f in slim.findings if f.fix is not None]
        assert len({id(fix) for fix in fixes}) == len(set(fixes)) < len(fixes), jobs
        for fmt in ("json", "text"):
            assert render(slim, fmt) == render(full, fmt), (jobs, fmt)

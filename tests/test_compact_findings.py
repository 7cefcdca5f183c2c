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
    assert sys.getsizeof(a) <= 8 * 15 + 32  # fifteen slots; the dataclass it replaces held nineteen


def test_findings_are_sorted_file_by_file_exactly_as_one_sort_would():
    import random

    from lakelint.core.engine import sorted_findings

    rng = random.Random(18)
    findings = [_finding(file=rng.choice([None, "", "b.yaml", "a.yaml", "a/b.yaml", "A.yaml"]),
                         line=rng.choice([None, 1, 2, 3]), check=rng.choice(["LL101", "LL102"]),
                         message=rng.choice(["x", "y"])) for _ in range(2000)]
    expected = sorted(findings, key=Finding.sort_key)
    got = sorted_findings(findings)
    assert [id(f) for f in got] == [id(f) for f in expected]  # same order, ties in the same order too

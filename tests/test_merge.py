"""``lakelint merge``: version-1 JSON reports into one report in any format, identical findings once,
the summary and the exit code recomputed, bad inputs refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lakelint.cli import main

SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _finding(check="LL102", resource="lake-raw", account="111122223333", severity="high", **extra) -> dict:
    data = {"check": check, "name": "s3-sse-kms", "severity": severity, "message": f"{check} on {resource}",
            "source": "live", "resource": resource, "resource_type": "AWS::S3::Bucket", "file": None, "line": None,
            "column": None, "condition": None, "suppressed": False, "suppression_reason": None, "verdict": "fail",
            "arn": f"arn:aws:s3:::{resource}", "account": account, "region": "us-east-1"}
    data.update(extra)
    return data


def _report(findings=(), errors=(), accounts=None, files=0, resources=1, version="1.0.0") -> dict:
    findings, errors = list(findings), list(errors)
    data = {"version": 1, "tool": {"name": "lakelint", "version": version},
            "summary": {"files": files, "resources": resources, "findings": len(findings), "suppressed": 0,
                        "errors": len(errors), "unverifiable": 0, "unverifiable_ignored": 0},
            "findings": findings, "errors": errors}
    if accounts is not None:
        data["accounts"] = [{"account": a, "account_name": None, "ou_path": None, "state": None, "scanned": True,
                             "resources": resources, "regions": ["us-east-1"]} for a in accounts]
    return data


def _write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def _merge(capsys, *args) -> tuple:
    code = main(["merge", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_findings_are_merged_once_in_order_and_the_summary_recomputed(tmp_path, capsys):
    shared = _finding("LL101", "shared-vpce", account="333344445555", extra_key={"kept": True})
    one = _write(tmp_path, "1.json", _report([_finding(account="222233334444"), shared], accounts=["222233334444"]))
    two = _write(tmp_path, "2.json", _report([shared, _finding("LL103", account="111122223333", severity="medium")],
                                             accounts=["111122223333", "333344445555"]))
    code, out, _ = _merge(capsys, one, two, "-f", "json")
    merged = json.loads(out)
    assert code == 1
    assert [(f["account"], f["check"]) for f in merged["findings"]] == [
        ("111122223333", "LL103"), ("222233334444", "LL102"), ("333344445555", "LL101")]
    assert merged["findings"][2]["extra_key"] == {"kept": True}  # keys this lakelint does not know survive
    assert merged["summary"] == {"files": 0, "resources": 3, "findings": 3, "suppressed": 0, "errors": 0,
                                 "unverifiable": 0, "unverifiable_ignored": 0, "accounts": 3}
    assert [a["account"] for a in merged["accounts"]] == ["111122223333", "222233334444", "333344445555"]
    code, again, _ = _merge(capsys, two, one, "-f", "json")
    assert again == out  # the order of the reports does not matter


def test_the_exit_code_is_recomputed_with_fail_on(tmp_path, capsys):
    path = _write(tmp_path, "1.json", _report([_finding("LL103", severity="medium")]))
    assert _merge(capsys, path)[0] == 1
    assert _merge(capsys, path, "--fail-on", "high")[0] == 0
    assert _merge(capsys, path, "--fail-on", "never")[0] == 0
    (tmp_path / ".lakelint.yaml").write_text("fail-on: high\n", encoding="utf-8")
    assert _merge(capsys, path, "--config", str(tmp_path / ".lakelint.yaml"))[0] == 0
    errors = _write(tmp_path, "2.json", _report(errors=[{"file": None, "line": None, "column": None,
                                                          "message": "account 111122223333 was not scanned: x",
                                                          "account": "111122223333"}]))
    code, out, _ = _merge(capsys, path, errors, "--fail-on", "never")
    assert code == 2 and "was not scanned" in out  # an incomplete shard makes the merge incomplete


def test_template_reports_merge_too(tmp_path, capsys):
    def template_finding(file, line):
        return {"check": "LL102", "name": "s3-sse-kms", "severity": "high", "message": "m", "source": "template",
                "resource": "Raw", "resource_type": "AWS::S3::Bucket", "file": file, "line": line, "column": 5,
                "condition": None, "suppressed": False, "suppression_reason": None, "verdict": "fail"}
    one = _write(tmp_path, "1.json", _report([template_finding("b.yaml", 3)], files=2, resources=4))
    two = _write(tmp_path, "2.json", _report([template_finding("a.yaml", 9)], files=3, resources=5))
    code, out, _ = _merge(capsys, one, two, "-f", "json")
    merged = json.loads(out)
    assert [f["file"] for f in merged["findings"]] == ["a.yaml", "b.yaml"]
    assert merged["summary"]["files"] == 5 and merged["summary"]["resources"] == 9 and "accounts" not in merged


def test_every_format_renders_and_sarif_is_valid(tmp_path, capsys):
    path = _write(tmp_path, "1.json", _report([_finding(), _finding("LL999", "other", account="222233334444")],
                                              accounts=["111122223333", "222233334444"]))
    for fmt in ("text", "json", "sarif", "github", "junit", "gitlab"):
        output = tmp_path / f"merged.{fmt}"
        assert main(["merge", path, "-f", fmt, "-o", str(output)]) == 1, fmt
        assert output.stat().st_size > 0
    sarif = json.loads((tmp_path / "merged.sarif").read_text())
    jsonschema.validate(sarif, SCHEMA)
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == {"LL102", "LL999"}  # stand-in for LL999
    text = (tmp_path / "merged.text").read_text()
    assert text.index("Account 111122223333") < text.index("Account 222233334444")
    assert "in 2 accounts" in text


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    (json.dumps({"version": 1, "tool": {"name": "checkov"}}), "not a lakelint JSON report"),
    (json.dumps([1, 2]), "not a lakelint JSON report"),
    (json.dumps({**_report(), "version": 2}), "a report of version 2; lakelint merge reads version 1"),
    (json.dumps({k: v for k, v in _report().items() if k != "findings"}), "\"findings\" is missing"),
    (json.dumps({**_report(), "findings": [{"check": "LL1"}]}), "finding 1 is not an object with a check"),
    (json.dumps({**_report(), "accounts": [{"id": 1}]}), "\"accounts\" is not a list"),
])
def test_a_file_that_is_not_a_version_1_report_is_refused_by_name(tmp_path, capsys, content, message):
    good = _write(tmp_path, "good.json", _report([_finding()]))
    bad = _write(tmp_path, "bad.json", content)
    out = tmp_path / "merged.json"
    code, _, err = _merge(capsys, good, bad, "-o", str(out))
    assert code == 2 and f"{bad}: " in err and message in err
    assert not out.exists()


def test_missing_files_folders_and_no_reports(tmp_path, capsys):
    code, _, err = _merge(capsys, str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read it" in err
    code, _, err = _merge(capsys, str(tmp_path))
    assert code == 2 and "is a directory" in err
    with pytest.raises(SystemExit) as stopped:  # argparse's usage error, exit code 2 as for any bad usage
        main(["merge"])
    assert stopped.value.code == 2 and "REPORT.json" in capsys.readouterr().err


def test_the_output_may_not_overwrite_a_report_it_reads(tmp_path, capsys):
    path = _write(tmp_path, "1.json", _report([_finding()]))
    before = Path(path).read_text()
    code, _, err = _merge(capsys, path, "-o", path)
    assert code == 2 and "a report this merge reads" in err
    assert Path(path).read_text() == before


def test_a_folder_named_merge_is_still_linted_by_its_path(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "merge").mkdir()
    (tmp_path / "merge" / "lake.yaml").write_text(
        "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n", encoding="utf-8")
    assert main(["./merge", "--select", "LL102"]) == 1
    assert "LL102" in capsys.readouterr().out

"""``lakelint merge REPORT.json ...``: one report from the version-1 JSON reports of shards or separate runs.

The shards of a ``--shard K/N`` matrix each write a JSON report; the merge job reads them all and
writes one report in any format, with the exit code recomputed (``--fail-on``, else the
configuration's ``fail-on``). Findings and errors that are identical in every key are kept once (two
runs that both scanned an account, a VPC endpoint shared into two accounts); everything else is kept
as each report wrote it, keys this lakelint does not know included. The order is a run's
(org_report.py), so the merge of N shards is the report of one run over the same accounts. The
summary is recomputed from what was merged: ``files`` and ``unverifiable_ignored`` are summed,
``resources`` summed once per account where the reports list their accounts.

A file that is not a lakelint JSON report of version 1 is refused by name (exit code 2), before
anything is written.
"""

from __future__ import annotations

import json
import os

from lakelint import __version__
from lakelint.core.model import ErrorEntry, Finding, Report
from lakelint.runs.org_report import AccountStatus, OrgReport, finding_order, ordered_errors, unique

MAX_REPORT_SIZE = 2 * 1024 ** 3  # a report larger than this is not one lakelint wrote
FINDING_FIELDS = ("check", "name", "severity", "message", "source", "resource", "resource_type", "file", "line",
                  "column", "condition", "suppressed", "suppression_reason", "arn", "account", "region", "verdict",
                  "account_name", "ou_path")
ERROR_FIELDS = ("message", "file", "line", "column", "check", "resource", "api_call", "iam_action", "account")


class MergeError(Exception):
    """A report cannot be read or is not a lakelint JSON report of version 1."""


class MergedFinding(Finding):
    """A finding read from a report: it is written back exactly as it was read."""

    __slots__ = ("written",)

    def __init__(self, *args, written: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.written = written

    def to_dict(self) -> dict:
        return dict(self.written)


class MergedError(ErrorEntry):
    """An error read from a report: it is written back exactly as it was read."""

    __slots__ = ("written",)
    _fields = ErrorEntry._fields + ("written",)

    def __init__(self, *args, written: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.written = written

    def to_dict(self) -> dict:
        return dict(self.written)


def read_report(path: str) -> dict:
    """One report's JSON, checked to be a lakelint report of version 1 (``MergeError`` otherwise)."""
    try:
        if os.path.isdir(path):
            raise MergeError(f"{path}: is a directory, not a JSON report")
        if os.path.getsize(path) > MAX_REPORT_SIZE:
            raise MergeError(f"{path}: larger than {MAX_REPORT_SIZE} bytes, not a lakelint report")
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except OSError as exc:
        raise MergeError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise MergeError(f"{path}: not UTF-8 text, so not a lakelint JSON report") from None
    except ValueError as exc:
        raise MergeError(f"{path}: not JSON ({exc}): merge reads the reports of lakelint -f json") from None
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "lakelint":
        raise MergeError(f"{path}: not a lakelint JSON report (no \"tool\": {{\"name\": \"lakelint\"}})")
    if data.get("version") != 1:
        raise MergeError(f"{path}: a report of version {data.get('version')!r}; lakelint merge reads version 1")
    for key, kind in (("summary", dict), ("findings", list), ("errors", list)):
        if not isinstance(data.get(key), kind):
            raise MergeError(f"{path}: \"{key}\" is missing or not a{'n object' if kind is dict else ' list'}")
    for index, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("check", "message")):
            raise MergeError(f"{path}: finding {index + 1} is not an object with a check and a message")
    for index, item in enumerate(data["errors"]):
        if not isinstance(item, dict) or not isinstance(item.get("message"), str):
            raise MergeError(f"{path}: error {index + 1} is not an object with a message")
    accounts = data.get("accounts")
    if accounts is not None and not (isinstance(accounts, list) and all(
            isinstance(a, dict) and isinstance(a.get("account"), str) for a in accounts)):
        raise MergeError(f"{path}: \"accounts\" is not a list of objects with an account id")
    return data


def _finding(data: dict) -> MergedFinding:
    values = {key: data.get(key) for key in FINDING_FIELDS}
    values["suppressed"] = bool(values["suppressed"])
    values["verdict"] = values["verdict"] or "fail"
    values["source"] = values["source"] or "template"
    return MergedFinding(**values, written=data)


def _error(data: dict) -> MergedError:
    return MergedError(**{key: data.get(key) for key in ERROR_FIELDS}, written=data)


def _number(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def merge_reports(paths, specs=(), fail_on: str = "low", unverifiable: str = "fail") -> tuple[Report, list]:
    """The merged report of ``paths``, and notes for stderr. ``specs``: the loaded checks (SARIF
    rules and JUnit need their metadata; a check no longer known gets a stand-in rule)."""
    if not paths:
        raise MergeError("name the JSON reports to merge: lakelint merge shard-1.json shard-2.json ...")
    reports = [read_report(path) for path in paths]
    notes = []
    versions = sorted({str((r.get("tool") or {}).get("version")) for r in reports})
    if len(versions) > 1:
        notes.append(f"the reports come from different lakelint versions ({', '.join(versions)})")
    findings = sorted(unique(_finding(f) for r in reports for f in r["findings"]), key=finding_order)
    errors = ordered_errors(_error(e) for r in reports for e in r["errors"])
    codes = {f.check for f in findings}
    checks = [spec for spec in specs if spec.code in codes]
    files = sum(_number((r["summary"]).get("files")) for r in reports)
    ignored = sum(_number((r["summary"]).get("unverifiable_ignored")) for r in reports)
    listed = [r for r in reports if isinstance(r.get("accounts"), list)]
    if not listed:
        report = Report(findings=findings, errors=errors, files=files, checks=checks, tool_version=__version__,
                        resources=sum(_number(r["summary"].get("resources")) for r in reports), fail_on=fail_on)
    else:
        accounts = {}
        for r in listed:
            for status in (AccountStatus.from_dict(a) for a in r["accounts"]):
                if status.account not in accounts or (status.scanned and not accounts[status.account].scanned):
                    accounts[status.account] = status
        resources = sum(a.resources for a in accounts.values())
        resources += sum(_number(r["summary"].get("resources")) for r in reports if r not in listed)
        report = OrgReport(findings=findings, errors=errors, files=files, resources=resources, checks=checks,
                           tool_version=__version__, fail_on=fail_on,
                           accounts=sorted(accounts.values(), key=lambda a: a.account))
    report.unverifiable = unverifiable
    report.unverifiable_ignored = ignored
    return report, notes

"""``--statistics``: how many active findings each check produced, like ruff's ``--statistics``.

Rows are sorted by count (most first), then by code. A check whose findings carry different
severities (a check may raise or lower one finding's) shows the highest; unverifiable findings are
counted apart too, so a team can see how much of a check's count the templates could not prove.
"""

from __future__ import annotations

RANK = {"low": 1, "medium": 2, "high": 3}


def statistics(report) -> list:
    rows = {}
    for finding in report.active_findings:
        row = rows.setdefault(finding.check, {"check": finding.check, "name": finding.name,
                                              "severity": finding.severity, "count": 0, "unverifiable": 0})
        row["count"] += 1
        row["unverifiable"] += finding.verdict == "unverifiable"
        if RANK.get(finding.severity, 0) > RANK.get(row["severity"], 0):
            row["severity"] = finding.severity
    return sorted(rows.values(), key=lambda row: (-row["count"], row["check"]))


def table(rows) -> list:
    """The rows as aligned text lines: ``count  code  severity  name  (n unverifiable)``."""
    if not rows:
        return []
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["check"]) for row in rows)
    severity_width = max(len(row["severity"] or "") for row in rows) + 2
    lines = []
    for row in rows:
        extra = f"  ({row['unverifiable']} unverifiable)" if row["unverifiable"] else ""
        severity = f"[{row['severity']}]"
        lines.append(f"{row['count']:>{count_width}}  {row['check']:<{code_width}}  "
                     f"{severity:<{severity_width}}  {row['name']}{extra}")
    return lines


def multi_account(report) -> bool:
    """Whether the report is about several accounts: a multi-account live run (or a merge of them),
    which lists its ``accounts``, or findings from more than one account."""
    if getattr(report, "accounts", None) is not None:
        return True
    accounts = set()
    for finding in report.findings:
        if finding.account:
            accounts.add(finding.account)
            if len(accounts) > 1:
                return True
    return False


def account_statistics(report) -> list | None:
    """``--statistics`` per account, worst first: findings by severity, unverifiable, suppressed and
    errors; every account of the run, clean ones included. None for a report about one account."""
    if not multi_account(report):
        return None
    rows = {}

    def row(account, name=None, ou_path=None):
        if account not in rows:
            rows[account] = {"account": account, "account_name": name, "ou_path": ou_path, "findings": 0, "high": 0,
                             "medium": 0, "low": 0, "unverifiable": 0, "suppressed": 0, "errors": 0}
        entry = rows[account]
        entry["account_name"] = entry["account_name"] or name
        entry["ou_path"] = entry["ou_path"] or ou_path
        return entry

    for status in getattr(report, "accounts", None) or []:
        row(status.account, status.name, status.ou_path)
    for finding in report.findings:
        entry = row(finding.account, getattr(finding, "account_name", None), getattr(finding, "ou_path", None))
        if finding.suppressed:
            entry["suppressed"] += 1
            continue
        entry["findings"] += 1
        if finding.severity in RANK:
            entry[finding.severity] += 1
        entry["unverifiable"] += finding.verdict == "unverifiable"
    for error in report.errors:
        if getattr(error, "account", None):
            row(error.account)["errors"] += 1
    return sorted(rows.values(), key=lambda r: (-r["findings"], -r["errors"], r["account"] or ""))


def account_table(rows) -> list:
    """The per-account rows as aligned text: ``findings  account  name  OU path  (details)``."""
    if not rows:
        return []
    count_width = max(len(str(r["findings"])) for r in rows)
    name_width = max(len(r["account_name"] or "") for r in rows)
    lines = []
    for r in rows:
        details = [f"{r[s]} {s}" for s in ("high", "medium", "low") if r[s]]
        details += [f"{r[k]} {k}" for k in ("unverifiable", "suppressed") if r[k]]
        if r["errors"]:
            details.append(f"{r['errors']} error{'s' if r['errors'] != 1 else ''}")
        text = f"{r['findings']:>{count_width}}  {r['account'] or '(no account)'}"
        if name_width:
            text += f"  {r['account_name'] or '':<{name_width}}"
        if r["ou_path"]:
            text += f"  {r['ou_path']}"
        if details:
            text += f"  ({', '.join(details)})"
        lines.append(text.rstrip())
    return lines

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

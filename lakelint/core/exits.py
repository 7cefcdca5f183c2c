"""Exit codes: the one place that decides what a run's result means to a CI gate (DESIGN section 4).

0: no finding at or above ``fail-on``; 1: findings; 2: the run was incomplete or misused (unparseable
or unreadable input, could-not-evaluate, bad arguments). 2 wins over 1.

Whether one finding counts toward the gate is decided here too (``gates``), so the exit code and the
reports that show it (JUnit's failures against its skipped cases) can never disagree: a suppressed
finding never gates, one below ``fail-on`` never gates, and an unverifiable one (the template cannot
prove compliance, DESIGN section 11) gates only under ``unverifiable: fail``, the default.
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_INCOMPLETE = 0, 1, 2
SEVERITY_ORDER = {"low": 1, "medium": 2, "high": 3, "never": 99}
UNVERIFIABLE_POLICIES = ("fail", "warn", "ignore")


def gates(finding, fail_on: str, unverifiable: str = "fail") -> bool:
    """Does ``finding`` make the exit code 1?"""
    if finding.suppressed:
        return False
    if getattr(finding, "verdict", "fail") == "unverifiable" and unverifiable != "fail":
        return False
    return SEVERITY_ORDER.get(finding.severity, SEVERITY_ORDER["high"]) >= SEVERITY_ORDER[fail_on]


def why_not_gating(finding, fail_on: str, unverifiable: str = "fail") -> str | None:
    """Why an active finding does not gate, in words for a report; None when it gates."""
    if finding.suppressed or gates(finding, fail_on, unverifiable):
        return None
    if getattr(finding, "verdict", "fail") == "unverifiable" and unverifiable != "fail":
        return f"unverifiable findings do not gate (unverifiable: {unverifiable})"
    return f"{finding.severity} is below fail-on {fail_on}"


def exit_code(findings, errors, fail_on: str, unverifiable: str = "fail") -> int:
    if errors:
        return EXIT_INCOMPLETE
    if any(gates(f, fail_on, unverifiable) for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def report_exit_code(report) -> int:
    """The exit code of a finished ``Report``, under the policies it was run with."""
    return exit_code(report.findings, report.errors, report.fail_on, report.unverifiable)

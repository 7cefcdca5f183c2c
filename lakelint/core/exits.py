"""Exit codes: the one place that decides what a run's result means to a CI gate (DESIGN section 4).

0: no finding at or above ``fail-on``; 1: findings; 2: the run was incomplete or misused (unparseable
or unreadable input, could-not-evaluate, bad arguments). 2 wins over 1.
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_INCOMPLETE = 0, 1, 2
SEVERITY_ORDER = {"low": 1, "medium": 2, "high": 3, "never": 99}


def exit_code(findings, errors, fail_on: str) -> int:
    if errors:
        return EXIT_INCOMPLETE
    threshold = SEVERITY_ORDER[fail_on]
    if any(not f.suppressed and SEVERITY_ORDER[f.severity] >= threshold for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK

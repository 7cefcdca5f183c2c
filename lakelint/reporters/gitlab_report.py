"""GitLab Code Quality: the JSON file ``artifacts:reports:codequality`` reads, which GitLab shows in the
merge request widget (and, on higher tiers, in the changes view and the pipeline's Code Quality tab).

GitLab's documentation ("Code Quality", "Implement a custom tool") asks for a JSON array of objects
with exactly these properties, and ignores any other:

- ``description``: the finding, as the text report words it (code, name, message, resource), with
  "(unverifiable)" after the name when the template cannot prove compliance;
- ``check_name``: the check's code (``LL101``);
- ``fingerprint``: identifies the issue from one pipeline to the next, so the widget can say which
  issues a merge request adds or fixes. It is the SHA-256 of the check, the file, the resource and
  the property path (identity.py), never the line: moving a resource does not make a new issue.
  Findings that would share one get an ordinal, since GitLab shows identical fingerprints as one;
- ``severity``: GitLab's vocabulary: high ``critical``, medium ``major``, low ``minor``;
- ``location.path``: the file, relative to the repository root as lakelint shows it (run lakelint
  from the root); ``location.lines.begin``: its line.

Suppressed findings are left out (the format has no notion of an accepted issue). Errors of the run
are ``blocker`` issues (check_name ``lakelint-error``): a template that could not be judged must not
look like a clean one in the widget. Live findings have no file: their path is the ARN (or
account/region) and their line 1, so the report stays valid. The file starts with ``[``, never a
byte order mark, which GitLab's parser refuses.
"""

from __future__ import annotations

import hashlib

from lakelint.reporters.accounts import account_words
from lakelint.reporters.identity import unique_fingerprints
from lakelint.reporters.names import json_dumps

SEVERITIES = {"high": "critical", "medium": "major", "low": "minor"}
ERROR_SEVERITY = "blocker"
ERROR_CHECK = "lakelint-error"


def _path(item) -> str:
    if item.file:
        path = item.file.replace("\\", "/")
        while path.startswith("./"):
            path = path[2:]
        return path
    arn = getattr(item, "arn", None)
    if arn:
        return arn
    return "/".join(p for p in (getattr(item, "account", None), getattr(item, "region", None)) if p) or "lakelint"


def _issue(description: str, check_name: str, fingerprint: str, severity: str, path: str, line) -> dict:
    return {
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": int(line) if line else 1}},
    }


def _description(finding) -> str:
    verdict = " (unverifiable)" if finding.verdict == "unverifiable" else ""
    resource = f" ({finding.resource})" if finding.resource else ""
    account = account_words(finding) if finding.source == "live" else None
    where = f" in account {account}" if account else ""
    return f"{finding.check} {finding.name}{verdict}: {finding.message}{resource}{where}"


def _error_fingerprint(error) -> str:
    parts = (ERROR_CHECK, error.file or "", error.check or "", error.resource or "", error.message)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def issues(report) -> list:
    active = [f for f in report.findings if not f.suppressed]
    found = [_issue(_description(f), f.check, print_, SEVERITIES.get(f.severity, "major"), _path(f), f.line)
             for f, print_ in zip(active, unique_fingerprints(active))]
    errors = [_issue(f"lakelint could not judge this: {e.message}", ERROR_CHECK, _error_fingerprint(e),
                     ERROR_SEVERITY, _path(e), e.line) for e in report.errors]
    return errors + found


def render(report, options=None) -> str:
    return json_dumps(issues(report), indent=2) + "\n"

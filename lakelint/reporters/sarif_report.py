"""SARIF 2.1.0, the format GitHub code scanning, Azure DevOps and most security dashboards read.

One run per report. The rules are the checks that ran, rendered from the checks' own metadata and
docs (the same text ``lakelint --explain`` prints). Results point at the template line through
``%SRCROOT%``-relative URIs, or, for live findings, at the AWS resource through a logical location.
Suppressed findings stay in the log with an ``inSource`` suppression so audits see them; errors are
tool execution notifications and make ``executionSuccessful`` false.

The output is deterministic (no timestamps, no absolute paths added, stable ordering) so that two
runs over the same files produce identical logs, and ``partialFingerprints`` do not depend on line
numbers, so code scanning keeps tracking an alert when lines above it move (see identity.py).

Verdicts: a failure is ``kind: "fail"`` with the level of its severity. An unverifiable finding (the
template cannot prove compliance) is ``kind: "open"``: SARIF's word for "the tool concluded that there
was insufficient information to decide whether a problem exists" (section 3.27.9), which is exactly
it; the same section makes ``level`` ``"none"`` for any kind but ``fail``. Both carry
``properties.verdict``. docs/output-formats.md says why ``open`` rather than ``review``.

``informationUri`` and each built-in rule's ``helpUri`` come from the ``Documentation`` project URL
of the installed package (links.py); without one they are left out, never invented.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from lakelint.reporters.frames import code_frame
from lakelint.reporters.identity import fingerprint, unique_fingerprints  # noqa: F401 (fingerprint: API)
from lakelint.reporters.links import check_url, documentation_url
from lakelint.reporters.names import json_dumps, uri_path
from lakelint.reporters.statistics import statistics

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_NAME = "lakelint/v1"

LEVELS = {"high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning ranks security alerts by this property: >= 7.0 is "high", >= 4.0 "medium",
# above 0.1 "low" (GitHub docs, "SARIF support for code scanning").
SECURITY_SEVERITY = {"high": "8.0", "medium": "5.0", "low": "3.0"}
# GitHub code scanning's limits on one SARIF run (GitHub docs, "SARIF results exceed limit"): it rejects a
# run of more than 25,000 results, and of the rest it stores at most 5,000, the most severe first.
GITHUB_REJECTS_OVER, GITHUB_STORES = 25_000, 5_000
AREAS = {
    "LL0": "lakelint", "LL1": "s3", "LL2": "network", "LL3": "account", "LL4": "storage",
    "LL5": "database", "LL6": "analytics", "LL7": "governance",
}


def github_limits(results: int) -> str | None:
    """What GitHub code scanning will do with a run of ``results`` results when it will not keep them
    all; None when it keeps every one. A log is also read by other tools, so this is said, not enforced."""
    if results > GITHUB_REJECTS_OVER:
        return (f"{results:,} results in one run: GitHub code scanning rejects a SARIF run of more than "
                f"{GITHUB_REJECTS_OVER:,} results")
    if results > GITHUB_STORES:
        return (f"{results:,} results in one run: GitHub code scanning stores at most {GITHUB_STORES:,} of them, "
                f"the most severe first, and drops the rest")
    return None


def _level(severity: str | None) -> str:
    return LEVELS.get(severity or "", "warning")


def _plain_text(markdown: str) -> str:
    """The help text without Markdown heading marks, for viewers that show ``help.text``."""
    return re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)


def _rule(spec, docs_url: str | None) -> dict:
    tags = ["security", "aws"]
    area = AREAS.get(spec.code[:3])
    if area:
        tags.append(area)
    tags += [f"source:{s}" for s in spec.sources]
    help_markdown = spec.help_markdown
    rule = {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.summary or spec.title},
        "help": {"text": _plain_text(help_markdown), "markdown": help_markdown},
        "defaultConfiguration": {"level": _level(spec.severity)},
        "properties": {
            "severity": spec.severity,
            "sources": list(spec.sources),
            "tags": tags,
            "security-severity": SECURITY_SEVERITY.get(spec.severity, "5.0"),
        },
    }
    if docs_url and getattr(spec, "origin", "built-in") == "built-in":  # a plugin's docs are not ours
        rule["helpUri"] = check_url(docs_url, spec.code)
    return rule


def _stand_in_rule(finding) -> dict:
    """A rule for a finding whose check is not among the report's checks (e.g. merged cfn-lint
    findings), so every result still has a valid ``ruleIndex``."""
    return {
        "id": finding.check,
        "name": finding.name,
        "shortDescription": {"text": finding.name or finding.check},
        "defaultConfiguration": {"level": _level(finding.severity)},
        "properties": {"severity": finding.severity,
                       "security-severity": SECURITY_SEVERITY.get(finding.severity, "5.0")},
    }


def artifact_location(path: str) -> dict:
    """A relative path becomes a ``%SRCROOT%``-relative URI reference; an absolute one a file URI."""
    if PureWindowsPath(path).drive or PurePosixPath(path).is_absolute():
        if PureWindowsPath(path).drive:
            return {"uri": PureWindowsPath(path).as_uri()}
        return {"uri": "file://" + uri_path(PurePosixPath(path).as_posix())}
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": uri_path(posix), "uriBaseId": SRCROOT}


def _physical(file: str, line, column, snippet: str | None = None) -> dict:
    physical = {"artifactLocation": artifact_location(file)}
    if line:
        region = {"startLine": int(line)}
        if column:
            region["startColumn"] = int(column)
        if snippet is not None:
            region["snippet"] = {"text": snippet}
        physical["region"] = region
    return physical


def _finding_locations(finding, snippet: str | None = None) -> list:
    location = {}
    if finding.file:
        location["physicalLocation"] = _physical(finding.file, finding.line, finding.column, snippet)
    if finding.resource or finding.arn:
        logical = {"name": finding.resource or finding.arn, "kind": "resource"}
        if finding.arn:
            logical["fullyQualifiedName"] = finding.arn
        location["logicalLocations"] = [logical]
    return [location] if location else []


def _snippet(finding, options) -> str | None:
    """``--show-source``: the offending line, as SARIF's ``region.snippet``."""
    if options is None or not options.show_source or options.source_lines is None or not finding.file:
        return None
    lines = options.source_lines(finding.file)
    if not code_frame(lines, finding.line, finding.column):
        return None
    return lines[finding.line - 1].rstrip("\r\n")


def _result(finding, rule_index: int, print_: str, options=None) -> dict:
    resource = f" ({finding.resource})" if finding.resource else ""
    unverifiable = finding.verdict == "unverifiable"
    result = {
        "ruleId": finding.check,
        "ruleIndex": rule_index,
        "kind": "open" if unverifiable else "fail",
        "level": "none" if unverifiable else _level(finding.severity),  # SARIF 3.27.10
        "message": {"text": f"{finding.message}{resource}"},
    }
    locations = _finding_locations(finding, _snippet(finding, options))
    if locations:
        result["locations"] = locations
    result["partialFingerprints"] = {FINGERPRINT_NAME: print_}
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                   "justification": finding.suppression_reason or ""}]
    properties = {"severity": finding.severity, "source": finding.source, "verdict": finding.verdict}
    for key, value in (("resource", finding.resource), ("resourceType", finding.resource_type),
                       ("condition", finding.condition)):
        if value is not None:
            properties[key] = value
    if finding.source == "live":
        properties["account"] = finding.account
        properties["region"] = finding.region
        for key, value in (("accountName", finding.account_name), ("ouPath", finding.ou_path)):
            if value is not None:  # a multi-account run, where AWS Organizations says them
                properties[key] = value
    if finding.drift is not None:  # both sides of a --compare finding, as the JSON report has them
        properties["drift"] = finding.drift
    fixes = _fixes(finding)
    if fixes:
        result["fixes"] = fixes
    result["properties"] = properties
    return result


def _fixes(finding) -> list:
    """SARIF ``fixes``: the fix's text edits on the finding's file, so code scanning and editors can
    offer it (an unsafe fix says so in its description)."""
    fix = finding.fix
    if fix is None or not fix.applicable or not fix.replacements or not finding.file:
        return []
    changes = [{"deletedRegion": {"startLine": r.start_line, "startColumn": r.start_column,
                                  "endLine": r.end_line, "endColumn": r.end_column},
                "insertedContent": {"text": r.inserted}} for r in fix.replacements]
    note = "" if fix.safety == "safe" else " (unsafe: it may change how the stack behaves)"
    return [{"description": {"text": fix.description + note},
             "artifactChanges": [{"artifactLocation": artifact_location(finding.file), "replacements": changes}]}]


def _notification(error) -> dict:
    notification = {"level": "error", "message": {"text": error.message}}
    location = {}
    if error.file:
        location["physicalLocation"] = _physical(error.file, error.line, error.column)
    if error.resource:
        location["logicalLocations"] = [{"name": error.resource, "kind": "resource"}]
    if location:
        notification["locations"] = [location]
    if error.check:
        notification["associatedRule"] = {"id": error.check}
    properties = {k: v for k, v in (("apiCall", error.api_call), ("iamAction", error.iam_action)) if v}
    if properties:
        notification["properties"] = properties
    return notification


def as_dict(report, options=None) -> dict:
    run, index = _run(report, options)
    run["results"] = list(_results(report, index, options))
    return _document(run)


def _document(run: dict) -> dict:
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _run(report, options) -> tuple:
    """(the run object with its results left empty, each rule id's index in its rules)."""
    docs_url = documentation_url()
    rules = [_rule(spec, docs_url) for spec in sorted(report.checks, key=lambda s: s.code)]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    for finding in report.findings:
        if finding.check not in index:
            index[finding.check] = len(rules)
            rules.append(_stand_in_rule(finding))
    invocation = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [_notification(e) for e in report.errors]
    driver = {"name": "lakelint", "version": report.tool_version, "semanticVersion": report.tool_version}
    if docs_url:
        driver["informationUri"] = docs_url
    driver["rules"] = rules
    properties = {"summary": report.summary()}
    if options is not None and options.statistics:
        properties["statistics"] = statistics(report)
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [],
        "properties": properties,
    }
    return run, index


def _results(report, index: dict, options):
    """Each finding's result, in the report's order, with its fingerprint (unique in the run)."""
    prints = unique_fingerprints(report.findings)
    for finding, print_ in zip(report.findings, prints):
        yield _result(finding, index[finding.check], print_, options)


# The run's own keys stand at this indentation in the indented document, and nothing else does: its
# results are written there one at a time.
_RESULTS = '\n      "results": []'
_RESULT_INDENT = "\n" + " " * 8


def chunks(report, options=None):
    """The log piece by piece, one result at a time, byte for byte what ``render`` gives: a run of
    10,000 templates has ~250,000 results, which as one document of dicts and one string took GBs."""
    run, index = _run(report, options)
    head, tail = json_dumps(_document(run), indent=2).split(_RESULTS)
    if not report.findings:
        yield head + _RESULTS
    else:
        yield head + _RESULTS[:-1]
        for number, result in enumerate(_results(report, index, options)):
            text = json_dumps(result, indent=2)
            yield ("" if number == 0 else ",") + _RESULT_INDENT + text.replace("\n", _RESULT_INDENT)
        yield "\n      ]"
    yield tail + "\n"


def render(report, options=None) -> str:
    return "".join(chunks(report, options))

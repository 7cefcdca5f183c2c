"""SARIF 2.1.0, the format GitHub code scanning, Azure DevOps and most security dashboards read.

One run per report. The rules are the checks that ran, rendered from the checks' own metadata and
docs (the same text ``lakelint --explain`` prints). Results point at the template line through
``%SRCROOT%``-relative URIs, or, for live findings, at the AWS resource through a logical location.
Suppressed findings stay in the log with an ``inSource`` suppression so audits see them; errors are
tool execution notifications and make ``executionSuccessful`` false.

The output is deterministic (no timestamps, no absolute paths added, stable ordering) so that two
runs over the same files produce identical logs, and ``partialFingerprints`` do not depend on line
numbers, so code scanning keeps tracking an alert when lines above it move.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/lakelint/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_NAME = "lakelint/v1"

LEVELS = {"high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning ranks security alerts by this property: >= 7.0 is "high", >= 4.0 "medium",
# above 0.1 "low" (GitHub docs, "SARIF support for code scanning").
SECURITY_SEVERITY = {"high": "8.0", "medium": "5.0", "low": "3.0"}
AREAS = {
    "LL0": "lakelint", "LL1": "s3", "LL2": "network", "LL3": "account", "LL4": "storage",
    "LL5": "database", "LL6": "analytics", "LL7": "governance",
}


def _level(severity: str | None) -> str:
    return LEVELS.get(severity or "", "warning")


def _plain_text(markdown: str) -> str:
    """The help text without Markdown heading marks, for viewers that show ``help.text``."""
    return re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)


def _rule(spec) -> dict:
    tags = ["security", "aws"]
    area = AREAS.get(spec.code[:3])
    if area:
        tags.append(area)
    tags += [f"source:{s}" for s in spec.sources]
    help_markdown = spec.help_markdown
    return {
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
        return {"uri": PurePosixPath(path).as_uri()}
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def _physical(file: str, line, column) -> dict:
    physical = {"artifactLocation": artifact_location(file)}
    if line:
        region = {"startLine": int(line)}
        if column:
            region["startColumn"] = int(column)
        physical["region"] = region
    return physical


def _finding_locations(finding) -> list:
    location = {}
    if finding.file:
        location["physicalLocation"] = _physical(finding.file, finding.line, finding.column)
    if finding.resource or finding.arn:
        logical = {"name": finding.resource or finding.arn, "kind": "resource"}
        if finding.arn:
            logical["fullyQualifiedName"] = finding.arn
        location["logicalLocations"] = [logical]
    return [location] if location else []


def fingerprint(finding) -> str:
    """Stable across line moves: the check, where (file, or the ARN/account/region when live), the
    resource and the property path. A finding without a property path falls back to its message,
    and a branch-specific finding keeps its condition, so distinct findings keep distinct alerts."""
    where = finding.file if finding.file else "|".join(
        p or "" for p in (finding.arn, finding.account, finding.region))
    detail = finding.fingerprint_key if finding.fingerprint_key else f"message:{finding.message}"
    parts = (finding.check, where or "", finding.resource or "", detail, finding.condition or "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _result(finding, rule_index: int) -> dict:
    resource = f" ({finding.resource})" if finding.resource else ""
    result = {
        "ruleId": finding.check,
        "ruleIndex": rule_index,
        "level": _level(finding.severity),
        "message": {"text": f"{finding.message}{resource}"},
    }
    locations = _finding_locations(finding)
    if locations:
        result["locations"] = locations
    result["partialFingerprints"] = {FINGERPRINT_NAME: fingerprint(finding)}
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                   "justification": finding.suppression_reason or ""}]
    properties = {"severity": finding.severity, "source": finding.source}
    for key, value in (("resource", finding.resource), ("resourceType", finding.resource_type),
                       ("condition", finding.condition)):
        if value is not None:
            properties[key] = value
    if finding.source == "live":
        properties["account"] = finding.account
        properties["region"] = finding.region
    result["properties"] = properties
    return result


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


def as_dict(report) -> dict:
    rules = [_rule(spec) for spec in sorted(report.checks, key=lambda s: s.code)]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    for finding in report.findings:
        if finding.check not in index:
            index[finding.check] = len(rules)
            rules.append(_stand_in_rule(finding))
    results = [_result(f, index[f.check]) for f in report.findings]
    invocation = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [_notification(e) for e in report.errors]
    run = {
        "tool": {"driver": {
            "name": "lakelint",
            "version": report.tool_version,
            "semanticVersion": report.tool_version,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"summary": report.summary()},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"

"""JUnit XML, the test-report format GitLab merge requests and Jenkins show without a plugin.

The mapping: a ``<testsuite>`` per template file (live: per account and region), a ``<testcase>``
per finding with a ``<failure>`` whose type is the severity, a ``<testcase>`` per error with an
``<error>``, and one passing ``<testcase>`` for each file that produced nothing, so reviewers see
that the file was checked. Suppressed findings are ``<skipped>`` with their reason.

Built with ElementTree so every attribute and text node is escaped; characters XML 1.0 cannot hold
at all (most control characters) are replaced, since one stray byte would make the whole report
unreadable to the CI server.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RUN_SUITE = "lakelint"


def _clean(value) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


class _Suite:
    def __init__(self, name: str):
        self.name = name
        self.cases = []  # (element, outcome) with outcome failure / error / skipped / passed

    def add(self, case: ET.Element, outcome: str) -> None:
        self.cases.append((case, outcome))

    def element(self) -> ET.Element:
        counts = self.counts()
        suite = ET.Element("testsuite", {
            "name": _clean(self.name), "tests": str(counts["tests"]), "failures": str(counts["failures"]),
            "errors": str(counts["errors"]), "skipped": str(counts["skipped"]), "time": "0",
        })
        for case, _ in self.cases:
            suite.append(case)
        return suite

    def counts(self) -> dict:
        outcomes = [o for _, o in self.cases]
        return {"tests": len(outcomes), "failures": outcomes.count("failure"),
                "errors": outcomes.count("error"), "skipped": outcomes.count("skipped")}


def _case(classname: str, name: str, file: str | None = None) -> ET.Element:
    attrs = {"classname": _clean(classname), "name": _clean(name), "time": "0"}
    if file:
        attrs["file"] = _clean(file)
    return ET.Element("testcase", attrs)


def _suite_name(finding) -> str:
    if finding.file:
        return finding.file
    if finding.source == "live":
        return "/".join(p for p in (finding.account, finding.region) if p) or RUN_SUITE
    return RUN_SUITE


def _case_name(finding) -> str:
    parts = [finding.check]
    if finding.resource:
        parts.append(finding.resource)
    if finding.file and finding.line:
        parts.append(f"line {finding.line}")
    name = " ".join(parts)
    if finding.condition:
        name += f" ({finding.condition})"
    return name


def _details(finding) -> str:
    lines = [f"{finding.check} {finding.name} [{finding.severity}]: {finding.message}"]
    if finding.resource:
        kind = f" ({finding.resource_type})" if finding.resource_type else ""
        lines.append(f"resource: {finding.resource}{kind}")
    if finding.file:
        where = finding.file + "".join(f":{n}" for n in (finding.line, finding.column) if n)
        lines.append(f"location: {where}")
    if finding.arn:
        lines.append(f"arn: {finding.arn}")
    if finding.source == "live":
        lines.append(f"account: {finding.account}  region: {finding.region}")
    if finding.condition:
        lines.append(f"condition: {finding.condition}")
    lines.append(f"explain: lakelint --explain {finding.check}")
    return _clean("\n".join(lines))


def _finding_case(finding) -> tuple[ET.Element, str]:
    classname = finding.file or finding.account or RUN_SUITE
    case = _case(classname, _case_name(finding), finding.file)
    if finding.suppressed:
        ET.SubElement(case, "skipped", {"message": _clean(f"suppressed: {finding.suppression_reason or ''}")})
        return case, "skipped"
    failure = ET.SubElement(case, "failure", {"message": _clean(finding.message), "type": finding.severity})
    failure.text = _details(finding)
    return case, "failure"


def _error_case(error) -> ET.Element:
    parts = ["error"]
    if error.check:
        parts.append(error.check)
    if error.resource:
        parts.append(error.resource)
    if error.file and error.line:
        parts.append(f"line {error.line}")
    case = _case(error.file or RUN_SUITE, " ".join(parts), error.file)
    element = ET.SubElement(case, "error", {"message": _clean(error.message), "type": "error"})
    where = (error.file or "") + "".join(f":{n}" for n in (error.line, error.column) if n)
    details = [error.message] + ([f"location: {where}"] if where else [])
    details += [f"{label}: {value}" for label, value in (("api call", error.api_call), ("needs", error.iam_action))
                if value]
    element.text = _clean("\n".join(details))
    return case


def as_element(report) -> ET.Element:
    suites = {}

    def suite(name: str) -> _Suite:
        if name not in suites:
            suites[name] = _Suite(name)
        return suites[name]

    for path in getattr(report, "paths", None) or []:
        suite(path)
    for error in report.errors:
        suite(error.file or RUN_SUITE).add(_error_case(error), "error")
    for finding in report.findings:
        suite(_suite_name(finding)).add(*_finding_case(finding))
    for item in suites.values():
        if not item.cases:
            item.add(_case(item.name, "no findings", item.name if item.name != RUN_SUITE else None), "passed")

    ordered = [suites[name] for name in sorted(suites)]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for item in ordered:
        for key, value in item.counts().items():
            totals[key] += value
    root = ET.Element("testsuites", {"name": "lakelint", **{k: str(v) for k, v in totals.items()}, "time": "0"})
    for item in ordered:
        root.append(item.element())
    return root


def render(report) -> str:
    root = as_element(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

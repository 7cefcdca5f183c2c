"""JUnit XML, the test-report format GitLab merge requests and Jenkins show without a plugin.

The mapping: a ``<testsuite>`` per template file (live: per account and region), a ``<testcase>``
per finding, a ``<testcase>`` per error with an ``<error>``, and one passing ``<testcase>`` for each
file that produced nothing, so reviewers see that the file was checked.

A finding is a ``<failure>`` (type: its severity) exactly when it gates the exit code
(``lakelint.core.exits.gates``): a finding below ``--fail-on``, or an unverifiable one under
``--unverifiable warn``, is ``<skipped>`` with the reason and its details, so the test report fails
when, and only when, the run does. Skipped rather than passed because GitLab shows the text of a
skipped case and nothing of a passed one, and Jenkins lists skipped cases apart without failing
the build (docs/output-formats.md). Suppressed findings are ``<skipped>`` with their reason too.

Test-case names are unique within a suite: code, resource and line, then the property path (or the
message) when two findings share those, then an ordinal, so no CI server merges two findings into
one test.

Built with ElementTree so every attribute and text node is escaped; characters XML 1.0 cannot hold
at all (most control characters) are replaced, and the escaped bytes of a file name that is not
valid UTF-8 are written as ``\\xNN`` (names.py), since one stray byte would make the whole report
unreadable to the CI server.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from lakelint.core.exits import why_not_gating
from lakelint.reporters.accounts import account_words
from lakelint.reporters.frames import code_frame
from lakelint.reporters.names import readable

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RUN_SUITE = "lakelint"


def _clean(value) -> str:
    return _NOT_XML.sub("\ufffd", readable(str(value)))


class _Suite:
    def __init__(self, name: str):
        self.name = name
        self.cases = []  # (element, outcome) with outcome failure / error / skipped / passed
        self.details = []  # per case: what tells it apart from a case of the same name

    def add(self, case: ET.Element, outcome: str, detail: str = "") -> None:
        self.cases.append((case, outcome))
        self.details.append(detail)

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

    def make_names_unique(self) -> None:
        """Two cases of a suite never share a name: the second gets what tells it apart."""
        names = [case.get("name") for case, _ in self.cases]
        if len(set(names)) == len(names):
            return
        repeated = {name for name in names if names.count(name) > 1}
        seen = {}
        for (case, _), detail in zip(self.cases, self.details):
            name = case.get("name")
            if name in repeated and detail:
                name = f"{name} [{detail}]"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} #{seen[name]}"
            case.set("name", name)


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


def _details(finding, options=None) -> str:
    lines = [f"{finding.check} {finding.name} [{finding.severity}]: {finding.message}"]
    if finding.verdict == "unverifiable":
        lines.append("verdict: unverifiable (the template cannot prove compliance; see the message)")
    if finding.resource:
        kind = f" ({finding.resource_type})" if finding.resource_type else ""
        lines.append(f"resource: {finding.resource}{kind}")
    if finding.file:
        where = finding.file + "".join(f":{n}" for n in (finding.line, finding.column) if n)
        lines.append(f"location: {where}")
    if finding.arn:
        lines.append(f"arn: {finding.arn}")
    if finding.source == "live":
        lines.append(f"account: {account_words(finding)}  region: {finding.region}")
    if finding.condition:
        lines.append(f"condition: {finding.condition}")
    lines.append(f"explain: lakelint --explain {finding.check}")
    if options is not None and options.show_source and options.source_lines and finding.file:
        frame = code_frame(options.source_lines(finding.file), finding.line, finding.column)
        if frame:
            lines += [""] + frame
    return _clean("\n".join(lines))


def _finding_case(finding, report, options=None) -> tuple[ET.Element, str, str]:
    classname = finding.file or finding.account or RUN_SUITE
    case = _case(classname, _case_name(finding), finding.file)
    detail = _clean(finding.fingerprint_key or finding.message)
    if finding.suppressed:
        ET.SubElement(case, "skipped", {"message": _clean(f"suppressed: {finding.suppression_reason or ''}")})
        return case, "skipped", detail
    reason = why_not_gating(finding, getattr(report, "fail_on", "low"), getattr(report, "unverifiable", "fail"))
    if reason:
        skipped = ET.SubElement(case, "skipped", {"message": _clean(f"not gating ({reason}): {finding.message}")})
        skipped.text = _details(finding, options)
        return case, "skipped", detail
    failure = ET.SubElement(case, "failure", {"message": _clean(finding.message), "type": finding.severity})
    failure.text = _details(finding, options)
    return case, "failure", detail


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


def as_element(report, options=None) -> ET.Element:
    suites = {}

    def suite(name: str) -> _Suite:
        if name not in suites:
            suites[name] = _Suite(name)
        return suites[name]

    for path in getattr(report, "paths", None) or []:
        suite(path)
    for error in report.errors:
        suite(error.file or RUN_SUITE).add(_error_case(error), "error", _clean(error.message))
    for finding in report.findings:
        suite(_suite_name(finding)).add(*_finding_case(finding, report, options))
    for item in suites.values():
        if not item.cases:
            item.add(_case(item.name, "no findings", item.name if item.name != RUN_SUITE else None), "passed")
        item.make_names_unique()

    ordered = [suites[name] for name in sorted(suites)]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for item in ordered:
        for key, value in item.counts().items():
            totals[key] += value
    root = ET.Element("testsuites", {"name": "lakelint", **{k: str(v) for k, v in totals.items()}, "time": "0"})
    for item in ordered:
        root.append(item.element())
    return root


def render(report, options=None) -> str:
    root = as_element(report, options)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

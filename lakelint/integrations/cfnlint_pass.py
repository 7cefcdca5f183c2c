"""``lakelint --cfn-lint``: cfn-lint's own validation of the same templates, merged into one report.

cfn-lint is imported here and only here, and this module is imported only when the pass is asked
for (``--cfn-lint`` or ``cfn-lint: true``), so runs without it pay nothing (DESIGN section 9).

The templates are the ones lakelint read this run (``Report.paths``), handed to cfn-lint through its
Python API in one call, so cfn-lint loads its rules once. cfn-lint's own configuration applies as it
would on the command line: ``.cfnlintrc`` in the working directory (regions, ``ignore_checks``,
``include_checks``, rule options) and ``Metadata: cfn-lint: config: ignore_checks`` in templates.
lakelint's ``--select``/``--ignore`` take lakelint codes and pick lakelint checks only; cfn-lint's
matches are selected the cfn-lint way, so one flag never has to mean two vocabularies.

Each match becomes an ordinary ``Finding``: ``source`` "cfn-lint", ``check`` the cfn-lint rule id
(E3012), ``name`` a kebab-case form of the rule's short description, severity error -> high,
warning -> medium, informational -> low, and the match's file, line and column. The rules that
matched are added to ``Report.checks`` as ``CheckSpec`` records (origin "cfn-lint") so SARIF has
rule text for them. A parse error cfn-lint reports on a file lakelint already reported as an error
is dropped: one broken file, one error. So are the matches of lakelint's own rule pack, which a
``.cfnlintrc`` with ``append_rules: [lakelint.integrations.cfnlint]`` loads into every cfn-lint run:
they are lakelint's findings a second time.
"""

from __future__ import annotations

import glob
import os
import re

from lakelint.core.check import CheckSpec
from lakelint.core.model import ErrorEntry, Finding

SOURCE = "cfn-lint"
SEVERITY = {"error": "high", "warning": "medium", "informational": "low"}
PARSE_ERROR_RULES = {"E0000"}  # cfn-lint's "template could not be parsed"
RULE_PACK = "lakelint.integrations.cfnlint"  # lakelint's own checks inside cfn-lint: already in the report


def kebab(text: str) -> str:
    """'Check if Parameters are Used' -> 'check-if-parameters-are-used'."""
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return "-".join(words[:8]) or "cfn-lint-rule"


def rule_spec(rule) -> CheckSpec:
    """A check-like record for a cfn-lint rule, so reporters can show its title and help."""
    description = (getattr(rule, "description", "") or "").strip()
    shortdesc = (getattr(rule, "shortdesc", "") or rule.id).strip()
    docs = {"What it does": (
        f"cfn-lint's rule {rule.id}, run by `lakelint --cfn-lint`: {description or shortdesc}\n\n"
        "Select, ignore or configure it the cfn-lint way: `.cfnlintrc`, or "
        "`Metadata: cfn-lint: config: ignore_checks` in the template.")}
    url = getattr(rule, "source_url", "") or ""
    if url:
        docs["References"] = f"- {url}"
    return CheckSpec(code=rule.id, name=kebab(shortdesc), severity=SEVERITY.get(rule.severity, "medium"),
                     title=shortdesc, func=None, sources=("template",), summary=description or shortdesc,
                     docs=docs, module=type(rule).__module__, origin=SOURCE)


def _resource(match) -> tuple[str | None, str | None]:
    """The resource a match is about, and the property path below it (for baseline fingerprints)."""
    path = list(getattr(match, "path", None) or ())
    if len(path) >= 2 and path[0] == "Resources":
        rest = path[2:]
        if rest[:1] == ["Properties"]:
            rest = rest[1:]
        return str(path[1]), ".".join(str(p) for p in rest) or None
    if path:
        return None, ".".join(str(p) for p in path)
    return None, None


def _resource_types(file: str) -> dict:
    """Logical id -> resource type, read with lakelint's own loader (cheap: the C parser)."""
    from lakelint.sources.cloudformation.loader import decode_text, parse

    try:
        with open(file, "rb") as handle:
            root = parse(decode_text(handle.read()), json_mode=file.endswith(".json") or None)
    except Exception:  # the loader already reported what it thinks of the file
        return {}
    resources = root.get("Resources") if isinstance(root, dict) else None
    if not isinstance(resources, dict):
        return {}
    return {str(name): body.get("Type") for name, body in resources.items()
            if isinstance(body, dict) and isinstance(body.get("Type"), str)}


def to_finding(match, shown: str | None, types: dict) -> Finding:
    rule = match.rule
    resource, key = _resource(match)
    severity = SEVERITY.get(getattr(rule, "severity", ""), "medium")
    return Finding(check=rule.id, name=kebab(getattr(rule, "shortdesc", "")), severity=severity,
                   message=str(match.message).strip(), source=SOURCE, resource=resource,
                   resource_type=types.get(resource) if resource else None, file=shown,
                   line=match.linenumber, column=match.columnnumber, fingerprint_key=key)


def run_cfn_lint(files) -> list:
    """cfn-lint's matches on ``files`` (paths as lakelint shows them)."""
    from cfnlint.api import lint_by_config
    from cfnlint.config import ManualArgs

    # cfn-lint expands each template name as a glob: escape names, so "a[1].yaml" is that one file
    return list(lint_by_config(ManualArgs(templates=[glob.escape(f) for f in files])))


def merge_into(report) -> None:
    """Run cfn-lint on the report's templates and merge its matches into the report, in place."""
    files = [p for p in report.paths if os.path.isfile(p)]
    if not files:
        return
    try:
        matches = run_cfn_lint(files)
    except ImportError:
        report.errors.append(ErrorEntry(
            "--cfn-lint needs cfn-lint: pip install 'lakelint[cfn-lint]' (cfn-lint>=1.51,<2)"))
        return
    except Exception as exc:  # cfn-lint failing must not lose lakelint's own findings
        report.errors.append(ErrorEntry(f"cfn-lint failed: {type(exc).__name__}: {exc}"))
        return
    errored = {e.file for e in report.errors if e.file}
    by_abs = {os.path.abspath(p): p for p in files}
    types_cache = {}
    specs = {}
    for match in matches:
        shown = by_abs.get(os.path.abspath(match.filename)) if match.filename else None
        if shown is None and match.filename:
            shown = match.filename
        if match.rule.id in PARSE_ERROR_RULES and shown in errored:
            continue
        if type(match.rule).__module__ == RULE_PACK:  # `append_rules` in .cfnlintrc loads the pack too
            continue
        if shown not in types_cache:
            types_cache[shown] = _resource_types(shown) if shown else {}
        report.findings.append(to_finding(match, shown, types_cache[shown]))
        if match.rule.id not in specs:
            specs[match.rule.id] = rule_spec(match.rule)
    known = {s.code for s in report.checks}
    report.checks = list(report.checks) + [s for code, s in sorted(specs.items()) if code not in known]
    report.findings.sort(key=Finding.sort_key)

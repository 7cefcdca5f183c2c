"""lakelint's template checks as a cfn-lint rule pack: ``cfn-lint -a lakelint.integrations.cfnlint t.yaml``.

cfn-lint 1.x loads an ``--append-rules`` module by importing it and instantiating every class in it
that subclasses its ``CloudFormationLintRule`` (``cfnlint.helpers.create_rules``). This module builds
one such class per lakelint built-in check that runs on templates, with an id in cfn-lint's range
for user rules, taken from the LL code: ``E9xxx`` for a high-severity check, ``W9xxx`` otherwise
(LL101 -> E9101, LL103 -> W9103, LL001 -> W9001). ``E9000`` carries what kept lakelint from
judging a template (a file its loader refuses, an internal error in a check). Ids follow each
check's default severity, so a ``severity:`` override in ``.lakelint.yaml`` does not rename a rule.

How a template is judged: the first lakelint rule cfn-lint asks about a template runs lakelint's
whole engine on it once and keeps the findings on cfn-lint's ``Template`` object; every lakelint
rule then reports its own check's findings. The engine reads the file again with lakelint's loader
rather than adapting cfn-lint's decoded nodes, because then the findings are exactly the ones
``lakelint`` reports: the same positions, the same ``Fn::If`` branch expansion, and the same
``# lakelint: ignore[...]`` comment suppressions, which need the source text that cfn-lint's nodes
do not keep. It costs one pass of the C parser, a few milliseconds beside cfn-lint's own work. A
template with no file behind it (standard input, ``cfnlint.api.lint`` on a string) is adapted from
cfn-lint's nodes instead, without comment suppressions; there a number or boolean, which cfn-lint
keeps without a position, is located at its key.

lakelint's configuration applies as in a lakelint run: ``.lakelint.yaml`` (or ``[tool.lakelint]``)
in the working directory, with its check options, select/ignore, per-file-ignores and suppressions
(suppressed findings are not reported; LL001 reports stale suppressions). cfn-lint's own switches
work on the mapped ids as on any rule: ``-i W9103``, ``Metadata: cfn-lint: config: ignore_checks``.
Only built-in checks are mapped: plugin codes have no reserved place in cfn-lint's id space. LL301
counts the buckets of one template at a time, as cfn-lint judges one template at a time.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from cfnlint.rules import CloudFormationLintRule, RuleMatch

ERROR_RULE_ID = "E9000"
_RUN = "_lakelint_run"  # attribute on cfn-lint's Template holding lakelint's verdicts on it


def rule_id(code: str, severity: str) -> str | None:
    """LL101 (high) -> E9101; LL103 (medium) -> W9103. None for codes outside LLnnn."""
    match = re.fullmatch(r"LL(\d{3})", code)
    if not match:
        return None
    return f"{'E' if severity == 'high' else 'W'}9{match.group(1)}"


def _specs() -> list:
    """The checks that become cfn-lint rules: lakelint's built-in template checks."""
    from lakelint.core.registry import load_checks

    return [s for s in load_checks(plugins=False) if "template" in s.sources and rule_id(s.code, s.severity)]


@functools.lru_cache(maxsize=8)
def _run_specs(checks_dirs: tuple) -> list:
    """Every check lakelint knows in this environment (plugins and ``checks-dir`` included), so that a
    configuration or suppression naming a plugin check resolves as it does in a lakelint run."""
    from lakelint.core.registry import load_checks

    return load_checks(extra_dirs=checks_dirs)


class _Verdicts:
    """lakelint's findings and errors on one template, computed once for every mapped rule."""

    def __init__(self, findings, errors):
        self.findings = findings
        self.errors = errors


def _adapt(node):
    """cfn-lint's decoded nodes as lakelint's position-keeping values (1-based lines and columns)."""
    from lakelint.core.values import LocDict, LocList

    def pos(value):
        mark = getattr(value, "start_mark", None)
        return (mark.line + 1, mark.column + 1) if mark is not None else None

    if isinstance(node, dict):
        out = LocDict()
        out.pos = pos(node)
        for key, value in node.items():
            name = str(key)
            out[name] = _adapt(value)
            out.key_pos[name] = pos(key) or out.pos
            out.val_pos[name] = pos(value) or out.key_pos[name]
        return out
    if isinstance(node, list):
        out = LocList(_adapt(v) for v in node)
        out.pos = pos(node)
        out.item_pos = [pos(v) or out.pos for v in node]
        return out
    if isinstance(node, str):
        return str(node)
    return node


def _judge(cfn) -> _Verdicts:
    from lakelint.core.config import ConfigError, load_config
    from lakelint.core.engine import Engine
    from lakelint.core.model import ErrorEntry
    from lakelint.sources.cloudformation.source import load_stack
    from lakelint.sources.cloudformation.template import build_stack, is_cloudformation

    from lakelint.core.registry import RegistryError

    filename = getattr(cfn, "filename", None)
    try:
        config = load_config()
        engine = Engine(_run_specs(tuple(config.checks_dir)), config, source="template")
    except (ConfigError, RegistryError) as exc:
        return _Verdicts([], [ErrorEntry(f"lakelint configuration: {exc}", file=filename, line=1, column=1)])
    mapped = {cls.code for cls in RULE_CLASSES.values()}
    engine.specs = [s for s in engine.specs if s.code in mapped]  # only checks that have a rule here
    if filename and filename != "-" and Path(filename).is_file():
        stack, errors = load_stack(filename, Path(filename), config.max_file_size)
    else:
        root = _adapt(cfn.template)
        stack, errors = (build_stack(root, filename or "-"), []) if is_cloudformation(root) else (None, [])
    if stack is None:
        return _Verdicts([], errors)
    findings, run_errors = engine.finish([engine.run_stack(stack)])
    return _Verdicts([f for f in findings if not f.suppressed], errors + run_errors)


def verdicts(cfn) -> _Verdicts:
    cached = getattr(cfn, _RUN, None)
    if cached is None:
        cached = _judge(cfn)
        setattr(cfn, _RUN, cached)
    return cached


def _location(line, column) -> tuple:
    line0 = max((line or 1) - 1, 0)
    col0 = max((column or 1) - 1, 0)
    return (line0, col0, line0, col0)


def _path(finding) -> list:
    path = ["Resources", finding.resource] if finding.resource else []
    if finding.fingerprint_key and finding.resource:
        path += ["Properties"] + str(finding.fingerprint_key).split(".")
    return path


class LakelintRule(CloudFormationLintRule):
    """A lakelint check seen from cfn-lint. Subclasses set ``code``; this base has no id, and cfn-lint
    skips rules without one."""

    code = ""

    def match(self, cfn):
        matches = []
        for finding in verdicts(cfn).findings:
            if finding.check != self.code:
                continue
            where = f" ({finding.resource})" if finding.resource else ""
            message = f"{finding.check} {finding.name}: {finding.message}{where}"
            matches.append(RuleMatch(_path(finding), message, location=_location(finding.line, finding.column)))
        return matches


class LakelintErrors(CloudFormationLintRule):
    """What kept lakelint from judging a template: its loader refused the file, a check failed."""

    id = ERROR_RULE_ID
    shortdesc = "lakelint could not evaluate the template"
    description = ("lakelint's loader refused the template, or one of its checks could not run on it; "
                   "the template was not fully checked")
    source_url = "https://pypi.org/project/lakelint/"
    tags = ["lakelint"]

    def match(self, cfn):
        return [RuleMatch([], f"lakelint: {error.message}", location=_location(error.line, error.column))
                for error in verdicts(cfn).errors]


def _first_url(spec) -> str:
    found = re.search(r"https?://\S+", spec.docs.get("References", ""))
    return found.group(0) if found else "https://pypi.org/project/lakelint/"


def _rule_class(spec) -> type:
    identifier = rule_id(spec.code, spec.severity)
    return type(f"Lakelint{spec.code}", (LakelintRule,), {
        "__module__": __name__,
        "__doc__": f"{spec.code} {spec.name}: {spec.title}",
        "id": identifier,
        "code": spec.code,
        "shortdesc": f"{spec.title} (lakelint {spec.code})",
        "description": f"{spec.summary} See `lakelint --explain {spec.code}`.",
        "source_url": _first_url(spec),
        "tags": ["lakelint", spec.name],
    })


def _register() -> dict:
    classes = {}
    for spec in _specs():
        cls = _rule_class(spec)
        classes[cls.__name__] = cls
    return classes


RULE_CLASSES = _register()
globals().update(RULE_CLASSES)

"""Which template each CloudFormation stack was deployed from.

A stack is matched to a template file by the configuration's ``stacks:`` mapping first (stack names,
globs allowed, to template paths relative to the configuration's folder), then by its body: the body
``GetTemplate`` returns is parsed as template mode parses a file, and compared with each template's,
so formatting, comments, quoting, key order and short forms (``!Ref`` and ``Ref:``) do not matter.
One template may have been deployed as many stacks (one per environment, each with its own
parameters): each stack is matched on its own.
"""

from __future__ import annotations

import fnmatch
import json
import os
from dataclasses import dataclass, field

from lakelint.core.model import ErrorEntry
from lakelint.core.values import is_unresolved


@dataclass
class Template:
    shown: str  # the path as reports show it
    stack: object  # the Stack template mode built from it
    root: object  # the template as written (before Fn::ForEach and SAM are expanded)
    absolute: str = ""
    fingerprint: str = ""  # the normalised body, to match a stack's deployed body

    def __post_init__(self):
        self.absolute = os.path.normcase(os.path.abspath(self.shown))
        self.fingerprint = fingerprint(self.root)


@dataclass
class Match:
    record: object  # the stack's LakeLint::Stack live resource
    template: Template | None
    by: str | None = None  # "config" (the stacks: mapping) or "body"


@dataclass
class Matching:
    templates: list  # the paths of the templates read, as shown
    matches: list = field(default_factory=list)  # Match, one per stack (template None: no template)
    errors: list = field(default_factory=list)

    @property
    def unmatched_templates(self) -> list:
        used = {m.template.shown for m in self.matches if m.template is not None}
        return sorted(t for t in self.templates if t not in used)


def plain(value):
    """A parsed template without its positions: what two bodies are compared on."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def fingerprint(root) -> str:
    return json.dumps(plain(root), sort_keys=True, default=str)


def body_fingerprint(body) -> str | None:
    """A deployed body's fingerprint, or None when it cannot be parsed as a template."""
    from lakelint.sources.cloudformation.loader import TemplateError, parse

    if not isinstance(body, str):
        return None
    try:
        root = parse(body)
    except TemplateError:
        return None
    return fingerprint(root) if isinstance(root, dict) else None


def match_stacks(records, templates, config) -> Matching:
    """``records``: the LakeLint::Stack live resources; ``templates``: Template, one per file read."""
    matching = Matching([t.shown for t in templates])
    by_path = {t.absolute: t for t in templates}
    by_body = {}
    for template in templates:
        by_body.setdefault(template.fingerprint, template)
    reported = set()
    for record in records:
        name = record.name
        mapped = _mapped(name, config)
        if mapped is not None:
            pattern, path = mapped
            template = by_path.get(path)
            if template is None and pattern not in reported:
                reported.add(pattern)
                matching.errors.append(ErrorEntry(
                    f"'stacks' maps {pattern} to {_shown(path)}, which is not among the templates --compare read",
                    file=config.path, line=config.lines.get("stacks")))
            matching.matches.append(Match(record, template, "config" if template is not None else None))
            continue
        body = record.props.get("TemplateBody")
        if is_unresolved(body):
            matching.matches.append(Match(record, None))
            matching.errors.append(ErrorEntry(
                f"could not compare stack {name} ({record.region}) with its template: its deployed body could "
                f"not be read ({getattr(body, 'reason', body)}); name its template in the configuration's "
                f"'stacks:' mapping"))
            continue
        template = by_body.get(body_fingerprint(body) or "")
        matching.matches.append(Match(record, template, "body" if template is not None else None))
    return matching


def _mapped(stack_name: str, config):
    """(pattern, absolute template path) of the first ``stacks:`` entry whose glob names the stack."""
    for pattern, path in (config.stacks or {}).items():
        if fnmatch.fnmatchcase(stack_name, pattern):
            base = config.base or os.getcwd()
            return pattern, os.path.normcase(os.path.abspath(os.path.join(base, path)))
    return None


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative

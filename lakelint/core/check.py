"""The check API: what a check module declares and what a check function yields.

A check is one module (built-in under ``checks/``, or in a plugin) whose docstring is its
documentation and which holds one function decorated with ``@check``::

    '''Bucket Block Public Access is not fully on.

    ## What it does
    ...
    ## Why it matters
    ...
    ## Example
    ...
    ## Fix
    ...
    ## References
    ...
    '''
    from lakelint.core.check import check, fail

    @check(code="LL101", name="s3-block-public-access", severity="high",
           title="S3 bucket without all four Block Public Access settings",
           resource_types=["AWS::S3::Bucket"])
    def run(bucket, ctx):
        ...
        yield fail("BlockPublicPolicy is false", at=...)

The function is pure: it reads the inventory, never a file or an API, and yields ``fail`` and
``unknown`` verdicts. The engine turns them into findings (or, live, into "could not evaluate"
errors), adds code, severity, location and condition, and applies configuration and suppressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lakelint.core.records import Record
from lakelint.core.values import LocDict, key_pos_of, pos_of

SEVERITIES = ("low", "medium", "high")
SOURCES = ("template", "live")
SCOPES = ("resource", "stack", "run", "suppressions", "drift")
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Fix", "References")
CODE_PATTERN = re.compile(r"^[A-Z]{2,}[0-9]{3,4}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CheckSpec(Record):
    """A check's metadata, its documentation and its function. A plain class, not a dataclass (see
    lakelint/core/records.py); it keeps a ``__dict__``: ``IndexedSpec`` (core/check_index.py) fills
    its fields there as its module loads."""

    _fields = ("code", "name", "severity", "title", "func", "sources", "resource_types", "scope", "options",
               "reads", "preview", "fix", "summary", "docs", "module", "origin")

    def __init__(self, code: str, name: str, severity: str, title: str, func: Callable, sources: tuple = SOURCES,
                 resource_types: tuple = (), scope: str = "resource", options: dict | None = None,
                 reads: dict | None = None, preview: bool = False, fix: str | None = None, summary: str = "",
                 docs: dict | None = None, module: str = "", origin: str = "built-in"):
        self.code, self.name, self.severity, self.title, self.func = code, name, severity, title, func
        self.sources, self.resource_types, self.scope = sources, resource_types, scope
        self.options = {} if options is None else options  # config key -> options.Option (type, default, doc)
        # {resource type: (property path, ...)}: what the check reads, of the types it judges and of the
        # types it reads through relations. "*" means every property (a check that declares nothing).
        self.reads = {} if reads is None else reads
        self.preview = preview  # preview checks run only with --preview or `preview: true` (DESIGN 11)
        self.fix = fix  # "safe" or "unsafe" when the check's findings can carry a fix (lakelint/fixes)
        self.summary = summary
        self.docs = {} if docs is None else docs  # section title -> markdown
        self.module, self.origin = module, origin

    @property
    def help_markdown(self) -> str:
        parts = [f"# {self.code} `{self.name}`", "", self.summary, ""]
        for section in DOC_SECTIONS:
            if section in self.docs:
                parts += [f"## {section}", "", self.docs[section].strip(), ""]
        return "\n".join(parts).strip() + "\n"

    def option_signatures(self) -> dict:
        """``{key: (type name, default)}`` of the declared options: what checks sharing a key agree on."""
        return {key: (option.type.name, option.default) for key, option in self.options.items()}

    def to_dict(self) -> dict:
        return {
            "code": self.code, "name": self.name, "severity": self.severity, "title": self.title,
            "sources": list(self.sources), "resource_types": list(self.resource_types),
            "scope": self.scope, "options": {key: option.default for key, option in self.options.items()},
            "origin": self.origin, "reads": {rtype: list(paths) for rtype, paths in self.reads.items()},
            "preview": self.preview, "fix": self.fix,
            "option_details": {key: option.to_dict() for key, option in self.options.items()},
        }


def check(*, code: str, name: str, severity: str, title: str, resource_types=(), sources=SOURCES,
          scope: str | None = None, options: dict | None = None, reads=(), preview: bool = False,
          fix: str | None = None):
    """Declare a check. ``scope`` defaults to "resource" when ``resource_types`` are given.

    ``options`` declares the configuration keys the check reads through ``ctx.option(key)``, each as
    ``Option(type, default, doc)`` from core/options.py (``{"trusted-accounts": Option(ACCOUNT_IDS, [],
    "accounts ...")}``): the configuration's values are validated by that type, and the docs and
    ``--explain`` list them. ``preview=True`` keeps a new check out of the default selection until it
    is promoted: it runs only with ``--preview`` or ``preview: true`` in the configuration. ``fix`` says
    that the check's verdicts may carry a fix (``fail(..., fix=...)``, lakelint/fixes/intents.py) and how
    safe it is: "safe" (``--fix`` applies it) or "unsafe" (it may change how the stack behaves: only
    with ``--unsafe-fixes``).

    ``reads`` says what the check reads: ``{resource type: [property path, ...]}`` (paths are dotted,
    from the resource's properties: ``"BucketEncryption.ServerSideEncryptionConfiguration"``). It covers
    the types the check judges and the types it reads through relations (a bucket check reading its KMS
    key's rotation: ``"AWS::KMS::Key": ["EnableKeyRotation"]``); live mode plans its API calls from it.
    A list of type names is read as "every property of these types", and a judged type the mapping
    does not name counts as "every property" too, so a check that declares nothing loses nothing.

    - resource: called as ``func(resource, ctx)`` for each resource of ``resource_types``;
    - stack: called as ``func(stack, ctx)`` once per template (live: per account and region);
    - run: called as ``func(resources, ctx)`` once per run with every resource of the run
      (properties dropped, so memory stays flat on large runs: type, name and location remain);
    - suppressions: called with the run's suppression records, for lakelint's own hygiene checks;
    - drift: called as ``func(pair, ctx)`` by ``--live --compare`` (lakelint/runs/drift.py) with one
      resource's verdicts of one check on both sides, the template as deployed and the account.
    """

    def decorate(func):
        func.__lakelint_check__ = dict(
            code=code, name=name, severity=severity, title=title, resource_types=tuple(resource_types),
            sources=tuple(sources), scope=scope or ("resource" if resource_types else "stack"),
            options=dict(options or {}), reads=normalise_reads(resource_types, reads), preview=preview, fix=fix)
        return func

    return decorate


EVERY_PROPERTY = "*"


def normalise_reads(resource_types, reads) -> dict:
    """``reads`` as ``{type: (path, ...)}``: a judged type that is not named reads every property."""
    if isinstance(reads, dict):
        declared = {str(rtype): tuple(str(p) for p in ([paths] if isinstance(paths, str) else paths))
                    for rtype, paths in reads.items()}
    else:
        declared = {str(rtype): (EVERY_PROPERTY,) for rtype in reads}
    for rtype in resource_types:
        declared.setdefault(rtype, (EVERY_PROPERTY,))
    return declared


class Verdict(Record):
    """What a check yields. ``kind`` is "fail" or "unknown". A plain class, not a dataclass: see
    lakelint/core/records.py."""

    __slots__ = _fields = ("kind", "message", "pos", "branch", "key", "resource", "severity", "cause", "void", "fix")

    def __init__(self, kind: str, message: str, pos: tuple | None = None, branch: object = None,
                 key: str | None = None, resource: object = None, severity: str | None = None,
                 cause: object = None, void: bool = False, fix: object = None):
        self.kind, self.message, self.pos, self.branch = kind, message, pos, branch
        self.key = key  # the property path, for baseline fingerprints
        self.resource = resource  # for stack and run checks: the resource the finding is about
        self.severity = severity  # a check may raise or lower its default for one finding
        self.cause = cause  # for unknown: the Unresolved value (live: carries the API call and action)
        self.void = void  # made in a branch that cannot hold with the enclosing reads: the engine drops it
        self.fix = fix  # a lakelint.fixes.intents.Fix that repairs what this verdict reports


def locate(at) -> tuple | None:
    """``at`` may be a (line, column), a container, or a (container, key) pair."""
    if at is None:
        return None
    if isinstance(at, tuple) and len(at) == 2 and isinstance(at[0], int):
        return at
    if isinstance(at, tuple) and len(at) == 2:
        container, key = at
        return pos_of(container, key) if isinstance(container, LocDict) and key in container else key_pos_of(container, key)
    return pos_of(at)


def fail(message: str, *, at=None, branch=None, key=None, resource=None, severity=None, fix=None) -> Verdict:
    """A failing verdict. ``at`` points at the offending value; ``branch`` the outcome it holds in
    (inside ``read`` loops it is the branch being read: see lakelint/core/reading.py)."""
    pos = locate(at)
    branch, void = _in_reading(branch)
    if pos is None and branch is not None:
        pos = branch.pos
    return Verdict("fail", message, pos, branch, key, resource, severity, void=void, fix=fix)


def unknown(message: str, *, cause=None, at=None, branch=None, key=None, resource=None) -> Verdict:
    """The check needed content it could not know. Never a pass: templates report it as a finding
    (the template does not prove compliance), live mode as a could-not-evaluate error."""
    pos = locate(at)
    branch, void = _in_reading(branch)
    if pos is None and branch is not None:
        pos = branch.pos
    return Verdict("unknown", message, pos, branch, key, resource, None, cause, void)


def _in_reading(branch):
    """(the branch a verdict holds in, whether it cannot hold at all): inside ``read`` loops, the
    verdict's own branch joined with the loops' (lakelint/core/reading.py)."""
    from lakelint.core import reading

    active = reading.current()
    if active is None or not active.active:
        return branch, False
    enclosing = active.joint()
    if branch is None:
        return enclosing, enclosing is None
    if enclosing is None:
        return branch, True
    joint = branch & enclosing
    if joint is None:
        return branch, True
    joint.pos = branch.pos
    return joint, False


def parse_docs(docstring: str) -> tuple[str, dict]:
    """Split a module docstring into its summary line and its ``## Section`` bodies."""
    text = (docstring or "").strip()
    summary, _, rest = text.partition("\n")
    sections = {}
    current = None
    lines = []
    for line in rest.splitlines():
        if line.startswith("## "):
            if current:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        elif current:
            lines.append(line)
    if current:
        sections[current] = "\n".join(lines).strip()
    return summary.strip(), sections

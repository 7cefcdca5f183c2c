"""The normalized inventory both sources fill, and the records the engine hands to reporters.

A ``Resource`` looks the same whether it came from a template or from the AWS API: a type
(CloudFormation's name for it), a name (logical id, or bucket name / resource id when live), and its
properties in CloudFormation's shape. Provenance travels with it (file and position, or account,
region and ARN) so every finding can say where it comes from.

The records are plain classes, not dataclasses: see lakelint/core/records.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from lakelint.core.branches import TRUE, Branch
from lakelint.core.records import Record


class Resource(Record):
    """One resource of either source (see the module docstring)."""

    _fields = ("type", "name", "props", "source", "file", "pos", "arn", "account", "region", "condition", "metadata",
               "attributes", "links", "expand", "stack", "origin", "exists", "memo")
    __slots__ = _fields + ("__weakref__",)  # weakly referable: tests watch a live run free its resources
    _compared = _fields[:-1]  # repr and == leave out memo

    def __init__(self, type: str, name: str, props: object, source: str = "template",  # noqa: A002 - the field
                 file: str | None = None, pos: tuple | None = None, arn: str | None = None,
                 account: str | None = None, region: str | None = None, condition: str | None = None,
                 metadata: object = None, attributes: dict | None = None, links: dict | None = None,
                 expand: Callable | None = None, stack: object = None, origin: str | None = None,
                 exists: list | None = None, memo: dict | None = None):
        self.type, self.name, self.props = type, name, props
        self.source = source  # "template" or "live"
        self.file = file
        self.pos = pos  # (line, column) of the resource in its file
        self.arn, self.account, self.region = arn, account, region
        self.condition = condition  # the resource-level Condition, in templates
        self.metadata = metadata  # the resource's Metadata (templates), for suppressions
        self.attributes = {} if attributes is None else attributes  # DeletionPolicy, UpdateReplacePolicy, ...
        self.links = {} if links is None else links  # relation name -> list of related Resources
        self.expand = expand  # branch expansion bound by the source (see evaluate.py)
        self.stack = stack  # the Stack this resource belongs to
        # what made the resource when the template does not write it itself ("Fn::ForEach::Buckets", the SAM
        # transform): findings locate it in its source, and fixes are not guessed on it
        self.origin = origin
        # the guards under which the resource exists: its Condition compiled (templates); [TRUE] otherwise
        self.exists = [TRUE] if exists is None else exists
        # derived views several checks share (parsed policies): computed once per resource, never compared
        self.memo = {} if memo is None else memo

    def related(self, relation: str) -> list:
        """Resources linked to this one (e.g. "policies" of a bucket), already resolved by the source."""
        return self.links.get(relation, [])

    def link(self, relation: str, other: "Resource") -> None:
        self.links.setdefault(relation, []).append(other)

    def branches(self, *path):
        """Every way the property at ``path`` can turn out, one ``Branch`` each (see core/branches.py)."""
        from lakelint.core.branches import note_read, single_branch
        from lakelint.core.reading import note_path

        note_path(self, path)
        if self.expand is None:
            return [single_branch(self.props, path)]
        branches = self._expanded(path, False)
        note_read(self, path, branches)
        return branches

    def _expanded(self, path: tuple, keep_parameters: bool) -> list:
        """The expansion of the property at ``path``, computed once per resource and shared by every
        check that reads it (issue 18): each caller gets its own ``Branch`` records (a reading loop may
        move a branch's position), over the same resolved values, which checks only read."""
        key = ("branches", path, keep_parameters)
        cached = self.memo.get(key)
        if cached is None:
            if keep_parameters:
                cached = self.expand(self.props, path, keep_parameters=True)
            else:
                cached = self.expand(self.props, path)
            self.memo[key] = cached
        return [Branch(b.value, b.guard, b.pos, b.capped, b.space) for b in cached]

    def raw_branches(self, *path):
        """As ``branches``, but with template parameters left as references: each comes back as an
        Unresolved value naming the parameter in ``refs`` (the password checks judge the reference
        itself, not the value it expands to). A source without parameters gives ``branches``."""
        from lakelint.core.branches import note_read
        from lakelint.core.reading import note_path

        if self.expand is None:
            return self.branches(*path)
        note_path(self, path)
        branches = self._expanded(path, True)
        note_read(self, path, branches)
        return branches


class ResourceStub(Record):
    """What run-scope checks see of a resource: who and where it is, without its properties (except
    lakelint's own small account records), so a run of thousands of templates keeps little of each."""

    __slots__ = _fields = ("type", "name", "props", "source", "file", "pos", "arn", "account", "region", "condition")

    def __init__(self, type: str, name: str, props: object, source: str, file: str | None,  # noqa: A002
                 pos: tuple | None, arn: str | None, account: str | None, region: str | None,
                 condition: str | None):
        self.type, self.name, self.props, self.source, self.file = type, name, props, source, file
        self.pos, self.arn, self.account, self.region, self.condition = pos, arn, account, region, condition


class Stack(Record):
    """What one source unit holds: a template file, or one account and region when live."""

    _fields = ("source", "resources", "file", "account", "region", "text_lines", "notes", "parameters", "root",
               "space", "scanned")
    __slots__ = _fields + ("__weakref__",)  # weakly referable: tests watch a live run free its stacks

    def __init__(self, source: str, resources: list, file: str | None = None, account: str | None = None,
                 region: str | None = None, text_lines: list | None = None, notes: list | None = None,
                 parameters: dict | None = None, root: object = None, space: object = None, scanned: bool = True):
        self.source, self.resources, self.file, self.account, self.region = source, resources, file, account, region
        self.text_lines = text_lines  # template source lines, for inline suppression comments
        self.notes = [] if notes is None else notes  # things the source wants said (scenario caps)
        self.parameters = {} if parameters is None else parameters  # template parameters (checks read NoEcho)
        self.root = root  # the whole parsed template, for checks that need more than resources
        self.space = space  # the template's parameter space (core/branches.Space): words for branch labels
        # live: whether the region was scanned (regional resources read, stacks listed); False for a region
        # only a bucket of the account's list is in
        self.scanned = scanned

    def of_type(self, *types: str) -> list:
        return [r for r in self.resources if r.type in types]


# set on few findings, so one slot holds them: a suppression's reason; live: the ARN, account and region, and
# where AWS Organizations says them the account's name and its OU path ("Root/Prod", DESIGN 11); --live
# --compare: the drift, the underlying check and both sides ({"check", "stack", "logical_id", "physical_id",
# "template": {...}, "live": {...}}). The fix is not rare (most S3 findings have one): it has its own slot.
_RARE = ("suppression_reason", "arn", "account", "region", "drift", "account_name", "ou_path")
_NO_RARE = (None,) * len(_RARE)
_SHARED_TEXT = ("message", "resource", "resource_type", "condition", "fingerprint_key")
# what a finding shares with every finding of its check and resource type: one tuple per combination,
# kept once in _KINDS (a few hundred at most, whatever the run's size)
_KIND = ("check", "name", "severity", "source", "verdict", "resource_type", "suppressed")
_KINDS = {}


class Finding:
    """One problem found. A large run holds hundreds of thousands (issue 18: 10,000 templates), so a
    finding is a compact record: fixed slots, no per-instance dict, the fields that are set on few
    findings (suppression reason; live: ARN, account, region, account name and OU path; drift) kept
    together in one slot, the fields its check and resource type decide (code, name, severity, source,
    verdict, resource type, whether suppressed) in one tuple that all such findings share, and its
    texts interned, so the many findings that say the same thing share one string. A plain lint keeps of
    each fix only its summary (lakelint.fixes.intents.FixSummary), one per distinct summary."""

    __slots__ = ("_kind", "message", "resource", "file", "line", "column", "condition", "fingerprint_key", "fix",
                 "_rare")
    FIELDS = ("check", "name", "severity", "message", "source", "resource", "resource_type", "file", "line",
              "column", "condition", "suppressed", "suppression_reason", "arn", "account", "region",
              "fingerprint_key", "verdict", "fix", "drift", "account_name", "ou_path")

    def __init__(self, check: str, name: str, severity: str, message: str, source: str, resource: str | None,
                 resource_type: str | None, file: str | None = None, line: int | None = None,
                 column: int | None = None, condition: str | None = None, suppressed: bool = False,
                 suppression_reason: str | None = None, arn: str | None = None, account: str | None = None,
                 region: str | None = None, fingerprint_key: str | None = None, verdict: str = "fail",
                 fix: object = None, drift: dict | None = None, account_name: str | None = None,
                 ou_path: str | None = None):
        intern = intern_text
        self._kind = _shared_kind((check, name, severity, source, verdict, resource_type, suppressed))
        self.file, self.message, self.resource = file, intern(message), intern(resource)
        self.line, self.column, self.condition = line, column, intern(condition)
        self.fingerprint_key = intern(fingerprint_key)
        self.fix = fix  # a lakelint.fixes.intents.Fix (or its FixSummary) bound to the finding's resource
        rare = (suppression_reason, arn, account, region, drift, account_name, ou_path)
        self._rare = None if rare == _NO_RARE else dict(zip(_RARE, rare))

    def __getstate__(self):
        return tuple(getattr(self, key) for key in self.FIELDS)

    def __setstate__(self, state):
        self.__init__(*state)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.__getstate__() == other.__getstate__()

    __hash__ = None  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return "Finding(" + ", ".join(f"{key}={getattr(self, key)!r}" for key in self.FIELDS) + ")"

    def _rare_field(key):  # noqa: N805 - a property factory used in the class body only
        def get(self):
            rare = self._rare
            return None if rare is None else rare[key]

        def set_(self, value):
            rare = self._rare
            if rare is None:
                if value is None:
                    return
                rare = self._rare = dict.fromkeys(_RARE)
            rare[key] = value

        return property(get, set_)

    def _kind_field(index):  # noqa: N805 - a property factory used in the class body only
        def get(self):
            return self._kind[index]

        def set_(self, value):
            kind = list(self._kind)
            kind[index] = value
            self._kind = _shared_kind(tuple(kind))

        return property(get, set_)

    check, name, severity, source, verdict, resource_type, suppressed = map(_kind_field, range(len(_KIND)))
    del _kind_field

    suppression_reason = _rare_field("suppression_reason")
    arn = _rare_field("arn")
    account = _rare_field("account")
    region = _rare_field("region")
    drift = _rare_field("drift")
    account_name = _rare_field("account_name")
    ou_path = _rare_field("ou_path")
    del _rare_field

    def to_dict(self) -> dict:
        check, name, severity, source, verdict, resource_type, suppressed = self._kind
        data = {
            "check": check,
            "name": name,
            "severity": severity,
            "message": self.message,
            "source": source,
            "resource": self.resource,
            "resource_type": resource_type,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "condition": self.condition,
            "suppressed": suppressed,
            "suppression_reason": self.suppression_reason,
            "verdict": verdict,
            "fix": self.fix.to_dict() if self.fix is not None else None,
        }
        if source == "live":
            data.update(arn=self.arn, account=self.account, region=self.region)
            if self.account_name is not None or self.ou_path is not None:
                data.update(account_name=self.account_name, ou_path=self.ou_path)
        if self.drift is not None:
            data["drift"] = self.drift
        return data

    def sort_key(self):
        return (self.file or "", self.line or 0, self.column or 0, self.check, self.resource or "",
                self.account or "", self.region or "", self.message)


def _shared_kind(kind: tuple) -> tuple:
    """The one tuple of the run equal to ``kind`` (see ``_KIND``), its texts interned."""
    shared = _KINDS.get(kind)
    if shared is None:
        shared = _KINDS[kind] = tuple(map(intern_text, kind))
    return shared


def intern_text(text):
    """``text``, interned when it is a string: the many records that repeat it then share one copy."""
    return sys.intern(text) if text.__class__ is str else text


class ErrorEntry(Record):
    """Something that kept the run from being complete: a file that did not parse, a denied call."""

    __slots__ = _fields = ("message", "file", "line", "column", "check", "resource", "api_call", "iam_action",
                           "account")

    def __init__(self, message: str, file: str | None = None, line: int | None = None, column: int | None = None,
                 check: str | None = None, resource: str | None = None, api_call: str | None = None,
                 iam_action: str | None = None, account: str | None = None):
        self.message, self.file, self.line, self.column = message, file, line, column
        self.check, self.resource, self.api_call, self.iam_action = check, resource, api_call, iam_action
        self.account = account  # live, in a multi-account run: the account it is about

    def to_dict(self) -> dict:
        data = {"file": self.file, "line": self.line, "column": self.column, "message": self.message}
        for key in ("check", "resource", "api_call", "iam_action", "account"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    def sort_key(self):
        return (self.file or "", self.line or 0, self.column or 0, self.message)


class Report(Record):
    """Everything a reporter needs: the findings, the errors, the counts and the checks that ran."""

    __slots__ = _fields = ("findings", "errors", "files", "resources", "checks", "tool_version", "fail_on", "paths",
                           "unverifiable", "unverifiable_ignored", "notes", "baseline_path", "baseline_known",
                           "baseline_recorded", "comparison", "fixed", "unsafe_fixes")

    def __init__(self, findings: list, errors: list, files: int, resources: int, checks: list, tool_version: str,
                 fail_on: str = "low", paths: list | None = None, unverifiable: str = "fail",
                 unverifiable_ignored: int = 0, notes: list | None = None, baseline_path: str | None = None,
                 baseline_known: int = 0, baseline_recorded: int | None = None, comparison: dict | None = None,
                 fixed: int = 0, unsafe_fixes: bool = False):
        self.findings, self.errors, self.files, self.resources = findings, errors, files, resources
        self.checks = checks  # the CheckSpec objects that were selected, for SARIF rules and JUnit
        self.tool_version, self.fail_on = tool_version, fail_on
        self.paths = [] if paths is None else paths  # the files read, as shown (JUnit lists clean ones too)
        self.unverifiable = unverifiable  # the policy for unverifiable findings: fail | warn | ignore (DESIGN 11)
        self.unverifiable_ignored = unverifiable_ignored  # unverifiable findings left out of the report by `ignore`
        self.notes = [] if notes is None else notes  # things the run wants said on stderr
        self.baseline_path = baseline_path  # the baseline this run read or wrote
        self.baseline_known = baseline_known  # findings not reported because the baseline records them
        self.baseline_recorded = baseline_recorded  # --write-baseline alone: how many findings it recorded
        # --live --compare: what was compared (stacks, resources) and what could not be (lakelint/runs/compare)
        self.comparison = comparison
        self.fixed = fixed  # --fix: findings fixed in this run (the report shows what remains)
        self.unsafe_fixes = unsafe_fixes  # whether unsafe fixes count as fixable (--unsafe-fixes)

    @property
    def active_findings(self) -> list:
        return [f for f in self.findings if not f.suppressed]

    def summary(self) -> dict:
        active = self.active_findings
        return {
            "files": self.files,
            "resources": self.resources,
            "findings": len(active),
            "suppressed": len(self.findings) - len(active),
            "errors": len(self.errors),
            "unverifiable": sum(1 for f in active if f.verdict == "unverifiable"),
            "unverifiable_ignored": self.unverifiable_ignored,
            **({"comparison": self.comparison} if self.comparison is not None else {}),
        }

    def ignore_unverifiable(self) -> None:
        """``unverifiable: ignore``: leave unverifiable findings out of the report, and count them."""
        kept = [f for f in self.findings if f.verdict != "unverifiable"]
        self.unverifiable_ignored += len(self.findings) - len(kept)
        self.findings = kept

"""The engine: run the selected checks over stacks, turn verdicts into findings, apply suppressions.

It works one stack at a time (``run_stack``) so a run can stream files and spread them over
processes; what must see the whole run (run-scope checks such as the bucket quota, and LL001 on
suppressions) happens once in ``finish``. Everything it returns is plain, picklable data.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch

from lakelint.core import reading, suppress
from lakelint.core.branches import TRUE, Space, start_recording, stop_recording
from lakelint.core.check import unknown
from lakelint.core.config import Config, ConfigError, bind_options
from lakelint.core.isolation import CheckFailure, run_check, watchdog
from lakelint.core.model import ErrorEntry, Finding, Resource, ResourceStub, intern_text
from lakelint.core.records import Record
from lakelint.core.values import truth


class StackResult(Record):
    """What linting one stack leaves for the run-wide step and the report. A plain class, not a
    dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("findings", "errors", "suppressions", "stubs", "resource_lines", "resources")

    def __init__(self, findings: list | None = None, errors: list | None = None, suppressions: list | None = None,
                 stubs: list | None = None, resource_lines: dict | None = None, resources: int = 0):
        self.findings = [] if findings is None else findings
        self.errors = [] if errors is None else errors
        self.suppressions = [] if suppressions is None else suppressions
        self.stubs = [] if stubs is None else stubs  # properties-free resources for run-scope checks
        self.resource_lines = {} if resource_lines is None else resource_lines
        self.resources = resources

    def absorb(self, other: "StackResult") -> None:
        """Add ``other``, the next file's result, to this one, as ``Engine.finish`` reads results in
        order: lists extended, each resource name's first line kept (finish reads no other). A template
        run gathers its files into one result as they arrive instead of holding 10,000 of them, each
        with its own lists and map, until the run ends (issue 18)."""
        self.findings += other.findings
        self.errors += other.errors
        self.suppressions += other.suppressions
        self.stubs += other.stubs
        lines = self.resource_lines
        for name, line in other.resource_lines.items():
            lines.setdefault(name, line)
        self.resources += other.resources


class CheckContext:
    """What a check may read besides the resource: its options and, for run checks, the run."""

    def __init__(self, spec, config: Config):
        self.spec = spec
        self.config = config

    def option(self, key):
        declared = self.spec.options.get(key)
        return self.config.options.get(key, declared.default if declared is not None else None)


class Engine:
    def __init__(self, specs, config: Config, today: _dt.date | None = None, source: str = "template"):
        self.config = config
        self.today = today or _dt.date.today()
        self.source = source
        # whether findings keep their fixes' edits (--fix, --diff, SARIF's fixes) or only what the reports
        # say of them (lakelint.fixes.intents.FixSummary): a large run's memory (issue 18)
        self.fix_edits = True
        # whether each file's fixes become their summaries with their text edits as soon as the file is
        # linted (a lint writing SARIF: lakelint.runs.fix.summarise_with_edits)
        self.edits_at_lint = False
        self._shared = {}  # values many findings and stubs repeat, each once (see shared)
        self.by_code = {s.code: s for s in specs}
        self.by_name = {s.name: s.code for s in specs}
        bind_options(config, specs)  # once the checks are known: option keys and values by their types
        selected = self._expand(config.select) if config.select else set(self.by_code)
        selected |= set(config.enabled) & set(self.by_code)  # what the command turns on (--compare)
        selected -= self._expand(config.ignore)
        if not config.preview:  # preview checks run only when asked for (core/preview.py warns when one is named)
            selected -= {s.code for s in specs if s.preview} - set(config.enabled)
        self.specs = [s for s in specs if s.code in selected and source in s.sources]
        # validate now, so a typo fails the run instead of silently switching a control off
        for codes in config.per_file_ignores.values():
            self._expand(codes)
        for written in config.severity:
            if self.resolve_code(written) is None:
                raise ConfigError(f"'severity' names unknown check {written}")
        self.contexts = {s.code: CheckContext(s, config) for s in self.specs}
        self.stub_types = _stub_types(self.specs)
        self.severity_overrides = {self.resolve_code(k): v for k, v in config.severity.items()}
        self._file_codes = {}

    def resolve_code(self, written: str):
        written = written.strip()
        if written.upper() in self.by_code:
            return written.upper()
        return self.by_name.get(written.lower())

    def expand(self, selectors) -> set:
        """The codes check codes, prefixes or names select (``ALL``: every one); ConfigError on an unknown one."""
        return self._expand(selectors)

    def _expand(self, selectors) -> set:
        codes = set()
        for token in selectors:
            token = token.strip()
            if token.upper() == "ALL":
                codes |= set(self.by_code)
                continue
            name_code = self.by_name.get(token.lower())
            if name_code:
                codes.add(name_code)
                continue
            matched = {c for c in self.by_code if c.startswith(token.upper())}
            if not matched:
                raise ConfigError(f"unknown check code or name: {token}")
            codes |= matched
        return codes

    def codes_for(self, file: str | None) -> set:
        """The codes that run on ``file``, after per-file-ignores."""
        if file in self._file_codes:
            return self._file_codes[file]
        if None not in self._file_codes:
            self._file_codes[None] = frozenset(s.code for s in self.specs)
        codes = self._file_codes[None]  # shared by every file no pattern touches: a long run keeps
        relative = self.config.relative(file) if self.config.per_file_ignores else None
        if relative:                    # one set, not one per file (tests/test_parallel.py, bench/)
            for pattern, ignored in self.config.per_file_ignores.items():   # relative to the config's folder
                if fnmatch.fnmatch(relative, pattern):
                    codes = codes - self._expand(ignored)
        self._file_codes[file] = codes
        return codes

    # -- one stack -------------------------------------------------------------------------------

    def run_stack(self, stack) -> StackResult:
        with watchdog():
            return self._run_stack(stack)

    def _run_stack(self, stack) -> StackResult:
        result = StackResult(resources=len(stack.resources))
        codes = self.codes_for(stack.file)
        by_type = {}
        for resource in stack.resources:
            by_type.setdefault(resource.type, []).append(resource)
            if self.stub_types is None or resource.type in self.stub_types:
                result.stubs.append(self._stub(resource))
            if resource.pos:
                result.resource_lines[resource.name] = resource.pos[0]
        for spec in self.specs:
            if spec.code not in codes:
                continue
            if spec.scope == "resource":
                for rtype in spec.resource_types:
                    for resource in by_type.get(rtype, ()):
                        self._run(spec, spec.func, (resource, self.contexts[spec.code]), resource, stack, result)
            elif spec.scope == "stack":
                self._run(spec, spec.func, (stack, self.contexts[spec.code]), None, stack, result)
        for note in stack.notes:
            result.errors.append(note)
        if stack.source == "template":
            result.suppressions = suppress.collect(stack, self.today, self.resolve_code)
            suppress.apply(result.findings, result.suppressions, result.resource_lines)
        result.findings = _dedupe(result.findings)
        return result

    def run_pairs(self, stack, pairs) -> StackResult:
        """``--live --compare``: the drift checks (scope "drift") over ``pairs``, a list of
        ``(DriftPair, resource)`` where ``resource`` is the template resource a finding is located at.
        The template's suppressions apply, as to any of its findings."""
        with watchdog():
            result = StackResult()
            codes = self.codes_for(stack.file)
            for spec in self.specs:
                if spec.scope == "drift" and spec.code in codes:
                    for pair, resource in pairs:
                        self._run(spec, spec.func, (pair, self.contexts[spec.code]), resource, stack, result)
            if stack.source == "template":
                lines = {r.name: r.pos[0] for r in stack.resources if r.pos}
                suppress.apply(result.findings, suppress.collect(stack, self.today, self.resolve_code), lines)
            result.findings = _dedupe(result.findings)
            return result

    def _run(self, spec, func, args, resource, stack, result: StackResult):
        """One check on one resource (or stack, or run): its verdicts become findings, one per problem;
        whatever goes wrong inside it becomes one error entry (lakelint/core/isolation.py)."""
        capped = start_recording()
        reads = reading.session(resource)
        try:
            verdicts = run_check(func, args, self.config.check_timeout) + reads.finish()
        except CheckFailure as failure:
            target = f" on {resource.name}" if resource is not None else ""
            result.errors.append(ErrorEntry(
                f"internal error in check {spec.code}{target}: {failure.reason}",
                file=stack.file, line=resource.pos[0] if resource is not None and resource.pos else None,
                check=spec.code, resource=resource.name if resource is not None else None))
            return
        finally:
            stop_recording()
            reads.finish()
            reading.remember(spec.code, reads)
        groups = {}
        for verdict in verdicts:
            if verdict.void:
                continue
            target = verdict.resource or resource
            key = (id(target), verdict.kind, verdict.message, verdict.pos, verdict.key, verdict.severity)
            groups.setdefault(key, (target, []))[1].append(verdict)
        failed = set()
        for target, group in groups.values():
            self._record(spec, group, target, stack, result)
            failed.add(id(target))
        for read, path in _unique_reads(capped):
            if id(read) not in failed and read.source == "template":
                self._record(spec, [unknown(
                    f"cannot verify every outcome of {'.'.join(map(str, path)) or 'its properties'}: they have "
                    f"more combinations of conditions and parameters than lakelint evaluates, so the template "
                    f"does not prove compliance", key=".".join(map(str, path)) or None)], read, stack, result)

    def _record(self, spec, group, resource: Resource | None, stack, result: StackResult):
        """One finding (or, live, one could-not-evaluate error) for verdicts that differ only in the
        branch they hold in."""
        verdict = group[0]
        source = resource.source if resource is not None else stack.source
        if verdict.kind == "unknown" and source == "live":
            cause = verdict.cause
            name = resource.name if resource is not None else "the account"
            result.errors.append(ErrorEntry(
                f"could not evaluate {spec.code} on {name}: {getattr(cause, 'reason', None) or verdict.message}",
                check=spec.code, resource=name, api_call=getattr(cause, "api_call", None),
                iam_action=getattr(cause, "iam_action", None)))
            return
        space = getattr(stack, "space", None) or Space()
        existing = getattr(resource, "exists", None) or [TRUE]
        short, words = space.describe([v.branch.guard if v.branch is not None else TRUE for v in group], existing)
        file = stack.file if resource is None else resource.file
        result.findings.append(self.finding(spec, verdict, resource, file, short, words,
                                            getattr(stack, "parameters", None)))

    def finding(self, spec, verdict, resource, file, condition=None, words=None, parameters=None) -> Finding:
        message = verdict.message
        if words:
            message = f"{message} ({words})"
        message = _without_secrets(message, parameters)
        pos = verdict.pos or (resource.pos if resource is not None else None) or (None, None)
        severity = self.severity_overrides.get(spec.code) or verdict.severity or spec.severity
        return Finding(
            check=spec.code, name=spec.name, severity=severity, message=message,
            source=resource.source if resource is not None else self.source,
            resource=resource.name if resource is not None else None,
            resource_type=resource.type if resource is not None else None,
            file=file, line=pos[0], column=pos[1], condition=condition,
            arn=getattr(resource, "arn", None), account=getattr(resource, "account", None),
            region=getattr(resource, "region", None), fingerprint_key=verdict.key,
            verdict="unverifiable" if verdict.kind == "unknown" else "fail",
            fix=self._fix(spec, verdict, resource))

    def _fix(self, spec, verdict, resource):
        """The finding's fix: whole (its edits are made or shown), or the run's shared summary of it."""
        fix = _bound_fix(spec, verdict, resource)
        if fix is None or self.fix_edits:
            return fix
        return self.shared(fix.summary())

    def shared(self, value):
        """The run's one object equal to ``value``, an immutable value many records repeat: a fix summary
        (a bucket name and a check's fix recur across thousands of templates), a resource's position.
        A run of 10,000 templates holds a few hundred summaries instead of 150,000 (issue 18). A value
        that cannot be a key (a position some source wrote as a list) is kept as it is."""
        try:
            return self._shared.setdefault(value, value)
        except TypeError:
            return value

    def _stub(self, resource: Resource) -> ResourceStub:
        """A resource without its properties; account-level records (``LakeLint::*``) are small and kept
        whole, since run checks such as the bucket quota read them. Its texts are interned and its
        position shared: a large run keeps tens of thousands of stubs that repeat them."""
        props = resource.props if resource.type.startswith("LakeLint::") else None
        return ResourceStub(intern_text(resource.type), intern_text(resource.name), props, resource.source, resource.file,
                            self.shared(resource.pos), resource.arn, resource.account, resource.region,
                            intern_text(resource.condition))

    def share(self, result: StackResult) -> None:
        """Point a result a worker sent at this run's shared values (``shared``): each chunk of results
        arrives with its own copies, as pickling shares an object within one message only. Whole fixes
        (``fix_edits``) are left as they are."""
        if not self.fix_edits:
            for finding in result.findings:
                if finding.fix is not None:
                    finding.fix = self.shared(finding.fix)
        for stub in result.stubs:
            stub.type, stub.name, stub.pos = intern_text(stub.type), intern_text(stub.name), self.shared(stub.pos)
            stub.condition = intern_text(stub.condition)

    # -- the whole run ---------------------------------------------------------------------------

    def finish(self, results) -> tuple[list, list]:
        """Run-scope checks and LL001 over every stack's results; returns all findings and errors."""
        with watchdog():
            return self._finish(results)

    def _finish(self, results) -> tuple[list, list]:
        findings = [f for r in results for f in r.findings]
        errors = [e for r in results for e in r.errors]
        stubs = [s for r in results for s in r.stubs]
        suppressions = [s for r in results for s in r.suppressions]
        lines = {}
        for r in results:
            for name, line in r.resource_lines.items():
                lines.setdefault(name, line)
        run_findings = []
        scratch = StackResult()
        for spec in self.specs:
            if spec.scope != "run":
                continue
            pseudo_stack = _RunStack(self.source)
            self._run(spec, spec.func, (stubs, self.contexts[spec.code]), None, pseudo_stack, scratch)
        for finding in scratch.findings:
            if finding.check in self.codes_for(finding.file):
                run_findings.append(finding)
        by_file = {}
        for sup in suppressions:
            by_file.setdefault(sup.file, []).append(sup)
        for finding in run_findings:
            suppress.apply([finding], by_file.get(finding.file, []), lines)
        findings += run_findings
        errors += scratch.errors
        hygiene = StackResult()
        for spec in self.specs:
            if spec.scope != "suppressions":
                continue
            for file, group in sorted(by_file.items(), key=lambda item: item[0] or ""):
                if spec.code in self.codes_for(file):
                    self._run(spec, spec.func, (group, _SuppressionContext(self)), None,
                              _RunStack(self.source, file), hygiene)
        findings += hygiene.findings
        errors += hygiene.errors
        errors.sort(key=ErrorEntry.sort_key)
        sort_findings(findings)
        return findings, errors


def sort_findings(findings: list) -> None:
    """``findings.sort(key=Finding.sort_key)``, without holding a key for every finding at once, and
    without a second list of them.

    A run of 10,000 templates has ~250,000 findings; one sort by ``sort_key`` builds all their key
    tuples together, about as much memory again as the findings (issue 18). The key starts with the
    file, so the list is sorted by file first (the keys are the findings' own strings), then each
    file's run of findings by the whole key, one file's keys at a time: the same order, stability
    included, sorted where it stands rather than copied into groups and back."""
    findings.sort(key=_file_of)
    start = 0
    while start < len(findings):
        file = _file_of(findings[start])
        end = start + 1
        while end < len(findings) and _file_of(findings[end]) == file:
            end += 1
        if end - start > 1:
            findings[start:end] = sorted(findings[start:end], key=Finding.sort_key)
        start = end


def _file_of(finding) -> str:
    return finding.file or ""


class _RunStack:
    """Stands in for a stack where a check's findings belong to the run (or to one file of it)."""

    def __init__(self, source, file=None):
        self.source = source
        self.file = file


class _SuppressionContext:
    """LL001 needs to know which checks a suppression's file actually ran."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def ran(self, code: str, file: str | None) -> bool:
        return code in self.engine.codes_for(file)


def _stub_types(specs):
    """The resource types the selected run-scope checks read (their declared ``reads``): only those
    resources are kept as stubs for them, so a large run holds no stub nobody reads. None (keep every
    resource) when a run-scope check declares no reads."""
    run_specs = [s for s in specs if s.scope == "run"]
    if any(not s.reads for s in run_specs):
        return None
    return frozenset(rtype for s in run_specs for rtype in s.reads)


def _bound_fix(spec, verdict, resource):
    """The verdict's fix, bound to its resource and the check's safety, when the check declares fixes
    and the finding is a template's (live findings are fixed in the account, not by lakelint)."""
    fix = verdict.fix
    if fix is None or not spec.fix or resource is None or resource.source != "template":
        return None
    return fix.bound(resource, spec.fix)


def _unique_reads(capped) -> list:
    seen, unique = set(), []
    for resource, path in capped:
        if (id(resource), path) not in seen:
            seen.add((id(resource), path))
            unique.append((resource, path))
    return unique


MIN_SECRET_LENGTH = 3  # shorter texts are too common to stand for a secret in a message


def _without_secrets(message: str, parameters) -> str:
    """``message`` with every value of a NoEcho parameter (its Default, its AllowedValues) masked: a
    check may quote a value it read, and those values must never reach a report."""
    if not parameters:
        return message
    for param in parameters.values():
        if not isinstance(param, dict) or truth(param.get("NoEcho", False)) is not True:
            continue
        values = [param.get("Default")] + list(param.get("AllowedValues") or [])
        for value in sorted({str(v) for v in values if v is not None and not isinstance(v, (dict, list))},
                            key=len, reverse=True):
            if len(value) >= MIN_SECRET_LENGTH and value in message:
                message = message.replace(value, "****")
    return message


def _dedupe(findings) -> list:
    seen = set()
    unique = []
    for f in findings:
        key = (f.check, f.resource, f.file, f.line, f.column, f.message, f.account, f.region)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique

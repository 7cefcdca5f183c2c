"""``lakelint --live --compare PATH ...``: each resource's verdicts in its template, as deployed, and in
the account, side by side.

1. The templates under PATH are read as template mode reads them.
2. The account is scanned as ``--live`` scans it, with the CloudFormation stacks of each region (their
   parameters, resources and deployed bodies), and the live checks run on it.
3. Each stack is matched to a template (matching.py): the configuration's ``stacks:`` mapping, else its
   deployed body.
4. Each matched template is built again with the stack's parameters and pseudo parameters (region,
   account, stack name), so exactly the branch that was deployed is judged, and its checks run.
5. Each resource the stack lists is paired with its template resource and its live resource
   (pairing.py); for every check that judges its type on both sources, the two verdicts make a
   ``DriftPair`` and the drift checks judge the pairs whose verdicts differ (LL801, LL802). A side that
   could not be judged is never drift: it is an error naming the side (could-not-evaluate).

The report holds the drift findings, LL803's unmanaged resources, and the run's errors; the coverage
of the comparison (stacks without templates, templates without stacks) is in its summary. Each
source's own findings are what ``lakelint PATH`` and ``lakelint --live`` report.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lakelint import __version__
from lakelint.core.config import Config
from lakelint.core.drift import DriftPair, Side
from lakelint.core.engine import Engine
from lakelint.core.model import ErrorEntry, Report
from lakelint.core.values import is_unresolved
from lakelint.runs.compare.matching import Template, match_stacks
from lakelint.runs.compare.pairing import LiveIndex, Verdicts, attached_types, parent_physical_id
from lakelint.runs.live import judge_account, live_plan
from lakelint.sources.live.inventory import resource_count
from lakelint.sources.live.session import DEFAULT_WORKERS

DRIFT_CODES = ("LL801", "LL802", "LL803")
STACK_TYPE = "LakeLint::Stack"
STACK_PROPERTIES = ("StackName", "StackId", "StackStatus", "ParentId", "RootId", "Parameters", "Tags",
                    "Resources", "TemplateBody")
GONE = "DELETE_COMPLETE"  # a stack's record of a resource it deleted


def compare_config(config: Config, specs) -> Config:
    """The run's configuration with the drift codes turned on. ``--select`` names the checks compared
    and, when it names drift codes, the drift codes reported (``--select LL801``: weakened resources
    only, for every check); ``--ignore`` leaves out either."""
    probe = Engine(specs, Config())
    named = {token: probe.expand([token]) for token in config.select}
    reported = set().union(*named.values()) & set(DRIFT_CODES) if named else set()
    underlying = [token for token, codes in named.items() if codes - set(DRIFT_CODES)]
    return config.replace(select=underlying, enabled=frozenset(reported or DRIFT_CODES))


def compare_plan(config: Config, specs, regions=None):
    """What ``--compare`` reads: the live scan of the compared checks and the drift checks, and each
    stack's record (parameters, resources, deployed body). ``config`` is ``compare_config``'s."""
    return live_plan(config, specs, regions).with_reads(STACK_TYPE, STACK_PROPERTIES)


def iam_policy_json(config: Config, specs) -> str:
    """``--print-iam-policy --compare``: the policy of a compare run, CloudFormation's reads included."""
    from lakelint.sources.live.iam import policy_json

    return policy_json(compare_plan(compare_config(config, specs), specs))


def lint_drift(paths, config: Config, specs, profile: str | None = None, regions=None, progress: bool = False, *,
               session=None, workers: int = DEFAULT_WORKERS, timeout: float | None = None) -> Report:
    config = compare_config(config, specs)
    templates, errors = read_templates(paths, config)
    template_engine = Engine(specs, config, source="template")
    plan = compare_plan(config, specs, regions)
    judged = judge_account(config, specs, plan, profile, regions, progress, session=session, workers=workers,
                           timeout=timeout)
    comparison = Comparison(config, template_engine, judged)
    records = [r for stack in judged.stacks for r in stack.of_type(STACK_TYPE)]
    matching = match_stacks(records, templates, config)
    for match in matching.matches:
        if match.template is not None:
            comparison.compare(match.record, match.template)
    errors += matching.errors + comparison.errors
    errors += [e for e in judged.errors if e.check is None or e.check in config.enabled]
    findings = comparison.findings + [f for f in judged.findings if f.check in config.enabled]
    report = Report(findings=sorted(findings, key=lambda f: f.sort_key()), errors=_unique(errors),
                    files=len(templates), paths=[t.shown for t in templates],
                    resources=resource_count(judged.stacks),
                    checks=[s for s in judged.engine.specs if s.code in config.enabled],
                    tool_version=__version__, fail_on=config.fail_on)
    report.comparison = {
        "stacks": sum(1 for m in matching.matches if m.template is not None),
        "resources": comparison.resources,
        "stacks_without_templates": sorted(f"{m.record.name} ({m.record.region})"
                                           for m in matching.matches if m.template is None),
        "templates_without_stacks": matching.unmatched_templates,
        "not_in_templates": sorted(comparison.not_in_templates),
        "not_deployed": sorted(comparison.not_deployed),
    }
    return report


def read_templates(paths, config: Config) -> tuple:
    """Every template under ``paths``, parsed once, as template mode finds and reads them."""
    from lakelint.sources.cloudformation.loader import decode_text, parse
    from lakelint.sources.cloudformation.source import find_files, load_stack

    files, errors = find_files(paths, config.exclude, config.base)
    templates = []
    for shown, path in files:
        stack, file_errors = load_stack(shown, path, config.max_file_size)
        errors += file_errors
        if stack is not None:  # the text as written: Fn::ForEach and SAM are expanded again as deployed
            templates.append(Template(shown, stack, parse(decode_text(path.read_bytes()))))
    return templates, errors


class Comparison:
    """The stacks' resources, judged on both sides."""

    def __init__(self, config: Config, template_engine: Engine, judged):
        self.config = config
        self.engine = template_engine
        self.account, self.partition = judged.scan.account, judged.scan.partition
        self.live = Verdicts(judged.findings, judged.errors)
        self.index = LiveIndex(judged.stacks)
        live_codes = {s.code for s in judged.engine.specs}
        self.compared = [s for s in template_engine.specs
                         if s.code in live_codes and s.scope in ("resource", "stack") and s.resource_types]
        self.findings, self.errors = [], []
        self.resources = 0
        self.not_in_templates, self.not_deployed = [], []

    def specs_for(self, rtype: str, template: Template) -> list:
        codes = self.engine.codes_for(template.shown)
        return [s for s in self.compared if rtype in s.resource_types and s.code in codes]

    def compare(self, record, template: Template) -> None:
        resources, parameters = record.props.get("Resources"), record.props.get("Parameters")
        for value, what in ((resources, "its resources"), (parameters, "the parameters it was deployed with")):
            if is_unresolved(value):
                self.errors.append(ErrorEntry(
                    f"could not compare stack {record.name} ({record.region}) with {template.shown}: {what} could "
                    f"not be read ({getattr(value, 'reason', value)})", file=template.shown))
                return
        stack = _Deployment(record, template, self._deployed(record, template, parameters or {}))
        result = self.engine.run_stack(stack.deployed)
        self.errors += [e for e in result.errors if not e.check]  # the template's own notes
        stack.verdicts = Verdicts(result.findings, result.errors)
        # a resource the stack deleted is not there; one without a logical id cannot be named (moto lists
        # the types it does not deploy so)
        listed = [item for item in resources or []
                  if item.get("ResourceStatus") != GONE and item.get("LogicalResourceId")]
        stack.physical_ids = {str(i["LogicalResourceId"]): str(i.get("PhysicalResourceId") or "") for i in listed}
        in_template = {r.name: r for r in stack.deployed.resources}
        for item in listed:
            logical = str(item["LogicalResourceId"])
            if logical not in in_template:
                self.not_in_templates.append(f"{record.name}: {logical}")
        for name, resource in in_template.items():
            specs = self.specs_for(resource.type, template)
            if not specs:
                continue
            parent = parent_physical_id(resource, stack.physical_ids)
            if name in stack.physical_ids or parent:  # an attached resource is where its parent is
                physical = stack.physical_ids.get(name) or parent
                live = self.index.find(resource.type, physical, record.region, parent)
                self._compare_resource(stack, resource, physical, live, specs)
            else:
                self.not_deployed.append(f"{template.shown}: {name} (stack {record.name})")
        self._undeclared(stack, in_template)

    def _undeclared(self, stack, in_template) -> None:
        """Attached resources the account holds and the template does not declare (a bucket policy added
        by hand to a bucket the stack manages): judged against a template that has none."""
        declared = {(r.type, parent_physical_id(r, stack.physical_ids)) for r in in_template.values()}
        for name, resource in in_template.items():
            physical = stack.physical_ids.get(name)
            for rtype in attached_types(resource.type):
                specs = self.specs_for(rtype, stack.template)
                live = self.index.find(rtype, physical, stack.record.region, physical) if physical else None
                if specs and live is not None and (rtype, physical) not in declared:
                    self._compare_resource(stack, resource, physical, live, specs, undeclared=rtype)

    def _deployed(self, record, template: Template, parameters: dict):
        """The template built as the stack deployed it: its parameters, region, account and name."""
        from lakelint.sources.cloudformation.template import build_stack

        suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        pseudo = {"AWS::Region": record.region, "AWS::AccountId": self.account, "AWS::StackName": record.name,
                  "AWS::StackId": record.props.get("StackId") or record.arn, "AWS::Partition": self.partition,
                  "AWS::URLSuffix": suffix}
        deployed = build_stack(template.root, template.shown, deployed=parameters, pseudo=pseudo)
        deployed.text_lines = template.stack.text_lines
        return deployed

    def _compare_resource(self, stack, resource, physical, live, specs, undeclared=None) -> None:
        record, shown, logical = stack.record, stack.template.shown, resource.name
        line = resource.pos[0] if resource.pos else None
        self.resources += 1
        if live is None and all(s.scope == "stack" for s in specs):
            # judged only by checks that see a region whole (LL204): the scan keeps only what they need
            # (a route table no subnet uses), and their findings name what they are about
            live = _Absent(physical, record.region)
        if live is None:
            self.errors.append(ErrorEntry(
                f"could not compare {logical} (stack {record.name}) with the account: CloudFormation lists it as "
                f"{physical}, which the scan did not find in {record.region} (deleted outside CloudFormation?)",
                file=shown, line=line, resource=logical))
            return
        where = f"{shown}:{line}" if line else shown
        for spec in specs:
            if undeclared:
                template_side = Side("pass", [], [], where)
            else:
                template_side = stack.verdicts.side(logical, spec.code, where)
            live_side = self.live.side(live.name, spec.code, live.arn)
            unknown = [(name, side) for name, side in (("template", template_side), ("account", live_side))
                       if side.verdict == "unknown"]
            if unknown:
                said = "; ".join(f"in the {name}, {side.messages[0]}" for name, side in unknown)
                self.errors.append(ErrorEntry(
                    f"could not compare {spec.code} {spec.name} on {logical} (stack {record.name}) with the "
                    f"account: {said}", file=shown, line=line, check=spec.code, resource=logical))
                continue
            if template_side.verdict == live_side.verdict:
                continue
            if undeclared:
                live_side.messages = [f"{m} (the template declares no {_kind(undeclared)} for it)"
                                      for m in live_side.messages]
            pair = DriftPair(spec.code, spec.name, record.name, logical, undeclared or resource.type, physical,
                             template_side, live_side)
            for finding in self.engine.run_pairs(stack.deployed, [(pair, resource)]).findings:
                self.findings.append(_located(finding, pair, live))


@dataclass
class _Deployment:
    """One stack beside the template it was deployed from, built as deployed."""

    record: object
    template: Template
    deployed: object
    verdicts: Verdicts | None = None
    physical_ids: dict = dataclasses.field(default_factory=dict)


def _kind(rtype: str) -> str:
    return {"AWS::S3::BucketPolicy": "bucket policy"}.get(rtype, rtype)


@dataclass
class _Absent:
    """What a stack's resource is on the live side when the scan keeps no record of it."""

    name: str
    region: str
    arn: str | None = None
    account: str | None = None


def _located(finding, pair: DriftPair, live):
    """A drift finding: at the template's resource, naming the live one, with both sides (JSON ``drift``)."""
    finding.source = "live"
    finding.arn, finding.account, finding.region = live.arn, live.account, live.region
    finding.drift = {"check": pair.check, "stack": pair.stack, "logical_id": pair.logical_id,
                     "physical_id": pair.physical_id,
                     "template": {**pair.template.to_dict(), "file": finding.file, "line": finding.line},
                     "live": {**pair.live.to_dict(), "arn": live.arn}}
    return finding


def _unique(errors) -> list:
    seen, kept = set(), []
    for entry in sorted(errors, key=ErrorEntry.sort_key):
        key = (entry.message, entry.file, entry.line, entry.check, entry.resource)
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept

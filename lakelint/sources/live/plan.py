"""The scan plan: from what the selected checks read to the calls the scan makes.

Two declarations meet here. Each check declares what it reads (``CheckSpec.reads``: ``{resource type:
(property path, ...)}``, ``"*"`` for every property); each collector declares what it provides (per
type, the listing calls, and per top-level property the calls that fill it). The plan is:

- per resource type, the top-level properties the checks read: the first step of each declared path,
  or every property the collectors provide for ``"*"``. A check that declares ``"*"`` for a type also
  reads the type's companions (a bucket's policy, the account-level Block Public Access that covers
  it; for the other services, the types their collector links to it): a check that states nothing
  exact may follow any relation the inventory builds;
- a stack-scope check that declares no type at all may read anything (every type, every property); a
  run-scope check that declares none sees every resource without its properties (every listing);
- the calls: each planned type's listing, and the fill of each planned property whose condition holds
  (the bucket quota only with ``bucket-quota: auto``).

What the plan does not read is unknown by construction (``props.LiveProps``). The same plan gives the
IAM policy (iam.py) and the docs' call lists (docs.py), so all three name the same calls.

``unprovided_reads`` is the load-time rule: a live-capable check that names a property no collector
provides would be judged on nothing, so live mode refuses to run with it (runs/live.py calls it).
"""

from __future__ import annotations

from lakelint.core.config import ConfigError
from lakelint.sources.live.catalog import SCAN_CALLS
from lakelint.sources.live.collectors import collectors as all_collectors

EVERY = "*"
OWN_TYPES_PREFIX = "LakeLint::"
# Listed (names and regions only) under --region all, to tell which regions hold data-lake resources
# (regions.py) even when the selected checks read only regional defaults.
ACTIVITY_TYPE = "AWS::S3::Bucket"


class UnprovidedRead(ConfigError):
    """A live-capable check reads a property no live collector provides."""


def top_level(path: str) -> str:
    return str(path).split(".", 1)[0]


def _providers(collectors) -> dict:
    """{type: [(collector, TypeReads)]}"""
    found = {}
    for collector in collectors:
        for rtype, reads in collector.types.items():
            found.setdefault(rtype, []).append((collector, reads))
    return found


def _merge(into: dict, rtype: str, paths) -> None:
    paths = tuple(paths)
    if EVERY in paths:
        into[rtype] = EVERY
        return
    current = into.get(rtype, frozenset())
    if current is EVERY:
        return
    into[rtype] = current | {top_level(p) for p in paths}


def declared_reads(specs, collectors=None) -> dict:
    """{type: frozenset of top-level properties, or EVERY} that the checks ``specs`` read live."""
    collectors = list(all_collectors() if collectors is None else collectors)
    providers = _providers(collectors)
    merged = {}
    for spec in specs:
        if spec.scope == "suppressions" or "live" not in spec.sources:
            continue
        reads = dict(spec.reads or {})
        if not reads and not spec.resource_types:
            if spec.scope == "stack":  # may read anything
                for rtype in providers:
                    merged[rtype] = EVERY
            elif spec.scope == "run":  # sees every resource, without properties (lakelint's records whole)
                for rtype in providers:
                    _merge(merged, rtype, (EVERY,) if rtype.startswith(OWN_TYPES_PREFIX) else ())
            continue
        for rtype, paths in reads.items():
            _merge(merged, rtype, paths)
            if EVERY in tuple(paths):
                for collector, _ in providers.get(rtype, []):
                    for other, other_paths in collector.companions_of(rtype).items():
                        _merge(merged, other, other_paths)
    return merged


class ScanPlan:
    """The types to list, the properties to read and the calls to make, for one run."""

    def __init__(self, reads: dict, config=None, collectors=None):
        self.config = config
        self._all = list(all_collectors() if collectors is None else collectors)
        self.providers = _providers(self._all)
        self.reads = {t: v for t, v in reads.items() if t in self.providers}
        calls = {}
        for rtype, wanted in self.reads.items():
            for _, type_reads in self.providers[rtype]:
                calls.update(dict.fromkeys(type_reads.listing))
                for prop, filled in type_reads.properties.items():
                    if (wanted is EVERY or prop in wanted) and filled.applies(config):
                        calls.update(dict.fromkeys(filled.calls))
        self.calls = tuple(calls)
        self._call_set = frozenset(calls)
        self.collectors = [c for c in self._all if any(t in self.reads for t in c.types)]
        self._read_cache, self._reason_cache = {}, {}  # per type: asked once per resource, computed once

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def for_checks(cls, specs, config=None, collectors=None) -> "ScanPlan":
        """What the selected checks need (``specs`` as the engine selected them for live mode)."""
        return cls(declared_reads(specs, collectors), config, collectors)

    @classmethod
    def everything(cls, config=None, collectors=None) -> "ScanPlan":
        """Every property of every type of ``collectors`` (all of them by default): a full scan."""
        chosen = list(all_collectors() if collectors is None else collectors)
        return cls({t: EVERY for c in chosen for t in c.types}, config, chosen)

    def with_listing(self, rtype: str) -> "ScanPlan":
        """This plan, listing ``rtype`` too (its identity; no property it did not read already)."""
        if rtype in self.reads or rtype not in self.providers:
            return self
        return ScanPlan({**self.reads, rtype: frozenset()}, self.config, self._all)

    def with_reads(self, rtype: str, properties) -> "ScanPlan":
        """This plan, reading ``properties`` of ``rtype`` too (``--compare`` reads the stacks' records)."""
        if rtype not in self.providers:
            return self
        before = self.reads.get(rtype, frozenset())
        wanted = EVERY if before is EVERY else frozenset(before) | frozenset(properties)
        return ScanPlan({**self.reads, rtype: wanted}, self.config, self._all)

    # -- what collectors ask -----------------------------------------------------------------------

    def wants(self, call) -> bool:
        return call in self._call_set

    def lists(self, rtype: str) -> bool:
        return rtype in self.reads

    # -- what the inventory asks -------------------------------------------------------------------

    def read_properties(self, rtype: str) -> frozenset:
        """The top-level properties of ``rtype`` the scan read: those whose fill it made in full."""
        if rtype in self._read_cache:
            return self._read_cache[rtype]
        found = set()
        for _, type_reads in self.providers.get(rtype, []):
            if not set(type_reads.listing) <= self._call_set:
                continue
            for prop, filled in type_reads.properties.items():
                if filled.applies(self.config) and set(filled.calls) <= self._call_set:
                    found.add(prop)
        self._read_cache[rtype] = frozenset(found)
        return self._read_cache[rtype]

    def unread_reasons(self, rtype: str) -> dict:
        """Why each property a collector provides for ``rtype`` was not read, when it was not."""
        if rtype in self._reason_cache:
            return self._reason_cache[rtype]
        reasons = self._reason_cache[rtype] = {}
        read = self.read_properties(rtype)
        for _, type_reads in self.providers.get(rtype, []):
            for prop, filled in type_reads.properties.items():
                if prop in read:
                    continue
                if not filled.applies(self.config):
                    reasons[prop] = f"live mode reads {rtype} {prop} only {filled.condition or 'on occasion'}"
                else:
                    reasons[prop] = (f"no selected check declares {rtype} {prop} in its reads, so the scan "
                                     f"did not fetch it")
        return reasons

    # -- what the policy and the docs list ---------------------------------------------------------

    def policy_calls(self) -> tuple:
        """Every call this plan may make: the scan's own, the planned ones, the planned collectors'
        contingent calls (HeadBucket, made only to confirm a deleted bucket), and what ``--region all``
        adds (the enabled regions, and the bucket listing that tells active regions)."""
        found = dict.fromkeys(SCAN_CALLS)
        widened = self.with_listing(ACTIVITY_TYPE)
        found.update(dict.fromkeys(widened.calls))
        for collector in widened.collectors:
            found.update(dict.fromkeys(collector.contingent))
        return tuple(found)


def unprovided_reads(specs, collectors=None) -> list:
    """One line per property a live-capable check declares that no collector provides.

    A type the check judges (``resource_types``) that live mode does not list at all is not one: the
    check never meets such a resource live, so it is judged on templates only (a DynamoDB global
    table, whose replicas live mode reads as the tables of their Regions)."""
    providers = _providers(all_collectors() if collectors is None else collectors)
    problems = []
    for spec in specs:
        if "live" not in spec.sources or spec.scope == "suppressions":
            continue
        for rtype, paths in (spec.reads or {}).items():
            for path in paths:
                if path == EVERY:
                    continue
                where = f"{spec.code} ({spec.module or spec.origin})"
                if rtype not in providers:
                    if spec.scope == "resource" and rtype in spec.resource_types:
                        continue  # a type it judges that live mode never lists: it never meets one live
                    problems.append(f"{where} reads {rtype} {path}, but live mode does not read {rtype} at all")
                    continue
                provided = {p for _, reads in providers[rtype] for p in reads.properties}
                if top_level(path) not in provided:
                    problems.append(f"{where} reads {rtype} {path}, which no live collector provides")
    return problems


def check_reads(specs, collectors=None) -> None:
    """Refuse a live run whose checks read what no collector provides (``UnprovidedRead``, exit 2):
    such a check would see "unknown" on every resource. Add the property to the collector of its
    service (lakelint/sources/live/collectors/), or declare the check template-only."""
    problems = unprovided_reads(specs, collectors)
    if problems:
        raise UnprovidedRead("checks read what live mode cannot: " + "; ".join(problems)
                             + " (a live collector must provide each property a live-capable check reads)")

"""What live mode reads, rendered for people from the same collectors and plan the scan follows.

- ``collectors_table()``: the README's "what it reads" table, one row per collector (generated between
  the README's ``<!-- live-services:start -->`` / ``end`` markers, see lakelint/docs/explain.py);
- ``properties_table()``: per resource type and top-level property, the calls that fill it;
- ``live_calls(spec)`` / ``live_calls_line(spec)``: the calls a scan makes for one check, for the
  "Live calls" line of each live-capable check's docs.

Nothing here is written by hand: a collector that starts to provide a property, or a check that
declares a new read, changes these texts, and the docs' up-to-date tests say so.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import DESCRIBE_REGIONS, GET_CALLER_IDENTITY
from lakelint.sources.live.collectors import collectors
from lakelint.sources.live.plan import ScanPlan


def _actions(calls) -> str:
    return ", ".join(f"`{a}`" for a in dict.fromkeys(call.iam_action for call in calls))


def _conditions(collector) -> dict:
    """{call: condition} for the calls a collector makes only under some configuration."""
    conditional, always = {}, set()
    for reads in collector.types.values():
        always.update(reads.listing)
        for filled in reads.properties.values():
            for call in filled.calls:
                if filled.when is None:
                    always.add(call)
                else:
                    conditional.setdefault(call, filled.condition)
    return {call: condition for call, condition in conditional.items() if call not in always}


def collectors_table() -> str:
    """One row per collector: what it reads (resource types) and the IAM actions of its calls."""
    rows = ["| what | resource types | IAM actions |", "|---|---|---|",
            f"| the account | (identity, regions) | `{GET_CALLER_IDENTITY.iam_action}`; with `--region all`, "
            f"`{DESCRIBE_REGIONS.iam_action}` |"]
    for collector in sorted(collectors(), key=lambda c: c.name.lower()):
        where = "once per account" if collector.scope == "account" else "each scanned region"
        types = ", ".join(f"`{t}`" for t in collector.types)
        conditions = _conditions(collector)
        regular = [c for c in collector.calls if c not in collector.contingent]
        actions = ", ".join(f"`{c.iam_action}`" + (f" ({conditions[c]})" if c in conditions else "") for c in regular)
        if collector.contingent:
            actions += "; on occasion " + _actions(collector.contingent)
        rows.append(f"| {collector.name} ({where}) | {types} | {actions} |")
    return "\n".join(rows)


def properties_table() -> str:
    """Per resource type and top-level property, the API calls that fill it (and when, if not always)."""
    rows = ["| resource type | property | calls |", "|---|---|---|"]
    for collector in sorted(collectors(), key=lambda c: c.name.lower()):
        for rtype, reads in collector.types.items():
            for prop, filled in reads.properties.items():
                calls = ", ".join(f"`{c.operation}`" for c in dict.fromkeys(reads.listing + filled.calls))
                when = f" ({filled.condition})" if filled.condition else ""
                rows.append(f"| `{rtype}` | `{prop}` | {calls}{when} |")
    return "\n".join(rows)


def live_calls(spec, config=None) -> list:
    """The calls a live scan makes for ``spec`` alone, in order: identity first, then the plan's."""
    if "live" not in spec.sources:
        return []
    plan = ScanPlan.for_checks([spec], config)
    return list(dict.fromkeys((GET_CALLER_IDENTITY, *plan.calls)))


def conditional_calls(spec) -> list:
    """(condition, calls) the check's reads add only under some configuration (the bucket quota)."""
    plan = ScanPlan.for_checks([spec], None)
    found = []
    for rtype, wanted in plan.reads.items():
        for _, reads in plan.providers[rtype]:
            for prop, filled in reads.properties.items():
                if filled.when is not None and (wanted == "*" or prop in wanted) and not filled.applies(None):
                    found.append((filled.condition, filled.calls))
    return found


def live_calls_line(spec) -> str | None:
    """"Live calls: `GetCallerIdentity` (`sts:GetCallerIdentity`), ..." for a live-capable check."""
    calls = live_calls(spec)
    if not calls:
        return None

    def show(items):
        return ", ".join(f"`{c.operation}` (`{c.iam_action}`)" for c in items)

    line = f"Live calls: {show(calls)}"
    for condition, extra in conditional_calls(spec):
        line += f"; {condition}, also {show(extra)}"
    return line

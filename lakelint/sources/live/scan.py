"""One scan of one account: who we are, which regions, then the planned collectors on a bounded pool.

What gets collected is the plan (plan.py): only the calls that feed the properties the selected
checks read. ``--select LL301`` on an account of 5,000 buckets is then one listing, not 60,000 calls.

The account is identified once (``GetCallerIdentity``) and handed to every collector. Regional
collectors run once per scanned region on the pool; account-scope ones (S3 buckets, account settings)
once, the bucket collector spreading its buckets over the same pool. Every failure ends up either at
a property (``Unreadable``) or, when it is not about one property (a listing, a region), as an
``ErrorEntry``; nothing is dropped silently. What an emulator does not implement is said once per
service in a note, however many regions lack it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from lakelint.core.model import ErrorEntry
from lakelint.sources.live.catalog import GET_CALLER_IDENTITY
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.guard import WriteRefused
from lakelint.sources.live.redact import redact
from lakelint.sources.live.regions import quiet_regions, resolve_regions

ACCOUNT_TYPE = "LakeLint::Account"
REGIONAL = "regional services"


@dataclass
class ScanResult:
    account: str | None = None
    partition: str = "aws"
    home_region: str | None = None
    regions: list = field(default_factory=list)
    records: list = field(default_factory=list)  # (region, LiveRecord)
    account_props: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # said on stderr (emulator gaps, deleted buckets, quiet regions)
    quiet: list = field(default_factory=list)  # regions whose regional defaults were not judged


def scan(session, requested_regions, plan, progress, live_regions: str | None = None) -> ScanResult:
    result = ScanResult(home_region=session.home_region)
    choice = resolve_regions(session, requested_regions)  # no region at all: a usage error
    result.regions, result.errors = choice.regions, list(choice.errors)
    try:
        identity = session.read(GET_CALLER_IDENTITY)
    except Fault as fault:
        result.errors.append(fault.error("identify the account behind the credentials"))
        _timed_out(session, result)
        return result
    result.account = identity["Account"]
    result.partition = session.partition(result.regions[0] if result.regions else session.home_region)

    # Ctrl-C or a refused call must not wait for thousands of queued reads: pending ones are cancelled.
    pool = ThreadPoolExecutor(max_workers=session.workers, thread_name_prefix="lakelint-live")
    ctx = CollectContext(session, result.account, plan, result.notes,
                         fan_out=lambda func, items, label: _fan_out(pool, progress, result, func, items, label))
    unsupported = {}  # (collector name, what the endpoint lacks) -> regions
    try:
        regional = {pool.submit(collector.collect, ctx, region): (collector, region)
                    for collector in plan.collectors if collector.scope == "region" for region in result.regions}
        if regional:
            progress.add(REGIONAL, len(regional))
        for collector in plan.collectors:
            if collector.scope != "account":
                continue
            progress.note(f"reading {collector.name.lower()}")
            for record in _run(collector, None, lambda c=collector: c.collect(ctx, None), result, unsupported):
                if record.type == ACCOUNT_TYPE:
                    result.account_props.update(record.props)
                else:
                    result.records.append((record.region, record))
        for job in as_completed(regional):
            collector, region = regional[job]
            result.records += [(region, record) for record in _run(collector, region, job.result, result, unsupported)]
            progress.step(REGIONAL)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        progress.finish()
    for (name, detail), regions in sorted(unsupported.items()):
        result.notes.append(f"skipped {name} in {', '.join(sorted(regions))}: {detail}")
    _quiet(result, choice, live_regions)
    _timed_out(session, result)
    result.notes = [redact(note) for note in result.notes]
    result.records.sort(key=lambda item: (item[0] or "", item[1].type, item[1].name))
    return result


def _run(collector, region, get, result: ScanResult, unsupported: dict) -> list:
    """A collector's records for one region (or the account); its failure as an error entry or, for an
    operation an emulator does not implement, a note."""
    where = region or result.account
    try:
        return list(get() or [])
    except Fault as fault:
        if fault.kind == "unsupported":  # an emulator without this service holds none of it
            detail = fault.detail.replace(f" in {region}", "") if region else fault.detail
            unsupported.setdefault((collector.name, detail), []).append(region or "the account")
        else:
            result.errors.append(fault.error(collector.failed(region), resource=where))
    except WriteRefused:
        raise
    except Exception as exc:  # a bug must cost one service in one region, not the run
        result.errors.append(ErrorEntry(redact(f"internal error reading {collector.name} in {where}: "
                                               f"{type(exc).__name__}: {exc}"), resource=where))
    return []


def _fan_out(pool, progress, result: ScanResult, func, items, label: str) -> list:
    """``func`` over ``items`` on the pool, counted under ``label``; a bug costs one item."""
    items = list(items)
    progress.add(label, len(items))
    jobs = {pool.submit(func, item): item for item in items}
    found = []
    for job in as_completed(jobs):
        try:
            value = job.result()
        except WriteRefused:
            raise
        except Exception as exc:  # a bug must cost one bucket, not the run
            item = jobs[job]
            name = item[0] if isinstance(item, tuple) else item
            result.errors.append(ErrorEntry(redact(f"internal error reading {label.rstrip('s')} {name}: "
                                                   f"{type(exc).__name__}: {exc}")))
            value = None
        if value is not None:
            found.append(value)
        progress.step(label)
    return found


def _quiet(result: ScanResult, choice, live_regions) -> None:
    """Leave out the regional defaults of regions without data-lake resources (regions.py), and say so."""
    by_region = {}
    for region, record in result.records:
        by_region.setdefault(region, []).append(record)
    quiet = set(quiet_regions(choice, by_region, live_regions))
    dropped = [(region, record) for region, record in result.records if region in quiet and record.default]
    if not dropped:
        return
    result.records = [(region, record) for region, record in result.records
                      if not (region in quiet and record.default)]
    result.quiet = sorted({region for region, _ in dropped})
    kinds = sorted({record.type for _, record in dropped})
    result.notes.append(
        f"{len(result.quiet)} region{'s' if len(result.quiet) != 1 else ''} of --region all "
        f"hold{'s' if len(result.quiet) == 1 else ''} no data-lake resources, so the account-level defaults there "
        f"({', '.join(kinds)}) were not judged: "
        f"{', '.join(result.quiet)} (name a region with --region, or set live-regions: all, to judge them)")


def _timed_out(session, result: ScanResult) -> None:
    """The run's --timeout ran out: one error entry says how much was left unread."""
    deadlines = getattr(session, "deadlines", None)
    if deadlines is not None and getattr(deadlines, "interrupted", False):
        result.errors.append(ErrorEntry("the run was interrupted: the reads under way were cut short, and what "
                                        "they would have read is unknown"))
    elif deadlines is not None and deadlines.run_end is not None and deadlines.run_expired:
        unmade = (f"{deadlines.not_made} API call{' was' if deadlines.not_made == 1 else 's were'} not made"
                  if deadlines.not_made else "the reads under way were cut short")
        result.errors.append(ErrorEntry(f"the run's --timeout of {deadlines.run_seconds:g} s ran out: {unmade}, "
                                        f"and what they would have read is unknown"))

"""``lakelint --live``: scan the account, then run the very same engine templates go through.

The engine sees stacks of ``Resource`` records in CloudFormation's shape with ``source="live"``;
it does not know, and the checks do not know, that no template was involved. What the scan reads is
planned from the checks the engine selected (plan.py); ``--print-iam-policy`` prints the policy for
that same plan.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass

from lakelint import __version__
from lakelint.core.config import Config, ConfigError
from lakelint.core.engine import Engine
from lakelint.core.model import Report
from lakelint.core.suppress import apply_account_ignores
from lakelint.sources.live.inventory import build_stacks, resource_count
from lakelint.sources.live.plan import ACTIVITY_TYPE, ScanPlan, check_reads
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.redact import redact
from lakelint.sources.live.scan import scan
from lakelint.sources.live.session import DEFAULT_WORKERS, LiveSession


def live_plan(config: Config, specs, regions=None) -> ScanPlan:
    """The scan plan for the checks ``config`` selects in live mode. Refuses (``UnprovidedRead``, a
    usage error) a live-capable check, selected or not, that reads what no live collector provides."""
    check_reads(specs)
    engine = Engine(specs, config, source="live")
    plan = ScanPlan.for_checks(engine.specs, config)
    if any(str(r).strip().lower() == "all" for r in regions or []) and (config.live_regions or "active") != "all":
        plan = plan.with_listing(ACTIVITY_TYPE)  # to tell the regions that hold data-lake resources
    return plan


def iam_policy_json(config: Config, specs) -> str:
    """``--print-iam-policy``: the least-privilege policy for the checks ``--select``/``--ignore`` leave."""
    from lakelint.sources.live.iam import policy_json

    return policy_json(live_plan(config, specs))


def scanner_policy_json(role_name: str | None, organization: bool) -> str:
    """``--print-iam-policy --org`` (or with ``--accounts``): the scanning principal's own policy."""
    import json

    from lakelint.sources.live.iam import scanner_policy

    return json.dumps(scanner_policy(role_name, organization), indent=2) + "\n"


def scan_role_text(config: Config, specs, kind: str = "role", fmt: str = "cloudformation") -> str:
    """``--print-scan-role``: CloudFormation for the scan role, with exactly ``--print-iam-policy``'s policy."""
    from lakelint.sources.live.iam import policy
    from lakelint.sources.live.scan_role import render

    return render(policy(live_plan(config, specs)), kind, fmt)


def code_resolver(engine):
    """``per-account-ignores`` codes, prefixes or names (as ``select`` takes them) to a set of codes;
    an unknown one is a usage error (ConfigError), as in ``per-file-ignores``."""
    def resolve(selectors) -> frozenset:
        codes = set()
        for token in selectors:
            token = token.strip()
            if token.upper() == "ALL":
                codes |= set(engine.by_code)
            elif token.lower() in engine.by_name:
                codes.add(engine.by_name[token.lower()])
            else:
                matched = {c for c in engine.by_code if c.startswith(token.upper())}
                if not matched:
                    raise ConfigError(f"'per-account-ignores' names unknown check {token}")
                codes |= matched
        return frozenset(codes)
    return resolve


def lint_live(config: Config, specs, profile: str | None = None, regions=None, progress: bool = False, *,
              session: LiveSession | None = None, workers: int = DEFAULT_WORKERS,
              timeout: float | None = None) -> Report:
    """Lint the account behind ``profile`` (boto3's default chain when None) in ``regions``
    (``["all"]`` for every enabled region; the profile's region when empty). ``timeout`` is the
    run-wide deadline in seconds (``--timeout``): what is not read by then is unknown (exit 2).

    ``session`` lets tests and the benchmark bring their own (with Stubbers, or another pool size).
    """
    judged = judge_account(config, specs, live_plan(config, specs, regions), profile, regions, progress,
                           session=session, workers=workers, timeout=timeout)
    return Report(findings=judged.findings, errors=judged.errors, files=0, resources=resource_count(judged.stacks),
                  checks=judged.engine.specs, tool_version=__version__, fail_on=config.fail_on)


@dataclass
class JudgedAccount:
    """One account scanned and judged by the live engine: what ``lint_live`` reports, and what
    ``--compare`` (runs/drift.py) puts beside the templates."""

    engine: Engine
    scan: object  # the ScanResult: account, partition, regions
    stacks: list
    findings: list
    errors: list


def judge_account(config: Config, specs, plan: ScanPlan, profile=None, regions=None, progress=False, *,
                  session: LiveSession | None = None, workers: int = DEFAULT_WORKERS,
                  timeout: float | None = None) -> JudgedAccount:
    """Scan the account as ``plan`` says and run the live checks on it; messages redacted."""
    if timeout is not None and not timeout > 0:
        raise ConfigError(f"--timeout must be a positive number of seconds, not {timeout}")
    engine = Engine(specs, config, source="live")
    resolve = code_resolver(engine)
    for entry in config.per_account_ignores.values():
        resolve(entry.codes)  # an unknown code is a usage error before any call
    try:
        session = session or LiveSession(profile=profile, workers=workers)
    except ConfigError as exc:
        raise ConfigError(redact(str(exc))) from None
    session.deadlines.start_run(timeout)
    result = scan(session, regions or [], plan, Progress(progress), live_regions=config.live_regions)
    for note in result.notes:
        print(f"lakelint: note: {note}", file=sys.stderr)
    stacks = build_stacks(result, plan) if result.account else []
    results = [engine.run_stack(stack) for stack in stacks]
    findings, run_errors = engine.finish(results)
    errors = sorted(result.errors + run_errors, key=lambda e: e.sort_key())
    for entry in errors:
        entry.message = redact(entry.message)
    for finding in findings:
        finding.message = redact(finding.message)
    for account in sorted({f.account for f in findings if f.account}):  # by account id: no OU path here
        apply_account_ignores([f for f in findings if f.account == account], config.per_account_ignores, resolve,
                              datetime.date.today(), account)
    return JudgedAccount(engine, result, stacks, findings, errors)

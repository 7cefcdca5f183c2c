"""``lakelint --live --org`` and ``--accounts``: many accounts in one run, each as a one-account scan.

The shape is c7n-org's and Prowler's, inside one process: the accounts (from AWS Organizations, or
named) are narrowed by ``--exclude-accounts`` and ``--shard``, then scanned on a bounded pool of
``max-accounts-in-flight`` accounts. Each account is exactly a one-account scan (sources/live/scan.py)
through a role assumed once for it (sources/live/assume.py), on its own pool of ``account-workers``
threads with at most ``api-concurrency`` calls of one API operation per region at a time: the same
plan, so the same calls, as ``lakelint --live`` in that account would make.

The main thread judges each account as soon as its scan is done (the engine, per-account-ignores),
writes its findings to the report's spool and lets its inventory go; a new account starts only when
one has been judged, so at most ``max-accounts-in-flight`` inventories are ever held, however many
accounts the organisation has.

Faults stay with their account: a role that cannot be assumed, an account that is not active, or one
whose every call is denied is one error entry naming the account and the reason; every other account
is scanned and reported, and the run exits 2. Ctrl-C and ``--timeout`` end the run with what it has:
accounts not scanned are each named in an error entry, and the report is written, incomplete (exit 2).
"""

from __future__ import annotations

import datetime as _dt
import gc
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from lakelint import __version__
from lakelint.core.config import Config, ConfigError
from lakelint.core.engine import Engine
from lakelint.core.model import ErrorEntry
from lakelint.core.suppress import apply_account_ignores
from lakelint.runs.live import code_resolver, live_plan
from lakelint.runs.org_report import AccountStatus, FindingSpool, OrgReport, ordered_errors
from lakelint.sources.live.accounts import Shard, select
from lakelint.sources.live.assume import RoleAssumer, check_role_options
from lakelint.sources.live.catalog import GET_CALLER_IDENTITY, SCANNER_CALLS
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.guard import WriteRefused
from lakelint.sources.live.inventory import build_stacks, release, resource_count
from lakelint.sources.live.organizations import OrgAccount, list_organization
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.redact import redact
from lakelint.sources.live.regions import REGION_NAME
from lakelint.sources.live.scan import scan
from lakelint.sources.live.session import LiveSession

WAIT_SLICE = 0.5  # seconds the main thread waits for a scan at a time (so Ctrl-C is seen promptly)


@dataclass
class OrgRequest:
    """What the command line asked for (cli/main.py builds it from the flags)."""

    org: bool = False  # list the accounts with AWS Organizations
    role_name: str | None = None
    accounts: list | None = None  # named ids (--accounts, --accounts-file); with org: a filter
    exclude: list = field(default_factory=list)
    external_id: str | None = None
    session_name: str | None = None
    shard: Shard | None = None
    max_in_flight: int | None = None  # --max-accounts-in-flight; None: the configuration's


@dataclass
class _Scanned:
    """What a worker hands the main thread for one account."""

    account: OrgAccount
    session: LiveSession | None = None
    result: object = None  # ScanResult
    stacks: list = field(default_factory=list)
    failure: ErrorEntry | None = None  # the one entry that stands for the whole account


def lint_org(config: Config, specs, request: OrgRequest, profile: str | None = None, regions=None,
             progress: bool = False, timeout: float | None = None, *, base_session: LiveSession | None = None,
             on_session=None) -> OrgReport:
    """Lint every account ``request`` selects. ``base_session`` (the scanning principal's; made from
    ``profile`` when None) and ``on_session(account_id, session)`` (called with each account's session
    before it scans) let tests and the benchmark bring Stubbers, canned answers and call counters."""
    if timeout is not None and not timeout > 0:
        raise ConfigError(f"--timeout must be a positive number of seconds, not {timeout}")
    check_role_options(request.role_name, request.external_id, request.session_name)
    _check_regions(regions)
    engine = Engine(specs, config, source="live")
    plan = live_plan(config, specs, regions)
    resolve = code_resolver(engine)
    for entry in config.per_account_ignores.values():
        resolve(entry.codes)  # an unknown code is a usage error before any call, as in per-file-ignores
    in_flight = request.max_in_flight or config.max_accounts_in_flight
    try:
        base = base_session or LiveSession(profile=profile, workers=max(in_flight, 4), extra_calls=SCANNER_CALLS)
    except ConfigError as exc:
        raise ConfigError(redact(str(exc))) from None
    if not (regions or base.home_region):
        raise ConfigError("no AWS region: pass --region, set one in the profile, or set AWS_REGION")
    run_end = time.monotonic() + timeout if timeout is not None else None
    base.deadlines.start_run(timeout, run_end)

    run = _Run(config, engine, plan, resolve, base, request, regions or [], timeout, run_end, on_session)
    accounts = run.choose_accounts()
    run.scan_all(accounts, in_flight, Progress(progress))
    for note in sorted(run.notes):
        print(f"lakelint: note: {redact(note)}", file=sys.stderr)
    statuses = sorted(run.statuses.values(), key=lambda s: s.account)
    return OrgReport(findings=run.spool, errors=ordered_errors(run.errors), files=0,
                     resources=sum(s.resources for s in statuses), checks=engine.specs, tool_version=__version__,
                     fail_on=config.fail_on, accounts=statuses)


def _check_regions(regions) -> None:
    for name in regions or []:
        name = str(name).strip()
        if name and name.lower() != "all" and not REGION_NAME.match(name):
            raise ConfigError(f"--region {name!r} is not a region name (like us-east-1), nor 'all'")


class _Heap:
    """Memory flat in the number of accounts. Each account leaves cyclic garbage behind that reference
    counting cannot free: botocore makes a class per client, with a method, a docstring object and an
    operation model per API operation (EC2 alone has some 700), 50,000 objects or more per account.
    Python's collector frees such cycles only in its rare full collections, so a run of hundreds of
    accounts would grow by tens of MB per account; one full collection after each judged account keeps
    the peak where a few accounts put it. What exists before the first account (modules, checks, the
    scanning principal's session, the service models every account's clients read, preloaded) is
    frozen out of those collections, which then walk only what the accounts made; it is unfrozen when
    the run ends."""

    def __init__(self):
        gc.collect()
        gc.freeze()

    def judged(self) -> None:
        gc.collect()

    def done(self) -> None:
        gc.unfreeze()


class _Run:
    def __init__(self, config, engine, plan, resolve, base, request, regions, timeout, run_end, on_session):
        self.config, self.engine, self.plan, self.resolve = config, engine, plan, resolve
        self.base, self.request, self.regions = base, request, regions
        self.timeout, self.run_end, self.on_session = timeout, run_end, on_session
        self.today = _dt.date.today()
        self.spool = FindingSpool()
        self.errors = []
        self.notes = set()
        self.statuses = {}  # account id -> AccountStatus
        self.known = {}  # account id -> OrgAccount, every account Organizations listed (names of owners)
        self.sessions = {}  # account id -> LiveSession of the scans under way (to interrupt them)
        self.endpoints = {}  # resolved once for every account's clients (session.py)
        self._lock = threading.Lock()
        self.assumer = RoleAssumer(base, request.role_name, request.external_id, request.session_name)

    # -- which accounts ----------------------------------------------------------------------------

    def choose_accounts(self) -> list:
        """The accounts to scan; the others of the selection get their status and error entry here."""
        request = self.request
        if request.org:
            try:
                organization = list_organization(self.base)
            except Fault as fault:
                self.errors.append(fault.error("list the organisation's accounts (run from the management account "
                                               "or a delegated administrator)"))
                return []
            self.notes.update(organization.notes)
            listed = organization.accounts
            self.known = {a.id: a for a in listed}
            named = request.accounts
        else:
            listed = [OrgAccount(i) for i in request.accounts or []]
            named = None
        kept, missing = select(listed, named, request.exclude, request.shard)
        for account_id in missing:
            self._not_scanned(OrgAccount(account_id, state=None), "it is not an account of the organisation "
                                                                  "(ListAccounts does not list it)")
        chosen = []
        for account in kept:
            if request.org and not account.active:
                self._not_scanned(account, f"it is {account.state} in AWS Organizations (exclude it with "
                                           f"--exclude-accounts once it is closed for good)")
            else:
                chosen.append(account)
        if not kept and not missing and not self.errors:
            where = f" in shard {request.shard}" if request.shard else ""
            self.notes.add(f"no account to scan{where}")
        return chosen

    def _status(self, account: OrgAccount) -> AccountStatus:
        status = self.statuses.get(account.id)
        if status is None:
            state = account.state if self.request.org else None
            status = self.statuses[account.id] = AccountStatus(account.id, account.name, account.ou_path, state)
        return status

    def _not_scanned(self, account: OrgAccount, why: str, **details) -> None:
        self._status(account).scanned = False
        self.errors.append(ErrorEntry(redact(f"account {account.label} was not scanned: {why}"),
                                      resource=account.id, account=account.id, **details))

    # -- the pool ----------------------------------------------------------------------------------

    def scan_all(self, accounts, in_flight: int, progress: Progress) -> None:
        if not accounts:
            return
        progress.add("accounts", len(accounts))
        self.assumer.preload({call.service for call in self.plan.calls} | {GET_CALLER_IDENTITY.service})
        heap = _Heap()
        waiting = list(accounts)
        running = {}  # future -> OrgAccount
        judging = None
        pool = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="lakelint-account")
        try:
            while waiting or running:
                while waiting and len(running) < in_flight and not self._expired():
                    account = waiting.pop(0)
                    running[pool.submit(self._scan, account)] = account
                if not running:
                    break  # the deadline passed before the rest could start
                done, _ = wait(running, timeout=WAIT_SLICE, return_when=FIRST_COMPLETED)
                for future in done:
                    judging = running.pop(future)
                    self._judge(future.result())
                    judging = None
                    heap.judged()
                    progress.step("accounts")
        except KeyboardInterrupt:
            self._interrupt(pool, running, waiting, judging)
            waiting = []
        except BaseException:  # a usage error or a refused write: stop the other scans before leaving
            self._stop_sessions()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            heap.done()
            progress.finish()
        if waiting:  # --timeout ran out before these started
            for account in waiting:
                self._not_scanned(account, f"the run's --timeout of {self.timeout:g} s ran out before it started")

    def _expired(self) -> bool:
        return self.run_end is not None and time.monotonic() >= self.run_end

    def _interrupt(self, pool, running, waiting, judging) -> None:
        """Ctrl-C: no new call anywhere, the scans under way end at once and are discarded (half an
        account would read as a judged one); every account not judged is named, and the report written."""
        self._stop_sessions()
        for future in running:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        lost = ([judging] if judging is not None else []) + list(running.values()) + list(waiting)
        for account in lost:
            self._not_scanned(account, "the run was interrupted (Ctrl-C) first")
        judged = sum(1 for s in self.statuses.values() if s.scanned)
        self.errors.append(ErrorEntry(f"the run was interrupted (Ctrl-C): {len(lost)} account"
                                      f"{'s were' if len(lost) != 1 else ' was'} not scanned, {judged} "
                                      f"{'were' if judged != 1 else 'was'}; the report holds what was judged"))

    def _stop_sessions(self) -> None:
        self.base.interrupt()
        with self._lock:
            for session in self.sessions.values():
                session.interrupt()

    # -- one account (in a worker thread) ----------------------------------------------------------

    def _scan(self, account: OrgAccount) -> _Scanned:
        found = _Scanned(account)
        try:
            boto = self.assumer.session(account.id)
        except Fault as fault:
            found.failure = self._entry(account, f"could not assume the role {self.assumer.role_arn(account.id)}: "
                                                 f"{fault.detail}", api_call=fault.call.operation,
                                        iam_action=fault.call.iam_action)
            return found
        session = LiveSession(boto_session=boto, workers=self.config.account_workers,
                              api_concurrency=self.config.api_concurrency, endpoints=self.endpoints)
        session.deadlines.start_run(self.timeout, self.run_end)
        with self._lock:
            self.sessions[account.id] = session
            if self.base.deadlines.interrupted:
                session.interrupt()
        try:
            if self.on_session is not None:
                self.on_session(account.id, session)
            found.session = session
            found.result = result = scan(session, self.regions, self.plan, Progress(False),
                                         live_regions=self.config.live_regions)
            found.failure = self._whole_account_failure(account, session, result)
            if found.failure is None:
                found.stacks = build_stacks(result, self.plan)
        except (WriteRefused, ConfigError):  # a bug, or a usage error that holds for every account
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must cost one account, not the run
            found.failure = self._entry(account, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self.sessions.pop(account.id, None)
        return found

    def _entry(self, account: OrgAccount, why: str, **details) -> ErrorEntry:
        return ErrorEntry(redact(f"account {account.label} was not scanned: {why}"), resource=account.id,
                          account=account.id, **details)

    def _whole_account_failure(self, account, session, result) -> ErrorEntry | None:
        """One entry for an account nothing could be read in: no identity, another account's identity,
        or every call denied (an SCP, a role without the policy)."""
        if result.account is None:
            why = result.errors[-1].message if result.errors else "GetCallerIdentity failed"
            return self._entry(account, why)
        if result.account != account.id:
            return self._entry(account, f"the role's credentials answer as account {result.account}")
        made = session.guard.total - session.guard.calls.get((GET_CALLER_IDENTITY.service,
                                                               GET_CALLER_IDENTITY.operation), 0)
        denied = session.faults.get("access-denied", 0)
        if made and denied >= made:
            example = next((e for e in result.errors if e.api_call), None)
            detail = f", such as {example.api_call} (needs {example.iam_action})" if example else ""
            return self._entry(account, f"every call was denied ({made} of {made}{detail}): give the role "
                                        f"{self.assumer.role_arn(account.id)} the policy of lakelint "
                                        f"--print-iam-policy, and check the SCPs that apply to the account",
                               api_call=example.api_call if example else None,
                               iam_action=example.iam_action if example else None)
        return None

    # -- judging (the main thread) -----------------------------------------------------------------

    def _judge(self, scanned: _Scanned) -> None:
        account = scanned.account
        status = self._status(account)
        if scanned.session is not None:
            status.calls = scanned.session.guard.total
            scanned.session.close()
        if scanned.failure is not None:
            status.scanned = False
            self.errors.append(scanned.failure)
            return
        result = scanned.result
        self.notes.update(result.notes)
        results = [self.engine.run_stack(stack) for stack in scanned.stacks]
        findings, errors = self.engine.finish(results)
        for entry in result.errors + errors:
            entry.message = redact(entry.message)
            entry.account = entry.account or account.id
        for finding in findings:
            finding.message = redact(finding.message)
            self._describe(finding, account)
        self._ignore(findings)
        status.scanned = True
        status.resources = resource_count(scanned.stacks)
        status.regions = list(result.regions)
        self.errors += result.errors + errors
        self.spool.add(findings)
        release(scanned.stacks)  # the inventory goes now, not at the next full garbage collection
        result.records = []
        scanned.stacks, scanned.result, scanned.session = [], None, None  # its future still holds it a while

    def _describe(self, finding, scanned: OrgAccount) -> None:
        """The account a finding is about, with its name and OU path where Organizations gave them."""
        finding.account = finding.account or scanned.id
        owner = scanned if finding.account == scanned.id else self.known.get(finding.account)
        if owner is not None and self.request.org:
            finding.account_name = owner.name
            finding.ou_path = owner.ou_path

    def _ignore(self, findings) -> None:
        ignores = self.config.per_account_ignores
        if not ignores:
            return
        by_account = {}
        for finding in findings:
            by_account.setdefault(finding.account, []).append(finding)
        for account_id, group in by_account.items():
            known = self.known.get(account_id)
            apply_account_ignores(group, ignores, self.resolve, self.today, account_id,
                                  known.ou_path if known else None, known.ou_ids if known else ())

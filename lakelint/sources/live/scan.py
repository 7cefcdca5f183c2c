"""One scan of one account: who we are, which regions, then every collector on a bounded pool.

What gets collected follows what the selected checks read: bucket properties only when a check looks
at buckets or their policies, endpoints only when one looks at endpoints, the quota only with
``bucket-quota: auto``. ``--select LL301`` on an account of 5,000 buckets is then one listing, not
60,000 calls. Every failure ends up either at a property (``Unreadable``) or, when it is not about
one property (a listing, a region), as an ``ErrorEntry``; nothing is dropped silently.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from lakelint.core.model import ErrorEntry
from lakelint.sources.live import catalog, services
from lakelint.sources.live.collect_account import account_props
from lakelint.sources.live.collect_s3 import collect_bucket, list_buckets
from lakelint.sources.live.collect_vpce import list_endpoints
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.guard import WriteRefused
from lakelint.sources.live.session import resolve_regions

BUCKET_TYPES = ("AWS::S3::Bucket", "AWS::S3::BucketPolicy")
ACCOUNT_TYPE = "LakeLint::Account"
ENDPOINT_TYPES = ("AWS::EC2::VPCEndpoint",)


@dataclass
class ScanPlan:
    bucket_properties: bool = True
    endpoints: bool = True
    account_public_access: bool = True
    quota: bool = False

    services: list = field(default_factory=list)  # ServiceCollector objects (svc_*.py)

    @classmethod
    def for_checks(cls, specs, config) -> "ScanPlan":
        """What the selected checks need: the properties of the resource types they declare. A
        stack-scope check that declares none may read anything, so it needs all; run-scope checks see
        resources without their properties, so the listings they need are made anyway."""
        types, everything = services.read_types(specs)
        buckets = everything or bool(types & set(BUCKET_TYPES))
        return cls(bucket_properties=buckets,
                   endpoints=everything or bool(types & set(ENDPOINT_TYPES)),
                   account_public_access=everything or bool(types & {"AWS::S3::Bucket", ACCOUNT_TYPE})
                   or any(s.scope == "run" and ACCOUNT_TYPE in s.resource_types for s in specs),
                   quota=config.option("bucket-quota") == "auto" and any(s.scope == "run" for s in specs),
                   services=services.needed(specs))


@dataclass
class ScanResult:
    account: str | None = None
    partition: str = "aws"
    home_region: str | None = None
    regions: list = field(default_factory=list)
    buckets: list = field(default_factory=list)  # BucketRecord
    endpoints: list = field(default_factory=list)  # (region, id, owner, props)
    records: list = field(default_factory=list)  # (region, LiveRecord) from the service collectors
    account_props: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # said on stderr: what an emulator endpoint could not serve


def scan(session, requested_regions, plan: ScanPlan, progress) -> ScanResult:
    result = ScanResult(home_region=session.home_region)
    result.regions, result.errors = resolve_regions(session, requested_regions)  # no region: usage error
    try:
        identity = session.read(catalog.GET_CALLER_IDENTITY)
    except Fault as fault:
        result.errors.append(fault.error("identify the account behind the credentials"))
        return result
    result.account = identity["Account"]
    result.partition = session.partition(result.regions[0] if result.regions else session.home_region)
    home = session.home_region or (result.regions[0] if result.regions else None)

    # Ctrl-C or a refused write must not wait for thousands of queued reads: pending ones are cancelled.
    pool = ThreadPoolExecutor(max_workers=session.workers, thread_name_prefix="lakelint-live")
    try:
        account_job = pool.submit(account_props, session, result.account, home,
                                  public_access=plan.account_public_access, quota=plan.quota)
        endpoint_jobs = {pool.submit(list_endpoints, session, region): region
                         for region in (result.regions if plan.endpoints else [])}
        service_jobs = {pool.submit(collector.collect, session, region): (collector, region)
                        for collector in plan.services for region in result.regions}
        progress.note("listing buckets")
        try:
            listed = list_buckets(session)
        except Fault as fault:
            result.errors.append(fault.error("list the account's S3 buckets", resource=result.account))
            listed = []
        progress.start(len(listed))
        bucket_jobs = {pool.submit(collect_bucket, session, name, region, plan.bucket_properties): name
                       for name, region in listed}
        for job in as_completed(bucket_jobs):
            record = _outcome(job, f"bucket {bucket_jobs[job]}", result.errors)
            if record is not None:
                result.buckets.append(record)
            progress.step()
        for job in as_completed(endpoint_jobs):
            result.endpoints += _endpoints(job, endpoint_jobs[job], result.errors)
        for job in as_completed(service_jobs):
            collector, region = service_jobs[job]
            try:
                found = job.result()
            except Fault as fault:
                if fault.kind == "unsupported":  # an emulator without this service holds none of it
                    result.notes.append(f"skipped {collector.name} in {region}: {fault.detail}")
                else:
                    result.errors.append(fault.error(f"read {collector.name} in {region}", resource=region))
                continue
            except WriteRefused:
                raise
            except Exception as exc:  # a bug must cost one service in one region, not the run
                result.errors.append(ErrorEntry(f"internal error reading {collector.name} in {region}: "
                                                f"{type(exc).__name__}: {exc}", resource=region))
                continue
            result.records += [(region, record) for record in found]
        result.account_props = _outcome(account_job, "account settings", result.errors) or {}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        progress.finish()
    result.buckets.sort(key=lambda b: b.name)
    result.endpoints.sort(key=lambda e: (e[0], e[1]))
    result.records.sort(key=lambda item: (item[0], item[1].type, item[1].name))
    return result


def _endpoints(job, region: str, errors: list) -> list:
    try:
        return [(region, *entry) for entry in job.result()]
    except Fault as fault:
        errors.append(fault.error(f"list VPC endpoints in {region}", resource=region))
        return []
    except WriteRefused:
        raise
    except Exception as exc:  # a bug must cost one region, not the run
        errors.append(ErrorEntry(f"internal error reading VPC endpoints in {region}: {type(exc).__name__}: {exc}",
                                 resource=region))
        return []


def _outcome(job, what: str, errors: list):
    try:
        return job.result()
    except WriteRefused:
        raise
    except Exception as exc:  # a bug must cost one bucket, not the run
        errors.append(ErrorEntry(f"internal error reading {what}: {type(exc).__name__}: {exc}"))
        return None

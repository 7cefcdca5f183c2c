"""The one interface every live collector implements, and what a collector is handed when it runs.

A collector is a module of ``collectors/`` holding ``COLLECTOR = Collector(...)``. It declares what it
provides, per resource type:

- ``listing``: the calls that find the resources of the type (and what links them to others: a KMS
  key's aliases, a bucket's region). Listing a type fills its identity, never a property the type
  does not declare below;
- ``properties``: per top-level CloudFormation property, the calls that fill it (``Fill``). The
  listing calls count as made whenever the type is listed, so a property that comes with the listing
  names the listing call.

From those declarations and the checks' ``reads`` the scan plan (plan.py) chooses the calls to make,
the IAM policy lists them, and the inventory knows which properties were read: a property that was
not is unknown (``NotRead``), never "not configured".

``collect(ctx, region)`` returns ``LiveRecord`` objects whose ``props`` are in CloudFormation's shape;
it asks ``ctx.wants(call)`` before each call, so it makes only the planned ones. A property that could
not be read is ``Fault.value()`` (an ``Unreadable``) at its key; a failed listing raises ``Fault``.
Account-scope collectors (``scope="account"``) run once per scan with ``region=None``; regional ones
once per scanned region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class LiveRecord:
    """One resource as a collector found it."""

    type: str
    name: str
    props: dict
    arn: str | None = None
    account: str | None = None  # the owner, when it is not the scanned account
    # (relation, target type, target name, inverse relation or None): resolved within the region
    links: list = field(default_factory=list)
    region: str | None = None  # account-scope collectors say where each record lives (a bucket's region)
    # A record AWS keeps in every region whether or not the account uses it there (the EBS encryption
    # default, Lake Formation's settings, Athena's primary workgroup, the default VPC): see regions.py.
    default: bool = False


@dataclass(frozen=True)
class Fill:
    """The calls that fill one property, and the configuration it depends on (``when(config)``)."""

    calls: tuple
    when: Callable | None = None
    condition: str = ""  # the ``when`` in words, for the docs ("with bucket-quota: auto")

    def applies(self, config) -> bool:
        return self.when is None or bool(self.when(config))


def fill(*calls, when=None, condition: str = "") -> Fill:
    return Fill(tuple(calls), when, condition)


def fields(calls, *names) -> dict:
    """``{name: Fill(calls)}`` for properties that one call (or one listing) fills together.

    A template also sets properties that only say how a resource is created (``SnapshotIdentifier``,
    ``SourceDBClusterIdentifier``) or updated (``MutationType``, ``WorkGroupConfigurationUpdates``). The
    API never returns them: it reports what they led to (``StorageEncrypted``, ``KmsKeyId``), which live
    is exact. A collector declares them with the call that reports the outcome, so they read as absent,
    which is the truth about a resource that exists: nothing is left to inherit or to apply."""
    calls = tuple(calls) if isinstance(calls, (tuple, list)) else (calls,)
    return {name: Fill(calls) for name in names}


@dataclass(frozen=True)
class TypeReads:
    listing: tuple
    properties: dict  # top-level property -> Fill


def provides(listing, properties: dict) -> TypeReads:
    listing = tuple(listing) if isinstance(listing, (tuple, list)) else (listing,)
    return TypeReads(listing, dict(properties))


@dataclass(frozen=True)
class Collector:
    name: str
    types: dict  # resource type -> TypeReads
    collect: Callable  # collect(ctx, region) -> list[LiveRecord]
    scope: str = "region"  # "region": once per scanned region; "account": once per scan
    # What a check that declares "*" for one of these types reads besides it ({type: paths}): a check
    # that states nothing exact may follow any relation the inventory builds from this collector's
    # records. None: every type of this collector, every property.
    companions: dict | None = None
    contingent: tuple = ()  # calls made only on occasion (ReadCall.contingent says when)
    # what a failed listing could not do, for its error entry ("list VPC endpoints in {region}")
    failure: str = "read {name} in {region}"

    @property
    def calls(self) -> tuple:
        """Every call this collector may make, listing first, in declaration order."""
        found = {}
        for reads in self.types.values():
            found.update(dict.fromkeys(reads.listing))
            for filled in reads.properties.values():
                found.update(dict.fromkeys(filled.calls))
        found.update(dict.fromkeys(self.contingent))
        return tuple(found)

    def failed(self, region) -> str:
        return self.failure.format(name=self.name, region=region)

    def companions_of(self, rtype: str) -> dict:
        if self.companions is None:
            return {other: ("*",) for other in self.types if other != rtype}
        return dict(self.companions.get(rtype, {}))


class CollectContext:
    """What a collector is handed: the session's reads, the scanned account, and the plan.

    It stands where the session stood (``ctx.read``, ``ctx.pages``, ``ctx.partition``), so collector
    code reads like plain boto3 use; ``ctx.wants(call)`` says whether the plan asks for a call, and
    ``ctx.note(text)`` leaves a line for stderr (a bucket that was deleted during the scan).
    """

    def __init__(self, session, account: str, plan, notes=None, fan_out=None):
        self.session = session
        self.account = account
        self.plan = plan
        self.notes = notes if notes is not None else []
        self._fan_out = fan_out

    def wants(self, call) -> bool:
        return self.plan.wants(call)

    def lists(self, rtype: str) -> bool:
        return self.plan.lists(rtype)

    def read(self, call, region=None, **params):
        return self.session.read(call, region, **params)

    def pages(self, call, region=None, **params):
        return self.session.pages(call, region, **params)

    def partition(self, region):
        return self.session.partition(region)

    @property
    def boto(self):
        return getattr(self.session, "boto", None)

    @property
    def home_region(self):
        return self.session.home_region

    def arn(self, service: str, region: str, resource: str) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>`` for listings that carry no ARN."""
        return f"arn:{self.partition(region)}:{service}:{region}:{self.account}:{resource}"

    def note(self, text: str) -> None:
        self.notes.append(text)

    def fan_out(self, func, items, label: str) -> list:
        """``[func(item) for item in items]`` on the scan's pool, with progress under ``label``;
        None results are left out, and a bug in one item costs that item (an error entry)."""
        if self._fan_out is None:
            return [r for r in (func(item) for item in items) if r is not None]
        return self._fan_out(func, items, label)


MAX_PAGES = 10_000  # a service that keeps answering the same token must not hang the scan


def token_pages(ctx, call, region, **params):
    """Pages of ``call`` for APIs botocore has no paginator for (Lake Formation's ListPermissions,
    Athena's ListWorkGroups, ...), following ``NextToken``; a failed page raises ``Fault``."""
    token = None
    for _ in range(MAX_PAGES):
        page = ctx.read(call, region, **params, **({"NextToken": token} if token else {})) or {}
        yield page
        following = page.get("NextToken")
        if not following or following == token:
            return
        token = following

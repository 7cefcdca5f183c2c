"""The boto3 session and its clients: credentials, regions, retries, timeouts, custom endpoints.

Credentials and region come from boto3's standard chain (``--profile``, environment, SSO, instance
roles); the endpoint from ``AWS_ENDPOINT_URL`` (or ``endpoint_url`` in the profile), as boto3 already
does. Every client gets adaptive retries, connect and read timeouts, a connection pool as large as
the thread pool, and the read-only guard. Clients are created once per service and region, under a
lock (a boto3 session is not thread-safe; its clients are).
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit, urlunsplit

from lakelint import __version__
from lakelint.core.config import ConfigError
from lakelint.sources.live import catalog
from lakelint.sources.live.faults import Fault, classify
from lakelint.sources.live.guard import ReadOnlyGuard, WriteRefused

DEFAULT_WORKERS = 16
EMULATOR_ATTEMPTS = 2
DEFAULT_ATTEMPTS = 8  # in all, the first try included
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30
AWS_DNS_SUFFIXES = ("amazonaws.com", "amazonaws.com.cn", "api.aws", "c2s.ic.gov", "sc2s.sgov.gov",
                    "cloud.adc-e.uk", "csp.hci.ic.gov")


def is_custom_endpoint(url: str | None) -> bool:
    """An endpoint that is not AWS's own (a moto server, LocalStack, a proxy)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return not any(host == s or host.endswith("." + s) for s in AWS_DNS_SUFFIXES)


class LiveSession:
    def __init__(self, profile: str | None = None, workers: int = DEFAULT_WORKERS,
                 attempts: int = DEFAULT_ATTEMPTS, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, boto_session=None):
        import boto3
        from botocore.exceptions import ProfileNotFound

        try:
            self.boto = boto_session or boto3.Session(profile_name=profile)
        except ProfileNotFound as exc:
            raise ConfigError(str(exc)) from None
        self.profile = profile
        self.workers = max(1, int(workers))
        self.guard = ReadOnlyGuard()
        self._attempts = attempts
        self._timeouts = (connect_timeout, read_timeout)
        self._clients = {}
        self._lock = threading.Lock()
        self.on_client = []  # callbacks(client) run on each new client (the tests attach Stubbers)

    @property
    def home_region(self) -> str | None:
        return self.boto.region_name

    def partition(self, region: str | None) -> str:
        try:
            return self.boto.get_partition_for_region(region or "us-east-1")
        except Exception:  # an unknown region name: the commercial partition is the safe guess
            return "aws"

    def client(self, service: str, region: str | None = None):
        region = region or self.home_region or catalog.QUOTA_REGION
        key = (service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._create(service, region)
                self._clients[key] = client
        return client

    def _create(self, service: str, region: str):
        from botocore.config import Config

        connect, read = self._timeouts
        options = dict(retries={"mode": "adaptive", "total_max_attempts": self._attempts},
                       connect_timeout=connect, read_timeout=read,
                       max_pool_connections=max(10, self.workers),
                       user_agent_extra=f"lakelint/{__version__}")
        client = self.boto.client(service, region_name=region, config=Config(**options))
        custom = is_custom_endpoint(client.meta.endpoint_url)
        if custom:
            # An emulator neither throttles nor has bad days: retrying its answers only costs time.
            # Virtual-host addressing would put the bucket in the host name (bucket.127.0.0.1), which
            # cannot resolve; path style works everywhere. Naming the endpoint explicitly also turns
            # endpoint discovery off (Timestream): the hosts an emulator advertises do not exist.
            options["retries"] = {"mode": "adaptive", "total_max_attempts": min(self._attempts, EMULATOR_ATTEMPTS)}
            extra = {"s3": {"addressing_style": "path"}} if service == "s3" else {}
            client = self.boto.client(service, region_name=region, endpoint_url=client.meta.endpoint_url,
                                      config=Config(**extra, **options))
        if service == "s3control" and custom:
            drop_account_host_prefix(client)
        self.guard.install(client.meta.events)
        for callback in self.on_client:
            callback(client)
        return client

    def read(self, call, region: str | None = None, **params):
        """One API call through the guard. Returns the response, or None when the error code says
        "not configured"; raises ``Fault`` (or ``BucketGone``) for anything else."""
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client(call.service, region)
        try:
            return getattr(client, call.method)(**params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in call.not_configured:
                return None
            raise self._fault(client, call, exc) from None
        except BotoCoreError as exc:
            raise self._fault(client, call, exc) from None
        except WriteRefused:
            raise
        except Exception as exc:  # e.g. an endpoint or emulator that lacks the API: the property is unknown
            raise Fault(call, "error", f"{type(exc).__name__} on {call.operation}: {exc}") from None

    def pages(self, call, region: str | None = None, **params):
        """Every page of a paginated call (boto3's paginator follows the tokens)."""
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client(call.service, region)
        try:
            yield from client.get_paginator(call.method).paginate(**params)
        except (ClientError, BotoCoreError) as exc:
            raise self._fault(client, call, exc) from None
        except WriteRefused:
            raise
        except Exception as exc:  # as in read(): a missing API makes the listing fail, not the run
            raise Fault(call, "error", f"{type(exc).__name__} on {call.operation}: {exc}") from None


    @staticmethod
    def _fault(client, call, exc):
        """``classify``, plus one case only an emulator has: an operation it does not implement."""
        fault = classify(call, exc)
        if (isinstance(fault, Fault) and fault.kind == "error" and is_custom_endpoint(client.meta.endpoint_url)
                and not_implemented(exc)):
            return Fault(call, "unsupported", f"the endpoint {client.meta.endpoint_url} does not implement "
                                              f"{call.service} {call.operation}")
        return fault


def not_implemented(exc) -> bool:
    """What emulators answer for an API they lack: moto's server an HTML error page with status 500 (or a
    body botocore cannot parse), LocalStack a 501. AWS itself never answers an API call with HTML."""
    from botocore.exceptions import ClientError
    from botocore.parsers import ResponseParserError

    if isinstance(exc, ResponseParserError):
        return True
    if isinstance(exc, ClientError):
        status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        message = str((exc.response.get("Error") or {}).get("Message") or "").lstrip().lower()
        return status == 501 or (status in (404, 500) and message.startswith(("<!doctype", "<html")))
    return False


def drop_account_host_prefix(client) -> None:
    """s3control puts the account id in front of the host name (``123456789012.s3-control...``).
    Under a custom endpoint that host does not exist (``123456789012.127.0.0.1``); the account id
    also travels in the ``x-amz-account-id`` header, which is what emulators read, so the prefix is
    dropped again before the request is signed."""
    configured = urlsplit(client.meta.endpoint_url).netloc

    def drop_prefix(request, **_):
        parts = urlsplit(request.url)
        prefix, _, rest = parts.netloc.partition(".")
        if rest == configured and prefix.isdigit():
            request.url = urlunsplit(parts._replace(netloc=rest))

    client.meta.events.register("before-sign.s3-control", drop_prefix, unique_id="lakelint-s3control-host")


def resolve_regions(session: LiveSession, requested) -> tuple[list, list]:
    """The regions to scan and error entries: ``--region`` values, ``all`` for every enabled region,
    or the profile's region when none is given."""
    requested = [r.strip() for r in requested or [] if r and r.strip()]
    if not requested:
        if not session.home_region:
            raise ConfigError("no AWS region: pass --region, set one in the profile, or set AWS_REGION")
        return [session.home_region], []
    regions = []
    errors = []
    for name in requested:
        if name.lower() != "all":
            regions.append(name)
            continue
        try:
            answer = session.read(catalog.DESCRIBE_REGIONS, session.home_region)
        except Fault as fault:
            errors.append(fault.error("list the account's enabled regions"))
            continue
        regions.extend(sorted(r["RegionName"] for r in answer.get("Regions", [])))
    return list(dict.fromkeys(regions)), errors

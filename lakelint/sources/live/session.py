"""The boto3 session and its clients: credentials, regions, retries, timeouts, custom endpoints.

Credentials and region come from boto3's standard chain (``--profile``, environment, SSO, instance
roles); the endpoint from ``AWS_ENDPOINT_URL`` (or ``endpoint_url`` in the profile), as boto3 already
does. Every client gets adaptive retries, connect and read timeouts, a deadline per call that covers
its retries (and the run's ``--timeout``, deadline.py), a connection pool as large as the thread pool,
and the read-only guard. Clients are created once per service and region, under a lock (a boto3
session is not thread-safe; its clients are).

Every failure of a read becomes a ``Fault`` (faults.py). Against an emulator endpoint one more answer
has a meaning of its own: "this operation is not implemented here" (``not_implemented``), which
skips the service with a note instead of failing the run; every other answer an emulator gives is
judged as AWS's would be.

Concurrency has two bounds. The thread pool (``workers``) bounds the calls one scan has in flight; the
per-API limit (``api_concurrency``) bounds the calls of one operation in one region at a time, since
AWS throttles per account, region and API: a bucket fan-out then spreads over several operations
instead of sending every ``GetBucketEncryption`` at once. Throttling that still happens is botocore's
to retry (adaptive mode); the limit only keeps a scan from provoking it.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

from lakelint import __version__
from lakelint.core.config import ConfigError
from lakelint.sources.live.deadline import CALL_DEADLINE, CallTimedOut, Deadlines, RunTimedOut
from lakelint.sources.live.faults import Fault, classify
from lakelint.sources.live.guard import ReadOnlyGuard, WriteRefused
from lakelint.sources.live.redact import redact

DEFAULT_WORKERS = 16
EMULATOR_ATTEMPTS = 2
DEFAULT_ATTEMPTS = 8  # in all, the first try included
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30
DEFAULT_REGION = "us-east-1"  # for global calls when neither --region nor the profile names one
MAX_DETAIL = 200  # characters of an unexpected exception's text kept in a message (garbage bodies)
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
                 read_timeout: float = READ_TIMEOUT, boto_session=None, call_deadline: float = CALL_DEADLINE,
                 api_concurrency: int | None = None, extra_calls=(), endpoints: dict | None = None):
        import boto3
        from botocore.exceptions import ProfileNotFound

        try:
            self.boto = boto_session or boto3.Session(profile_name=profile)
        except ProfileNotFound as exc:
            raise ConfigError(redact(str(exc))) from None
        self.profile = profile
        self.workers = max(1, int(workers))
        self.guard = ReadOnlyGuard(extra_calls)
        self.deadlines = Deadlines(call_deadline, read_timeout)
        self.limits = ApiLimits(api_concurrency)
        self.faults = Counter()  # kind of Fault -> how many calls failed so (an account whose every call is denied)
        self._attempts = attempts
        self._timeouts = (connect_timeout, read_timeout)
        self._clients = {}
        # (service, region) -> the endpoint URL botocore resolved: the sessions of one organisation run
        # share it (the same configuration resolves the same endpoints), so each account's clients are
        # made once, not once to learn the endpoint and again to address an emulator there.
        self.endpoints = endpoints if endpoints is not None else {}
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
        region = region or self.home_region or DEFAULT_REGION
        key = (service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                try:
                    client = self._create(service, region)
                except ValueError as exc:  # botocore: an endpoint URL or region it cannot use
                    raise ConfigError(redact(f"cannot make the {service} client for region {region}: {exc} "
                                             f"(check AWS_ENDPOINT_URL, the profile's endpoint_url and "
                                             f"--region)")) from None
                self._clients[key] = client
        return client

    def _create(self, service: str, region: str):
        from botocore.config import Config

        connect, read = self._timeouts
        options = dict(retries={"mode": "adaptive", "total_max_attempts": self._attempts},
                       connect_timeout=connect, read_timeout=read,
                       max_pool_connections=max(10, self.workers),
                       user_agent_extra=f"lakelint/{__version__}")
        known = self.endpoints.get((service, region))
        client = None
        if known is None or not is_custom_endpoint(known):
            client = self.boto.client(service, region_name=region, config=Config(**options))
            known = self.endpoints[(service, region)] = client.meta.endpoint_url
        custom = is_custom_endpoint(known)
        if custom:
            # An emulator neither throttles nor has bad days: retrying its answers only costs time.
            # Virtual-host addressing would put the bucket in the host name (bucket.127.0.0.1), which
            # cannot resolve; path style works everywhere. Naming the endpoint explicitly also turns
            # endpoint discovery off (Timestream): the hosts an emulator advertises do not exist.
            options["retries"] = {"mode": "adaptive", "total_max_attempts": min(self._attempts, EMULATOR_ATTEMPTS)}
            extra = {"s3": {"addressing_style": "path"}} if service == "s3" else {}
            client = self.boto.client(service, region_name=region, endpoint_url=known,
                                      config=Config(**extra, **options))
        if service == "s3control" and custom:
            drop_account_host_prefix(client)
        self.guard.install(client.meta.events)  # first of all: nothing outside the catalog goes further
        self.deadlines.install(client.meta.events)  # then the call's deadline (or none at all after --timeout)
        self.guard.install_counter(client.meta.events)  # and the count of calls really made
        client.meta.events.register("before-parse", refuse_garbled_json, unique_id="lakelint-garbled-json")
        for callback in self.on_client:
            callback(client)
        return client

    def read(self, call, region: str | None = None, **params):
        """One API call through the guard. Returns the response, or None when the error code says
        "not configured"; raises ``Fault`` for anything else."""
        client = self.client(call.service, region)
        try:
            with self.limits.slot(call, client.meta.region_name):
                return getattr(client, call.method)(**params)
        except Exception as exc:  # noqa: BLE001 - every failure is judged by _fault, refusals re-raised
            if _not_configured(call, exc):
                return None
            raise self._fault(client, call, exc) from None

    def pages(self, call, region: str | None = None, **params):
        """Every page of a paginated call (boto3's paginator follows the tokens); each page request
        holds its API's slot only while it is in flight."""
        client = self.client(call.service, region)
        try:
            pages = iter(client.get_paginator(call.method).paginate(**params))
            while True:
                with self.limits.slot(call, client.meta.region_name):
                    page = next(pages, _NO_MORE)
                if page is _NO_MORE:
                    return
                yield page
        except Exception as exc:  # noqa: BLE001 - as in read()
            raise self._fault(client, call, exc) from None

    def close(self) -> None:
        """Close every client (their connection pools) and let them go: an organisation run makes a
        session per account, and a client's cycles (its event handlers point back at it) would otherwise
        wait for the next full garbage collection."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing is best effort; the run's result does not depend on it
                pass
        self.on_client = []

    def interrupt(self) -> None:
        """The user stopped the run: every call not yet made is refused from now on."""
        self.deadlines.interrupt()

    def _fault(self, client, call, exc):
        fault = self._judge(client, call, exc)
        with self._lock:
            self.faults[fault.kind] += 1
        return fault

    def _judge(self, client, call, exc):
        """What a failed call means: ``classify`` for botocore's errors, the deadlines' own, and one case
        only an emulator has: an operation it does not implement."""
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, WriteRefused):
            raise exc
        if isinstance(exc, RunTimedOut):
            if self.deadlines.interrupted:
                return Fault(call, "timeout", f"{call.operation} was not made: the run was interrupted")
            return Fault(call, "timeout", f"{call.operation} was not made: the run's --timeout of "
                                          f"{self.deadlines.run_seconds:g} s ran out first")
        if isinstance(exc, Fault):  # the role's credentials could not be renewed (assume.py)
            return Fault(call, exc.kind, f"{call.operation} was not made: the role's credentials could not be "
                                         f"renewed: {exc.detail}", exc.code)
        if isinstance(exc, GarbledResponse):
            return Fault(call, "error", str(exc))
        if isinstance(exc, CallTimedOut):
            if self.deadlines.run_expired:
                return Fault(call, "timeout", f"{call.operation} was cut short: the run's --timeout of "
                                              f"{self.deadlines.run_seconds:g} s ran out")
            return Fault(call, "timeout", f"{call.operation} ran out of time ({self.deadlines.call_seconds:g} s "
                                          f"per call, retries included)")
        endpoint = client.meta.endpoint_url
        if is_custom_endpoint(endpoint) and not_implemented(exc):
            return Fault(call, "unsupported", f"the endpoint {endpoint} does not implement "
                                              f"{call.service} {call.operation}")
        if isinstance(exc, (ClientError, BotoCoreError)):
            return classify(call, exc)
        text = " ".join(str(exc).split())
        if len(text) > MAX_DETAIL:
            text = text[:MAX_DETAIL] + "..."
        return Fault(call, "error", f"{type(exc).__name__} on {call.operation}: {text}")


_NO_MORE = object()


class ApiLimits:
    """At most ``limit`` calls of one operation in one region at a time (None: no limit beyond the
    pool's). One semaphore per (service, operation, region), made on first use."""

    def __init__(self, limit: int | None):
        self.limit = int(limit) if limit else None
        self._semaphores = {}
        self._lock = threading.Lock()

    def slot(self, call, region):
        if self.limit is None:
            return _NO_LIMIT
        key = (call.service, call.operation, region)
        with self._lock:
            semaphore = self._semaphores.get(key)
            if semaphore is None:
                semaphore = self._semaphores[key] = threading.BoundedSemaphore(self.limit)
        return semaphore


class _NoLimit:
    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False


_NO_LIMIT = _NoLimit()


class GarbledResponse(Exception):
    """A success status whose body the protocol cannot have sent."""


JSON_PROTOCOLS = ("json", "rest-json")


def refuse_garbled_json(operation_model=None, response_dict=None, **_):
    """botocore reads a JSON body it cannot parse as ``{"message": body}``: a garbage 200 would pass as
    an empty answer ("no namespaces"). A success whose body is not JSON is refused here instead (XML
    services already raise on a body they cannot parse)."""
    if operation_model is None or not response_dict or operation_model.has_streaming_output:
        return
    status = response_dict.get("status_code") or 0
    body = response_dict.get("body") or b""
    service = operation_model.service_model
    protocol = getattr(service, "resolved_protocol", None) or service.protocol  # older botocore: .protocol
    if not 200 <= status < 300 or not body.strip() or protocol not in JSON_PROTOCOLS:
        return
    try:
        json.loads(body)
    except ValueError:
        raise GarbledResponse(f"{operation_model.name} answered HTTP {status} with a body that is not JSON "
                              f"({len(body)} bytes)") from None


def _not_configured(call, exc) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and (exc.response.get("Error") or {}).get("Code") in call.not_configured


# Codes a service (or an emulator) uses to say it does not know the operation at all.
UNKNOWN_OPERATION_CODES = frozenset({"InvalidAction", "UnknownOperation", "UnknownOperationException",
                                     "NotImplemented", "NotImplementedException"})
# What moto's server answers for an operation it lacks (no backend for the service, or an action the
# backend does not implement): its web framework's own error page, status 500, without the
# request id every answer of a moto backend carries. Read from moto 5.2's server.
WERKZEUG_ERROR_PAGE = "The server encountered an internal error and was unable to complete your request"


def not_implemented(exc) -> bool:
    """Whether an answer says the operation is not implemented, and nothing else: LocalStack's 501, an
    explicit unknown-operation code, moto's in-process 404 "Not yet implemented", or moto's server's
    error page (above). Any other HTML page, a body botocore cannot parse, a 500 of any other kind: a
    fault, reported as such."""
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    error = exc.response.get("Error") or {}
    meta = exc.response.get("ResponseMetadata") or {}
    status = meta.get("HTTPStatusCode")
    code = str(error.get("Code") or "")
    message = str(error.get("Message") or "").strip()
    headers = {str(k).lower(): str(v) for k, v in (meta.get("HTTPHeaders") or {}).items()}
    if status == 501 or code in UNKNOWN_OPERATION_CODES:
        return True
    if status == 404 and message.lower().startswith("not yet implemented"):
        return True
    server = headers.get("server", "").lower()
    return (status == 500 and server.startswith("werkzeug/") and "amazon.com" not in server
            and "x-amzn-requestid" not in headers and "x-amz-request-id" not in headers
            and headers.get("content-type", "").startswith("text/html") and WERKZEUG_ERROR_PAGE in message)


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

"""Is a service offered in a region at all? For services botocore's endpoint data does not list.

``regional.offered_in`` answers from botocore's endpoint data without a call. S3 Tables, S3 Vectors and
the S3 Express control endpoint are not in that data (botocore resolves them by rules alone), so it
cannot tell; they are offered in some regions only. Scanning ``--region all`` must not turn "this
service does not exist here" into an error that makes the run incomplete, nor skip a region in
silence. So the region is scanned, and only when the first listing cannot even connect is the
question asked of DNS: the service's regional host name does not exist (``EAI_NONAME``) while EC2's
host name in the same region and domain does. Then the service is not offered there, and the
collector skips the region with a note. Any other failure (DNS itself down, a refused connection, an
emulator's endpoint) stays what it is: a fault, reported.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

REFERENCE_SERVICE = "ec2"  # has a host name in every region of every partition


def _resolves(host: str):
    """True, False (the name does not exist), or None (DNS could not say)."""
    try:
        socket.getaddrinfo(host, 443)
        return True
    except socket.gaierror as exc:
        return False if exc.errno == socket.EAI_NONAME else None
    except OSError:
        return None


def not_offered(fault, host: str | None) -> bool:
    """Whether ``fault`` (a failed listing) means the service has no endpoint in the region."""
    if not host or fault.kind != "timeout" or "could not connect" not in str(fault.detail):
        return False
    _, _, domain = host.partition(".")
    if not domain:
        return False
    return _resolves(host) is False and _resolves(f"{REFERENCE_SERVICE}.{domain}") is True


def host_of(url) -> str | None:
    return urlsplit(url).hostname if isinstance(url, str) else None


def client_host(ctx, service: str, region: str) -> str | None:
    """The host name the session's client for ``service`` in ``region`` sends to."""
    try:
        return host_of(ctx.session.client(service, region).meta.endpoint_url)
    except Exception:  # noqa: BLE001 - no host, no DNS question: the fault is reported as it is
        return None

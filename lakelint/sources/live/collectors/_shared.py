"""What the S3 family's collectors (access points, directory buckets, table buckets, vector buckets) do
alike: read a call into an answer or an Unreadable, tell a resource's region from its ARN, keep only the
properties that are there, and list a service that is offered in some regions only."""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live.collectors._endpoints import not_offered
from lakelint.sources.live.faults import Fault


def read_or_unreadable(ctx, call, region, **params):
    """(answer, None) or (None, Unreadable). An emulator without the call skips the service (raised)."""
    try:
        return ctx.read(call, region, **params), None
    except Fault as fault:
        if fault.kind == "unsupported":
            raise
        return None, fault.value()


def arn_region(arn) -> str | None:
    """``arn:aws:s3tables:REGION:ACCOUNT:bucket/NAME`` -> REGION (None for an ARN without one)."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    return parts[3] if len(parts) == 6 and parts[3] else None


def present(props: dict) -> dict:
    """``props`` without the properties the account does not set (MISSING)."""
    return {key: value for key, value in props.items() if value is not MISSING}


def listing_where_offered(ctx, call, region, host: str | None, skipped: str, **params) -> list | None:
    """Every page of a listing; None, after a note saying ``skipped``, in a region where the service is
    not offered (its endpoint ``host`` does not exist: collectors/_endpoints.py)."""
    try:
        return list(ctx.pages(call, region, **params))
    except Fault as fault:
        if not_offered(fault, host):
            ctx.note(f"{skipped} in {region} (its endpoint {host} does not exist): skipped there")
            return None
        raise

"""What the database checks (LL5xx) share: cluster membership of RDS instances, backup retention
against the configured minimum, and how a DynamoDB replica is named in findings."""

from __future__ import annotations

from lakelint.core.check import fail, unknown
from lakelint.core.propcheck import at_key, missing_at, number
from lakelint.core.values import MISSING, is_unresolved, show


def cluster_member(values) -> bool:
    """An RDS DB instance that names a DB cluster (in one branch's values) takes its storage settings
    from the cluster."""
    member = values.get("DBClusterIdentifier", MISSING) if isinstance(values, dict) else MISSING
    return member is not MISSING and member is not None and member != ""


def minimum_days(ctx, default=7) -> int:
    """The ``min-backup-days`` option as an integer (config may give it as text)."""
    value = number(ctx.option("min-backup-days"))
    return default if value is None else value


def retention_verdicts(values, key, branch, *, minimum, absent_days, absent_note=""):
    """Verdicts for a retention in days (``key``) that must be at least ``minimum``; an absent key
    means ``absent_days`` (AWS's default), explained by ``absent_note``."""
    value = values.get(key, MISSING) if isinstance(values, dict) else MISSING
    if is_unresolved(value):
        yield unknown(f"cannot verify {key}: it {value.reason}", cause=value, branch=branch,
                      at=at_key(values, key), key=key)
        return
    if value is MISSING:
        if absent_days < minimum:
            note = f" ({absent_note})" if absent_note else ""
            yield fail(f"{key} is not set: AWS keeps backups {absent_days} day{'s' if absent_days != 1 else ''}"
                       f"{note}, under the minimum of {minimum}", branch=branch, at=missing_at(values, key), key=key)
        return
    days = number(value)
    if days is None:
        yield fail(f"{key} is {show(value)}, which is not a number of days", branch=branch,
                   at=at_key(values, key), key=key)
    elif days < minimum:
        yield fail(f"{key} is {days}, under the minimum of {minimum} days (min-backup-days)", branch=branch,
                   at=at_key(values, key), key=key)


def replica_label(replica) -> str:
    """A DynamoDB global table replica as findings name it: its Region."""
    region = replica.get("Region", MISSING) if isinstance(replica, dict) else MISSING
    return show(region) if region is not MISSING else "(no Region)"

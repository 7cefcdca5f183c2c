"""What the database checks (LL5xx) share, so that each check states its rule and nothing else.

- ``own_settings``: the joint branches of an RDS database's properties where it owns them (a DB instance
  that names a DB cluster takes storage, backups, deletion protection, IAM auth and log exports from
  the cluster, which is judged instead);
- ``switched_on``: a boolean that must be true, with what AWS does when it is absent;
- ``kept_long_enough``: a retention in days against the configured minimum, using what a parameter's
  ``MinValue``/``MaxValue`` prove when its value is known only at deploy time;
- ``where``: the position a finding about one key of a branch's values points at;
- ``number``/``text``: a count or a keyword as the template writes it;
- ``replica_label``: how a DynamoDB global table replica is named in findings;
- ``writes_any`` and ``replica_path``: where a fix may be written (lakelint/fixes), from the template as
  its author wrote it.

Unknown values go through ``known`` (lakelint/core/reading.py), which reports "cannot verify"; nothing
here words it by hand.
"""

from __future__ import annotations

from lakelint.core.check import fail
from lakelint.core.reading import known, position, read_together
from lakelint.core.values import MISSING, LocDict, Unresolved, pos_of, show, truth

CLUSTER_TYPE = "AWS::RDS::DBCluster"
INSTANCE_TYPE = "AWS::RDS::DBInstance"
# What knowledge/keymanager.py reads of a KMS key a database names: who manages it (live), and the
# identities it is named by (its id, ARN and aliases)
KEY_READS = ("KeyId", "Arn", "Aliases", "KeyManager")


def cluster_member(values) -> bool:
    """An RDS DB instance that names a DB cluster (in one branch's values) takes its storage settings
    from the cluster."""
    member = values.get("DBClusterIdentifier", MISSING) if isinstance(values, dict) else MISSING
    return member is not MISSING and member is not None and member != ""


def own_settings(db, *keys):
    """``read_together(db, *keys)`` on the branches where ``db`` owns those settings: a DB cluster
    always, a DB instance where it names no DB cluster (``DBClusterIdentifier`` is read with them)."""
    if db.type == CLUSTER_TYPE:
        yield from read_together(db, *keys)
        return
    for values in read_together(db, *keys, "DBClusterIdentifier"):
        if not cluster_member(values):
            yield values


def where(values, key):
    """Where a finding about ``values[key]`` points: the value when it is written; where the key is
    written when an ``AWS::NoValue`` removed it in this branch; else the mapping that lacks it (nothing,
    for a resource's top-level properties: the finding goes on the resource)."""
    if not isinstance(values, LocDict):
        return None
    if key in values:
        return position(values, key)
    return values.key_pos.get(key) or values.pos


def switched_on(values, key, *, absent: str, what: str | None = None, path: str | None = None, of: str = "",
                fix=None):
    """Verdicts for a boolean ``key`` of ``values`` (one branch) that must be true. ``absent`` is the
    finding when it is not set (AWS's default is off); ``what`` names it in messages and ``path`` in
    fingerprints (both default to ``key``); ``of`` names the part of the resource that holds it
    ("replica eu-west-1"), ahead of every message. ``fix`` goes on every failing verdict (each one is
    repaired by setting the key to true)."""
    name, path = what or key, path or key
    prefix = f"{of}: " if of else ""
    value = known(values.get(key, MISSING), f"{name} of {of}" if of else name, at=where(values, key), key=path)
    if value is None:
        return
    if value is MISSING:
        yield fail(prefix + absent, at=where(values, key), key=path, fix=fix)
    elif truth(value) is None:
        yield fail(f"{prefix}{name} is {show(value)}, which is not a boolean", at=where(values, key), key=path,
                   fix=fix)
    elif truth(value) is False:
        yield fail(f"{prefix}{name} is {show(value)}", at=where(values, key), key=path, fix=fix)


def minimum_days(ctx, default=7) -> int:
    """The ``min-backup-days`` option as an integer (config may give it as text)."""
    value = number(ctx.option("min-backup-days"))
    return default if value is None else value


def kept_long_enough(values, key, *, minimum: int, absent_days: int, absent_note: str = ""):
    """Verdicts for a retention in days (``key`` of one branch's ``values``) that must be at least
    ``minimum``; an absent key means ``absent_days`` (AWS's default), explained by ``absent_note``.

    A value known only at deploy time passes when its parameter's ``MinValue`` proves it is long enough
    and fails when its ``MaxValue`` proves it is not; otherwise it cannot be verified."""
    value = values.get(key, MISSING)
    low, high = proven_bounds(value)
    if low is not None and low >= minimum:
        return
    if high is not None and high < minimum:
        parameter = " ".join(["parameter", *sorted(getattr(value, "refs", ()))])
        yield fail(f"{key} comes from {parameter}, whose MaxValue is {high}: under the minimum of {minimum} days "
                   f"(min-backup-days)", at=where(values, key), key=key)
        return
    value = known(value, key, at=where(values, key), key=key)
    if value is None:
        return
    if value is MISSING:
        if absent_days < minimum:
            note = f" ({absent_note})" if absent_note else ""
            yield fail(f"{key} is not set: AWS keeps backups {absent_days} day{'s' if absent_days != 1 else ''}"
                       f"{note}, under the minimum of {minimum}", at=where(values, key), key=key)
        return
    days = number(value)
    if days is None:
        yield fail(f"{key} is {show(value)}, which is not a number of days", at=where(values, key), key=key)
    elif days < minimum:
        yield fail(f"{key} is {days}, under the minimum of {minimum} days (min-backup-days)",
                   at=where(values, key), key=key)


def proven_bounds(value) -> tuple:
    """(lowest, highest) a value known only at deploy time can be, as its parameter's ``MinValue`` and
    ``MaxValue`` prove (None where nothing is proven). A known value proves nothing here."""
    constraints = getattr(value, "constraints", None) or {}
    return number(constraints.get("MinValue")), number(constraints.get("MaxValue"))


def number(value):
    """An integer written as a number or numeric string; None when it is not one (or not known)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and not isinstance(value, Unresolved):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def text(value):
    """A keyword as written (``serverless``, ``PAY_PER_REQUEST``), lowered; None when it is not known text."""
    if isinstance(value, str) and not isinstance(value, Unresolved):
        return value.strip().lower()
    return None


def replica_label(replica) -> str:
    """A DynamoDB global table replica as findings name it: its Region."""
    region = replica.get("Region", MISSING) if isinstance(replica, dict) else MISSING
    return show(region) if region is not MISSING else "(no Region)"


def writes_any(resource, *keys) -> bool:
    """Whether the template writes any of ``keys`` among the resource's properties, in any form (a value,
    an ``Fn::If``, a ``Ref``): for a fix that must not be offered where one of them is set on some
    branch (an Aurora member's storage is the cluster's; a restored database inherits its encryption)."""
    props = resource.props
    return isinstance(props, dict) and any(key in props for key in keys)


def replica_path(table, replica, *keys):
    """``("Replicas", index, *keys)`` for a DynamoDB global table replica that is an item the template
    writes in its ``Replicas`` list (the same mapping, or one resolved from it: written at the same
    place), for a fix; None when it is not (it comes out of an ``Fn::If``)."""
    written = table.props.get("Replicas") if isinstance(table.props, dict) else None
    where = pos_of(replica)
    for index, item in enumerate(written if isinstance(written, list) else ()):
        if item is replica or (where is not None and isinstance(item, dict) and pos_of(item) == where):
            return ("Replicas", index, *keys)
    return None

"""Small helpers shared by the storage and database checks (LL4xx, LL5xx).

They answer the questions those checks ask over and over, the same way every time:

- ``props_branches``: several properties of one resource evaluated together, so a finding on
  ``KmsKeyId`` only counts the branches where ``Encrypted`` is true (one ``Fn::If`` condition takes
  the same side in both);
- ``flag_verdicts``: a boolean property that must be true, with what AWS does when it is absent;
- ``number``: a count (days, units) written as a number or as a string;
- ``aws_managed_key``: whether a KMS key reference means the AWS managed key (``alias/aws/...``);
- ``cluster_member``: whether an RDS instance belongs to a DB cluster (Aurora, Multi-AZ DB cluster),
  which then owns encryption, backups, deletion protection, IAM auth and log exports.
"""

from __future__ import annotations

import re

from lakelint.core.check import fail, unknown
from lakelint.core.branches import Branch
from lakelint.core.values import MISSING, LocDict, is_unresolved, pos_of, show, truth

_AWS_MANAGED_ALIAS = re.compile(r"(^|[:/])alias/aws/", re.IGNORECASE)


def props_branches(resource, *keys) -> list:
    """Every joint outcome of the top-level properties ``keys``: each branch's value is a mapping that
    holds those keys that are set in it (with their positions), so ``value.get(key, MISSING)``."""
    props = resource.props if isinstance(resource.props, dict) else {}
    subset = LocDict()
    subset.pos = None  # an absent top-level key is reported on the resource's line
    subset.dynamic = True
    for key in keys:
        if key in props:
            subset[key] = props[key]
            if isinstance(props, LocDict):
                if key in props.key_pos:
                    subset.key_pos[key] = props.key_pos[key]
                if key in props.val_pos:
                    subset.val_pos[key] = props.val_pos[key]
    if resource.expand is None:
        return [Branch(subset)]
    branches = resource.expand(subset, ())
    for branch in branches:
        if not isinstance(branch.value, dict):
            branch.value = LocDict()
        branch.pos = resource.pos
        # a key that AWS::NoValue removed in this branch is still pointed at where it is written
        for key in subset.key_pos:
            if key not in branch.value and isinstance(branch.value, LocDict):
                branch.value.key_pos[key] = subset.key_pos[key]
    return branches


def at_key(values, key):
    """A ``fail(at=...)`` target: the value of ``key`` when it is written, else nothing (the resource)."""
    if isinstance(values, LocDict) and key in values and pos_of(values, key) is not None:
        return (values, key)
    return None


def flag_verdicts(resource, values, key, branch, *, absent_message=None, what=None, path=None):
    """Verdicts for a boolean ``key`` of ``values`` (one branch) that must be true.

    ``absent_message`` is the finding when the key is absent (AWS's default is off); None means absent
    is fine (AWS's default is on). ``what`` names the property in messages (default: ``key``).
    """
    name = what or key
    value = values.get(key, MISSING) if isinstance(values, dict) else MISSING
    if is_unresolved(value):
        yield unknown(f"cannot verify {name}: it {value.reason}", cause=value, branch=branch,
                      at=at_key(values, key), key=path or key)
        return
    if value is MISSING:
        if absent_message:
            yield fail(absent_message, branch=branch, at=missing_at(values, key), key=path or key)
        return
    verdict = truth(value)
    if verdict is True:
        return
    if verdict is None:
        yield fail(f"{name} is {show(value)}, which is not a boolean", branch=branch, at=at_key(values, key),
                   key=path or key)
        return
    yield fail(f"{name} is {show(value)}", branch=branch, at=at_key(values, key), key=path or key)


def missing_at(values, key):
    """Where to report an absent key: where the Fn::If that removed it is written, else the mapping that
    lacks it (nothing for a resource's top-level properties: the finding goes on the resource)."""
    if isinstance(values, LocDict) and key in values.key_pos:
        return values.key_pos[key]
    if isinstance(values, LocDict) and values.pos:
        return values.pos
    return None


def number(value):
    """An integer written as a number or numeric string; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and not is_unresolved(value):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def aws_managed_key(key_id) -> bool:
    """True when a key reference means the AWS managed key: absent, or an ``alias/aws/<service>``
    alias (also as an alias ARN). A key id, key ARN, customer alias, ``Ref``/``GetAtt`` to a key or a
    parameter without a known value is a key of the customer's."""
    if key_id is MISSING or key_id is None or key_id == "":
        return True
    return isinstance(key_id, str) and bool(_AWS_MANAGED_ALIAS.search(key_id))


def key_verdicts(values, key, branch, *, service_alias, path=None, absent_message=None):
    """Verdicts for a KMS key property that must name a customer managed key."""
    key_id = values.get(key, MISSING) if isinstance(values, dict) else MISSING
    if not aws_managed_key(key_id):
        return
    if key_id is MISSING or key_id is None or key_id == "":
        yield fail(absent_message or f"{key} is not set: data is encrypted with the AWS managed key "
                   f"{service_alias}", branch=branch, at=missing_at(values, key), key=path or key)
        return
    yield fail(f"{key} is {show(key_id)}, the AWS managed key: use a customer managed key",
               branch=branch, at=at_key(values, key), key=path or key)


def cluster_member(values) -> bool:
    """An RDS DB instance that names a DB cluster (in one branch's values) takes its storage settings
    from the cluster."""
    member = values.get("DBClusterIdentifier", MISSING) if isinstance(values, dict) else MISSING
    return member is not MISSING and member is not None and member != ""


def text(value):
    """A plain (resolved) string, lowered, or None."""
    if isinstance(value, str) and not is_unresolved(value):
        return value.strip().lower()
    return None


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


LUSTRE_KEYS = ("DeploymentType", "ImportPath", "AutomaticBackupRetentionDays")


def lustre_branches(fs, *keys):
    """The branches of an ``AWS::FSx::FileSystem`` in which it is an FSx for Lustre file system, each
    with its deployment type (``SCRATCH_1`` when ``LustreConfiguration.DeploymentType`` is absent, as
    FSx defaults) as upper-case text, or the Unresolved value it comes from.

    Only the Lustre settings these checks read are expanded, so a parameter that picks, say, the
    compression type does not multiply the findings."""
    props = fs.props if isinstance(fs.props, dict) else {}
    narrowed = _narrowed(props, "LustreConfiguration", LUSTRE_KEYS)
    for branch in props_branches(_Narrowed(fs, narrowed), "FileSystemType", "LustreConfiguration", *keys):
        values = branch.value
        kind = values.get("FileSystemType", MISSING)
        config = values.get("LustreConfiguration", MISSING)
        if text(kind) != "lustre" and not (is_unresolved(kind) and isinstance(config, dict)):
            continue
        deployment = config.get("DeploymentType", MISSING) if isinstance(config, dict) else MISSING
        if deployment is MISSING:
            deployment = "SCRATCH_1"
        elif not is_unresolved(deployment):
            deployment = str(deployment).upper()
        yield branch, values, config if isinstance(config, dict) else LocDict(), deployment


def _narrowed(props, key, inner_keys):
    """``props`` with the plain mapping under ``key`` cut down to ``inner_keys`` (an intrinsic there,
    such as a whole-block Fn::If, is kept as written)."""
    block = props.get(key) if isinstance(props, dict) else None
    if not isinstance(block, LocDict) or (len(block) == 1 and next(iter(block)).startswith(("Fn::", "Ref"))):
        return props
    cut = LocDict((k, v) for k, v in block.items() if k in inner_keys)
    cut.pos = block.pos
    cut.dynamic = block.dynamic
    cut.key_pos = {k: p for k, p in block.key_pos.items() if k in inner_keys}
    cut.val_pos = {k: p for k, p in block.val_pos.items() if k in inner_keys}
    copy = LocDict(props)
    copy.pos, copy.dynamic = props.pos, props.dynamic
    copy.key_pos, copy.val_pos = dict(props.key_pos), dict(props.val_pos)
    copy[key] = cut
    return copy


class _Narrowed:
    """A resource seen through narrowed properties (same expansion, positions and links)."""

    def __init__(self, resource, props):
        self.props = props
        self.pos = resource.pos
        self.expand = resource.expand


def s3_linked(fs, config) -> bool:
    """An FSx for Lustre file system with an S3 data repository: a legacy ``ImportPath`` or an
    ``AWS::FSx::DataRepositoryAssociation`` in the template."""
    import_path = config.get("ImportPath", MISSING) if isinstance(config, dict) else MISSING
    return bool(import_path) or bool(fs.related("data_repository_associations"))


def unreadable_link(fs, config):
    """Live: when the listing of data repository associations failed, the ``Unreadable`` that stands
    for them (kept at the live-only ``DataRepositoryAssociations`` key) on a file system that shows
    no other link to S3: whether it is linked is then unknown, not no. None otherwise."""
    if s3_linked(fs, config):
        return None
    value = fs.props.get("DataRepositoryAssociations") if isinstance(fs.props, dict) else None
    return value if is_unresolved(value) else None


def key_line(values, key):
    """A ``fail(at=...)`` target: where ``key`` itself is written (a block's first line), else nothing."""
    if isinstance(values, LocDict):
        return values.key_pos.get(key)
    return None

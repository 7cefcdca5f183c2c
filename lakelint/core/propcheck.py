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


def text(value):
    """A plain (resolved) string, lowered, or None."""
    if isinstance(value, str) and not is_unresolved(value):
        return value.strip().lower()
    return None

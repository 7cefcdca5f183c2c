"""KMS keys of one region, in ``AWS::KMS::Key``'s shape, with their aliases, rotation and policy.

Other resources name their keys by id, ARN or alias; the inventory links them
(``resource.related("kms_keys")``, ``key.related("encrypts")``) from the ``KeyId``, ``Arn`` and
``Aliases`` recorded here. ``KeyManager`` (``CUSTOMER`` or ``AWS``) is a live-only key: a template
only ever declares customer managed keys. Keys pending deletion are skipped: they encrypt nothing new.
"""

from __future__ import annotations

import json

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.services import LiveRecord, ServiceCollector

LIST_KEYS = _call("kms", "ListKeys", "kms:ListKeys")
LIST_ALIASES = _call("kms", "ListAliases", "kms:ListAliases")
DESCRIBE_KEY = _call("kms", "DescribeKey", "kms:DescribeKey")
GET_KEY_ROTATION_STATUS = _call("kms", "GetKeyRotationStatus", "kms:GetKeyRotationStatus")
GET_KEY_POLICY = _call("kms", "GetKeyPolicy", "kms:GetKeyPolicy")


def _aliases(session, region) -> dict:
    """Key id -> its alias names and ARNs. A failed listing leaves keys without aliases (linking by
    alias then cannot happen; linking by id and ARN still does)."""
    found = {}
    try:
        for page in session.pages(LIST_ALIASES, region):
            for alias in page.get("Aliases") or []:
                if alias.get("TargetKeyId"):
                    found.setdefault(alias["TargetKeyId"], []).extend(
                        [a for a in (alias.get("AliasName"), alias.get("AliasArn")) if a])
    except Fault:
        pass
    return found


def _read(session, call, region, **params):
    try:
        return session.read(call, region, **params), None
    except Fault as fault:
        return None, fault.value()


def collect(session, region) -> list:
    aliases = _aliases(session, region)
    records = []
    for page in session.pages(LIST_KEYS, region):
        for listed in page.get("Keys") or []:
            key_id = listed["KeyId"]
            described, unreadable = _read(session, DESCRIBE_KEY, region, KeyId=key_id)
            meta = (described or {}).get("KeyMetadata") or {}
            if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
                continue
            props = {"KeyId": key_id, "Arn": listed.get("KeyArn") or meta.get("Arn"),
                     "Aliases": sorted(aliases.get(key_id, []))}
            if unreadable is not None:
                props["KeyManager"] = unreadable
            else:
                props.update(KeyManager=meta.get("KeyManager"), Enabled=meta.get("Enabled"),
                             Description=meta.get("Description", ""), KeySpec=meta.get("KeySpec"),
                             KeyUsage=meta.get("KeyUsage"), MultiRegion=meta.get("MultiRegion", False))
            if meta.get("KeyManager") == "CUSTOMER" or unreadable is not None:
                status, unreadable_status = _read(session, GET_KEY_ROTATION_STATUS, region, KeyId=key_id)
                props["EnableKeyRotation"] = unreadable_status or bool((status or {}).get("KeyRotationEnabled"))
            policy, unreadable_policy = _read(session, GET_KEY_POLICY, region, KeyId=key_id, PolicyName="default")
            if unreadable_policy is not None:
                props["KeyPolicy"] = unreadable_policy
            elif policy and policy.get("Policy"):
                props["KeyPolicy"] = json.loads(policy["Policy"])
            records.append(LiveRecord(type="AWS::KMS::Key", name=key_id, props=props, arn=props["Arn"]))
    return records


COLLECTOR = ServiceCollector(
    name="KMS keys",
    resource_types=("AWS::KMS::Key",),
    calls=(LIST_KEYS, LIST_ALIASES, DESCRIBE_KEY, GET_KEY_ROTATION_STATUS, GET_KEY_POLICY),
    collect=collect,
)

"""KMS keys of one region, in ``AWS::KMS::Key``'s shape, with their aliases, rotation and policy.

Other resources name their keys by id, ARN or alias; the inventory links them
(``resource.related("kms_keys")``, ``key.related("encrypts")``) from the ``KeyId``, ``Arn`` and
``Aliases`` recorded here. ``KeyManager`` (``CUSTOMER`` or ``AWS``) is a live-only key: a template
only ever declares customer managed keys. Keys pending deletion are skipped: they encrypt nothing new.
"""

from __future__ import annotations

import json

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault, Unreadable

LIST_KEYS = read_call("kms", "ListKeys", "kms:ListKeys")
LIST_ALIASES = read_call("kms", "ListAliases", "kms:ListAliases")
DESCRIBE_KEY = read_call("kms", "DescribeKey", "kms:DescribeKey")
GET_KEY_ROTATION_STATUS = read_call("kms", "GetKeyRotationStatus", "kms:GetKeyRotationStatus")
GET_KEY_POLICY = read_call("kms", "GetKeyPolicy", "kms:GetKeyPolicy")


KEY_TYPE = "AWS::KMS::Key"


def _aliases(ctx, region) -> dict:
    """Key id -> its alias names and ARNs. A failed listing leaves keys without aliases (linking by
    alias then cannot happen; linking by id and ARN still does)."""
    found = {}
    try:
        for page in ctx.pages(LIST_ALIASES, region):
            for alias in page.get("Aliases") or []:
                if alias.get("TargetKeyId"):
                    found.setdefault(alias["TargetKeyId"], []).extend(
                        [a for a in (alias.get("AliasName"), alias.get("AliasArn")) if a])
    except Fault:
        pass
    return found


def _read(ctx, call, region, **params):
    try:
        return ctx.read(call, region, **params), None
    except Fault as fault:
        return None, fault.value()


def collect(ctx, region) -> list:
    aliases = _aliases(ctx, region)
    records = []
    for page in ctx.pages(LIST_KEYS, region):
        for listed in page.get("Keys") or []:
            key_id = listed["KeyId"]
            described, unreadable = (_read(ctx, DESCRIBE_KEY, region, KeyId=key_id) if ctx.wants(DESCRIBE_KEY)
                                     else ({}, None))
            meta = (described or {}).get("KeyMetadata") or {}
            if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
                continue
            props = {"KeyId": key_id, "Arn": listed.get("KeyArn") or meta.get("Arn"),
                     "Aliases": sorted(aliases.get(key_id, []))}
            if unreadable is not None:
                props["KeyManager"] = unreadable
            elif described:
                props.update(KeyManager=meta.get("KeyManager"), Enabled=meta.get("Enabled"),
                             Description=meta.get("Description", ""), KeySpec=meta.get("KeySpec"),
                             KeyUsage=meta.get("KeyUsage"), MultiRegion=meta.get("MultiRegion", False))
                if meta.get("Origin"):  # AWS_KMS, EXTERNAL (imported material), AWS_CLOUDHSM, EXTERNAL_KEY_STORE
                    props["Origin"] = meta["Origin"]
            customer = meta.get("KeyManager") == "CUSTOMER" or unreadable is not None
            if customer and ctx.wants(GET_KEY_ROTATION_STATUS):
                status, unreadable_status = _read(ctx, GET_KEY_ROTATION_STATUS, region, KeyId=key_id)
                props["EnableKeyRotation"] = unreadable_status or bool((status or {}).get("KeyRotationEnabled"))
            if ctx.wants(GET_KEY_POLICY):
                policy, unreadable_policy = _read(ctx, GET_KEY_POLICY, region, KeyId=key_id, PolicyName="default")
                if unreadable_policy is not None:
                    props["KeyPolicy"] = unreadable_policy
                elif policy and policy.get("Policy"):
                    props["KeyPolicy"] = _document(policy["Policy"])
            records.append(LiveRecord(type=KEY_TYPE, name=key_id, props=props, arn=props["Arn"]))
    return records


COLLECTOR = Collector(
    name="KMS keys",
    # a key's aliases are part of its identity: other resources name their keys by alias too
    types={KEY_TYPE: provides((LIST_KEYS, LIST_ALIASES), {
        **fields((LIST_KEYS, LIST_ALIASES), "KeyId", "Arn", "Aliases"),
        **fields(DESCRIBE_KEY, "KeyManager", "Enabled", "Description", "KeySpec", "KeyUsage", "MultiRegion",
                 "Origin"),
        **fields((DESCRIBE_KEY, GET_KEY_ROTATION_STATUS), "EnableKeyRotation"),
        **fields(GET_KEY_POLICY, "KeyPolicy")})},
    collect=collect,
)


def _document(policy):
    """A key policy as the API gives it: JSON text (an emulator may hand back the document itself)."""
    if isinstance(policy, dict):
        return policy
    try:
        return json.loads(policy)
    except (TypeError, ValueError):
        return Unreadable("GetKeyPolicy answered a policy that is not JSON", api_call="kms:GetKeyPolicy")

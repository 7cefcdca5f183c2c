"""Turn a scan into stacks: one per account and region, in the inventory shape templates use.

Every record goes to the stack of its region (a bucket to its own region's, whatever ``--region``
said). Every stack carries the account's ``LakeLint::Account`` record, since checks read it through
``resource.stack``. Links the collectors declared by name (a bucket policy and its bucket, a table and
its database) are resolved within the region, and any resource is linked to the KMS keys its
properties name, exactly as the template source links them.

Each resource's properties are a ``LiveProps``: what the scan read, and for everything else a
``NotRead`` (unknown), never "not configured".
"""

from __future__ import annotations

from lakelint.core.model import Resource, Stack
from lakelint.core.values import Unresolved
from lakelint.sources.live.props import LiveProps

ACCOUNT_TYPE = "LakeLint::Account"


def build_stacks(result, plan=None) -> list:
    """Stacks of ``result`` (a ScanResult); ``plan`` says which properties were read (its absence: all
    that the records hold, for tests that build records by hand)."""
    account, partition = result.account, result.partition
    stacks = {}
    account_props = _props(ACCOUNT_TYPE, dict(result.account_props), plan)

    def stack_for(region):
        if region not in stacks:
            stack = Stack(source="live", resources=[], account=account, region=region,
                          scanned=region in result.regions)
            stack.resources.append(Resource(type=ACCOUNT_TYPE, name=account, props=account_props,
                                            source="live", arn=f"arn:{partition}:iam::{account}:root",
                                            account=account, region=region, stack=stack))
            stacks[region] = stack
        return stacks[region]

    for region in result.regions:
        stack_for(region)
    declared = {}  # region -> [(resource, links the collector declared)]
    for region, record in result.records:
        stack = stack_for(region)
        resource = Resource(type=record.type, name=record.name, props=_props(record.type, record.props, plan),
                            source="live", arn=record.arn, account=record.account or account, region=region,
                            stack=stack)
        stack.resources.append(resource)
        declared.setdefault(region, []).append((resource, record.links))
    if not stacks and account:
        stack_for(result.home_region)
    for region, stack in stacks.items():
        _resolve_links(stack, declared.get(region, []))
        link_kms_keys(stack)
    return [stacks[key] for key in sorted(stacks, key=lambda r: r or "")]


def _props(rtype: str, values: dict, plan):
    if plan is None or not isinstance(values, dict):
        return values
    return LiveProps(values, rtype, plan.read_properties(rtype), plan.unread_reasons(rtype))


def _resolve_links(stack, pending) -> None:
    """Links a collector declared by name ((relation, type, name, inverse)), within one region."""
    if not pending:
        return
    by_key = {(r.type, r.name): r for r in stack.resources}
    for resource, links in pending:
        for relation, target_type, target_name, inverse in links:
            target = by_key.get((target_type, target_name))
            if target is not None:
                resource.link(relation, target)
                if inverse:
                    target.link(inverse, resource)


KMS_KEY_TYPE = "AWS::KMS::Key"
_KEY_PROPERTIES = {"kmsmasterkeyid", "kmskeyid", "kmskeyarn", "kmskey", "kmskeyidentifier", "sseawskmskeyid",
                   "replicakmskeyid", "masterkeyid"}


def _key_references(value, found: list) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(key, str) and key.lower() in _KEY_PROPERTIES and isinstance(child, str):
                found.append(child)
            else:
                _key_references(child, found)
    elif isinstance(value, list):
        for item in value:
            _key_references(item, found)


def link_kms_keys(stack) -> None:
    """``resource.related("kms_keys")`` and ``key.related("encrypts")``, as templates have them: a key
    is named by id, key ARN, alias name or alias ARN (the KMS collector lists a key's aliases)."""
    keys = [r for r in stack.resources if r.type == KMS_KEY_TYPE]
    if not keys:
        return
    names = {}
    for key in keys:
        props = key.props if isinstance(key.props, dict) else {}
        aliases = props.get("Aliases") if isinstance(props.get("Aliases"), list) else []
        for name in [key.name, key.arn, props.get("KeyId"), props.get("Arn")] + list(aliases):
            if isinstance(name, str) and name and not isinstance(name, Unresolved):
                names[name] = key
                if name.startswith("arn:") and ":alias/" in name:
                    names[name.split(":", 5)[-1]] = key  # alias/name from an alias ARN
    for resource in stack.resources:
        if resource.type == KMS_KEY_TYPE or not isinstance(resource.props, dict):
            continue
        references = []
        _key_references(resource.props, references)
        for reference in references:
            key = names.get(reference) or names.get(reference.rsplit("/", 1)[-1] if ":key/" in reference else "")
            if key is not None and key not in resource.related("kms_keys"):
                resource.link("kms_keys", key)
                key.link("encrypts", resource)


def resource_count(stacks) -> int:
    """Resources the account holds, without lakelint's own account records."""
    return sum(1 for s in stacks for r in s.resources if not r.type.startswith("LakeLint::"))


def release(stacks) -> None:
    """Break the cycles an account's inventory is made of (a resource names its stack, the stack lists
    the resource; links point both ways), so it is freed as soon as it is judged rather than at the
    next full garbage collection: an organisation run judges hundreds of inventories one after another,
    and collecting them late would make its peak memory grow with the number of accounts."""
    for stack in stacks:
        for resource in stack.resources:
            resource.stack = None
            resource.links = {}
            resource.memo = {}
        stack.resources = []

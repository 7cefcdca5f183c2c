"""Turn a scan into stacks: one per account and region, in the inventory shape templates use.

Buckets go to the stack of their own region; VPC endpoints to the region they were read in. Every
stack carries the account's ``LakeLint::Account`` record, since checks read it through
``resource.stack``. Bucket policies become ``AWS::S3::BucketPolicy`` resources linked both ways to
their bucket, exactly as the template source links them.
"""

from __future__ import annotations

from lakelint.core.model import Resource, Stack

ACCOUNT_TYPE = "LakeLint::Account"


def policy_name(bucket: str) -> str:
    """A bucket name cannot hold "/", so this never collides with another bucket's name."""
    return f"{bucket}/policy"


def build_stacks(result) -> list:
    account, partition = result.account, result.partition
    stacks = {}

    def stack_for(region):
        if region not in stacks:
            stack = Stack(source="live", resources=[], account=account, region=region)
            stack.resources.append(Resource(type=ACCOUNT_TYPE, name=account, props=dict(result.account_props),
                                            source="live", arn=f"arn:{partition}:iam::{account}:root",
                                            account=account, region=region, stack=stack))
            stacks[region] = stack
        return stacks[region]

    for region in result.regions:
        stack_for(region)
    declared = {}  # region -> [(resource, links the collector declared)]
    for record in result.buckets:
        stack = stack_for(record.region)
        arn = f"arn:{partition}:s3:::{record.name}"
        bucket = Resource(type="AWS::S3::Bucket", name=record.name, props=record.props, source="live",
                          arn=arn, account=account, region=record.region, stack=stack)
        stack.resources.append(bucket)
        declared.setdefault(record.region, []).append((bucket, getattr(record, "links", [])))
        if record.policy is not None:
            policy = Resource(type="AWS::S3::BucketPolicy", name=policy_name(record.name),
                              props={"Bucket": record.name, "PolicyDocument": record.policy}, source="live",
                              arn=arn, account=account, region=record.region, stack=stack)
            bucket.link("policies", policy)
            policy.link("target", bucket)
            stack.resources.append(policy)
    for region, endpoint_id, owner, props in result.endpoints:
        stack = stack_for(region)
        owner = owner or account
        stack.resources.append(Resource(
            type="AWS::EC2::VPCEndpoint", name=endpoint_id, props=props, source="live",
            arn=f"arn:{partition}:ec2:{region}:{owner}:vpc-endpoint/{endpoint_id}",
            account=owner, region=region, stack=stack))
    for region, record in result.records:
        stack = stack_for(region)
        resource = Resource(type=record.type, name=record.name, props=record.props, source="live",
                            arn=record.arn, account=record.account or account, region=region, stack=stack)
        stack.resources.append(resource)
        declared.setdefault(region, []).append((resource, record.links))
    if not stacks and account:
        stack_for(result.home_region)
    for region, stack in stacks.items():
        _resolve_links(stack, declared.get(region, []))
        link_kms_keys(stack)
    return [stacks[key] for key in sorted(stacks, key=lambda r: r or "")]


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
        for name in [key.name, key.arn, props.get("KeyId"), props.get("Arn")] + list(props.get("Aliases") or []):
            if isinstance(name, str) and name:
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

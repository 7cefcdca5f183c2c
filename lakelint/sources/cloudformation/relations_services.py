"""Relations that cut across services in one template: a resource and the KMS key it encrypts with.

Any property named like a KMS key id (``KMSMasterKeyID``, ``KmsKeyId``, ``KmsKeyArn``, ...) found
anywhere in a resource's properties that points at an ``AWS::KMS::Key`` (or ``AWS::KMS::Alias`` of
one) of the same template links the two: ``resource.related("kms_keys")`` and
``key.related("encrypts")``.
"""

from __future__ import annotations

from lakelint.sources.cloudformation.template import referenced_name

KEY_PROPERTIES = {"kmsmasterkeyid", "kmskeyid", "kmskeyarn", "kmskey", "kmskeyidentifier", "sseawskmskeyid",
                  "replicakmskeyid", "masterkeyid", "kmskeyidentifier"}


def _key_references(value, found):
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(key, str) and key.lower() in KEY_PROPERTIES:
                found.append(child)
            else:
                _key_references(child, found)
    elif isinstance(value, list):
        for item in value:
            _key_references(item, found)


def _key_of(target, by_name):
    if target is None:
        return None
    if target.type == "AWS::KMS::Key":
        return target
    if target.type == "AWS::KMS::Alias":
        return by_name.get(referenced_name(target.props.get("TargetKeyId"), by_name, {}))
    return None


def link(stack, by_name: dict) -> None:
    if not any(r.type in ("AWS::KMS::Key", "AWS::KMS::Alias") for r in stack.resources):
        return
    aliases = {a.props.get("AliasName"): a.name for a in stack.of_type("AWS::KMS::Alias")
               if isinstance(a.props.get("AliasName"), str)}
    for resource in stack.resources:
        if resource.type.startswith("AWS::KMS::"):
            continue
        references = []
        _key_references(resource.props, references)
        for reference in references:
            target = by_name.get(referenced_name(reference, by_name, aliases))
            key = _key_of(target, by_name)
            if key is not None and key not in resource.related("kms_keys"):
                resource.link("kms_keys", key)
                key.link("encrypts", resource)

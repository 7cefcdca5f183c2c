"""Why a lake location's bucket cannot be told, in words (LL703).

A location's bucket may be written out, be a bucket of the template (``!Ref RawBucket``: its name is
generated, but it is a bucket of its own), or be known only at deploy time: a parameter, a
``{{resolve:ssm:...}}`` dynamic reference, a pseudo parameter, an empty name. The last kind cannot
be matched against the registrations, and the finding must say why without quoting lakelint's
placeholder text (``${resolve}``, ``${Fn::Join}``) or a name that is not there (``s3:///``).
"""

from __future__ import annotations

import re

from lakelint.core.values import Unresolved

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_SSM_PARAMETER_TYPE = "AWS::SSM::Parameter::Value<"


def described(location) -> str:
    """The location as a finding quotes it: ``s3://lake-raw/raw/ (bucket lake-raw)``, or for a bucket
    of the template, whose name is generated at deploy time, ``raw/ in bucket RawBucket of this
    template`` (never its placeholder ``${RawBucket}``)."""
    match = _REFERENCE.fullmatch(location.bucket)
    if match is None:
        return f"{location} (bucket {location.bucket})"
    bucket = f"bucket {match.group(1)} of this template"
    prefix = location.prefix.lstrip("/")
    return f"{prefix} in {bucket}" if prefix else bucket


def unknown_bucket(location, value, stack) -> Unresolved | None:
    """The bucket of ``location`` as an unknown value whose reason says why it cannot be told (it reads
    after "it"), or None when the bucket is identified. ``value`` is the property the location was read
    from, whose own reason is used when it is about the bucket."""
    resources = {r.name for r in stack.resources} if stack is not None else set()
    if location.known:
        return None
    names = _REFERENCE.findall(location.bucket)
    whole = f"${{{names[0]}}}" == location.bucket if names else False
    if whole and names[0] in resources:
        return None
    return Unresolved(location.bucket, _reason(location, names, whole, value, stack), names)


def _reason(location, names, whole, value, stack) -> str:
    if location.empty:
        return "is empty here: the location names no bucket, which S3 and Lake Formation reject"
    if location.dynamic:
        return (f"comes from a {{{{resolve:{location.dynamic}:...}}}} dynamic reference, resolved at deploy "
                f"time")
    if not names:
        return "is known only at deploy time"
    name, verb = names[0], "comes from" if whole else "is built from"
    parameters = getattr(stack, "parameters", None) or {}
    if name in parameters:
        reason = getattr(value, "reason", "")
        if whole and f"parameter {name}" in reason:
            return reason  # the evaluator's own words (a default, allowed values, an SSM type)
        return f"{verb} {_parameter(name, parameters[name])}"
    if name.startswith("AWS::"):
        return f"{verb} the pseudo parameter {name}, known only at deploy time"
    if name.startswith("Fn::"):
        return f"{verb} the result of {name}, known only at deploy time"
    if "." in name:
        return f"{verb} !GetAtt {name}, known only at deploy time"
    if name in {r.name for r in stack.resources}:
        return f"{verb} the name of {name}, generated at deploy time"
    return "is known only at deploy time"


def _parameter(name, definition) -> str:
    definition = definition if isinstance(definition, dict) else {}
    kind = str(definition.get("Type", "String"))
    if kind.startswith(_SSM_PARAMETER_TYPE):
        return f"parameter {name}, of type {kind}: its value is read from the SSM parameter store at deploy time"
    if definition.get("AllowedValues") or "Default" in definition:
        return f"parameter {name} when it is set to a value the template does not name"
    return f"parameter {name}, which has no AllowedValues or Default"

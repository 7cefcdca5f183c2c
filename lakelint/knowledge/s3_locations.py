"""S3 locations as the catalog services write them, reduced to a bucket and a key prefix.

Glue databases and tables name ``s3://bucket/prefix/``, Lake Formation registrations and grants name
``arn:aws:s3:::bucket/prefix``, templates build either with ``!Sub``/``!Join`` or point at a bucket of
the same template (``!Ref RawBucket``, ``${RawBucket.Arn}``). One reading of all those forms lets the
template relations and the checks agree on whether one location covers another.

A bucket known only at deploy time keeps the text that names it as its name: a placeholder
(``${RawBucket}``, ``${BucketParam}``) or a ``{{resolve:ssm:/lake/bucket}}`` dynamic reference as the
template writes it (``S3Location.dynamic`` says which service resolves it). Two locations written
with the same placeholder or reference still compare equal, and ``S3Location.known`` says whether the
name is real. A location whose bucket name is empty (a parameter that defaults to '') is read as such:
``S3Location.empty``.
"""

from __future__ import annotations

import re

from lakelint.core.records import FrozenRecord, init_field

# resource type -> path to the S3 location it names (the lake locations the catalog points at)
CATALOG_LOCATIONS = {
    "AWS::Glue::Database": ("DatabaseInput", "LocationUri"),
    "AWS::Glue::Table": ("TableInput", "StorageDescriptor", "Location"),
    "AWS::LakeFormation::Permissions": ("Resource", "DataLocationResource", "S3Resource"),
    "AWS::LakeFormation::PrincipalPermissions": ("Resource", "DataLocation", "ResourceArn"),
}

_URI = re.compile(r"^s3[an]?://([^/]*)/?(.*)$", re.IGNORECASE)
_ARN = re.compile(r"^arn:(?:\$\{[^}]*\}|[^:]*):s3:::([^/]*)/?(.*)$")
_ATTR_ARN = re.compile(r"^\$\{([A-Za-z0-9]+)\.Arn\}/?(.*)$")
_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9]+)\}$")
# A {{resolve:service:name}} dynamic reference, whole: its name may hold slashes and, inside a !Sub,
# ${Param} references of its own ({{resolve:ssm:/lake/${Env}/bucket}}).
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:([A-Za-z0-9-]+):(?:[^{}]|\$\{[^{}]*\})*\}\}")
# what stands for a dynamic reference while the location is split (no slash, no "${")
_STAND_IN = "\ue000{}\ue001"
_STAND_INS = re.compile("\ue000([0-9]+)\ue001")


class S3Location(FrozenRecord):
    """A bucket and a key prefix in it. A plain class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("bucket", "prefix", "dynamic")

    def __init__(self, bucket: str, prefix: str = "", dynamic: str = ""):
        init_field(self, "bucket", bucket)
        init_field(self, "prefix", prefix)  # key prefix without leading slash; "" is the whole bucket
        # the service of a {{resolve:...}} dynamic reference in the bucket name ("ssm")
        init_field(self, "dynamic", dynamic)

    @property
    def empty(self) -> bool:
        """The bucket name is empty: no bucket is named (S3 and Lake Formation reject it)."""
        return not self.bucket

    @property
    def known(self) -> bool:
        return bool(self.bucket) and not self.dynamic and "${" not in self.bucket

    def covers(self, other: "S3Location") -> bool:
        """Whether ``other`` lies inside this location (same bucket, at or below this prefix)."""
        if self.empty or self.bucket != other.bucket:
            return False
        mine = self.prefix.strip("/")
        if not mine:
            return True
        theirs = other.prefix.strip("/")
        return theirs == mine or theirs.startswith(mine + "/")

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix.lstrip('/')}"


def bucket_names(stack) -> dict:
    """``{"${LogicalId}": "literal-bucket-name"}`` for the stack's buckets whose name is written out,
    so ``!Ref RawBucket`` and ``s3://raw-bucket/`` read as the same bucket."""
    names = {}
    for bucket in stack.of_type("AWS::S3::Bucket") if stack is not None else ():
        name = bucket.props.get("BucketName") if isinstance(bucket.props, dict) else None
        if isinstance(name, str) and "${" not in name:
            names["${" + bucket.name + "}"] = name
    return names


def parse(value, names: dict | None = None) -> S3Location | None:
    """The bucket and prefix ``value`` names, or None when it is not an S3 location."""
    if not isinstance(value, str):
        return None
    references = []

    def stand_in(match):
        references.append((match.group(0), match.group(1)))
        return _STAND_IN.format(len(references) - 1)

    text = _DYNAMIC_REFERENCE.sub(stand_in, value.strip())
    match = _URI.match(text) or _ARN.match(text)
    if match:
        bucket, prefix = match.group(1), match.group(2)
    else:
        match = _ATTR_ARN.match(text)
        if match:
            bucket, prefix = "${" + match.group(1) + "}", match.group(2)
        elif _PLACEHOLDER.match(text):
            bucket, prefix = text, ""
        else:
            return None
    if names and bucket in names:
        bucket = names[bucket]
    services = [references[int(i)][1] for i in _STAND_INS.findall(bucket)]

    def restore(part):
        return _STAND_INS.sub(lambda m: references[int(m.group(1))][0], part)

    return S3Location(restore(bucket), restore(prefix or ""), services[0] if services else "")

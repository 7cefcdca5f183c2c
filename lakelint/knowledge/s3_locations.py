"""S3 locations as the catalog services write them, reduced to a bucket and a key prefix.

Glue databases and tables name ``s3://bucket/prefix/``, Lake Formation registrations and grants name
``arn:aws:s3:::bucket/prefix``, templates build either with ``!Sub``/``!Join`` or point at a bucket of
the same template (``!Ref RawBucket``, ``${RawBucket.Arn}``). One reading of all those forms lets the
template relations and the checks agree on whether one location covers another.

A bucket known only at deploy time keeps its placeholder as its name (``${RawBucket}``,
``${BucketParam}``): two locations written with the same placeholder still compare equal, and
``S3Location.known`` says whether the name is real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# resource type -> path to the S3 location it names (the lake locations the catalog points at)
CATALOG_LOCATIONS = {
    "AWS::Glue::Database": ("DatabaseInput", "LocationUri"),
    "AWS::Glue::Table": ("TableInput", "StorageDescriptor", "Location"),
    "AWS::LakeFormation::Permissions": ("Resource", "DataLocationResource", "S3Resource"),
    "AWS::LakeFormation::PrincipalPermissions": ("Resource", "DataLocation", "ResourceArn"),
}

_URI = re.compile(r"^s3[an]?://([^/]+)/?(.*)$", re.IGNORECASE)
_ARN = re.compile(r"^arn:(?:\$\{[^}]*\}|[^:]*):s3:::([^/]+)/?(.*)$")
_ATTR_ARN = re.compile(r"^\$\{([A-Za-z0-9]+)\.Arn\}/?(.*)$")
_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9]+)\}$")
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:[^}]*\}\}")


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str = ""  # key prefix without leading slash; "" is the whole bucket

    @property
    def known(self) -> bool:
        return "${" not in self.bucket

    def covers(self, other: "S3Location") -> bool:
        """Whether ``other`` lies inside this location (same bucket, at or below this prefix)."""
        if self.bucket != other.bucket:
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
    # a {{resolve:...}} dynamic reference is only known at deploy time; it may hold slashes
    text = _DYNAMIC_REFERENCE.sub("${resolve}", value.strip())
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
    return S3Location(bucket, prefix or "")

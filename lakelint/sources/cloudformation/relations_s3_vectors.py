"""Relations between S3 Vectors resources in one template: a vector index and its vector bucket.

``index.related("vector_bucket")`` / ``bucket.related("indexes")``: the ``AWS::S3Vectors::VectorBucket``
an ``AWS::S3Vectors::Index`` names with ``VectorBucketName`` or ``VectorBucketArn``. A reference is a
``Ref`` (a vector bucket's ``Ref`` is its ARN), a ``GetAtt``, a ``!Sub "${Bucket}"``, the literal name
the bucket declares, or a literal ARN ending in ``bucket/<that name>``; both sides of an ``Fn::If`` are
linked. An index names a bucket the template does not hold by its name or ARN only: it stays unlinked
(the checks say its bucket's settings cannot be verified).
"""

from __future__ import annotations

from lakelint.sources.cloudformation.template import referenced_name

BUCKET = "AWS::S3Vectors::VectorBucket"
INDEX = "AWS::S3Vectors::Index"
REFERENCES = ("VectorBucketName", "VectorBucketArn")


def _alternatives(value) -> list:
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        arg = value["Fn::If"]
        return [v for side in (arg[1:] if isinstance(arg, list) and len(arg) == 3 else []) for v in _alternatives(side)]
    return [value]


def _literal_name(value):
    """The bucket name a literal name or ARN (``arn:...:s3vectors:...:bucket/NAME``) says."""
    if not isinstance(value, str):
        return None
    return value.split(":bucket/", 1)[1] if ":bucket/" in value else value


def link(stack, by_name: dict) -> None:
    buckets = [r for r in stack.of_type(BUCKET)]
    if not buckets:
        return
    by_physical = {}
    for bucket in buckets:
        name = bucket.props.get("VectorBucketName") if isinstance(bucket.props, dict) else None
        if isinstance(name, str):
            by_physical[name] = bucket.name
    for index in stack.of_type(INDEX):
        props = index.props if isinstance(index.props, dict) else {}
        for prop in REFERENCES:
            for value in _alternatives(props.get(prop)):
                target_name = referenced_name(value, by_name, {})
                if target_name is None:
                    target_name = by_physical.get(_literal_name(value))
                target = by_name.get(target_name) if target_name else None
                if target is None or target.type != BUCKET or target in index.related("vector_bucket"):
                    continue
                index.link("vector_bucket", target)
                target.link("indexes", index)

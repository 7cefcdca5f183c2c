"""Relations between S3 resources in one template: a bucket and its policies, access points and
access-log destination.

Each relation is stored on both ends so checks can follow it from whichever resource they look at:

- ``bucket.related("policies")`` / ``policy.related("target")``: an ``AWS::S3::BucketPolicy``;
- ``bucket.related("access_points")`` / ``access_point.related("target")``: an ``AWS::S3::AccessPoint``;
- ``bucket.related("access_log_destination")`` / ``destination.related("access_log_sources")``: the
  bucket that ``LoggingConfiguration.DestinationBucketName`` names (another bucket of the template).

A reference is found however it is written: ``Ref``, ``GetAtt``, ``Sub "${Bucket}"``, the literal
bucket name or ARN, a name built the same way as the bucket's own ``BucketName`` (the same ``!Sub``),
the name cut out of the bucket's ARN (``!Select [5, !Split [":", !GetAtt B.Arn]]``), and
both sides of an ``Fn::If``.
"""

from __future__ import annotations

from lakelint.sources.cloudformation.template import referenced_name

# relation name on the target, resource type holding the reference, property naming the target
_REFERENCE_LINKS = (
    ("policies", "AWS::S3::BucketPolicy", ("Bucket",)),
    ("access_points", "AWS::S3::AccessPoint", ("Bucket",)),
)
_BUCKET = "AWS::S3::Bucket"


def _plain(value):
    """A comparable form of a template value (positions dropped)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _named_inside(value, by_name, found):
    """Buckets named through ``Fn::Select``/``Fn::Split`` (the bucket name cut out of its ARN)."""
    if isinstance(value, dict) and len(value) == 1:
        name = referenced_name(value, by_name, {})
        if name is not None:
            found.add(name)
            return
        (key, arg), = value.items()
        if key in ("Fn::Select", "Fn::Split"):
            _named_inside(arg, by_name, found)
    elif isinstance(value, list):
        for item in value:
            _named_inside(item, by_name, found)


def bucket_targets(value, buckets: dict, by_physical: dict, by_expression: dict) -> list:
    """The logical ids of the buckets ``value`` may name (both sides of an ``Fn::If``)."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        arg = value["Fn::If"]
        if isinstance(arg, list) and len(arg) == 3:
            found = []
            for side in arg[1:]:
                for name in bucket_targets(side, buckets, by_physical, by_expression):
                    if name not in found:
                        found.append(name)
            return found
        return []
    name = referenced_name(value, buckets, by_physical)
    if name is not None:
        return [name]
    if isinstance(value, (dict, list)):
        same = by_expression.get(_plain(value))
        if same is not None:
            return [same]
        inside = set()
        _named_inside(value, buckets, inside)
        if len(inside) == 1:
            return list(inside)
    return []


def link(stack, by_name: dict) -> None:
    bucket_list = stack.of_type(_BUCKET)
    if not bucket_list:
        return
    buckets = {b.name: b for b in bucket_list}
    by_physical, by_expression = {}, {}
    for bucket in bucket_list:
        name = bucket.props.get("BucketName") if isinstance(bucket.props, dict) else None
        if isinstance(name, str):
            by_physical[name] = bucket.name
        elif isinstance(name, (dict, list)):
            by_expression.setdefault(_plain(name), bucket.name)

    for relation, holder_type, props in _REFERENCE_LINKS:
        for holder in stack.of_type(holder_type):
            for prop in props:
                value = holder.props.get(prop) if isinstance(holder.props, dict) else None
                for target in bucket_targets(value, buckets, by_physical, by_expression):
                    bucket = buckets[target]
                    if holder not in bucket.related(relation):
                        bucket.link(relation, holder)
                        holder.link("target", bucket)

    for bucket in bucket_list:
        logging = bucket.props.get("LoggingConfiguration") if isinstance(bucket.props, dict) else None
        for destination_name in _destination_names(logging):
            _link_log_destination(bucket, destination_name, buckets, by_physical, by_expression)


def _destination_names(logging) -> list:
    """``DestinationBucketName`` of a logging configuration, on both sides of an ``Fn::If``."""
    if not isinstance(logging, dict):
        return []
    if len(logging) == 1 and "Fn::If" in logging:
        arg = logging["Fn::If"]
        return [n for side in (arg[1:] if isinstance(arg, list) and len(arg) == 3 else []) for n in _destination_names(side)]
    return [logging["DestinationBucketName"]] if "DestinationBucketName" in logging else []


def _link_log_destination(bucket, value, buckets, by_physical, by_expression) -> None:
    for target in bucket_targets(value, buckets, by_physical, by_expression):
        destination = buckets[target]
        if destination is bucket or destination in bucket.related("access_log_destination"):
            continue
        bucket.link("access_log_destination", destination)
        destination.link("access_log_sources", bucket)

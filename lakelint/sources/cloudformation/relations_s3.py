"""Relations between S3 resources in one template: a bucket and its policies and access points.

Each relation is stored on both ends (``bucket.related("policies")``, ``policy.related("target")``)
so checks can follow it from whichever resource they are looking at.
"""

from __future__ import annotations

from lakelint.sources.cloudformation.template import referenced_name

# relation name on the target, resource type holding the reference, property naming the target
_REFERENCE_LINKS = (
    ("policies", "AWS::S3::BucketPolicy", "Bucket"),
    ("access_points", "AWS::S3::AccessPoint", "Bucket"),
)


def link(stack, by_name: dict) -> None:
    buckets = stack.of_type("AWS::S3::Bucket")
    by_physical = {b.props.get("BucketName"): b.name for b in buckets if isinstance(b.props.get("BucketName"), str)}
    for relation, holder_type, prop in _REFERENCE_LINKS:
        for holder in stack.of_type(holder_type):
            target = by_name.get(referenced_name(holder.props.get(prop), by_name, by_physical))
            if target is not None and target.type == "AWS::S3::Bucket":
                target.link(relation, holder)
                holder.link("target", target)

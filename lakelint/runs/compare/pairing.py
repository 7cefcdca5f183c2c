"""Each resource a stack deployed, beside its template resource and its live resource, with the
verdicts of one check on each.

The link is CloudFormation's own record (``ListStackResources``): a logical id names the template's
resource, a physical id the account's. The live resource is found by its name, its ARN or the last
part of its ARN, of the same type (a bucket policy by its bucket, which is how the account holds it;
a per-account setting, such as Lake Formation's data-lake settings, is the one of its region).
"""

from __future__ import annotations

from lakelint.core.drift import Side
from lakelint.core.values import LocDict

# type -> (the live record's property naming its parent, the parent's type): the account holds these
# as part of their parent (a bucket's policy), so they are found through the parent's physical id
ATTACHED = {"AWS::S3::BucketPolicy": ("Bucket", "AWS::S3::Bucket")}
# one of each per account and region: the stack's is the region's
SINGLETONS = frozenset({"AWS::LakeFormation::DataLakeSettings", "AWS::Glue::DataCatalogEncryptionSettings"})


def _keys(resource) -> set:
    keys = {resource.name}
    if resource.arn:
        keys |= {resource.arn, resource.arn.rsplit("/", 1)[-1], resource.arn.rsplit(":", 1)[-1]}
    return keys


class LiveIndex:
    """The account's resources by type and by every id a stack's record may name them with."""

    def __init__(self, live_stacks):
        self._by_key = {}
        self._by_region = {}
        for stack in live_stacks:
            for resource in stack.resources:
                self._by_region.setdefault((resource.type, resource.region), []).append(resource)
                keys = _keys(resource)
                if resource.type in ATTACHED:
                    parent = resource.props.get(ATTACHED[resource.type][0])
                    keys = {("parent", str(parent))} if isinstance(parent, str) else set()
                for key in keys:
                    self._by_key.setdefault((resource.type, key), []).append(resource)

    def find(self, rtype: str, physical_id: str, region: str, parent_id: str | None = None):
        """The live resource a stack's record names, or None."""
        if rtype in SINGLETONS:
            found = self._by_region.get((rtype, region), [])
            return found[0] if len(found) == 1 else None
        key = ("parent", parent_id) if rtype in ATTACHED else physical_id
        found = self._by_key.get((rtype, key), [])
        here = [r for r in found if r.region == region]
        return (here or found or [None])[0]


def attached_types(parent_type: str) -> list:
    """The attached types whose parent is of ``parent_type`` (a bucket's: its policy)."""
    return [child for child, (_, parent) in ATTACHED.items() if parent == parent_type]


def parent_physical_id(template_resource, physical_ids: dict) -> str | None:
    """The physical id of the resource an attached one (a bucket policy) belongs to: its ``Bucket`` is a
    ``Ref`` to a resource of the stack, or a literal name."""
    attached = ATTACHED.get(template_resource.type)
    if attached is None or not isinstance(template_resource.props, dict):
        return None
    value = template_resource.props.get(attached[0])
    if isinstance(value, (dict, LocDict)) and set(value) == {"Ref"}:
        return physical_ids.get(str(value["Ref"]))
    return value if isinstance(value, str) else None


class Verdicts:
    """One source's verdicts, per (resource name, check code): fail where a finding proves a problem
    (suppressed or not: the problem is there), unknown where a check could not judge, pass otherwise."""

    def __init__(self, findings, errors):
        self._failed, self._unknown = {}, {}
        for finding in findings:
            target = self._unknown if finding.verdict == "unverifiable" else self._failed
            target.setdefault((finding.resource, finding.check), []).append(finding)
        for entry in errors:
            if entry.check and entry.resource:
                self._unknown.setdefault((entry.resource, entry.check), []).append(entry)

    def side(self, resource_name: str, code: str, where: str | None) -> Side:
        failed = self._failed.get((resource_name, code))
        if failed:
            return Side("fail", [f.message for f in failed], [f.fingerprint_key for f in failed if f.fingerprint_key],
                        where)
        unknown = self._unknown.get((resource_name, code))
        if unknown:
            return Side("unknown", [u.message for u in unknown], [], where)
        return Side("pass", [], [], where)

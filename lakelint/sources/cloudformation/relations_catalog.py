"""Relations between analytics and catalog resources in one template.

- a Redshift cluster and the ``AWS::Redshift::ClusterParameterGroup`` it names:
  ``cluster.related("parameter_groups")`` / ``group.related("clusters")``;
- a Glue job or crawler and its ``AWS::Glue::SecurityConfiguration``:
  ``job.related("security_configurations")`` / ``configuration.related("used_by")``;
- a Glue table and its Glue database: ``table.related("databases")`` / ``database.related("tables")``;
- a resource that names a lake location (Glue database ``LocationUri``, Glue table
  ``StorageDescriptor.Location``, a Lake Formation grant on a data location) and the
  ``AWS::LakeFormation::Resource`` registrations that cover it:
  ``holder.related("lake_registrations")`` / ``registration.related("registered_locations")``.

A reference may be a ``Ref``, a ``GetAtt``, a ``!Sub "${X}"``, the literal name the target declares,
or an ``Fn::If`` between any of these (both sides are linked).
"""

from __future__ import annotations

from lakelint.knowledge import s3_locations
from lakelint.sources.cloudformation.template import referenced_name

# resource type holding the reference, property naming the target
_PARAMETER_GROUP_HOLDERS = (("AWS::Redshift::Cluster", "ClusterParameterGroupName"),)
_SECURITY_CONFIGURATION_HOLDERS = (("AWS::Glue::Job", "SecurityConfiguration"),
                                   ("AWS::Glue::Crawler", "CrawlerSecurityConfiguration"))

LOCATION_PATHS = s3_locations.CATALOG_LOCATIONS


def _alternatives(value):
    """The raw values a property may take: both sides of every ``Fn::If``."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        arg = value["Fn::If"]
        if isinstance(arg, list) and len(arg) == 3:
            return _alternatives(arg[1]) + _alternatives(arg[2])
        return []
    return [value]


def _literal_names(resources, prop_path) -> dict:
    names = {}
    for resource in resources:
        value = resource.props
        for step in prop_path:
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, str):
            names[value] = resource.name
    return names


def _link_by_name(stack, by_name, holders, target_type, name_path, forward, backward):
    targets = stack.of_type(target_type)
    if not targets:
        return
    by_physical = _literal_names(targets, name_path)
    for holder_type, prop in holders:
        for holder in stack.of_type(holder_type):
            raw = holder.props.get(prop) if isinstance(holder.props, dict) else None
            for candidate in _alternatives(raw):
                target = by_name.get(referenced_name(candidate, by_name, by_physical) or "")
                if target is not None and target.type == target_type and target not in holder.related(forward):
                    holder.link(forward, target)
                    target.link(backward, holder)


def locations(resource, names=None) -> list:
    """Every S3 location ``resource`` names, over all its branches (for linking, not for verdicts)."""
    path = LOCATION_PATHS.get(resource.type)
    if path is None:
        return []
    found = []
    for branch in resource.branches(*path):
        location = s3_locations.parse(branch.value, names)
        if location is not None:
            found.append(location)
    return found


def _link_registrations(stack):
    registrations = stack.of_type("AWS::LakeFormation::Resource")
    if not registrations:
        return
    names = s3_locations.bucket_names(stack)
    registered = [(r, locations_of_registration(r, names)) for r in registrations]
    for holder in stack.resources:
        if holder.type not in LOCATION_PATHS:
            continue
        for location in locations(holder, names):
            for registration, covered in registered:
                if any(c.covers(location) for c in covered) and registration not in holder.related("lake_registrations"):
                    holder.link("lake_registrations", registration)
                    registration.link("registered_locations", holder)


def locations_of_registration(registration, names=None) -> list:
    found = []
    for branch in registration.branches("ResourceArn"):
        location = s3_locations.parse(branch.value, names)
        if location is not None:
            found.append(location)
    return found


def link(stack, by_name: dict) -> None:
    _link_by_name(stack, by_name, _PARAMETER_GROUP_HOLDERS, "AWS::Redshift::ClusterParameterGroup",
                  ("ParameterGroupName",), "parameter_groups", "clusters")
    _link_by_name(stack, by_name, _SECURITY_CONFIGURATION_HOLDERS, "AWS::Glue::SecurityConfiguration",
                  ("Name",), "security_configurations", "used_by")
    _link_by_name(stack, by_name, (("AWS::Glue::Table", "DatabaseName"),), "AWS::Glue::Database",
                  ("DatabaseInput", "Name"), "databases", "tables")
    _link_registrations(stack)

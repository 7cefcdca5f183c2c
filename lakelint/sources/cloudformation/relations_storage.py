"""Relations between storage and database resources in one template.

- an RDS DB cluster and its DB instances (``DBClusterIdentifier``): ``cluster.related("instances")``,
  ``instance.related("clusters")``;
- a DocumentDB cluster and its cluster parameter group (``DBClusterParameterGroupName``):
  ``cluster.related("parameter_groups")``;
- an FSx file system and its S3 data repository associations (``FileSystemId``):
  ``file_system.related("data_repository_associations")``;
- a DynamoDB table and the Application Auto Scaling targets and policies that scale it (``ResourceId``
  ``table/<name>``): ``table.related("scalable_targets")`` (each with ``scaling_policies``) and
  ``table.related("scaling_policies")`` for policies that name the table directly.

A reference is a ``Ref``/``GetAtt``/``Sub`` to the resource or its literal physical name.
"""

from __future__ import annotations

import re

from lakelint.sources.cloudformation.template import referenced_name

_SUB_NAMES = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}")


def link(stack, by_name: dict) -> None:
    _link_by_property(stack, by_name, "AWS::RDS::DBCluster", "DBClusterIdentifier",
                      ("AWS::RDS::DBInstance",), "DBClusterIdentifier", "instances", "clusters", fold=True)
    _link_by_property(stack, by_name, "AWS::DocDB::DBClusterParameterGroup", "Name",
                      ("AWS::DocDB::DBCluster",), "DBClusterParameterGroupName", "parameter_groups", "clusters",
                      forward=False, fold=True)
    _link_by_property(stack, by_name, "AWS::FSx::FileSystem", None,
                      ("AWS::FSx::DataRepositoryAssociation",), "FileSystemId",
                      "data_repository_associations", "file_systems")
    _link_scaling(stack, by_name)


def _physical(targets, name_prop, fold):
    names = {}
    if name_prop is None:
        return names
    for target in targets:
        value = target.props.get(name_prop) if isinstance(target.props, dict) else None
        if isinstance(value, str):
            names[value.lower() if fold else value] = target.name
    return names


def _link_by_property(stack, by_name, target_type, name_prop, holder_types, prop, on_target, on_holder,
                      forward=True, fold=False):
    """Link each holder whose ``prop`` names a ``target_type`` resource. ``forward`` says which end
    gets the ``on_target`` list: the target (a cluster's instances) or the holder (a cluster's groups)."""
    targets = stack.of_type(target_type)
    if not targets:
        return
    physical = _physical(targets, name_prop, fold)
    for holder in stack.of_type(*holder_types):
        value = holder.props.get(prop) if isinstance(holder.props, dict) else None
        if isinstance(value, str) and fold:
            value = value.lower()
        target = by_name.get(referenced_name(value, by_name, physical))
        if target is None or target.type != target_type:
            continue
        if forward:
            target.link(on_target, holder)
            holder.link(on_holder, target)
        else:
            holder.link(on_target, target)
            target.link(on_holder, holder)


def _table_names_in(value, by_name, physical) -> set:
    """Tables a ``ResourceId`` such as ``table/${Orders}`` or ``!Join ['/', [table, !Ref Orders]]``
    points at (index dimensions ``table/X/index/Y`` count for the table only when asked)."""
    found = set()
    if isinstance(value, str):
        parts = value.split("/")
        if len(parts) >= 2 and parts[0] == "table" and parts[1] in physical:
            found.add(physical[parts[1]])
    elif isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Fn::Sub":
            template = arg[0] if isinstance(arg, list) and arg else arg
            if isinstance(template, str) and template.startswith("table/"):
                found |= {n for n in _SUB_NAMES.findall(template) if n in by_name}
                if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
                    for variable in arg[1].values():
                        name = referenced_name(variable, by_name, {})
                        if name:
                            found.add(name)
        elif key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            pieces = arg[1]
            if pieces and isinstance(pieces[0], str) and pieces[0].startswith("table"):
                for piece in pieces[1:2]:
                    name = referenced_name(piece, by_name, {})
                    if name:
                        found.add(name)
                    elif isinstance(piece, str) and piece in physical:
                        found.add(physical[piece])
    return {n for n in found if n in by_name and by_name[n].type == "AWS::DynamoDB::Table"}


def _link_scaling(stack, by_name):
    tables = stack.of_type("AWS::DynamoDB::Table")
    if not tables:
        return
    physical = _physical(tables, "TableName", False)
    targets = stack.of_type("AWS::ApplicationAutoScaling::ScalableTarget")
    for target in targets:
        props = target.props if isinstance(target.props, dict) else {}
        for name in _table_names_in(props.get("ResourceId"), by_name, physical):
            by_name[name].link("scalable_targets", target)
            target.link("tables", by_name[name])
    for policy in stack.of_type("AWS::ApplicationAutoScaling::ScalingPolicy"):
        props = policy.props if isinstance(policy.props, dict) else {}
        target = by_name.get(referenced_name(props.get("ScalingTargetId"), by_name, {}))
        if target is not None and target.type == "AWS::ApplicationAutoScaling::ScalableTarget":
            target.link("scaling_policies", policy)
            policy.link("targets", target)
            continue
        for name in _table_names_in(props.get("ResourceId"), by_name, physical):
            by_name[name].link("scaling_policies", policy)
            policy.link("tables", by_name[name])

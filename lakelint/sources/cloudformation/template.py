"""Turn one parsed template into a ``Stack`` of ``Resource`` records.

This is where template-only knowledge lives: what makes a file CloudFormation, which parameters,
mappings and conditions intrinsics can draw on, and how resources point at each other (a bucket
policy at its bucket, a bucket at its KMS key). Checks only ever see the resulting inventory.
"""

from __future__ import annotations

import re

from lakelint.core.branches import TRUE
from lakelint.core.model import ErrorEntry, Resource, Stack
from lakelint.core.values import LocDict, Unresolved, pos_of
from lakelint.sources.cloudformation import foreach
from lakelint.sources.cloudformation.scope import Scope

_SUB_ONLY_NAME = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}$")
SAM_ORIGIN = "the SAM transform (an AWS::Serverless::SimpleTable)"  # Resource.origin of the tables it makes


def is_cloudformation(root) -> bool:
    """A CloudFormation template has a ``Resources`` mapping whose entries are typed resources (or
    ``Fn::ForEach`` loops that make them)."""
    if not isinstance(root, dict):
        return False
    resources = root.get("Resources")
    if not isinstance(resources, dict) or not resources:
        return False
    return any((isinstance(r, dict) and isinstance(r.get("Type"), str))
               or (isinstance(k, str) and k.startswith(foreach.PREFIX)) for k, r in resources.items())


def build_stack(root: LocDict, file: str, deployed: dict | None = None, pseudo: dict | None = None) -> Stack:
    """``deployed`` and ``pseudo``: the parameter and pseudo-parameter values a stack was deployed with,
    to judge the template exactly as deployed (see scope.Scope)."""
    parameters = root.get("Parameters") if isinstance(root.get("Parameters"), dict) else {}
    mappings = root.get("Mappings") if isinstance(root.get("Mappings"), dict) else {}
    conditions = root.get("Conditions") if isinstance(root.get("Conditions"), dict) else {}
    notes = []
    loops = {}
    written = set(root["Resources"]) if isinstance(root.get("Resources"), dict) else set()
    if foreach.declared(root) and foreach.has_loops(root):
        loops = foreach.made_by_loops(root)
        scope = Scope(parameters=parameters, mappings=mappings, conditions=conditions, deployed=deployed,
                      pseudo=pseudo)
        root, problems = foreach.expand(root, lambda value, pos: _collection(scope, value, pos))
        conditions = root.get("Conditions") if isinstance(root.get("Conditions"), dict) else {}
        notes = _notes(problems, file)
    if root.get("Transform") is not None:
        from lakelint.sources.cloudformation import sam  # here: only a template naming a transform can need it

        if sam.declared(root):  # after Fn::ForEach: SAM wants AWS::LanguageExtensions listed first
            loops.update(dict.fromkeys(sam.simple_tables(root), SAM_ORIGIN))
            root, problems = sam.translate(root)
            notes += _notes(problems, file)
    resources_node = root["Resources"]
    scope = Scope(parameters=parameters, mappings=mappings, conditions=conditions,
                  resources=frozenset(resources_node), deployed=deployed, pseudo=pseudo)
    stack = Stack(source="template", resources=[], file=file, parameters=parameters, root=root,
                  space=scope.space, notes=notes)
    for logical_id, body in resources_node.items():
        if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
            continue
        props = body.get("Properties")
        if not isinstance(props, dict):
            props = LocDict()
            props.pos = pos_of(body)
        condition = body.get("Condition") if isinstance(body.get("Condition"), str) else None
        exists = scope.condition_guards(condition)[0] if condition else [TRUE]
        resource = Resource(
            type=body["Type"],
            name=str(logical_id),
            props=props,
            source="template",
            file=file,
            pos=resources_node.key_pos.get(logical_id) if isinstance(resources_node, LocDict) else None,
            condition=condition,
            metadata=body.get("Metadata"),
            attributes={k: v for k, v in body.items() if k not in ("Type", "Properties", "Metadata")},
            expand=_bound(scope, exists),
            stack=stack,
            exists=exists,
            origin=_made_by(loops, str(logical_id), logical_id in written),
        )
        stack.resources.append(resource)
    _link(stack)
    return stack


def _made_by(loops: dict, logical_id: str, written: bool) -> str | None:
    """What made the resource when the template does not write it as it is: an ``Fn::ForEach`` loop (keys
    are the patterns of the ids it makes: a resource the template writes under its own id is never one
    of them, whatever the pattern matches) or the SAM transform (keys are SimpleTables' ids)."""
    for pattern, maker in loops.items():
        if pattern == logical_id if isinstance(pattern, str) else (not written and pattern.match(logical_id)):
            return maker
    return None


def _notes(problems: list, file: str) -> list:
    """A transform's problems, ``[(message, (line, column) or None)]``, as error entries of the file."""
    return [ErrorEntry(message, file=file, line=where[0] if where else None,
                       column=where[1] if where else None) for message, where in problems]


def _bound(scope: Scope, exists: list):
    """The resource's expansion: only within the guards where it exists (its own Condition)."""

    def expand(props, path=(), keep_parameters=False):
        return scope.expand(props, path, keep_parameters=keep_parameters, exists=exists)

    return expand


def _collection(scope: Scope, value, pos):
    """A loop's collection: the one list it resolves to, or an Unresolved saying why it is not one."""
    branches = scope.expand(value, ())
    if len(branches) != 1:
        return Unresolved("${Fn::ForEach}", "depends on parameters or conditions (it has several outcomes)")
    return branches[0].value


def referenced_name(value, by_name: dict, by_physical: dict):
    """The logical id a property points at: ``Ref``, ``GetAtt``, ``Sub "${X}"`` or a literal name."""
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref" and isinstance(arg, str):
            return arg if arg in by_name else None
        if key == "Fn::GetAtt":
            target = arg[0] if isinstance(arg, list) and arg else arg
            return target if isinstance(target, str) and target in by_name else None
        if key == "Fn::Sub" and isinstance(arg, str):
            match = _SUB_ONLY_NAME.match(arg)
            return match.group(1) if match and match.group(1) in by_name else None
        return None
    if isinstance(value, str):
        name = value.rsplit(":::", 1)[-1]  # an S3 ARN or a plain bucket name
        return by_physical.get(name)
    return None


_RELATION_MODULES = []


def relation_modules() -> list:
    """Every ``relations_*.py`` module beside this one, each with ``link(stack, by_name)``: an area
    adds its relations by adding a module, as a check is added by adding a module."""
    if not _RELATION_MODULES:
        import importlib
        import os

        names = os.listdir(os.path.dirname(__file__))  # not Path.glob: its pattern costs a run a regex compile
        for name in sorted(n for n in names if n.startswith("relations_") and n.endswith(".py")):
            _RELATION_MODULES.append(importlib.import_module(f"{__package__}.{name[:-3]}"))
    return _RELATION_MODULES


def _link(stack: Stack) -> None:
    by_name = {r.name: r for r in stack.resources}
    for module in relation_modules():
        module.link(stack, by_name)

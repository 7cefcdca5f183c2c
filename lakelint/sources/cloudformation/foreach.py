"""``Fn::ForEach`` (the ``AWS::LanguageExtensions`` transform), expanded as CloudFormation expands it.

    Resources:
      Fn::ForEach::Buckets:
        - Name                          # the identifier
        - [raw, curated]                # the collection (or a Ref to a CommaDelimitedList parameter)
        - ${Name}Bucket:                # the output key: ${Name}, or &{Name} (non-alphanumerics removed)
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Sub "lake-${Name}"}

becomes ``rawBucket`` and ``curatedBucket``, each checked like any resource and located inside the loop
body (the line of the output key, the lines of its properties). Loops nest, and may also stand
inside a resource's properties or in Outputs and Conditions. Within the body the identifier is
replaced in keys, in ``Ref: Name`` and in ``Fn::Sub`` texts, which is where CloudFormation allows it.

A collection known only at deploy time cannot be expanded: the loop is reported (``problems``), never
silently dropped.
"""

from __future__ import annotations

import re

from lakelint.core.values import LocDict, LocList, Unresolved, pos_of

PREFIX = "Fn::ForEach::"
MAX_ITEMS = 1000  # resources one loop may produce: a template holds at most 500 resources anyway
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")


def declared(root) -> bool:
    """Does the template use the language extensions? ``Transform: AWS::LanguageExtensions``, or a loop
    among its resources even without the transform (CloudFormation would refuse the template; lakelint
    still checks what the loop makes). Cheap, so templates without loops are never walked."""
    transform = root.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if "AWS::LanguageExtensions" in names:
        return True
    resources = root.get("Resources")
    return isinstance(resources, dict) and any(isinstance(k, str) and k.startswith(PREFIX) for k in resources)


def has_loops(node) -> bool:
    if isinstance(node, dict):
        return any(isinstance(k, str) and k.startswith(PREFIX) for k in node) or any(has_loops(v) for v in node.values())
    if isinstance(node, list):
        return any(has_loops(v) for v in node)
    return False


def expand(root: LocDict, collection_of) -> tuple:
    """(the template with every loop expanded, [(message, (line, column))] for loops that could not be).

    ``collection_of(value, pos)`` resolves a loop's collection: a list of strings, or an Unresolved."""
    problems = []
    expanded = LocDict(root)
    _copy_positions(root, expanded)
    for section in ("Conditions", "Resources", "Outputs"):
        if isinstance(root.get(section), dict):
            expanded[section] = _walk(root[section], collection_of, problems, {})
    return expanded, problems


def made_by_loops(root) -> dict:
    """{logical id: "Fn::ForEach::Name"} for the resources the template's top-level loops make (read from
    the template before expansion: the output keys with their identifiers, as patterns)."""
    resources = root.get("Resources") if isinstance(root, dict) else None
    found = {}
    for key, value in (resources.items() if isinstance(resources, dict) else ()):
        if isinstance(key, str) and key.startswith(PREFIX) and isinstance(value, list) and len(value) == 3 \
                and isinstance(value[2], dict):
            for out_key in value[2]:
                if isinstance(out_key, str):
                    found[re.compile("^" + re.sub(r"\\[$&]\\\{[^}]*\\\}", ".*", re.escape(out_key)) + "$")] = key
    return found


def _walk(node, collection_of, problems, bindings):
    """A copy of ``node`` with loops expanded and ``bindings`` (identifier -> item) substituted."""
    if isinstance(node, dict):
        if len(node) == 1 and "Ref" in node and node["Ref"] in bindings:
            return bindings[node["Ref"]]
        if len(node) == 1 and "Fn::Sub" in node and bindings:
            result = LocDict({"Fn::Sub": _sub_text(node["Fn::Sub"], bindings)})
            _copy_positions(node, result)
            return result
        result = LocDict()
        _copy_positions(node, result, keys=False)
        for key, value in node.items():
            if isinstance(key, str) and key.startswith(PREFIX):
                for out_key, out_value, key_pos, val_pos in _loop(key, value, node, collection_of, problems, bindings):
                    result[out_key] = out_value
                    result.key_pos[out_key] = key_pos
                    result.val_pos[out_key] = val_pos
                continue
            new_key = _replace(key, bindings) if isinstance(key, str) else key
            result[new_key] = _walk(value, collection_of, problems, bindings)
            if isinstance(node, LocDict):
                result.key_pos[new_key] = node.key_pos.get(key)
                result.val_pos[new_key] = node.val_pos.get(key)
        result.dynamic = getattr(node, "dynamic", True) or bool(bindings)
        return result
    if isinstance(node, list):
        result = LocList(_walk(v, collection_of, problems, bindings) for v in node)
        result.pos = getattr(node, "pos", None)
        result.item_pos = list(getattr(node, "item_pos", []))
        result.dynamic = getattr(node, "dynamic", True) or bool(bindings)
        return result
    return node


def _loop(key, value, parent, collection_of, problems, bindings):
    """(output key, output value, key position, value position) for every item of one loop."""
    where = pos_of(parent, key)
    name = key[len(PREFIX):]
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[2], dict)):
        problems.append((f"cannot expand {key}: it must be [identifier, collection, {{output key: value}}]", where))
        return []
    identifier, collection, body = value
    items = collection_of(_walk(collection, collection_of, problems, bindings), pos_of(value, 1) or where)
    if isinstance(items, Unresolved):
        # Known only at deploy time: the body is checked once, for "an item" whose value is unknown, so
        # what the loop makes is judged wherever the item's value does not matter, and reported as
        # unverifiable where it does.
        items = [Unresolved("${" + identifier + "}", f"is an item of the collection of {key}, which {items.reason}",
                            items.refs)]
    if not isinstance(items, list) or not all(isinstance(i, (str, int, float, bool)) for i in items):
        problems.append((f"cannot expand {key}: its collection is not a list of values", where))
        return []
    if len(items) > MAX_ITEMS:
        problems.append((f"cannot expand {key}: its collection has {len(items):,} items, over {MAX_ITEMS:,}", where))
        return []
    produced = []
    for item in items:
        text = item if isinstance(item, Unresolved) else "true" if item is True else "false" if item is False else str(item)
        inner = {**bindings, identifier: text}
        for out_key, out_value in body.items():
            if not isinstance(out_key, str):
                continue
            if out_key.startswith(PREFIX):  # a loop directly inside a loop
                produced += _loop(out_key, out_value, body, collection_of, problems, inner)
                continue
            produced.append((_replace(out_key, inner), _walk(out_value, collection_of, problems, inner),
                             pos_of(body, out_key) if not isinstance(body, LocDict) else body.key_pos.get(out_key, where),
                             pos_of(body, out_key)))
    if not produced and name:
        return []
    return produced


def _replace(text: str, bindings: dict, keep_unknown: bool = False) -> str:
    """The identifiers in ``text`` replaced by their items. An unknown item (an Unresolved) stays
    ``${Identifier}`` in a ``Fn::Sub`` text (``keep_unknown``), where the Sub resolves it, and reads
    ``{Identifier}`` in a key."""
    for identifier, item in bindings.items():
        if isinstance(item, Unresolved):
            if not keep_unknown:
                text = text.replace("${" + identifier + "}", "{" + identifier + "}")
            text = text.replace("&{" + identifier + "}", "{" + identifier + "}")
            continue
        text = text.replace("${" + identifier + "}", item).replace("&{" + identifier + "}", _NON_ALNUM.sub("", item))
    return text


def _sub_text(arg, bindings):
    """A ``Fn::Sub`` argument with the loop's identifiers substituted; unknown items become Sub variables."""
    unknown = {name: item for name, item in bindings.items() if isinstance(item, Unresolved)}
    if isinstance(arg, str):
        text, variables = _replace(arg, bindings, keep_unknown=True), None
    elif isinstance(arg, list) and arg and isinstance(arg[0], str):
        text = _replace(arg[0], bindings, keep_unknown=True)
        variables = _walk(arg[1], _not_a_loop_place, [], bindings) if len(arg) > 1 else None
    else:
        return arg
    if not unknown and variables is None:
        return text
    mapping = LocDict(variables if isinstance(variables, dict) else {})
    mapping.pos = getattr(variables, "pos", None)
    mapping.dynamic = True
    for name, item in unknown.items():
        if "${" + name + "}" in text and name not in mapping:
            mapping[name] = item
    result = LocList([text, mapping])
    result.pos = getattr(arg, "pos", None)
    result.item_pos = list(getattr(arg, "item_pos", [])) or [result.pos, result.pos]
    result.dynamic = True
    return result


def _not_a_loop_place(value, pos):
    return Unresolved("${Fn::ForEach}", "stands where CloudFormation allows no loop")


def _copy_positions(source, target, keys: bool = True) -> None:
    target.pos = getattr(source, "pos", None)
    target.dynamic = getattr(source, "dynamic", True)
    if keys and isinstance(source, LocDict):
        target.key_pos = dict(source.key_pos)
        target.val_pos = dict(source.val_pos)

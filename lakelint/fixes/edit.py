"""Apply one intent to a template's text: the smallest edit, in the file's own style.

Every function takes the whole text and returns the whole new text; the characters outside the edit
are the input's, byte for byte. Where the structure the intent walks through is written with an
intrinsic function (a whole block under ``Fn::If``, a ``Ref``), no guess is made: ``NotFixable``.
"""

from __future__ import annotations

import json

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from lakelint.fixes import render
from lakelint.fixes.intents import Intent, Intrinsic, show_path
from lakelint.fixes.locate import NotFixable, child, compose, content_end, is_intrinsic, line_end, style


def apply(text: str, resource: str | None, intent: Intent) -> str:
    if intent.kind == "add-resource":
        return _set(text, ("Resources", intent.path[0]), intent.value, create_only=True)
    path = ("Resources", intent.target or resource) + tuple(intent.path)
    if intent.kind == "set":
        return _set(text, path, intent.value)
    if intent.kind == "ensure":
        return _ensure(text, path, intent.value)
    if intent.kind == "append":
        return _append(text, path, intent.value)
    raise NotFixable(f"unknown kind of fix {intent.kind!r}")  # pragma: no cover


def _shown(path: tuple) -> str:
    """A path from ``("Resources", name, ...)`` as the findings write it: below ``Properties`` as the
    property path (``LifecycleConfiguration.Rules``), an attribute by its name."""
    steps = path[2:]
    return show_path(steps[1:] if steps[:1] == ("Properties",) else steps)


def _walk(text: str, path: tuple):
    """(root, the deepest node found, the index in ``path`` of the first missing key, or len(path)).
    An integer step is an item of a list; an item that is not there is never created."""
    root = compose(text)
    node = root
    for index, key in enumerate(path):
        if is_intrinsic(node):
            raise NotFixable(f"{_shown(path[:index]) or path[index - 1]} is written with an intrinsic function: "
                             "the fix would have to guess which branch to change")
        if isinstance(key, int):
            if not isinstance(node, SequenceNode) or not 0 <= key < len(node.value):
                raise NotFixable(f"{_shown(path[:index + 1])} is not in the template as a list item")
            node = node.value[key]
            continue
        if not isinstance(node, MappingNode):
            raise NotFixable(f"{_shown(path[:index])} is not a mapping")
        found = child(node, key)
        if found is None:
            if any(isinstance(step, int) for step in path[index:]):  # a list item below it: never invented
                raise NotFixable(f"{_shown(path[:index + 1])} is not in the template")
            return root, node, index
        node = found[1]
    return root, node, len(path)


def _nest(keys: tuple, value):
    for key in reversed(keys):
        value = {key: value}
    return value


def _set(text: str, path: tuple, value, create_only: bool = False) -> str:
    root, node, missing = _walk(text, path)
    if missing < len(path):
        nested = _nest(path[missing + 1:], value)
        return _insert_key(text, root, node, path[missing], nested)
    if create_only:
        raise NotFixable(f"{path[-1]} exists already")
    if is_intrinsic(node):
        raise NotFixable(f"{_shown(path)} is written with an intrinsic function: the fix would have to guess")
    return _replace(text, root, node, value)


def _ensure(text: str, path: tuple, mapping: dict) -> str:
    root, node, missing = _walk(text, path)
    if missing < len(path):
        return _insert_key(text, root, node, path[missing], _nest(path[missing + 1:], mapping))
    if is_intrinsic(node):
        raise NotFixable(f"{_shown(path)} is written with an intrinsic function: the fix would have to guess")
    if not isinstance(node, MappingNode):
        return _replace(text, root, node, mapping)
    for key, value in mapping.items():
        found = child(node, key)
        if isinstance(value, dict) and found is not None and isinstance(found[1], MappingNode) \
                and not is_intrinsic(found[1]):
            text = _ensure(text, path + (key,), value)
        elif found is None or not _same(found[1], value):
            text = _set(text, path + (key,), value)
        root, node, _ = _walk(text, path)
    return text


def _same(node, value) -> bool:
    if not isinstance(node, ScalarNode):
        return False
    if isinstance(value, bool):
        return node.value.strip().lower() == ("true" if value else "false")
    return node.value == str(value)


def _append(text: str, path: tuple, item) -> str:
    root, node, missing = _walk(text, path)
    if missing < len(path):
        return _insert_key(text, root, node, path[missing], _nest(path[missing + 1:], [item]))
    if is_intrinsic(node):
        raise NotFixable(f"{_shown(path)} is written with an intrinsic function: the fix would have to guess")
    if not isinstance(node, SequenceNode):
        raise NotFixable(f"{_shown(path)} is not a list")
    for entry in node.value:
        if is_intrinsic(entry) and entry.tag != "!Sub":
            raise NotFixable(f"{_shown(path)} holds an item written with an intrinsic function")
    return _append_item(text, root, node, item)


# -- the edits -------------------------------------------------------------------------------------

def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _insert_key(text: str, root, mapping, key: str, value) -> str:
    """Add ``key: value`` to ``mapping`` (a node of ``text``), after its last entry."""
    st = style(text, root)
    if is_intrinsic(mapping):
        raise NotFixable("the place the fix would write to is an intrinsic function")
    if not isinstance(mapping, MappingNode):
        raise NotFixable(f"cannot add {key}: its parent is not a mapping")
    if st.json:
        return _insert_json_key(text, mapping, key, value, st)
    if mapping.flow_style:
        entry = f"{render.scalar(key, st)}: {render.flow(value, st)}"
        if not mapping.value:
            return _splice(text, mapping.start_mark.index, mapping.end_mark.index, "{" + entry + "}")
        end = content_end(mapping.value[-1][1])
        return _splice(text, end, end, ", " + entry)
    if not mapping.value:  # a block mapping is never empty
        raise NotFixable("cannot add to an empty mapping")  # pragma: no cover
    indent = mapping.value[0][0].start_mark.column
    end = content_end(mapping)
    entry = render.block_entry(key, value, indent, st.indent, st.newline, st)
    if end > 0 and text[end - 1] == "\n":  # the last value is a block scalar, which ends its own line
        return _splice(text, end, end, entry + st.newline)
    at = line_end(text, end)
    return _splice(text, at, at, st.newline + entry)


def _insert_json_key(text: str, mapping, key: str, value, st) -> str:
    if not mapping.value:
        new = "{" + json.dumps(key) + ": " + render.json_inline(value) + "}"
        return _splice(text, mapping.start_mark.index, mapping.end_mark.index, new)
    first_key = mapping.value[0][0]
    end = content_end(mapping.value[-1][1])
    if first_key.start_mark.line == mapping.start_mark.line:  # written on one line: keep it so
        return _splice(text, end, end, ", " + json.dumps(key) + ": " + render.json_inline(value))
    indent = first_key.start_mark.column
    entry = " " * indent + json.dumps(key) + ": " + render.json_value(value, indent, st.indent, st.newline)
    return _splice(text, end, end, "," + st.newline + entry)


def _replace(text: str, root, node, value) -> str:
    """Put ``value`` where ``node`` is written."""
    st = style(text, root)
    start = node.start_mark.index
    if st.json:
        end = node.end_mark.index
        new = render.json_value(value, node.start_mark.column, st.indent, st.newline) \
            if isinstance(value, (dict, list, Intrinsic)) else render.json_inline(value)
        return _splice(text, start, end, new)
    if isinstance(node, ScalarNode):
        if node.style in ("|", ">"):
            raise NotFixable("the value is a block scalar: the fix will not rewrite it")
        if isinstance(value, (dict, list)):
            if value:
                raise NotFixable("the value is a scalar where a mapping is needed: fix it by hand")
            return _splice(text, start, node.end_mark.index, render.flow(value, st))
        if isinstance(value, Intrinsic):
            return _splice(text, start, node.end_mark.index, render.flow(value, st))
        new = render.scalar(value, st)
        if node.style in ("'", '"') and isinstance(value, str):
            new = json.dumps(value) if node.style == '"' else "'" + value.replace("'", "''") + "'"
        return _splice(text, start, node.end_mark.index, new)
    if getattr(node, "flow_style", False):
        return _splice(text, start, node.end_mark.index, render.flow(value, st))
    end = content_end(node)
    indent = node.start_mark.column
    if isinstance(value, dict) and isinstance(node, MappingNode):
        new = render.block_mapping(value, indent, st.indent, st.newline, st)[indent:]
    elif isinstance(value, list) and isinstance(node, SequenceNode):
        new = render.block_sequence(value, indent, st.indent, st.newline, st)[indent:]
    else:
        raise NotFixable("the fix would change the value's kind (a list for a mapping): fix it by hand")
    return _splice(text, start, end, new)


def _append_item(text: str, root, sequence, item) -> str:
    st = style(text, root)
    if st.json:
        if not sequence.value:
            return _splice(text, sequence.start_mark.index, sequence.end_mark.index,
                           "[" + render.json_inline(item) + "]")
        first = sequence.value[0]
        end = content_end(sequence.value[-1])
        if first.start_mark.line == sequence.start_mark.line:
            return _splice(text, end, end, ", " + render.json_inline(item))
        indent = first.start_mark.column
        return _splice(text, end, end, "," + st.newline + " " * indent
                       + render.json_value(item, indent, st.indent, st.newline))
    if sequence.flow_style:
        if not sequence.value:
            return _splice(text, sequence.start_mark.index, sequence.end_mark.index, "[" + render.flow(item, st) + "]")
        end = content_end(sequence.value[-1])
        return _splice(text, end, end, ", " + render.flow(item, st))
    first = sequence.value[0]
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    dash = text.rfind("-", line_start, first.start_mark.index)
    if dash == -1:  # the dash on a line of its own, the item below it
        lead = text[:first.start_mark.index].rstrip()
        line_start = text.rfind("\n", 0, len(lead)) + 1
        dash = len(lead) - 1 if lead.endswith("-") and not text[line_start:len(lead) - 1].strip() else -1
    if dash == -1:
        raise NotFixable("cannot tell where the list's items start")
    entry = render.block_item(item, dash - line_start, st.indent, st.newline, st)
    end = content_end(sequence)
    if end > 0 and text[end - 1] == "\n":
        return _splice(text, end, end, entry + st.newline)
    at = line_end(text, end)
    return _splice(text, at, at, st.newline + entry)

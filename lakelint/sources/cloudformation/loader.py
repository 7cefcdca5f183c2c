"""Parse a CloudFormation template (YAML or JSON) into position-keeping Python data.

libyaml's C parser composes the node tree (the expensive part, in C); this module turns nodes into
``LocDict``/``LocList`` values with 1-based line and column for every key and value. Doing the
construction here, rather than through PyYAML's constructor, is what lets us keep positions, expand
CloudFormation's short-form tags, refuse duplicate keys, and bound alias expansion and depth, all in
one pass. JSON goes through the same parser (JSON is YAML's flow style), with JSON's own rules for
plain scalars.
"""

from __future__ import annotations

import re

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from lakelint.values import LocDict, LocList

try:  # the C parser; the pure-Python one is a fallback for exotic installs
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

# Short-form tags CloudFormation accepts, and the long form each stands for.
_FN_TAGS = {
    "!Base64", "!Cidr", "!FindInMap", "!GetAZs", "!ImportValue", "!Join", "!Select", "!Split", "!Sub",
    "!Transform", "!If", "!Not", "!Equals", "!And", "!Or", "!ToJsonString", "!Length", "!ForEach",
    "!Contains", "!EachMemberEquals", "!EachMemberIn", "!RefAll", "!ValueOf", "!ValueOfAll",
    "!Implies", "!GetAtt",
}
INTRINSIC_KEYS = frozenset({"Ref", "Condition"} | {"Fn::" + tag[1:] for tag in _FN_TAGS})

MAX_NODES = 2_000_000  # constructed values, alias expansions included: bounds "billion laughs"
MAX_DEPTH = 200  # nesting; real templates stay far below, and it keeps recursion safe

_SCALAR = SafeConstructor()
_YAML_SCALARS = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:int": _SCALAR.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALAR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _SCALAR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _SCALAR.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _SCALAR.construct_yaml_timestamp,
    "tag:yaml.org,2002:binary": _SCALAR.construct_yaml_binary,
}


class TemplateError(Exception):
    """A template that cannot be read, with the position of the problem (1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _pos(node) -> tuple:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns one composed node tree into Python values."""

    def __init__(self, json_mode: bool):
        self.json_mode = json_mode
        self.count = 0

    def build(self, node, depth: int = 0):
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _pos(node)
            raise TemplateError(
                f"the document expands to more than {MAX_NODES:,} values (YAML aliases?)", line, col)
        if depth > MAX_DEPTH:
            line, col = _pos(node)
            raise TemplateError(f"nesting deeper than {MAX_DEPTH} levels", line, col)
        tag = node.tag
        if tag.startswith("!"):
            return self._short_form(node, tag, depth)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            return self._sequence(node, depth)
        return self._scalar(node, tag)

    def _scalar(self, node, tag):
        if self.json_mode and node.style is None:  # a plain (unquoted) scalar: JSON's rules first
            value = _json_plain(node.value)
            if value is not _NOT_JSON:
                return value
        construct = _YAML_SCALARS.get(tag, False)
        if construct is None:
            return node.value
        if construct is False:
            line, col = _pos(node)
            raise TemplateError(f"unsupported YAML tag {tag}", line, col)
        try:
            return construct(node)
        except (ValueError, yaml.YAMLError) as exc:
            line, col = _pos(node)
            raise TemplateError(f"invalid {tag.rsplit(':', 1)[-1]} value {node.value!r}: {exc}", line, col)

    def _mapping(self, node, depth):
        result = LocDict()
        result.pos = _pos(node)
        key_pos, val_pos = result.key_pos, result.val_pos
        dynamic = False
        for key_node, value_node in _merged_pairs(node):
            key = self.build(key_node, depth + 1)
            if isinstance(key, (dict, list)):
                line, col = _pos(key_node)
                raise TemplateError("a mapping key must be a scalar", line, col)
            if key in result:
                line, col = _pos(key_node)
                first_line = key_pos[key][0]
                raise TemplateError(f"duplicate key {key!r} (first defined on line {first_line})", line, col)
            value = self.build(value_node, depth + 1)
            result[key] = value
            key_pos[key] = _pos(key_node)
            val_pos[key] = _pos(value_node)
            if getattr(value, "dynamic", False):
                dynamic = True
        if len(result) == 1 and next(iter(result)) in INTRINSIC_KEYS:
            dynamic = True
        result.dynamic = dynamic
        return result

    def _sequence(self, node, depth):
        result = LocList()
        result.pos = _pos(node)
        dynamic = False
        for item_node in node.value:
            item = self.build(item_node, depth + 1)
            result.append(item)
            result.item_pos.append(_pos(item_node))
            if getattr(item, "dynamic", False):
                dynamic = True
        result.dynamic = dynamic
        return result

    def _short_form(self, node, tag, depth):
        """``!Ref X`` becomes ``{"Ref": "X"}``, ``!Sub ...`` becomes ``{"Fn::Sub": ...}``, and so on."""
        if tag == "!Ref":
            key = "Ref"
        elif tag == "!Condition":
            key = "Condition"
        elif tag in _FN_TAGS:
            key = "Fn::" + tag[1:]
        else:
            line, col = _pos(node)
            raise TemplateError(f"unknown tag {tag}", line, col)
        if isinstance(node, ScalarNode):
            value = node.value
            if key == "Fn::GetAtt":
                value = LocList(value.split(".", 1))
                value.pos = _pos(node)
                value.item_pos = [value.pos] * len(value)
        elif isinstance(node, MappingNode):
            value = self._mapping(node, depth + 1)
        else:
            value = self._sequence(node, depth + 1)
        result = LocDict({key: value})
        result.pos = _pos(node)
        result.key_pos[key] = result.pos
        result.val_pos[key] = result.pos
        result.dynamic = True
        return result


def _merged_pairs(node):
    """Key/value node pairs of a mapping, with YAML merge keys (``<<``) flattened as PyYAML does."""
    pairs = node.value
    if not any(k.tag == "tag:yaml.org,2002:merge" for k, _ in pairs):
        return pairs
    merged, own = [], []
    for key_node, value_node in pairs:
        if key_node.tag == "tag:yaml.org,2002:merge":
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, MappingNode):
                    merged.extend(_merged_pairs(source))
        else:
            own.append((key_node, value_node))
    own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    return [(k, v) for k, v in merged if k.value not in own_keys] + own


_NOT_JSON = object()
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\Z")
_JSON_INT = re.compile(r"-?(?:0|[1-9]\d*)\Z")


def _json_plain(text: str):
    """A plain scalar read as JSON reads it (``1e5`` is a number in JSON, a string in YAML 1.1)."""
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    if not _JSON_NUMBER.match(text):
        return _NOT_JSON
    if _JSON_INT.match(text):
        return int(text)
    return float(text)


def decode_text(raw: bytes) -> str:
    """Bytes to text: UTF-8 with an optional byte-order mark; anything else is a clear error."""
    if b"\x00" in raw[:8192]:
        raise TemplateError("binary file, not a text template", 1, 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TemplateError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line, column) from None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def parse(text: str, json_mode: bool | None = None):
    """Parse one template's text. Returns the root value (None for an empty document)."""
    if json_mode is None:
        json_mode = looks_like_json(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise TemplateError(f"{'JSON' if json_mode else 'YAML'} syntax error: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"YAML error: {exc}", 1, 1) from None
    except RecursionError:
        raise TemplateError(f"nesting too deep to parse", 1, 1) from None
    if root is None:
        return None
    return _Builder(json_mode).build(root)

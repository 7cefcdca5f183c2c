"""The composed path of the loader: libyaml composes a node tree, and ``Builder`` turns it into values.

This is the loader as it was before issue 18, for the documents the one-pass event builder
(yaml_events.py) hands over: anchors, aliases and merge keys (a node built again at each alias, within
the alias budget), explicit YAML tags (``!!int``, ``!!binary``...), and every document with an error,
so that each message and position is exactly what it always was. Templates take it rarely: a
CloudFormation template rarely uses anchors, and an error costs a second parse, not a slower first one.
"""

from __future__ import annotations

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from lakelint.core.values import LocDict, LocList
from lakelint.sources.cloudformation.yaml_rules import FN_TAGS as _FN_TAGS
from lakelint.sources.cloudformation.yaml_rules import INTRINSIC_KEYS, MAX_ALIAS_VALUES, MAX_DEPTH, MAX_NODES
from lakelint.sources.cloudformation.yaml_rules import NOT_JSON as _NOT_JSON
from lakelint.sources.cloudformation.yaml_rules import SAFE_COMPOSE_DEPTH, STR_TAG, TemplateError
from lakelint.sources.cloudformation.yaml_rules import clipped as _clipped
from lakelint.sources.cloudformation.yaml_rules import json_plain as _json_plain
from lakelint.sources.cloudformation.yaml_rules import nesting_could_exceed as _nesting_could_exceed

try:  # the C parser; the pure-Python one is a fallback for exotic installs
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader

_Loader = Loader

_SCALAR = SafeConstructor()
# the YAML scalar types a template may hold, each with what builds its value from a node (None: text)
YAML_SCALARS = _YAML_SCALARS = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:int": _SCALAR.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALAR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _SCALAR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _SCALAR.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _SCALAR.construct_yaml_timestamp,
    "tag:yaml.org,2002:binary": _SCALAR.construct_yaml_binary,
}

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR = STR_TAG


def _pos(node) -> tuple:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


class Builder:
    """Turns one composed node tree into Python values."""

    def __init__(self, json_mode: bool):
        self.json_mode = json_mode
        self.count = 0
        self.aliased = 0  # > 0 while building a second copy of an aliased node
        self.alias_values = 0
        self.seen = set()  # collection nodes built at least once: meeting one again means an alias
        self.open = set()  # collection nodes being built: meeting one of these means a cycle

    def build(self, node, depth: int = 0):
        """One node's value. Counting happens per collection (``_tally``), for all its children at
        once: the builder runs once per value of every template, so it stays lean."""
        if node.__class__ is ScalarNode:
            tag = node.tag
            if tag.startswith("!"):
                return self._short_form(node, tag, depth)
            return self._scalar(node, tag)
        if depth > MAX_DEPTH:
            line, col = _pos(node)
            raise TemplateError(f"nesting deeper than {MAX_DEPTH} levels", line, col)
        if node in self.open:
            line, col = _pos(node)
            raise TemplateError("a YAML alias refers to a node that contains it (a recursive structure)",
                                line, col)
        repeat = node in self.seen
        self.seen.add(node)
        self.open.add(node)
        self.aliased += repeat
        try:
            tag = node.tag
            if tag.startswith("!"):
                return self._short_form(node, tag, depth)
            if tag not in _COLLECTION_TAGS:
                line, col = _pos(node)
                raise TemplateError(f"unsupported YAML tag {tag}", line, col)
            if node.__class__ is MappingNode:
                return self._mapping(node, depth)
            return self._sequence(node, depth)
        finally:
            self.open.discard(node)
            self.aliased -= repeat

    def _tally(self, values: int, node) -> None:
        """Count the values a collection is about to build, against both budgets."""
        self.count += values
        if self.count > MAX_NODES:
            line, col = _pos(node)
            raise TemplateError(f"the document holds more than {MAX_NODES:,} values", line, col)
        if self.aliased:
            self.alias_values += values
            if self.alias_values > MAX_ALIAS_VALUES:
                line, col = _pos(node)
                raise TemplateError(f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} values "
                                    f"(an alias bomb?)", line, col)

    def _scalar(self, node, tag):
        if self.json_mode and not node.style:  # a plain (unquoted) scalar ("" from libyaml): JSON rules first
            try:
                value = _json_plain(node.value)
            except ValueError as exc:  # a number Python will not convert (over 4,300 digits)
                line, col = _pos(node)
                raise TemplateError(f"invalid number {_clipped(node.value)}: {_clipped(exc, 120)}", line, col) from None
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
            raise TemplateError(f"invalid {tag.rsplit(':', 1)[-1]} value {_clipped(node.value)}: {_clipped(exc, 120)}",
                                line, col) from None

    def _mapping(self, node, depth):
        result = LocDict()
        result.pos = _pos(node)
        key_pos, val_pos = result.key_pos, result.val_pos
        dynamic = False
        pairs = self._merged_pairs(node)
        self._tally(2 * len(pairs), node)
        plain_is_str = not self.json_mode  # in JSON, a plain scalar is a number, true, false or null
        depth += 1
        for key_node, value_node in pairs:
            if key_node.__class__ is ScalarNode and key_node.tag == _STR and (plain_is_str or key_node.style):
                key = key_node.value  # the common case, without a call
            else:
                key = self.build(key_node, depth)
                if isinstance(key, (dict, list)):
                    line, col = _pos(key_node)
                    raise TemplateError("a mapping key must be a scalar", line, col)
            if key in result:
                line, col = _pos(key_node)
                first_line = key_pos[key][0]
                raise TemplateError(f"duplicate key {key!r} (first defined on line {first_line})", line, col)
            if value_node.__class__ is ScalarNode and value_node.tag == _STR and (plain_is_str or value_node.style):
                value = value_node.value
            else:
                value = self.build(value_node, depth)
                if not dynamic and getattr(value, "dynamic", False):
                    dynamic = True
            result[key] = value
            mark = key_node.start_mark
            key_pos[key] = (mark.line + 1, mark.column + 1)
            mark = value_node.start_mark
            val_pos[key] = (mark.line + 1, mark.column + 1)
        if len(result) == 1 and next(iter(result)) in INTRINSIC_KEYS:
            dynamic = True
        result.dynamic = dynamic
        return result

    def _sequence(self, node, depth):
        result = LocList()
        result.pos = _pos(node)
        item_pos = result.item_pos
        dynamic = False
        items = node.value
        self._tally(len(items), node)
        plain_is_str = not self.json_mode
        depth += 1
        for item_node in items:
            if item_node.__class__ is ScalarNode and item_node.tag == _STR and (plain_is_str or item_node.style):
                item = item_node.value
            else:
                item = self.build(item_node, depth)
                if not dynamic and getattr(item, "dynamic", False):
                    dynamic = True
            result.append(item)
            mark = item_node.start_mark
            item_pos.append((mark.line + 1, mark.column + 1))
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

    def _merged_pairs(self, node, chain=()):
        """Key/value node pairs of a mapping, with YAML merge keys (``<<``) flattened as PyYAML does.
        Merged pairs count against the alias budget, and a mapping that merges itself is an error."""
        pairs = node.value
        if not any(k.tag == "tag:yaml.org,2002:merge" for k, _ in pairs):
            return pairs
        if node in chain or len(chain) > MAX_DEPTH:
            line, col = _pos(node)
            raise TemplateError("a YAML merge key (<<) merges a mapping into itself", line, col)
        merged, own = [], []
        for key_node, value_node in pairs:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, MappingNode):
                        merged.extend(self._merged_pairs(source, chain + (node,)))
            else:
                own.append((key_node, value_node))
        self.alias_values += len(merged)
        if self.alias_values > MAX_ALIAS_VALUES:
            line, col = _pos(node)
            raise TemplateError(f"YAML merge keys expand to more than {MAX_ALIAS_VALUES:,} values "
                                f"(an alias bomb?)", line, col)
        own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
        return [(k, v) for k, v in merged if k.value not in own_keys] + own


def _check_depth(text: str, limit: int) -> None:
    """Measure nesting with libyaml's event parser, stopping as soon as it passes ``limit``."""
    from yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limit:
                mark = event.start_mark
                raise TemplateError(f"nesting deeper than {limit} levels", mark.line + 1, mark.column + 1)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _within(text: str, line: int, column: int) -> tuple:
    """libyaml places an unexpected end of input on a line after the last one: point at the end of
    the last line instead, where an editor can go."""
    lines = text.splitlines() or [""]
    if line <= len(lines):
        return line, column
    return len(lines), len(lines[-1]) + 1


def _syntax_error(exc, json_mode: bool, text: str) -> TemplateError:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, with its offset
        offset = exc.position
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        shown = f" #x{exc.character:04x}" if isinstance(exc.character, int) else ""
        return TemplateError(f"unacceptable character{shown}: {exc.reason}", line, column)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        if line is not None:
            line, column = _within(text, line, column)
        return TemplateError(f"{'JSON' if json_mode else 'YAML'} syntax error: {problem}", line, column)
    return TemplateError(f"YAML error: {exc}", 1, 1)


def parse(text: str, json_mode: bool):
    """Compose ``text`` and build its root value (None for an empty document); every problem comes out
    as a ``TemplateError`` with a position (see loader.parse)."""
    try:
        if _nesting_could_exceed(text, SAFE_COMPOSE_DEPTH):
            _check_depth(text, MAX_DEPTH)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, json_mode, text) from None
    except RecursionError:
        raise TemplateError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None
    if root is None:
        return None
    try:
        return Builder(json_mode).build(root)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the builder far from the limit
        raise TemplateError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None

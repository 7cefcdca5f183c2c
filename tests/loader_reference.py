"""The template loader as it stood before issue 18 (commit 6df2f19), kept unchanged as the tests' oracle.

lakelint's own loader (lakelint/sources/cloudformation/loader.py) now builds values from libyaml's
events in one pass and hands the rare documents it does not take (anchors, aliases, merge keys,
explicit YAML tags, any error) to a composed-node path. tests/test_loader_identity.py checks that, on
every input it tries, both give the same values, positions, ``dynamic`` marks and errors as this
module. Nothing in lakelint imports it; do not edit it (it is what "unchanged" is measured against).

Original docstring:

Parse a CloudFormation template (YAML or JSON) into position-keeping Python data.

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

from lakelint.core.values import LocDict, LocList

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

MAX_NODES = 2_000_000  # constructed values in one document: a 10 MB template holds far fewer
MAX_ALIAS_VALUES = 100_000  # values built by expanding YAML aliases: bounds "billion laughs"
MAX_DEPTH = 200  # nesting; real templates stay far below, and it keeps recursion safe
# libyaml composes nodes recursively in C, where too deep a document overflows the C stack (a crash,
# not an exception; measured at 20,000-50,000 levels). A document whose nesting *could* exceed this
# bound is first measured with libyaml's event parser, which keeps its own stack.
_SAFE_COMPOSE_DEPTH = 5_000

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

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR = "tag:yaml.org,2002:str"


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


def _clipped(value, limit: int = 40) -> str:
    """A value as an error message quotes it: never thousands of characters."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else text
    shown = text[:limit] + f"... ({len(text):,} characters)"
    return repr(shown) if isinstance(value, str) else shown


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


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(raw: bytes) -> str:
    """Bytes to text: UTF-8 with an optional byte-order mark, or UTF-16 with its byte-order mark (what
    some Windows editors and PowerShell write); anything else is a clear error."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise TemplateError("not valid UTF-16 text (after a UTF-16 byte-order mark)", 1, 1) from None
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


def _nesting_could_exceed(text: str, limit: int) -> bool:
    """A cheap upper bound on how deep ``text`` can nest: every flow level opens a bracket, and every
    block level adds indentation or a ``- ``/``? `` indicator, so it fits within the longest line."""
    flow = text.count("[") + text.count("{")
    if flow > limit:
        return True
    longest = max(map(len, text.splitlines()), default=0)
    return flow + 2 * longest > limit


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


def parse(text: str, json_mode: bool | None = None):
    """Parse one template's text. Returns the root value (None for an empty document).

    Every problem, however hostile the input, comes out as a ``TemplateError`` with a position:
    syntax errors, unsupported tags, duplicate keys, alias bombs, recursive aliases, nesting deeper
    than ``MAX_DEPTH``.
    """
    if json_mode is None:
        json_mode = looks_like_json(text)
    try:
        if _nesting_could_exceed(text, _SAFE_COMPOSE_DEPTH):
            _check_depth(text, MAX_DEPTH)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, json_mode, text) from None
    except RecursionError:
        raise TemplateError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None
    if root is None:
        return None
    try:
        return _Builder(json_mode).build(root)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the builder far from the limit
        raise TemplateError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None

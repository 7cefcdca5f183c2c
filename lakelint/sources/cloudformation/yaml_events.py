"""The loader's one-pass path: located values built straight from libyaml's parser events.

PyYAML's ``compose`` builds a ``Node`` (with two ``Mark`` objects) for every value and calls the
Python resolver on every plain scalar, then a second walk turns the nodes into values. Here one walk
over the parser's events (``CParser.get_event``: libyaml, in C) builds the ``LocDict``/``LocList``
values directly, with the same 1-based positions, ``dynamic`` marks and scalar types: a plain scalar
is resolved with the resolver's own table (``Resolver.yaml_implicit_resolvers``, the regular
expressions PyYAML would try), and most are text whose first character no rule of that table claims.

It takes only what it can build exactly as the composed path would. Anything else raises ``Handover``
and the document goes to yaml_nodes.py, which gives the very values, messages and positions the loader
always gave:

- anchors, aliases and merge keys (``<<``): rare in templates, and their bounds (the alias budget,
  recursive aliases) are the composed path's to enforce;
- explicit YAML tags (``!!int "3"``, ``!!binary``) and any tag that is not CloudFormation's;
- every error: a syntax error, a duplicate key, an unknown tag, a value that will not convert, nesting
  deeper than ``MAX_DEPTH``, more than ``MAX_NODES`` values, a second document. Which error a document
  reports first depends on the composed path's order (it parses the whole document before building
  anything), so the event path never reports one itself.

Values are counted as the composed path counts them (each mapping pair twice, each item once) and
depth is measured as it measures it (a short-form tag adds a level), so a document the event path
accepts is one the composed path accepts.
"""

from __future__ import annotations

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent)
from yaml.nodes import ScalarNode

from lakelint.core.values import LocDict, LocList
from lakelint.sources.cloudformation.yaml_nodes import YAML_SCALARS, Loader
from lakelint.sources.cloudformation.yaml_rules import (INTRINSIC_KEYS, MAX_DEPTH, MAX_NODES, NOT_JSON,
                                                        SAFE_COMPOSE_DEPTH, SHORT_FORMS, STR_TAG, json_plain,
                                                        nesting_could_exceed)

try:  # libyaml's event parser alone: the loader classes would also set up a constructor and a resolver
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml: its Python parser yields the same events
    _Parser = yaml.SafeLoader

_NONSPECIFIC = (None, "!")  # no tag, or "!": the resolver decides, as for an untagged value
_CACHE_LIMIT = 4096  # plain scalars of other types than text, with their values: numbers, booleans


class Handover(Exception):
    """The document needs the composed path (see the module docstring)."""


class _Resolution:
    """Plain scalars to their types, with the resolver's own table, re-read when PyYAML's changes."""

    def __init__(self):
        self.table = None
        self.by_first = {}
        self.cache = {}

    def current(self) -> None:
        table = Loader.yaml_implicit_resolvers
        if table is self.table:
            return
        wildcard = list(table.get(None, []))
        self.by_first = {first: list(rules) + wildcard for first, rules in table.items() if first is not None}
        self.wildcard = wildcard
        self.table = table
        self.cache = {}

    def value(self, text: str):
        """The value of an untagged plain scalar (not text: text never reaches here)."""
        cached = self.cache.get(text, _ABSENT)
        if cached is not _ABSENT:
            return cached
        tag = self.tag(text)
        construct = YAML_SCALARS.get(tag, False)
        if construct is False:  # the merge key "<<", "=": the composed path says why
            raise Handover
        if construct is None:
            value = text
        else:
            try:
                value = construct(ScalarNode(tag, text, None, None))
            except Exception:  # noqa: BLE001 - a value that will not convert: the composed path words it
                raise Handover from None
        if len(self.cache) >= _CACHE_LIMIT:
            self.cache.clear()
        self.cache[text] = value
        return value

    def tag(self, text: str) -> str:
        rules = self.by_first.get(text[0] if text else "", self.wildcard)
        for tag, regexp in rules:
            if regexp.match(text):
                return tag
        return STR_TAG

    def is_text(self, text: str) -> bool:
        """Whether an untagged plain scalar is text: no rule of the table can claim it."""
        return bool(text) and text[0] not in self.by_first and not self.wildcard


_ABSENT = object()
_RESOLUTION = _Resolution()


def parse(text: str, json_mode: bool):
    """The root value of ``text``'s single document (None when there is none), or ``Handover``."""
    if Loader.yaml_path_resolvers:  # resolution by position in the tree: only the composer does it
        raise Handover
    _RESOLUTION.current()
    # The composed path measures a document that could nest past what libyaml composes safely with its
    # event parser first, against MAX_DEPTH collections: stay one level inside that too.
    limit = MAX_DEPTH - 1 if nesting_could_exceed(text, SAFE_COMPOSE_DEPTH) else MAX_DEPTH
    parser = _Parser(text)
    try:
        return _Walk(parser.get_event, json_mode, limit).document()
    except (yaml.YAMLError, RecursionError):
        raise Handover from None
    finally:
        parser.dispose()


class _Walk:
    """One document's events to values: a mapping or sequence per call, children in a loop."""

    def __init__(self, get, json_mode: bool, limit: int):
        self.get = get
        self.json_mode = json_mode
        self.limit = limit
        self.count = 0

    def document(self):
        get = self.get
        if get().__class__ is not StreamStartEvent:  # pragma: no cover - libyaml always starts so
            raise Handover
        event = get()
        if event.__class__ is StreamEndEvent:
            return None
        if event.__class__ is not DocumentStartEvent:  # pragma: no cover
            raise Handover
        root = self.node(get(), 0)
        if get().__class__ is not DocumentEndEvent or get().__class__ is not StreamEndEvent:
            raise Handover  # a second document: an error, worded by the composed path
        return root

    def node(self, event, depth: int):
        cls = event.__class__
        if cls is ScalarEvent:
            return self.scalar(event)
        if cls is MappingStartEvent:
            return self.mapping(event, depth)
        if cls is SequenceStartEvent:
            return self.sequence(event, depth)
        raise Handover  # an alias

    def scalar(self, event):
        if event.anchor is not None:
            raise Handover
        tag = event.tag
        if tag is None or tag == "!":
            text = event.value
            if self.json_mode and not event.style:  # a plain scalar in JSON: JSON's rules first
                try:
                    value = json_plain(text)
                except ValueError:  # a number Python will not convert (over 4,300 digits)
                    raise Handover from None
                if value is not NOT_JSON:
                    return value
            # plain, or tagged "!" (quoted or not: libyaml marks both implicit): YAML's types
            if event.implicit[0] and not _RESOLUTION.is_text(text):
                return _RESOLUTION.value(text)
            return text
        return _short_form(event, tag)

    def mapping(self, event, depth: int):
        if event.anchor is not None or depth > self.limit:
            raise Handover
        tag = event.tag
        short = None
        if tag is not None and tag != "!":
            short = SHORT_FORMS.get(tag)
            if short is None:
                raise Handover
            depth += 1
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        result = LocDict()
        result.pos = pos
        key_pos, val_pos = result.key_pos, result.val_pos
        dynamic = False
        depth += 1
        get = self.get
        json_mode = self.json_mode
        is_text = _RESOLUTION.is_text
        while True:
            event = get()
            cls = event.__class__
            if cls is MappingEndEvent:
                break
            if cls is not ScalarEvent or event.anchor is not None or event.tag not in _NONSPECIFIC:
                raise Handover  # a complex, anchored, aliased or tagged key
            key = event.value
            if event.tag is not None or not event.style and (json_mode or not is_text(key)):
                key = self.scalar(event)  # not plain text: "!"-tagged, a number, JSON's true, ...
            mark = event.start_mark
            if key in result:
                raise Handover  # a duplicate key
            key_pos[key] = (mark.line + 1, mark.column + 1)
            event = get()
            cls = event.__class__
            if cls is ScalarEvent and event.tag is None and event.anchor is None and (
                    event.style or (not json_mode and is_text(event.value))):
                value = event.value  # text: the common case, without a call
            else:
                value = self.node(event, depth)
                if not dynamic and value.__class__ is not str and getattr(value, "dynamic", False):
                    dynamic = True
            mark = event.start_mark
            val_pos[key] = (mark.line + 1, mark.column + 1)
            result[key] = value
        self._tally(2 * len(result))
        if len(result) == 1 and next(iter(result)) in INTRINSIC_KEYS:
            dynamic = True
        result.dynamic = dynamic
        return _wrapped(result, short, pos) if short else result

    def sequence(self, event, depth: int):
        if event.anchor is not None or depth > self.limit:
            raise Handover
        tag = event.tag
        short = None
        if tag is not None and tag != "!":
            short = SHORT_FORMS.get(tag)
            if short is None:
                raise Handover
            depth += 1
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        result = LocList()
        result.pos = pos
        item_pos = result.item_pos
        append, place = result.append, item_pos.append
        dynamic = False
        depth += 1
        get = self.get
        json_mode = self.json_mode
        is_text = _RESOLUTION.is_text
        while True:
            event = get()
            cls = event.__class__
            if cls is SequenceEndEvent:
                break
            if cls is ScalarEvent and event.tag is None and event.anchor is None and (
                    event.style or (not json_mode and is_text(event.value))):
                item = event.value
            else:
                item = self.node(event, depth)
                if not dynamic and item.__class__ is not str and getattr(item, "dynamic", False):
                    dynamic = True
            mark = event.start_mark
            append(item)
            place((mark.line + 1, mark.column + 1))
        self._tally(len(result))
        result.dynamic = dynamic
        return _wrapped(result, short, pos) if short else result

    def _tally(self, values: int) -> None:
        self.count += values
        if self.count > MAX_NODES:
            raise Handover


def _short_form(event, tag):
    """``!Ref X`` becomes ``{"Ref": "X"}``, ``!GetAtt A.B`` ``{"Fn::GetAtt": ["A", "B"]}``, and so on."""
    key = SHORT_FORMS.get(tag)
    if key is None:
        raise Handover  # an unknown tag, or an explicit YAML one
    mark = event.start_mark
    pos = (mark.line + 1, mark.column + 1)
    value = event.value
    if key == "Fn::GetAtt":
        value = LocList(value.split(".", 1))
        value.pos = pos
        value.item_pos = [pos] * len(value)
    return _wrapped(value, key, pos)


def _wrapped(value, key: str, pos: tuple) -> LocDict:
    result = LocDict({key: value})
    result.pos = pos
    result.key_pos[key] = pos
    result.val_pos[key] = pos
    result.dynamic = True
    return result

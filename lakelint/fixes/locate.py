"""The template's text as nodes with exact character offsets, and the style the file is written in.

PyYAML composes YAML and JSON alike into nodes whose marks give character offsets (``index``): that is
what lets a fix change only the characters it must. A block collection's end mark is where the next
token starts (after comments and blank lines), so where a collection's content ends is taken from its
last scalar instead (``content_end``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader


class _Loader(_SafeLoader):
    """A fix reads only explicit tags (``!Ref``, ``!Sub``): an untagged node keeps its kind's default tag
    instead of going through PyYAML's implicit resolvers, a Python call and a regular expression per
    scalar (issue 18: a sixth of the time SARIF's edits took). Values and marks are the same."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


class NotFixable(Exception):
    """The fix cannot be written here; ``reason`` says why, in words for the report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Style:
    json: bool
    newline: str
    indent: int  # the step between a mapping's keys and its children's keys
    quote: str = "'"  # the quote the file mostly writes strings with, for new strings that need one
    short: bool = True  # the file writes intrinsic functions in short form (!Ref), or in full (Ref:)


def compose(text: str):
    """``text`` as nodes (shared with earlier callers of the same text: nothing changes a node), or
    NotFixable when it does not parse."""
    root, problem = _composed(text)
    if problem is not None:
        raise NotFixable(problem)
    return root


@functools.lru_cache(maxsize=8)
def _composed(text: str) -> tuple:
    """(root, None), or (None, why it does not parse). Kept for the last few texts: every fix of a
    file starts from the same text (SARIF's edits are worked out fix by fix on the file as it is; the
    first intent of each composed it again, through PyYAML's Python resolver: three quarters of a
    SARIF run of 1,000 templates), and each intent of a fix walks the text the previous one wrote."""
    try:
        return yaml.compose(text, Loader=_Loader), None
    except yaml.YAMLError as exc:
        return None, f"the file does not parse ({type(exc).__name__})"


def style(text: str, root) -> Style:
    """How ``text`` is written; ``root`` is its nodes. Worked out once per text when ``root`` is the
    shared ``compose(text)`` (every fix of a file asks it of the same text)."""
    if root is compose(text):
        return _shared_style(text)
    return _style(text, root)


@functools.lru_cache(maxsize=8)
def _shared_style(text: str) -> Style:
    return _style(text, compose(text))


def _style(text: str, root) -> Style:
    newline = "\r\n" if "\r\n" in text else "\n"
    is_json = text.lstrip().startswith("{")
    quote, short = _habits(root)
    return Style(is_json, newline, _indent_step(root, text) or 2, quote, short)


def _habits(root) -> tuple:
    """(the quote most of the file's quoted strings use, whether it writes intrinsics in short form).
    Single quotes, and short forms, where the file does not show: what most templates write."""
    quotes = {"'": 0, '"': 0}
    short = full = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag.startswith("!"):
            short += 1
        if isinstance(node, ScalarNode):
            if node.style in quotes:
                quotes[node.style] += 1
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode) and INTRINSIC.match(key.value) and key.value != "Condition":
                    full += 1
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return ('"' if quotes['"'] > quotes["'"] else "'"), short >= full


def _indent_step(node, text) -> int | None:
    """The most common difference between a block mapping's key column and its block children's."""
    steps = {}
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            for key, value in current.value:
                # a nested mapping written on lines of its own (block, or JSON's multi-line objects)
                if isinstance(value, MappingNode) and value.value \
                        and value.value[0][0].start_mark.line > key.start_mark.line:
                    child = value.value[0][0].start_mark.column
                    step = child - key.start_mark.column
                    if step > 0:
                        steps[step] = steps.get(step, 0) + 1
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return max(steps, key=lambda s: (steps[s], -s)) if steps else None


def child(mapping, key: str):
    """(key node, value node) of ``key`` in a mapping node, or None."""
    if not isinstance(mapping, MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


INTRINSIC = re.compile(r"^(Ref|Condition|Fn::\w+)$")


def is_intrinsic(node) -> bool:
    """A node that is an intrinsic function: a short-form tag or a one-key mapping ``Fn::...``/``Ref``."""
    if node.tag.startswith("!"):
        return True
    return (isinstance(node, MappingNode) and len(node.value) == 1 and isinstance(node.value[0][0], ScalarNode)
            and bool(INTRINSIC.match(node.value[0][0].value)))


def content_end(node) -> int:
    """The offset just after the last character of ``node``'s content (its last scalar, or the closing
    bracket of a flow collection), never after the comments and blank lines that follow it."""
    while True:
        if isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
            return node.end_mark.index
        if isinstance(node, MappingNode):
            if not node.value:
                return node.end_mark.index
            node = node.value[-1][1]
        elif isinstance(node, SequenceNode):
            if not node.value:
                return node.end_mark.index
            node = node.value[-1]
        else:  # pragma: no cover
            return node.end_mark.index


def line_end(text: str, offset: int) -> int:
    """The offset of the end of the line holding ``offset`` (before its line break)."""
    end = text.find("\n", offset)
    if end == -1:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end

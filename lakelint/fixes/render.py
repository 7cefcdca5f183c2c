"""A value as the file would write it: YAML block or flow style at a given indentation, or JSON.

Scalars are written plain where YAML reads them back as the same value (``aws:kms``, ``Enabled``),
otherwise quoted as the file mostly quotes (single quotes where it does not show); booleans as
``true``/``false``, as CloudFormation templates write them; intrinsic functions (``Intrinsic``) in the
file's form, short (``!GetAtt Key.Arn``) or full (``Fn::GetAtt: [Key, Arn]``). ``style`` is the file's
(locate.Style); without it, single quotes and short forms. Only new text is rendered: nothing here ever
re-serialises what the author wrote.
"""

from __future__ import annotations

import json
import re

from lakelint.fixes.intents import Intrinsic, plain

_PLAIN = re.compile(r"^[A-Za-z0-9_./@$][A-Za-z0-9_./:@$ =+-]*$")
_RESERVED = re.compile(r"^(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+|\.inf|\.nan)$",
                       re.IGNORECASE)


def scalar(value, style=None) -> str:
    """One YAML scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and not _RESERVED.match(text) and not text.endswith((" ", ":")) and ": " not in text \
            and " #" not in text:
        return text
    if getattr(style, "quote", "'") == '"':
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def _short(style) -> bool:
    return getattr(style, "short", True)


def flow(value, style=None) -> str:
    """A value in YAML flow style: ``{Status: Enabled}``, ``[a, b]``, ``!Ref Key``."""
    if isinstance(value, Intrinsic):
        if _short(style):
            tag, argument = value.short()
            return f"{tag} {scalar(argument, style)}"
        return flow(value.full(), style)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k, style)}: {flow(v, style)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v, style) for v in value) + "]"
    return scalar(value, style)


def block_entry(key: str, value, indent: int, step: int, newline: str, style=None) -> str:
    """``key: value`` at column ``indent`` in block style (nested collections below it)."""
    pad = " " * indent
    if isinstance(value, Intrinsic) and not _short(style):  # Fn::GetAtt: [Key, Arn] on a line of its own
        return pad + f"{scalar(key, style)}:" + newline + " " * (indent + step) \
            + f"{value.function}: {flow(value.argument, style)}"
    if isinstance(value, dict) and value:
        return pad + f"{scalar(key, style)}:" + newline + block_mapping(value, indent + step, step, newline, style)
    if isinstance(value, list) and value:
        return pad + f"{scalar(key, style)}:" + newline + block_sequence(value, indent + step, step, newline, style)
    return pad + f"{scalar(key, style)}: {flow(value, style)}"


def block_mapping(mapping: dict, indent: int, step: int, newline: str, style=None) -> str:
    return newline.join(block_entry(k, v, indent, step, newline, style) for k, v in mapping.items())


def block_sequence(items: list, indent: int, step: int, newline: str, style=None) -> str:
    return newline.join(block_item(item, indent, step, newline, style) for item in items)


def block_item(item, indent: int, step: int, newline: str, style=None) -> str:
    """``- item`` at column ``indent``; a mapping item's first key on the dash's line."""
    pad = " " * indent
    if isinstance(item, Intrinsic) and not _short(style):
        return pad + f"- {item.function}: {flow(item.argument, style)}"
    if isinstance(item, dict) and item:
        lines = block_mapping(item, indent + 2, step, newline, style)
        return pad + "- " + lines[indent + 2:]
    return pad + "- " + flow(item, style)


def json_inline(value) -> str:
    """``value`` as JSON on one line (intrinsic functions in full)."""
    return json.dumps(plain(value), ensure_ascii=False)


def json_value(value, indent: int, step: int, newline: str) -> str:
    """``value`` as JSON whose first line continues the current one and whose further lines start at
    column ``indent`` (the column of the key that holds it)."""
    text = _json(value, step, 0)
    lines = text.split("\n")
    return newline.join([lines[0]] + [" " * indent + line for line in lines[1:]])


def _json(value, step: int, depth: int) -> str:
    """``json.dumps(value, indent=step)``, except that an intrinsic function stays on one line, as JSON
    templates write it: ``{"Fn::GetAtt": ["Key", "Arn"]}``."""
    if isinstance(value, Intrinsic):
        return json_inline(value)
    inner, outer = " " * (step * (depth + 1)), " " * (step * depth)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_json(v, step, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + outer + "}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _json(v, step, depth + 1) for v in value) + "\n" + outer + "]"
    return json.dumps(value, ensure_ascii=False)

"""A value as the file would write it: YAML block or flow style at a given indentation, or JSON.

Scalars are written plain where YAML reads them back as the same value (``aws:kms``, ``Enabled``),
otherwise single-quoted; booleans as ``true``/``false``, as CloudFormation templates write them. Only new
text is rendered: nothing here ever re-serialises what the author wrote.
"""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[A-Za-z0-9_./@$][A-Za-z0-9_./:@$ =+-]*$")
_RESERVED = re.compile(r"^(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+|\.inf|\.nan)$",
                       re.IGNORECASE)


def scalar(value) -> str:
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
    return "'" + text.replace("'", "''") + "'"


def flow(value) -> str:
    """A value in YAML flow style: ``{Status: Enabled}``, ``[a, b]``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def block_entry(key: str, value, indent: int, step: int, newline: str) -> str:
    """``key: value`` at column ``indent`` in block style (nested collections below it)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        return pad + f"{scalar(key)}:" + newline + block_mapping(value, indent + step, step, newline)
    if isinstance(value, list) and value:
        return pad + f"{scalar(key)}:" + newline + block_sequence(value, indent + step, step, newline)
    return pad + f"{scalar(key)}: {flow(value)}"


def block_mapping(mapping: dict, indent: int, step: int, newline: str) -> str:
    return newline.join(block_entry(k, v, indent, step, newline) for k, v in mapping.items())


def block_sequence(items: list, indent: int, step: int, newline: str) -> str:
    return newline.join(block_item(item, indent, step, newline) for item in items)


def block_item(item, indent: int, step: int, newline: str) -> str:
    """``- item`` at column ``indent``; a mapping item's first key on the dash's line."""
    pad = " " * indent
    if isinstance(item, dict) and item:
        lines = block_mapping(item, indent + 2, step, newline)
        return pad + "- " + lines[indent + 2:]
    if isinstance(item, list) and item:
        return pad + "- " + flow(item)
    return pad + "- " + flow(item)


def json_value(value, indent: int, step: int, newline: str) -> str:
    """``value`` as JSON whose first line continues the current one and whose further lines start at
    column ``indent`` (the column of the key that holds it)."""
    text = json.dumps(value, indent=step, ensure_ascii=False)
    lines = text.split("\n")
    return newline.join([lines[0]] + [" " * indent + line for line in lines[1:]])

"""Parse a CloudFormation template (YAML or JSON) into position-keeping Python data.

Every key and value comes out as ``LocDict``/``LocList`` values with its 1-based line and column,
CloudFormation's short-form tags expanded (``!Ref X`` is ``{"Ref": "X"}``), duplicate keys refused, and
alias expansion, nesting and size bounded. JSON goes through the same parser (JSON is YAML's flow
style), with JSON's own rules for plain scalars.

Two builders share that contract (issue 18):

- yaml_events.py builds the values in one pass over libyaml's parser events: no node tree, no
  ``Mark`` per node, no Python resolver call per scalar. Nearly every template takes this path;
- yaml_nodes.py composes libyaml's node tree and builds from it, as the loader always did. It takes
  what the event builder hands over: anchors, aliases and merge keys, explicit YAML tags, and any
  document with an error, so that every message and position stays exactly what it was.

tests/test_loader_identity.py holds both to the loader as it was before (tests/loader_reference.py).
"""

from __future__ import annotations

from lakelint.sources.cloudformation.yaml_rules import (INTRINSIC_KEYS, MAX_ALIAS_VALUES, MAX_DEPTH, MAX_NODES,
                                                        TemplateError)

__all__ = ["INTRINSIC_KEYS", "MAX_ALIAS_VALUES", "MAX_DEPTH", "MAX_NODES", "TemplateError", "decode_text",
           "looks_like_json", "parse"]


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


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
    try:  # what the utf-8-sig codec does (error offsets included), without importing its module for each run
        return (raw[len(_UTF8_BOM):] if raw.startswith(_UTF8_BOM) else raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TemplateError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line, column) from None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def parse(text: str, json_mode: bool | None = None):
    """Parse one template's text. Returns the root value (None for an empty document).

    Every problem, however hostile the input, comes out as a ``TemplateError`` with a position:
    syntax errors, unsupported tags, duplicate keys, alias bombs, recursive aliases, nesting deeper
    than ``MAX_DEPTH``.
    """
    from lakelint.sources.cloudformation import yaml_events, yaml_nodes

    if json_mode is None:
        json_mode = looks_like_json(text)
    try:
        return yaml_events.parse(text, json_mode)
    except yaml_events.Handover:
        return yaml_nodes.parse(text, json_mode)

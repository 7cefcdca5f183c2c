"""What lakelint accepts in a template's YAML, shared by the loader's two builders (yaml_events.py,
yaml_nodes.py): CloudFormation's short-form tags, the bounds every document must stay within, the
error a template that breaks them raises, and JSON's reading of plain scalars.
"""

from __future__ import annotations

import re

# Short-form tags CloudFormation accepts, and the long form each stands for.
FN_TAGS = frozenset({
    "!Base64", "!Cidr", "!FindInMap", "!GetAZs", "!ImportValue", "!Join", "!Select", "!Split", "!Sub",
    "!Transform", "!If", "!Not", "!Equals", "!And", "!Or", "!ToJsonString", "!Length", "!ForEach",
    "!Contains", "!EachMemberEquals", "!EachMemberIn", "!RefAll", "!ValueOf", "!ValueOfAll",
    "!Implies", "!GetAtt",
})
INTRINSIC_KEYS = frozenset({"Ref", "Condition"} | {"Fn::" + tag[1:] for tag in FN_TAGS})
# tag -> the key of its long form ({"!Ref": "Ref", "!Sub": "Fn::Sub", ...})
SHORT_FORMS = {"!Ref": "Ref", "!Condition": "Condition", **{tag: "Fn::" + tag[1:] for tag in FN_TAGS}}

MAX_NODES = 2_000_000  # constructed values in one document: a 10 MB template holds far fewer
MAX_ALIAS_VALUES = 100_000  # values built by expanding YAML aliases: bounds "billion laughs"
MAX_DEPTH = 200  # nesting; real templates stay far below, and it keeps recursion safe
# libyaml composes nodes recursively in C, where too deep a document overflows the C stack (a crash,
# not an exception; measured at 20,000-50,000 levels). A document whose nesting *could* exceed this
# bound is first measured with libyaml's event parser, which keeps its own stack.
SAFE_COMPOSE_DEPTH = 5_000

STR_TAG = "tag:yaml.org,2002:str"


class TemplateError(Exception):
    """A template that cannot be read, with the position of the problem (1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def nesting_could_exceed(text: str, limit: int) -> bool:
    """A cheap upper bound on how deep ``text`` can nest: every flow level opens a bracket, and every
    block level adds indentation or a ``- ``/``? `` indicator, so it fits within the longest line."""
    flow = text.count("[") + text.count("{")
    if flow > limit:
        return True
    longest = max(map(len, text.splitlines()), default=0)
    return flow + 2 * longest > limit


def clipped(value, limit: int = 40) -> str:
    """A value as an error message quotes it: never thousands of characters."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else text
    shown = text[:limit] + f"... ({len(text):,} characters)"
    return repr(shown) if isinstance(value, str) else shown


NOT_JSON = object()
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\Z")
_JSON_INT = re.compile(r"-?(?:0|[1-9]\d*)\Z")


def json_plain(text: str):
    """A plain scalar read as JSON reads it (``1e5`` is a number in JSON, a string in YAML 1.1);
    ``NOT_JSON`` when JSON has no such plain value (YAML's rules then apply)."""
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    if not _JSON_NUMBER.match(text):
        return NOT_JSON
    if _JSON_INT.match(text):
        return int(text)
    return float(text)

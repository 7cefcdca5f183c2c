"""The value vocabulary shared by sources and checks.

Sources hand checks plain Python data (dicts, lists, strings, numbers, booleans) in CloudFormation's
property shape, whatever the source. Three additions keep that data honest:

- ``LocDict`` / ``LocList`` remember where each key and item sits in a template (line, column), so a
  finding can point at the exact value that failed. They compare equal to plain dicts and lists.
- ``Unresolved`` is a value whose content is not known: a parameter with no AllowedValues or Default,
  ``!GetAtt`` of a resource, a live property the account would not let us read. It is a ``str`` (so it
  can stand where a name or ARN is expected and still prove presence) and carries the reason why its
  content is unknown. A check that needs the content turns it into an "unknown" verdict, never a pass.
- ``MISSING`` marks an absent property, which is not the same thing as an unknown one.
"""

from __future__ import annotations

import re

class LocDict(dict):
    """A mapping that remembers its own position and the position of each key and value."""

    __slots__ = ("pos", "key_pos", "val_pos", "dynamic")

    def __init__(self, *args, **kwargs):
        if args or kwargs:  # the parser makes ~90 empty mappings per template: no call to fill nothing
            dict.__init__(self, *args, **kwargs)
        self.pos = None
        self.key_pos = {}
        self.val_pos = {}
        self.dynamic = False


class LocList(list):
    """A sequence that remembers its own position and the position of each item."""

    __slots__ = ("pos", "item_pos", "dynamic")

    def __init__(self, *args):
        if args:
            list.__init__(self, *args)
        self.pos = None
        self.item_pos = []
        self.dynamic = False


class Unresolved(str):
    """A value present in the configuration whose content cannot be known here.

    The text form keeps what is known (``arn:aws:kms:${AWS::Region}:...``); ``reason`` says why the rest
    is not, as a clause that reads after "it" ("comes from parameter EncAlg, which has no
    AllowedValues or Default"); ``refs`` names what it depends on.
    """

    reason: str
    refs: frozenset

    def __new__(cls, text: str, reason: str, refs=()):
        obj = super().__new__(cls, text)
        obj.reason = reason
        obj.refs = frozenset(refs)
        return obj

    def __reduce__(self):  # str's own pickling would call __new__ without the reason
        return (Unresolved, (str(self), self.reason, self.refs))


class _Missing:
    """The single marker for an absent property."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


def is_unresolved(value: object) -> bool:
    return isinstance(value, Unresolved)


def truth(value: object):
    """CloudFormation's reading of a boolean: True, False, or None when it cannot be known.

    CloudFormation accepts ``true``/``false`` as booleans or as strings in any case.
    """
    if isinstance(value, Unresolved):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
    return False if value is MISSING or value is None else None


def dig(value: object, *path):
    """Follow keys (and list indexes) into ``value``.

    Returns ``MISSING`` when a step is absent, or the ``Unresolved`` met on the way (its reason then
    explains why everything below it is unknown).
    """
    for step in path:
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, dict):
            value = value.get(step, MISSING)
        elif isinstance(value, list) and isinstance(step, int):
            value = value[step] if -len(value) <= step < len(value) else MISSING
        else:
            return MISSING
        if value is None:
            return MISSING
    return value


def as_list(value: object) -> list:
    """A value that may be written as one item or a list of items, as a list (policies do this)."""
    if value is MISSING or value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def pos_of(container: object, key=None):
    """The (line, column) of ``container[key]``, or of the container itself when ``key`` is None."""
    if key is None:
        return getattr(container, "pos", None)
    if isinstance(container, LocDict):
        return container.val_pos.get(key) or container.key_pos.get(key) or container.pos
    if isinstance(container, LocList) and isinstance(key, int) and 0 <= key < len(container.item_pos):
        return container.item_pos[key]
    return getattr(container, "pos", None)


def key_pos_of(container: object, key):
    """The (line, column) of a key itself: where a reader looks for a property that is set wrong."""
    if isinstance(container, LocDict):
        return container.key_pos.get(key) or container.pos
    return getattr(container, "pos", None)


MAX_SHOWN = 120  # characters of a value a finding quotes


def show(value) -> str:
    """A value as a finding quotes it: booleans the way templates write them, text as written, never
    longer than ``MAX_SHOWN``, and a value known only at deploy time in words, never as lakelint's
    placeholder text (``${Fn::Split}``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is MISSING or value is None:
        return "not set"
    if isinstance(value, Unresolved):
        return describe_unknown(value)
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."


_WHOLE_PLACEHOLDER = re.compile(r"^\$\{([^}]*)\}$")


def describe_unknown(value: "Unresolved") -> str:
    """An unknown value in words: "the result of Fn::Split", "parameter Env", "!GetAtt Key.Arn"; text
    that is partly known (a ``!Sub`` of a name and a parameter) is quoted as the template writes it."""
    match = _WHOLE_PLACEHOLDER.match(str(value))
    if not match:
        text = str(value)
        return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."
    inner = match.group(1)
    if inner.startswith("Fn::"):
        return f"the result of {inner}"
    if inner in ("...", "") or not inner:
        return "a value known only at deploy time"
    if inner.startswith("AWS::"):
        return f"the pseudo parameter {inner}"
    if "." in inner:
        return f"!GetAtt {inner}"
    return f"{inner} (known only at deploy time)"

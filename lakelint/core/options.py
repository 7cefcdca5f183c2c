"""Typed configuration values: the types every key is validated by, and options checks declare.

A check that reads a configurable value declares it on itself, as cfn-lint's ``config_definition``
does, so that the engine core holds no per-check keys and a plugin can add options too::

    @check(code="LL301", ..., options={
        "bucket-quota": Option(POSITIVE_INT_OR_AUTO, 100, "the quota buckets are counted against")})

One validator per type (``OptionType.parse``) serves both the core keys of core/config.py and every
declared option, so a value is judged the same way wherever it is written. ``config.bind_options``
applies the declarations once the checks are loaded (the configuration names ``checks-dir``, so the
options can only be known then); the registry refuses bad declarations and two checks that declare
one key differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lakelint.core.records import FrozenRecord, init_field

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


class InvalidValue(ValueError):
    """A value that does not have its key's type; the message completes "'key' must be ..."."""


class OptionType(FrozenRecord):
    """A named kind of value: ``describe`` completes "must be ..." in messages and docs. A plain class,
    not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("name", "describe", "check")

    def __init__(self, name: str, describe: str, check: Callable[[object], object]):
        init_field(self, "name", name)
        init_field(self, "describe", describe)
        init_field(self, "check", check)  # returns the value as the checks read it, or raises InvalidValue

    def parse(self, value):
        return self.check(value)

    def __repr__(self) -> str:
        return self.name


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(value):
    if _is_int(value) and value > 0:
        return value
    raise InvalidValue("a positive whole number")


def _non_negative_int(value):
    if _is_int(value) and value >= 0:
        return value
    raise InvalidValue("a whole number, 0 or more")


def _positive_int_or_auto(value):
    if value == "auto" or (_is_int(value) and value > 0):
        return value
    raise InvalidValue("a positive whole number or auto")


def _positive_number(value):
    if (_is_int(value) or isinstance(value, float)) and 0 < value < float("inf"):
        return value
    raise InvalidValue("a positive number")


def _boolean(value):
    if isinstance(value, bool):
        return value
    raise InvalidValue("true or false (unquoted)")


def _strings(value):
    """A list of strings; one string is a list of one (``exclude: "legacy/**"`` is one glob)."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return list(value)
    raise InvalidValue("a list of strings")


def _account_ids(value):
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list):
        ids = [str(item) for item in value if isinstance(item, (str, int)) and not isinstance(item, bool)]
        if len(ids) == len(value) and all(_ACCOUNT_ID.match(i) for i in ids):
            return ids
    raise InvalidValue("a list of 12-digit AWS account ids (quote them: '012345678901')")


POSITIVE_INT = OptionType("positive integer", "a positive whole number", _positive_int)
NON_NEGATIVE_INT = OptionType("non-negative integer", "a whole number, 0 or more", _non_negative_int)
POSITIVE_INT_OR_AUTO = OptionType("positive integer or auto", "a positive whole number or auto", _positive_int_or_auto)
POSITIVE_NUMBER = OptionType("positive number", "a positive number", _positive_number)
BOOLEAN = OptionType("boolean", "true or false", _boolean)
STRINGS = OptionType("list of strings", "a list of strings", _strings)
ACCOUNT_IDS = OptionType("list of account ids", "a list of 12-digit AWS account ids", _account_ids)
TYPES = (POSITIVE_INT, NON_NEGATIVE_INT, POSITIVE_INT_OR_AUTO, POSITIVE_NUMBER, BOOLEAN, STRINGS, ACCOUNT_IDS)


def choice(*allowed: str) -> OptionType:
    """One of a few words (case-insensitive)."""
    words = " | ".join(allowed)

    def check(value):
        if isinstance(value, str) and value.lower() in allowed:
            return value.lower()
        raise InvalidValue(f"one of {words}")

    return OptionType(f"one of {words}", f"one of {words}", check)


class Option(FrozenRecord):
    """A configuration key a check reads through ``ctx.option(key)``: its type, default and one-line doc.
    A plain class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("type", "default", "doc")

    def __init__(self, type: OptionType, default: object, doc: str):  # noqa: A002 - the field's name
        init_field(self, "type", type)
        init_field(self, "default", default)
        init_field(self, "doc", doc)

    def to_dict(self) -> dict:
        return {"type": self.type.name, "default": self.default, "doc": self.doc}


KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def declaration_problem(key, option) -> str | None:
    """Why a check's option declaration is not valid, or None (the registry refuses bad ones)."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        return f"option {key!r} must be a kebab-case key"
    if not isinstance(option, Option):
        return (f"option {key!r} must be declared as Option(type, default, doc) from lakelint.core.options, "
                f"not {type(option).__name__}")
    if not isinstance(option.type, OptionType):
        return f"option {key!r} has no type (use one of lakelint.core.options: {', '.join(t.name for t in TYPES)})"
    if not isinstance(option.doc, str) or not option.doc.strip() or "\n" in option.doc.strip():
        return f"option {key!r} needs a one-line doc"
    try:
        option.type.parse(option.default)
    except InvalidValue as exc:
        return f"option {key!r} has a default that is not {exc}"
    return None


def declared(specs) -> dict:
    """Every option the loaded checks declare: ``{key: (the first check declaring it, its default)}``.
    Read from ``option_signatures``, so the built-in checks' modules stay unimported (check index)."""
    found = {}
    for spec in specs:
        for key, (_, default) in spec.option_signatures().items():
            found.setdefault(key, (spec, default))
    return found


def shown(value) -> str:
    """A value as a message quotes it: short, one line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

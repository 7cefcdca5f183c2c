"""A bucket name as LL116 judges it: pieces of literal text, dynamic references and unknown values,
each unknown one with what constrains it.

A name built with ``!Sub`` or ``!Join`` keeps its pieces (``Unresolved.parts``, from the template
source); other partly known text is cut at its ``${...}`` and ``{{resolve:...}}`` placeholders. An
unknown piece is constrained by the shape of a pseudo parameter (``${AWS::AccountId}``: twelve digits)
or, for a ``String`` parameter that may take a value the template does not name, by its
``AllowedPattern`` and ``MinLength``/``MaxLength`` (``value.constraints``, set by the template source).
An SSM parameter type's constraints apply to the SSM parameter's name, not to its value, and a list's
to each item: neither constrains the text.
"""

from __future__ import annotations

import re

from lakelint.core.values import Unresolved

from ._bucket_names import PLACEHOLDER, Constrained, pseudo_shape

WHOLE = re.compile(r"^\$\{[^}]*\}$")
_STRING_TYPES = ("String",)


class Dynamic(str):
    """A ``{{resolve:...}}`` dynamic reference in a name: resolved by CloudFormation at deploy time."""


def is_literal(piece) -> bool:
    return not isinstance(piece, (Unresolved, Dynamic))


def pieces(name) -> list:
    """The name as literal text, dynamic references and unknown values, in order."""
    parts = getattr(name, "parts", None) if isinstance(name, Unresolved) else None
    if parts is None:
        parts = [name] if isinstance(name, Unresolved) and WHOLE.match(str(name)) else [str(name)]
    source = name if isinstance(name, Unresolved) else None
    found = []
    for part in parts:
        if isinstance(part, Unresolved) and WHOLE.match(str(part)):
            found.append(part)
            continue
        text, last = str(part), 0
        for match in PLACEHOLDER.finditer(text):
            found += [text[last:match.start()], _placeholder(match.group(0), source)]
            last = match.end()
        found.append(text[last:])
    return [piece for piece in found if piece != "" or not is_literal(piece)]


def _placeholder(text: str, source):
    if text.startswith("{{"):
        return Dynamic(text)
    if source is not None:
        return Unresolved(text, source.reason, source.refs)
    return Unresolved(text, "is known only at deploy time")


def constraint(bucket, piece) -> Constrained | None:
    """What an unknown piece is known to be; None when nothing constrains it."""
    if is_literal(piece) or isinstance(piece, Dynamic):
        return None
    shape = pseudo_shape(str(piece))
    if shape is not None:
        return shape
    constraints = getattr(piece, "constraints", None) or {}
    name = parameter_name(piece)
    parameters = getattr(bucket.stack, "parameters", None) or {}
    definition = parameters.get(name) if name is not None else None
    if not constraints or not isinstance(definition, dict) or \
            str(definition.get("Type", "String")) not in _STRING_TYPES:
        return None
    pattern = constraints.get("AllowedPattern")
    return Constrained(str(pattern) if isinstance(pattern, str) else None,
                       _length(constraints.get("MinLength")), _length(constraints.get("MaxLength")))


def parameter_name(piece) -> str | None:
    refs = list(getattr(piece, "refs", ()))
    return refs[0] if len(refs) == 1 else None


def parameter_of(piece) -> str | None:
    """The parameter an unknown piece comes from (None for literal text and pseudo parameters)."""
    if is_literal(piece) or pseudo_shape(str(piece)) is not None:
        return None
    return parameter_name(piece)


def _length(value):
    try:
        return int(str(value)) if value is not None and not isinstance(value, bool) else None
    except ValueError:
        return None

"""S3's naming rules for general purpose buckets, for names known in full, in part, or by constraint.

Three questions, from cheapest to dearest:

- ``problems(name)``: what is wrong with a name known in full (LL116 asks it of every literal name,
  so it works on sets of characters, not a regex per character);
- ``literal_problems(text)``: what is certainly wrong with a name whose ``${...}`` parts are unknown,
  from its literal parts alone;
- ``doubts(pieces)``: for a name made of literal text and values known only by their constraints (a
  parameter's ``AllowedPattern``, ``MinLength``/``MaxLength``, a pseudo parameter's shape), which
  rule some value could still break: the characters, the length, the first and last character, two
  adjacent periods, the shape of an IP address (lakelint reads the patterns as automata:
  checks/s3/_patterns.py). An empty answer proves those rules for every value the constraints allow.
"""

from __future__ import annotations

import functools
import re

from lakelint.core.records import FrozenRecord, init_field

from . import _patterns
from ._patterns import Unreadable

MIN_LENGTH, MAX_LENGTH = 3, 63
ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3")
_IP_SHAPE = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
# ${...} parts the template resolves at deploy time, and {{resolve:ssm:...}} dynamic references
PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{\{resolve:[^}]*\}\}")
# Pseudo parameters whose shape is known: (shortest, longest) text they can stand for, and a pattern
# every value matches (the regions and partitions AWS has, read generously).
KNOWN_SHAPES = {
    "${AWS::AccountId}": ("111122223333", "111122223333", r"[0-9]{12}"),
    "${AWS::Region}": ("us-east-1", "ap-southeast-2", r"[a-z]{2,4}(-[a-z]{2,9}){1,2}-[0-9]{1,2}"),
    "${AWS::Partition}": ("aws", "aws-us-gov", r"aws(-cn|-us-gov|-iso|-iso-[a-z]|-eusc)?"),
    "${AWS::URLSuffix}": ("amazonaws.com", "amazonaws.com.cn",
                          r"amazonaws\.com(\.cn)?|amazonaws\.eu|c2s\.ic\.gov|sc2s\.sgov\.gov|csp\.hci\.ic\.gov"
                          r"|cloud\.adc-e\.uk"),
}
# What S3 rejects, each as the text that breaks it and the words for it ("it may <words>")
_REJECTED = (
    (r".*[^a-z0-9.\-].*", "contain characters other than lowercase letters, digits, '.' and '-'"),
    (r"[^a-z0-9].*", "begin with a character other than a letter or digit"),
    (r".*[^a-z0-9]", "end with a character other than a letter or digit"),
    (r".*\.\..*", "contain two adjacent periods"),
    (r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+", "be formatted as an IP address"),
)
# The reserved prefixes and suffixes are judged in the text the template writes, not asked of the
# values a pattern allows: a pattern that admits letters and hyphens admits "xn--" too, and almost
# every bucket-name pattern would stay unverifiable for a value no deployer types by accident.


def problems(name: str) -> list:
    """What is wrong with a fully known name, worst first."""
    found = []
    bad = sorted(set(name) - ALLOWED)
    if bad:
        found.append(f"contains {', '.join(repr(c) for c in bad)} (only lowercase letters, digits, '.' and '-')")
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        found.append(f"is {len(name)} characters long (3 to 63)")
    if name and not (name[0].isalnum() and name[-1].isalnum()):
        found.append("must begin and end with a letter or digit")
    if ".." in name:
        found.append("contains two adjacent periods")
    if "." in name and _IP_SHAPE.match(name):
        found.append("is formatted as an IP address")
    found += [f"starts with the reserved prefix {p}" for p in RESERVED_PREFIXES if name.startswith(p)]
    found += [f"ends with the reserved suffix {s}" for s in RESERVED_SUFFIXES if name.endswith(s)]
    return found


def literal_problems(text: str) -> list:
    """What is certainly wrong with a name whose ``${...}`` parts are unknown: its literal parts."""
    parts = PLACEHOLDER.split(text)
    literal = "".join(parts)
    found = []
    bad = sorted(set(literal) - ALLOWED)
    if bad:
        found.append(f"contains {', '.join(repr(c) for c in bad)} (only lowercase letters, digits, '.' and '-')")
    if any(".." in part for part in parts):
        found.append("contains two adjacent periods")
    if len(literal) > MAX_LENGTH:
        found.append(f"is longer than {MAX_LENGTH} characters")
    head, tail = parts[0], parts[-1]
    if (head and not head[0].isalnum()) or (tail and not tail[-1].isalnum()):
        found.append("must begin and end with a letter or digit")
    found += [f"starts with the reserved prefix {p}" for p in RESERVED_PREFIXES if head.startswith(p)]
    found += [f"ends with the reserved suffix {s}" for s in RESERVED_SUFFIXES if tail.endswith(s)]
    return found


def with_known_shapes(text: str, longest: bool) -> str:
    for placeholder, (short, long, _) in KNOWN_SHAPES.items():
        text = text.replace(placeholder, long if longest else short)
    return text


class Constrained(FrozenRecord):
    """A piece of a name known by its constraints: the text its pattern allows (any text when it has
    none), within a length. A plain class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("pattern", "min_length", "max_length")

    def __init__(self, pattern: str | None, min_length: int | None = None, max_length: int | None = None):
        init_field(self, "pattern", pattern)
        init_field(self, "min_length", min_length)
        init_field(self, "max_length", max_length)

    def automaton(self):
        return _patterns.language(self.pattern if self.pattern is not None else r".*")

    def lengths(self) -> tuple:
        shortest, longest = self.automaton().lengths()
        if self.min_length is not None:
            shortest = max(shortest or 0, self.min_length)
        if self.max_length is not None:
            longest = self.max_length if longest is None else min(longest, self.max_length)
        return shortest or 0, longest


def pseudo_shape(text: str) -> Constrained | None:
    shape = KNOWN_SHAPES.get(text)
    if shape is None:
        return None
    return Constrained(shape[2], len(shape[0]) if text != "${AWS::Region}" else 9, len(shape[1]))


def doubts(pieces) -> list:
    """The rules some value of ``pieces`` (literal text, or ``Constrained``) may break, as words
    after "it may"; [] when every value the constraints allow makes a valid name. Raises
    ``Unreadable`` when a pattern cannot be analysed."""
    return list(_doubts(tuple(pieces)))


@functools.lru_cache(maxsize=512)
def _doubts(pieces: tuple) -> tuple:
    automaton = _patterns.concatenation(
        _patterns.literal(piece) if isinstance(piece, str) else piece.automaton() for piece in pieces)
    found = [words for pattern, words in _REJECTED if automaton.meets(_patterns.language(pattern))]
    shortest = sum(len(p) if isinstance(p, str) else p.lengths()[0] for p in pieces)
    longest = [len(p) if isinstance(p, str) else p.lengths()[1] for p in pieces]
    if shortest < MIN_LENGTH:
        found.append(f"be shorter than {MIN_LENGTH} characters")
    if any(length is None for length in longest) or sum(longest) > MAX_LENGTH:
        found.append(f"be longer than {MAX_LENGTH} characters")
    return tuple(found)


__all__ = ["Constrained", "Unreadable", "doubts", "literal_problems", "problems", "pseudo_shape",
           "with_known_shapes"]

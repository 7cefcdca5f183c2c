"""Branches: the ways a property can turn out, each with the assumptions that lead to it.

A template source expands intrinsic functions into several outcomes (``Fn::If`` sides, a parameter's
allowed values); a live source has exactly one. Checks see both through the same ``Branch`` records,
so a check never knows which source it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from lakelint.core.values import MISSING, Unresolved

DEFAULT_MARK = " (default)"  # how a parameter's Default reads in a branch label: "Alg=aws:kms (default)"


@dataclass
class Branch:
    """One outcome of a property: its resolved value and the assumptions that lead to it."""

    value: Any
    assumptions: tuple = ()  # ((name, value-as-text), ...), sorted by name (see __post_init__)
    pos: tuple | None = None  # where the value itself is written, when known
    capped: bool = False

    def __post_init__(self):
        # Sorted, so that a finding's condition ("Environment=dev, IsProd=false") does not depend on
        # the order the template happens to write its keys in (tests/test_properties.py).
        self.assumptions = tuple(sorted(self.assumptions))

    @property
    def label(self) -> str | None:
        """"IsProd=false" style text for findings; None when the outcome holds unconditionally."""
        if not self.assumptions:
            return None
        return ", ".join(f"{name}={value}" for name, value in self.assumptions)


def single_branch(props, path) -> Branch:
    """The one branch of a source that has no intrinsics (live mode)."""
    value = props
    for step in path:
        if isinstance(value, Unresolved):
            break
        value = value.get(step, MISSING) if isinstance(value, dict) else MISSING
    return Branch(value)


def single_branch(props, path) -> Branch:
    """The one branch of a source that has no intrinsics (live mode)."""
    value = props
    for step in path:
        if isinstance(value, Unresolved):
            break
        value = value.get(step, MISSING) if isinstance(value, dict) else MISSING
    return Branch(value)

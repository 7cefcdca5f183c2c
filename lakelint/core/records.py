"""Plain record classes: what a template run's records share instead of being dataclasses.

The records a one-template run creates (check specs and verdicts, options, the configuration, the
model, suppressions, branches, fixes, policies...) were dataclasses. ``import dataclasses`` pulls in
inspect, ast, dis, tokenize and linecache, and each ``@dataclass`` compiles its methods with ``exec``
as its module loads: together some 10-14 ms of a pre-commit run's ~85 ms, its largest remaining cost
(issue 18 item 3). So they are plain classes with ``__slots__`` and an explicit ``__init__``; ``Record``
gives them, from the field names they list, what the dataclass generated and something relies on:

- ``repr`` (``Name(field=value, ...)``) and ``==`` (same class, equal fields), over ``_compared``
  (every field unless the class says otherwise: a dataclass's ``repr=False, compare=False``);
- ``replace(**changes)``: a copy with some fields changed, built through ``__init__`` (what
  ``dataclasses.replace`` did).

``FrozenRecord`` adds what ``frozen=True`` gave: assigning a field raises ``FrozenInstanceError`` and
instances hash by their compared fields. Its subclasses' ``__init__`` set fields through
``object.__setattr__`` (``init_field``), and it pickles (a forked worker sends its results to
the parent) and copies by its fields; other records pickle as any plain object does.

Creating these classes runs no code of its own (no ``exec``, no import beyond ``operator``, which a run
has loaded already). Modules off the template path (live mode, drift, dev tools) keep their dataclasses.
"""

from __future__ import annotations

from operator import attrgetter

init_field = object.__setattr__  # how a frozen record's __init__ sets its fields


class FrozenInstanceError(AttributeError):
    """A field of a frozen record was assigned (``dataclasses.FrozenInstanceError``'s counterpart)."""


class Record:
    """A record whose fields are ``_fields`` (in ``__init__``'s order); see the module docstring."""

    __slots__ = ()
    _fields = ()
    _compared = None  # the fields repr and == use; None: every field

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_compared" not in cls.__dict__:
            cls._compared = cls._fields
        if cls._compared:
            get = attrgetter(*cls._compared)
            cls._values = staticmethod((lambda record: (get(record),)) if len(cls._compared) == 1 else get)

    def __repr__(self) -> str:
        return (f"{self.__class__.__qualname__}("
                + ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared) + ")")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values(self) == self._values(other)
        return NotImplemented

    __hash__ = None  # mutable: not hashable, as the dataclasses they replace

    def replace(self, **changes):
        """A copy of this record with ``changes`` (``dataclasses.replace``)."""
        for name in self._fields:
            if name not in changes:
                changes[name] = getattr(self, name)
        return self.__class__(**changes)


class FrozenRecord(Record):
    """A ``Record`` whose fields cannot be assigned after ``__init__``, hashed by its compared fields."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self):
        return hash(self._values(self))

    def __getstate__(self):  # pickle would set the fields with setattr, which refuses
        return tuple(getattr(self, name) for name in self._fields)

    def __setstate__(self, state):
        for name, value in zip(self._fields, state):
            init_field(self, name, value)

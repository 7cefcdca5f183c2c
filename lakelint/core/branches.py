"""Branches: the ways a property can turn out, each with the part of the parameter space it holds in.

A template is a family of stacks: one per assignment of its parameters. A **variable** is a parameter
(its values: its ``AllowedValues``; or its ``Default`` plus the values its conditions compare it with
and "another value") or, where a condition cannot be reduced to parameters (it reads
``AWS::Region``, say), that condition itself (true or false). A **guard** restricts some variables to
some of their values (a conjunction); the empty guard, ``TRUE``, is the whole space. A **branch** is
one outcome of a property with the guard under which it holds. Conditions are never chosen on their
own: ``Fn::If [IsProd, ...]`` takes the guard under which ``IsProd``'s definition is true, so a branch
such as "EncryptionAtRest is 'true' and IsEncryptionAtRest is false" cannot arise.

The engine reports one finding per problem: the guards of every branch that fails the same way are
united and described in as few words as decide it (``describe``): "when IsProd is false", "when
parameter Env is 'dev' or 'test'", or nothing at all when every branch that exists fails.

A live source has one branch per property, under ``TRUE``: checks read both sources the same way.
"""

from __future__ import annotations

import contextvars
import itertools

from lakelint.core.records import FrozenRecord, Record, init_field
from lakelint.core.values import MISSING, Unresolved

MAX_LABEL_POINTS = 4096  # assignments enumerated to simplify a label; beyond, the guards are listed as they are


class _Other:
    """The value of a parameter that is none of the values the template names for it."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OTHER"

    def __lt__(self, other) -> bool:  # sorts after every named value
        return False

    def __gt__(self, other) -> bool:
        return other is not self


OTHER = _Other()


class Variable(FrozenRecord):
    """A dimension of the parameter space. ``key`` is ("parameter", name) or ("condition", name). A plain
    class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("key", "values", "default", "secret")

    def __init__(self, key: tuple, values: tuple, default: object = None, secret: bool = False):
        init_field(self, "key", key)
        # texts, and OTHER when the parameter may take a value the template does not name
        init_field(self, "values", values)
        init_field(self, "default", default)  # a parameter's Default, as text
        init_field(self, "secret", secret)  # NoEcho: its values are never printed

    @property
    def name(self) -> str:
        return self.key[1]

    @property
    def is_condition(self) -> bool:
        return self.key[0] == "condition"


class Guard:
    """Some variables, each restricted to a set of its values (a conjunction). Immutable."""

    __slots__ = ("_items", "_hash")

    def __init__(self, items=None):
        self._items = dict(items or {})
        self._hash = None

    def get(self, key):
        return self._items.get(key)

    def keys(self):
        return self._items.keys()

    def items(self):
        return self._items.items()

    def __bool__(self) -> bool:  # TRUE (no restriction) is falsy, like an empty mapping
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def restrict(self, key, values) -> "Guard | None":
        """This guard with ``key`` limited to ``values`` too; None when nothing is left."""
        values = frozenset(values)
        current = self._items.get(key)
        if current is not None:
            values = current & values
            if values == current:
                return self
        if not values:
            return None
        items = dict(self._items)
        items[key] = values
        return Guard(items)

    def __and__(self, other: "Guard") -> "Guard | None":
        if other is None:
            return None
        if not other._items:
            return self
        if not self._items:
            return other
        result = self
        for key, values in other._items.items():
            result = result.restrict(key, values)
            if result is None:
                return None
        return result

    def holds(self, assignment: dict) -> bool:
        """Does this guard admit ``assignment`` (a value for each of its variables, at least)?"""
        return all(assignment[key] in values for key, values in self._items.items())

    def _frozen(self):
        return frozenset(self._items.items())

    def __eq__(self, other) -> bool:
        return isinstance(other, Guard) and self._items == other._items

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._frozen())
        return self._hash

    def __repr__(self) -> str:
        return f"Guard({ {k[1]: sorted(map(str, v)) for k, v in self._items.items()} })"


TRUE = Guard()


def merge_guards(a: Guard, b: Guard) -> Guard | None:
    """One guard for "a or b" when it exists: equal guards, or guards that differ in one variable only."""
    if a == b:
        return a
    if a.keys() != b.keys():
        return None
    differing = [key for key in a.keys() if a.get(key) != b.get(key)]
    if len(differing) != 1:
        return None
    key = differing[0]
    return Guard({**dict(a.items()), key: a.get(key) | b.get(key)})


class Branch(Record):
    """One outcome of a property: its resolved value and the guard under which it holds. A plain class,
    not a dataclass (see lakelint/core/records.py); two branches are equal only when they are the same."""

    __slots__ = _fields = ("value", "guard", "pos", "capped", "space")
    _compared = ("value", "guard", "pos", "capped")  # what repr shows
    __eq__, __hash__ = object.__eq__, object.__hash__

    def __init__(self, value: object, guard: Guard = TRUE, pos: tuple | None = None, capped: bool = False,
                 space: "Space | None" = None):
        self.value, self.guard = value, guard
        self.pos = pos  # where the value itself is written, when known
        self.capped = capped  # the expansion stopped at a bound: not every outcome is in the list
        self.space = space

    def __and__(self, other: "Branch") -> "Branch | None":
        """This branch, restricted to where ``other`` holds too (None when they never hold together)."""
        guard = self.guard & other.guard
        if guard is None:
            return None
        return Branch(self.value, guard, self.pos, self.capped or other.capped, self.space or other.space)

    @property
    def label(self) -> str | None:
        """"IsProd=false" style text; None when the outcome holds everywhere."""
        if not self.guard:
            return None
        space = self.space or Space()
        return space.describe([self.guard])[0] or space.short([self.guard])


def single_branch(props, path) -> Branch:
    """The one branch of a source that has no intrinsics (live mode)."""
    value = props
    for step in path:
        if isinstance(value, Unresolved):
            break
        value = value.get(step, MISSING) if isinstance(value, dict) else MISSING
    return Branch(value)


class Space:
    """The variables of one template, and the words for parts of its parameter space."""

    def __init__(self, variables=()):
        self.variables = {v.key: v for v in variables}
        # condition name -> ([guards where true], [guards where false]), for the conditions the template
        # uses: a label says "when IsProd is false" rather than the parameters that make IsProd false
        self.conditions = {}

    def add(self, variable: Variable) -> None:
        self.variables[variable.key] = variable

    def domain(self, key) -> frozenset:
        variable = self.variables.get(key)
        if variable is None:  # an unknown name: two-valued, like a condition
            return frozenset(("true", "false"))
        return frozenset(variable.values)

    # -- describing a union of guards --------------------------------------------------------------

    def simplify(self, failing, existing=(TRUE,)):
        """The fewest guards that cover every assignment ``failing`` covers, among those ``existing``
        covers: [] when nothing fails, [TRUE] when everything that exists fails. Assignments outside
        ``existing`` may be covered or not, whichever gives shorter words."""
        failing = [g for g in failing if g is not None]
        if not failing:
            return []
        keys = sorted({k for g in [*failing, *existing] for k in g.keys()}, key=lambda k: (k[1], k[0]))
        domains = [sorted(self.domain(k), key=_value_order) for k in keys]
        size = 1
        for domain in domains:
            size *= len(domain)
        if size > MAX_LABEL_POINTS:
            return _dedupe(failing)
        off = []  # assignments that exist and do not fail: no guard may cover one
        covered_any = False
        for combo in itertools.product(*domains):
            assignment = dict(zip(keys, combo))
            if not any(g.holds(assignment) for g in existing):
                continue
            if any(g.holds(assignment) for g in failing):
                covered_any = True
            else:
                off.append(assignment)
        if not covered_any:
            return []
        if not off:
            return [TRUE]
        grown = [self._grow(g, off) for g in failing]
        return _dedupe(grown)

    def _grow(self, guard: Guard, off: list) -> Guard:
        """``guard`` made as wide as it can be without covering any assignment in ``off``: first drop
        whole variables, then admit more values of the ones that remain."""
        for key in sorted(guard.keys(), key=lambda k: (k[1], k[0])):
            wider = Guard({k: v for k, v in guard.items() if k != key})
            if not any(wider.holds(a) for a in off):
                guard = wider
        for key in sorted(guard.keys(), key=lambda k: (k[1], k[0])):
            for value in sorted(self.domain(key) - guard.get(key), key=_value_order):
                wider = Guard({**dict(guard.items()), key: guard.get(key) | {value}})
                if not any(wider.holds(a) for a in off):
                    guard = wider
            if guard.get(key) == self.domain(key):
                guard = Guard({k: v for k, v in guard.items() if k != key})
        return guard

    def describe(self, failing, existing=(TRUE,)) -> tuple:
        """(short, words) for where ``failing`` holds among ``existing``: ("IsProd=false", "when IsProd is
        false") when one of the template's conditions says exactly that, else in parameters
        ("Env=dev|test", "when parameter Env is 'dev' or 'test'"); (None, None) when it holds wherever
        the resource exists."""
        if all(not g for g in failing):  # a failure that holds unconditionally (the common case)
            return None, None
        guards = self.simplify(failing, existing)
        if not guards or guards == [TRUE]:
            return None, None
        named = self._as_condition(guards, existing)
        if named is not None:
            name, side = named
            return f"{name}={side}", f"when {name} is {side}"
        return self.short(guards), "when " + " or ".join(self._words(g) for g in guards)

    def _as_condition(self, guards, existing):
        """(condition, "true"|"false") whose region equals ``guards`` where the resource exists."""
        if not self.conditions:
            return None
        keys = sorted({k for g in [*guards, *existing] for k in g.keys()}, key=lambda k: (k[1], k[0]))
        candidates = []
        for name, sides in sorted(self.conditions.items()):
            for side, region in zip(("true", "false"), sides):
                region_keys = {k for g in region for k in g.keys()}
                if region_keys <= set(keys) and region_keys:
                    candidates.append((name, side, region))
        if not candidates:
            return None
        domains = [sorted(self.domain(k), key=_value_order) for k in keys]
        size = 1
        for domain in domains:
            size *= len(domain)
        if size > MAX_LABEL_POINTS:
            return None
        points = []
        for combo in itertools.product(*domains):
            assignment = dict(zip(keys, combo))
            if any(g.holds(assignment) for g in existing):
                points.append((assignment, any(g.holds(assignment) for g in guards)))
        for name, side, region in candidates:
            if all(any(g.holds(a) for g in region) == inside for a, inside in points):
                return name, side
        return None

    def short(self, guards) -> str:
        return " or ".join(", ".join(f"{key[1]}={self._values_short(key, values)}"
                                     for key, values in sorted(g.items(), key=lambda kv: (kv[0][1], kv[0][0])))
                           for g in guards)

    def _values_short(self, key, values) -> str:
        variable = self.variables.get(key)
        if variable is not None and variable.secret:
            return "(NoEcho)"
        named = [v for v in sorted(values, key=_value_order) if v is not OTHER]
        text = "|".join(str(v) for v in named)
        if OTHER in values:
            others = sorted((v for v in self.domain(key) - values), key=_value_order)
            text = "not " + "|".join(str(v) for v in others) if others else "any"
        return text

    def _words(self, guard: Guard) -> str:
        parts = []
        for key, values in sorted(guard.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            variable = self.variables.get(key)
            if key[0] == "condition" or variable is None:
                parts.append(f"{key[1]} is {' or '.join(sorted(map(str, values)))}")
                continue
            parts.append(self._parameter_words(variable, values))
        return " and ".join(parts)

    def _parameter_words(self, variable: Variable, values) -> str:
        name = variable.name
        if variable.secret:
            if variable.default is not None and values == {variable.default}:
                return f"NoEcho parameter {name} keeps its default"
            return f"NoEcho parameter {name} has {len(values)} of its {len(variable.values)} possible values"
        named = [v for v in sorted(values, key=_value_order) if v is not OTHER]
        if OTHER in values:
            excluded = sorted((v for v in variable.values if v not in values), key=_value_order)
            text = f"parameter {name} is not {' or '.join(_quote(v) for v in excluded)}"
        else:
            text = f"parameter {name} is {' or '.join(_quote(v) for v in named)}"
        if variable.default is not None and not (values == {variable.default}):
            text += f" (default {_quote(variable.default)})"
        elif variable.default is not None:
            text += " (its default)"
        return text


def _quote(value) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _value_order(value):
    return (value is OTHER, str(value))


def _dedupe(guards) -> list:
    """Guards without repeats and without any that another one contains, in a stable order."""
    unique = list(dict.fromkeys(guards))
    kept = [g for g in unique if not any(h is not g and _contains(h, g) for h in unique)]
    return sorted(kept, key=lambda g: sorted((k[1], sorted(map(str, v))) for k, v in g.items()))


def _contains(outer: Guard, inner: Guard) -> bool:
    """Does ``outer`` admit everything ``inner`` admits (and differ from it)?"""
    if outer == inner:
        return False
    for key, values in outer.items():
        inner_values = inner.get(key)
        if inner_values is None or not inner_values <= values:
            return False
    return True


def scenarios(base: Guard, members, space: Space | None = None):
    """Partition ``base`` by which of ``members`` exist: [(guard, [members that exist there])].

    ``members`` are (item, [guards under which it exists]) pairs (a relation to resources that carry a
    ``Condition``). With no conditional member, one scenario holds them all. The number of scenarios
    is bounded by the variables the members' conditions read."""
    members = list(members)
    conditional = [(item, guards) for item, guards in members if guards != [TRUE]]
    if not conditional:
        return [(base, [item for item, _ in members])]
    space = space or Space()
    keys = sorted({k for _, guards in conditional for g in guards for k in g.keys()}, key=lambda k: (k[1], k[0]))
    domains = [sorted(base.get(k) or space.domain(k), key=_value_order) for k in keys]
    groups = {}
    for combo in itertools.islice(itertools.product(*domains), MAX_LABEL_POINTS):
        assignment = dict(zip(keys, combo))
        present = tuple(i for i, (item, guards) in enumerate(members)
                        if guards == [TRUE] or any(g.holds(assignment) for g in guards))
        point = base
        for key, value in assignment.items():
            point = point.restrict(key, {value}) if point is not None else None
        if point is not None:
            groups.setdefault(present, []).append(point)
    result = []
    for present, points in groups.items():
        for guard in _merge_all(points):
            result.append((guard, [members[i][0] for i in present]))
    return result


def _merge_all(guards) -> list:
    """Merge guards pairwise while two differ in one variable only (exact unions, no widening)."""
    guards = list(dict.fromkeys(guards))
    changed = True
    while changed and len(guards) > 1:
        changed = False
        for i in range(len(guards)):
            for j in range(i + 1, len(guards)):
                merged = merge_guards(guards[i], guards[j])
                if merged is not None:
                    guards = [g for k, g in enumerate(guards) if k not in (i, j)] + [merged]
                    changed = True
                    break
            if changed:
                break
    return guards


# -- capped reads ---------------------------------------------------------------------------------
# A list of branches cut at a bound does not hold every outcome. The engine records, while a check
# runs, which properties it read that way, so a check that passed on what it saw is still told apart
# from a check that saw everything (the cap is never a pass).

# per thread, as core/reading.py's session (a context variable: threading's import is not needed)
_capped = contextvars.ContextVar("lakelint_capped_reads", default=None)


def start_recording() -> list:
    """Collect (resource, path) for every capped read from now until ``stop_recording``."""
    capped = []
    _capped.set(capped)
    return capped


def stop_recording() -> None:
    _capped.set(None)


def note_read(resource, path, branches) -> None:
    capped = _capped.get()
    if capped is not None and any(b.capped for b in branches):
        capped.append((resource, tuple(path)))

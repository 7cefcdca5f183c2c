"""Intrinsic functions: every way a property can turn out, each under the guard where it holds.

A check asks a resource for ``branches("BucketEncryption")`` and gets one ``Branch`` per outcome.
``Fn::If`` follows its condition's definition (scope.py compiles it into guards over the parameters),
``AWS::NoValue`` removes the key or item, a ``Ref`` to a parameter yields one outcome per value of the
parameter's domain, and anything whose content is known only at deploy time becomes an ``Unresolved``
value with the reason why. The result of any intrinsic over an unresolved value is unresolved: a
``Fn::Select`` never picks a character of placeholder text.

Expansion is per property, never the product of every condition in the template. Outcomes that
come out equal are merged (a parameter with 70 allowed values mapped through ``Fn::FindInMap`` to two
algorithms gives two outcomes, not 70), and every intrinsic counts against one budget of work per
property and one per template, so no template makes the evaluator run away: past a bound the
outcome is an ``Unresolved`` value ("more combinations than lakelint evaluates"), and a list cut at
``MAX_BRANCHES`` is marked ``capped`` (the engine then reports that it could not evaluate every
branch: a bound is never a pass).
"""

from __future__ import annotations

import functools
import re

from lakelint.core.branches import TRUE, Branch, merge_guards
from lakelint.core.values import MISSING, LocDict, LocList, Unresolved, pos_of

MAX_BRANCHES = 64  # outcomes of one property handed to a check
MAX_WORK = 20_000  # outcomes built while expanding one property
MAX_TEXT = 200  # characters of a value quoted in a reason
_NO_VALUE = object()  # AWS::NoValue: the key or item is removed
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_PSEUDO = {"AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
           "AWS::StackId", "AWS::NotificationARNs"}
_CONDITION_FUNCTIONS = {"Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not"}


class Exhausted(Exception):
    """The work budget of one expansion (or of the whole template) ran out."""


def unresolved(name: str, reason: str, refs=()) -> Unresolved:
    return Unresolved(f"${{{name}}}", reason, refs)


def malformed(function: str, detail: str) -> Unresolved:
    """A use of an intrinsic CloudFormation itself would reject: the value cannot be verified."""
    return Unresolved(f"${{{function}}}", f"is a malformed {function} ({detail}), which CloudFormation rejects")


class Expander:
    """One expansion: ``property(props, path, base)`` -> [(value, guard, position)]."""

    def __init__(self, scope, keep_parameters: bool = False):
        self.scope = scope
        self.keep_parameters = keep_parameters
        self.capped = False
        self.work = 0

    # -- entry points ----------------------------------------------------------------------------

    def property(self, props, path, base=TRUE) -> list:
        plain = _plain_path(props, path)
        if plain is not None:  # nothing to resolve on the way or below: the value as written
            return [(plain[0], base, plain[1])]
        try:
            outcomes = [(props, base, pos_of(props))]
            for step in path:
                stepped = []
                for value, guard, pos in outcomes:
                    for head, guard2, head_pos in self._heads(value, guard, pos):
                        if isinstance(head, dict) and not _is_intrinsic(head):
                            if step in head:
                                stepped.append((head[step], guard2, pos_of(head, step)))
                            else:  # an absent key has no place of its own: findings go on the resource
                                stepped.append((MISSING, guard2, None))
                        elif isinstance(head, Unresolved):
                            stepped.append((head, guard2, head_pos))
                        else:
                            stepped.append((MISSING, guard2, head_pos))
                outcomes = self._settle(stepped)
            resolved = []
            for value, guard, pos in outcomes:
                if value is MISSING:
                    resolved.append((MISSING, guard, pos))
                else:
                    resolved.extend(self.value(value, guard, pos))
            return self._cap(self._merge(resolved))
        except Exhausted:
            self.capped = True
            return [(unresolved("...", "has more combinations of conditions and parameters than lakelint "
                                       f"evaluates (over {MAX_WORK:,} outcomes)"), base, pos_of(props))]

    def value(self, value, guard, pos, shallow: bool = False) -> list:
        """Every (resolved value, guard, position) of ``value`` within ``guard``."""
        if value.__class__ is str or not getattr(value, "dynamic", True):
            return [(value, guard, pos)]  # text, or a container without an intrinsic inside
        self._spend(1)
        if isinstance(value, dict):
            if len(value) == 1:
                key = next(iter(value))
                if key == "Ref" or key.startswith("Fn::"):
                    return self._settle(self._intrinsic(key, value[key], value, guard, pos, shallow))
            if shallow or not getattr(value, "dynamic", True):
                return [(value, guard, pos)]
            return self._mapping(value, guard, pos)
        if isinstance(value, list):
            if shallow or not getattr(value, "dynamic", True):
                return [(value, guard, pos)]
            return self._sequence(value, guard, pos)
        return [(value, guard, pos)]

    # -- bookkeeping -----------------------------------------------------------------------------

    def _spend(self, amount: int) -> None:
        self.work += amount
        if self.work > MAX_WORK:
            raise Exhausted()
        scope = self.scope
        scope.work_left -= amount
        if scope.work_left < 0:
            raise Exhausted()

    def _merge(self, outcomes: list) -> list:
        """Equal values at the same place whose guards join into one guard become one outcome."""
        if len(outcomes) < 2:
            return outcomes
        groups = {}
        for value, guard, pos in outcomes:
            groups.setdefault((_key(value), pos), []).append((value, guard, pos))
        if len(groups) == len(outcomes):
            return outcomes
        merged = []
        for group in groups.values():
            guards = [g for _, g, _ in group]
            guards = self._join(guards)
            value, _, pos = group[0]
            merged.extend((value, g, pos) for g in guards)
        return merged

    def _join(self, guards: list) -> list:
        guards = list(dict.fromkeys(guards))
        changed = True
        while changed and len(guards) > 1:
            changed = False
            for i in range(len(guards)):
                for j in range(i + 1, len(guards)):
                    joined = merge_guards(guards[i], guards[j])
                    if joined is not None:
                        guards = [g for k, g in enumerate(guards) if k not in (i, j)] + [self.scope.normalise(joined)]
                        changed = True
                        break
                if changed:
                    break
        return guards

    def _cap(self, outcomes: list) -> list:
        if len(outcomes) > MAX_BRANCHES:
            self.capped = True
            return outcomes[:MAX_BRANCHES]
        return outcomes

    def _settle(self, outcomes: list) -> list:
        """Merged, and within the bound every intermediate list keeps too."""
        outcomes = self._merge(outcomes)
        if len(outcomes) > MAX_BRANCHES * 4:
            self.capped = True
            return outcomes[:MAX_BRANCHES * 4]
        return outcomes

    def _heads(self, value, guard, pos):
        """Resolve only the top of ``value`` (an intrinsic such as Fn::If or Ref), enough to step into
        it; what cannot be resolved comes back Unresolved, never as absent."""
        if isinstance(value, dict) and _is_intrinsic(value):
            return [(MISSING if v is _NO_VALUE else v, g, p) for v, g, p in self.value(value, guard, pos, shallow=True)]
        return [(value, guard, pos)]

    # -- containers ------------------------------------------------------------------------------

    def _mapping(self, node, guard, pos):
        choices = []  # per key: [(resolved, guard, position)]
        single = True
        for key, child in node.items():
            child_pos = pos_of(node, key)
            outcomes = self.value(child, guard, child_pos)
            choices.append((key, child, child_pos, outcomes))
            if len(outcomes) != 1 or outcomes[0][0] is not child or outcomes[0][1] is not guard:
                single = False
        if single:
            return [(node, guard, pos)]
        partials = [([], guard)]
        for key, child, child_pos, outcomes in choices:
            grown = []
            for picked, guard1 in partials:
                for resolved, guard2, rpos in outcomes:
                    joint = guard1 if guard2 is guard else guard1 & guard2
                    if joint is None:
                        continue
                    self._spend(1)
                    grown.append((picked + [(key, resolved, rpos or child_pos)], joint))
            partials = grown
            if len(partials) > MAX_BRANCHES * 4:
                self.capped = True
                partials = partials[:MAX_BRANCHES * 4]
        return [(self._built_mapping(node, picked), joint, pos) for picked, joint in partials]

    @staticmethod
    def _built_mapping(node, picked) -> LocDict:
        built = LocDict()
        built.pos = getattr(node, "pos", None)
        key_pos = getattr(node, "key_pos", {})
        for key, resolved, rpos in picked:
            if resolved is _NO_VALUE:
                continue
            built[key] = resolved
            built.key_pos[key] = key_pos.get(key, built.pos)
            built.val_pos[key] = rpos
        return built

    def _sequence(self, node, guard, pos):
        choices = []
        single = True
        for index, item in enumerate(node):
            item_pos = pos_of(node, index)
            outcomes = self.value(item, guard, item_pos)
            choices.append((item_pos, outcomes))
            if len(outcomes) != 1 or outcomes[0][0] is not item or outcomes[0][1] is not guard:
                single = False
        if single:
            return [(node, guard, pos)]
        partials = [([], guard)]
        for item_pos, outcomes in choices:
            grown = []
            for picked, guard1 in partials:
                for resolved, guard2, rpos in outcomes:
                    joint = guard1 if guard2 is guard else guard1 & guard2
                    if joint is None:
                        continue
                    self._spend(1)
                    grown.append((picked + [(resolved, rpos or item_pos)], joint))
            partials = grown
            if len(partials) > MAX_BRANCHES * 4:
                self.capped = True
                partials = partials[:MAX_BRANCHES * 4]
        result = []
        for picked, joint in partials:
            built = LocList()
            built.pos = getattr(node, "pos", None)
            for resolved, rpos in picked:
                if resolved is not _NO_VALUE:
                    built.append(resolved)
                    built.item_pos.append(rpos)
            result.append((built, joint, pos))
        return result

    # -- intrinsic functions ---------------------------------------------------------------------

    def _intrinsic(self, key, arg, node, guard, pos, shallow):
        if key == "Ref":
            return self._ref(arg, guard, pos_of(node) or pos)
        if key == "Fn::If":
            return self._if(arg, guard, pos, shallow)
        if key in _CONDITION_FUNCTIONS:
            return [(unresolved(key, f"is {key}, which CloudFormation allows only in Conditions"), guard, pos)]
        handler = getattr(self, "_fn_" + key[4:].lower(), None)
        if handler is None:
            return [(unresolved(key, f"is computed by {key} only at deploy time"), guard, pos)]
        return handler(arg, guard, pos)

    def _each(self, value, guard, pos):
        """Outcomes of an argument (never shallow)."""
        return self.value(value, guard, pos)

    def _pairs(self, first, second, guard, pos):
        """Joint outcomes of two arguments: [(a, b, guard)]."""
        result = []
        for a, guard1, _ in self._each(first, guard, pos):
            for b, guard2, _ in self._each(second, guard1, pos):
                result.append((a, b, guard2))
        return result

    def _if(self, arg, guard, pos, shallow):
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            return [(malformed("Fn::If", "it takes a condition name and two values"), guard, pos)]
        when_true, when_false = self.scope.condition_guards(arg[0])
        outcomes = []
        for side, guards in ((1, when_true), (2, when_false)):
            chosen = arg[side]
            chosen_pos = pos_of(arg, side) or pos
            for condition_guard in guards:
                joint = guard & condition_guard
                if joint is None:
                    continue
                if isinstance(chosen, dict) and len(chosen) == 1 and chosen.get("Ref") == "AWS::NoValue":
                    outcomes.append((_NO_VALUE, joint, chosen_pos))
                elif shallow:
                    outcomes.extend(self._heads(chosen, joint, chosen_pos))
                else:
                    outcomes.extend(self.value(chosen, joint, chosen_pos))
        return outcomes

    def _ref(self, name, guard, pos):
        if not isinstance(name, str):
            return [(malformed("Ref", "it takes a name"), guard, pos)]
        if name == "AWS::NoValue":
            return [(_NO_VALUE, guard, pos)]
        if name in self.scope.pseudo:  # a deployed stack's own region, account, name
            return [(self.scope.pseudo[name], guard, pos)]
        if name in _PSEUDO or name.startswith("AWS::"):
            return [(unresolved(name, f"is the pseudo parameter {name}, known only at deploy time", {name}), guard, pos)]
        if name in self.scope.parameters:
            if self.keep_parameters:
                return [(unresolved(name, f"comes from parameter {name}", {name}), guard, pos)]
            return [(value, guard2, pos) for value, guard2 in self.scope.parameter_outcomes(name, guard)]
        if name in self.scope.resources:
            return [(unresolved(name, f"is the id of resource {name}, known only at deploy time", {name}), guard, pos)]
        return [(unresolved(name, f"refers to {_clip(name)}, which the template does not define", {name}), guard, pos)]

    def _fn_getatt(self, arg, guard, pos):
        if isinstance(arg, list) and len(arg) == 2 and all(isinstance(p, str) for p in arg):
            text = f"{arg[0]}.{arg[1]}"
            return [(unresolved(text, f"is !GetAtt {_clip(text)}, known only at deploy time", {arg[0]}), guard, pos)]
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            return [(unresolved(f"{arg[0]}.*", f"is a !GetAtt of {_clip(arg[0])}, known only at deploy time",
                                {arg[0]}), guard, pos)]
        return [(malformed("Fn::GetAtt", "it takes a resource and an attribute"), guard, pos)]

    def _fn_importvalue(self, arg, guard, pos):
        return [(unresolved("Fn::ImportValue", "is imported from another stack (Fn::ImportValue)"), guard, pos)]

    def _fn_getazs(self, arg, guard, pos):
        return [(unresolved("Fn::GetAZs", "is the list of Availability Zones, known only at deploy time"), guard, pos)]

    def _fn_cidr(self, arg, guard, pos):
        return [(unresolved("Fn::Cidr", "is a list of CIDR blocks computed at deploy time"), guard, pos)]

    def _fn_transform(self, arg, guard, pos):
        name = arg.get("Name") if isinstance(arg, dict) else None
        return [(unresolved("Fn::Transform", f"is produced by the macro {_clip(name)!s} at deploy time"), guard, pos)]

    def _fn_base64(self, arg, guard, pos):
        return self._each(arg, guard, pos)

    def _fn_sub(self, arg, guard, pos):
        if isinstance(arg, str):
            text, variables = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            text, variables = arg
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            return [(unresolved("Fn::Sub", "substitutes into a text known only at deploy time"), guard, pos)]
        else:
            return [(malformed("Fn::Sub", "it takes a text, or a text and a mapping of variables"), guard, pos)]
        names, template = _sub_template(text)
        partials = [({}, guard)]
        for name in names:
            grown = []
            for bound, guard1 in partials:
                for resolved, guard2 in self._sub_name(name, variables, guard1, pos):
                    self._spend(1)
                    grown.append(({**bound, name: resolved}, guard2))
            partials = grown[:MAX_BRANCHES * 4]
            if len(grown) > MAX_BRANCHES * 4:
                self.capped = True
        outcomes = []
        for bound, guard1 in partials:
            pending = [v for v in bound.values() if isinstance(v, Unresolved)]
            pieces = [bound[piece[0]] if piece.__class__ is tuple else piece for piece in template]
            if pending:
                refs = set().union(*(u.refs for u in pending))
                outcomes.append((_pieced(pieces, pending[0].reason, refs), guard1, pos))
            else:
                outcomes.append(("".join(map(str, pieces)), guard1, pos))
        return outcomes

    def _sub_name(self, name, variables, guard, pos):
        if name in variables:
            return [(_stringify(v), g) for v, g, _ in self._each(variables[name], guard, pos)]
        head = name.split(".", 1)[0]
        if "." in name and head in self.scope.resources:
            return [(unresolved(name, f"is !GetAtt {_clip(name)}, known only at deploy time", {head}), guard)]
        return [(_stringify(v), g) for v, g, _ in self._ref(name, guard, pos)]

    def _fn_join(self, arg, guard, pos):
        if not (isinstance(arg, list) and len(arg) == 2):
            return [(malformed("Fn::Join", "it takes a delimiter and a list"), guard, pos)]
        outcomes = []
        for delimiter, items, guard1 in self._pairs(arg[0], arg[1], guard, pos):
            if isinstance(delimiter, Unresolved) or isinstance(items, Unresolved):
                cause = delimiter if isinstance(delimiter, Unresolved) else items
                outcomes.append((unresolved("Fn::Join", cause.reason, cause.refs), guard1, pos))
                continue
            if not isinstance(delimiter, str) or not isinstance(items, list):
                outcomes.append((malformed("Fn::Join", "it takes a text delimiter and a list"), guard1, pos))
                continue
            parts = [_stringify(i) for i in items]
            text = delimiter.join(parts)
            pending = [p for p in parts if isinstance(p, Unresolved)]
            if pending:
                refs = set().union(*(u.refs for u in pending))
                pieces = [piece for i, part in enumerate(parts) for piece in ((delimiter, part) if i else (part,))]
                outcomes.append((_pieced(pieces, pending[0].reason, refs), guard1, pos))
            else:
                outcomes.append((text, guard1, pos))
        return outcomes

    def _fn_select(self, arg, guard, pos):
        if not (isinstance(arg, list) and len(arg) == 2):
            return [(malformed("Fn::Select", "it takes an index and a list"), guard, pos)]
        outcomes = []
        for index, items, guard1 in self._pairs(arg[0], arg[1], guard, pos):
            if isinstance(index, Unresolved) or isinstance(items, Unresolved):
                cause = index if isinstance(index, Unresolved) else items
                outcomes.append((unresolved("Fn::Select", f"is picked by Fn::Select from a value that {cause.reason}",
                                            cause.refs), guard1, pos))
                continue
            number = _index(index)
            if not isinstance(items, list):
                outcomes.append((malformed("Fn::Select", "its second argument is not a list"), guard1, pos))
            elif number is None:
                outcomes.append((malformed("Fn::Select", f"index {_clip(index)} is not a whole number"), guard1, pos))
            elif not 0 <= number < len(items):
                outcomes.append((malformed("Fn::Select", f"index {number} is out of range for {len(items)} items"),
                                 guard1, pos))
            else:
                picked = items[number]
                outcomes.append((picked, guard1, pos_of(items, number) or pos))
        return outcomes

    def _fn_split(self, arg, guard, pos):
        if not (isinstance(arg, list) and len(arg) == 2):
            return [(malformed("Fn::Split", "it takes a delimiter and a text"), guard, pos)]
        outcomes = []
        for delimiter, text, guard1 in self._pairs(arg[0], arg[1], guard, pos):
            if isinstance(delimiter, Unresolved) or isinstance(text, Unresolved):
                cause = delimiter if isinstance(delimiter, Unresolved) else text
                result = unresolved("Fn::Split", f"is split from a value that {cause.reason}", cause.refs)
                if cause is text:
                    result.split_from = text  # each item is a piece of that text (its ARN's account, say)
                outcomes.append((result, guard1, pos))
            elif not isinstance(delimiter, str) or not delimiter:
                outcomes.append((malformed("Fn::Split", "its delimiter is empty or not text"), guard1, pos))
            elif not isinstance(text, str):
                outcomes.append((malformed("Fn::Split", "it splits something that is not text"), guard1, pos))
            else:
                outcomes.append((text.split(delimiter), guard1, pos))
        return outcomes

    def _fn_length(self, arg, guard, pos):
        outcomes = []
        for items, guard1, _ in self._each(arg, guard, pos):
            if isinstance(items, Unresolved):
                outcomes.append((unresolved("Fn::Length", f"counts a list that {items.reason}", items.refs), guard1, pos))
            elif isinstance(items, list):
                outcomes.append((len(items), guard1, pos))
            else:
                outcomes.append((malformed("Fn::Length", "it counts something that is not a list"), guard1, pos))
        return outcomes

    def _fn_tojsonstring(self, arg, guard, pos):
        import json  # here only: Fn::ToJsonString is rare, and a template run needs json for nothing else

        outcomes = []
        for document, guard1, _ in self._each(arg, guard, pos):
            pending = _first_unresolved(document)
            text = json.dumps(_plain(document), separators=(",", ":"))
            if pending is not None:
                outcomes.append((Unresolved(text, pending.reason, pending.refs), guard1, pos))
            else:
                outcomes.append((text, guard1, pos))
        return outcomes

    def _fn_findinmap(self, arg, guard, pos):
        if not (isinstance(arg, list) and len(arg) in (3, 4)):
            return [(malformed("Fn::FindInMap", "it takes a mapping, two keys and an optional DefaultValue"), guard, pos)]
        default = MISSING
        if len(arg) == 4:
            if not (isinstance(arg[3], dict) and set(arg[3]) == {"DefaultValue"}):
                return [(malformed("Fn::FindInMap", "its fourth argument must be {DefaultValue: ...}"), guard, pos)]
            default = arg[3]["DefaultValue"]
        outcomes = []
        for name, guard1, _ in self._each(arg[0], guard, pos):
            for top, second, guard2 in self._pairs(arg[1], arg[2], guard1, pos):
                found = self._lookup(name, top, second, default)
                if isinstance(found, tuple):  # a default value, itself possibly an intrinsic
                    outcomes.extend(self._each(found[0], guard2, pos))
                else:
                    outcomes.append((found, guard2, pos))
        return outcomes

    def _lookup(self, name, top, second, default):
        if isinstance(name, Unresolved):
            return unresolved("Fn::FindInMap", f"looks up a mapping whose name {name.reason}", name.refs)
        mapping = self.scope.mappings.get(name) if isinstance(name, str) else None
        if not isinstance(mapping, dict):
            return unresolved("Fn::FindInMap", f"looks up mapping {_clip(name)}, which the template does not define")
        if isinstance(top, Unresolved):
            entries = [entry for entry in mapping.values() if isinstance(entry, dict)]
        else:
            entry = mapping.get(_key_text(top))
            entries = [entry] if isinstance(entry, dict) else []
        if isinstance(second, Unresolved):
            candidates = [value for entry in entries for value in entry.values()]
        else:
            candidates = [entry.get(_key_text(second), MISSING) for entry in entries]
        if not isinstance(top, Unresolved) and not isinstance(second, Unresolved):
            if not candidates or candidates[0] is MISSING:
                if default is not MISSING:
                    return (default,)
                return malformed("Fn::FindInMap", f"mapping {_clip(name)} has no {_clip(top)}/{_clip(second)}")
            return candidates[0]
        if candidates and all(c is not MISSING and _key(c) == _key(candidates[0]) for c in candidates):
            return candidates[0]
        cause = top if isinstance(top, Unresolved) else second
        return unresolved("Fn::FindInMap", f"is looked up in mapping {_clip(name)} with a key that {cause.reason}",
                          cause.refs)


# -- helpers ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _sub_template(text: str) -> tuple:
    """A ``Fn::Sub`` text taken apart once: (its variables' names, in the order they first appear;
    its pieces: literal text between them and, for each ``${Name}``, ``(Name,)`` to fill in; a
    ``${!Literal}`` is the literal ``${Literal}``). Templates repeat their Sub texts (ARNs, bucket
    names) across resources and files, and each was scanned twice per branch."""
    pieces, last = [], 0
    for match in _SUB_VAR.finditer(text):
        name = match.group(1)
        pieces += [text[last:match.start()], "${" + name[1:] + "}" if name.startswith("!") else (name,)]
        last = match.end()
    pieces.append(text[last:])
    names = tuple(dict.fromkeys(piece[0] for piece in pieces if piece.__class__ is tuple))
    return names, tuple(pieces)


def _plain_path(props, path):
    """(value, position) at ``path`` when no intrinsic stands on the way or inside the value, else None.

    Most properties hold no intrinsic at all: they are returned as written, without copying or
    expanding anything (the loader marks every container that holds an intrinsic ``dynamic``)."""
    value, pos = props, pos_of(props)
    for step in path:
        if not isinstance(value, dict) or (len(value) == 1 and _is_intrinsic(value)):
            return None
        if step not in value:
            return (MISSING, None)
        value, pos = value[step], pos_of(value, step)
    if isinstance(value, (dict, list)):
        if getattr(value, "dynamic", True):
            return None
    return (value, pos)


def _is_intrinsic(value) -> bool:
    if len(value) != 1:
        return False
    key = next(iter(value))
    return key == "Ref" or key.startswith("Fn::")


def _key(value):
    """A hashable stand-in for a resolved value, so equal outcomes can be merged."""
    if value is MISSING or value is _NO_VALUE:
        return (id(value),)
    if isinstance(value, Unresolved):
        return ("u", str(value), value.reason)
    if isinstance(value, dict):
        return ("d", tuple((k, _key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("l", tuple(_key(v) for v in value))
    return (type(value).__name__, value)


def _index(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 12:
        return int(value)
    return None


def _key_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _stringify(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is _NO_VALUE or value is MISSING:
        return Unresolved("${AWS::NoValue}", "is AWS::NoValue used as text")
    return Unresolved("${...}", "is not text but is used as text")


def _pieced(pieces, reason: str, refs) -> Unresolved:
    """Text joined from known text and unknown values (``Fn::Sub``, ``Fn::Join``): an Unresolved whose
    ``parts`` keep the pieces in order, unknown ones as themselves. A check that judges one piece
    reads it there (the account of an ARN, a parameter's ``AllowedPattern`` in a bucket name) instead
    of blaming the first unknown piece, which ``reason`` names."""
    flat, text = [], []
    for piece in pieces:
        if not isinstance(piece, Unresolved):
            text.append(str(piece))
            continue
        if text:
            flat.append("".join(text))
            text = []
        inner = getattr(piece, "parts", None)
        if inner is None:
            flat.append(piece)
            continue
        for part in inner:  # a Sub or Join inside: its pieces, merged with the text around them
            if not isinstance(part, Unresolved):
                text.append(part)
            else:
                if text:
                    flat.append("".join(text))
                    text = []
                flat.append(part)
    if text:
        flat.append("".join(text))
    flat = [piece for piece in flat if piece != "" or isinstance(piece, Unresolved)]
    value = Unresolved("".join(flat), reason, refs)
    value.parts = tuple(flat)
    return value


def _clip(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 3] + "..."


def _first_unresolved(value):
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, dict):
        for child in value.values():
            found = _first_unresolved(child)
            if found is not None:
                return found
    elif isinstance(value, list):
        for child in value:
            found = _first_unresolved(child)
            if found is not None:
                return found
    return None


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not _NO_VALUE}
    if isinstance(value, list):
        return [_plain(v) for v in value if v is not _NO_VALUE]
    if isinstance(value, Unresolved):
        return str(value)
    if value is MISSING or value is _NO_VALUE:
        return None
    return value


def branches_of(expander: Expander, outcomes: list, space) -> list:
    """Outcomes as the ``Branch`` records checks see."""
    return [Branch(MISSING if v is _NO_VALUE else v, g, p, expander.capped, space) for v, g, p in outcomes]

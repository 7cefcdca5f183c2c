"""Per-property branch expansion: every way a property can turn out once intrinsics are applied.

A check asks a resource for ``branches("BucketEncryption")`` and gets one ``Branch`` per outcome:
``Fn::If`` contributes both of its branches (``AWS::NoValue`` removes the key or item), a ``Ref`` to a
parameter contributes one branch per ``AllowedValues`` entry (or its ``Default``), and anything whose
content is only known at deploy time becomes an ``Unresolved`` value with the reason why.

Expansion is per property, never the product of every condition in the template (that is how global
condition solvers end up running for half an hour), and it is consistent: once a branch assumes
``IsProd=true`` every nested ``Fn::If [IsProd, ...]`` in it takes the same side. The number of branches
one property may produce is capped (``MAX_BRANCHES``); a capped expansion says so in its branches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lakelint.core.branches import DEFAULT_MARK, Branch
from lakelint.core.values import MISSING, LocDict, LocList, Unresolved, pos_of

MAX_BRANCHES = 64
_NO_VALUE = object()  # AWS::NoValue: the key or item is removed
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_PSEUDO = {"AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
           "AWS::StackId", "AWS::NotificationARNs"}


@dataclass
class Scope:
    """What a template offers to resolve intrinsics: its parameters, mappings, conditions, resources."""

    parameters: dict = field(default_factory=dict)
    mappings: dict = field(default_factory=dict)
    conditions: dict = field(default_factory=dict)
    resources: frozenset = frozenset()

    def expand(self, props, path=(), keep_parameters: bool = False) -> list:
        """The branches of ``props`` at ``path``; with ``keep_parameters``, a ``Ref`` to a parameter stays
        an Unresolved value that names it instead of branching over its values."""
        scope = self
        if keep_parameters:
            scope = Scope(parameters={}, mappings=self.mappings, conditions=self.conditions,
                          resources=self.resources | frozenset(self.parameters))
        return Expander(scope).property(props, path)


def _lookup(assumptions, name):
    for key, value in assumptions:
        if key == name:
            return value
    return None


class Expander:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.capped = False

    def property(self, props, path) -> list:
        outcomes = [(props, (), pos_of(props))]
        for step in path:
            stepped = []
            for value, asm, pos in outcomes:
                for head, asm2, head_pos in self._heads(value, asm, pos):
                    if isinstance(head, dict) and not _is_intrinsic(head):
                        child = head.get(step, MISSING)
                        child_pos = pos_of(head, step) if step in head else None
                        stepped.append((child, asm2, child_pos))
                    elif isinstance(head, Unresolved):
                        stepped.append((head, asm2, head_pos))
                    else:
                        stepped.append((MISSING, asm2, head_pos))
            outcomes = self._cap(stepped)
        branches = []
        for value, asm, pos in outcomes:
            if value is MISSING:
                branches.append((MISSING, asm, pos))
            else:
                branches.extend(self.value(value, asm, pos))
        return [Branch(MISSING if v is _NO_VALUE else v, a, p, self.capped) for v, a, p in self._cap(branches)]

    def _cap(self, outcomes):
        if len(outcomes) > MAX_BRANCHES:
            self.capped = True
            return outcomes[:MAX_BRANCHES]
        return outcomes

    def _heads(self, value, asm, pos):
        """Resolve only the top of ``value`` (any intrinsic: Fn::If, Ref, Fn::ImportValue, ...), enough
        to step into it; what cannot be resolved comes back Unresolved, never as absent."""
        if isinstance(value, dict) and _is_intrinsic(value):
            return [(v if v is not _NO_VALUE else MISSING, a, p) for v, a, p in self.value(value, asm, pos, shallow=True)]
        return [(value, asm, pos)]

    # -- full expansion --------------------------------------------------------------------------

    def value(self, value, asm, pos, shallow=False) -> list:
        """All (resolved value, assumptions, position) outcomes of ``value``."""
        if isinstance(value, dict):
            if len(value) == 1:
                key = next(iter(value))
                if key == "Ref" or key.startswith("Fn::"):
                    return self._intrinsic(key, value[key], value, asm, pos, shallow)
            if not getattr(value, "dynamic", True) or shallow:
                return [(value, asm, pos)]
            return self._mapping(value, asm, pos)
        if isinstance(value, list):
            if not getattr(value, "dynamic", True) or shallow:
                return [(value, asm, pos)]
            return self._sequence(value, asm, pos)
        return [(value, asm, pos)]

    def _mapping(self, value, asm, pos):
        partials = [(LocDict(), asm)]
        for key, child in value.items():
            child_pos = pos_of(value, key)
            grown = []
            for built, asm1 in partials:
                for resolved, asm2, rpos in self.value(child, asm1, child_pos):
                    copy = _copy_dict(built, value)
                    if resolved is not _NO_VALUE:
                        copy[key] = resolved
                        copy.key_pos[key] = value.key_pos.get(key, pos)
                        copy.val_pos[key] = rpos or child_pos
                    grown.append((copy, asm2))
            partials = self._cap(grown)
        return [(built, a, pos) for built, a in partials]

    def _sequence(self, value, asm, pos):
        partials = [(LocList(), asm)]
        for index, item in enumerate(value):
            item_pos = pos_of(value, index)
            grown = []
            for built, asm1 in partials:
                for resolved, asm2, rpos in self.value(item, asm1, item_pos):
                    copy = _copy_list(built, value)
                    if resolved is not _NO_VALUE:
                        copy.append(resolved)
                        copy.item_pos.append(rpos or item_pos)
                    grown.append((copy, asm2))
            partials = self._cap(grown)
        return [(built, a, pos) for built, a in partials]

    # -- intrinsic functions ---------------------------------------------------------------------

    def _intrinsic(self, key, arg, node, asm, pos, shallow):
        if key == "Ref":
            return self._ref(arg, asm, pos_of(node) or pos)
        if key == "Fn::If":
            return self._if(arg, asm, pos, shallow)
        handler = getattr(self, "_fn_" + key[4:].lower(), None)
        if handler is None:
            return [(Unresolved(f"${{{key}}}", f"is computed by {key} only at deploy time"), asm, pos)]
        return handler(arg, asm, pos)

    def _if(self, arg, asm, pos, shallow):
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            return [(Unresolved("${Fn::If}", "is a malformed Fn::If"), asm, pos)]
        condition = arg[0]
        known = _lookup(asm, condition)
        sides = [known == "true"] if known is not None else [True, False]
        outcomes = []
        for side in sides:
            chosen = arg[1] if side else arg[2]
            chosen_pos = pos_of(arg, 1 if side else 2) or pos
            asm2 = asm if known is not None else asm + ((condition, "true" if side else "false"),)
            if isinstance(chosen, dict) and chosen.get("Ref") == "AWS::NoValue" and len(chosen) == 1:
                outcomes.append((_NO_VALUE, asm2, chosen_pos))
            elif shallow:
                outcomes.extend(self._heads(chosen, asm2, chosen_pos))
            else:
                outcomes.extend(self.value(chosen, asm2, chosen_pos))
        return outcomes

    def _ref(self, name, asm, pos):
        if not isinstance(name, str):
            return [(Unresolved("${Ref}", "is a malformed Ref"), asm, pos)]
        if name == "AWS::NoValue":
            return [(_NO_VALUE, asm, pos)]
        if name in _PSEUDO or name.startswith("AWS::"):
            return [(Unresolved(f"${{{name}}}", f"is the pseudo parameter {name}, known only at deploy time", {name}), asm, pos)]
        param = self.scope.parameters.get(name)
        if param is not None:
            return self._parameter(name, param, asm, pos)
        if name in self.scope.resources:
            return [(Unresolved(f"${{{name}}}", f"is the id of resource {name}, known only at deploy time",
                                {name}), asm, pos)]
        return [(Unresolved(f"${{{name}}}", f"refers to {name}, which the template does not define", {name}), asm, pos)]

    def _parameter(self, name, param, asm, pos):
        known = _lookup(asm, name)
        if known is not None:  # the assumption's text may carry the default mark; the value does not
            return [(_param_value(param, known.removesuffix(DEFAULT_MARK)), asm, pos)]
        allowed = param.get("AllowedValues") if isinstance(param, dict) else None
        if isinstance(allowed, list) and allowed:
            return [(_param_value(param, _text(v)), asm + ((name, _text(v)),), pos) for v in allowed]
        default = param.get("Default", MISSING) if isinstance(param, dict) else MISSING
        if default is not MISSING and default is not None:
            text = _text(default)
            return [(_param_value(param, text), asm + ((name, text + DEFAULT_MARK),), pos)]
        return [(Unresolved(f"${{{name}}}", f"comes from parameter {name}, which has no AllowedValues or Default",
                            {name}), asm, pos)]

    def _fn_getatt(self, arg, asm, pos):
        if isinstance(arg, list) and len(arg) == 2 and all(isinstance(p, str) for p in arg):
            text = f"{arg[0]}.{arg[1]}"
            return [(Unresolved(f"${{{text}}}", f"is !GetAtt {text}, known only at deploy time", {arg[0]}), asm, pos)]
        return [(Unresolved("${Fn::GetAtt}", "is a !GetAtt, known only at deploy time"), asm, pos)]

    def _fn_importvalue(self, arg, asm, pos):
        return [(Unresolved("${Fn::ImportValue}", "is imported from another stack (Fn::ImportValue)"), asm, pos)]

    def _fn_sub(self, arg, asm, pos):
        if isinstance(arg, str):
            text, variables = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            text, variables = arg
        else:
            return [(Unresolved("${Fn::Sub}", "is a malformed Fn::Sub"), asm, pos)]
        names = [n for n in _SUB_VAR.findall(text) if not n.startswith("!")]
        # each name resolves to one or more strings; combine consistently
        partials = [({}, asm)]
        for name in dict.fromkeys(names):
            grown = []
            for bound, asm1 in partials:
                for resolved, asm2, _ in self._sub_name(name, variables, asm1, pos):
                    grown.append(({**bound, name: resolved}, asm2))
            partials = self._cap(grown)
        outcomes = []
        for bound, asm1 in partials:
            unresolved = [v for v in bound.values() if isinstance(v, Unresolved)]

            def replace(match, bound=bound):
                name = match.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                value = bound[name]
                return value if isinstance(value, str) else _text(value)

            result = _SUB_VAR.sub(replace, text)
            if unresolved:
                refs = set().union(*(u.refs for u in unresolved))
                outcomes.append((Unresolved(result, unresolved[0].reason, refs), asm1, pos))
            else:
                outcomes.append((result, asm1, pos))
        return outcomes

    def _sub_name(self, name, variables, asm, pos):
        if name in variables:
            return [(_stringify(v), a, p) for v, a, p in self.value(variables[name], asm, pos)]
        if "." in name and name.split(".", 1)[0] in self.scope.resources:
            return [(Unresolved(f"${{{name}}}", f"is !GetAtt {name}, known only at deploy time", {name.split('.')[0]}), asm, pos)]
        return [(_stringify(v), a, p) for v, a, p in self._ref(name, asm, pos)]

    def _fn_join(self, arg, asm, pos):
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            return [(Unresolved("${Fn::Join}", "is a malformed Fn::Join"), asm, pos)]
        delimiter = arg[0]
        outcomes = []
        for items, asm1, _ in self.value(arg[1], asm, pos):
            if isinstance(items, Unresolved) or not isinstance(items, list):
                outcomes.append((Unresolved("${Fn::Join}", getattr(items, "reason", "joins a list known only at deploy time")), asm1, pos))
                continue
            parts = [_stringify(i) for i in items]
            text = delimiter.join(parts)
            unresolved = [p for p in parts if isinstance(p, Unresolved)]
            if unresolved:
                refs = set().union(*(u.refs for u in unresolved))
                outcomes.append((Unresolved(text, unresolved[0].reason, refs), asm1, pos))
            else:
                outcomes.append((text, asm1, pos))
        return outcomes

    def _fn_select(self, arg, asm, pos):
        if not (isinstance(arg, list) and len(arg) == 2):
            return [(Unresolved("${Fn::Select}", "is a malformed Fn::Select"), asm, pos)]
        outcomes = []
        for index, asm1, _ in self.value(arg[0], asm, pos):
            for items, asm2, _ in self.value(arg[1], asm1, pos):
                try:
                    outcomes.append((items[int(index)], asm2, pos))
                except (ValueError, TypeError, IndexError):
                    outcomes.append((Unresolved("${Fn::Select}", "is picked by Fn::Select from a list known only at deploy time"), asm2, pos))
        return outcomes

    def _fn_split(self, arg, asm, pos):
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            return [(Unresolved("${Fn::Split}", "is a malformed Fn::Split"), asm, pos)]
        outcomes = []
        for text, asm1, _ in self.value(arg[1], asm, pos):
            if isinstance(text, str) and not isinstance(text, Unresolved):
                outcomes.append((text.split(arg[0]), asm1, pos))
            else:
                outcomes.append((Unresolved("${Fn::Split}", getattr(text, "reason", "is split from a value known only at deploy time")), asm1, pos))
        return outcomes

    def _fn_findinmap(self, arg, asm, pos):
        if not (isinstance(arg, list) and len(arg) >= 3):
            return [(Unresolved("${Fn::FindInMap}", "is a malformed Fn::FindInMap"), asm, pos)]
        outcomes = []
        for name, asm1, _ in self.value(arg[0], asm, pos):
            for top, asm2, _ in self.value(arg[1], asm1, pos):
                for second, asm3, _ in self.value(arg[2], asm2, pos):
                    outcomes.append((self._map_lookup(name, top, second), asm3, pos))
        return outcomes

    def _map_lookup(self, name, top, second):
        mapping = self.scope.mappings.get(name) if isinstance(name, str) else None
        if not isinstance(mapping, dict):
            return Unresolved("${Fn::FindInMap}", f"looks up mapping {name}, which the template does not define")
        if isinstance(top, Unresolved):
            candidates = [entry.get(second, MISSING) for entry in mapping.values() if isinstance(entry, dict)]
        else:
            candidates = [mapping.get(top, {}).get(second, MISSING) if isinstance(mapping.get(top), dict) else MISSING]
        if isinstance(second, Unresolved):
            return Unresolved("${Fn::FindInMap}", second.reason)
        if candidates and all(c == candidates[0] for c in candidates) and candidates[0] is not MISSING:
            return candidates[0]
        return Unresolved("${Fn::FindInMap}", f"is looked up in mapping {name} with a key known only at deploy time")

    def _fn_base64(self, arg, asm, pos):
        return self.value(arg, asm, pos)


def _is_intrinsic(value) -> bool:
    if len(value) != 1:
        return False
    key = next(iter(value))
    return key == "Ref" or key.startswith("Fn::")


def _copy_dict(built: LocDict, original) -> LocDict:
    copy = LocDict(built)
    copy.pos = getattr(original, "pos", None)
    copy.key_pos = dict(built.key_pos)
    copy.val_pos = dict(built.val_pos)
    return copy


def _copy_list(built: LocList, original) -> LocList:
    copy = LocList(built)
    copy.pos = getattr(original, "pos", None)
    copy.item_pos = list(built.item_pos)
    return copy


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _stringify(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return _text(value)
    return Unresolved("${...}", "is not text but is used as text")


def _param_value(param, text):
    kind = param.get("Type", "String") if isinstance(param, dict) else "String"
    if isinstance(kind, str) and (kind.startswith("List<") or kind == "CommaDelimitedList"):
        return [part.strip() for part in text.split(",")]
    return text

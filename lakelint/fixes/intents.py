"""What a check asks a fix to do, in terms of the template's structure, never of its text.

Paths are tuples of keys from the resource: ``("Properties", "VersioningConfiguration", "Status")`` or,
for an attribute, ``("DeletionPolicy",)``; an integer step is an item of a list as the template writes
it (``("Properties", "Replicas", 1, "DeletionProtectionEnabled")``: a DynamoDB global table's second
replica). A check builds intents with the helpers below and attaches
them to a verdict::

    yield fail("versioning is not enabled", fix=set_property("VersioningConfiguration.Status", "Enabled"))

The fixer resolves them against the file (edit.py). An intent on a property that does not exist yet
creates it (and the mappings above it), in the file's style. A value may hold intrinsic functions
(``Intrinsic``: ``ref``, ``get_att``, ``sub``), written as the file writes its own; an intent may change
another resource than the finding's (``target``: the bucket policy that holds a bucket's statements).

The records are plain classes, not dataclasses: see lakelint/core/records.py.
"""

from __future__ import annotations

import sys
import zlib

from lakelint.core.records import FrozenRecord, init_field


class Intent(FrozenRecord):
    """One change to one resource (or, with ``resource=None``, to the template's Resources)."""

    __slots__ = _fields = ("kind", "path", "value", "description", "target")

    def __init__(self, kind: str, path: tuple, value: object, description: str, target: str | None = None):
        init_field(self, "kind", kind)  # "set", "ensure", "append", "add-resource"
        init_field(self, "path", path)  # from the resource: ("Properties", ...) or ("DeletionPolicy",)
        init_field(self, "value", value)
        init_field(self, "description", description)
        # another resource's logical id, when the change is there (None: the fix's own)
        init_field(self, "target", target)


class Intrinsic(FrozenRecord):
    """An intrinsic function in a fix's value. YAML files get it as they write their own (``!GetAtt
    Key.Arn`` where they use short forms, ``Fn::GetAtt: [Key, Arn]`` where they do not); JSON files get
    the full form. Build it with ``ref``, ``get_att`` and ``sub``."""

    __slots__ = _fields = ("function", "argument")

    def __init__(self, function: str, argument: object):
        init_field(self, "function", function)  # "Ref", "Fn::GetAtt", "Fn::Sub"
        init_field(self, "argument", argument)

    def full(self) -> dict:
        """The full form, as JSON writes it: ``{"Fn::GetAtt": ["Key", "Arn"]}``."""
        return {self.function: self.argument}

    def short(self) -> tuple:
        """(tag, scalar) of the short form: ``("!GetAtt", "Key.Arn")``."""
        argument = ".".join(self.argument) if self.function == "Fn::GetAtt" else self.argument
        return "!" + self.function.removeprefix("Fn::"), argument


def ref(name: str) -> Intrinsic:
    return Intrinsic("Ref", name)


def get_att(name: str, attribute: str) -> Intrinsic:
    return Intrinsic("Fn::GetAtt", [name, attribute])


def sub(text: str) -> Intrinsic:
    return Intrinsic("Fn::Sub", text)


def plain(value):
    """``value`` with every ``Intrinsic`` in its full form (for JSON, and for comparing with a template)."""
    if isinstance(value, Intrinsic):
        return plain(value.full())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class Fix(FrozenRecord):
    """A verdict's fix: the intents, and (once the engine binds it) the resource they apply to, the
    check's safety, and why it cannot be applied when it cannot."""

    __slots__ = _fields = ("intents", "description", "resource", "safety", "blocked", "replacements")

    def __init__(self, intents: tuple, description: str, resource: str | None = None, safety: str | None = None,
                 blocked: str | None = None, replacements: tuple = ()):
        init_field(self, "intents", intents)
        init_field(self, "description", description)
        init_field(self, "resource", resource)
        init_field(self, "safety", safety)  # "safe" or "unsafe", the check's declaration
        # why no fix is offered for this finding (the value is an intrinsic, ...)
        init_field(self, "blocked", blocked)
        # the text edits it makes, for SARIF (computed only when SARIF is written)
        init_field(self, "replacements", replacements)

    @property
    def applicable(self) -> bool:
        return self.blocked is None

    @property
    def key(self) -> tuple:
        """What makes two findings' fixes the same fix (four Block Public Access findings, one mapping)."""
        import json

        return (self.resource, tuple((i.kind, i.target, i.path, json.dumps(plain(i.value), sort_keys=True, default=str))
                                     for i in self.intents))

    def bound(self, resource, safety: str) -> "Fix":
        """This fix for ``resource`` (a template's), with the reason it is not offered, if any (the check's
        own, from ``no_fix``, or the guards' of ``blocked_by``)."""
        return self.replace(resource=resource.name, safety=safety, blocked=self.blocked or blocked_by(resource, self))

    def to_dict(self) -> dict:
        return {"safety": self.safety, "description": self.description, "applicable": self.applicable,
                "reason": self.blocked}

    def summary(self) -> "FixSummary":
        return FixSummary(self)


class FixSummary:
    """What a report needs of a fix when no edit is made (a lint without ``--fix`` or ``--diff``): its
    safety, description and reason, which findings share it and, for SARIF, the text edit it would make.
    A finding keeps this instead of the fix's intents and values: a run of 10,000 templates holds some
    150,000 fixable findings, and their full fixes took more memory than everything else the run keeps
    (issue 18)."""

    __slots__ = ("description", "safety", "blocked", "resource", "key", "replacements")
    intents = ()

    def __init__(self, fix: Fix, replacements: tuple = ()):
        self.description, self.safety, self.resource = sys.intern(fix.description), fix.safety, fix.resource
        self.blocked = sys.intern(fix.blocked) if isinstance(fix.blocked, str) else fix.blocked
        shape = repr(fix.key[1]).encode("utf-8", "surrogateescape")  # what Fix.key tells apart, as one int
        self.key = (fix.resource, len(shape) << 64 | zlib.crc32(shape) << 32 | zlib.adler32(shape))
        # the text edits the fix makes on its file, for SARIF (lakelint.runs.fix.summarise_with_edits)
        self.replacements = replacements

    @property
    def applicable(self) -> bool:
        return self.blocked is None

    def to_dict(self) -> dict:
        return {"safety": self.safety, "description": self.description, "applicable": self.applicable,
                "reason": self.blocked}

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other):
        return self._fields() == other._fields() if isinstance(other, FixSummary) else NotImplemented

    def __hash__(self):
        return hash(self._fields())


def blocked_by(resource, fix: Fix) -> str | None:
    """Why the fix must not be guessed on ``resource``: a resource lakelint made from an ``Fn::ForEach``
    loop or the SAM transform (the author wrote something else), or a path through a value written
    with an intrinsic function (``Fn::If``, ``Ref`` to a parameter, ...), including, for an "ensure"
    intent, a key of its mapping the template writes with one. None when it may be applied."""
    origin = getattr(resource, "origin", None)
    if origin:
        return f"the resource is made by {origin}: fix the source it is made from"
    for intent in fix.intents:
        if intent.kind == "add-resource":
            continue
        holder = resource
        if intent.target is not None:
            holder = _resource_named(resource, intent.target)
            if holder is None:
                return f"{intent.target} is not a resource lakelint can see in the template"
            if getattr(holder, "origin", None):
                return f"{holder.name} is made by {holder.origin}: fix the source it is made from"
        node = {"Properties": holder.props, **holder.attributes}
        reached = True
        for depth, step in enumerate(intent.path):
            if isinstance(node, dict) and not isinstance(step, int) and step in node:
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                reached = False
                break
            if _intrinsic(node):
                return _written_with(show_path(intent.path[1:depth + 1]) or str(step), next(iter(node)))
        if reached and intent.kind == "ensure":
            reason = _inside(node, intent.value, intent.path[1:])
            if reason:
                return reason
    return None


def _resource_named(resource, name: str):
    stack = getattr(resource, "stack", None)
    return next((r for r in getattr(stack, "resources", None) or [] if r.name == name), None)


def _inside(node, wanted, path: tuple) -> str | None:
    """Why an "ensure" of ``wanted`` on ``node`` would have to guess: a key it sets is written with an
    intrinsic function (the parameter it comes from, say), here or in a mapping below."""
    if not isinstance(node, dict) or not isinstance(wanted, dict):
        return None
    for key, value in wanted.items():
        if key not in node:
            continue
        if _intrinsic(node[key]):
            return _written_with(show_path(path + (key,)), next(iter(node[key])))
        reason = _inside(node[key], value, path + (key,))
        if reason:
            return reason
    return None


def show_path(steps) -> str:
    """A path as the findings write it: ``Replicas[1].DeletionProtectionEnabled``."""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _written_with(part: str, function: str) -> str:
    if function == "Fn::If":
        return f"{part} is chosen by Fn::If: a fix would have to guess which branch to change"
    if function == "Ref":
        return f"{part} comes from a Ref (a parameter or a resource): change the parameter's value instead"
    return f"{part} is computed by {function}: a fix would have to guess what to change"


def _intrinsic(node) -> bool:
    return isinstance(node, dict) and len(node) == 1 and next(iter(node)).startswith(("Fn::", "Ref", "Condition"))


def _path(path) -> tuple:
    """A dotted string (``"VersioningConfiguration.Status"``) or a tuple of keys and list indexes."""
    return tuple(path.split(".")) if isinstance(path, str) else tuple(path)


def written_index(written, item) -> int | None:
    """The index of ``item`` in ``written``, the list as the template writes it: the same mapping, or
    one the loader resolved from it (an ``Fn::If`` inside it chosen) at the same place. None when the
    template does not write it as an item there (an intrinsic function makes the list or the item), so
    a fix never names an item it would have to invent."""
    where = getattr(item, "pos", None)
    for index, candidate in enumerate(written if isinstance(written, list) else ()):
        if candidate is item or (where is not None and isinstance(candidate, dict)
                                 and getattr(candidate, "pos", None) == where):
            return index
    return None


def set_property(path, value, description: str | None = None) -> Fix:
    """Set a property (dotted path below ``Properties``) to ``value``, creating what is missing."""
    steps = ("Properties",) + _path(path)
    text = description or f"set {show_path(steps[1:])} to {_brief(value)}"
    return Fix((Intent("set", steps, value, text),), text)


def ensure_properties(path, mapping: dict, description: str | None = None) -> Fix:
    """Make sure the mapping at ``path`` (below ``Properties``) holds ``mapping``'s keys and values: the
    missing ones are added, the ones set otherwise are changed, the others are kept."""
    steps = ("Properties",) + _path(path)
    text = description or f"set {show_path(steps[1:])} to {_brief(mapping)}"
    return Fix((Intent("ensure", steps, mapping, text),), text)


def append_item(path, item, description: str | None = None, *, target: str | None = None) -> Fix:
    """Append ``item`` to the list at ``path`` (below ``Properties``), creating the list if missing;
    with ``target``, to that resource's list (a bucket's fix that adds a statement to its policy)."""
    steps = ("Properties",) + _path(path)
    text = description or f"add an item to {show_path(steps[1:])}" + (f" of {target}" if target else "")
    return Fix((Intent("append", steps, item, text, target),), text)


def set_attribute(name: str, value, description: str | None = None) -> Fix:
    """Set a resource attribute (``DeletionPolicy``, ``UpdateReplacePolicy``)."""
    text = description or f"set {name} to {_brief(value)}"
    return Fix((Intent("set", (name,), value, text),), text)


def add_resource(logical_id: str, body: dict, description: str | None = None) -> Fix:
    """Add a resource to the template's ``Resources``."""
    text = description or f"add resource {logical_id}"
    return Fix((Intent("add-resource", (logical_id,), body, text),), text)


def no_fix(reason: str) -> Fix:
    """What a check attaches where it knows its usual fix would be wrong (an Aurora member's storage is
    the cluster's; a restored database inherits its encryption): the finding is shown as not fixable,
    with ``reason`` (``--diff``, the JSON report's ``fix.reason``), rather than without a word."""
    return Fix((), "no automatic fix", blocked=reason)


def combine(*fixes: Fix, description: str | None = None) -> Fix:
    """Several fixes applied together, as one."""
    intents = tuple(i for f in fixes for i in f.intents)
    return Fix(intents, description or "; ".join(f.description for f in fixes))


def _brief(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Intrinsic):
        tag, argument = value.short()
        return f"{tag} {argument}"
    if isinstance(value, (dict, list)):
        import json

        text = json.dumps(plain(value), separators=(", ", ": "))
        return text if len(text) <= 80 else text[:77] + "..."
    return str(value)

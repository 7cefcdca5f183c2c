"""Reading properties in a check: one idiom, with "cannot verify" produced here and nowhere else.

A check states its rule; what it reads may be unknown (a parameter without a value, a ``!GetAtt``, a
live property AWS would not let lakelint read), and that is handled once, in this module::

    from lakelint.core.check import check, fail
    from lakelint.core.reading import read

    @check(..., reads={"AWS::S3::Bucket": ["VersioningConfiguration.Status"]})
    def versioning(bucket, ctx):
        for status in read(bucket, "VersioningConfiguration.Status", what="versioning status"):
            if status != "Enabled":
                yield fail(f"versioning status is {show(status)}, not Enabled")

- ``read(resource, path)`` yields the property's value once per branch (every way intrinsics let it
  turn out). A branch whose value is unknown is reported for the check, as an unknown verdict
  "cannot verify <what>: it <reason>" located where the value is written, and not yielded. With
  ``presence=True`` an unknown value is yielded (the check needs only to know the property is set).
- ``read_together(resource, *keys)`` yields ``Values`` (a mapping of those top-level properties) for
  every joint branch, so a rule on ``KmsKeyId`` sees only the branches where ``Encrypted`` is true.
- ``known(value, what)`` inside a loop: the value when it is known; otherwise the same unknown verdict
  is reported and ``None`` returned (``if (alg := known(...)) is None: continue``). A stack check
  names the resource the verdict is about: ``known(..., resource=vpc)``.
- ``here()`` inside nested loops: where the innermost loop's value is written, for ``fail(at=here())``
  (a verdict without ``at`` is placed at the value of the outermost loop that reads one, of the
  resource a resource check judges: the value judged, where inner loops read what qualifies it).
- ``read_attribute(resource, "DeletionPolicy")`` reads a resource attribute the same way, and
  ``read_derived(resource, path, derive)`` yields ``derive(value)`` per branch, computed once per
  resource (the policy model parses a bucket policy once for every check that reads it).
- ``cannot_verify(value, what)`` returns the unknown verdict ``known`` would report, for a shared
  helper whose callers yield what it returns.
- Verdicts made inside ``read`` loops hold in the branch being read, and in the branches of every
  enclosing loop at once (nested reads are joint: a branch that cannot hold together with the outer
  one is never yielded). ``fail(...)`` needs no ``branch=``.

The engine starts a reading session around each check (``session()``) and collects the unknown
verdicts reported here with the check's own.
"""

from __future__ import annotations

import contextlib
import contextvars

from lakelint.core.branches import TRUE, Branch, note_read, scenarios, single_branch
from lakelint.core.check import locate, unknown
from lakelint.core.values import MISSING, LocDict, Unresolved, pos_of

# the session of the check running in this thread: a context variable is per thread as threading.local
# is, without threading's import (~1 ms of a one-template run, issue 18)
_session = contextvars.ContextVar("lakelint_reading_session", default=None)


class Values(LocDict):
    """The top-level properties one joint branch gives ``read_together``: ``values.get(key, MISSING)``."""


def session(subject=None) -> "Session":
    """Start collecting what the check reads; the engine calls ``finish`` when the check is done.
    ``subject``: the resource a resource check judges (None for stack and run checks)."""
    current = Session(subject)
    _session.set(current)
    return current


class Session:
    def __init__(self, subject=None):
        self.subject = subject
        self.active = []  # the branches of the enclosing read loops, outermost first
        self.owners = []  # ... the resource each was read from
        self.valued = []  # ... and whether it read a value (an ``existing`` loop reads none)
        self.pending = []  # unknown verdicts reported by reads
        self.paths = []  # (resource type, path) read, for the tests that compare reads with declarations

    def joint(self) -> Branch | None:
        """The branch every enclosing loop is in at once (None outside any loop)."""
        if not self.active:
            return None
        joint = self.active[0]
        for branch in self.active[1:]:
            joint = joint & branch
            if joint is None:
                return None
        # a verdict points at the value the outermost loop reads (the value judged: inner loops mostly read
        # what exempts or qualifies it); of a resource check, the outermost read of its own resource; an
        # ``existing`` loop reads no value and places nothing. ``here()`` gives the innermost value.
        valued = [(b, o) for b, o, v in zip(self.active, self.owners, self.valued) if v]
        own = [b for b, o in valued if o is self.subject]
        joint.pos = own[0].pos if own else valued[0][0].pos if valued else None
        return joint

    def finish(self) -> list:
        if _session.get() is self:
            _session.set(None)
        return self.pending


_recorded = {"paths": None}  # check code -> {(resource type, path)} while tests record them


@contextlib.contextmanager
def recording_paths():
    """While active, every (resource type, path) each check reads is kept, by check code, in the dict
    yielded: the tests compare it with what each check declares it reads (``reads=``)."""
    _recorded["paths"] = {}
    try:
        yield _recorded["paths"]
    finally:
        _recorded["paths"] = None


def remember(code: str, session: "Session") -> None:
    if _recorded["paths"] is not None:
        _recorded["paths"].setdefault(code, set()).update(session.paths)


def current() -> Session | None:
    return _session.get()


def _steps(path) -> tuple:
    if isinstance(path, str):
        return tuple(path.split(".")) if path else ()
    return tuple(path)


def read(resource, path, *, what: str | None = None, presence: bool = False, key: str | None = None):
    """Every known value of the property at ``path`` ("A.B.C" or a tuple), one per branch."""
    steps = _steps(path)
    dotted = ".".join(map(str, steps))
    active = current()
    for branch in resource.branches(*steps):
        yield from _within(active, branch, branch.value, resource, what or dotted, presence, key or dotted)


def note_path(resource, path) -> None:
    """Record that the running check read ``path`` of ``resource`` (tests compare it with ``reads``)."""
    active = current()
    if active is not None:
        active.paths.append((resource.type, ".".join(map(str, path))))


def read_together(resource, *keys, what: str | None = None):
    """``Values`` for every joint branch of the top-level properties ``keys`` of ``resource``.

    Unknown values inside are left for ``known``: which of them matters depends on the rule."""
    from lakelint.core.propcheck import props_branches  # the joint expansion, shared with older checks

    active = current()
    if active is not None:
        active.paths.extend((resource.type, k) for k in keys)
    for branch in props_branches(resource, *keys):
        values = branch.value
        joined = Values(values)
        joined.pos, joined.dynamic = getattr(values, "pos", None), False
        joined.key_pos = dict(getattr(values, "key_pos", {}))
        joined.val_pos = dict(getattr(values, "val_pos", {}))
        yield from _within(active, branch, joined, resource, what or ", ".join(keys), True, None)


def _within(active, branch, value, resource, what, presence, key, valued=True):
    if active is not None and active.active:
        outer = active.joint()
        if outer is None or (outer & branch) is None:
            return
    if isinstance(value, Unresolved) and not presence:
        report(value, what, branch=branch, at=branch.pos, key=key, resource=resource)
        return
    if active is None:
        yield value
        return
    active.active.append(branch)
    active.owners.append(resource)
    active.valued.append(valued)
    try:
        yield value
    finally:
        active.active.pop()
        active.owners.pop()
        active.valued.pop()


def existing(items, *, within=None):
    """The resources of ``items`` that exist, once per part of the parameter space where the same ones
    do: a resource with a ``Condition`` exists only where it holds, so a relation to it holds only
    there. ``within`` (a resource) limits the parts to where that resource exists. Inside the loop,
    verdicts hold in that part: a VPC whose only S3 endpoint exists when ``CreateS3Endpoint`` is true
    fails "when CreateS3Endpoint is false"."""
    items = list(items)
    space = next((getattr(item.stack, "space", None) for item in [within, *items]
                  if item is not None and getattr(item, "stack", None) is not None), None)
    active = current()
    for base in (within.exists if within is not None else [TRUE]):
        for guard, present in scenarios(base, [(item, item.exists) for item in items], space):
            branch = Branch(present, guard, space=space)
            yield from _within(active, branch, present, within, "", True, None, valued=False)


def known(value, what: str, *, at=None, key: str | None = None, resource=None):
    """``value`` when it is known; otherwise report "cannot verify <what>: it <reason>" and give None.

    ``resource`` is the resource the verdict is about, for stack and run checks (a resource check's own
    resource by default; a run check's: the run's ``LakeLint::Account`` record)."""
    if isinstance(value, Unresolved):
        report(value, what, at=at, key=key or what, resource=resource)
        return None
    return value


def report(value: Unresolved, what: str, *, branch=None, at=None, key=None, resource=None) -> None:
    """An unknown verdict for ``value``, in the current branch, for the engine to collect."""
    active = current()
    verdict = cannot_verify(value, what, branch=branch, at=at, key=key, resource=resource)
    if active is None:  # outside the engine (a unit test calling a helper): nowhere to put it
        raise LookupError(verdict.message)
    active.pending.append(verdict)


def here():
    """Where the value of the innermost enclosing ``read`` loop is written, for ``fail(at=here())``:
    a verdict without ``at`` is placed at the outermost loop's value, which in nested loops (an
    endpoint's policy read inside its service name) is not always the value judged. None outside any
    loop."""
    active = current()
    if active is None or not active.active:
        return None
    return active.active[-1].pos


def cannot_verify(value: Unresolved, what: str, *, branch=None, at=None, key=None, resource=None):
    """The verdict ``report`` collects ("cannot verify <what>: it <reason>", in the current branch),
    handed back instead: for a shared helper whose callers yield the verdict it returns (the policy
    model's ``allow_verdict``)."""
    active = current()
    if branch is None and active is not None:
        branch = active.joint()
    return unknown(f"cannot verify {what}: it {value.reason}", cause=value, at=locate(at) if at else None,
                   branch=branch, key=key, resource=resource)


def read_derived(resource, path, derive):
    """``derive(value)`` for every branch of the property at ``path``, unknown values included (as
    ``presence=True`` yields them: ``derive`` decides what an unknown means), computed once per
    resource: the checks that read one bucket policy expand and parse it once per run, not once per
    check. Callers must not change what ``derive`` returned."""
    steps = _steps(path)
    key = ("read_derived", steps, derive)
    memo = resource.memo.get(key)
    if memo is None:  # kept only once complete: a check stopped half-way leaves nothing half-made
        memo = [(branch, derive(branch.value)) for branch in resource.branches(*steps)]
        resource.memo[key] = memo
    else:  # recorded as a read of its own, as ``branches`` records one
        note_path(resource, steps)
        note_read(resource, steps, [branch for branch, _ in memo])
    active = current()
    for branch, derived in memo:
        yield from _within(active, branch, derived, resource, "", True, None)


def read_attribute(resource, attribute: str, *, what: str | None = None):
    """A resource attribute (``DeletionPolicy``, ``UpdateReplacePolicy``) as ``read`` gives a property:
    one value per branch (``Fn::If`` and parameters resolved), ``MISSING`` when it is not written, and
    an unknown value reported once, as "cannot verify <what>: it <reason>". Template positions come
    from the resource's body in the template."""
    body = _body(resource)
    note_path(resource, (attribute,))
    if resource.expand is None:
        branches = [single_branch(body, (attribute,))]
    else:
        branches = resource.expand(body, (attribute,))
        note_read(resource, (attribute,), branches)
    active = current()
    for branch in branches:
        yield from _within(active, branch, branch.value, resource, what or attribute, False, attribute)


def _body(resource):
    """The resource's entry in its template (where its attributes are written), else its attributes."""
    root = getattr(resource.stack, "root", None)
    body = None
    if isinstance(root, dict) and isinstance(root.get("Resources"), dict):
        body = root["Resources"].get(resource.name)
    return body if isinstance(body, dict) else resource.attributes


def position(values, key):
    """Where ``values[key]`` is written, for ``fail(at=...)``: the value, else nothing (the resource)."""
    if isinstance(values, LocDict) and key in values:
        return pos_of(values, key)
    return None


__all__ = ["MISSING", "Values", "cannot_verify", "existing", "here", "known", "read", "read_attribute",
           "read_derived", "read_together", "report", "session"]

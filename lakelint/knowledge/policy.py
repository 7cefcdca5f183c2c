"""One model of IAM-style policy documents (bucket, endpoint, access point and key policies).

Policies can be written many ways that mean the same thing: a single statement or a list, a string
or a list of actions, ``"*"`` or ``{"AWS": "*"}`` as principal, booleans as ``true`` or ``"true"``,
the whole document as a JSON string. ``Policy.parse`` normalises all of that once, so no check
parses a policy itself and every check reads the same meaning.

Values a template only knows at deploy time stay ``Unresolved`` (a ``str`` carrying its reason)
inside the model, so a check can tell "this principal is some role of this stack" from "this
principal comes from a parameter nobody constrained" and answer unknown instead of pass.

Checks read policies in the reading idiom (lakelint/core/reading.py): ``read_policy`` gives the
parsed document once per branch and reports a document it cannot read once, centrally; inside that
loop ``allow_verdict`` and ``required_statement_verdicts`` need no branch.
"""

from __future__ import annotations

import ipaddress
import re

from lakelint.core.reading import cannot_verify, existing, known, read_derived
from lakelint.core.records import Record
from lakelint.core.values import MISSING, Unresolved, as_list, pos_of, show

# The stack's (or the live resource's) own account, as templates write it.
OWN_ACCOUNT = "${AWS::AccountId}"

_ACCOUNT_ARN = re.compile(r"^arn:(?:\$\{[^}]*\}|[^:]*):(?:iam|sts)::(\d{12}|\$\{AWS::AccountId\}):")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
# !GetAtt Role.Arn of a resource of the same template, as the evaluator renders it
_SAME_STACK_ATTR = re.compile(r"^\$\{[A-Za-z0-9]+\.[A-Za-z0-9.]+\}$")
# A CloudFront origin access identity as an AWS principal: its id after the fixed user name
_OAI_ARN = re.compile(r"^arn:(?:\$\{[^}]*\}|[^:]*):iam::cloudfront:user/CloudFront Origin Access Identity (.+)$")
# A Ref or !GetAtt of a resource of the same template, as the evaluator renders it
_RESOURCE_REFERENCE = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}$")
OAI_TYPE = "AWS::CloudFront::CloudFrontOriginAccessIdentity"
ACCOUNT_FIELD = 4  # arn:partition:service:region:ACCOUNT:resource

# Condition keys that tie a statement to a network, an organisation, an account or a caller, so that
# a "*" principal no longer means "anyone on the internet". The six of lakelint's catalog first, then
# the others S3 itself accepts as non-public ("The meaning of public" in the S3 User Guide).
NARROWING_KEYS = (
    "aws:sourcevpce", "aws:sourcevpc", "aws:principalorgid", "aws:sourceaccount", "aws:sourcearn",
    "aws:sourceip", "aws:principalaccount", "aws:principalarn", "aws:principalorgpaths",
    "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths", "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
)
# Operators that only match the values they list. Their negations (StringNotEquals, NotIpAddress...)
# match everything else, so they never narrow who is allowed.
_MATCHING_OPERATORS = ("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike",
                       "IpAddress", "NumericEquals")
_NEGATED_OPERATORS = ("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals",
                      "ArnNotLike", "NotIpAddress", "NumericNotEquals", "DateNotEquals")


class Principal(Record):
    """Who a statement applies to. ``kind`` is "*", "AWS", "Service", "Federated" or "CanonicalUser".
    The records of this module are plain classes, not dataclasses: see lakelint/core/records.py."""

    __slots__ = _fields = ("kind", "value")

    def __init__(self, kind: str, value: str):
        self.kind, self.value = kind, value

    @property
    def is_public(self) -> bool:
        return self.value == "*" and self.kind in ("*", "AWS")

    @property
    def unresolved(self) -> bool:
        """The principal's text is only known at deploy time (see ``account`` for what is still known)."""
        return isinstance(self.value, Unresolved)

    @property
    def account(self) -> str | None:
        """The account id an AWS principal belongs to (``OWN_ACCOUNT`` for the stack's own).

        An ARN built with ``${AWS::AccountId}``, a ``!GetAtt`` of a resource of the same template and
        an ``!ImportValue`` (exports are only visible in their own account) all belong to the stack's
        own account. None when it cannot be told (a parameter without a value, a malformed ARN).
        """
        if self.kind != "AWS" or self.value == "*":
            return None
        text = str(self.value)
        if _ACCOUNT_ID.match(text):
            return text
        if text == OWN_ACCOUNT:
            return OWN_ACCOUNT
        match = _ACCOUNT_ARN.match(text)
        if match:
            return match.group(1)
        if isinstance(self.value, Unresolved) and (_SAME_STACK_ATTR.match(text) or text == "${Fn::ImportValue}"):
            return OWN_ACCOUNT
        return None

    @property
    def named(self) -> str:
        """How a finding names the principal: quoted when some of its text is known (an ARN built with
        ``!Sub``), else "a principal" (a parameter, a mapping lookup: the reason says what it is)."""
        text = str(self.value)
        if isinstance(self.value, Unresolved) and re.fullmatch(r"\$\{.*\}", text):
            return "a principal"
        return f"principal {show(self.value)}"

    @property
    def origin_access_identity(self) -> str | None:
        """The id of the CloudFront origin access identity this principal names, as written (an
        ``AWS`` principal ``arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity <id>``)."""
        match = _OAI_ARN.match(str(self.value)) if self.kind == "AWS" else None
        return match.group(1) if match else None

    def created_in(self, stack) -> bool:
        """Whether this principal is an origin access identity the template ``stack`` creates (its id
        is a ``Ref``/``!GetAtt`` of an ``AWS::CloudFront::CloudFrontOriginAccessIdentity`` of it):
        such an identity belongs to the stack's own account."""
        oai = self.origin_access_identity
        match = _RESOURCE_REFERENCE.match(oai) if oai is not None else None
        if match is None or stack is None:
            return False
        return any(r.name == match.group(1) and r.type == OAI_TYPE for r in stack.resources)

    @property
    def account_source(self):
        """The unknown value an AWS principal's account comes from, for "cannot verify": the account
        field of an ARN built with ``!Sub`` or ``!Join`` (not the partition before it), also when a
        ``Fn::Split`` cut the principal out of such a text; else the principal itself."""
        value = self.value
        source = getattr(value, "split_from", None)
        for candidate in (value, source):
            part = _account_part(candidate) if candidate is not None else None
            if part is not None:
                return part
        return value


def _account_part(value):
    """The unknown piece in the account field of an ARN made of pieces (``Unresolved.parts``), if any.
    Unknown pieces are taken to hold no ":" of their own (a partition, an account id, a name)."""
    parts = getattr(value, "parts", None)
    if not parts or isinstance(parts[0], Unresolved) or not str(parts[0]).startswith("arn:"):
        return None
    field = 0
    for part in parts:
        if isinstance(part, Unresolved):
            if field == ACCOUNT_FIELD:
                return part
        else:
            field += str(part).count(":")
            if field > ACCOUNT_FIELD:
                return None
    return None


class Condition(Record):
    """One condition test: ``operator`` without its qualifiers, which are kept as flags."""

    __slots__ = _fields = ("operator", "key", "values", "if_exists", "set_operator", "raw_operator")

    def __init__(self, operator: str, key: str, values: list, if_exists: bool = False,
                 set_operator: str | None = None, raw_operator: str = ""):
        self.operator = operator  # e.g. "Bool", "StringEquals"
        self.key = key  # the context key, lower-cased (condition keys are case-insensitive)
        self.values, self.if_exists = values, if_exists
        self.set_operator = set_operator  # "ForAnyValue" or "ForAllValues"
        self.raw_operator = raw_operator

    def value_is(self, expected: str) -> bool:
        """True when every value reads as ``expected`` (booleans may be true or "true")."""
        return bool(self.values) and all(_as_text(v).lower() == expected.lower() for v in self.values)

    @property
    def texts(self) -> list:
        """The values as text, booleans written the way policies write them."""
        return [_as_text(v) for v in self.values]

    @property
    def unresolved_values(self) -> list:
        """Values only known at deploy time."""
        return [v for v in self.values if isinstance(v, Unresolved)]

    @property
    def negated(self) -> bool:
        """StringNotEquals, NotIpAddress and friends: true for every value *not* listed (and, without
        IfExists, also when the key is absent from the request)."""
        return self.operator in _NEGATED_OPERATORS

    @property
    def narrows(self) -> bool:
        """Whether this test restricts a statement to the values it lists.

        It does not when it is negated, when it is ``...IfExists`` (a request without the key passes),
        when it is ``ForAllValues`` (true for a request without the key), when a value is the ``*``
        wildcard, or when an address range is the whole internet.
        """
        if self.operator not in _MATCHING_OPERATORS or self.if_exists or self.set_operator == "ForAllValues":
            return False
        if not self.values:
            return False
        for value in self.values:
            text = _as_text(value).strip()
            if text in ("*", ""):
                return False
            if self.operator == "IpAddress" and not isinstance(value, Unresolved) and _whole_internet(text):
                return False
        return True


class Statement(Record):
    """One policy statement, read into what the checks judge."""

    __slots__ = _fields = ("effect", "principals", "not_principals", "actions", "not_actions", "resources",
                           "not_resources", "conditions", "sid", "pos", "has_not_principal", "has_not_action")

    def __init__(self, effect: str, principals: list, not_principals: list, actions: list, not_actions: list,
                 resources: list, not_resources: list, conditions: list, sid: str | None = None,
                 pos: tuple | None = None, has_not_principal: bool = False, has_not_action: bool = False):
        self.effect = effect
        self.principals = principals  # Principal objects; empty when the statement has no Principal (identity policy)
        self.not_principals = not_principals
        self.actions = actions  # lower-cased
        self.not_actions, self.resources, self.not_resources = not_actions, resources, not_resources
        self.conditions, self.sid, self.pos = conditions, sid, pos
        self.has_not_principal, self.has_not_action = has_not_principal, has_not_action

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

    @property
    def effect_unknown(self) -> bool:
        """The Effect is only known at deploy time (a parameter without a value)."""
        return isinstance(self.effect, Unresolved)

    @property
    def public_principal(self) -> bool:
        return any(p.is_public for p in self.principals)

    def allows_action(self, action: str) -> bool:
        """Whether the statement's Action covers ``action`` (wildcards honoured)."""
        action = action.lower()
        if self.actions:
            return any(_glob(a, action) for a in self.actions)
        if self.not_actions:
            return not any(_glob(a, action) for a in self.not_actions)
        return False

    covers_action = allows_action  # the same question asked of a Deny statement

    @property
    def all_actions(self) -> bool:
        return any(a in ("*", "s3:*") for a in self.actions)

    def all_actions_of(self, service: str) -> bool:
        """``*`` or ``<service>:*`` among the actions (``NotAction`` is never "all")."""
        return any(a in ("*", f"{service.lower()}:*") for a in self.actions)

    def wildcard_actions(self, service: str | None = None) -> list:
        """The actions that grant everything: ``*`` and ``<service>:*`` (any service when None)."""
        if service is None:
            return [a for a in self.actions if a == "*" or a.endswith(":*") and a.count(":") == 1]
        return [a for a in self.actions if a in ("*", f"{service.lower()}:*")]

    @property
    def all_resources(self) -> bool:
        return any(r == "*" for r in self.resources)

    @property
    def covers_objects(self) -> bool:
        """Whether the statement applies to objects (``*``, ``bucket/*``, ``${Bucket.Arn}/*``, a
        ``NotResource``), not only to buckets: object reads and writes are checked against object ARNs."""
        if self.not_resources:
            return True
        return any(str(r).strip() == "*" or "/" in str(r) or _opaque_resource(r) for r in self.resources)

    def conditions_on(self, *keys: str) -> list:
        wanted = {k.lower() for k in keys}
        return [c for c in self.conditions if c.key in wanted]

    @property
    def label(self) -> str:
        """How a finding names the statement: by its Sid when it has one."""
        return f"statement {show(self.sid)}" if self.sid else "a statement"

    @property
    def narrowing_conditions(self) -> list:
        """The conditions that tie the statement to a network, organisation, account or caller."""
        return [c for c in self.conditions_on(*NARROWING_KEYS) if c.narrows]

    @property
    def principal_accounts(self) -> list:
        """(principal, account or None) for every AWS principal other than ``*``."""
        return [(p, p.account) for p in self.principals if p.kind == "AWS" and p.value != "*"]


class Policy(Record):
    """A policy document's statements, or why it cannot be read."""

    __slots__ = _fields = ("statements", "problem", "cause", "absent", "unreadable", "unreadable_part", "pos")

    def __init__(self, statements: list | None = None, problem: str | None = None, cause: Unresolved | None = None,
                 absent: bool = False, unreadable: Unresolved | None = None, unreadable_part: str = "document",
                 pos: tuple | None = None):
        self.statements = [] if statements is None else statements
        self.problem = problem  # set when the document cannot be read (unresolved, bad JSON)
        self.cause = cause
        self.absent = absent  # no document at all (the property is not set)
        # what cannot be read, as an Unresolved with its reason (also for text that is not JSON), and
        # which part of the document it is: "document" or "statements"
        self.unreadable, self.unreadable_part = unreadable, unreadable_part
        self.pos = pos  # where the document is written (templates)

    @classmethod
    def parse(cls, document) -> "Policy":
        if document is MISSING or document is None:
            return cls(absent=True)
        if isinstance(document, Unresolved):
            readable = _partly_known_json(document)
            if readable is None:
                return cls(problem=f"the policy document {document.reason}", cause=document, unreadable=document)
            document = readable
        if isinstance(document, str):
            import json  # here only: templates write their policies as mappings, not as JSON text

            try:
                document = json.loads(document)
            except ValueError as exc:
                return cls(problem=f"the policy document is not valid JSON: {exc}",
                           unreadable=Unresolved(document, f"is not valid JSON ({exc})"))
        if not isinstance(document, dict):
            return cls(problem="the policy document is not a JSON object",
                       unreadable=Unresolved(str(document), "is not a JSON object"))
        where = getattr(document, "pos", None)
        raw = document.get("Statement", MISSING)
        if isinstance(raw, Unresolved):
            return cls(problem=f"the policy statements {raw.reason}", cause=raw, unreadable=raw,
                       unreadable_part="statements", pos=where)
        statements = []
        items = as_list(raw)
        for index, item in enumerate(items):
            if isinstance(item, dict):
                pos = pos_of(items, index) if isinstance(raw, list) else pos_of(document, "Statement")
                statements.append(_statement(item, pos))
        return cls(statements=statements, pos=where)

    @property
    def allows(self) -> list:
        return [s for s in self.statements if s.allows]

    @property
    def denies(self) -> list:
        return [s for s in self.statements if s.denies]

    @property
    def may_allow(self) -> list:
        """The Allow statements, and those whose Effect is only known at deploy time (which a check
        must report as unknown, never pass: see ``allow_verdict``)."""
        return [s for s in self.statements if s.allows or s.effect_unknown]


def read_policy(resource, path="PolicyDocument", *, what="the policy"):
    """The parsed policy document at ``path`` of ``resource``, once per branch, in the reading idiom
    (lakelint/core/reading.py): verdicts inside the loop need no branch. The document is expanded and
    parsed once per resource for every check that reads it. One that cannot be read (a parameter
    without a value, text that is not JSON) is reported once, as "cannot verify <what>: it <reason>",
    and not yielded; an absent one is yielded as an empty ``Policy`` with ``absent`` set."""
    for policy in read_derived(resource, path, _parse):
        if policy.unreadable is not None:
            subject = what if policy.unreadable_part == "document" else f"the statements of {what}"
            known(policy.unreadable, subject, key=path)
            continue
        yield policy


def allow_verdict(statement, message: str, **where):
    """``fail(message)`` for an Allow statement; for a statement whose Effect is not known, the
    unknown verdict "cannot verify the Effect of <statement>: it <reason>" (it would fail if the
    Effect turned out to be Allow). Inside a ``read_policy`` loop the verdict holds in the branch
    being read: ``where`` needs no ``branch``."""
    from lakelint.core.check import fail

    if statement.effect_unknown:
        return cannot_verify(statement.effect, f"the Effect of {statement.label}", **where)
    return fail(message, **where)


_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


def _partly_known_json(document: Unresolved):
    """A JSON policy built with ``!Sub`` (``"arn:aws:iam::${AWS::AccountId}:root"`` inside the text):
    its structure is known even if some values are not. Those values come back ``Unresolved``, each
    with the reason of its own unknown pieces when the text kept them (``Unresolved.parts``)."""
    import json  # here only, as in Policy.parse

    try:
        data = json.loads(str(document))
    except ValueError:
        return None
    known_pieces = {str(p): p for p in getattr(document, "parts", ()) if isinstance(p, Unresolved)}

    def piece(text):
        return known_pieces.get(text) or Unresolved(text, document.reason, document.refs)

    def mark(value):
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        if isinstance(value, str) and "${" in value:
            if _PLACEHOLDER.fullmatch(value):
                return piece(value)
            pieces, last = [], 0
            for match in _PLACEHOLDER.finditer(value):
                pieces += [value[last:match.start()], piece(match.group(0))]
                last = match.end()
            pieces.append(value[last:])
            pieces = [p for p in pieces if p != "" or isinstance(p, Unresolved)]
            unknown = [p for p in pieces if isinstance(p, Unresolved)]
            marked = Unresolved(value, unknown[0].reason if unknown else document.reason,
                                frozenset().union(*(p.refs for p in unknown)) if unknown else document.refs)
            marked.parts = tuple(pieces)
            return marked
        return value

    return mark(data) if isinstance(data, dict) else None


def _opaque_resource(resource) -> bool:
    """A resource only known at deploy time that is not plainly a bucket ARN (``${Bucket.Arn}``)."""
    return isinstance(resource, Unresolved) and not str(resource).startswith("arn:") \
        and not re.match(r"^\$\{[^}]+\.Arn\}$", str(resource))


def _as_text(value) -> str:
    """A policy value as text; ``Unresolved`` values stay themselves so their reason travels."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return str(value)


def _whole_internet(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def _glob(pattern: str, text: str) -> bool:
    if pattern == "*":
        return True
    regex = "^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$"
    return re.match(regex, text) is not None


def _principals(value) -> list:
    if value is MISSING or value is None:
        return []
    if isinstance(value, str):
        return [Principal("*" if value == "*" else "AWS", value)]
    if isinstance(value, dict):
        found = []
        for kind, items in value.items():
            for item in as_list(items):
                found.append(Principal(str(kind), _as_text(item)))
        return found
    return []


def _conditions(block) -> list:
    if not isinstance(block, dict):
        return []
    found = []
    for raw_operator, tests in block.items():
        operator = str(raw_operator)
        set_operator = None
        for prefix in ("ForAnyValue:", "ForAllValues:"):
            if operator.startswith(prefix):
                set_operator, operator = prefix[:-1], operator[len(prefix):]
        if_exists = operator.endswith("IfExists")
        if if_exists:
            operator = operator[: -len("IfExists")]
        if not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            found.append(Condition(operator, str(key).lower(), [v for v in as_list(values)], if_exists,
                                   set_operator, str(raw_operator)))
    return found


def _statement(item: dict, pos) -> Statement:
    def texts(key):
        return [_as_text(v) for v in as_list(item.get(key, MISSING))]

    def lowered(key):
        return [v if isinstance(v, Unresolved) else v.lower() for v in texts(key)]

    return Statement(
        effect=_as_text(item.get("Effect", "")),
        principals=_principals(item.get("Principal", MISSING)),
        not_principals=_principals(item.get("NotPrincipal", MISSING)),
        actions=lowered("Action"),
        not_actions=lowered("NotAction"),
        resources=texts("Resource"),
        not_resources=texts("NotResource"),
        conditions=_conditions(item.get("Condition")),
        sid=_as_text(item["Sid"]) if "Sid" in item else None,
        pos=pos or getattr(item, "pos", None),
        has_not_principal="NotPrincipal" in item,
        has_not_action="NotAction" in item,
    )


def policy_branches(resource, *path) -> list:
    """``(branch, Policy)`` for every outcome of the policy document at ``path`` of ``resource``:
    each ``Fn::If`` side and parameter value, already parsed once by the one policy model. For checks
    not yet written with ``read_policy``, which is the idiom (it handles unreadable documents).

    Nine checks read the same bucket or endpoint policy; the result is kept on the resource, so the
    document is expanded and parsed once per run, not once per check. Callers must not change it."""
    from lakelint.core.branches import note_read

    key = ("policy_branches", path)
    if key not in resource.memo:
        resource.memo[key] = [(branch, Policy.parse(branch.value)) for branch in resource.branches(*path)]
    else:
        note_read(resource, path, [branch for branch, _ in resource.memo[key]])
    return resource.memo[key]


def _parse(document) -> Policy:
    return Policy.parse(document)


def required_statement_verdicts(bucket, judge, *, denies: str, test: str, no_policy: str, path="PolicyDocument"):
    """Verdicts for "some bucket policy holds a statement ``judge`` accepts, in every outcome".

    ``judge(policy)`` returns ("pass" | "fail" | "unknown", cause). The bucket's existence is split
    by which of its policies exist (a policy with a ``Condition`` exists only where it holds:
    ``existing``): where none does, the bucket has no policy; elsewhere, one policy that passes in
    every outcome there settles it, and otherwise every policy's failing and unknown outcomes there
    are reported. ``denies`` completes "has no statement that ..." ("denies requests with
    aws:SecureTransport false"), ``test`` names what an unknown value hides, and ``no_policy`` is the
    message for a bucket without any policy. Verdicts hold in the branches of the enclosing reads.
    """
    from lakelint.core.check import fail

    members = bucket.related("policies")
    for present in existing(members, within=bucket):
        if not present and members:
            names = ", ".join(policy.name for policy in members)
            plural = len(members) > 1
            yield fail(f"bucket polic{'ies' if plural else 'y'} {names} {'do' if plural else 'does'} not exist "
                       f"here (Condition): nothing {denies}", key=path)
        elif not present:
            yield fail(no_policy, key=path)
        elif not any(_settles(policy, judge, path) for policy in present):
            for policy in present:
                yield from _unsettled(policy, judge, denies, test, path)


def _settles(policy, judge, path) -> bool:
    """Whether ``policy`` passes in every outcome that can hold here (the enclosing reads' branches):
    then nothing is reported for the bucket, not even another policy's unknown outcomes."""
    outcomes = [document.unreadable is None and judge(document)[0] == "pass"
                for document in read_derived(policy, path, _parse)]  # read in full: each in its branch
    return all(outcomes)


def _unsettled(policy, judge, denies, test, path):
    """The failing and unknown outcomes of one policy, where it does not settle the requirement."""
    from lakelint.core.check import fail

    for document in read_policy(policy, path, what=f"bucket policy {policy.name}"):
        outcome, cause = judge(document)
        if outcome == "unknown":
            known(cause, f"the {test} test of bucket policy {policy.name}", at=document.pos, key=path)
        elif outcome == "fail":
            yield fail(f"bucket policy {policy.name} has no statement that {denies}", at=document.pos, key=path)

"""One model of IAM-style policy documents (bucket, endpoint, access point and key policies).

Policies can be written many ways that mean the same thing: a single statement or a list, a string
or a list of actions, ``"*"`` or ``{"AWS": "*"}`` as principal, booleans as ``true`` or ``"true"``,
the whole document as a JSON string. ``Policy.parse`` normalises all of that once, so no check
parses a policy itself and every check reads the same meaning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lakelint.values import MISSING, Unresolved, as_list, pos_of

_ACCOUNT_ARN = re.compile(r"^arn:[^:]*:iam::(\d{12}|\$\{AWS::AccountId\}):")
_ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass
class Principal:
    """Who a statement applies to. ``kind`` is "*", "AWS", "Service", "Federated" or "CanonicalUser"."""

    kind: str
    value: str

    @property
    def is_public(self) -> bool:
        return self.value == "*" and self.kind in ("*", "AWS")

    @property
    def account(self) -> str | None:
        """The account id an AWS principal belongs to ("${AWS::AccountId}" for the stack's own)."""
        if self.kind != "AWS" or self.value == "*":
            return None
        if _ACCOUNT_ID.match(self.value):
            return self.value
        match = _ACCOUNT_ARN.match(self.value)
        return match.group(1) if match else None


@dataclass
class Condition:
    """One condition test: ``operator`` without its qualifiers, which are kept as flags."""

    operator: str  # e.g. "Bool", "StringEquals"
    key: str  # the context key, lower-cased (condition keys are case-insensitive)
    values: list
    if_exists: bool = False
    set_operator: str | None = None  # "ForAnyValue" or "ForAllValues"
    raw_operator: str = ""

    def value_is(self, expected: str) -> bool:
        """True when every value reads as ``expected`` (booleans may be true or "true")."""
        return bool(self.values) and all(_as_text(v).lower() == expected.lower() for v in self.values)


@dataclass
class Statement:
    effect: str
    principals: list  # Principal objects; empty when the statement has no Principal (identity policy)
    not_principals: list
    actions: list  # lower-cased
    not_actions: list
    resources: list
    not_resources: list
    conditions: list
    sid: str | None = None
    pos: tuple | None = None
    has_principal: bool = False

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

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

    @property
    def all_actions(self) -> bool:
        return any(a in ("*", "s3:*") for a in self.actions)

    @property
    def all_resources(self) -> bool:
        return any(r == "*" for r in self.resources)

    def conditions_on(self, *keys: str) -> list:
        wanted = {k.lower() for k in keys}
        return [c for c in self.conditions if c.key in wanted]


@dataclass
class Policy:
    statements: list = field(default_factory=list)
    problem: str | None = None  # set when the document cannot be read (unresolved, bad JSON)
    cause: Unresolved | None = None

    @classmethod
    def parse(cls, document) -> "Policy":
        if document is MISSING or document is None:
            return cls()
        if isinstance(document, Unresolved):
            return cls(problem=f"the policy document {document.reason}", cause=document)
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError as exc:
                return cls(problem=f"the policy document is not valid JSON: {exc}")
        if not isinstance(document, dict):
            return cls(problem="the policy document is not a JSON object")
        raw = document.get("Statement", MISSING)
        if isinstance(raw, Unresolved):
            return cls(problem=f"the policy statements {raw.reason}", cause=raw)
        statements = []
        items = as_list(raw)
        for index, item in enumerate(items):
            if isinstance(item, dict):
                pos = pos_of(items, index) if isinstance(raw, list) else pos_of(document, "Statement")
                statements.append(_statement(item, pos))
        return cls(statements=statements)

    @property
    def allows(self) -> list:
        return [s for s in self.statements if s.allows]

    @property
    def denies(self) -> list:
        return [s for s in self.statements if s.denies]


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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

    return Statement(
        effect=_as_text(item.get("Effect", "")),
        principals=_principals(item.get("Principal", MISSING)),
        not_principals=_principals(item.get("NotPrincipal", MISSING)),
        actions=[a.lower() for a in texts("Action")],
        not_actions=[a.lower() for a in texts("NotAction")],
        resources=texts("Resource"),
        not_resources=texts("NotResource"),
        conditions=_conditions(item.get("Condition")),
        sid=_as_text(item["Sid"]) if "Sid" in item else None,
        pos=pos or getattr(item, "pos", None),
        has_principal="Principal" in item or "NotPrincipal" in item,
    )

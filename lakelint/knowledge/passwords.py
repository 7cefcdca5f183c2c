"""Is a master password written in the template? The shared logic of LL509, LL527 and LL608.

A password property passes when its value never appears in the template or its parameters:

- a ``{{resolve:secretsmanager:...}}`` or ``{{resolve:ssm-secure:...}}`` dynamic reference (also
  inside ``!Sub`` or ``!Join``), resolved by CloudFormation at deploy time and never shown;
- a ``Ref`` to a parameter with ``NoEcho: true`` and no ``Default`` or ``AllowedValues`` (a default
  written beside NoEcho is still a password in the template, unless the parameter's type is an SSM
  parameter type, whose default names the SSM parameter);
- absent (``AWS::NoValue`` included): the service manages the password (``ManageMasterUserPassword``),
  or the resource restores a snapshot, or it is an Aurora member that has none.

It fails when the value is written in the template (a literal, a mapping entry, the literal part of a
``!Sub``), comes from a parameter without ``NoEcho`` (CloudFormation shows it in the console and in
``describe-stacks``), or from a plain ``{{resolve:ssm:...}}`` String parameter, which is stored
unencrypted. A value only known at deploy time (``!GetAtt``, ``!ImportValue``) is unknown.

Unlike other checks, this reads the raw property: what matters is the ``Ref`` itself, not the value
the parameter expands to. Every ``Fn::If`` branch is judged on its own and findings name the branch.

API::

    from lakelint.knowledge.passwords import plaintext_password_verdicts

    def run(cluster, ctx):
        yield from plaintext_password_verdicts(cluster, "MasterUserPassword", "ManageMasterUserPassword")
"""

from __future__ import annotations

import re

from lakelint.core.check import fail, unknown
from lakelint.core.values import MISSING, Unresolved, truth

SECURE_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure):", re.IGNORECASE)
PLAIN_SSM_REFERENCE = re.compile(r"\{\{resolve:ssm:", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


def plaintext_password_verdicts(resource, prop_name: str, managed_prop: str | None = None):
    """Yield ``fail``/``unknown`` verdicts for the password property ``prop_name`` of ``resource``.

    ``managed_prop`` names the property that lets the service manage the password
    (``ManageMasterUserPassword`` on RDS and DocumentDB, ``ManageMasterPassword`` on Redshift); it
    only shapes the advice in messages, since a managed password leaves ``prop_name`` absent.
    Nothing is yielded for live resources: live APIs never return passwords.
    """
    if resource.source != "template" or not isinstance(resource.props, dict):
        return
    if prop_name not in resource.props:
        return
    stack = resource.stack
    parameters = getattr(stack, "parameters", None) or {}
    advice = _advice(managed_prop)
    for branch in resource.raw_branches(prop_name):
        verdict = _judge(branch, prop_name, parameters, advice)
        if verdict is not None:
            yield verdict


def is_secure_reference(text) -> bool:
    """True when ``text`` holds a Secrets Manager or SSM SecureString dynamic reference."""
    return isinstance(text, str) and bool(SECURE_REFERENCE.search(text))


def _advice(managed_prop):
    if managed_prop:
        return f"set {managed_prop}: true or use a {{{{resolve:secretsmanager:...}}}} reference"
    return "use a {{resolve:secretsmanager:...}} reference or a NoEcho parameter"


def _judge(branch, prop_name, parameters, advice):
    value = branch.value
    if value is MISSING or value is None:
        return None
    if is_secure_reference(value):
        return None
    if not isinstance(value, Unresolved):
        if isinstance(value, str) and PLAIN_SSM_REFERENCE.search(value):
            return fail(f"{prop_name} comes from a plain SSM String parameter, stored unencrypted: {advice}",
                        branch=branch, key=prop_name)
        if isinstance(value, (dict, list)):
            return unknown(f"cannot verify {prop_name}: it is not a single text value", branch=branch,
                           key=prop_name)
        return fail(f"{prop_name} is written in the template: {advice}", branch=branch, key=prop_name)
    return _judge_reference(branch, value, prop_name, parameters, advice)


def _judge_reference(branch, value: Unresolved, prop_name, parameters, advice):
    used = [name for name in sorted(value.refs) if name in parameters]
    for name in used:
        param = parameters[name] if isinstance(parameters[name], dict) else {}
        if truth(param.get("NoEcho", False)) is not True:
            return fail(f"{prop_name} comes from parameter {name}, which is not NoEcho (shown in the console "
                        f"and by describe-stacks): {advice}", branch=branch, key=prop_name)
        if str(param.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
            continue  # its Default names an SSM parameter; the password itself is not in the template
        for written in ("Default", "AllowedValues"):
            if param.get(written) not in (None, MISSING):
                return fail(f"{prop_name} comes from NoEcho parameter {name}, whose {written} puts the "
                            f"password in the template: {advice}", branch=branch, key=prop_name)
    if PLAIN_SSM_REFERENCE.search(value):
        return fail(f"{prop_name} comes from a plain SSM String parameter, stored unencrypted: {advice}",
                    branch=branch, key=prop_name)
    literal = _PLACEHOLDER.sub("", str(value))
    if literal.strip() and not value.startswith("${Fn::"):
        return fail(f"part of {prop_name} is written in the template ({len(literal)} characters): {advice}",
                    branch=branch, key=prop_name)
    others = [name for name in sorted(value.refs) if name not in parameters]
    if others or not used:
        return unknown(f"cannot verify {prop_name}: it {_reason(value, parameters)}", cause=value,
                       branch=branch, key=prop_name)
    return None


def _reason(value: Unresolved, parameters) -> str:
    """The evaluator words a parameter kept as a Ref like a resource id; say what it really is."""
    others = [name for name in sorted(value.refs) if name not in parameters]
    if others and not value.reason.startswith(("is !GetAtt", "is computed", "is imported")):
        return f"depends on {', '.join(others)}, known only at deploy time"
    return value.reason

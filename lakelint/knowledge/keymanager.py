"""Is the KMS key a resource names a customer managed key? The one answer templates and live share.

On a template, the AWS managed key shows in the reference itself (absent, or ``alias/aws/<service>``):
``propcheck.key_verdicts`` reads that. Live, a service reports the key's ARN whichever key it is, so
the reference says nothing; the key record it is linked to does (``KeyManager`` "AWS" or "CUSTOMER",
read by the live KMS collector). A check that asks this question declares ``reads=["AWS::KMS::Key"]`` so
that a live scan collects the keys.

A live key that is not among the region's keys is not the AWS managed key: those always exist in the
account and are always listed. It is a key of another account or one pending deletion, both customer
managed (a failed key listing is reported on its own, as an error entry).

Which keys AWS KMS can rotate automatically is answered here too (``can_rotate``), so the two checks
that ask it of the same key (LL120 for a bucket's key, LL731 for a key any other data-lake resource
uses) agree on it.
"""

from __future__ import annotations

from lakelint.core.check import fail
from lakelint.core.propcheck import at_key, key_verdicts
from lakelint.core.reading import report
from lakelint.core.values import MISSING, Unresolved, show

KEY_TYPE = "AWS::KMS::Key"
# https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html: automatic rotation is for
# symmetric encryption keys whose key material AWS KMS generates; not for asymmetric or HMAC keys, keys
# with imported material (Origin EXTERNAL) or keys in a custom key store (AWS_CLOUDHSM,
# EXTERNAL_KEY_STORE).
ROTATABLE_SPEC = "SYMMETRIC_DEFAULT"
ROTATABLE_ORIGIN = "AWS_KMS"


def can_rotate(spec, origin) -> bool:
    """Whether AWS KMS can rotate a key of this ``KeySpec`` and ``Origin`` (known values; absent means
    the defaults, SYMMETRIC_DEFAULT and AWS_KMS)."""
    spec = ROTATABLE_SPEC if spec is MISSING or spec is None else str(spec).strip().upper()
    origin = ROTATABLE_ORIGIN if origin is MISSING or origin is None else str(origin).strip().upper()
    return spec == ROTATABLE_SPEC and origin == ROTATABLE_ORIGIN


def named_key(resource, reference):
    """The linked key record that ``reference`` (key id, key ARN, alias or alias ARN) names, or None."""
    for key in resource.related("kms_keys"):
        props = key.props if isinstance(key.props, dict) else {}
        aliases = props.get("Aliases") if isinstance(props.get("Aliases"), list) else []
        names = {key.name, key.arn, props.get("KeyId"), props.get("Arn"), *aliases}
        if reference in names or reference.rsplit("/", 1)[-1] == key.name:
            return key
    return None


def customer_key_verdicts(resource, values, key, branch=None, *, service_alias, path=None, absent_message=None):
    """Verdicts for the KMS key property ``key`` of ``values``, which must name a customer managed key.

    Inside ``read`` loops (lakelint/core/reading.py) ``branch`` is not needed: the verdicts hold in the
    branches being read. A key reference or key record lakelint could not read is reported through the
    reading API ("cannot verify ...: it ..."), not yielded."""
    found = list(key_verdicts(values, key, branch, service_alias=service_alias, path=path,
                              absent_message=absent_message))
    yield from found
    reference = values.get(key, MISSING) if isinstance(values, dict) else MISSING
    if found or getattr(resource, "source", None) != "live" or not isinstance(reference, str):
        return
    if isinstance(reference, Unresolved):
        report(reference, key, branch=branch, at=at_key(values, key), key=path or key)
        return
    record = named_key(resource, reference)
    if record is None:
        return
    manager = record.props.get("KeyManager", MISSING) if isinstance(record.props, dict) else MISSING
    if isinstance(manager, Unresolved):
        report(manager, f"who manages key {show(reference)}", branch=branch, key=path or key)
    elif str(manager).upper() == "AWS":
        yield fail(f"{key} is {show(reference)}, the AWS managed key {service_alias}: use a customer managed key",
                   branch=branch, at=at_key(values, key), key=path or key)

"""Does a resource's KMS key reference name a customer managed key? The rule of the storage and analytics
key checks (LL402, LL412, LL422, LL602, LL611, LL621), written in the reading idiom
(lakelint/core/reading.py): ``customer_key`` judges one joint branch, inside a ``read_together`` loop,
so its verdicts need no ``branch=``.

On a template the reference itself tells the AWS managed key (absent, or ``alias/aws/<service>``).
Live, a service reports the key's ARN whichever key it is, so the key record the inventory links it to
says who manages it (``KeyManager``, lakelint/knowledge/keymanager.py): the checks declare ``KEY_READS``
so that a live scan lists the keys and describes them.
"""

from __future__ import annotations

from lakelint.core.check import fail
from lakelint.core.propcheck import aws_managed_key, missing_at
from lakelint.core.reading import known, position
from lakelint.core.values import MISSING, dig, show
from lakelint.knowledge.keymanager import KEY_TYPE, named_key

# What these checks read of the key records their resources link to (live): the key's identity, to
# find the record a reference names (key id, ARN or alias), and who manages it.
KEY_READS = {KEY_TYPE: ["KeyId", "Arn", "Aliases", "KeyManager"]}


def customer_key(resource, values, key="KmsKeyId", *, service_alias: str, absent: str | None = None):
    """Verdicts for the KMS key reference ``values[key]`` (one joint branch), which must name a customer
    managed key. ``absent`` is the finding when no key is named (the default says the AWS managed key
    ``service_alias`` is used)."""
    key_id = values.get(key, MISSING)
    if key_id is MISSING or key_id is None or key_id == "":
        yield fail(absent or f"{key} is not set: data is encrypted with the AWS managed key {service_alias}",
                   at=missing_at(values, key), key=key)
        return
    if aws_managed_key(key_id):
        yield fail(f"{key} is {show(key_id)}, the AWS managed key: use a customer managed key",
                   at=position(values, key), key=key)
        return
    if resource.source != "live" or not isinstance(key_id, str):
        return  # a template's key of the customer's, or a parameter that names one
    if (reference := known(key_id, key, at=position(values, key), key=key)) is None:
        return
    record = named_key(resource, reference)
    if record is None:
        return  # not among the region's keys: another account's, so a customer managed key
    manager = known(dig(record.props, "KeyManager"), f"who manages key {show(reference)}", key=key)
    if manager is not None and str(manager).upper() == "AWS":
        yield fail(f"{key} is {show(reference)}, the AWS managed key {service_alias}: use a customer managed key",
                   at=position(values, key), key=key)

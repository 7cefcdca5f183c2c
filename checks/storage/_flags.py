"""A boolean property that must be true (``Encrypted``, ``EnhancedVpcRouting``): the rule of LL401, LL411
and LL606, in the reading idiom (lakelint/core/reading.py). ``must_be_true`` judges one joint branch of
``read_together``, so its verdicts need no ``branch=``; a value known only at deploy time is reported
by ``known``, as "cannot verify ...", never judged."""

from __future__ import annotations

from lakelint.core.check import fail
from lakelint.core.propcheck import missing_at
from lakelint.core.reading import known, position
from lakelint.core.values import MISSING, show, truth


def must_be_true(values, key: str, *, absent: str | None = None, fix=None):
    """Verdicts for ``values[key]``, which must be true (CloudFormation's ``true``, ``"True"``, ...).

    ``absent`` is the finding when the property is not set (AWS's default is off); None means absent
    is fine (AWS's default is on). ``fix`` (lakelint/fixes/intents.py) goes on every failing verdict:
    each of them is repaired by setting the property to true."""
    value = values.get(key, MISSING)
    if value is not None and known(value, key, at=position(values, key), key=key) is None:
        return
    if value is MISSING:
        if absent:
            yield fail(absent, at=missing_at(values, key), key=key, fix=fix)
        return
    verdict = truth(value)
    if verdict is not True:
        kind = ", which is not a boolean" if verdict is None else ""
        yield fail(f"{key} is {show(value)}{kind}", at=position(values, key), key=key, fix=fix)

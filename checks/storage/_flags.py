"""A boolean property that must be true (``Encrypted``, ``EnhancedVpcRouting``): the rule of LL401, LL411
and LL606, in the reading idiom (lakelint/core/reading.py); and one that must not be
(``PubliclyAccessible``, ``HybridAccessEnabled``: LL613, LL705). ``must_be_true`` judges one joint branch of
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


def must_not_be_true(value, key: str, consequence: str):
    """The verdict for one known value of ``key`` (from ``read``), a boolean whose absence means false:
    a finding saying ``consequence`` unless the value is false, and one that also says so when the value
    is not a boolean at all (it is then not the false the rule needs)."""
    verdict = truth(value) if value is not MISSING else False
    if verdict is not False:
        kind = ", which is not a boolean" if verdict is None else ""
        yield fail(f"{key} is {show(value)}{kind}: {consequence}", key=key)

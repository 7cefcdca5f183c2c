"""Is a service offered in a region?

Scanning ``--region all`` must not report a failure for a region where a service simply does not
exist (Timestream for LiveAnalytics is offered in a handful of regions): there its endpoint does not
resolve, which would read as an outage and make the run incomplete. botocore's endpoint data
answers without a call. A region botocore does not know yet (newer than the installed botocore) is
scanned anyway: better a could-not-read than a silent skip.
"""

from __future__ import annotations

REFERENCE_SERVICE = "ec2"  # offered in every region of every partition


def offered_in(session, service: str, region: str) -> bool:
    boto = getattr(session, "boto", None)
    if boto is None or not region:
        return True
    partition = session.partition(region)
    try:
        known = set(boto.get_available_regions(REFERENCE_SERVICE, partition))
        offering = set(boto.get_available_regions(service, partition))
    except Exception:  # endpoint data unavailable: scan rather than skip
        return True
    return region not in known or region in offering


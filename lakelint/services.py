"""Small facts about AWS services that several checks share (names, not behaviour).

Kept apart from the checks so that each check stays one module about one rule, and from the
sources so that checks never depend on where a resource came from.
"""

from __future__ import annotations

import re

# com.amazonaws.<region>.<service>, also with a partition prefix (cn.com.amazonaws...) or a region
# that is only known at deploy time (${AWS::Region}).
_ENDPOINT_SERVICE = re.compile(r"^(?:[a-z]+\.)?com\.amazonaws\.(?:\$\{[^}]+\}|[a-z0-9-]+)\.([a-z0-9.-]+)$")


def endpoint_service(service_name) -> str | None:
    """The service a VPC endpoint reaches ("s3", "dynamodb", ...), or None when it cannot be told."""
    if not isinstance(service_name, str):
        return None
    match = _ENDPOINT_SERVICE.match(service_name.strip())
    return match.group(1) if match else None

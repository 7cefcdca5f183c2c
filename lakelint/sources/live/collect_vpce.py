"""VPC endpoints of one region, with their policy documents (DescribeVpcEndpoints, paginated)."""

from __future__ import annotations

from lakelint.sources.live import catalog as c
from lakelint.sources.live import shapes


def list_endpoints(session, region: str) -> list:
    """[(endpoint id, owner account or None, CloudFormation-shaped props)]; raises ``Fault``."""
    found = []
    for page in session.pages(c.DESCRIBE_VPC_ENDPOINTS, region):
        for endpoint in page.get("VpcEndpoints") or []:
            if endpoint.get("State", "available").lower() in ("deleted", "deleting", "failed", "rejected"):
                continue
            found.append((endpoint["VpcEndpointId"], endpoint.get("OwnerId"), shapes.vpc_endpoint(endpoint)))
    return found

"""VPC endpoints of one region, with their policy documents (``DescribeVpcEndpoints``, paginated).

Each endpoint becomes an ``AWS::EC2::VPCEndpoint`` record in the region it was read in, owned by the
account the listing names (an endpoint shared into the account may belong to another one). Endpoints
that are deleted, being deleted, failed or rejected are left out: they carry no traffic.
"""

from __future__ import annotations

from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides

ENDPOINT_TYPE = "AWS::EC2::VPCEndpoint"
DESCRIBE_VPC_ENDPOINTS = read_call("ec2", "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints")
GONE = ("deleted", "deleting", "failed", "rejected")


def collect(ctx, region) -> list:
    records = []
    for page in ctx.pages(DESCRIBE_VPC_ENDPOINTS, region):
        for endpoint in page.get("VpcEndpoints") or []:
            if endpoint.get("State", "available").lower() in GONE:
                continue
            endpoint_id = endpoint["VpcEndpointId"]
            owner = endpoint.get("OwnerId") or ctx.account
            records.append(LiveRecord(
                type=ENDPOINT_TYPE, name=endpoint_id, props=shapes.vpc_endpoint(endpoint), account=owner,
                arn=f"arn:{ctx.partition(region)}:ec2:{region}:{owner}:vpc-endpoint/{endpoint_id}"))
    return records


COLLECTOR = Collector(
    name="VPC endpoints",
    types={ENDPOINT_TYPE: provides(DESCRIBE_VPC_ENDPOINTS, fields(
        DESCRIBE_VPC_ENDPOINTS, "ServiceName", "VpcEndpointType", "VpcId", "PolicyDocument", "RouteTableIds",
        "SubnetIds", "PrivateDnsEnabled", "SecurityGroupIds"))},
    collect=collect,
    failure="list VPC endpoints in {region}",
)

"""VPCs, the route tables that route their subnets, and those tables' routes and subnet associations,
in the CloudFormation shapes a template declares them in (``AWS::EC2::VPC``, ``AWS::EC2::RouteTable``,
``AWS::EC2::Route``, ``AWS::EC2::SubnetRouteTableAssociation``), so that LL204 runs unchanged.

What a template cannot declare is left out, as it would be from a template: the ``local`` route every
table has, and the routes a gateway endpoint adds to the tables it serves (``GatewayId`` ``vpce-...``;
a template has them only as the endpoint's ``RouteTableIds``, which the VPC endpoint listing gives).

Every VPC has a main route table, also one nobody uses. Only route tables that route traffic are
recorded: those with a subnet association, and a main table while a subnet of its VPC has no
association of its own (the subnet then uses the main table). That is why subnets are listed too.
Without that, an empty VPC's main table would read as a private route table with no S3 endpoint.

The default VPC (``IsDefault``), the route tables that route its subnets, their routes and associations
exist in every region whether or not the account uses it: they are regional defaults (see regions.py).

Each of the three listings is paginated; a listing that fails raises ``Fault``, so the region's
network is reported as not read (an error entry) rather than half read.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides

DESCRIBE_VPCS = read_call("ec2", "DescribeVpcs", "ec2:DescribeVpcs")
DESCRIBE_SUBNETS = read_call("ec2", "DescribeSubnets", "ec2:DescribeSubnets")
DESCRIBE_ROUTE_TABLES = read_call("ec2", "DescribeRouteTables", "ec2:DescribeRouteTables")

# API route keys that are CloudFormation AWS::EC2::Route properties under the same name
ROUTE_KEYS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId", "GatewayId",
              "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "InstanceId", "NetworkInterfaceId",
              "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn")
DESTINATION_KEYS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


def _listed(ctx, call, region, key) -> list:
    if not ctx.wants(call):
        return []
    return [item for page in ctx.pages(call, region) for item in page.get(key) or []]


def _tags(item) -> dict:
    tags = [{"Key": t.get("Key"), "Value": t.get("Value")} for t in item.get("Tags") or []]
    return {"Tags": tags} if tags else {}


def in_use(tables: list, subnets: list) -> list:
    """The route tables that route at least one subnet (explicitly, or as their VPC's main table)."""
    associated = {a["SubnetId"] for t in tables for a in t.get("Associations") or [] if a.get("SubnetId")}
    unassociated_vpcs = {s.get("VpcId") for s in subnets if s.get("SubnetId") not in associated}
    used = []
    for table in tables:
        associations = table.get("Associations") or []
        main = any(a.get("Main") for a in associations)
        if any(a.get("SubnetId") for a in associations) or (main and table.get("VpcId") in unassociated_vpcs):
            used.append(table)
    return used


def route_props(table_id: str, route: dict) -> dict | None:
    """A route in AWS::EC2::Route's shape, or None for the routes a template never declares."""
    gateway = route.get("GatewayId") or ""
    if gateway == "local" or gateway.startswith("vpce-") or route.get("Origin") == "CreateRouteTable":
        return None
    props = {"RouteTableId": table_id}
    props.update({key: route[key] for key in ROUTE_KEYS if route.get(key)})
    return props


def default_vpcs(vpcs) -> set:
    """The ids of the region's default VPC (every region has one unless someone deleted it)."""
    return {v["VpcId"] for v in vpcs if v.get("IsDefault")}


def collect(ctx, region) -> list:
    vpcs = _listed(ctx, DESCRIBE_VPCS, region, "Vpcs")
    subnets = _listed(ctx, DESCRIBE_SUBNETS, region, "Subnets")
    tables = _listed(ctx, DESCRIBE_ROUTE_TABLES, region, "RouteTables")
    partition = ctx.partition(region)
    defaults = default_vpcs(vpcs)
    records = []
    for vpc in vpcs:
        owner = vpc.get("OwnerId")
        props = {"CidrBlock": vpc.get("CidrBlock"), "InstanceTenancy": vpc.get("InstanceTenancy"), **_tags(vpc)}
        records.append(LiveRecord(
            type="AWS::EC2::VPC", name=vpc["VpcId"], props={k: v for k, v in props.items() if v is not None},
            arn=f"arn:{partition}:ec2:{region}:{owner}:vpc/{vpc['VpcId']}" if owner else None, account=owner,
            default=vpc["VpcId"] in defaults))
    for table in in_use(tables, subnets):
        table_id, owner = table["RouteTableId"], table.get("OwnerId")
        default = table.get("VpcId") in defaults
        records.append(LiveRecord(
            type="AWS::EC2::RouteTable", name=table_id, props={"VpcId": table.get("VpcId"), **_tags(table)},
            arn=f"arn:{partition}:ec2:{region}:{owner}:route-table/{table_id}" if owner else None, account=owner,
            default=default))
        for route in table.get("Routes") or []:
            props = route_props(table_id, route)
            if props is None:
                continue
            destination = next((route[k] for k in DESTINATION_KEYS if route.get(k)), "?")
            records.append(LiveRecord(type="AWS::EC2::Route", name=f"{table_id}/{destination}", props=props,
                                      account=owner, default=default))
        for association in table.get("Associations") or []:
            if association.get("SubnetId"):
                records.append(LiveRecord(
                    type="AWS::EC2::SubnetRouteTableAssociation", name=association["RouteTableAssociationId"],
                    props={"SubnetId": association["SubnetId"], "RouteTableId": table_id}, account=owner,
                    default=default))
    return records


_TABLES = (DESCRIBE_SUBNETS, DESCRIBE_ROUTE_TABLES)  # a table is recorded only when it routes a subnet
COLLECTOR = Collector(
    name="VPC route tables",
    types={
        "AWS::EC2::VPC": provides(DESCRIBE_VPCS, fields(DESCRIBE_VPCS, "CidrBlock", "InstanceTenancy", "Tags")),
        "AWS::EC2::RouteTable": provides(_TABLES, fields(_TABLES, "VpcId", "Tags")),
        "AWS::EC2::Route": provides(_TABLES, fields(_TABLES, "RouteTableId", *ROUTE_KEYS)),
        "AWS::EC2::SubnetRouteTableAssociation": provides(_TABLES, fields(_TABLES, "SubnetId", "RouteTableId")),
    },
    collect=collect,
)

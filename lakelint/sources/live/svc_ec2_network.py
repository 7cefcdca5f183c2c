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

Each of the three listings is paginated; a listing that fails raises ``Fault``, so the region's
network is reported as not read (an error entry) rather than half read.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.services import LiveRecord, ServiceCollector

DESCRIBE_VPCS = _call("ec2", "DescribeVpcs", "ec2:DescribeVpcs")
DESCRIBE_SUBNETS = _call("ec2", "DescribeSubnets", "ec2:DescribeSubnets")
DESCRIBE_ROUTE_TABLES = _call("ec2", "DescribeRouteTables", "ec2:DescribeRouteTables")

# API route keys that are CloudFormation AWS::EC2::Route properties under the same name
ROUTE_KEYS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId", "GatewayId",
              "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "InstanceId", "NetworkInterfaceId",
              "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn")
DESTINATION_KEYS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


def _listed(session, call, region, key) -> list:
    return [item for page in session.pages(call, region) for item in page.get(key) or []]


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


def collect(session, region) -> list:
    vpcs = _listed(session, DESCRIBE_VPCS, region, "Vpcs")
    subnets = _listed(session, DESCRIBE_SUBNETS, region, "Subnets")
    tables = _listed(session, DESCRIBE_ROUTE_TABLES, region, "RouteTables")
    partition = session.partition(region)
    records = []
    for vpc in vpcs:
        owner = vpc.get("OwnerId")
        props = {"CidrBlock": vpc.get("CidrBlock"), "InstanceTenancy": vpc.get("InstanceTenancy"), **_tags(vpc)}
        records.append(LiveRecord(
            type="AWS::EC2::VPC", name=vpc["VpcId"], props={k: v for k, v in props.items() if v is not None},
            arn=f"arn:{partition}:ec2:{region}:{owner}:vpc/{vpc['VpcId']}" if owner else None, account=owner))
    for table in in_use(tables, subnets):
        table_id, owner = table["RouteTableId"], table.get("OwnerId")
        records.append(LiveRecord(
            type="AWS::EC2::RouteTable", name=table_id, props={"VpcId": table.get("VpcId"), **_tags(table)},
            arn=f"arn:{partition}:ec2:{region}:{owner}:route-table/{table_id}" if owner else None, account=owner))
        for route in table.get("Routes") or []:
            props = route_props(table_id, route)
            if props is None:
                continue
            destination = next((route[k] for k in DESTINATION_KEYS if route.get(k)), "?")
            records.append(LiveRecord(type="AWS::EC2::Route", name=f"{table_id}/{destination}", props=props,
                                      account=owner))
        for association in table.get("Associations") or []:
            if association.get("SubnetId"):
                records.append(LiveRecord(
                    type="AWS::EC2::SubnetRouteTableAssociation", name=association["RouteTableAssociationId"],
                    props={"SubnetId": association["SubnetId"], "RouteTableId": table_id}, account=owner))
    return records


COLLECTOR = ServiceCollector(
    name="VPC route tables",
    resource_types=("AWS::EC2::VPC", "AWS::EC2::RouteTable", "AWS::EC2::Route",
                    "AWS::EC2::SubnetRouteTableAssociation"),
    calls=(DESCRIBE_VPCS, DESCRIBE_SUBNETS, DESCRIBE_ROUTE_TABLES),
    collect=collect,
)

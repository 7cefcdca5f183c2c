"""The VPC route table collector (collectors/ec2_network.py): shape, which tables count, faults, calls."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from lakelint.sources.live.collectors import ec2_network as svc
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan


def seed_full_scan(aws):
    """A VPC with a subnet, its own route table and an internet route: every call is made (moto's
    default VPC alone would do, but this one has something in each listing)."""
    ec2 = aws.ec2
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)


def scan_with(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=[svc.COLLECTOR])
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def of_type(stacks, rtype) -> dict:
    return {r.name: r for s in stacks for r in s.resources if r.type == rtype}


def test_records_have_cloudformation_shape(mocked_aws, live_session):
    ec2 = mocked_aws.ec2
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "lake"}]}])["Vpc"]["VpcId"]
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.2.0/24")["Subnet"]["SubnetId"]
    private_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    public_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    association = ec2.associate_route_table(RouteTableId=private_table, SubnetId=private)["AssociationId"]
    ec2.associate_route_table(RouteTableId=public_table, SubnetId=public)
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    ec2.create_route(RouteTableId=public_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway",
                            RouteTableIds=[private_table])
    result, stacks = scan_with(live_session())
    assert result.errors == []
    record = of_type(stacks, "AWS::EC2::VPC")[vpc]
    assert record.props == {"CidrBlock": "10.1.0.0/16", "InstanceTenancy": "default",
                            "Tags": [{"Key": "Name", "Value": "lake"}]}
    assert record.arn == f"arn:aws:ec2:us-east-1:123456789012:vpc/{vpc}"
    tables = of_type(stacks, "AWS::EC2::RouteTable")
    assert tables[private_table].props == {"VpcId": vpc} and tables[public_table].props == {"VpcId": vpc}
    routes = {r.props["RouteTableId"]: r for r in of_type(stacks, "AWS::EC2::Route").values()
              if r.props["RouteTableId"] in (private_table, public_table)}
    # no local route, no route the gateway endpoint added: a template declares neither
    assert list(routes) == [public_table]
    assert routes[public_table].props == {"RouteTableId": public_table, "DestinationCidrBlock": "0.0.0.0/0",
                                          "GatewayId": gateway}
    assert routes[public_table].name == f"{public_table}/0.0.0.0/0"
    associations = of_type(stacks, "AWS::EC2::SubnetRouteTableAssociation")
    assert associations[association].props == {"SubnetId": private, "RouteTableId": private_table}


def test_only_route_tables_that_route_a_subnet_are_recorded(mocked_aws, live_session):
    ec2 = mocked_aws.ec2
    empty_vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    lake_vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=lake_vpc, CidrBlock="10.3.1.0/24")["Subnet"]["SubnetId"]
    unused = ec2.create_route_table(VpcId=lake_vpc)["RouteTable"]["RouteTableId"]

    def main_of(vpc):
        return ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                  {"Name": "association.main", "Values": ["true"]}]
                                         )["RouteTables"][0]["RouteTableId"]

    result, stacks = scan_with(live_session())
    tables = of_type(stacks, "AWS::EC2::RouteTable")
    assert main_of(lake_vpc) in tables  # the subnet has no table of its own: the main table routes it
    assert main_of(empty_vpc) not in tables and unused not in tables
    assert {empty_vpc, lake_vpc} <= set(of_type(stacks, "AWS::EC2::VPC"))
    own = ec2.create_route_table(VpcId=lake_vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=own, SubnetId=subnet)
    result, stacks = scan_with(live_session())
    tables = of_type(stacks, "AWS::EC2::RouteTable")
    assert own in tables and main_of(lake_vpc) not in tables  # every subnet of the VPC has its own now


def deny_listing(session, method, operation):
    """Make the EC2 paginator of ``method`` fail as AWS does without the permission (HTTP 403)."""
    class Denied:
        def paginate(self, **kwargs):
            raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "no"},
                               "ResponseMetadata": {"HTTPStatusCode": 403}}, operation)

    def hook(client):
        if client.meta.service_model.service_name == "ec2":
            original = client.get_paginator
            client.get_paginator = lambda name: Denied() if name == method else original(name)

    session.on_client.append(hook)


@pytest.mark.parametrize("method, operation, action", [
    ("describe_vpcs", "DescribeVpcs", "ec2:DescribeVpcs"),
    ("describe_subnets", "DescribeSubnets", "ec2:DescribeSubnets"),
    ("describe_route_tables", "DescribeRouteTables", "ec2:DescribeRouteTables"),
])
def test_a_denied_listing_leaves_the_region_unread_with_an_error(mocked_aws, live_session, method, operation,
                                                                action):
    """The network is read whole or not at all: half of it (VPCs without their route tables) would
    pass LL204 on VPCs nobody looked at."""
    seed_full_scan(mocked_aws)
    session = live_session()
    deny_listing(session, method, operation)
    result, stacks = scan_with(session)
    assert of_type(stacks, "AWS::EC2::VPC") == {} and of_type(stacks, "AWS::EC2::RouteTable") == {}
    (error,) = result.errors
    assert error.iam_action == action and error.api_call == operation and error.resource == "us-east-1"


def test_an_unread_network_is_an_error_of_the_run_not_a_pass(mocked_aws, live_session):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live

    seed_full_scan(mocked_aws)
    session = live_session()
    deny_listing(session, "describe_route_tables", "DescribeRouteTables")
    report = lint_live(build_config({"select": ["LL204"]}, None), load_checks(plugins=False),
                       regions=["us-east-1"], session=session)
    assert report.findings == []
    assert [e.iam_action for e in report.errors] == ["ec2:DescribeRouteTables"]


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_with(session)
    performed = {op for (service, op) in session.guard.operations() if service == "ec2"}
    assert performed == {c.operation for c in svc.COLLECTOR.calls}

"""A VPC with private route tables and no S3 gateway endpoint for them.

## What it does
For each `AWS::EC2::VPC` of the template, finds its route tables (`AWS::EC2::RouteTable` with that
`VpcId`) and treats as private every route table with no `AWS::EC2::Route` to an internet gateway
(`GatewayId` naming an `AWS::EC2::InternetGateway` of the template or an `igw-` id). It fails when the
VPC has private route tables and no S3 gateway endpoint (`AWS::EC2::VPCEndpoint` with an S3 service
name, `VpcEndpointType` `Gateway` or absent, and that `VpcId`), or when a private route table is not
in any S3 gateway endpoint's `RouteTableIds`. Route tables from a parameter without a value cannot be
matched and make the check unknown. A route that reaches an internet gateway in any `Fn::If` branch
makes its table public.

On a live account the same resources come from each scanned region: VPCs from `DescribeVpcs`, route
tables and their routes from `DescribeRouteTables` (only tables that route a subnet, explicitly or as
the VPC's main table, which `DescribeSubnets` tells), endpoints from `DescribeVpcEndpoints`. Resources
are named by their ids (`vpc-...`, `rtb-...`).

**When the property is absent:** without a gateway endpoint, S3 requests from private subnets go
through the NAT gateway (or fail when there is none).

## Why it matters
Data-lake jobs move terabytes between private subnets and S3. Through a NAT gateway that traffic is
billed per GB, competes for NAT bandwidth and leaves the VPC through the internet path; through the
S3 gateway endpoint it is free, stays on the AWS network, and can be limited by an endpoint policy
(LL201, LL202) and by `aws:SourceVpce` conditions in bucket policies.

## Example
```yaml
Vpc:
  Type: AWS::EC2::VPC                    # LL204: PrivateRouteTable has no S3 gateway endpoint
  Properties: {CidrBlock: 10.0.0.0/16}
PrivateRouteTable:
  Type: AWS::EC2::RouteTable
  Properties: {VpcId: !Ref Vpc}
```

## Fix
```yaml
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    VpcEndpointType: Gateway
    RouteTableIds: [!Ref PrivateRouteTable]
```
With the AWS CLI:
```sh
aws ec2 create-vpc-endpoint --vpc-id vpc-0123456789abcdef0 --vpc-endpoint-type Gateway \
  --service-name com.amazonaws.eu-west-1.s3 --route-table-ids rtb-0123456789abcdef0
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
- https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
- https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, known
from lakelint.knowledge.services import endpoint_service
from lakelint.core.values import MISSING, as_list, is_unresolved


def referenced(resource, prop) -> tuple[set, list]:
    """(logical ids the property refers to in any branch, Unresolved values that name no resource)."""
    names, opaque = set(), []
    resources = {r.name for r in resource.stack.resources} if resource.stack is not None else set()
    for branch in resource.branches(prop):
        for value in as_list(branch.value) if branch.value is not MISSING else []:
            if is_unresolved(value):
                inside = set(value.refs) & resources
                names |= inside
                if not inside:
                    opaque.append(value)
            elif isinstance(value, str):
                names.add(value)  # a literal id (igw-..., rtb-...)
    return names, opaque


def routed_tables(stack, target_key: str, targets: set, prefix: str) -> set:
    """Route tables with an ``AWS::EC2::Route`` whose ``target_key`` names one of ``targets`` (logical ids
    of the template) or a literal id starting with ``prefix``, in any branch."""
    tables = set()
    for route in stack.of_type("AWS::EC2::Route"):
        found, _ = referenced(route, target_key)
        if any(t in targets or t.startswith(prefix) for t in found):
            tables |= referenced(route, "RouteTableId")[0]
    return tables


def public_route_tables(stack) -> set:
    return routed_tables(stack, "GatewayId", {r.name for r in stack.of_type("AWS::EC2::InternetGateway")}, "igw-")


def nat_route_tables(stack) -> set:
    """Route tables with a route to a NAT gateway (or a NAT instance): where S3 traffic without an
    endpoint goes through NAT. Without one, S3 is simply unreachable from the table's subnets."""
    nat = routed_tables(stack, "NatGatewayId", {r.name for r in stack.of_type("AWS::EC2::NatGateway")}, "nat-")
    return nat | routed_tables(stack, "InstanceId", set(), "i-")


def s3_gateway_endpoints(stack, vpc) -> list:
    """[(endpoint, branches in which it is not a gateway endpoint)] for the VPC's S3 endpoints that
    are gateway endpoints in at least one branch."""
    found = []
    for endpoint in stack.of_type("AWS::EC2::VPCEndpoint"):
        if not any(endpoint_service(b.value) == "s3" for b in endpoint.branches("ServiceName")):
            continue
        if vpc.name not in referenced(endpoint, "VpcId")[0]:
            continue
        branches = endpoint.branches("VpcEndpointType")
        other = [b for b in branches if b.value not in (MISSING, "Gateway")]
        if len(other) < len(branches):
            found.append((endpoint, other))
    return found


def consequence(tables, nat: set) -> str:
    """What happens to S3 traffic from these route tables without a gateway endpoint."""
    if any(t in nat for t in tables):
        return "S3 traffic leaves through NAT"
    return "S3 is unreachable from their subnets (no route to NAT either) unless an endpoint is added"


@check(code="LL204", name="vpc-s3-gateway-endpoint", severity="low",
       title="VPC with private route tables and no S3 gateway endpoint",
       scope="stack", sources=["template", "live"],
       resource_types=["AWS::EC2::VPC", "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::InternetGateway",
                       "AWS::EC2::VPCEndpoint"],
       # VPCs, internet and NAT gateways are read by name only (live mode lists no gateway: a route
       # names its gateway by id, igw-... or nat-..., which is all the check needs)
       reads={"AWS::EC2::VPC": [], "AWS::EC2::InternetGateway": [], "AWS::EC2::NatGateway": [],
              "AWS::EC2::RouteTable": ["VpcId"],
              "AWS::EC2::Route": ["RouteTableId", "GatewayId", "NatGatewayId", "InstanceId"],
              "AWS::EC2::VPCEndpoint": ["ServiceName", "VpcId", "VpcEndpointType", "RouteTableIds"]})
def vpc_s3_gateway_endpoint(stack, ctx):
    vpcs = stack.of_type("AWS::EC2::VPC")
    if not vpcs:
        return
    public, nat = public_route_tables(stack), nat_route_tables(stack)
    for vpc in vpcs:
        tables = [t for t in stack.of_type("AWS::EC2::RouteTable") if vpc.name in referenced(t, "VpcId")[0]]
        candidates = s3_gateway_endpoints(stack, vpc)
        problems = []  # (kind, route tables, verdict): one finding per kind, naming every table concerned
        # route tables and endpoints with a Condition exist only where it holds: each part on its own
        for present in existing(tables + [e for e, _ in candidates], within=vpc):
            private = [t.name for t in tables if t in present and t.name not in public]
            if private:
                problems += _judge(vpc, private, [(e, other) for e, other in candidates if e in present])
        yield from _worded(vpc, problems, nat)


def _judge(vpc, private, candidates) -> list:
    if not candidates:
        return [("none", private, None, fail("", resource=vpc, at=vpc.pos, key="VPCEndpoint"))]
    found = []
    if all(other for _, other in candidates):
        endpoint, other = candidates[0]
        found.append(("interface", private, endpoint.name,
                      fail("", branch=other[0], resource=vpc, at=vpc.pos, key="VPCEndpoint")))
    endpoints = [endpoint for endpoint, _ in candidates]
    covered, opaque = set(), []
    for endpoint in endpoints:
        names, unknown_ids = referenced(endpoint, "RouteTableIds")
        covered |= names
        opaque += unknown_ids
    missing = [name for name in private if name not in covered]
    if missing and opaque:
        known(opaque[0], "which route tables the S3 gateway endpoint serves", at=vpc.pos, key="VPCEndpoint",
              resource=vpc)
    elif missing:
        found.append(("uncovered", missing, endpoints[0].name,
                      fail("", resource=vpc, at=vpc.pos, key="VPCEndpoint")))
    return found


def _worded(vpc, problems, nat):
    """The verdicts of every part, each kind worded once with every route table it concerns, so that
    the parts where the same problem holds make one finding."""
    tables = {}
    for kind, names, _, _ in problems:
        tables.setdefault(kind, [])
        tables[kind] += [n for n in names if n not in tables[kind]]
    for kind, _, endpoint, verdict in problems:
        names = tables[kind]
        listed, plural = ", ".join(names), len(names) > 1
        if kind == "none":
            verdict.message = (f"VPC {vpc.name} has private route tables ({listed}) and no S3 gateway endpoint: "
                               f"{consequence(names, nat)}")
        elif kind == "interface":
            verdict.message = (f"VPC {vpc.name} has private route tables ({listed}) and its S3 endpoint {endpoint} "
                               f"is not a gateway endpoint: {consequence(names, nat)}")
        elif kind == "uncovered":
            verdict.message = (f"private route table{'s' if plural else ''} {listed} of VPC {vpc.name} "
                               f"{'are' if plural else 'is'} not associated with the S3 gateway endpoint "
                               f"{endpoint}: {consequence(names, nat)}")
        yield verdict

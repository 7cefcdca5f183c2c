"""S3 access points of one region, in ``AWS::S3::AccessPoint``'s shape, linked to their buckets.

Access points belong to the account and live in a region (the bucket's), and are read through
s3control, which needs the account id: the scan's own ``GetCallerIdentity`` says it (once per scan,
shared by every collector). ``ListAccessPoints`` has no botocore
paginator, so its ``NextToken`` is followed here. Each access point then gets ``GetAccessPoint`` (its
Block Public Access settings; ``NoSuchAccessPoint`` there means it was deleted since the listing and
it is left out) and ``GetAccessPointPolicy`` (``NoSuchAccessPointPolicy`` means it has none, as a
template that sets no ``Policy``).

Records are linked to their bucket as relations_s3.py links templates: ``access_point.related("target")``
and ``bucket.related("access_points")``. A bucket of another account is not among the scanned buckets
and stays unlinked; its access point is still checked.
"""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.collectors._shared import arn_region

LIST_ACCESS_POINTS = read_call("s3control", "ListAccessPoints", "s3:ListAccessPoints")
GET_ACCESS_POINT = read_call("s3control", "GetAccessPoint", "s3:GetAccessPoint", "NoSuchAccessPoint")
GET_ACCESS_POINT_POLICY = read_call("s3control", "GetAccessPointPolicy", "s3:GetAccessPointPolicy",
                                "NoSuchAccessPointPolicy")
PAGE_SIZE = 1000
ACCESS_POINT_TYPE = "AWS::S3::AccessPoint"


def list_access_points(ctx, account: str, region: str) -> list:
    """Every access point the region's s3control endpoint lists, following ``NextToken``."""
    found, token = [], None
    while True:
        params = {"AccountId": account, "MaxResults": PAGE_SIZE}
        if token:
            params["NextToken"] = token
        page = ctx.read(LIST_ACCESS_POINTS, region, **params) or {}
        found += page.get("AccessPointList") or []
        token = page.get("NextToken")
        if not token:
            return found


def access_point_props(ctx, account: str, region: str, listed: dict) -> dict | None:
    """The access point's props, or None when it was deleted since the listing."""
    name = listed["Name"]
    props = {"Name": name}
    props.update({key: listed[key] for key in ("Bucket", "BucketAccountId") if listed.get(key)})
    vpc = (listed.get("VpcConfiguration") or {}).get("VpcId")
    if vpc:
        props["VpcConfiguration"] = {"VpcId": vpc}
    if ctx.wants(GET_ACCESS_POINT):
        try:
            described = ctx.read(GET_ACCESS_POINT, region, AccountId=account, Name=name)
            if described is None:
                return None
            if described.get("PublicAccessBlockConfiguration") is not None:
                props["PublicAccessBlockConfiguration"] = shapes.public_access_block(described)
        except Fault as fault:
            props["PublicAccessBlockConfiguration"] = fault.value()
    if ctx.wants(GET_ACCESS_POINT_POLICY):
        try:
            answer = ctx.read(GET_ACCESS_POINT_POLICY, region, AccountId=account, Name=name)
            if answer is not None:
                document = shapes.policy_document(answer.get("Policy"))
                if document is not MISSING:
                    props["Policy"] = document
        except Fault as fault:
            props["Policy"] = fault.value()
    return props


def collect(ctx, region) -> list:
    account = ctx.account
    records = []
    for listed in list_access_points(ctx, account, region):
        arn = listed.get("AccessPointArn")
        if arn_region(arn) not in (None, region):
            continue  # listed by another region's endpoint (emulators list every region's)
        props = access_point_props(ctx, account, region, listed)
        if props is None:
            continue
        links = [("target", "AWS::S3::Bucket", props["Bucket"], "access_points")] if props.get("Bucket") else []
        records.append(LiveRecord(type=ACCESS_POINT_TYPE, name=listed["Name"], props=props, arn=arn,
                                  links=links))
    return records


COLLECTOR = Collector(
    name="S3 access points",
    types={ACCESS_POINT_TYPE: provides(LIST_ACCESS_POINTS, {
        **fields(LIST_ACCESS_POINTS, "Name", "Bucket", "BucketAccountId", "VpcConfiguration"),
        **fields(GET_ACCESS_POINT, "PublicAccessBlockConfiguration"),
        **fields(GET_ACCESS_POINT_POLICY, "Policy")})},
    collect=collect,
)

"""S3 access points of one region, in ``AWS::S3::AccessPoint``'s shape, linked to their buckets.

Access points belong to the account and live in a region (the bucket's), and are read through
s3control, which needs the account id: the collector asks STS once per session (``GetCallerIdentity``
is already in the catalog, as the scan makes the same call). ``ListAccessPoints`` has no botocore
paginator, so its ``NextToken`` is followed here. Each access point then gets ``GetAccessPoint`` (its
Block Public Access settings; ``NoSuchAccessPoint`` there means it was deleted since the listing and
it is left out) and ``GetAccessPointPolicy`` (``NoSuchAccessPointPolicy`` means it has none, as a
template that sets no ``Policy``).

Records are linked to their bucket as relations_s3.py links templates: ``access_point.related("target")``
and ``bucket.related("access_points")``. A bucket of another account is not among the scanned buckets
and stays unlinked; its access point is still checked.
"""

from __future__ import annotations

import threading
import weakref

from lakelint.sources.live import catalog, shapes
from lakelint.sources.live.catalog import _call
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.services import LiveRecord, ServiceCollector
from lakelint.core.values import MISSING

LIST_ACCESS_POINTS = _call("s3control", "ListAccessPoints", "s3:ListAccessPoints")
GET_ACCESS_POINT = _call("s3control", "GetAccessPoint", "s3:GetAccessPoint", "NoSuchAccessPoint")
GET_ACCESS_POINT_POLICY = _call("s3control", "GetAccessPointPolicy", "s3:GetAccessPointPolicy",
                                "NoSuchAccessPointPolicy")
PAGE_SIZE = 1000

_accounts = weakref.WeakKeyDictionary()  # session -> account id: one STS call per scan, not per region
_accounts_lock = threading.Lock()


def account_id(session) -> str:
    """The scanned account's id; raises ``Fault`` when STS will not say (the region's listing fails)."""
    with _accounts_lock:
        known = _accounts.get(session)
    if known is None:
        known = session.read(catalog.GET_CALLER_IDENTITY)["Account"]
        with _accounts_lock:
            _accounts[session] = known
    return known


def list_access_points(session, account: str, region: str) -> list:
    """Every access point the region's s3control endpoint lists, following ``NextToken``."""
    found, token = [], None
    while True:
        params = {"AccountId": account, "MaxResults": PAGE_SIZE}
        if token:
            params["NextToken"] = token
        page = session.read(LIST_ACCESS_POINTS, region, **params) or {}
        found += page.get("AccessPointList") or []
        token = page.get("NextToken")
        if not token:
            return found


def arn_region(arn) -> str | None:
    """``arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME`` -> REGION."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    return parts[3] if len(parts) == 6 and parts[3] else None


def access_point_props(session, account: str, region: str, listed: dict) -> dict | None:
    """The access point's props, or None when it was deleted since the listing."""
    name = listed["Name"]
    props = {"Name": name}
    props.update({key: listed[key] for key in ("Bucket", "BucketAccountId") if listed.get(key)})
    vpc = (listed.get("VpcConfiguration") or {}).get("VpcId")
    if vpc:
        props["VpcConfiguration"] = {"VpcId": vpc}
    try:
        described = session.read(GET_ACCESS_POINT, region, AccountId=account, Name=name)
        if described is None:
            return None
        if described.get("PublicAccessBlockConfiguration") is not None:
            props["PublicAccessBlockConfiguration"] = shapes.public_access_block(described)
    except Fault as fault:
        props["PublicAccessBlockConfiguration"] = fault.value()
    try:
        answer = session.read(GET_ACCESS_POINT_POLICY, region, AccountId=account, Name=name)
        if answer is not None:
            document = shapes.policy_document(answer.get("Policy"))
            if document is not MISSING:
                props["Policy"] = document
    except Fault as fault:
        props["Policy"] = fault.value()
    return props


def collect(session, region) -> list:
    account = account_id(session)
    records = []
    for listed in list_access_points(session, account, region):
        arn = listed.get("AccessPointArn")
        if arn_region(arn) not in (None, region):
            continue  # listed by another region's endpoint (emulators list every region's)
        props = access_point_props(session, account, region, listed)
        if props is None:
            continue
        links = [("target", "AWS::S3::Bucket", props["Bucket"], "access_points")] if props.get("Bucket") else []
        records.append(LiveRecord(type="AWS::S3::AccessPoint", name=listed["Name"], props=props, arn=arn,
                                  links=links))
    return records


COLLECTOR = ServiceCollector(
    name="S3 access points",
    resource_types=("AWS::S3::AccessPoint",),
    calls=(LIST_ACCESS_POINTS, GET_ACCESS_POINT, GET_ACCESS_POINT_POLICY),
    collect=collect,
)

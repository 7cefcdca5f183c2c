"""S3 directory buckets (S3 Express One Zone) of one region, their policies and access points.

Directory buckets are read through the region's S3 Express control endpoint
(``s3express-control.<region>.amazonaws.com``), where botocore sends these calls for a bucket or access
point name of the directory form; their IAM actions are ``s3express:`` ones, not the ``s3:`` ones the
same operations need on general purpose buckets (``catalog.variants`` keeps both).

- ``ListDirectoryBuckets`` -> ``AWS::S3Express::DirectoryBucket`` {``BucketName``}, named by the bucket's
  name; ``GetBucketEncryption`` fills ``BucketEncryption`` in the shape general purpose buckets have
  (a KMS key it names links to its key record).
- ``GetBucketPolicy`` -> ``AWS::S3Express::BucketPolicy`` named ``<bucket>/policy`` {``Bucket``,
  ``PolicyDocument``}, linked to its bucket both ways (``policies`` / ``target``); ``NoSuchBucketPolicy``
  means the bucket has none, as a template without one.
- s3control's ``ListAccessPointsForDirectoryBuckets`` -> ``AWS::S3Express::AccessPoint`` {``Name``,
  ``Bucket``, ``BucketAccountId``, ``NetworkOrigin``, ``VpcConfiguration``}, linked to its bucket
  (``access_points`` / ``target``); ``GetAccessPoint`` fills ``PublicAccessBlockConfiguration``
  (``NoSuchAccessPoint``: deleted since the listing, left out) and ``GetAccessPointPolicy`` fills
  ``Policy`` (``NoSuchAccessPointPolicy``: none).

Through a custom endpoint (an emulator) botocore sends the bucket-level reads as zonal requests that
first mint session credentials (``s3express:CreateSession``), a call lakelint never makes: a region
that lists directory buckets there is skipped with a note instead.

A directory bucket's name always ends in ``--x-s3`` and an access point's in ``--xa-s3``: an answer
naming anything else is not a directory bucket (moto 5.2 answers ``ListDirectoryBuckets`` with the
general purpose bucket list) and is left out with a note. Only the region's own buckets and access
points are kept when the answer carries their ARN. A failed listing fails the collector for the region
(an error entry naming the call and its IAM action); a failed read puts an ``Unreadable`` at the
property; a region without S3 Express One Zone (its control endpoint does not exist:
collectors/_endpoints.py) and an emulator that does not implement one of these calls skip the service
there with a note.
"""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.collectors._endpoints import client_host
from lakelint.sources.live.collectors._shared import arn_region, listing_where_offered, present
from lakelint.sources.live.collectors._shared import read_or_unreadable as _read
from lakelint.sources.live.faults import Fault

DIRECTORY_BUCKET = "AWS::S3Express::DirectoryBucket"
BUCKET_POLICY = "AWS::S3Express::BucketPolicy"
ACCESS_POINT = "AWS::S3Express::AccessPoint"
BUCKET_SUFFIX = "--x-s3"
ACCESS_POINT_SUFFIX = "--xa-s3"

LIST_DIRECTORY_BUCKETS = read_call("s3", "ListDirectoryBuckets", "s3express:ListAllMyDirectoryBuckets")
GET_DIRECTORY_ENCRYPTION = read_call("s3", "GetBucketEncryption", "s3express:GetEncryptionConfiguration",
                                     "ServerSideEncryptionConfigurationNotFoundError")
GET_DIRECTORY_POLICY = read_call("s3", "GetBucketPolicy", "s3express:GetBucketPolicy", "NoSuchBucketPolicy")
LIST_ACCESS_POINTS = read_call("s3control", "ListAccessPointsForDirectoryBuckets",
                               "s3express:ListAccessPointsForDirectoryBuckets")
GET_ACCESS_POINT = read_call("s3control", "GetAccessPoint", "s3express:GetAccessPoint", "NoSuchAccessPoint")
GET_ACCESS_POINT_POLICY = read_call("s3control", "GetAccessPointPolicy", "s3express:GetAccessPointPolicy",
                                    "NoSuchAccessPointPolicy")


def _elsewhere(arn, region) -> bool:
    return arn_region(arn) not in (None, region)


def bucket_records(ctx, region, listed: dict) -> list:
    name = listed["Name"]
    arn = listed.get("BucketArn") or ctx.arn("s3express", region, f"bucket/{name}")
    records = []
    if ctx.lists(DIRECTORY_BUCKET):
        props = {"BucketName": name}
        if ctx.wants(GET_DIRECTORY_ENCRYPTION):
            answer, unreadable = _read(ctx, GET_DIRECTORY_ENCRYPTION, region, Bucket=name)
            props["BucketEncryption"] = unreadable or shapes.bucket_encryption(answer)
        records.append(LiveRecord(type=DIRECTORY_BUCKET, name=name, arn=arn,
                                  props=present(props)))
    if ctx.wants(GET_DIRECTORY_POLICY):
        answer, unreadable = _read(ctx, GET_DIRECTORY_POLICY, region, Bucket=name)
        document = unreadable or (shapes.policy_document(answer.get("Policy")) if answer else MISSING)
        if document is not MISSING:
            records.append(LiveRecord(type=BUCKET_POLICY, name=f"{name}/policy", arn=arn,
                                      props={"Bucket": name, "PolicyDocument": document},
                                      links=[("target", DIRECTORY_BUCKET, name, "policies")]))
    return records


def access_point_record(ctx, region, listed: dict) -> LiveRecord | None:
    """The access point's record, or None when it was deleted since the listing."""
    name = listed["Name"]
    props = {"Name": name}
    props.update({key: listed[key] for key in ("Bucket", "BucketAccountId", "NetworkOrigin") if listed.get(key)})
    vpc = (listed.get("VpcConfiguration") or {}).get("VpcId")
    if vpc:
        props["VpcConfiguration"] = {"VpcId": vpc}
    if ctx.wants(GET_ACCESS_POINT):
        answer, unreadable = _read(ctx, GET_ACCESS_POINT, region, AccountId=ctx.account, Name=name)
        if unreadable is not None:
            props["PublicAccessBlockConfiguration"] = unreadable
        elif answer is None:
            return None
        elif answer.get("PublicAccessBlockConfiguration") is not None:
            props["PublicAccessBlockConfiguration"] = shapes.public_access_block(answer)
    if ctx.wants(GET_ACCESS_POINT_POLICY):
        answer, unreadable = _read(ctx, GET_ACCESS_POINT_POLICY, region, AccountId=ctx.account, Name=name)
        document = unreadable or (shapes.policy_document(answer.get("Policy")) if answer else MISSING)
        if document is not MISSING:
            props["Policy"] = document
    arn = listed.get("AccessPointArn") or ctx.arn("s3express", region, f"accesspoint/{name}")
    links = [("target", DIRECTORY_BUCKET, props["Bucket"], "access_points")] if props.get("Bucket") else []
    return LiveRecord(type=ACCESS_POINT, name=name, arn=arn, props=props, links=links)


def control_host(ctx, region) -> str | None:
    """``s3express-control.<region>.<domain>``, the domain being the one s3control uses in the region."""
    host = client_host(ctx, "s3control", region)
    _, _, rest = (host or "").partition(".")
    return f"s3express-control.{rest}" if rest else None


def _listing(ctx, call, region, **params) -> list | None:
    """Every page of a listing; a region without S3 Express (its control endpoint does not exist) gives
    None, after a note."""
    return listing_where_offered(ctx, call, region, control_host(ctx, region),
                                 "S3 Express One Zone is not offered: directory buckets skipped", **params)


def _zonal_only(ctx, region):
    """A Fault when the bucket-level reads cannot be made as they are on AWS. Through a custom endpoint
    (an emulator) botocore does not send them to the S3 Express control endpoint: it sends them as zonal
    requests, first minting session credentials with ``s3express:CreateSession``, a call lakelint never
    makes (it is not in the catalog). None where they can."""
    from lakelint.sources.live.session import is_custom_endpoint

    if not (ctx.wants(GET_DIRECTORY_ENCRYPTION) or ctx.wants(GET_DIRECTORY_POLICY)):
        return None
    try:
        endpoint = ctx.session.client("s3", region).meta.endpoint_url
    except Exception:  # noqa: BLE001 - no client, no endpoint to judge: the reads report their own faults
        return None
    if not is_custom_endpoint(endpoint):
        return None
    return Fault(GET_DIRECTORY_ENCRYPTION, "unsupported",
                 f"through the endpoint {endpoint} botocore reads directory buckets with zonal sessions "
                 f"(s3express:CreateSession), which lakelint does not create")


def collect(ctx, region) -> list:
    records = []
    strays = []
    if ctx.lists(DIRECTORY_BUCKET) or ctx.lists(BUCKET_POLICY):
        pages = _listing(ctx, LIST_DIRECTORY_BUCKETS, region)
        if pages is None:
            return []
        listed_buckets = []
        for page in pages:
            for listed in page.get("Buckets") or []:
                if not str(listed.get("Name", "")).endswith(BUCKET_SUFFIX):
                    strays.append(str(listed.get("Name")))
                elif not _elsewhere(listed.get("BucketArn"), region):
                    listed_buckets.append(listed)
        refused = _zonal_only(ctx, region) if listed_buckets else None
        if refused is not None:
            raise refused
        for listed in listed_buckets:
            records += bucket_records(ctx, region, listed)
    if ctx.lists(ACCESS_POINT):
        pages = _listing(ctx, LIST_ACCESS_POINTS, region, AccountId=ctx.account)
        if pages is None:
            return records
        for page in pages:
            for listed in page.get("AccessPointList") or []:
                if not str(listed.get("Name", "")).endswith(ACCESS_POINT_SUFFIX):
                    strays.append(str(listed.get("Name")))
                    continue
                if not _elsewhere(listed.get("AccessPointArn"), region):
                    record = access_point_record(ctx, region, listed)
                    if record is not None:
                        records.append(record)
    if strays:
        ctx.note(f"S3 directory buckets in {region}: the endpoint listed {', '.join(sorted(strays)[:5])}"
                 f"{' and more' if len(strays) > 5 else ''} as directory buckets or their access points, but "
                 f"their names are not of the directory form (*{BUCKET_SUFFIX}, *{ACCESS_POINT_SUFFIX}): left out")
    return records


COLLECTOR = Collector(
    name="S3 directory buckets",
    types={
        DIRECTORY_BUCKET: provides(LIST_DIRECTORY_BUCKETS, {
            **fields(LIST_DIRECTORY_BUCKETS, "BucketName"),
            **fields(GET_DIRECTORY_ENCRYPTION, "BucketEncryption")}),
        BUCKET_POLICY: provides((LIST_DIRECTORY_BUCKETS, GET_DIRECTORY_POLICY), fields(
            (LIST_DIRECTORY_BUCKETS, GET_DIRECTORY_POLICY), "Bucket", "PolicyDocument")),
        ACCESS_POINT: provides(LIST_ACCESS_POINTS, {
            **fields(LIST_ACCESS_POINTS, "Name", "Bucket", "BucketAccountId", "NetworkOrigin", "VpcConfiguration"),
            **fields(GET_ACCESS_POINT, "PublicAccessBlockConfiguration"),
            **fields(GET_ACCESS_POINT_POLICY, "Policy")}),
    },
    collect=collect,
    failure="list S3 directory buckets in {region}",
)

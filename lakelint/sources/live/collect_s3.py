"""S3 buckets: the account's bucket list, then every property the checks read, one call each.

Each property is fetched once per bucket however many checks read it. A "not configured" answer
(``NoSuchLifecycleConfiguration``, ``NoSuchBucketPolicy``, ...) is a fact: the property is absent, as
it would be in a template that does not set it. A failed read puts an ``Unreadable`` at the
property's key instead. A bucket deleted while the scan runs is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lakelint.sources.live import catalog as c
from lakelint.sources.live import shapes
from lakelint.sources.live.faults import BucketGone, Fault
from lakelint.core.values import MISSING

LIST_PAGE_SIZE = 1000


def _one(key, convert):
    return lambda response: {key: convert(response)}


def _acl(response):
    return {"AclGrants": shapes.acl_grants(response), "AccessControl": shapes.canned_acl(response)}


# (call, the keys it fills, response -> {key: value}); MISSING values are left out of the props.
BUCKET_PROPERTIES = (
    (c.GET_PUBLIC_ACCESS_BLOCK, ("PublicAccessBlockConfiguration",),
     _one("PublicAccessBlockConfiguration", shapes.public_access_block)),
    (c.GET_BUCKET_ENCRYPTION, ("BucketEncryption",), _one("BucketEncryption", shapes.bucket_encryption)),
    (c.GET_BUCKET_LIFECYCLE, ("LifecycleConfiguration",),
     _one("LifecycleConfiguration", shapes.lifecycle_configuration)),
    (c.GET_BUCKET_VERSIONING, ("VersioningConfiguration",),
     _one("VersioningConfiguration", shapes.versioning_configuration)),
    (c.GET_BUCKET_LOGGING, ("LoggingConfiguration",), _one("LoggingConfiguration", shapes.logging_configuration)),
    (c.GET_BUCKET_WEBSITE, ("WebsiteConfiguration",), _one("WebsiteConfiguration", shapes.website_configuration)),
    (c.GET_BUCKET_OWNERSHIP, ("OwnershipControls",), _one("OwnershipControls", shapes.ownership_controls)),
    (c.GET_BUCKET_ACL, ("AclGrants", "AccessControl"), _acl),
    (c.GET_BUCKET_TAGGING, ("Tags",), _one("Tags", shapes.tags)),
    (c.GET_BUCKET_CORS, ("CorsConfiguration",), _one("CorsConfiguration", shapes.cors_configuration)),
)


@dataclass
class BucketRecord:
    name: str
    region: str | None
    props: dict = field(default_factory=dict)
    policy: object = None  # the parsed policy document, an Unreadable, or None when there is none
    # (relation, target type, target name, inverse relation), as LiveRecord.links: resolved in the region
    links: list = field(default_factory=list)


def list_buckets(session) -> list:
    """[(name, region or None)] for every bucket of the account, following ContinuationToken.

    ``BucketRegion`` comes with the listing on AWS; where it does not (moto), the region is read per
    bucket with GetBucketLocation. Raises ``Fault`` when the listing fails.
    """
    found = []
    token = None
    while True:
        params = {"MaxBuckets": LIST_PAGE_SIZE}
        if token:
            params["ContinuationToken"] = token
        page = session.read(c.LIST_BUCKETS, **params) or {}
        found += [(b["Name"], b.get("BucketRegion")) for b in page.get("Buckets") or []]
        token = page.get("ContinuationToken")
        if not token:
            return found


def bucket_region(session, name: str) -> str | None:
    """GetBucketLocation: no constraint means us-east-1, and ``EU`` is the old name of eu-west-1."""
    try:
        answer = session.read(c.GET_BUCKET_LOCATION, Bucket=name) or {}
    except Fault:
        return None  # the calls below still work: botocore follows S3's region redirects
    location = answer.get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location)


def collect_bucket(session, name: str, region: str | None, with_properties: bool = True):
    """One bucket's record, or None when it no longer exists."""
    try:
        if region is None:  # findings carry the region, whatever the checks need
            region = bucket_region(session, name)
        record = BucketRecord(name, region, {"BucketName": name})
        if not with_properties:
            return record
        for call, keys, convert in BUCKET_PROPERTIES:
            try:
                values = convert(session.read(call, region, Bucket=name))
            except Fault as fault:
                values = dict.fromkeys(keys, fault.value())
            record.props.update({k: v for k, v in values.items() if v is not MISSING})
        _link_log_destination(record)
        _collect_policy(session, record)
        return record
    except BucketGone:
        return None


def _link_log_destination(record: BucketRecord) -> None:
    """The bucket that receives this bucket's server access logs, as the template source links it
    (``access_log_destination`` / ``access_log_sources``). S3 requires the destination to be in the
    source's region and account, so the link resolves within the region's stack; a bucket logging into
    itself is no link."""
    logging = record.props.get("LoggingConfiguration")
    destination = logging.get("DestinationBucketName") if isinstance(logging, dict) else None
    if isinstance(destination, str) and destination and destination != record.name:
        record.links.append(("access_log_destination", "AWS::S3::Bucket", destination, "access_log_sources"))


def _collect_policy(session, record: BucketRecord) -> None:
    try:
        answer = session.read(c.GET_BUCKET_POLICY, record.region, Bucket=record.name)
    except Fault as fault:
        record.policy = fault.value()
        return
    if answer is None:
        return
    record.policy = shapes.policy_document(answer.get("Policy"))
    try:
        status = shapes.policy_status(session.read(c.GET_BUCKET_POLICY_STATUS, record.region, Bucket=record.name))
    except Fault as fault:
        status = fault.value()
    if status is not MISSING:
        record.props["PolicyStatus"] = status

"""S3 buckets: the account's bucket list, then the properties the checks read, one call each.

Buckets are one list per account (``ListBuckets``), each bucket read through its own region's
endpoint whatever ``--region`` says, so this collector runs once per scan and says each record's
region. Each planned property is fetched once per bucket however many checks read it; a property no
selected check reads is not fetched (and reads as unknown, never as "not configured").

A "not configured" answer (``NoSuchLifecycleConfiguration``, ``NoSuchBucketPolicy``, ...) is a fact: the
property is absent, as it would be in a template that does not set it. A failed read puts an
``Unreadable`` at the property's key instead. ``NoSuchBucket`` on any read (the region lookup included)
is checked with ``HeadBucket``: a bucket that is really gone (deleted during the scan) is left out with
a note on stderr; one that is still there keeps its other properties, and the one that answered
``NoSuchBucket`` is unknown ("could not evaluate").

A bucket with a policy also becomes an ``AWS::S3::BucketPolicy`` record (``Bucket``,
``PolicyDocument``), linked both ways to its bucket as the template source links them; a bucket that
logs to another bucket is linked to it (``access_log_destination`` / ``access_log_sources``).
"""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, fill, provides
from lakelint.sources.live.faults import BucketGone, Fault

BUCKET_TYPE = "AWS::S3::Bucket"
POLICY_TYPE = "AWS::S3::BucketPolicy"
ACCOUNT_TYPE = "LakeLint::Account"
LIST_PAGE_SIZE = 1000

LIST_BUCKETS = read_call("s3", "ListBuckets", "s3:ListAllMyBuckets")
GET_BUCKET_LOCATION = read_call("s3", "GetBucketLocation", "s3:GetBucketLocation")
HEAD_BUCKET = read_call("s3", "HeadBucket", "s3:ListBucket",
                        contingent="only when a read answers NoSuchBucket, to tell a deleted bucket from a fault")
GET_PUBLIC_ACCESS_BLOCK = read_call("s3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock",
                                    "NoSuchPublicAccessBlockConfiguration")
GET_BUCKET_ENCRYPTION = read_call("s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration",
                                  "ServerSideEncryptionConfigurationNotFoundError")
GET_BUCKET_LIFECYCLE = read_call("s3", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration",
                                 "NoSuchLifecycleConfiguration")
GET_BUCKET_POLICY = read_call("s3", "GetBucketPolicy", "s3:GetBucketPolicy", "NoSuchBucketPolicy")
GET_BUCKET_POLICY_STATUS = read_call("s3", "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", "NoSuchBucketPolicy")
GET_BUCKET_ACL = read_call("s3", "GetBucketAcl", "s3:GetBucketAcl")
GET_BUCKET_OWNERSHIP = read_call("s3", "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls",
                                 "OwnershipControlsNotFoundError")
GET_BUCKET_VERSIONING = read_call("s3", "GetBucketVersioning", "s3:GetBucketVersioning")
GET_BUCKET_LOGGING = read_call("s3", "GetBucketLogging", "s3:GetBucketLogging")
GET_BUCKET_WEBSITE = read_call("s3", "GetBucketWebsite", "s3:GetBucketWebsite", "NoSuchWebsiteConfiguration")
GET_BUCKET_TAGGING = read_call("s3", "GetBucketTagging", "s3:GetBucketTagging", "NoSuchTagSet")
GET_BUCKET_CORS = read_call("s3", "GetBucketCors", "s3:GetBucketCORS", "NoSuchCORSConfiguration")
GET_OBJECT_LOCK = read_call("s3", "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration",
                            "ObjectLockConfigurationNotFoundError")
GET_BUCKET_REPLICATION = read_call("s3", "GetBucketReplication", "s3:GetReplicationConfiguration",
                                   "ReplicationConfigurationNotFoundError")
GET_BUCKET_ACCELERATE = read_call("s3", "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration")

LISTING = (LIST_BUCKETS, GET_BUCKET_LOCATION)


def _one(key, convert):
    return lambda response: {key: convert(response)}


def _acl(response):
    return {"AclGrants": shapes.acl_grants(response), "AccessControl": shapes.canned_acl(response)}


# (call, the keys it fills, response -> {key: value}); MISSING values are left out of the props.
BUCKET_PROPERTIES = (
    (GET_PUBLIC_ACCESS_BLOCK, ("PublicAccessBlockConfiguration",),
     _one("PublicAccessBlockConfiguration", shapes.public_access_block)),
    (GET_BUCKET_ENCRYPTION, ("BucketEncryption",), _one("BucketEncryption", shapes.bucket_encryption)),
    (GET_BUCKET_LIFECYCLE, ("LifecycleConfiguration",),
     _one("LifecycleConfiguration", shapes.lifecycle_configuration)),
    (GET_BUCKET_VERSIONING, ("VersioningConfiguration",),
     _one("VersioningConfiguration", shapes.versioning_configuration)),
    (GET_BUCKET_LOGGING, ("LoggingConfiguration",), _one("LoggingConfiguration", shapes.logging_configuration)),
    (GET_BUCKET_WEBSITE, ("WebsiteConfiguration",), _one("WebsiteConfiguration", shapes.website_configuration)),
    (GET_BUCKET_OWNERSHIP, ("OwnershipControls",), _one("OwnershipControls", shapes.ownership_controls)),
    (GET_BUCKET_ACL, ("AclGrants", "AccessControl"), _acl),
    (GET_BUCKET_TAGGING, ("Tags",), _one("Tags", shapes.tags)),
    (GET_BUCKET_CORS, ("CorsConfiguration",), _one("CorsConfiguration", shapes.cors_configuration)),
    # Read only when a check declares them (none of the built-in ones did when they were added): a new
    # check that reads them needs no edit here (docs/contributing.md).
    (GET_OBJECT_LOCK, ("ObjectLockEnabled", "ObjectLockConfiguration"), shapes.object_lock),
    (GET_BUCKET_REPLICATION, ("ReplicationConfiguration",),
     _one("ReplicationConfiguration", shapes.replication_configuration)),
    (GET_BUCKET_ACCELERATE, ("AccelerateConfiguration",),
     _one("AccelerateConfiguration", shapes.accelerate_configuration)),
)


def list_buckets(ctx) -> list:
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
        page = ctx.read(LIST_BUCKETS, **params) or {}
        found += [(b["Name"], b.get("BucketRegion")) for b in page.get("Buckets") or []]
        token = page.get("ContinuationToken")
        if not token:
            return found


class BucketReader:
    """One bucket's reads, with the rule for ``NoSuchBucket``: ask ``HeadBucket`` once whether the
    bucket is really gone (``BucketGone``) or the answer was a fault (the property is unknown)."""

    def __init__(self, ctx, name: str, region: str | None):
        self.ctx, self.name, self.region = ctx, name, region
        self._there = None  # None: not asked yet; True: HeadBucket found it; str: why it could not say

    def read(self, call, region="unset"):
        region = self.region if region == "unset" else region
        try:
            return self.ctx.read(call, region, Bucket=self.name)
        except Fault as fault:
            if fault.code != "NoSuchBucket":
                raise
            there = self._confirm()
            if there is False:
                raise BucketGone(f"bucket {self.name} no longer exists ({call.operation} answered NoSuchBucket "
                                 f"and HeadBucket confirmed it): left out of the scan") from None
            why = ("HeadBucket finds the bucket" if there is True
                   else f"HeadBucket could not confirm it is gone: {there}")
            raise Fault(call, "error", f"NoSuchBucket on {call.operation}, but {why}", "NoSuchBucket") from None

    def _confirm(self):
        """True (the bucket is there), False (it is gone), or the reason HeadBucket could not say."""
        if self._there is None:
            try:
                self.ctx.read(HEAD_BUCKET, self.region, Bucket=self.name)
                self._there = True
            except Fault as fault:
                if fault.code in ("404", "NoSuchBucket", "NotFound"):
                    self._there = False
                else:
                    self._there = fault.detail
        return self._there


def bucket_region(reader: BucketReader) -> str | None:
    """GetBucketLocation: no constraint means us-east-1, and ``EU`` is the old name of eu-west-1.
    None when it cannot be read: the reads below still work (botocore follows S3's redirects)."""
    try:
        answer = reader.read(GET_BUCKET_LOCATION, region=None) or {}
    except Fault:
        return None
    location = answer.get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location)


def collect_bucket(ctx, name: str, region: str | None) -> list | None:
    """The bucket's record (and its policy's), or None when it no longer exists."""
    reader = BucketReader(ctx, name, region)
    try:
        if region is None:  # findings carry the region, whatever the checks need
            reader.region = region = bucket_region(reader)
        bucket = LiveRecord(type=BUCKET_TYPE, name=name, props={"BucketName": name}, region=region,
                            arn=f"arn:{ctx.partition(region)}:s3:::{name}")
        for call, keys, convert in BUCKET_PROPERTIES:
            if not ctx.wants(call):
                continue
            try:
                values = convert(reader.read(call))
            except Fault as fault:
                values = dict.fromkeys(keys, fault.value())
            bucket.props.update({k: v for k, v in values.items() if v is not MISSING})
        _link_log_destination(bucket)
        return [bucket] + _policy(ctx, reader, bucket)
    except BucketGone as gone:
        ctx.note(str(gone))
        return None


def _link_log_destination(record: LiveRecord) -> None:
    """The bucket that receives this bucket's server access logs, as the template source links it
    (``access_log_destination`` / ``access_log_sources``). S3 requires the destination to be in the
    source's region and account, so the link resolves within the region's stack; a bucket logging into
    itself is no link."""
    logging = record.props.get("LoggingConfiguration")
    destination = logging.get("DestinationBucketName") if isinstance(logging, dict) else None
    if isinstance(destination, str) and destination and destination != record.name:
        record.links.append(("access_log_destination", BUCKET_TYPE, destination, "access_log_sources"))


def policy_name(bucket: str) -> str:
    """A bucket name cannot hold "/", so this never collides with another bucket's name."""
    return f"{bucket}/policy"


def _policy(ctx, reader: BucketReader, bucket: LiveRecord) -> list:
    """The bucket's policy record ([] when it has none or the policy was not planned), and its
    ``PolicyStatus``. A policy that could not be read is a policy record whose document is unknown."""
    if not ctx.wants(GET_BUCKET_POLICY):
        return []
    try:
        answer = reader.read(GET_BUCKET_POLICY)
    except Fault as fault:
        document = fault.value()
        if ctx.wants(GET_BUCKET_POLICY_STATUS):
            bucket.props["PolicyStatus"] = document
    else:
        if answer is None:
            return []
        document = shapes.policy_document(answer.get("Policy"))
        if ctx.wants(GET_BUCKET_POLICY_STATUS):
            try:
                status = shapes.policy_status(reader.read(GET_BUCKET_POLICY_STATUS))
            except Fault as fault:
                status = fault.value()
            if status is not MISSING:
                bucket.props["PolicyStatus"] = status
    return [LiveRecord(type=POLICY_TYPE, name=policy_name(bucket.name), region=bucket.region, arn=bucket.arn,
                       props={"Bucket": bucket.name, "PolicyDocument": document},
                       links=[("target", BUCKET_TYPE, bucket.name, "policies")])]


DIRECTORY_SUFFIX = "--x-s3"  # reserved for directory buckets: never a general purpose bucket's name


def collect(ctx, region=None) -> list:
    """Every bucket, read on the scan's pool (one job per bucket, counted in the progress line).

    ``ListBuckets`` lists general purpose buckets only; a name with the directory-bucket suffix (an
    emulator's answer) is left out with a note: directory buckets are ``AWS::S3Express::DirectoryBucket``
    (collectors/s3_express.py), never ``AWS::S3::Bucket``."""
    listed = list_buckets(ctx)
    directory = sorted(name for name, _ in listed if name.endswith(DIRECTORY_SUFFIX))
    if directory:
        ctx.note(f"ListBuckets named {', '.join(directory)}, directory bucket names: not read as general "
                 f"purpose buckets")
        listed = [item for item in listed if not item[0].endswith(DIRECTORY_SUFFIX)]
    results = ctx.fan_out(lambda item: collect_bucket(ctx, *item), listed, "buckets")
    return [record for records in results for record in records]


_BUCKET_PROPERTIES = {"BucketName": fill(*LISTING)}
for _call_, _keys, _ in BUCKET_PROPERTIES:
    _BUCKET_PROPERTIES.update(fields(_call_, *_keys))
_BUCKET_PROPERTIES["PolicyStatus"] = fill(GET_BUCKET_POLICY, GET_BUCKET_POLICY_STATUS)

COLLECTOR = Collector(
    name="S3 buckets",
    scope="account",
    types={
        BUCKET_TYPE: provides(LISTING, _BUCKET_PROPERTIES),
        POLICY_TYPE: provides(LISTING + (GET_BUCKET_POLICY,), fields(LISTING + (GET_BUCKET_POLICY,),
                                                                      "Bucket", "PolicyDocument")),
    },
    collect=collect,
    failure="list the account's S3 buckets",
    # A bucket check that declares nothing exact may read the bucket's policy and the account-level
    # Block Public Access that covers it (LL101); a policy check may read its bucket.
    companions={BUCKET_TYPE: {POLICY_TYPE: ("*",), ACCOUNT_TYPE: ("PublicAccessBlockConfiguration",)},
                POLICY_TYPE: {BUCKET_TYPE: ("*",)}},
    contingent=(HEAD_BUCKET,),
)

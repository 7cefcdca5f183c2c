"""Account-level settings: S3 Block Public Access through s3control, and the S3 bucket quota.

Both are properties of the account's one ``LakeLint::Account`` record, which the inventory puts in
every stack of the account: LL101 reads its Block Public Access (the account-level setting covers a
bucket), LL302 judges it, LL301 reads the applied bucket quota. The quota is read only with
``bucket-quota: auto``: any other setting names the quota itself, so the account need not be asked.
"""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fill, provides
from lakelint.sources.live.faults import Fault

ACCOUNT_TYPE = "LakeLint::Account"

GET_ACCOUNT_PUBLIC_ACCESS_BLOCK = read_call("s3control", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock",
                                            "NoSuchPublicAccessBlockConfiguration")
GET_SERVICE_QUOTA = read_call("service-quotas", "GetServiceQuota", "servicequotas:GetServiceQuota",
                              "NoSuchResourceException")
GET_DEFAULT_SERVICE_QUOTA = read_call("service-quotas", "GetAWSDefaultServiceQuota",
                                      "servicequotas:GetAWSDefaultServiceQuota", "NoSuchResourceException")

# The S3 bucket quota in Service Quotas ("General purpose buckets"). Its value is global but is read
# through the us-east-1 endpoint, as AWS documents for S3 quotas.
S3_SERVICE_CODE = "s3"
S3_BUCKET_QUOTA_CODE = "L-DC2B2D3D"
QUOTA_REGION = "us-east-1"


def quota_is_auto(config) -> bool:
    return config is not None and config.option("bucket-quota") == "auto"


def account_public_access_block(ctx, region: str | None):
    """The account's Block Public Access settings; MISSING when never configured."""
    try:
        return shapes.public_access_block(ctx.read(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK, region, AccountId=ctx.account))
    except Fault as fault:
        return fault.value()


def bucket_quota(ctx):
    """The applied "General purpose buckets" quota (L-DC2B2D3D), read in us-east-1.

    An account that never changed the quota may have no applied value; the AWS default is then the
    value that applies. When neither can be read the quota is an ``Unreadable``: LL301 must not guess.
    """
    params = dict(ServiceCode=S3_SERVICE_CODE, QuotaCode=S3_BUCKET_QUOTA_CODE)
    try:
        answer = ctx.read(GET_SERVICE_QUOTA, QUOTA_REGION, **params)
        if answer is None:
            answer = ctx.read(GET_DEFAULT_SERVICE_QUOTA, QUOTA_REGION, **params)
    except Fault as fault:
        return fault.value()
    value = ((answer or {}).get("Quota") or {}).get("Value")
    if value is None:
        return Fault(GET_DEFAULT_SERVICE_QUOTA, "error",
                     f"no value for quota {S3_BUCKET_QUOTA_CODE} from GetServiceQuota or "
                     f"GetAWSDefaultServiceQuota").value()
    return int(value)


def collect(ctx, region=None) -> list:
    props = {}
    if ctx.wants(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK):
        config = account_public_access_block(ctx, ctx.home_region)
        if config is not MISSING:
            props["PublicAccessBlockConfiguration"] = config
    if ctx.wants(GET_SERVICE_QUOTA):
        props["S3BucketQuota"] = bucket_quota(ctx)
    return [LiveRecord(type=ACCOUNT_TYPE, name=ctx.account, props=props)]


COLLECTOR = Collector(
    name="Account settings",
    scope="account",
    types={ACCOUNT_TYPE: provides((), {
        "PublicAccessBlockConfiguration": fill(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK),
        "S3BucketQuota": fill(GET_SERVICE_QUOTA, GET_DEFAULT_SERVICE_QUOTA, when=quota_is_auto,
                              condition="with bucket-quota: auto"),
    })},
    collect=collect,
    failure="read the account's settings",
    companions={},
)

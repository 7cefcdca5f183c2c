"""Account-level settings: Block Public Access through s3control, and the S3 bucket quota.

Both end up in the one ``LakeLint::Account`` record of the account, which LL101 (account-level Block
Public Access covers a bucket) and LL301 (the applied bucket quota) read.
"""

from __future__ import annotations

from lakelint.sources.live import catalog as c
from lakelint.sources.live import shapes
from lakelint.sources.live.faults import Fault
from lakelint.core.values import MISSING


def account_public_access_block(session, account: str, region: str | None):
    """The account's Block Public Access settings; MISSING when never configured."""
    try:
        return shapes.public_access_block(session.read(c.GET_ACCOUNT_PUBLIC_ACCESS_BLOCK, region, AccountId=account))
    except Fault as fault:
        return fault.value()


def bucket_quota(session):
    """The applied "General purpose buckets" quota (L-DC2B2D3D), read in us-east-1.

    An account that never changed the quota may have no applied value; the AWS default is then the
    value that applies. When neither can be read the quota is an ``Unreadable``: LL301 must not guess.
    """
    params = dict(ServiceCode=c.S3_SERVICE_CODE, QuotaCode=c.S3_BUCKET_QUOTA_CODE)
    try:
        answer = session.read(c.GET_SERVICE_QUOTA, c.QUOTA_REGION, **params)
        if answer is None:
            answer = session.read(c.GET_DEFAULT_SERVICE_QUOTA, c.QUOTA_REGION, **params)
    except Fault as fault:
        return fault.value()
    value = ((answer or {}).get("Quota") or {}).get("Value")
    if value is None:
        return Fault(c.GET_DEFAULT_SERVICE_QUOTA, "error",
                     f"no value for quota {c.S3_BUCKET_QUOTA_CODE} from GetServiceQuota or "
                     f"GetAWSDefaultServiceQuota").value()
    return int(value)


def account_props(session, account: str, region: str | None, *, public_access: bool, quota: bool) -> dict:
    props = {}
    if public_access:
        config = account_public_access_block(session, account, region)
        if config is not MISSING:
            props["PublicAccessBlockConfiguration"] = config
    if quota:
        props["S3BucketQuota"] = bucket_quota(session)
    return props

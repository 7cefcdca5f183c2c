"""Every AWS API call live mode may make, and the IAM action each one needs.

This table is the single source of truth for three things that must never drift apart: the calls the
collectors make (a call missing here is refused by the read-only guard), the least-privilege policy
``--print-iam-policy`` prints, and the IAM action an "could not evaluate" error names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadCall:
    service: str  # boto3 client name
    operation: str  # API operation name, as botocore spells it
    iam_action: str
    not_configured: tuple = ()  # error codes that mean "this is not configured": a fact, not a fault

    @property
    def method(self) -> str:
        from botocore import xform_name

        return xform_name(self.operation)


def _call(service, operation, iam_action, *not_configured):
    return ReadCall(service, operation, iam_action, tuple(not_configured))


GET_CALLER_IDENTITY = _call("sts", "GetCallerIdentity", "sts:GetCallerIdentity")
DESCRIBE_REGIONS = _call("ec2", "DescribeRegions", "ec2:DescribeRegions")

LIST_BUCKETS = _call("s3", "ListBuckets", "s3:ListAllMyBuckets")
GET_BUCKET_LOCATION = _call("s3", "GetBucketLocation", "s3:GetBucketLocation")
GET_PUBLIC_ACCESS_BLOCK = _call("s3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock",
                                "NoSuchPublicAccessBlockConfiguration")
GET_BUCKET_ENCRYPTION = _call("s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration",
                              "ServerSideEncryptionConfigurationNotFoundError")
GET_BUCKET_LIFECYCLE = _call("s3", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration",
                             "NoSuchLifecycleConfiguration")
GET_BUCKET_POLICY = _call("s3", "GetBucketPolicy", "s3:GetBucketPolicy", "NoSuchBucketPolicy")
GET_BUCKET_POLICY_STATUS = _call("s3", "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", "NoSuchBucketPolicy")
GET_BUCKET_ACL = _call("s3", "GetBucketAcl", "s3:GetBucketAcl")
GET_BUCKET_OWNERSHIP = _call("s3", "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls",
                             "OwnershipControlsNotFoundError")
GET_BUCKET_VERSIONING = _call("s3", "GetBucketVersioning", "s3:GetBucketVersioning")
GET_BUCKET_LOGGING = _call("s3", "GetBucketLogging", "s3:GetBucketLogging")
GET_BUCKET_WEBSITE = _call("s3", "GetBucketWebsite", "s3:GetBucketWebsite", "NoSuchWebsiteConfiguration")
GET_BUCKET_TAGGING = _call("s3", "GetBucketTagging", "s3:GetBucketTagging", "NoSuchTagSet")
GET_BUCKET_CORS = _call("s3", "GetBucketCors", "s3:GetBucketCORS", "NoSuchCORSConfiguration")

GET_ACCOUNT_PUBLIC_ACCESS_BLOCK = _call("s3control", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock",
                                        "NoSuchPublicAccessBlockConfiguration")
DESCRIBE_VPC_ENDPOINTS = _call("ec2", "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints")
GET_SERVICE_QUOTA = _call("service-quotas", "GetServiceQuota", "servicequotas:GetServiceQuota",
                          "NoSuchResourceException")
GET_DEFAULT_SERVICE_QUOTA = _call("service-quotas", "GetAWSDefaultServiceQuota",
                                  "servicequotas:GetAWSDefaultServiceQuota", "NoSuchResourceException")

ALL_CALLS = tuple(value for value in list(globals().values()) if isinstance(value, ReadCall))
_BY_OPERATION = {}

# The S3 bucket quota in Service Quotas ("General purpose buckets"). Its value is global but is read
# through the us-east-1 endpoint, as AWS documents for S3 quotas.
S3_SERVICE_CODE = "s3"
S3_BUCKET_QUOTA_CODE = "L-DC2B2D3D"
QUOTA_REGION = "us-east-1"


def all_calls() -> tuple:
    """The calls above plus those of every service collector (``svc_*.py``, see services.py)."""
    from lakelint.sources.live.services import service_calls

    return ALL_CALLS + tuple(service_calls())


def lookup(service: str, operation: str) -> ReadCall | None:
    if not _BY_OPERATION:
        _BY_OPERATION.update({(c.service, c.operation): c for c in all_calls()})
    return _BY_OPERATION.get((service, operation))

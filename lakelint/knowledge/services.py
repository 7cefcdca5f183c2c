"""Small facts about AWS services that several checks share (names, not behaviour).

Kept apart from the checks so that each check stays one module about one rule, and from the
sources so that checks never depend on where a resource came from.
"""

from __future__ import annotations

import re

# com.amazonaws.<region>.<service>, also with a partition prefix (cn.com.amazonaws...) or a region
# that is only known at deploy time (${AWS::Region}).
_ENDPOINT_SERVICE = re.compile(r"^(?:[a-z]+\.)?com\.amazonaws\.(?:\$\{[^}]+\}|[a-z0-9-]+)\.([a-z0-9.-]+)$")


def endpoint_service(service_name) -> str | None:
    """The service a VPC endpoint reaches ("s3", "dynamodb", ...), or None when it cannot be told."""
    if not isinstance(service_name, str):
        return None
    match = _ENDPOINT_SERVICE.match(service_name.strip())
    return match.group(1) if match else None


# -- S3 access control ---------------------------------------------------------------------------

# Canned ACLs that open a bucket to everyone, or to every AWS account holder.
S3_PUBLIC_CANNED_ACLS = ("PublicRead", "PublicReadWrite", "AuthenticatedRead")
# The predefined groups an ACL grant can name; both mean "outside your account".
S3_PUBLIC_GRANTEES = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}
# Canned ACL that lets the S3 log delivery group write: the mark of a server access log bucket.
S3_LOG_DELIVERY_ACL = "LogDeliveryWrite"


def s3_public_grantee(grantee) -> str | None:
    """"AllUsers" / "AuthenticatedUsers" when an ACL grantee (``{Type, URI, ID}``) is public."""
    if not isinstance(grantee, dict):
        return None
    uri = grantee.get("URI")
    if not isinstance(uri, str):
        return None
    uri = uri.strip().replace("https://", "http://")
    return S3_PUBLIC_GRANTEES.get(uri)


# -- S3 encryption -------------------------------------------------------------------------------

S3_KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
# The AWS managed key S3 uses when SSE-KMS names no key.
S3_AWS_MANAGED_KEY_ALIAS = "alias/aws/s3"


def is_aws_managed_s3_key(key_id) -> bool:
    """``alias/aws/s3`` written as an alias name or an alias ARN."""
    if not isinstance(key_id, str):
        return False
    return key_id.strip() == S3_AWS_MANAGED_KEY_ALIAS or key_id.strip().endswith(":" + S3_AWS_MANAGED_KEY_ALIAS)


# -- S3 lifecycle (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html)

# The waterfall: for each class a lifecycle rule can move objects into, the classes it can move them
# on to afterwards. Nothing transitions back up (to S3 Standard, or from One Zone-IA to Standard-IA).
S3_LIFECYCLE_NEXT = {
    "STANDARD_IA": ("INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"),
    "INTELLIGENT_TIERING": ("ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"),
    "ONEZONE_IA": ("GLACIER", "DEEP_ARCHIVE"),
    "GLACIER_IR": ("GLACIER", "DEEP_ARCHIVE"),
    "GLACIER": ("DEEP_ARCHIVE",),
    "DEEP_ARCHIVE": (),
}
# Objects must spend at least 30 days in S3 before they move to an infrequent-access class, and at
# least 30 days in that class before a rule moves them on.
S3_IA_CLASSES = ("STANDARD_IA", "ONEZONE_IA")
S3_IA_MIN_DAYS = 30


def s3_storage_class(value) -> str | None:
    """A lifecycle storage class in S3's spelling (CloudFormation also accepts ``Glacier``)."""
    if not isinstance(value, str):
        return None
    upper = value.strip().upper()
    return upper if upper in S3_LIFECYCLE_NEXT else None


# -- S3 ARNs -------------------------------------------------------------------------------------

_S3_ARN = re.compile(r"^arn:[^:]*:s3:::(.*)$")


def s3_arn_bucket(resource) -> str | None:
    """The bucket part of an S3 resource ARN (``arn:aws:s3:::lake/raw/*`` -> ``lake``); ``*`` for a
    bare ``*``; None for anything that is not an S3 bucket or object ARN."""
    if not isinstance(resource, str):
        return None
    text = resource.strip()
    if text == "*":
        return "*"
    match = _S3_ARN.match(text)
    if not match:
        return None
    return match.group(1).split("/", 1)[0]

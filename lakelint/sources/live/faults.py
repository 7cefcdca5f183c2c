"""What a failed read means, and the values that stand in for a property that was not read.

Live mode must never pass a resource because a call failed (Prowler's weak spot: a denied call leaves
a default behind and the check passes). A failed read becomes an ``Unreadable`` value at the
property's key; checks turn it into an "unknown" verdict, which the engine reports as a "could not
evaluate" error naming the API call and the IAM action, and the run exits 2. A property the scan did
not read at all (no selected check declared it, or no collector provides it) is a ``NotRead``: unknown
too, never "not configured".

AccessDenied is recognised by HTTP status 403, not by error code: S3 says ``AccessDenied``, EC2
``UnauthorizedOperation``, most JSON services ``AccessDeniedException``, and moto differs again. Invalid
credentials (a wrong key, a wrong secret) are told apart from a missing permission by their codes,
which also come with a 403.
"""

from __future__ import annotations

from lakelint.core.model import ErrorEntry
from lakelint.core.values import Unresolved
from lakelint.sources.live.redact import redact

EXPIRED_CREDENTIAL_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired",
                                      "TokenRefreshRequired"})
INVALID_CREDENTIAL_CODES = frozenset({"InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidAccessKeyId",
                                      "UnrecognizedClientException", "InvalidToken", "AuthFailure",
                                      "IncompleteSignature", "MissingAuthenticationToken",
                                      "InvalidSignatureException"})
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "RequestThrottled",
    "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "EC2ThrottledException",
})


class Unreadable(Unresolved):
    """A live property whose read failed. ``reason`` reads after "it": "could not be read: ..."."""

    api_call: str | None
    iam_action: str | None
    kind: str  # "access-denied", "invalid-credentials", "throttled", "timeout", "error", "not-read"

    def __new__(cls, api_call, iam_action, kind: str, detail: str):
        obj = super().__new__(cls, f"<unreadable: {api_call}>", f"could not be read: {detail}")
        obj.api_call = api_call
        obj.iam_action = iam_action
        obj.kind = kind
        obj.detail = detail
        return obj

    def __reduce__(self):  # results may cross process boundaries; str's default would lose the fields
        return (Unreadable, (self.api_call, self.iam_action, self.kind, self.detail))


class NotRead(Unreadable):
    """A property the scan did not read: unknown by construction. ``why`` finishes "was not read: ..."
    ("no live collector reads AWS::S3::Bucket ObjectLockConfiguration")."""

    def __new__(cls, resource_type: str, prop: str, why: str):
        obj = Unresolved.__new__(cls, f"<not read: {prop}>", f"was not read: {why}")
        obj.api_call = None
        obj.iam_action = None
        obj.kind = "not-read"
        obj.detail = why
        obj.resource_type, obj.prop = resource_type, prop
        return obj

    def __reduce__(self):
        return (NotRead, (self.resource_type, self.prop, self.detail))


class Fault(Exception):
    """A read that failed for a reason other than "not configured"."""

    def __init__(self, call, kind: str, detail: str, code: str | None = None):
        detail = redact(detail)
        super().__init__(detail)
        self.call = call
        self.kind = kind
        self.detail = detail
        self.code = code

    def value(self) -> Unreadable:
        return Unreadable(self.call.operation, self.call.iam_action, self.kind, self.detail)

    def error(self, what: str, resource: str | None = None) -> ErrorEntry:
        """An error entry for a failure that is not about one property (a listing, a whole region)."""
        return ErrorEntry(f"could not {what}: {self.detail}", resource=resource,
                          api_call=self.call.operation, iam_action=self.call.iam_action)


class BucketGone(Exception):
    """The bucket was deleted between the listing and a read of one of its properties (HeadBucket
    confirmed it). The message is the note said on stderr."""


def classify(call, exc: Exception) -> Fault:
    """Turn what botocore raised into a ``Fault`` with a reason a person can act on."""
    from botocore import exceptions as bx

    op, action = call.operation, call.iam_action
    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {}) or {}
        code = str(error.get("Code") or "")
        status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        if code in EXPIRED_CREDENTIAL_CODES:  # before 403: some services send expiry as a 403 too
            return Fault(call, "expired-credentials", f"the credentials have expired ({code} on {op}): refresh "
                                                      f"them (for SSO: aws sso login) and run again", code)
        if code in INVALID_CREDENTIAL_CODES:  # a 403 too, but no permission would help
            return Fault(call, "invalid-credentials", f"the credentials are invalid ({code} on {op}): the access "
                                                      f"key or its secret is wrong, or the key was deleted; check "
                                                      f"the profile or AWS_ACCESS_KEY_ID", code)
        if status == 403:
            return Fault(call, "access-denied", f"AccessDenied on {op} (needs {action})", code)
        if code in THROTTLING_CODES or status == 429:
            return Fault(call, "throttled", f"{op} was still throttled ({code or status}) after botocore's "
                                             f"retries", code)
        return Fault(call, "error", f"{code or f'HTTP {status}'} on {op}", code)
    if isinstance(exc, (bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return Fault(call, "timeout", f"{op} timed out ({type(exc).__name__})")
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectionClosedError)):
        return Fault(call, "timeout", f"could not connect for {op} ({type(exc).__name__})")
    if isinstance(exc, bx.BotoCoreError):
        return Fault(call, "error", f"{type(exc).__name__} on {op}: {exc}")
    raise exc

"""What moto cannot show, through botocore's Stubber: Service Quotas (LL301 with ``bucket-quota:
auto``), ListBuckets pagination (moto 5.2 returns only the first page when MaxBuckets is set),
GetBucketPolicyStatus (moto answers it empty), and responses in AWS's full shape (ACL grants,
lifecycle filters, website rules) turned into CloudFormation's property shape.

Stubbed clients answer in the order they are asked, so these tests scan with one worker.
"""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.stub import Stubber

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live import shapes
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.collectors import by_name
from lakelint.sources.live.collectors.s3_buckets import LIST_PAGE_SIZE, collect_bucket
from lakelint.sources.live.plan import ScanPlan
from lakelint.runs.live import lint_live
from lakelint.sources.live.session import LiveSession
from lakelint.core.values import MISSING

SPECS = load_checks(plugins=False)
QUOTA = {"ServiceCode": "s3", "QuotaCode": "L-DC2B2D3D"}


def _stub(session: LiveSession, service: str, add, region: str = "us-east-1") -> list:
    """Attach a Stubber to ``service``'s client in ``region`` when the scan creates it."""
    stubbers = []

    def attach(client):
        if client.meta.service_model.service_name == service and client.meta.region_name == region:
            stubber = Stubber(client)
            add(stubber)
            stubber.activate()
            stubbers.append(stubber)

    session.on_client.append(attach)
    return stubbers


def _buckets(mocked_aws, count):
    for index in range(count):
        mocked_aws.bucket(f"lake-{index}")


def _quota_scan(live_session, mocked_aws, add_quota, buckets=4):
    _buckets(mocked_aws, buckets)
    session = live_session(workers=1)
    stubbers = _stub(session, "service-quotas", add_quota)
    report = lint_live(build_config({"select": ["LL301"], "bucket-quota": "auto"}, None), SPECS,
                       regions=["us-east-1"], session=session)
    for stubber in stubbers:
        stubber.assert_no_pending_responses()
    return report


def test_applied_quota_is_used(mocked_aws, live_session):
    report = _quota_scan(live_session, mocked_aws, lambda s: s.add_response(
        "get_service_quota", {"Quota": {"QuotaCode": "L-DC2B2D3D", "Value": 5.0}}, QUOTA))
    assert report.errors == []
    assert [(f.check, f.resource, f.severity) for f in report.findings] == [("LL301", "lake-3", "medium")]
    assert report.findings[0].message == ("account 123456789012 has 4 S3 buckets, 80% of the bucket quota of 5 "
                                          "(the account's applied Service Quotas value)")


def test_default_quota_when_none_applied(mocked_aws, live_session):
    def add(stubber):
        stubber.add_client_error("get_service_quota", "NoSuchResourceException", http_status_code=400,
                                 expected_params=QUOTA)
        stubber.add_response("get_aws_default_service_quota", {"Quota": {"Value": 10000.0}}, QUOTA)

    report = _quota_scan(live_session, mocked_aws, add)
    assert report.errors == [] and report.findings == []


def test_denied_quota_is_could_not_evaluate_not_ten_thousand(mocked_aws, live_session):
    report = _quota_scan(live_session, mocked_aws, lambda s: s.add_client_error(
        "get_service_quota", "AccessDeniedException", http_status_code=403, expected_params=QUOTA))
    assert report.findings == []
    assert [(e.check, e.resource, e.api_call, e.iam_action) for e in report.errors] == [
        ("LL301", "123456789012", "GetServiceQuota", "servicequotas:GetServiceQuota")]
    assert report.errors[0].message == ("could not evaluate LL301 on 123456789012: could not be read: AccessDenied "
                                        "on GetServiceQuota (needs servicequotas:GetServiceQuota)")


def test_list_buckets_follows_continuation_tokens(mocked_aws, live_session):
    created = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)

    def page(names, token=None):
        body = {"Buckets": [{"Name": n, "CreationDate": created, "BucketRegion": "eu-west-1"} for n in names]}
        if token:
            body["ContinuationToken"] = token
        return body

    def add(stubber):
        stubber.add_response("list_buckets", page(["lake-a", "lake-b"], "t1"), {"MaxBuckets": LIST_PAGE_SIZE})
        stubber.add_response("list_buckets", page(["lake-c"], "t2"),
                             {"MaxBuckets": LIST_PAGE_SIZE, "ContinuationToken": "t1"})
        stubber.add_response("list_buckets", page(["lake-d"]), {"MaxBuckets": LIST_PAGE_SIZE, "ContinuationToken": "t2"})

    session = live_session(workers=1)
    stubbers = _stub(session, "s3", add)
    report = lint_live(build_config({"select": ["LL301"], "bucket-quota": 5}, None), SPECS,
                       regions=["us-east-1"], session=session)
    stubbers[0].assert_no_pending_responses()
    assert report.errors == []
    # four buckets from three pages: 80% of 5; the region came with the listing (no GetBucketLocation)
    assert [(f.resource, f.region) for f in report.findings] == [("lake-d", "eu-west-1")]
    assert ("s3", "GetBucketLocation") not in session.guard.operations()


NOT_CONFIGURED = {
    "get_public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "get_bucket_encryption": "ServerSideEncryptionConfigurationNotFoundError",
    "get_bucket_lifecycle_configuration": "NoSuchLifecycleConfiguration",
    "get_bucket_website": "NoSuchWebsiteConfiguration",
    "get_bucket_ownership_controls": "OwnershipControlsNotFoundError",
    "get_bucket_tagging": "NoSuchTagSet",
    "get_bucket_cors": "NoSuchCORSConfiguration",
    "get_bucket_policy": "NoSuchBucketPolicy",
    "get_object_lock_configuration": "ObjectLockConfigurationNotFoundError",
    "get_bucket_replication": "ReplicationConfigurationNotFoundError",
}
ORDER = ["get_public_access_block", "get_bucket_encryption", "get_bucket_lifecycle_configuration",
         "get_bucket_versioning", "get_bucket_logging", "get_bucket_website", "get_bucket_ownership_controls",
         "get_bucket_acl", "get_bucket_tagging", "get_bucket_cors", "get_object_lock_configuration",
         "get_bucket_replication", "get_bucket_accelerate_configuration", "get_bucket_policy"]
OWNER = "ownerid"


def _bucket_calls(answers: dict):
    """Stub one bucket's reads in the collector's order: ``answers`` gives a response (dict) or an
    error code (str) per method; the rest answer "not configured" (or an empty response)."""
    def add(stubber):
        has_policy = isinstance(answers.get("get_bucket_policy"), dict)
        for method in ORDER + (["get_bucket_policy_status"] if has_policy else []):
            answer = answers.get(method, NOT_CONFIGURED.get(method, {}))
            if method == "get_bucket_acl" and method not in answers:
                answer = {"Owner": {"ID": OWNER}, "Grants": [
                    {"Grantee": {"Type": "CanonicalUser", "ID": OWNER}, "Permission": "FULL_CONTROL"}]}
            if isinstance(answer, str):
                status = 403 if answer == "AccessDenied" else 404
                stubber.add_client_error(method, answer, http_status_code=status)
            else:
                stubber.add_response(method, answer, {"Bucket": "lake-raw"})
    return add


class _Bucket:
    """One bucket as the collector read it: its props, and its policy document (None: no policy)."""

    def __init__(self, records):
        self.props = records[0].props
        self.policy = records[1].props["PolicyDocument"] if len(records) > 1 else None


def _collect(live_session, answers: dict):
    session = live_session(workers=1)
    stubbers = _stub(session, "s3", _bucket_calls(answers))
    ctx = CollectContext(session, "123456789012", ScanPlan.everything(collectors=[by_name("S3 buckets")]))
    records = collect_bucket(ctx, "lake-raw", "us-east-1")
    stubbers[0].assert_no_pending_responses()
    return _Bucket(records), session


def test_policy_status_is_read_only_when_there_is_a_policy(live_session):
    record, session = _collect(live_session, {
        "get_bucket_policy": {"Policy": '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",'
                                        ' "Resource": "arn:aws:s3:::lake-raw/*"}]}'},
        "get_bucket_policy_status": {"PolicyStatus": {"IsPublic": True}},
    })
    assert record.props["PolicyStatus"] == {"IsPublic": True}
    assert record.policy["Statement"][0]["Principal"] == "*"
    record, session = _collect(live_session, {})
    assert "PolicyStatus" not in record.props and record.policy is None
    assert ("s3", "GetBucketPolicyStatus") not in session.guard.operations()


def test_not_configured_answers_are_absent_properties(live_session):
    record, _ = _collect(live_session, {})
    assert record.props == {"BucketName": "lake-raw", "AccessControl": "Private", "AclGrants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": OWNER}, "Permission": "FULL_CONTROL"}],
        # no ownership controls is not "absent": S3 applies ObjectWriter to such a bucket (see shapes.py)
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}}


def test_denied_property_is_unreadable_at_its_key_only(live_session):
    record, _ = _collect(live_session, {"get_bucket_acl": "AccessDenied", "get_bucket_policy": "AccessDenied"})
    for key in ("AclGrants", "AccessControl"):
        value = record.props[key]
        assert (value.api_call, value.iam_action, value.kind) == ("GetBucketAcl", "s3:GetBucketAcl", "access-denied")
        assert value.reason == "could not be read: AccessDenied on GetBucketAcl (needs s3:GetBucketAcl)"
    assert record.policy.api_call == "GetBucketPolicy"
    assert "PublicAccessBlockConfiguration" not in record.props


def test_full_aws_shapes_become_cloudformation_shapes(live_session):
    date = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    record, _ = _collect(live_session, {
        "get_bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "key-arn"},
            "BucketKeyEnabled": True}]}},
        "get_bucket_lifecycle_configuration": {"Rules": [
            {"ID": "a", "Status": "Enabled", "Filter": {"And": {"Prefix": "raw/", "Tags": [{"Key": "k", "Value": "v"}],
                                                                "ObjectSizeGreaterThan": 128}},
             "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Date": date, "StorageClass": "GLACIER"}],
             "NoncurrentVersionTransitions": [{"NoncurrentDays": 10, "StorageClass": "GLACIER"}],
             "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2},
             "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
            {"ID": "b", "Status": "Disabled", "Filter": {"Tag": {"Key": "t", "Value": "x"}},
             "Expiration": {"Date": date, "ExpiredObjectDeleteMarker": False}}]},
        "get_bucket_versioning": {"Status": "Suspended"},
        "get_bucket_logging": {"LoggingEnabled": {"TargetBucket": "logs", "TargetPrefix": "raw/"}},
        "get_bucket_website": {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "e.html"},
                               "RoutingRules": [{"Condition": {"KeyPrefixEquals": "a/"},
                                                 "Redirect": {"ReplaceKeyPrefixWith": "b/"}}]},
        "get_bucket_ownership_controls": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
        "get_bucket_acl": {"Owner": {"ID": OWNER}, "Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": OWNER}, "Permission": "FULL_CONTROL"},
            {"Grantee": {"Type": "Group", "URI": shapes.ALL_USERS}, "Permission": "READ"}]},
        "get_bucket_tagging": {"TagSet": [{"Key": "data-classification", "Value": "internal"}]},
        "get_bucket_cors": {"CORSRules": [{"AllowedMethods": ["PUT"], "AllowedOrigins": ["*"], "ExposeHeaders": ["ETag"],
                                           "MaxAgeSeconds": 60, "ID": "c"}]},
    })
    props = record.props
    assert props["BucketEncryption"] == {"ServerSideEncryptionConfiguration": [{
        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "key-arn"},
        "BucketKeyEnabled": True}]}
    assert props["LifecycleConfiguration"] == {"Rules": [
        {"Id": "a", "Status": "Enabled", "Prefix": "raw/", "TagFilters": [{"Key": "k", "Value": "v"}],
         "ObjectSizeGreaterThan": 128,
         "Transitions": [{"StorageClass": "STANDARD_IA", "TransitionInDays": 30},
                         {"StorageClass": "GLACIER", "TransitionDate": "2030-01-01T00:00:00+00:00"}],
         "NoncurrentVersionTransitions": [{"StorageClass": "GLACIER", "TransitionInDays": 10}],
         "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
        {"Id": "b", "Status": "Disabled", "TagFilters": [{"Key": "t", "Value": "x"}],
         "ExpirationDate": "2030-01-01T00:00:00+00:00", "ExpiredObjectDeleteMarker": False}]}
    assert props["VersioningConfiguration"] == {"Status": "Suspended"}
    assert props["LoggingConfiguration"] == {"DestinationBucketName": "logs", "LogFilePrefix": "raw/"}
    assert props["WebsiteConfiguration"] == {"IndexDocument": "index.html", "ErrorDocument": "e.html", "RoutingRules": [
        {"RedirectRule": {"ReplaceKeyPrefixWith": "b/"}, "RoutingRuleCondition": {"KeyPrefixEquals": "a/"}}]}
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["AccessControl"] == "PublicRead"
    assert props["AclGrants"][1] == {"Grantee": {"Type": "Group", "URI": shapes.ALL_USERS}, "Permission": "READ"}
    assert props["Tags"] == [{"Key": "data-classification", "Value": "internal"}]
    assert props["CorsConfiguration"] == {"CorsRules": [
        {"Id": "c", "AllowedMethods": ["PUT"], "AllowedOrigins": ["*"], "ExposedHeaders": ["ETag"], "MaxAge": 60}]}


@pytest.mark.parametrize("grants, canned", [
    ([], MISSING),
    ([("owner", "FULL_CONTROL"), (shapes.AUTHENTICATED_USERS, "READ")], "AuthenticatedRead"),
    ([("owner", "FULL_CONTROL"), (shapes.ALL_USERS, "READ"), (shapes.ALL_USERS, "WRITE")], "PublicReadWrite"),
    ([("owner", "FULL_CONTROL"), (shapes.LOG_DELIVERY, "WRITE"), (shapes.LOG_DELIVERY, "READ_ACP")], "LogDeliveryWrite"),
    ([("owner", "FULL_CONTROL"), ("someone-else", "READ")], MISSING),
])
def test_canned_acl_only_when_the_grants_match_exactly(grants, canned):
    def grantee(who):
        if who == "owner":
            return {"Type": "CanonicalUser", "ID": OWNER}
        if who.startswith("http"):
            return {"Type": "Group", "URI": who}
        return {"Type": "CanonicalUser", "ID": who}

    response = {"Owner": {"ID": OWNER}, "Grants": [{"Grantee": grantee(w), "Permission": p} for w, p in grants]}
    assert shapes.canned_acl(response) == canned


def test_unreadable_values_survive_pickling():
    import pickle

    from lakelint.sources.live.faults import Unreadable

    value = Unreadable("GetBucketAcl", "s3:GetBucketAcl", "access-denied", "AccessDenied on GetBucketAcl (needs s3:GetBucketAcl)")
    copy = pickle.loads(pickle.dumps(value))
    assert (copy, copy.reason, copy.api_call, copy.iam_action, copy.kind) == (
        value, value.reason, "GetBucketAcl", "s3:GetBucketAcl", "access-denied")

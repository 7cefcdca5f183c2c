"""The live side of the S3 bucket checks LL104-LL115: the collector's CloudFormation shape for the
properties they read, the access-log link, denied reads, and the bucket's own account in LL111.

The scenarios in fixtures/LL1xx/live.py cover pass and fail; this file covers what they cannot: the
exact shape of the records, and that a denied read is "could not evaluate", never a pass or a
finding.
"""

from __future__ import annotations

import json

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live
from lakelint.sources.live.collector import CollectContext
from lakelint.sources.live.collectors import by_name
from lakelint.sources.live.collectors.s3_buckets import collect_bucket
from lakelint.sources.live.plan import ScanPlan

SPECS = load_checks(plugins=False)
LOG_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::lake-logs/*"}]}


def _bucket(session, name):
    """The bucket's own record, as the S3 bucket collector reads it with every property planned."""
    ctx = CollectContext(session, "123456789012", ScanPlan.everything(collectors=[by_name("S3 buckets")]))
    return collect_bucket(ctx, name, "us-east-1")[0]


def _lint(aws, session, code, **config):
    session.on_client.append(aws.install_answers)
    return lint_live(build_config({"select": [code], **config}, None), SPECS, regions=["us-east-1"], session=session)


def test_bucket_properties_have_cloudformation_shape(mocked_aws, live_session):
    aws = mocked_aws
    aws.bucket("lake-logs")
    aws.s3.put_bucket_policy(Bucket="lake-logs", Policy=json.dumps(LOG_POLICY))
    aws.bucket("lake-raw")
    aws.lifecycle("lake-raw",
                  {"ID": "tiering", "Status": "Enabled",
                   "Filter": {"And": {"Prefix": "raw/", "Tags": [{"Key": "tier", "Value": "hot"}]}},
                   "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}], "Expiration": {"Days": 365}},
                  {"ID": "abort", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                   "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                   "NoncurrentVersionExpiration": {"NoncurrentDays": 90}})
    aws.s3.put_bucket_logging(Bucket="lake-raw", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "lake-logs", "TargetPrefix": "raw/"}})
    aws.s3.put_bucket_website(Bucket="lake-raw", WebsiteConfiguration={
        "IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"},
        "RoutingRules": [{"Condition": {"KeyPrefixEquals": "old/"}, "Redirect": {"ReplaceKeyPrefixWith": "new/"}}]})
    aws.s3.put_bucket_cors(Bucket="lake-raw", CORSConfiguration={"CORSRules": [
        {"ID": "app", "AllowedOrigins": ["*"], "AllowedMethods": ["PUT"], "ExposeHeaders": ["ETag"],
         "MaxAgeSeconds": 60}]})
    aws.s3.put_bucket_versioning(Bucket="lake-raw", VersioningConfiguration={"Status": "Suspended"})

    record = _bucket(live_session(workers=1), "lake-raw")
    props = record.props
    assert props["LifecycleConfiguration"] == {"Rules": [
        {"Id": "tiering", "Status": "Enabled", "Prefix": "raw/", "TagFilters": [{"Key": "tier", "Value": "hot"}],
         "ExpirationInDays": 365, "Transitions": [{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}]},
        {"Id": "abort", "Status": "Enabled", "Prefix": "tmp/", "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]}
    assert props["LoggingConfiguration"] == {"DestinationBucketName": "lake-logs", "LogFilePrefix": "raw/"}
    assert props["WebsiteConfiguration"] == {
        "IndexDocument": "index.html", "ErrorDocument": "error.html",
        "RoutingRules": [{"RedirectRule": {"ReplaceKeyPrefixWith": "new/"},
                          "RoutingRuleCondition": {"KeyPrefixEquals": "old/"}}]}
    assert props["CorsConfiguration"] == {"CorsRules": [
        {"Id": "app", "AllowedMethods": ["PUT"], "AllowedOrigins": ["*"], "ExposedHeaders": ["ETag"], "MaxAge": 60}]}
    assert props["VersioningConfiguration"] == {"Status": "Suspended"}
    # never set: S3 applies ObjectWriter to a bucket without ownership controls
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    assert props["AccessControl"] == "Private"
    assert record.links == [("access_log_destination", "AWS::S3::Bucket", "lake-logs", "access_log_sources")]


def test_bucket_logging_into_itself_is_no_link(mocked_aws, live_session):
    aws = mocked_aws
    aws.bucket("lake-logs")
    aws.s3.put_bucket_policy(Bucket="lake-logs", Policy=json.dumps(LOG_POLICY))
    aws.s3.put_bucket_logging(Bucket="lake-logs", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "lake-logs", "TargetPrefix": "self/"}})
    record = _bucket(live_session(workers=1), "lake-logs")
    assert record.props["LoggingConfiguration"]["DestinationBucketName"] == "lake-logs"
    assert record.links == []


# check -> (the call a denial of which leaves it unable to judge, the IAM action it needs)
DENIED = {
    "LL104": ("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    "LL105": ("GetBucketPolicy", "s3:GetBucketPolicy"),
    "LL106": ("GetBucketAcl", "s3:GetBucketAcl"),
    "LL107": ("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
    "LL108": ("GetBucketPolicy", "s3:GetBucketPolicy"),
    "LL109": ("GetBucketPolicy", "s3:GetBucketPolicy"),
    "LL110": ("GetBucketPolicy", "s3:GetBucketPolicy"),
    "LL111": ("GetBucketPolicy", "s3:GetBucketPolicy"),
    "LL112": ("GetBucketVersioning", "s3:GetBucketVersioning"),
    "LL113": ("GetBucketLogging", "s3:GetBucketLogging"),
    "LL114": ("GetBucketWebsite", "s3:GetBucketWebsite"),
    "LL115": ("GetBucketCors", "s3:GetBucketCORS"),
}


@pytest.mark.parametrize("code", sorted(DENIED))
def test_denied_read_is_could_not_evaluate(code, mocked_aws, live_session):
    operation, action = DENIED[code]
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer_error("s3", operation, "AccessDenied", 403)
    report = _lint(mocked_aws, live_session(workers=2), code)
    assert report.findings == []
    assert [(e.check, e.resource, e.api_call, e.iam_action) for e in report.errors] == [
        (code, "lake-raw/policy" if code in ("LL108", "LL109", "LL110", "LL111") else "lake-raw", operation, action)]


def test_log_bucket_with_unreadable_acl_is_not_asked_to_abort_uploads_blindly(mocked_aws, live_session):
    """LL104 exempts log buckets (LogDeliveryWrite ACL); when the ACL cannot be read, a bucket without
    an abort rule is "could not evaluate", not a finding."""
    mocked_aws.bucket("lake-logs")
    mocked_aws.answer_error("s3", "GetBucketAcl", "AccessDenied", 403)
    report = _lint(mocked_aws, live_session(workers=2), "LL104")
    assert report.findings == []
    assert [(e.check, e.resource, e.api_call) for e in report.errors] == [("LL104", "lake-logs", "GetBucketAcl")]


def test_cross_account_uses_the_scanned_account(monkeypatch, live_session):
    """LL111's own account is the account the credentials belong to, not a fixed one."""
    from moto import mock_aws

    from tests.live.conftest import ScenarioAWS

    monkeypatch.setenv("MOTO_ACCOUNT_ID", "210987654321")
    with mock_aws():
        aws = ScenarioAWS()
        aws.bucket("lake-raw")
        aws.s3.put_bucket_policy(Bucket="lake-raw", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake-raw/*"},
            {"Sid": "MotoDefault", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake-raw/*"}]}))
        report = _lint(aws, live_session(workers=2), "LL111")
    assert report.errors == []
    assert [(f.resource, f.account) for f in report.findings] == [("lake-raw/policy", "210987654321")]
    assert "allows account 123456789012" in report.findings[0].message

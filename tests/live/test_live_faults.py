"""Faults in live mode: denied, throttled and timed-out reads become "could not evaluate" errors
naming the API call, the resource and the IAM action; everything else is still reported; exit 2.

AccessDenied comes from moto's own IAM enforcement (a real user with a real policy); throttling
and timeouts are injected into botocore's send path, so botocore's retries run for real.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from lakelint.core.config import build_config
from lakelint.core.exits import exit_code
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live
from lakelint.sources.live.session import LiveSession

SPECS = load_checks(plugins=False)
HEADLINE = ["LL101", "LL102", "LL103", "LL201", "LL301"]


def _config(**extra):
    return build_config({"select": HEADLINE, **extra}, None)


def _user_session(aws, deny: list) -> LiveSession:
    """A LiveSession signed as an IAM user allowed everything except ``deny``."""
    iam = aws.client("iam")
    iam.create_user(UserName="auditor")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": deny, "Resource": "*"}]}
    iam.put_user_policy(UserName="auditor", PolicyName="audit", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    boto = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                         region_name="us-east-1")
    return LiveSession(boto_session=boto, workers=4)


def _lake(aws):
    aws.bucket("lake-raw")
    aws.public_access_block("lake-raw")
    aws.bucket("lake-open")
    aws.vpc_endpoint("s3-gateway")


def _pairs(items):
    return sorted((i.check, i.resource) for i in items)


def test_access_denied_on_one_property_is_an_error_and_the_rest_is_reported(mocked_aws):
    from moto.core import enable_iam_authentication

    _lake(mocked_aws)
    # IAM's action is s3:GetLifecycleConfiguration (what lakelint names); moto 5.2 authorises the call
    # under the operation's own name instead, so both are denied: the verdict under test is lakelint's.
    session = _user_session(mocked_aws, ["s3:GetLifecycleConfiguration", "s3:GetBucketLifecycleConfiguration"])
    with enable_iam_authentication():
        report = lint_live(_config(), SPECS, regions=["us-east-1"], session=session)
    assert sorted((e.check, e.resource, e.api_call, e.iam_action) for e in report.errors) == [
        ("LL103", "lake-open", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
        ("LL103", "lake-raw", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    ]
    assert report.errors[0].message == (
        "could not evaluate LL103 on lake-open: could not be read: AccessDenied on "
        "GetBucketLifecycleConfiguration (needs s3:GetLifecycleConfiguration)")
    endpoint = next(iter(mocked_aws.aliases))
    assert _pairs(report.findings) == [("LL101", "lake-open"), ("LL102", "lake-open"), ("LL102", "lake-raw"),
                                       ("LL201", endpoint)]
    assert exit_code(report.findings, report.errors, "low") == 2


def test_denied_listing_and_region_are_errors_of_their_own(mocked_aws):
    from moto.core import enable_iam_authentication

    _lake(mocked_aws)
    session = _user_session(mocked_aws, ["s3:ListAllMyBuckets", "s3:ListBuckets", "ec2:DescribeVpcEndpoints"])
    with enable_iam_authentication():
        report = lint_live(_config(), SPECS, regions=["us-east-1"], session=session)
    got = sorted((e.api_call, e.iam_action, e.resource, e.message) for e in report.errors)
    assert got == [
        ("DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints", "us-east-1",
         "could not list VPC endpoints in us-east-1: AccessDenied on DescribeVpcEndpoints "
         "(needs ec2:DescribeVpcEndpoints)"),
        ("ListBuckets", "s3:ListAllMyBuckets", "123456789012",
         "could not list the account's S3 buckets: AccessDenied on ListBuckets (needs s3:ListAllMyBuckets)"),
    ]
    assert report.findings == []


def _s3_error_response(request, status: int, code: str) -> AWSResponse:
    body = f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()

    class Raw:
        def stream(self, *_, **__):
            yield body

    return AWSResponse(request.url, status, {"Content-Type": "application/xml"}, Raw())


def _inject(session: LiveSession, operation: str, make):
    """Answer every attempt of ``operation`` ("s3.GetBucketEncryption", "s3-control.GetPublicAccessBlock")
    with ``make(request)``: a response, or an exception to raise. Retries see every attempt."""
    attempts = []

    def on_send(request, **_):
        attempts.append(request.url)
        outcome = make(request)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    session.on_client.append(lambda client: client.meta.events.register(f"before-send.{operation}", on_send))
    return attempts


def test_denied_account_block_public_access_makes_uncovered_buckets_unknown(mocked_aws, live_session):
    _lake(mocked_aws)
    mocked_aws.bucket("lake-half")
    mocked_aws.public_access_block("lake-half", BlockPublicPolicy=False, RestrictPublicBuckets=False)
    session = live_session(workers=2, attempts=1)
    # moto does not enforce IAM on s3control: the 403 AWS would send is injected instead.
    _inject(session, "s3-control.GetPublicAccessBlock", lambda request: _s3_error_response(request, 403, "AccessDenied"))
    report = lint_live(_config(select=["LL101"]), SPECS, regions=["us-east-1"], session=session)
    # lake-raw has its own four settings and passes whatever the account says; lake-open has none and
    # lake-half two, and the account-level settings that might cover them could not be read: one
    # error per bucket, however many settings are off.
    assert report.findings == []
    assert [(e.check, e.resource, e.api_call, e.iam_action) for e in report.errors] == [
        ("LL101", "lake-half", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock"),
        ("LL101", "lake-open", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock")]


def test_throttling_that_outlives_retries(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=2)
    attempts = _inject(session, "s3.GetBucketLifecycleConfiguration", lambda request: _s3_error_response(request, 503, "SlowDown"))
    report = lint_live(_config(select=["LL102", "LL103"]), SPECS, regions=["us-east-1"], session=session)
    assert len(attempts) == 2  # botocore retried once (max_attempts=2) before giving up
    assert [(e.check, e.resource, e.api_call, e.iam_action) for e in report.errors] == [
        ("LL103", "lake-raw", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration")]
    assert "still throttled (SlowDown) after botocore's retries" in report.errors[0].message
    assert _pairs(report.findings) == [("LL102", "lake-raw")]


def test_timeout_makes_the_property_unknown(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=1)
    _inject(session, "s3.GetBucketEncryption", lambda request: ReadTimeoutError(endpoint_url=request.url))
    report = lint_live(_config(select=["LL102", "LL103"]), SPECS, regions=["us-east-1"], session=session)
    assert [(e.check, e.api_call) for e in report.errors] == [("LL102", "GetBucketEncryption")]
    assert "GetBucketEncryption timed out (ReadTimeoutError)" in report.errors[0].message
    assert _pairs(report.findings) == [("LL103", "lake-raw")]


def test_no_credentials_is_one_error_not_a_traceback(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    session = LiveSession(workers=1, attempts=1, connect_timeout=1, read_timeout=1)
    report = lint_live(_config(), SPECS, regions=["us-east-1"], session=session)
    assert [(e.api_call, e.iam_action) for e in report.errors] == [("GetCallerIdentity", "sts:GetCallerIdentity")]
    assert report.errors[0].message.startswith("could not identify the account behind the credentials: "
                                               "NoCredentialsError on GetCallerIdentity")
    assert report.findings == []


def test_unknown_profile_is_a_usage_error():
    from lakelint.core.config import ConfigError

    with pytest.raises(ConfigError, match="nosuchprofile"):
        LiveSession(profile="nosuchprofile")


def test_no_region_anywhere_is_a_usage_error(monkeypatch, tmp_path, capsys):
    from lakelint.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION")
    assert main(["--live"]) == 2
    assert "no AWS region: pass --region" in capsys.readouterr().err


def test_cli_exit_codes_follow_findings_and_errors(mocked_aws, monkeypatch, tmp_path, capsys):
    from lakelint.cli import main

    monkeypatch.chdir(tmp_path)
    mocked_aws.bucket("lake-raw")
    assert main(["--live", "--select", "LL102", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["check"], f["resource"], f["region"], f["arn"]) for f in report["findings"]] == [
        ("LL102", "lake-raw", "us-east-1", "arn:aws:s3:::lake-raw")]
    mocked_aws.encryption("lake-raw", "aws:kms")
    assert main(["--live", "--select", "LL102", "--format", "json"]) == 0


# -- issue 6: bursts, 5xx, a server that goes away, expired credentials ------------------------------


def test_a_burst_of_throttling_is_absorbed_by_the_retries(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=4)
    burst = []

    def slow_down_twice(request):
        burst.append(request.url)
        return _s3_error_response(request, 503, "SlowDown") if len(burst) <= 2 else None  # then moto answers

    _inject(session, "s3.GetBucketLifecycleConfiguration", slow_down_twice)
    report = lint_live(_config(select=["LL103"]), SPECS, regions=["us-east-1"], session=session)
    assert len(burst) == 3 and report.errors == []
    assert _pairs(report.findings) == [("LL103", "lake-raw")]


def test_a_5xx_answer_that_persists_is_an_error_naming_the_call(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=2)
    attempts = _inject(session, "s3.GetBucketEncryption", lambda request: _s3_error_response(request, 500, "InternalError"))
    report = lint_live(_config(select=["LL102", "LL103"]), SPECS, regions=["us-east-1"], session=session)
    assert len(attempts) == 2  # a 5xx is retried, then given up on
    assert [(e.check, e.resource, e.api_call) for e in report.errors] == [("LL102", "lake-raw", "GetBucketEncryption")]
    assert "InternalError on GetBucketEncryption" in report.errors[0].message
    assert _pairs(report.findings) == [("LL103", "lake-raw")]
    assert exit_code(report.findings, report.errors, "low") == 2


def test_connection_refused_in_the_middle_of_a_scan_ends_cleanly(mocked_aws, live_session):
    """The endpoint goes away after the listing: every later read fails fast, each property becomes
    unknown, the run ends (no hang) and reports what it did read."""
    import time

    from botocore.exceptions import EndpointConnectionError

    for name in ("lake-a", "lake-b", "lake-c"):
        mocked_aws.bucket(name)
    session = live_session(workers=2, attempts=2, connect_timeout=1, read_timeout=1)
    sent = []

    def refuse_after_listing(request, **_):
        sent.append(request.url)
        if "max-buckets" not in request.url and len(sent) > 1:  # ListBuckets went through
            raise EndpointConnectionError(endpoint_url=request.url)

    session.on_client.append(lambda client: client.meta.events.register("before-send.s3", refuse_after_listing))
    started = time.monotonic()
    report = lint_live(_config(select=["LL102"]), SPECS, regions=["us-east-1"], session=session)
    assert time.monotonic() - started < 30
    assert sorted(e.resource for e in report.errors) == ["lake-a", "lake-b", "lake-c"]
    assert all("could not connect for" in e.message for e in report.errors)
    assert report.findings == [] and exit_code(report.findings, report.errors, "low") == 2


def _sts_error_response(request, status: int, code: str) -> AWSResponse:
    body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>The security token included "
            f"in the request is expired</Message></Error><RequestId>1</RequestId></ErrorResponse>").encode()

    class Raw:
        def stream(self, *_, **__):
            yield body

    return AWSResponse(request.url, status, {"Content-Type": "text/xml"}, Raw())


def test_expired_credentials_are_one_clear_error(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=1)
    _inject(session, "sts.GetCallerIdentity", lambda request: _sts_error_response(request, 403, "ExpiredToken"))
    report = lint_live(_config(), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    (error,) = report.errors
    assert error.api_call == "GetCallerIdentity"
    assert "the credentials have expired (ExpiredToken on GetCallerIdentity): refresh them" in error.message


def test_credentials_that_expire_mid_scan_make_properties_unknown_not_denied(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=1)
    _inject(session, "s3.GetBucketEncryption", lambda request: _s3_error_response(request, 400, "ExpiredToken"))
    report = lint_live(_config(select=["LL102"]), SPECS, regions=["us-east-1"], session=session)
    (error,) = report.errors
    assert (error.check, error.resource) == ("LL102", "lake-raw")
    assert "credentials have expired" in error.message and "AccessDenied" not in error.message


# -- issue 11, items 7, 8, 19: NoSuchBucket, emulator answers, invalid credentials --------------------


def _delete_then_send(aws, bucket: str):
    """A before-send hook that deletes ``bucket`` for real (moto) just before the request goes out, as
    a bucket deleted between the listing and a read would be."""
    def hook(request, **_):
        if f"/{bucket}" in request.url or f"//{bucket}." in request.url:
            aws.s3.delete_bucket(Bucket=bucket)
        return None
    return hook


def _first(session, event, hook):
    session.on_client.append(lambda client: client.meta.events.register_first(event, hook))


def test_no_such_bucket_on_a_bucket_that_exists_makes_that_property_unknown(mocked_aws, live_session):
    """Before, one NoSuchBucket answer dropped the whole bucket, its other findings and any error."""
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=2, attempts=1)
    _inject(session, "s3.GetBucketEncryption", lambda request: _s3_error_response(request, 404, "NoSuchBucket"))
    report = lint_live(_config(select=["LL102", "LL103"]), SPECS, regions=["us-east-1"], session=session)
    assert [(e.check, e.resource, e.api_call) for e in report.errors] == [("LL102", "lake-raw", "GetBucketEncryption")]
    assert "NoSuchBucket on GetBucketEncryption, but HeadBucket finds the bucket" in report.errors[0].message
    assert _pairs(report.findings) == [("LL103", "lake-raw")]
    assert session.guard.calls[("s3", "HeadBucket")] == 1
    assert exit_code(report.findings, report.errors, "low") == 2


def test_a_bucket_deleted_during_the_scan_is_left_out_with_a_note(mocked_aws, live_session, capsys):
    mocked_aws.bucket("lake-gone")
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1, attempts=1)
    _first(session, "before-send.s3.GetBucketEncryption", _delete_then_send(mocked_aws, "lake-gone"))
    report = lint_live(_config(select=["LL102", "LL103"]), SPECS, regions=["us-east-1"], session=session)
    assert report.errors == []
    assert _pairs(report.findings) == [("LL102", "lake-raw"), ("LL103", "lake-raw")]
    assert ("lakelint: note: bucket lake-gone no longer exists (GetBucketEncryption answered NoSuchBucket and "
            "HeadBucket confirmed it): left out of the scan") in capsys.readouterr().err


def test_no_such_bucket_while_locating_a_bucket_is_no_traceback(mocked_aws, live_session, capsys):
    """GetBucketLocation belongs to the listing phase; NoSuchBucket there escaped as a traceback."""
    mocked_aws.bucket("lake-gone")
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1, attempts=1)
    _first(session, "before-send.s3.GetBucketLocation", _delete_then_send(mocked_aws, "lake-gone"))
    report = lint_live(_config(select=["LL102"]), SPECS, regions=["us-east-1"], session=session)
    assert report.errors == [] and _pairs(report.findings) == [("LL102", "lake-raw")]
    assert "bucket lake-gone no longer exists (GetBucketLocation answered NoSuchBucket" in capsys.readouterr().err


def test_head_bucket_that_cannot_confirm_leaves_the_property_unknown(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1, attempts=1)
    _inject(session, "s3.GetBucketLifecycleConfiguration",
            lambda request: _s3_error_response(request, 404, "NoSuchBucket"))
    _inject(session, "s3.HeadBucket", lambda request: _s3_error_response(request, 403, "AccessDenied"))
    report = lint_live(_config(select=["LL103"]), SPECS, regions=["us-east-1"], session=session)
    (error,) = report.errors
    assert (error.check, error.resource, error.api_call) == ("LL103", "lake-raw", "GetBucketLifecycleConfiguration")
    assert "HeadBucket could not confirm it is gone: AccessDenied on HeadBucket (needs s3:ListBucket)" in error.message


def test_invalid_credentials_say_so_not_a_missing_permission(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1, attempts=1)
    _inject(session, "sts.GetCallerIdentity", lambda request: _sts_error_response(request, 403, "InvalidClientTokenId"))
    report = lint_live(_config(), SPECS, regions=["us-east-1"], session=session)
    (error,) = report.errors
    assert "the credentials are invalid (InvalidClientTokenId on GetCallerIdentity)" in error.message
    assert "AccessDenied" not in error.message and "needs" not in error.message


@pytest.mark.parametrize("code", ["SignatureDoesNotMatch", "InvalidAccessKeyId", "UnrecognizedClientException"])
def test_invalid_credentials_on_a_property_read(mocked_aws, live_session, code):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1, attempts=1)
    _inject(session, "s3.GetBucketEncryption", lambda request: _s3_error_response(request, 403, code))
    report = lint_live(_config(select=["LL102"]), SPECS, regions=["us-east-1"], session=session)
    (error,) = report.errors
    assert f"the credentials are invalid ({code} on GetBucketEncryption)" in error.message
    assert "needs s3:" not in error.message


@pytest.mark.parametrize("endpoint", ["notaurl", "http://lake:s3cr3t@[::1"])
def test_an_endpoint_botocore_cannot_use_is_a_usage_error_without_its_password(monkeypatch, tmp_path, capsys, endpoint):
    from lakelint.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    assert main(["--live", "--region", "us-east-1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lakelint: error: cannot make the sts client for region us-east-1: ")
    assert "s3cr3t" not in err and "Traceback" not in err


@pytest.mark.parametrize("region", ["bad region!", "US-EAST-1", "us-east-1x"])
def test_a_region_that_is_no_region_name_is_a_usage_error(monkeypatch, tmp_path, capsys, region):
    from lakelint.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["--live", "--region", region]) == 2
    assert f"--region {region!r} is not a region name" in capsys.readouterr().err

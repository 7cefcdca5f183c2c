"""Read-only by allowlist, and the IAM policy that says so.

A full scan (every collector, every region, ``bucket-quota: auto``) must make exactly the calls whose
IAM actions ``--print-iam-policy`` lists: no call the policy would deny, no action it grants in vain
(but the calls made only on occasion, such as HeadBucket after a NoSuchBucket answer). The guard admits
exactly those calls: anything else, even a "Get", is refused before it is signed.
"""

from __future__ import annotations

import importlib.util
import io
import json
from collections import Counter
from pathlib import Path
from contextlib import redirect_stdout

import pytest
from botocore.stub import Stubber
from moto_gaps import catalog_services, skip_unserved

from lakelint.cli import main
from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs import live as live_run
from lakelint.runs.live import iam_policy_json, lint_live
from lakelint.sources.live import catalog, iam
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.guard import WriteRefused
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.collectors import s3_buckets

SPECS = load_checks(plugins=False)


def service_seeds() -> list:
    """``seed_full_scan(aws)`` of every ``tests/live/test_svc_*.py``: each service collector's tests
    say how to give a full scan one of everything that service reads."""
    seeds = []
    for path in sorted(Path(__file__).parent.glob("test_svc_*.py")):
        spec = importlib.util.spec_from_file_location(f"lakelint_iam_seed_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        seeds.append(module.seed_full_scan)
    return seeds


# Collectors this file's full scan seeds itself (buckets, a bucket policy, an endpoint, the quota stub);
# every other collector's tests/live/test_svc_<module>.py says how in seed_full_scan(aws).
SEEDED_HERE = {"s3_buckets", "vpc_endpoints", "account"}


def test_every_service_collector_has_a_full_scan_seed():
    modules = {c.collect.__module__.rsplit(".", 1)[-1] for c in all_collectors()}
    seeded = {p.stem[len("test_svc_"):] for p in Path(__file__).parent.glob("test_svc_*.py")}
    assert modules == seeded | SEEDED_HERE
    assert len(service_seeds()) == len(seeded)


def test_full_scan_makes_exactly_the_calls_the_policy_allows(mocked_aws, live_session, monkeypatch):
    skip_unserved(catalog_services())
    config = build_config({"bucket-quota": "auto"}, None)
    plan = ScanPlan.everything(config)
    monkeypatch.setattr(live_run, "live_plan", lambda *_, **__: plan)  # a full scan
    for seed in service_seeds():
        seed(mocked_aws)
    mocked_aws.bucket("lake-raw")
    mocked_aws.s3.put_bucket_policy(Bucket="lake-raw", Policy=json.dumps({"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::lake-raw/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    mocked_aws.bucket("lake-curated", "eu-west-1")
    mocked_aws.vpc_endpoint("s3-gateway", region="eu-west-1")
    session = live_session(workers=8)
    session.on_client.append(_quota_stub)
    session.on_client.append(mocked_aws.install_answers)  # seeds answer what moto does not serve
    session.on_client.append(_two_enabled_regions)
    directory = Counter()
    session.on_client.append(lambda client: _count_directory_bucket_calls(client, directory))
    report = lint_live(config, SPECS, regions=["all"], session=session)
    performed = session.guard.operations()
    unknown = [op for op in performed if catalog.lookup(*op) is None]
    assert unknown == [], "calls missing from the catalog (and so from the IAM policy)"
    contingent = {call for call in plan.policy_calls() if call.contingent and (call.service, call.operation)
                  not in performed}
    assert {c.operation for c in contingent} == {"HeadBucket"}  # asked only after a NoSuchBucket answer
    # an operation asked of both kinds of bucket needs both actions (catalog.variants): both were asked
    assert directory["GetBucketEncryption"] and directory["GetBucketPolicy"]
    assert {call.iam_action for op in performed for call in catalog.variants(*op)} \
        | {c.iam_action for c in contingent} == set(iam.actions(plan))
    assert iam.actions(plan) == iam.actions()  # a full scan's policy is the whole catalog's
    assert session.guard.calls[("sts", "GetCallerIdentity")] == 1  # once per scan, whatever the pool
    assert session.guard.calls[("ec2", "DescribeVpcEndpoints")] == 2  # every enabled region
    assert report.errors == [], report.errors
    # each property once per bucket, however many checks read it; policy status only where a policy is
    per_bucket = {op: n - directory[op] for (service, op), n in session.guard.calls.items()
                  if service == "s3" and op not in ("ListBuckets", "GetBucketPolicyStatus", "ListDirectoryBuckets")}
    reads = len(s3_buckets.BUCKET_PROPERTIES) + 2  # every property read, the region and the policy
    assert set(per_bucket.values()) == {2} and len(per_bucket) == reads, per_bucket
    assert session.guard.calls[("s3", "GetBucketPolicyStatus")] == 1
    assert report.errors == []


def _count_directory_bucket_calls(client, counter):
    """Count the S3 calls made about directory buckets (``--x-s3`` names): the general purpose buckets'
    per-bucket counts are the rest."""
    if client.meta.service_model.service_name != "s3":
        return

    def count(params=None, model=None, **_):
        if str((params or {}).get("Bucket", "")).endswith("--x-s3"):
            counter[model.name] += 1

    client.meta.events.register("before-parameter-build.s3", count, unique_id="count-directory-bucket-calls")


def _two_enabled_regions(client):
    """``--region all`` on an account with two enabled regions (moto would answer with every region
    there is, and building each one's EC2 backend costs seconds). Only DescribeRegions is answered
    here; every other EC2 call still goes to moto, so EC2-based collectors run for real."""
    if client.meta.service_model.service_name != "ec2" or client.meta.region_name != "us-east-1":
        return
    from botocore.awsrequest import AWSResponse

    regions = {"Regions": [{"RegionName": "eu-west-1"}, {"RegionName": "us-east-1"}]}
    client.meta.events.register("before-call.ec2.DescribeRegions",
                                lambda **_: (AWSResponse(None, 200, {}, None), regions))


def _quota_stub(client):
    """moto has no Service Quotas for S3: an account that never changed the quota has no applied
    value (NoSuchResourceException), and the AWS default applies."""
    if client.meta.service_model.service_name != "service-quotas":
        return
    stubber = Stubber(client)
    params = {"ServiceCode": "s3", "QuotaCode": "L-DC2B2D3D"}
    stubber.add_client_error("get_service_quota", "NoSuchResourceException", http_status_code=400,
                             expected_params=params)
    stubber.add_response("get_aws_default_service_quota", {"Quota": {"Value": 10000.0}}, params)
    stubber.activate()


def test_policy_is_one_read_only_statement():
    document = iam.policy()
    assert document["Version"] == "2012-10-17"
    (statement,) = document["Statement"]
    assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
    assert statement["Action"] == sorted(set(statement["Action"]))
    verbs = {action.split(":", 1)[1] for action in statement["Action"]}
    assert all(verb.startswith(("Get", "List", "Describe")) for verb in verbs), verbs


def _printed(*args) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--print-iam-policy", *args]) == 0
    return json.loads(out.getvalue())


def test_print_iam_policy_command_prints_it():
    assert _printed() == json.loads(iam_policy_json(build_config({}, None), SPECS))


def test_print_iam_policy_honours_select_and_ignore():
    everything = set(_printed()["Statement"][0]["Action"])
    sse = set(_printed("--select", "LL102")["Statement"][0]["Action"])
    assert "s3:GetEncryptionConfiguration" in sse and sse < everything
    assert not {a for a in sse if a.split(":")[0] in ("rds", "glue", "kms", "dynamodb", "lakeformation")}
    quota = set(_printed("--select", "LL301")["Statement"][0]["Action"])
    assert quota == {"sts:GetCallerIdentity", "ec2:DescribeRegions", "s3:ListAllMyBuckets", "s3:GetBucketLocation",
                     "s3:ListBucket"}
    without_kms = set(_printed("--ignore", "LL119,LL120,LL402,LL412,LL422,LL502,LL522,LL602,LL611,LL621,LL731,"
                                           "LL732")["Statement"][0]["Action"])
    assert "kms:GetKeyRotationStatus" in everything and "kms:GetKeyRotationStatus" not in without_kms


def test_print_iam_policy_with_an_unknown_code_is_a_usage_error(capsys):
    assert main(["--print-iam-policy", "--select", "LL999"]) == 2
    assert "unknown check code or name: LL999" in capsys.readouterr().err


@pytest.mark.parametrize("service, method, params", [
    ("s3", "create_bucket", {"Bucket": "lake-new"}),
    ("s3", "put_bucket_encryption", {"Bucket": "lake-raw", "ServerSideEncryptionConfiguration": {
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}),
    ("s3control", "delete_public_access_block", {"AccountId": "123456789012"}),
    ("ec2", "create_vpc", {"CidrBlock": "10.1.0.0/16"}),
])
def test_guard_refuses_writes_before_they_are_sent(mocked_aws, service, method, params, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1)
    with pytest.raises(WriteRefused, match="read-only"):
        getattr(session.client(service), method)(**params)
    assert session.guard.total == 0
    assert [b["Name"] for b in mocked_aws.s3.list_buckets()["Buckets"]] == ["lake-raw"]
    assert "ServerSideEncryptionConfiguration" not in str(
        mocked_aws.s3.get_bucket_acl(Bucket="lake-raw"))  # nothing was written


def test_reads_are_let_through_and_counted(mocked_aws, live_session):
    session = live_session(workers=1)
    session.client("s3").list_buckets()
    session.client("sts").get_caller_identity()
    assert session.guard.calls == {("s3", "ListBuckets"): 1, ("sts", "GetCallerIdentity"): 1}


def test_printing_the_policy_and_template_mode_do_not_import_boto3():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = ("import sys; import lakelint.cli, lakelint.runs.templates; from lakelint.runs.live import iam_policy_json; "
            "from lakelint.core.config import build_config; from lakelint.core.registry import load_checks; "
            "iam_policy_json(build_config({}, None), load_checks(plugins=False)); "
            "bad = [m for m in ('boto3', 'botocore', 'moto') if m in sys.modules]; assert not bad, bad")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_only_what_the_selected_checks_read_is_read(mocked_aws, live_session):
    for name in ("lake-a", "lake-b"):
        mocked_aws.bucket(name)
    session = live_session(workers=2)
    lint_live(build_config({"select": ["LL301"]}, None), SPECS, regions=["us-east-1"], session=session)
    # the bucket list, and each bucket's region (moto's listing lacks BucketRegion, AWS's has it)
    assert dict(session.guard.calls) == {("sts", "GetCallerIdentity"): 1, ("s3", "ListBuckets"): 1,
                                         ("s3", "GetBucketLocation"): 2}
    session = live_session(workers=2)
    lint_live(build_config({"select": ["LL201"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert ("ec2", "DescribeVpcEndpoints") in session.guard.calls
    assert ("s3", "GetBucketEncryption") not in session.guard.calls

"""End to end: the installed command against a moto server, as a user would run it.

A ``ThreadedMotoServer`` on 127.0.0.1 stands in for AWS; a temporary AWS config holds a ``prod``
profile (region and keys); ``AWS_ENDPOINT_URL`` points boto3 at the server, s3control included
(whose account-id host prefix needs care under a custom endpoint): tests/moto_server.py. Then ``lakelint --live
--profile prod`` runs in a subprocess and its JSON report, exit code and stderr are checked.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from moto_server import account_clients, moto_server, run_lakelint  # noqa: F401 (moto_server: a fixture)

ACCOUNT = "123456789012"
HEADLINE = "LL101,LL102,LL103,LL201,LL301"


def _run(endpoint: str, tmp_path: Path, *args) -> subprocess.CompletedProcess:
    return run_lakelint(endpoint, tmp_path, *args)


def _build_lake(client) -> str:
    s3 = client("s3")
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}
    archive = {"Rules": [{"ID": "archive", "Status": "Enabled", "Filter": {},
                          "Transitions": [{"Days": 90, "StorageClass": "GLACIER"}]}]}
    for name in ("lake-good", "lake-bad"):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_encryption(Bucket="lake-good", ServerSideEncryptionConfiguration=kms)
    s3.put_bucket_lifecycle_configuration(Bucket="lake-good", LifecycleConfiguration=archive)
    eu = client("s3", "eu-west-1")
    eu.create_bucket(Bucket="lake-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    eu.put_bucket_encryption(Bucket="lake-eu", ServerSideEncryptionConfiguration=kms)
    eu.put_bucket_lifecycle_configuration(Bucket="lake-eu", LifecycleConfiguration=archive)
    # No bucket sets Block Public Access itself: the account-level setting, read through s3control
    # on the custom endpoint, is what makes LL101 pass.
    client("s3control").put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=dict(
        BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True))
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3")["VpcEndpoint"]["VpcEndpointId"]


def test_live_profile_against_moto_server(moto_server, tmp_path):
    endpoint_id = _build_lake(account_clients(moto_server))
    done = _run(moto_server, tmp_path, "--format", "json", "--select", HEADLINE)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""  # not a terminal: no progress
    report = json.loads(done.stdout)
    assert report["errors"] == []
    assert report["summary"]["resources"] == 4 and report["summary"]["findings"] == 3
    got = [(f["check"], f["resource"], f["region"]) for f in report["findings"]]
    assert sorted(got) == [("LL102", "lake-bad", "us-east-1"), ("LL103", "lake-bad", "us-east-1"),
                           ("LL201", endpoint_id, "us-east-1")]
    for finding in report["findings"]:
        assert finding["source"] == "live" and finding["account"] == ACCOUNT
        assert finding["file"] is None and finding["line"] is None
    arns = {f["resource"]: f["arn"] for f in report["findings"]}
    assert arns["lake-bad"] == "arn:aws:s3:::lake-bad"
    assert arns[endpoint_id] == f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-endpoint/{endpoint_id}"


def test_live_region_selection_and_clean_exit(moto_server, tmp_path):
    client = account_clients(moto_server)
    _build_lake(client)
    client("s3").delete_bucket(Bucket="lake-bad")
    # eu-west-1 holds no endpoint: the us-east-1 one is not read, so the run is clean
    done = _run(moto_server, tmp_path, "--region", "eu-west-1", "--format", "json", "--select", HEADLINE)
    report = json.loads(done.stdout)
    assert (done.returncode, report["errors"], report["findings"]) == (0, [], []), done.stderr
    assert report["summary"]["resources"] == 2  # buckets are read wherever they are


def test_full_default_scan_against_moto_server_is_complete_and_quick(moto_server, tmp_path):
    """Every collector runs (no --select). Services the emulator lacks (Redshift Serverless has no moto
    backend) are skipped with a note, not retried for half a minute and not reported as an
    incomplete run; Timestream's endpoint discovery stays off under the custom endpoint."""
    _build_lake(account_clients(moto_server))
    done = _run(moto_server, tmp_path, "--format", "json")
    report = json.loads(done.stdout)
    assert report["errors"] == [], report["errors"]
    assert done.returncode == 1
    assert "note: skipped Redshift Serverless namespaces in us-east-1" in done.stderr
    assert "does not implement redshift-serverless ListNamespaces" in done.stderr
    checks = {f["check"] for f in report["findings"]}
    assert {"LL102", "LL201"} <= checks and all(f["source"] == "live" for f in report["findings"])

"""End to end: the installed command against a moto server, as a user would run it.

A ``ThreadedMotoServer`` on 127.0.0.1 stands in for AWS; a temporary AWS config holds a ``prod``
profile (region and keys); ``AWS_ENDPOINT_URL`` points boto3 at the server, s3control included
(whose account-id host prefix needs care under a custom endpoint). Then ``lakelint --live
--profile prod`` runs in a subprocess and its JSON report, exit code and stderr are checked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest

from lakelint.sources.live.session import drop_account_host_prefix

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
HEADLINE = "LL101,LL102,LL103,LL201,LL301"


@pytest.fixture
def moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        yield url
    finally:
        # the server thread shares moto's state with this process: leave it empty for the next test
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()
        server.stop()


def _command() -> list:
    """The console script when lakelint is installed, else the same entry point through -m."""
    script = shutil.which("lakelint")
    return [script] if script else [sys.executable, "-m", "lakelint"]


def _run(endpoint: str, tmp_path: Path, *args) -> subprocess.CompletedProcess:
    config = tmp_path / "aws-config"
    config.write_text("[profile prod]\nregion = us-east-1\n")
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("[prod]\naws_access_key_id = prodkey\naws_secret_access_key = prodsecret\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(credentials),
               AWS_ENDPOINT_URL=endpoint, AWS_EC2_METADATA_DISABLED="true",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return subprocess.run([*_command(), "--live", "--profile", "prod", *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)


def _account(endpoint: str):
    """Clients on the server, as the account's owner would use them to set it up."""
    def client(service, region="us-east-1"):
        made = boto3.client(service, region_name=region, endpoint_url=endpoint,
                            aws_access_key_id="setup", aws_secret_access_key="setup")
        if service == "s3control":  # the same host-prefix care the live source takes
            drop_account_host_prefix(made)
        return made
    return client


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
    endpoint_id = _build_lake(_account(moto_server))
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
    client = _account(moto_server)
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
    _build_lake(_account(moto_server))
    done = _run(moto_server, tmp_path, "--format", "json")
    report = json.loads(done.stdout)
    assert report["errors"] == [], report["errors"]
    assert done.returncode == 1
    assert "note: skipped Redshift Serverless namespaces in us-east-1" in done.stderr
    assert "does not implement redshift-serverless ListNamespaces" in done.stderr
    checks = {f["check"] for f in report["findings"]}
    assert {"LL102", "LL201"} <= checks and all(f["source"] == "live" for f in report["findings"])

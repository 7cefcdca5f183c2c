"""End to end: the installed command scans an AWS Organization on a moto server, as a user would.

The server holds an organisation (management account 123456789012 and five member accounts in three
OUs, with known problems) and enforces IAM: the scanning principal is an IAM user of the management
account with exactly ``lakelint --print-iam-policy --org``'s policy, and each account has the scan
role with ``--print-iam-policy``'s. Two accounts cannot be judged: ``locked`` denies the AssumeRole
(the user's policy denies its role), ``audit``'s role may do nothing (every call is denied). Then
``lakelint --live --org`` runs in a subprocess, once over every account and as two shards whose
reports ``lakelint merge`` joins: the merged report is the one run's, byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import jsonschema
import pytest
from org_scenario import MANAGEMENT, SELECT, OrgScenario, lake

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
REGIONS = ("--region", "us-east-1", "--region", "eu-west-1")
# moto 5.2 authorises these S3 operations under their API names rather than their IAM actions
# (s3:GetBucketEncryption for s3:GetEncryptionConfiguration, ...): the roles allow both spellings, so
# that what is tested is lakelint's policy, not moto's action names.
MOTO_S3_SPELLINGS = ["s3:GetBucketCors", "s3:GetBucketEncryption", "s3:GetBucketLifecycleConfiguration",
                     "s3:GetPublicAccessBlock", "s3:ListBuckets"]


def _command() -> list:
    script = shutil.which("lakelint")
    return [script] if script else [sys.executable, "-m", "lakelint"]


@pytest.fixture
def moto_server():
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    saved = settings.INITIAL_NO_AUTH_ACTION_COUNT
    try:
        yield url
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT = saved  # the server shares moto's state with this process
        ActionAuthenticatorMixin.request_count = 0
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()
        server.stop()


def _lakelint(endpoint, tmp_path, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "aws-config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "aws-credentials"),
               AWS_ENDPOINT_URL=endpoint, AWS_EC2_METADATA_DISABLED="true",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    return subprocess.run([*_command(), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def organisation(moto_server, tmp_path):
    """The organisation, its roles and the scanning user; IAM enforced from then on."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    scenario = OrgScenario(moto_server)
    ids = lake(scenario)
    org = scenario._client("organizations")
    for name in ("locked", "audit"):
        parent = scenario.unit(org, "Root/Sandbox")
        ids[name] = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=ids[name], SourceParentId=scenario.units["Root"], DestinationParentId=parent)
    scenario.bucket(ids["locked"], "locked-data")
    (tmp_path / "aws-config").write_text("[profile scanner]\nregion = us-east-1\n")
    member_policy = json.loads(_lakelint(moto_server, tmp_path, "--print-iam-policy").stdout)
    member_policy["Statement"].append({"Effect": "Allow", "Action": MOTO_S3_SPELLINGS, "Resource": "*"})
    scanner_policy = json.loads(_lakelint(moto_server, tmp_path, "--print-iam-policy", "--org", "--role-name",
                                          "lakelint-scan").stdout)
    scanner_policy["Statement"].append({"Effect": "Deny", "Action": "sts:AssumeRole",
                                        "Resource": f"arn:aws:iam::{ids['locked']}:role/lakelint-scan"})
    iam = scenario._client("iam")
    iam.create_user(UserName="scanner")
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    iam.put_user_policy(UserName="scanner", PolicyName="lakelint-scanner", PolicyDocument=json.dumps(scanner_policy))
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
        "AWS": [f"arn:aws:iam::{MANAGEMENT}:root", f"arn:aws:iam::{MANAGEMENT}:user/scanner"]}}]}
    for name, account in list(ids.items()) + [("master", MANAGEMENT)]:
        role_iam = scenario.client(account, "iam")
        role_iam.create_role(RoleName="lakelint-scan", AssumeRolePolicyDocument=json.dumps(trust))
        policy = member_policy if name != "audit" else {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}
        role_iam.put_role_policy(RoleName="lakelint-scan", PolicyName="lakelint", PolicyDocument=json.dumps(policy))
    (tmp_path / "aws-credentials").write_text(f"[scanner]\naws_access_key_id = {key['AccessKeyId']}\n"
                                              f"aws_secret_access_key = {key['SecretAccessKey']}\n")
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    ActionAuthenticatorMixin.request_count = 0
    return ids


def _org_run(endpoint, tmp_path, *args):
    return _lakelint(endpoint, tmp_path, "--live", "--org", "--role-name", "lakelint-scan", "--profile", "scanner",
                     "--select", SELECT, *REGIONS, *args)


def test_an_organisation_with_an_unassumable_role_sharded_and_merged(moto_server, organisation, tmp_path):
    ids = organisation
    done = _org_run(moto_server, tmp_path, "-f", "json", "-o", "all.json")
    assert done.returncode == 2, done.stderr  # two accounts could not be judged
    report = json.loads((tmp_path / "all.json").read_text())

    errors = {e["account"]: e for e in report["errors"]}
    assert set(errors) == {ids["locked"], ids["audit"]}  # one entry each, nothing else
    assert errors[ids["locked"]]["message"].startswith(
        f"account {ids['locked']} (locked) was not scanned: could not assume the role "
        f"arn:aws:iam::{ids['locked']}:role/lakelint-scan: AccessDenied on AssumeRole")
    assert "every call was denied" in errors[ids["audit"]]["message"]

    found = {}
    for f in report["findings"]:
        found.setdefault(f["account"], set()).add((f["check"], f["resource"]))
        assert f["source"] == "live" and f["region"] in ("us-east-1", "eu-west-1")
    assert found == {
        ids["raw"]: {("LL102", "raw-landing"), ("LL103", "raw-landing")},
        ids["sandbox"]: {("LL101", "sandbox-scratch"), ("LL102", "sandbox-scratch"), ("LL103", "sandbox-scratch"),
                         ("LL302", ids["sandbox"])},
        ids["curated"]: {("LL101", "curated-eu"), ("LL302", ids["curated"])},
        MANAGEMENT: {("LL302", MANAGEMENT)},
    }
    names = {f["account"]: (f["account_name"], f["ou_path"]) for f in report["findings"]}
    assert names[ids["raw"]] == ("raw", "Root/Data/Prod") and names[ids["sandbox"]] == ("sandbox", "Root/Sandbox")
    assert names[MANAGEMENT] == ("master", "Root")
    scanned = {a["account"]: a["scanned"] for a in report["accounts"]}
    assert scanned == {**{i: True for i in ids.values()}, MANAGEMENT: True, ids["locked"]: False, ids["audit"]: False}
    assert report["summary"]["accounts"] == 4

    for k in (1, 2):
        shard = _org_run(moto_server, tmp_path, "--shard", f"{k}/2", "-f", "json", "-o", f"shard-{k}.json")
        assert shard.returncode in (1, 2), shard.stderr
    shards = [json.loads((tmp_path / f"shard-{k}.json").read_text()) for k in (1, 2)]
    in_shards = [{a["account"] for a in s["accounts"]} for s in shards]
    assert not in_shards[0] & in_shards[1] and in_shards[0] | in_shards[1] == set(scanned)

    merged = _lakelint(moto_server, tmp_path, "merge", "shard-1.json", "shard-2.json", "-f", "json", "-o", "merged.json")
    assert merged.returncode == 2, merged.stderr
    assert (tmp_path / "merged.json").read_text() == (tmp_path / "all.json").read_text()

    sarif = _lakelint(moto_server, tmp_path, "merge", "shard-2.json", "shard-1.json", "-f", "sarif", "-o", "org.sarif")
    assert sarif.returncode == 2
    jsonschema.validate(json.loads((tmp_path / "org.sarif").read_text()), SCHEMA)

    text = _lakelint(moto_server, tmp_path, "merge", "shard-1.json", "shard-2.json")
    assert f"Account {ids['raw']} (raw, Root/Data/Prod)\n" in text.stdout and "in 4 accounts" in text.stdout
    assert text.stdout.index(f"Account {ids['audit']} (audit, Root/Sandbox)\n") < text.stdout.index(
        f"{ids['audit']}: error: account {ids['audit']} (audit) was not scanned")
    statistics = _lakelint(moto_server, tmp_path, "merge", "shard-1.json", "shard-2.json", "--statistics")
    assert "Per account:" in statistics.stdout
    assert f"4  {ids['sandbox']}  sandbox  Root/Sandbox  (3 high, 1 medium)" in statistics.stdout


def test_named_accounts_from_a_file_with_the_text_report(moto_server, organisation, tmp_path):
    ids = organisation
    (tmp_path / "accounts.txt").write_text(f"# the data accounts\n{ids['raw']}\n{ids['curated']}, {ids['sandbox']}\n")
    done = _lakelint(moto_server, tmp_path, "--live", "--accounts-file", "accounts.txt", "--exclude-accounts",
                     ids["sandbox"], "--role-name", "lakelint-scan", "--profile", "scanner", "--select", SELECT,
                     *REGIONS)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.index(f"Account {ids['curated']}\n") >= 0 and f"Account {ids['raw']}\n" in done.stdout
    assert "sandbox-scratch" not in done.stdout
    assert "in 2 accounts" in done.stdout


def test_the_aws_batch_example_scans_shards_and_merges_them_into_the_one_runs_report(moto_server, organisation,
                                                                                    tmp_path):
    """examples/org/batch as an array job of two children and the merge job would run them, with REPORTS
    a folder instead of S3: the merged report is the one run's."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "lakelint").write_text("#!/bin/sh\nexec " + " ".join(f"'{part}'" for part in _command()) + ' "$@"\n')
    (bin_dir / "lakelint").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "aws-config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "aws-credentials"),
               AWS_ENDPOINT_URL=moto_server, AWS_EC2_METADATA_DISABLED="true",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
               PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "")]),
               SHARDS="2", REPORTS=str(tmp_path / "reports"), REGIONS="us-east-1 eu-west-1",
               LAKELINT_ARGS=f"--profile scanner --select {SELECT}")
    batch = ROOT / "examples" / "org" / "batch"
    for index in (0, 1):
        child = subprocess.run(["sh", str(batch / "scan-shard.sh")], cwd=tmp_path, capture_output=True, text=True,
                               env={**env, "AWS_BATCH_JOB_ARRAY_INDEX": str(index)}, timeout=300)
        assert child.returncode == 0, child.stderr  # the scan's 1 or 2 is the merge's to recompute
    merged = subprocess.run(["sh", str(batch / "merge.sh")], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert merged.returncode == 2, merged.stderr  # locked and audit could not be judged
    assert "Per account:" in merged.stdout
    one_run = _org_run(moto_server, tmp_path, "-f", "json", "-o", "all.json")
    assert one_run.returncode == 2
    assert (tmp_path / "reports" / "lakelint-org.json").read_text() == (tmp_path / "all.json").read_text()
    jsonschema.validate(json.loads((tmp_path / "reports" / "lakelint-org.sarif").read_text()), SCHEMA)

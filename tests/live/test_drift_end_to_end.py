"""End to end: ``lakelint --live --compare`` through the installed command, on a moto server.

The repository's example stacks are deployed with ``CreateStack`` and finished as tests/drift_scenario.py
says (moto's CloudFormation deploys little of an S3 bucket, and no bucket policy); the account is then
what the templates say, and comparing finds no drift. Changes made by hand through the services' APIs
must then come out as exactly those drifts, each at its template resource's line.

moto answers every call the comparison makes (ListStacks, DescribeStacks, ListStackResources,
GetTemplate, nested stacks included); Redshift Serverless, which moto does not serve, is skipped with a
note, as in every full scan on an emulator.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from drift_scenario import (ACCOUNT, EXAMPLES, NETWORK, STORAGE, create_stack, deploy, finish_storage,
                            tls_only_policy)
from moto_server import account_clients, moto_server, run_lakelint  # noqa: F401 (moto_server: a fixture)

ROOT = Path(__file__).resolve().parents[2]
STORAGE_FILE = "templates/storage.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    """A repository holding the example templates under templates/."""
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    for name in ("storage.yaml", "network.yaml"):
        shutil.copy(EXAMPLES / name, folder / "templates" / name)
    return folder


def _compare(endpoint, tmp_path, project, *args):
    done = run_lakelint(endpoint, tmp_path, "--compare", "templates", "--format", "json", *args, cwd=project)
    return done, json.loads(done.stdout) if done.stdout.startswith("{") else None


def _drifts(report) -> list:
    return sorted((f["check"], f["drift"]["check"] if "drift" in f else None, f["resource"], f["file"], f["line"])
                  for f in report["findings"])


def test_deployed_stacks_without_changes_have_no_drift(moto_server, tmp_path, project):
    deploy(account_clients(moto_server))
    done, report = _compare(moto_server, tmp_path, project)
    assert (done.returncode, report["findings"], report["errors"]) == (0, [], []), done.stderr
    comparison = report["summary"]["comparison"]
    assert comparison["stacks"] == 2 and comparison["resources"] == 9
    assert comparison["stacks_without_templates"] == comparison["templates_without_stacks"] == []
    assert "note: skipped Redshift Serverless namespaces" in done.stderr  # moto serves no Redshift Serverless


def test_changes_made_by_hand_are_exactly_the_drift(moto_server, tmp_path, project):
    client = account_clients(moto_server)
    ids = deploy(client)[STORAGE]
    s3 = client("s3")
    raw, curated, results = ids["RawBucket"], ids["CuratedBucket"], ids["AthenaResultsBucket"]
    # weakened in the account: Block Public Access turned off, the TLS-only policy replaced by a public
    # one, default encryption removed
    s3.put_public_access_block(Bucket=raw, PublicAccessBlockConfiguration=dict(
        BlockPublicAcls=True, BlockPublicPolicy=False, IgnorePublicAcls=True, RestrictPublicBuckets=True))
    s3.put_bucket_policy(Bucket=raw, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{raw}/*"}]}))
    s3.delete_bucket_encryption(Bucket=results)
    # fixed in the account and not in the code: CuratedBucket's BlockPublicPolicy turned on
    s3.put_public_access_block(Bucket=curated, PublicAccessBlockConfiguration=dict(
        BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True))
    # made by hand, managed by no stack
    s3.create_bucket(Bucket="lake-scratch-copy")

    done, report = _compare(moto_server, tmp_path, project)
    assert done.returncode == 1, done.stderr
    assert report["errors"] == []
    assert _drifts(report) == sorted([
        ("LL801", "LL101", "RawBucket", STORAGE_FILE, 31),
        ("LL801", "LL105", "RawBucket", STORAGE_FILE, 31),
        ("LL801", "LL108", "RawBucketPolicy", STORAGE_FILE, 112),
        ("LL801", "LL102", "AthenaResultsBucket", STORAGE_FILE, 93),
        ("LL802", "LL101", "CuratedBucket", STORAGE_FILE, 64),
        # without SSE-KMS a Bucket Key has nothing to do: the account passes LL118 where the template,
        # which sets SSE-KMS without one, fails it
        ("LL802", "LL118", "AthenaResultsBucket", STORAGE_FILE, 93),
        ("LL803", None, "lake-scratch-copy", None, None),
    ])
    weakened = next(f for f in report["findings"] if f["check"] == "LL801" and f["drift"]["check"] == "LL101")
    assert weakened["arn"] == f"arn:aws:s3:::{raw}" and weakened["account"] == ACCOUNT
    assert weakened["drift"]["stack"] == STORAGE and weakened["drift"]["physical_id"] == raw
    assert weakened["drift"]["template"] == {"verdict": "pass", "messages": [], "file": STORAGE_FILE, "line": 31}
    assert weakened["drift"]["live"]["verdict"] == "fail" and weakened["drift"]["live"]["arn"] == f"arn:aws:s3:::{raw}"
    assert "BlockPublicPolicy" in weakened["drift"]["live"]["messages"][0]

    text = run_lakelint(moto_server, tmp_path, "--compare", "templates", cwd=project).stdout
    assert (f"{STORAGE_FILE}:31:3: LL801 [high] LL101 s3-block-public-access passes in the template and fails in "
            f"the account: ") in text
    assert f"(RawBucket = arn:aws:s3:::{raw})" in text
    assert "Compared 2 stacks with their templates (9 resources)." in text


def test_sarif_locates_drift_in_the_template(moto_server, tmp_path, project):
    client = account_clients(moto_server)
    raw = deploy(client)[STORAGE]["RawBucket"]
    client("s3").delete_public_access_block(Bucket=raw)
    done = run_lakelint(moto_server, tmp_path, "--compare", "templates", "--format", "sarif", cwd=project)
    sarif = json.loads(done.stdout)
    schema = json.loads((ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "LL801"
    [location] = result["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == STORAGE_FILE
    assert location["physicalLocation"]["region"]["startLine"] == 31
    assert location["logicalLocations"][0]["fullyQualifiedName"] == f"arn:aws:s3:::{raw}"
    drift = result["properties"]["drift"]  # both sides, as in the JSON report
    assert (drift["logical_id"], drift["template"]["verdict"], drift["live"]["verdict"]) == ("RawBucket", "pass", "fail")


def test_stacks_matched_by_name_in_config_and_by_body(moto_server, tmp_path, project):
    """The dev stack is named in the configuration; the prod one is found by its deployed body, reformatted
    (JSON) and still matched. Environment=dev deploys SSE-S3 for CuratedBucket: the template fails LL102 on
    that stack only, and the account fixed by hand is LL802 there, not in prod."""
    client = account_clients(moto_server)
    prod = deploy(client)[STORAGE]
    (project / ".lakelint.yaml").write_text('stacks:\n  "lake-storage-dev*": templates/storage.yaml\n')
    body = json.dumps(_parsed(EXAMPLES / "storage.yaml"))
    dev = create_stack(client, "lake-storage-dev", body, Environment="dev")
    finish_storage(client, dev, environment="dev")
    create_stack(client, "legacy-lake", "Resources:\n  Old:\n    Type: AWS::S3::Bucket\n")
    key_arn = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{dev['LakeKey']}"
    client("s3").put_bucket_encryption(Bucket=dev["CuratedBucket"], ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True}]})
    done, report = _compare(moto_server, tmp_path, project, "--select", "LL102,LL801,LL802")
    assert report["errors"] == [], done.stderr
    assert [(f["check"], f["drift"]["check"], f["drift"]["stack"], f["resource"]) for f in report["findings"]] == [
        ("LL802", "LL102", "lake-storage-dev", "CuratedBucket")]
    comparison = report["summary"]["comparison"]
    assert comparison["stacks"] == 3  # lake-storage (by body), lake-storage-dev (by name), lake-network
    assert comparison["stacks_without_templates"] == ["legacy-lake (us-east-1)"]
    assert prod["CuratedBucket"] != dev["CuratedBucket"]


def test_nested_stack_is_compared_with_its_own_template(moto_server, tmp_path, project):
    """moto deploys a nested stack from its TemplateURL and lists it among the stacks (by name: its
    physical id is the nested stack's name, where AWS gives its ARN); it is matched by its own body."""
    client = account_clients(moto_server)
    child = "Resources:\n  ChildBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n"
    parent = ("Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
              "      TemplateURL: https://templates.s3.amazonaws.com/child.yaml\n")
    s3 = client("s3")
    s3.create_bucket(Bucket="templates")
    s3.put_object(Bucket="templates", Key="child.yaml", Body=child.encode())
    (project / "templates" / "child.yaml").write_text(child)
    (project / "templates" / "parent.yaml").write_text(parent)
    create_stack(client, "lake-parent", parent)
    done, report = _compare(moto_server, tmp_path, project, "--select", "LL112,LL801,LL802,LL803")
    nested = [f for f in report["findings"] if f["check"] == "LL801"]
    assert [(f["drift"]["check"], f["resource"], f["file"], f["line"]) for f in nested] == [
        ("LL112", "ChildBucket", "templates/child.yaml", 2)]  # moto does not apply the versioning
    assert nested[0]["drift"]["stack"].startswith("lake-parent-Child-")
    unmanaged = {f["resource"] for f in report["findings"] if f["check"] == "LL803"}
    assert unmanaged == {"templates"}  # the nested stack's bucket is managed; the bucket made by hand is not
    assert report["summary"]["comparison"]["templates_without_stacks"] == ["templates/network.yaml",
                                                                          "templates/storage.yaml"]


def _parsed(path: Path) -> dict:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def long_form(loader, suffix, node):
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            return {name: value.split(".", 1) if suffix == "GetAtt" else value}
        if isinstance(node, yaml.SequenceNode):
            return {name: loader.construct_sequence(node, deep=True)}
        return {name: loader.construct_mapping(node, deep=True)}

    Loader.add_multi_constructor("!", long_form)
    return yaml.load(path.read_text(), Loader=Loader)

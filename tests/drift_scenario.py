"""The repository's example data lake, deployed into moto with CloudFormation, for ``--compare``.

``deploy(client)`` creates the stacks with ``CreateStack`` from examples/datalake (storage.yaml as
``lake-storage`` with Environment=prod, network.yaml as ``lake-network``), then applies by hand what
moto's CloudFormation does not deploy, so that the account is what the templates say and a comparison
finds no drift. What moto 5.2 leaves out, each answered here through the service's own API:

- of an S3 bucket it deploys the encryption (without BucketKeyEnabled) and the tags only: Block Public
  Access, versioning, lifecycle rules and the Bucket Key are put on each bucket as its template sets them;
- it gives new buckets ObjectWriter ownership, where AWS gives BucketOwnerEnforced (since April 2023):
  set as AWS would;
- it does not deploy ``AWS::S3::BucketPolicy`` at all, nor list it among the stack's resources (it lists
  an entry with empty ids instead): the policy is put on its bucket;
- it keeps a template's ``KeyPolicy`` as a mapping, and DescribeKey then fails: put back as JSON text;
- it keeps a VPC endpoint's ``PolicyDocument`` as Python text, not JSON: put back as JSON.

``client(service)`` makes boto3 clients: on a moto server (tests/moto_server.py) or in-process.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "datalake"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ALL_ON = dict(BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True)
STORAGE, NETWORK = "lake-storage", "lake-network"


def create_stack(client, name: str, body: str, **parameters) -> dict:
    """``CreateStack``; the stack's {logical id: physical id}."""
    cloudformation = client("cloudformation")
    cloudformation.create_stack(StackName=name, TemplateBody=body, Parameters=[
        {"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()])
    listed = cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in listed if r["LogicalResourceId"]}


def tls_only_policy(bucket: str) -> str:
    arn = f"arn:aws:s3:::{bucket}"
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


def finish_storage(client, ids: dict, environment: str = "prod") -> None:
    """What examples/datalake/storage.yaml sets and moto's CloudFormation does not apply."""
    s3, kms = client("s3"), client("kms")
    key = ids["LakeKey"]
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Sid": "AccountAdmin", "Effect": "Allow",
                                                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                "Action": "kms:*", "Resource": "*"}]}))
    key_arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key}"
    for logical in ("RawBucket", "CuratedBucket", "AthenaResultsBucket"):
        bucket = ids[logical]
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            **ALL_ON, "BlockPublicPolicy": logical != "CuratedBucket"})
        s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={
            "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        if logical != "AthenaResultsBucket":
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket=ids["RawBucket"], ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True}]})
    s3.put_bucket_lifecycle_configuration(Bucket=ids["RawBucket"], LifecycleConfiguration={"Rules": [{
        "ID": "raw-to-glacier", "Status": "Enabled", "Filter": {},
        "Transitions": [{"Days": 90, "StorageClass": "GLACIER_IR"}],
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]})
    s3.put_bucket_lifecycle_configuration(Bucket=ids["CuratedBucket"], LifecycleConfiguration={"Rules": [{
        "ID": "expire-old-versions", "Status": "Enabled", "Filter": {},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 60}}]})
    s3.put_bucket_policy(Bucket=ids["RawBucket"], Policy=tls_only_policy(ids["RawBucket"]))


def finish_network(client, ids: dict) -> None:
    """The DynamoDB endpoint's policy of examples/datalake/network.yaml, as JSON."""
    client("ec2").modify_vpc_endpoint(VpcEndpointId=ids["DynamoDbEndpoint"], PolicyDocument=json.dumps({
        "Statement": [{"Effect": "Allow", "Principal": "*",
                       "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
                       "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/lake-*"}]}))


def deploy(client) -> dict:
    """Both example stacks, deployed and finished: {stack name: {logical id: physical id}}."""
    storage = create_stack(client, STORAGE, (EXAMPLES / "storage.yaml").read_text(), Environment="prod")
    finish_storage(client, storage)
    network = create_stack(client, NETWORK, (EXAMPLES / "network.yaml").read_text())
    finish_network(client, network)
    return {STORAGE: storage, NETWORK: network}

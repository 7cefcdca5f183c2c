"""Scenario shortcuts for S3 Tables, S3 Vectors and S3 directory buckets (fixtures/LL131-LL137/live.py and
the collectors' tests), each building state with real boto3 calls where moto 5.2.6 serves them and
answering the rest as the service would (``aws.answer(..., params=...)``, one answer per resource):

- S3 Tables: moto creates and lists table buckets, namespaces and tables, but does not serve
  ``GetTableBucketEncryption``, ``GetTableBucketMaintenanceConfiguration``, ``GetTableBucketPolicy``,
  ``GetTableMaintenanceConfiguration`` or ``GetTablePolicy`` (its in-process backend raises
  NotImplementedError): those are answered, shaped as botocore's s3tables model says. Its backend
  exists in us-east-1, us-east-2 and us-west-2 only.
- S3 Vectors: moto serves buckets (with their encryption), indexes and bucket policies, but its
  ``GetIndex`` answer never carries the index's ``encryptionConfiguration``: an index created with its
  own encryption has ``GetIndex`` answered.
- Directory buckets: moto does not serve them at all (it answers ``ListDirectoryBuckets`` with the
  general purpose bucket list, and ``CreateBucket`` of a directory bucket with NoSuchBucket), nor
  s3control's ``ListAccessPointsForDirectoryBuckets``: ``ListDirectoryBuckets``, ``GetBucketEncryption``,
  ``GetBucketPolicy``, ``ListAccessPointsForDirectoryBuckets``, ``GetAccessPoint`` and
  ``GetAccessPointPolicy`` are all answered.
"""

from __future__ import annotations

import json

ACCOUNT = "123456789012"


def key_arn(aws, policy: dict | None = None, region: str | None = None) -> str:
    """A customer managed KMS key (moto serves KMS), with ``policy`` as its key policy."""
    params = {"Description": "lake"}
    if policy is not None:
        params["Policy"] = json.dumps(policy)
    return aws.client("kms", region).create_key(**params)["KeyMetadata"]["Arn"]


ROOT_STATEMENT = {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                  "Action": "kms:*", "Resource": "*"}
MAINTENANCE_STATEMENT = {"Sid": "S3TablesMaintenance", "Effect": "Allow",
                         "Principal": {"Service": "maintenance.s3tables.amazonaws.com"},
                         "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}


def key_policy(*statements) -> dict:
    return {"Version": "2012-10-17", "Statement": [ROOT_STATEMENT, *statements]}


# -- S3 Tables ------------------------------------------------------------------------------------

def table_bucket(aws, name: str, *, algorithm: str = "AES256", key: str | None = None, removal: str = "enabled",
                 policy: dict | None = None, region: str | None = None) -> str:
    """A table bucket (moto) and the answers to its reads; returns its ARN."""
    arn = aws.client("s3tables", region).create_table_bucket(name=name)["arn"]
    where = {"tableBucketARN": arn}
    encryption = {"sseAlgorithm": algorithm, **({"kmsKeyArn": key} if key else {})}
    aws.answer("s3tables", "GetTableBucketEncryption", {"encryptionConfiguration": encryption}, region, where)
    aws.answer("s3tables", "GetTableBucketMaintenanceConfiguration", {"tableBucketARN": arn, "configuration": {
        "icebergUnreferencedFileRemoval": {"status": removal, "settings": {"icebergUnreferencedFileRemoval": {
            "unreferencedDays": 3, "nonCurrentDays": 10}}}}}, region, where)
    if policy is None:
        aws.answer_error("s3tables", "GetTableBucketPolicy", "NotFoundException", 404, region, where)
    else:
        aws.answer("s3tables", "GetTableBucketPolicy", {"resourcePolicy": json.dumps(policy)}, region, where)
    return arn


def table(aws, bucket_arn: str, namespace: str, name: str, *, compaction: str = "enabled",
          snapshots: str = "enabled", policy: dict | None = None, region: str | None = None) -> None:
    """A table in ``namespace`` (created when new) of the table bucket, and the answers to its reads."""
    client = aws.client("s3tables", region)
    if namespace not in {n["namespace"][0] for n in client.list_namespaces(tableBucketARN=bucket_arn)["namespaces"]}:
        client.create_namespace(tableBucketARN=bucket_arn, namespace=[namespace])
    client.create_table(tableBucketARN=bucket_arn, namespace=namespace, name=name, format="ICEBERG")
    where = {"tableBucketARN": bucket_arn, "namespace": namespace, "name": name}
    aws.answer("s3tables", "GetTableMaintenanceConfiguration", {
        "tableARN": f"{bucket_arn}/table/{name}",
        "configuration": {
            "icebergCompaction": {"status": compaction,
                                  "settings": {"icebergCompaction": {"targetFileSizeMB": 512, "strategy": "auto"}}},
            "icebergSnapshotManagement": {"status": snapshots, "settings": {"icebergSnapshotManagement": {
                "minSnapshotsToKeep": 1, "maxSnapshotAgeHours": 120}}}}}, region, where)
    if policy is None:
        aws.answer_error("s3tables", "GetTablePolicy", "NotFoundException", 404, region, where)
    else:
        aws.answer("s3tables", "GetTablePolicy", {"resourcePolicy": json.dumps(policy)}, region, where)


# -- S3 Vectors -----------------------------------------------------------------------------------

def vector_bucket(aws, name: str, *, sse: str | None = None, key: str | None = None, policy: dict | None = None,
                  region: str | None = None) -> str:
    """A vector bucket (moto serves it, its encryption and its policy); returns its ARN."""
    client = aws.client("s3vectors", region)
    params = {"vectorBucketName": name}
    if sse:
        params["encryptionConfiguration"] = {"sseType": sse, **({"kmsKeyArn": key} if key else {})}
    client.create_vector_bucket(**params)
    if policy is not None:
        client.put_vector_bucket_policy(vectorBucketName=name, policy=json.dumps(policy))
    return client.get_vector_bucket(vectorBucketName=name)["vectorBucket"]["vectorBucketArn"]


def vector_index(aws, bucket: str, name: str, *, sse: str | None = None, key: str | None = None,
                 region: str | None = None) -> None:
    """An index (moto); with ``sse``, ``GetIndex`` is answered with the index's own encryption."""
    client = aws.client("s3vectors", region)
    client.create_index(vectorBucketName=bucket, indexName=name, dataType="float32", dimension=8,
                        distanceMetric="cosine")
    if sse:
        described = client.get_index(vectorBucketName=bucket, indexName=name)["index"]
        described["encryptionConfiguration"] = {"sseType": sse, **({"kmsKeyArn": key} if key else {})}
        aws.answer("s3vectors", "GetIndex", {"index": described}, region, {"vectorBucketName": bucket, "indexName": name})


# -- S3 directory buckets ---------------------------------------------------------------------------

class DirectoryBuckets:
    """The directory buckets and access points of one scenario, answered as S3 Express answers.

    ``answer()`` must be called once everything is declared: the listings are one answer each."""

    def __init__(self, aws, region: str = "us-east-1"):
        self.aws, self.region = aws, region
        self.buckets, self.access_points = [], []

    def bucket(self, name: str, *, algorithm: str | None = "AES256", key: str | None = None,
               policy: dict | None = None) -> str:
        assert name.endswith("--x-s3"), name
        self.buckets.append({"Name": name, "CreationDate": "2026-01-05T10:00:00Z", "BucketRegion": self.region,
                             "BucketArn": f"arn:aws:s3express:{self.region}:{ACCOUNT}:bucket/{name}"})
        where = {"Bucket": name}
        if algorithm is None:
            self.aws.answer_error("s3", "GetBucketEncryption", "ServerSideEncryptionConfigurationNotFoundError", 404,
                                  self.region, where)
        else:
            default = {"SSEAlgorithm": algorithm, **({"KMSMasterKeyID": key} if key else {})}
            self.aws.answer("s3", "GetBucketEncryption", {"ServerSideEncryptionConfiguration": {"Rules": [
                {"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": algorithm == "aws:kms"}]}},
                self.region, where)
        if policy is None:
            self.aws.answer_error("s3", "GetBucketPolicy", "NoSuchBucketPolicy", 404, self.region, where)
        else:
            self.aws.answer("s3", "GetBucketPolicy", {"Policy": json.dumps(policy)}, self.region, where)
        return name

    def access_point(self, name: str, bucket: str, *, vpc: str | None = None, policy: dict | None = None,
                     **block_public_access) -> str:
        assert name.endswith("--xa-s3"), name
        origin = {"NetworkOrigin": "VPC", "VpcConfiguration": {"VpcId": vpc}} if vpc else {"NetworkOrigin": "Internet"}
        arn = f"arn:aws:s3express:{self.region}:{ACCOUNT}:accesspoint/{name}"
        self.access_points.append({"Name": name, "Bucket": bucket, "AccessPointArn": arn, "BucketAccountId": ACCOUNT,
                                   "Alias": f"{name}-abc--xa-s3", **origin})
        settings = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True, **block_public_access}
        where = {"Name": name}
        self.aws.answer("s3control", "GetAccessPoint", {
            "Name": name, "Bucket": bucket, "AccessPointArn": arn, "BucketAccountId": ACCOUNT, **origin,
            "PublicAccessBlockConfiguration": settings}, self.region, where)
        if policy is None:
            self.aws.answer_error("s3control", "GetAccessPointPolicy", "NoSuchAccessPointPolicy", 404, self.region, where)
        else:
            self.aws.answer("s3control", "GetAccessPointPolicy", {"Policy": json.dumps(policy)}, self.region, where)
        return name

    def answer(self) -> None:
        self.aws.answer("s3", "ListDirectoryBuckets", {"Buckets": list(self.buckets)}, self.region)
        self.aws.answer("s3control", "ListAccessPointsForDirectoryBuckets",
                        {"AccessPointList": list(self.access_points)}, self.region)


def public(action: str, **condition) -> dict:
    """A policy whose one statement allows ``action`` to ``*`` (narrowed by ``condition`` when given)."""
    statement = {"Sid": "Shared", "Effect": "Allow", "Principal": "*", "Action": action, "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def private(action: str, role: str = "analytics") -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
        "AWS": f"arn:aws:iam::{ACCOUNT}:role/{role}"}, "Action": action, "Resource": "*"}]}

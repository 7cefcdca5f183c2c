"""Shared set-up for the live-mode tests: a clean AWS environment and the scenario helper.

Every test runs with fake credentials, a fixed region and no user AWS configuration, so nothing can
reach a real account, and moto (in-process or as a local server on 127.0.0.1) answers every call.
"""

from __future__ import annotations

import json

import pytest

ACCOUNT = "123456789012"
REGION = "us-east-1"
ALL_ON = dict(BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True)


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN",
                 "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL_S3",
                 "AWS_ENDPOINT_URL_S3CONTROL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


class ScenarioAWS:
    """What a live scenario gets: boto3 clients on the mocked account and a few shortcuts.

    Scenarios build state with real boto3 calls (``aws.s3.put_bucket_encryption(...)``); the
    shortcuts only save typing for the common steps. Resources whose ids AWS chooses (VPC endpoints)
    get a stable label through ``alias`` so expected findings can name them.
    """

    account_id = ACCOUNT
    region = REGION

    def __init__(self):
        self._clients = {}
        self._vpcs = {}
        self.aliases = {}
        self.canned = []  # (service, operation, region or None, response or error)

    def answer(self, service: str, operation: str, response: dict, region: str | None = None,
               params: dict | None = None) -> None:
        """Answer ``operation`` with ``response`` instead of moto, for APIs moto does not serve
        (DocumentDB clusters, Redshift Serverless, ...). Shape the response like the real service's
        (botocore's service model says what it is); it is parsed by nothing, so it must be right.
        With ``params``, only calls made with those parameters (``{"Bucket": "lake-hot--use1-az4--x-s3"}``)
        get this answer; the first matching answer wins, and a call no answer matches goes to moto."""
        self.canned.append((service, operation, region, response, params))

    def answer_error(self, service: str, operation: str, code: str, status: int = 400,
                     region: str | None = None, params: dict | None = None) -> None:
        self.canned.append((service, operation, region, {"Error": {"Code": code, "Message": code},
                                                         "ResponseMetadata": {"HTTPStatusCode": status}}, params))

    def install_answers(self, client) -> None:
        """A ``LiveSession.on_client`` hook: wire the canned answers into a new client. The read-only
        guard still sees (and counts) every call: it runs first on ``before-call``."""
        from botocore.awsrequest import AWSResponse
        from botocore.exceptions import ClientError

        name = client.meta.service_model.service_name
        event_service = client.meta.service_model.service_id.hyphenize()

        def remember_params(params=None, context=None, **_):  # before-call sees the request, not the call's
            if context is not None:                             # parameters: keep them where it looks
                context["scenario_params"] = dict(params or {})

        client.meta.events.register(f"before-parameter-build.{event_service}", remember_params,
                                    unique_id="scenario-answer-params")
        for service, operation, region, response, wanted in self.canned:
            if service != name or (region and region != client.meta.region_name):
                continue

            def handler(response=response, operation=operation, wanted=wanted, context=None, **_):
                given = (context or {}).get("scenario_params") or {}
                if wanted and any(given.get(key) != value for key, value in wanted.items()):
                    return None  # not this call's answer: the next handler (or moto) answers
                if "Error" in response:
                    raise ClientError(response, operation)
                return AWSResponse(None, 200, {}, None), response

            client.meta.events.register(f"before-call.{event_service}.{operation}", handler)

    def client(self, service: str, region: str | None = None):
        import boto3

        key = (service, region or self.region)
        if key not in self._clients:
            self._clients[key] = boto3.client(service, region_name=key[1])
        return self._clients[key]

    @property
    def s3(self):
        return self.client("s3")

    @property
    def s3control(self):
        return self.client("s3control")

    @property
    def ec2(self):
        return self.client("ec2")

    def alias(self, real: str, label: str) -> str:
        self.aliases[real] = label
        return real

    def bucket(self, name: str, region: str | None = None) -> str:
        region = region or self.region
        params = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        self.client("s3", region).create_bucket(Bucket=name, **params)
        return name

    def public_access_block(self, bucket: str, **settings) -> None:
        self.s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={**ALL_ON, **settings})

    def account_public_access_block(self, **settings) -> None:
        self.s3control.put_public_access_block(AccountId=self.account_id,
                                               PublicAccessBlockConfiguration={**ALL_ON, **settings})

    def encryption(self, bucket: str, algorithm: str, key: str | None = None, bucket_key: bool | None = None):
        default = {"SSEAlgorithm": algorithm}
        if key:
            default["KMSMasterKeyID"] = key
        rule = {"ApplyServerSideEncryptionByDefault": default}
        if bucket_key is not None:
            rule["BucketKeyEnabled"] = bucket_key
        self.s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule]})

    def lifecycle(self, bucket: str, *rules: dict) -> None:
        self.s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)})

    # DocumentDB: moto creates no clusters, so scenarios answer its two calls with responses shaped as
    # DocumentDB's (botocore's docdb service model gives the shape).
    DOCDB_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    def docdb_cluster(self, name: str, **settings) -> dict:
        """A DocumentDB cluster as DescribeDBClusters lists it; ``settings`` override the compliant ones."""
        cluster = {
            "DBClusterIdentifier": name, "DBClusterArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:{name}",
            "Engine": "docdb", "EngineVersion": "5.0.0", "Status": "available", "Port": 27017, "MultiAZ": False,
            "MasterUsername": "lake", "DBSubnetGroup": "lake-private", "DbClusterResourceId": f"cluster-{name.upper()}",
            "DBClusterParameterGroup": "lake-docdb", "StorageEncrypted": True, "KmsKeyId": self.DOCDB_KEY,
            "BackupRetentionPeriod": 7, "DeletionProtection": True, "EnabledCloudwatchLogsExports": ["audit", "profiler"],
            "DBClusterMembers": [{"DBInstanceIdentifier": f"{name}-1", "IsClusterWriter": True, "PromotionTier": 1,
                                  "DBClusterParameterGroupStatus": "in-sync"}],
            "VpcSecurityGroups": [], "AssociatedRoles": [], "ReadReplicaIdentifiers": [],
        }
        cluster.update(settings)
        return cluster

    @staticmethod
    def docdb_parameter(name: str, value: str) -> dict:
        return {"ParameterName": name, "ParameterValue": value, "Source": "user", "ApplyType": "static",
                "DataType": "string", "IsModifiable": True, "ApplyMethod": "pending-reboot"}

    def docdb_account(self, *clusters, **parameters) -> None:
        """Answer DocumentDB's calls: these clusters, and their (one) group's parameters."""
        self.answer("docdb", "DescribeDBClusters", {"DBClusters": list(clusters)})
        values = {"tls": "enabled", "audit_logs": "enabled", "profiler": "enabled", **parameters}
        self.answer("docdb", "DescribeDBClusterParameters",
                    {"Parameters": [self.docdb_parameter(k, v) for k, v in values.items()]})

    def vpc(self, region: str | None = None) -> str:
        region = region or self.region
        if region not in self._vpcs:
            self._vpcs[region] = self.client("ec2", region).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        return self._vpcs[region]

    def vpc_endpoint(self, label: str, service: str = "s3", kind: str = "Gateway", policy=None,
                     region: str | None = None) -> str:
        region = region or self.region
        ec2 = self.client("ec2", region)
        params = dict(VpcId=self.vpc(region), ServiceName=f"com.amazonaws.{region}.{service}", VpcEndpointType=kind)
        if kind == "Interface":
            params["SubnetIds"] = [ec2.create_subnet(VpcId=params["VpcId"], CidrBlock=f"10.0.{len(self.aliases) + 1}.0/24")
                                   ["Subnet"]["SubnetId"]]
        if policy is not None:
            params["PolicyDocument"] = policy if isinstance(policy, str) else json.dumps(policy)
        endpoint = ec2.create_vpc_endpoint(**params)["VpcEndpoint"]["VpcEndpointId"]
        return self.alias(endpoint, label)


_SHARED = {}


@pytest.fixture
def live_session():
    """Make LiveSessions that share one boto3 session: a fresh session's first clients cost ~0.3 s
    (botocore reads and parses the service models), a warm one's ~0.04 s. Tests that change
    credentials or profiles build their own LiveSession."""
    import boto3

    from lakelint.sources.live.session import LiveSession

    if "boto" not in _SHARED:
        _SHARED["boto"] = boto3.Session(region_name=REGION)

    def make(**options):
        return LiveSession(boto_session=_SHARED["boto"], **options)

    return make


@pytest.fixture
def mocked_aws():
    """An empty mocked account (moto in-process) and the helper to fill it."""
    from moto import mock_aws

    with mock_aws():
        yield ScenarioAWS()

"""An AWS Organization in moto for the multi-account tests (in-process ``mock_aws`` or a moto server).

moto keeps each account's state apart and lets ``sts:AssumeRole`` into any account id: the assumed
role's credentials belong to the account named in the role ARN (moto's ``sts`` backend reads it from
the ARN; the role need not exist unless IAM authorization is switched on). So the organisation is
built the way an administrator would: ``CreateOrganization`` and ``CreateAccount`` from the
management account (moto's default, 123456789012), then each account is filled through a role
assumed in it.
"""

from __future__ import annotations

import boto3

MANAGEMENT = "123456789012"
KMS = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}
EXPIRE = {"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 30}}]}
ALL_ON = dict(BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True)


class OrgScenario:
    def __init__(self, endpoint: str | None = None, key: str = "testing", secret: str = "testing"):
        self.endpoint = endpoint
        self.key, self.secret = key, secret
        self.ids = {}  # account name -> id
        self.units = {}  # OU path -> id
        self._credentials = {}

    def _client(self, service, region="us-east-1", **credentials):
        credentials = credentials or {"aws_access_key_id": self.key, "aws_secret_access_key": self.secret}
        client = boto3.client(service, region_name=region, endpoint_url=self.endpoint, **credentials)
        if service == "s3control" and self.endpoint:
            from lakelint.sources.live.session import drop_account_host_prefix

            drop_account_host_prefix(client)
        return client

    def create(self, accounts: dict) -> dict:
        """``{name: OU path}`` ("Root", "Root/Data/Prod"): the organisation, its OUs and accounts."""
        org = self._client("organizations")
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]["Id"]
        self.units["Root"] = root
        for name, path in accounts.items():
            parent = self.unit(org, path)
            status = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
            self.ids[name] = status["AccountId"]
            if parent != root:
                org.move_account(AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=parent)
        return dict(self.ids)

    def unit(self, org, path: str) -> str:
        if path not in self.units:
            parent_path, _, name = path.rpartition("/")
            parent = self.unit(org, parent_path)
            self.units[path] = org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
        return self.units[path]

    def close(self, name: str) -> None:
        self._client("organizations").close_account(AccountId=self.ids[name])

    def client(self, name_or_id: str, service: str, region: str = "us-east-1"):
        """A client acting in the account (a role assumed there, as an administrator would)."""
        account = self.ids.get(name_or_id, name_or_id)
        if account not in self._credentials:
            answer = self._client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/setup",
                                                     RoleSessionName="setup")["Credentials"]
            self._credentials[account] = dict(aws_access_key_id=answer["AccessKeyId"],
                                              aws_secret_access_key=answer["SecretAccessKey"],
                                              aws_session_token=answer["SessionToken"])
        return self._client(service, region, **self._credentials[account])

    def bucket(self, account: str, name: str, region: str = "us-east-1", *, kms=False, lifecycle=False,
               block=False) -> str:
        s3 = self.client(account, "s3", region)
        extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=name, **extra)
        if kms:
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=KMS)
        if lifecycle:
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=EXPIRE)
        if block:
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=ALL_ON)
        return name

    def account_block(self, account: str) -> None:
        account_id = self.ids.get(account, account)
        self.client(account, "s3control").put_public_access_block(AccountId=account_id,
                                                                   PublicAccessBlockConfiguration=ALL_ON)


def lake(scenario: OrgScenario) -> dict:
    """The organisation most multi-account tests use, with known problems:

    - raw (Root/Data/Prod): raw-landing has no default encryption and no lifecycle (LL102, LL103);
      raw-clean passes all three; the account's Block Public Access is on (which covers LL101 live);
    - sandbox (Root/Sandbox): sandbox-scratch has nothing (LL101, LL102, LL103), nor has the account (LL302);
    - curated (Root): curated-eu in eu-west-1, SSE-KMS with a lifecycle, no Block Public Access (LL101, LL302).
    """
    ids = scenario.create({"raw": "Root/Data/Prod", "sandbox": "Root/Sandbox", "curated": "Root"})
    scenario.bucket("raw", "raw-landing")
    scenario.bucket("raw", "raw-clean", kms=True, lifecycle=True, block=True)
    scenario.account_block("raw")
    scenario.bucket("sandbox", "sandbox-scratch")
    scenario.bucket("curated", "curated-eu", "eu-west-1", kms=True, lifecycle=True)
    return ids


SELECT = "LL101,LL102,LL103,LL302"

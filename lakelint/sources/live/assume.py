"""Credentials for each scanned account: ``sts:AssumeRole`` into ``arn:<partition>:iam::<account>:role/<ROLE>``.

The scanning principal's session (the base credentials, from boto3's usual chain or ``--profile``)
assumes the role once per account; the account's boto3 session holds those credentials as botocore's
``RefreshableCredentials``, so every client of the account (every region, every service) shares them,
and botocore assumes the role again before they expire (15 minutes ahead; a scan of a large account
may outlast the hour a role session lasts). AssumeRole goes through the base session's guard, retries,
deadlines and fault judgement like any other call, so "could not assume the role" names the reason:
AccessDenied (the trust policy or the caller's permissions), an account that no longer exists, a
timeout.

Each account's botocore session shares the base session's data loader: the service models and
endpoint data are read and parsed once per process, not once per account (a fresh session spends
~0.3 s and several MB on them).
"""

from __future__ import annotations

import re

from lakelint.core.config import ConfigError
from lakelint.sources.live.catalog import ASSUME_ROLE
from lakelint.sources.live.faults import Fault

ROLE_NAME = re.compile(r"^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")  # a name, after an optional path
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
DEFAULT_SESSION_NAME = "lakelint"
SESSION_SECONDS = 3600  # what a role allows by default (and the most role chaining allows)


def check_role_options(role_name: str | None, external_id: str | None, session_name: str | None) -> None:
    """Refuse malformed values before any call (a usage error, exit code 2)."""
    if not role_name:
        raise ConfigError("--org and --accounts need --role-name ROLE: the role lakelint assumes in each account "
                          "(lakelint --print-scan-role prints a CloudFormation template that creates it)")
    if not ROLE_NAME.match(role_name):
        raise ConfigError(f"--role-name {role_name!r} is not an IAM role name (letters, digits and +=,.@_-, "
                          f"up to 64, after an optional path such as team/)")
    if session_name is not None and not SESSION_NAME.match(session_name):
        raise ConfigError(f"--role-session-name {session_name!r} must be 2 to 64 of letters, digits and +=,.@_-")
    if external_id is not None and not EXTERNAL_ID.match(external_id):
        raise ConfigError("--external-id must be 2 to 1224 of letters, digits and +=,.@:/_-")


class RoleAssumer:
    """Assumes ``role_name`` in one account after another, through ``base`` (a LiveSession)."""

    def __init__(self, base, role_name: str, external_id: str | None = None, session_name: str | None = None,
                 seconds: int = SESSION_SECONDS):
        check_role_options(role_name, external_id, session_name)
        self.base = base
        self.role_name = role_name
        self.external_id = external_id
        self.session_name = session_name or DEFAULT_SESSION_NAME
        self.seconds = seconds

    def role_arn(self, account_id: str) -> str:
        partition = self.base.partition(self.base.home_region)
        return f"arn:{partition}:iam::{account_id}:role/{self.role_name}"

    def credentials(self, account_id: str) -> dict:
        """One AssumeRole, as the metadata ``RefreshableCredentials`` takes; ``Fault`` when it fails."""
        params = dict(RoleArn=self.role_arn(account_id), RoleSessionName=self.session_name,
                      DurationSeconds=self.seconds)
        if self.external_id:
            params["ExternalId"] = self.external_id
        answer = self.base.read(ASSUME_ROLE, **params) or {}
        given = answer.get("Credentials") or {}
        if not given.get("AccessKeyId"):
            raise Fault(ASSUME_ROLE, "error", "AssumeRole answered without credentials")
        expiry = given.get("Expiration")
        return {"access_key": given["AccessKeyId"], "secret_key": given["SecretAccessKey"],
                "token": given.get("SessionToken"),
                "expiry_time": expiry.isoformat() if hasattr(expiry, "isoformat") else str(expiry)}

    def session(self, account_id: str):
        """A boto3 session whose credentials are the role's in ``account_id``, renewed before they expire.
        Raises ``Fault`` when the role cannot be assumed."""
        import boto3
        import botocore.session
        from botocore.credentials import RefreshableCredentials

        first = self.credentials(account_id)
        credentials = RefreshableCredentials.create_from_metadata(
            metadata=first, refresh_using=lambda: self.credentials(account_id), method="lakelint-assume-role")
        base_core = self.base.boto._session
        core = botocore.session.Session(profile=self.base.profile)
        core.register_component("data_loader", base_core.get_component("data_loader"))
        core._credentials = credentials  # no public setter takes a refreshing source; get_credentials() returns this
        return boto3.Session(botocore_session=core, region_name=self.base.home_region)

    def preload(self, services) -> None:
        """Read the models every account's clients will need into the shared loader now (service model,
        endpoint rules, paginators, partitions), so they exist before the run's first account: the
        organisation run freezes what exists then out of its garbage collections (runs/org.py)."""
        from botocore.exceptions import DataNotFoundError, UnknownServiceError

        core = self.base.boto._session
        loader = core.get_component("data_loader")
        loader.load_data("partitions")
        for service in sorted(set(services)):
            for kind in ("service-2", "endpoint-rule-set-1", "paginators-1"):
                try:
                    loader.load_service_model(service, kind)
                except (DataNotFoundError, UnknownServiceError):  # a service without paginators, say
                    pass


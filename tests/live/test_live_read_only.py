"""Read-only by allowlist: a call outside the catalog is refused before it is signed, even a "Get".

``s3:GetObject`` reads object contents, ``secretsmanager:GetSecretValue`` a secret,
``sts:GetSessionToken`` mints credentials and ``redshift:GetClusterCredentials`` can create a
database user: each looks like a read by its name, and each must be refused.
"""

from __future__ import annotations

import pytest

from lakelint.sources.live.guard import WriteRefused


@pytest.mark.parametrize("service, method, params", [
    ("s3", "get_object", {"Bucket": "lake-raw", "Key": "data.csv"}),
    ("secretsmanager", "get_secret_value", {"SecretId": "prod/db"}),
    ("sts", "get_session_token", {}),
    ("redshift", "get_cluster_credentials", {"DbUser": "admin", "ClusterIdentifier": "warehouse"}),
    ("ec2", "describe_instances", {}),  # a harmless read, but not one lakelint makes
])
def test_calls_outside_the_catalog_are_refused_before_they_are_signed(mocked_aws, live_session, service, method,
                                                                      params):
    mocked_aws.bucket("lake-raw")
    mocked_aws.s3.put_object(Bucket="lake-raw", Key="data.csv", Body=b"secret rows")
    session = live_session(workers=1)
    reached = []
    session.on_client.append(lambda client: client.meta.events.register_first(
        "before-sign", lambda **kwargs: reached.append("signed")))
    session.on_client.append(lambda client: client.meta.events.register_first(
        "before-send", lambda **kwargs: reached.append("sent")))
    with pytest.raises(WriteRefused, match=f"refused {service}:"):
        getattr(session.client(service), method)(**params)
    assert reached == [] and session.guard.total == 0


def test_the_guard_admits_exactly_the_catalog():
    from lakelint.sources.live.catalog import all_calls
    from lakelint.sources.live.guard import allowed

    for call in all_calls():
        assert allowed(call.service, call.operation), call
    for service, operation in (("s3", "GetObject"), ("s3", "GetObjectAcl"), ("secretsmanager", "GetSecretValue"),
                               ("sts", "GetSessionToken"), ("redshift", "GetClusterCredentials"),
                               ("s3", "PutBucketPolicy"), ("kms", "Decrypt"), ("s3", "ListObjectsV2")):
        assert not allowed(service, operation), (service, operation)

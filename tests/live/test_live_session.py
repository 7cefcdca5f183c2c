"""The session's handling of endpoints: AWS's own, and custom ones (moto, LocalStack, a proxy)."""

from __future__ import annotations

import pytest

from lakelint.sources.live.session import is_custom_endpoint


class Captured(Exception):
    pass


def _url_of_first_request(session, service: str, call) -> str:
    def capture(request, **_):
        raise Captured(request.url)

    session.on_client.append(lambda client: client.meta.events.register("before-send", capture))
    with pytest.raises(Captured) as caught:
        call(session.client(service))
    return str(caught.value)


def test_s3control_keeps_the_account_prefix_on_aws(live_session):
    url = _url_of_first_request(live_session(workers=1), "s3control",
                                lambda c: c.get_public_access_block(AccountId="123456789012"))
    assert url.startswith("https://123456789012.s3-control.us-east-1.amazonaws.com/")


def test_s3control_drops_the_account_prefix_under_a_custom_endpoint(live_session, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    from lakelint.sources.live.session import LiveSession

    session = LiveSession(workers=1)  # a fresh session reads the endpoint from the environment
    url = _url_of_first_request(session, "s3control", lambda c: c.get_public_access_block(AccountId="123456789012"))
    assert url == "http://127.0.0.1:4566/v20180820/configuration/publicAccessBlock"
    url = _url_of_first_request(session, "s3", lambda c: c.get_bucket_acl(Bucket="lake-raw"))
    assert url == "http://127.0.0.1:4566/lake-raw?acl"  # path style: no bucket in the host name


@pytest.mark.parametrize("url, custom", [
    (None, False), ("https://s3.us-east-1.amazonaws.com", False), ("https://s3.cn-north-1.amazonaws.com.cn", False),
    ("https://bucket.vpce-0a1b-2c3d.s3.us-east-1.vpce.amazonaws.com", False), ("https://s3.dualstack.us-east-1.api.aws", False),
    ("http://127.0.0.1:5000", True), ("http://localhost:4566", True), ("https://s3.internal.example.com", True),
    ("https://amazonaws.com.evil.example", True),
])
def test_custom_endpoint_detection(url, custom):
    assert is_custom_endpoint(url) is custom

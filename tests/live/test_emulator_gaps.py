"""What an emulator lacks is told apart from what AWS refuses, and only under a non-AWS endpoint."""

from __future__ import annotations

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.session import not_implemented

CALL = _call("redshift-serverless", "ListNamespaces", "redshift-serverless:ListNamespaces")


def error(status, message, code=None):
    return ClientError({"Error": {"Code": code or str(status), "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "ListNamespaces")


def test_emulator_answers_that_mean_not_implemented():
    assert not_implemented(error(500, "<!doctype html><title>500 Internal Server Error</title>"))
    assert not_implemented(error(501, "API action 'ListNamespaces' for service 'redshift-serverless' not yet implemented"))
    assert not_implemented(ResponseParserError("Unable to parse response (syntax error: line 1, column 0)"))


def test_real_service_errors_are_not_mistaken_for_gaps():
    assert not not_implemented(error(500, "We encountered an internal error. Please try again.", "InternalError"))
    assert not not_implemented(error(403, "<html>denied</html>", "AccessDenied"))
    assert not not_implemented(error(400, "bad", "ValidationException"))


def test_gaps_are_faults_of_their_own_kind_only_under_a_custom_endpoint(live_session):
    session = live_session()

    class Client:
        class meta:
            endpoint_url = "http://127.0.0.1:5000"

    html = error(500, "<!doctype html>")
    assert session._fault(Client, CALL, html).kind == "unsupported"
    Client.meta.endpoint_url = "https://redshift-serverless.us-east-1.amazonaws.com"
    assert session._fault(Client, CALL, html).kind == "error"

"""What an emulator lacks is told apart from what AWS refuses, and only under a non-AWS endpoint.

Only a real "unknown operation" answer means "not implemented": LocalStack's 501, an explicit
InvalidAction / UnknownOperation code, moto's in-process 404 "Not yet implemented", and what moto's
server really answers for an API it lacks (read from moto 5.2: its web framework's own error page,
status 500, ``Server: Werkzeug/...`` without the request id every moto backend answer carries). Any
other HTML page, a garbage 200 or any other 500 is a fault: an error entry, exit 2.
"""

from __future__ import annotations

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.session import not_implemented

CALL = read_call("redshift-serverless", "ListNamespaces", "redshift-serverless:ListNamespaces")
WERKZEUG_PAGE = ('<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server '
                 'Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. '
                 'Either the server is overloaded or there is an error in the application.</p>\n')
MOTO_HEADERS = {"server": "Werkzeug/3.1.9 Python/3.11.7", "content-type": "text/html; charset=utf-8",
                "content-length": "265", "connection": "close"}


def error(status, message, code=None, headers=None):
    return ClientError({"Error": {"Code": code or str(status), "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": headers or {}}},
                       "ListNamespaces")


def test_answers_that_mean_not_implemented():
    assert not_implemented(error(500, WERKZEUG_PAGE, headers=MOTO_HEADERS))  # moto server, no backend
    assert not_implemented(error(501, "API action 'ListNamespaces' for service 'redshift-serverless' not yet "
                                      "implemented or pro feature", "InternalFailure"))  # LocalStack
    assert not_implemented(error(404, "Not yet implemented"))  # moto in-process
    assert not_implemented(error(400, "Could not find operation ListNamespaces", "InvalidAction"))
    assert not_implemented(error(400, "no such operation", "UnknownOperationException"))


def test_html_errors_and_garbage_are_faults_not_gaps():
    assert not not_implemented(error(500, "<!doctype html><title>500 Internal Server Error</title>"))
    assert not not_implemented(error(500, "<html><body><h1>502 Bad Gateway</h1></body></html>",
                                     headers={"server": "nginx", "content-type": "text/html"}))
    # the Werkzeug page from a server that is a moto backend (request id) or not Werkzeug at all
    assert not not_implemented(error(500, WERKZEUG_PAGE, headers={**MOTO_HEADERS, "x-amzn-requestid": "abc"}))
    assert not not_implemented(error(500, WERKZEUG_PAGE, headers={**MOTO_HEADERS, "server": "nginx"}))
    assert not not_implemented(ResponseParserError("Unable to parse response (syntax error: line 1, column 0)"))
    assert not not_implemented(error(500, "We encountered an internal error. Please try again.", "InternalError"))
    assert not not_implemented(error(403, "<html>denied</html>", "AccessDenied"))
    assert not not_implemented(error(400, "bad", "ValidationException"))


def test_gaps_are_faults_of_their_own_kind_only_under_a_custom_endpoint(live_session):
    session = live_session()

    class Client:
        class meta:
            endpoint_url = "http://127.0.0.1:5000"

    gap = error(500, WERKZEUG_PAGE, headers=MOTO_HEADERS)
    assert session._fault(Client, CALL, gap).kind == "unsupported"
    assert session._fault(Client, CALL, error(500, "<html>oops</html>")).kind == "error"
    assert session._fault(Client, CALL, ResponseParserError("garbage")).kind == "error"
    Client.meta.endpoint_url = "https://redshift-serverless.us-east-1.amazonaws.com"
    assert session._fault(Client, CALL, gap).kind == "error"

"""Against an emulator endpoint, only a real "unknown operation" answer skips a service with a note;
an HTML error page or a garbage 200 is a fault (an error entry, exit 2), as it would be from AWS.

A small HTTP server plays the endpoint: it answers STS's GetCallerIdentity properly, and Redshift
Serverless's ListNamespaces (LL612) with the answer under test.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lakelint.core.config import build_config
from lakelint.core.exits import exit_code
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live
from lakelint.sources.live.session import LiveSession

SPECS = load_checks(plugins=False)
IDENTITY = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
            b'<Arn>arn:aws:iam::123456789012:user/audit</Arn><UserId>AIDAEXAMPLE</UserId>'
            b'<Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId>'
            b'</ResponseMetadata></GetCallerIdentityResponse>')
WERKZEUG_PAGE = (b'<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server '
                 b'Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. '
                 b'Either the server is overloaded or there is an error in the application.</p>\n')

ANSWERS = {  # name -> (status, content type, body, Server header)
    "html-500": (500, "text/html", b"<html><body><h1>500 Internal Server Error</h1>nginx</body></html>", "nginx"),
    "garbage-200": (200, "application/x-amz-json-1.1", b"\x00\x01 not json {{", "Fake/1.0"),
    "garbage-500": (500, "application/json", b"%%%", "Fake/1.0"),
    "localstack-501": (501, "application/json", json.dumps({
        "__type": "InternalFailure",
        "message": "API action 'ListNamespaces' for service 'redshift-serverless' not yet implemented or pro "
                   "feature"}).encode(), "hypercorn-h11"),
    "unknown-operation": (400, "application/x-amz-json-1.1", json.dumps({
        "__type": "UnknownOperationException", "message": "no such operation"}).encode(), "Fake/1.0"),
    "moto-server": (500, "text/html; charset=utf-8", WERKZEUG_PAGE, "Werkzeug/3.1.9 Python/3.11.7"),
}


class _Endpoint(BaseHTTPRequestHandler):
    answer = None  # set per test

    def do_POST(self):  # noqa: N802 - the stdlib's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if b"Action=GetCallerIdentity" in body:
            self._send(200, "text/xml", IDENTITY, "Fake/1.0")
        else:
            self._send(*self.answer)

    def _send(self, status, content_type, body, server):
        self.send_response_only(status)
        self.send_header("Server", server)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


@pytest.fixture
def endpoint(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _scan(answer):
    _Endpoint.answer = ANSWERS[answer]
    session = LiveSession(workers=1, connect_timeout=2, read_timeout=5)
    return lint_live(build_config({"select": ["LL612"]}, None), SPECS, regions=["us-east-1"], session=session)


@pytest.mark.parametrize("answer", ["html-500", "garbage-200", "garbage-500"])
def test_an_error_page_or_garbage_is_a_fault_not_a_gap(endpoint, answer, capsys):
    report = _scan(answer)
    assert [(e.api_call, e.resource) for e in report.errors] == [("ListNamespaces", "us-east-1")]
    assert report.errors[0].message.startswith("could not read Redshift Serverless namespaces in us-east-1: ")
    assert exit_code(report.findings, report.errors, "low") == 2
    assert "does not implement" not in capsys.readouterr().err


@pytest.mark.parametrize("answer", ["localstack-501", "unknown-operation", "moto-server"])
def test_an_unknown_operation_answer_skips_the_service_with_a_note(endpoint, answer, capsys):
    report = _scan(answer)
    assert report.errors == [] and exit_code(report.findings, report.errors, "low") == 0
    err = capsys.readouterr().err
    assert (f"lakelint: note: skipped Redshift Serverless namespaces in us-east-1: the endpoint {endpoint} does "
            f"not implement redshift-serverless ListNamespaces") in err


# -- issue 11, item 17: credentials in the endpoint URL are never printed -----------------------------


def test_credentials_in_the_endpoint_url_never_reach_stderr_or_the_report(endpoint, monkeypatch, capsys):
    from lakelint.reporters import stream

    with_userinfo = endpoint.replace("http://", "http://lake:s3cr3t@")
    monkeypatch.setenv("AWS_ENDPOINT_URL", with_userinfo)
    report = _scan("moto-server")
    err = capsys.readouterr().err
    assert "skipped Redshift Serverless namespaces" in err
    assert "s3cr3t" not in err and "lake:" not in err
    assert endpoint.replace("http://", "http://***@") in err
    for fmt in ("json", "text", "sarif"):
        assert "s3cr3t" not in "".join(stream(report, fmt))


def test_every_fault_detail_is_redacted():
    from lakelint.sources.live.catalog import GET_CALLER_IDENTITY
    from lakelint.sources.live.faults import Fault
    from lakelint.sources.live.redact import redact

    fault = Fault(GET_CALLER_IDENTITY, "error", 'SSLError on GetCallerIdentity: SSL validation failed for '
                                                'https://AKIA:pass@word@proxy.example:8443/ [Errno 1]')
    assert fault.detail == ("SSLError on GetCallerIdentity: SSL validation failed for https://***@proxy.example:8443/ "
                            "[Errno 1]")
    assert "pass" not in fault.error("identify the account").message
    assert redact("see http://host/path?mail=a@b.c") == "see http://host/path?mail=a@b.c"  # no userinfo there

"""Where the installed moto cannot answer what the installed botocore sends, named precisely.

The pinned test environment (constraints/test.txt) has no such gap. The drift watch (`bash .ci/latest`)
installs the newest versions, and a botocore release can move a service to a protocol moto does not
serve yet: botocore 1.44 speaks Athena's rest-json, which moto 5.2.6 answers with 404 "Not yet
implemented". A test that needs such a service is then skipped with the versions, the service, the
protocol and moto's answer in the reason, instead of failing somewhere obscure.

A service is probed once per test process, in-process under ``mock_aws``, with the first operation of
lakelint's call catalog that needs no parameters. Only moto's own "Not yet implemented" answer counts
as a gap: any other answer (an error about the request, a canned-answer service moto never served)
is left for the test itself to judge.
"""

from __future__ import annotations

import os
from functools import lru_cache

import pytest


def _probe_operation(service: str) -> str | None:
    """A catalogued operation of ``service`` that takes no required parameters."""
    import botocore.session

    from lakelint.sources.live import catalog

    model = botocore.session.get_session().get_service_model(service)
    for call in catalog.all_calls():
        if call.service != service:
            continue
        shape = model.operation_model(call.operation).input_shape
        if shape is None or not shape.required_members:
            return call.operation
    return None


def _moto_has_backend(service: str) -> bool:
    from moto.backends import list_of_moto_modules

    return service.replace("-", "") in set(list_of_moto_modules())


@lru_cache(maxsize=None)
def gap(service: str) -> str | None:
    """Why moto cannot serve ``service`` to this botocore, or None when it can (or when it is not
    moto's protocol support that is in question)."""
    import boto3
    import botocore
    import moto
    from botocore import xform_name
    from botocore.exceptions import ClientError

    operation = _probe_operation(service)
    if operation is None or not _moto_has_backend(service):
        return None  # a service moto never served is answered by the tests themselves (canned answers)
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    try:
        with moto.mock_aws():
            client = boto3.client(service, region_name="us-east-1")
            try:
                getattr(client, xform_name(operation))()
            except ClientError as exc:
                error = exc.response.get("Error") or {}
                status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
                if status == 404 and "not yet implemented" in str(error.get("Message", "")).lower():
                    protocol = client.meta.service_model.protocol
                    return (f"moto {moto.__version__} does not serve {service} as botocore {botocore.__version__} "
                            f"sends it ({protocol} protocol): {operation} is answered with 404 'Not yet "
                            f"implemented'. The pinned environment (constraints/test.txt) is not affected; "
                            f"keep the hold in constraints/holds.txt until moto serves it.")
            except Exception:  # noqa: BLE001 - not a protocol gap; the test itself will say what it is
                return None
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return None


def skip_unserved(services) -> None:
    """Skip the calling test, naming the gap, when moto cannot serve one of ``services``."""
    for service in sorted(set(services)):
        reason = gap(service)
        if reason:
            pytest.skip(reason)


def catalog_services() -> set:
    """Every service live mode reads (a full scan needs them all)."""
    from lakelint.sources.live import catalog

    return {call.service for call in catalog.all_calls()}


def scanned_services(config) -> set:
    """The services a live scan with ``config``'s selection of the built-in checks reads from."""
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import live_plan

    return {call.service for call in live_plan(config, load_checks(plugins=False)).calls}

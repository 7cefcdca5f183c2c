"""A moto server on 127.0.0.1 and the installed command run against it, as a user would run it.

``moto_server`` (a fixture: ``from moto_server import moto_server`` in a test module) starts a
``ThreadedMotoServer`` and resets its state afterwards; ``run_lakelint`` runs the console script (or
``python -m lakelint``) in a subprocess with a temporary AWS config holding a ``prod`` profile and
``AWS_ENDPOINT_URL`` pointing at the server; ``account_clients`` gives boto3 clients on the server,
as the account's owner would use them to set it up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest

from lakelint.sources.live.session import drop_account_host_prefix

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        yield url
    finally:
        # the server thread shares moto's state with this process: leave it empty for the next test
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()
        server.stop()


def command() -> list:
    """The console script when lakelint is installed, else the same entry point through -m."""
    script = shutil.which("lakelint")
    return [script] if script else [sys.executable, "-m", "lakelint"]


def run_lakelint(endpoint: str, tmp_path: Path, *args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``lakelint --live --profile prod ARGS`` against the server, in ``cwd`` (default: an empty folder)."""
    config = tmp_path / "aws-config"
    config.write_text("[profile prod]\nregion = us-east-1\n")
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("[prod]\naws_access_key_id = prodkey\naws_secret_access_key = prodsecret\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(credentials),
               AWS_ENDPOINT_URL=endpoint, AWS_EC2_METADATA_DISABLED="true",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    if cwd is None:
        cwd = tmp_path / "work"
        cwd.mkdir(exist_ok=True)
    return subprocess.run([*command(), "--live", "--profile", "prod", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def account_clients(endpoint: str):
    """``client(service, region="us-east-1")``: clients on the server, as the account's owner uses them."""
    def client(service, region="us-east-1"):
        made = boto3.client(service, region_name=region, endpoint_url=endpoint,
                            aws_access_key_id="setup", aws_secret_access_key="setup")
        if service == "s3control":  # the same host-prefix care the live source takes
            drop_account_host_prefix(made)
        return made
    return client

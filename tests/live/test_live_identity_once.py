"""``sts:GetCallerIdentity`` is called once per account per scan (issue 18 item 5): every collector is
handed the account the scan identified, sequentially and with the pool, whatever checks run."""

from __future__ import annotations

import pytest

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)


@pytest.mark.parametrize("workers", [1, 8])
def test_the_account_is_identified_once_per_scan(mocked_aws, live_session, workers):
    for name in ("lake-raw", "lake-curated", "lake-logs"):
        mocked_aws.bucket(name)
    session = live_session(workers=workers)
    calls = []
    session.on_client.append(lambda client: client.meta.events.register(
        "before-call.*.*", lambda model, **kwargs: calls.append(model.name)))
    lint_live(build_config({"preview": True}, None), SPECS, regions=["us-east-1", "eu-west-1"], session=session)
    assert "ListBuckets" in calls and calls.count("GetCallerIdentity") == 1, calls

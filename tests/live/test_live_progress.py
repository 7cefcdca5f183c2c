"""Progress on stderr: a live count of buckets on a terminal, nothing at all otherwise."""

from __future__ import annotations

import io

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)


def test_progress_counts_buckets_and_clears_its_line():
    stream = io.StringIO()
    progress = Progress(True, stream, interval=0)
    progress.note("listing buckets")
    progress.start(3)
    for _ in range(3):
        progress.step()
    progress.finish()
    text = stream.getvalue()
    assert "lakelint: listing buckets" in text
    assert [f"scanning buckets {n}/3" in text for n in range(4)] == [True] * 4
    assert text.endswith("\r")  # the line is blanked at the end, so the report starts clean
    assert "\n" not in text


def test_progress_is_silent_when_disabled():
    stream = io.StringIO()
    progress = Progress(False, stream)
    progress.start(2)
    progress.step()
    progress.finish()
    assert stream.getvalue() == ""


def test_lint_live_draws_progress_only_when_asked(mocked_aws, capsys, live_session):
    for name in ("lake-a", "lake-b"):
        mocked_aws.bucket(name)
    config = build_config({"select": ["LL103"]}, None)
    lint_live(config, SPECS, regions=["us-east-1"], progress=False, session=live_session(workers=2))
    assert capsys.readouterr().err == ""
    lint_live(config, SPECS, regions=["us-east-1"], progress=True, session=live_session(workers=2))
    assert "scanning buckets 2/2" in capsys.readouterr().err

"""``lakelint --live``: scan the account, then run the very same engine templates go through.

The engine sees stacks of ``Resource`` records in CloudFormation's shape with ``source="live"``;
it does not know, and the checks do not know, that no template was involved.
"""

from __future__ import annotations

import sys

from lakelint import __version__
from lakelint.core.config import Config
from lakelint.core.engine import Engine
from lakelint.core.model import Report
from lakelint.sources.live.inventory import build_stacks, resource_count
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import ScanPlan, scan
from lakelint.sources.live.session import DEFAULT_WORKERS, LiveSession


def lint_live(config: Config, specs, profile: str | None = None, regions=None, progress: bool = False, *,
              session: LiveSession | None = None, workers: int = DEFAULT_WORKERS) -> Report:
    """Lint the account behind ``profile`` (boto3's default chain when None) in ``regions``
    (``["all"]`` for every enabled region; the profile's region when empty).

    ``session`` lets tests and the benchmark bring their own (with Stubbers, or another pool size).
    """
    engine = Engine(specs, config, source="live")
    session = session or LiveSession(profile=profile, workers=workers)
    result = scan(session, regions or [], ScanPlan.for_checks(engine.specs, config), Progress(progress))
    for note in result.notes:
        print(f"lakelint: note: {note}", file=sys.stderr)
    stacks = build_stacks(result) if result.account else []
    results = [engine.run_stack(stack) for stack in stacks]
    findings, run_errors = engine.finish(results)
    errors = sorted(result.errors + run_errors, key=lambda e: e.sort_key())
    return Report(findings=findings, errors=errors, files=0, resources=resource_count(stacks),
                  checks=engine.specs, tool_version=__version__, fail_on=config.fail_on)

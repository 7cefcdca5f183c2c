"""docs/iam-policy.json: what ``lakelint --print-iam-policy`` prints, committed.

The policy is generated from the call catalog, so a change in what live mode may call would otherwise
go unseen in review; with the snapshot committed, a new or dropped IAM action is a line in the diff.
It is the CLI's output for the default selection, actions sorted, so the file is deterministic.
"""

from __future__ import annotations

NAME = "iam-policy"
PATH = "docs/iam-policy.json"


def expected(root) -> dict:
    """What ``lakelint --print-iam-policy`` prints with no configuration: the policy for the built-in
    checks of the default selection (preview checks, and calls no check needs, are not in it)."""
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import iam_policy_json

    return {PATH: iam_policy_json(build_config({}, None), load_checks(plugins=False))}


def owned(root) -> set:
    return {PATH}

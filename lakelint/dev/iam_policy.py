"""docs/iam-policy.json: what ``lakelint --print-iam-policy`` prints, committed.

The policy is generated from the call catalog, so a change in what live mode may call would otherwise
go unseen in review; with the snapshot committed, a new or dropped IAM action is a line in the diff.
The CLI prints ``policy_json()`` verbatim, and the actions are sorted, so the file is deterministic.
"""

from __future__ import annotations

NAME = "iam-policy"
PATH = "docs/iam-policy.json"


def expected(root) -> dict:
    from lakelint.sources.live.iam import policy_json

    return {PATH: policy_json()}


def owned(root) -> set:
    return {PATH}

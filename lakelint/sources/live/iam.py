"""The least-privilege IAM policy for live mode, generated from the call catalog.

``lakelint --print-iam-policy`` prints it. Because it comes from the same table the collectors and
the read-only guard use, it names exactly the actions live mode needs; a test runs a full scan and
checks that the actions of the calls it made and the policy's actions are the same set.
"""

from __future__ import annotations

import json

from lakelint.sources.live.catalog import all_calls


def actions() -> list:
    return sorted({call.iam_action for call in all_calls()})


def policy() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LakelintLiveReadOnly",
            "Effect": "Allow",
            "Action": actions(),
            "Resource": "*",
        }],
    }


def policy_json() -> str:
    return json.dumps(policy(), indent=2) + "\n"

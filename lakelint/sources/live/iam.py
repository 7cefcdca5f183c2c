"""The least-privilege IAM policy for live mode, generated from the call catalog and the scan plan.

``lakelint --print-iam-policy`` prints it for the checks ``--select``/``--ignore`` leave (and the
configuration's options: the bucket quota is read only with ``bucket-quota: auto``). Because it comes
from the same plan the scan follows and the same table the read-only guard admits, it names exactly the
actions live mode needs: a test runs a full scan and checks that the actions of the calls it made and
the policy's are the same set. It always allows ``ec2:DescribeRegions`` (for ``--region all``) and the
calls made only on occasion (``s3:ListBucket`` for HeadBucket, asked only when a read answers
NoSuchBucket).
"""

from __future__ import annotations

import json


def actions(plan=None) -> list:
    """The IAM actions of ``plan`` (a ScanPlan); of every call in the catalog without one."""
    if plan is None:
        from lakelint.sources.live.catalog import all_calls

        calls = all_calls()
    else:
        calls = plan.policy_calls()
    return sorted({call.iam_action for call in calls})


def policy(plan=None) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LakelintLiveReadOnly",
            "Effect": "Allow",
            "Action": actions(plan),
            "Resource": "*",
        }],
    }


def policy_json(plan=None) -> str:
    return json.dumps(policy(plan), indent=2) + "\n"


def scanner_policy(role_name: str | None = None, organization: bool = True) -> dict:
    """``--print-iam-policy --org``: what the scanning principal itself needs in a multi-account run: to
    list the organisation (``--org``) and to assume the scan role in each account. The scan role's own
    policy is ``policy(plan)`` (``lakelint --print-scan-role`` creates the role with it)."""
    from lakelint.sources.live.catalog import ASSUME_ROLE, ORGANIZATION_CALLS

    role = f"arn:*:iam::*:role/{role_name}" if role_name else "arn:*:iam::*:role/*"
    statements = []
    if organization:
        statements.append({"Sid": "LakelintListOrganization", "Effect": "Allow",
                           "Action": sorted({call.iam_action for call in ORGANIZATION_CALLS}), "Resource": "*"})
    statements.append({"Sid": "LakelintAssumeScanRole", "Effect": "Allow", "Action": [ASSUME_ROLE.iam_action],
                       "Resource": role})
    return {"Version": "2012-10-17", "Statement": statements}

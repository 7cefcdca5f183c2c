"""What the VPC endpoint checks (LL201-LL203) share: the service an endpoint reaches, and its policy.

Both are read with the one reading idiom (lakelint/core/reading.py), so an endpoint policy judged
inside ``for _ in serving(endpoint, "s3")`` holds in the branches where the endpoint reaches S3, and
a policy lakelint cannot read is reported once, here, as "cannot verify the endpoint policy: it ...".
"""

from __future__ import annotations

from lakelint.core.reading import here, read, report
from lakelint.core.values import MISSING, Unresolved
from lakelint.knowledge.policy import Policy
from lakelint.knowledge.services import endpoint_service

ENDPOINT_TYPE = "AWS::EC2::VPCEndpoint"


def serving(endpoint, service: str):
    """Once per branch in which the endpoint's ``ServiceName`` names ``service`` ("s3", "dynamodb").

    A service name lakelint cannot read (a parameter without a value) names no service it knows: the
    endpoint is left to the checks of the services it can be told to reach."""
    for name in read(endpoint, "ServiceName", presence=True):
        if endpoint_service(name) == service:
            yield name


def endpoint_policies(endpoint):
    """``(policy, at)`` for each branch of the endpoint's policy: the ``Policy`` (None where the endpoint
    has no ``PolicyDocument``) and where that branch is written (the resource, when nowhere), for
    verdicts that have no better place (a policy written as a JSON string has no statement lines).

    A document only known at deploy time, or that is not a JSON policy, is reported as unknown and
    not yielded: the check judges only policies it can read."""
    for document in read(endpoint, "PolicyDocument", presence=True):
        at = here() or endpoint.pos
        if document is MISSING:
            yield None, at
            continue
        policy = Policy.parse(document)
        if policy.problem is None:
            yield policy, at
            continue
        cause = policy.cause
        if cause is None:  # not JSON, or not an object: words that read after "it"
            cause = Unresolved("", policy.problem.removeprefix("the policy document "))
        report(cause, "the endpoint policy", at=at, key="PolicyDocument")

"""Every AWS API call live mode may make, and the IAM action each one needs.

This table is the single source of truth for four things that must never drift apart: the calls the
collectors make (a call missing here is refused by the read-only guard before it is signed), the
least-privilege policy ``--print-iam-policy`` prints, the IAM action a "could not evaluate" error
names, and the calls the docs list per check. The calls of one service live beside the collector
that makes them (``collectors/<service>.py``); this module holds the two every scan makes and
gathers the rest from the collectors.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadCall:
    service: str  # boto3 client name
    operation: str  # API operation name, as botocore spells it
    iam_action: str
    not_configured: tuple = ()  # error codes that mean "this is not configured": a fact, not a fault
    # Why a call is made only on occasion (HeadBucket: only to confirm a bucket is gone). Such a call is
    # in the policy, but a scan that never meets the occasion does not make it.
    contingent: str = ""

    @property
    def method(self) -> str:
        from botocore import xform_name

        return xform_name(self.operation)

    @property
    def label(self) -> str:
        return f"{self.service}:{self.operation}"


def read_call(service, operation, iam_action, *not_configured, contingent: str = "") -> ReadCall:
    return ReadCall(service, operation, iam_action, tuple(not_configured), contingent)


_call = read_call  # the name the collectors were written with

GET_CALLER_IDENTITY = read_call("sts", "GetCallerIdentity", "sts:GetCallerIdentity")
DESCRIBE_REGIONS = read_call("ec2", "DescribeRegions", "ec2:DescribeRegions",
                             contingent="only with --region all, to list the account's enabled regions")

# Made by every scan, whatever the checks read: who the account is, and which regions it has.
SCAN_CALLS = (GET_CALLER_IDENTITY, DESCRIBE_REGIONS)

_BY_OPERATION = {}


def all_calls() -> tuple:
    """The scan's own calls plus every collector's, in a stable order, without duplicates."""
    from lakelint.sources.live.collectors import collectors

    found = dict.fromkeys(SCAN_CALLS)
    for collector in collectors():
        found.update(dict.fromkeys(collector.calls))
    return tuple(found)


def lookup(service: str, operation: str) -> ReadCall | None:
    """The catalogued call for ``(service, operation)`` (the first, when several are: see ``variants``);
    None for anything else (the guard refuses it)."""
    found = variants(service, operation)
    return found[0] if found else None


def variants(service: str, operation: str) -> tuple:
    """Every catalogued call for ``(service, operation)``. One operation may need a different IAM action
    depending on what it is asked about: ``s3:GetBucketEncryption`` needs ``s3:GetEncryptionConfiguration``
    on a general purpose bucket and ``s3express:GetEncryptionConfiguration`` on a directory bucket. Each
    collector names the call it makes (and so the action a "could not evaluate" names); the policy lists
    every variant's action."""
    if not _BY_OPERATION:
        built = {}
        for call in all_calls():
            built.setdefault((call.service, call.operation), []).append(call)
        _BY_OPERATION.update({key: tuple(calls) for key, calls in built.items()})  # whole, for the guard's threads
    return _BY_OPERATION.get((service, operation), ())

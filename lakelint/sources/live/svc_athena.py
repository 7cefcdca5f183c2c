"""Athena workgroups of one region, in ``AWS::Athena::WorkGroup``'s shape.

``ListWorkGroups`` (followed through ``NextToken``: botocore has no paginator for it) names them;
``GetWorkGroup`` reads each one's ``Configuration``, recorded as CloudFormation's
``WorkGroupConfiguration`` {``EnforceWorkGroupConfiguration``, ``ResultConfiguration``
{``OutputLocation``, ``EncryptionConfiguration`` {``EncryptionOption``, ``KmsKey``}},
``ManagedQueryResultsConfiguration``, ...}. The API states ``EnforceWorkGroupConfiguration`` for every
workgroup, the account's ``primary`` one included (false there unless someone changed it). A
``GetWorkGroup`` that fails leaves an ``Unreadable`` ``WorkGroupConfiguration``.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.collector_support import account_id, token_pages
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.services import LiveRecord, ServiceCollector

LIST_WORK_GROUPS = _call("athena", "ListWorkGroups", "athena:ListWorkGroups")
GET_WORK_GROUP = _call("athena", "GetWorkGroup", "athena:GetWorkGroup")

_CONFIGURATION_KEYS = ("EnforceWorkGroupConfiguration", "ResultConfiguration", "ManagedQueryResultsConfiguration",
                       "PublishCloudWatchMetricsEnabled", "BytesScannedCutoffPerQuery", "RequesterPaysEnabled",
                       "EngineVersion", "AdditionalConfiguration", "ExecutionRole",
                       "CustomerContentEncryptionConfiguration", "EnableMinimumEncryptionConfiguration")


def _workgroup(session, region, name, arn) -> LiveRecord:
    props = {"Name": name}
    try:
        answer = session.read(GET_WORK_GROUP, region, WorkGroup=name) or {}
    except Fault as fault:
        props["WorkGroupConfiguration"] = fault.value()
    else:
        found = answer.get("WorkGroup") or {}
        configuration = found.get("Configuration") or {}
        props["WorkGroupConfiguration"] = {k: configuration[k] for k in _CONFIGURATION_KEYS if k in configuration}
        for key in ("State", "Description"):
            if found.get(key):
                props[key] = found[key]
    return LiveRecord(type="AWS::Athena::WorkGroup", name=name, props=props, arn=arn)


def collect(session, region) -> list:
    base = f"arn:{session.partition(region)}:athena:{region}:{account_id(session)}:workgroup/"
    names = [listed["Name"] for page in token_pages(session, LIST_WORK_GROUPS, region)
             for listed in page.get("WorkGroups") or [] if listed.get("Name")]
    return [_workgroup(session, region, name, base + name) for name in dict.fromkeys(names)]


COLLECTOR = ServiceCollector(
    name="Athena workgroups",
    resource_types=("AWS::Athena::WorkGroup",),
    calls=(LIST_WORK_GROUPS, GET_WORK_GROUP),
    collect=collect,
)

"""Athena workgroups of one region, in ``AWS::Athena::WorkGroup``'s shape.

``ListWorkGroups`` (followed through ``NextToken``: botocore has no paginator for it) names them;
``GetWorkGroup`` reads each one's ``Configuration``, recorded as CloudFormation's
``WorkGroupConfiguration`` {``EnforceWorkGroupConfiguration``, ``ResultConfiguration``
{``OutputLocation``, ``EncryptionConfiguration`` {``EncryptionOption``, ``KmsKey``}},
``ManagedQueryResultsConfiguration``, ...}. The API states ``EnforceWorkGroupConfiguration`` for every
workgroup, the account's ``primary`` one included (false there unless someone changed it). A
``GetWorkGroup`` that fails leaves an ``Unreadable`` ``WorkGroupConfiguration``. ``primary`` exists in
every region whether or not anyone queries there: it is a regional default (see regions.py).
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides, token_pages
from lakelint.sources.live.faults import Fault

LIST_WORK_GROUPS = read_call("athena", "ListWorkGroups", "athena:ListWorkGroups")
GET_WORK_GROUP = read_call("athena", "GetWorkGroup", "athena:GetWorkGroup")

_CONFIGURATION_KEYS = ("EnforceWorkGroupConfiguration", "ResultConfiguration", "ManagedQueryResultsConfiguration",
                       "PublishCloudWatchMetricsEnabled", "BytesScannedCutoffPerQuery", "RequesterPaysEnabled",
                       "EngineVersion", "AdditionalConfiguration", "ExecutionRole",
                       "CustomerContentEncryptionConfiguration", "EnableMinimumEncryptionConfiguration")


WORKGROUP_TYPE = "AWS::Athena::WorkGroup"
PRIMARY = "primary"  # the workgroup every account has in every region


def _workgroup(ctx, region, name, arn) -> LiveRecord:
    props = {"Name": name}
    record = LiveRecord(type=WORKGROUP_TYPE, name=name, props=props, arn=arn, default=name == PRIMARY)
    if not ctx.wants(GET_WORK_GROUP):
        return record
    try:
        answer = ctx.read(GET_WORK_GROUP, region, WorkGroup=name) or {}
    except Fault as fault:
        props["WorkGroupConfiguration"] = fault.value()
    else:
        found = answer.get("WorkGroup") or {}
        configuration = found.get("Configuration") or {}
        props["WorkGroupConfiguration"] = {k: configuration[k] for k in _CONFIGURATION_KEYS if k in configuration}
        for key in ("State", "Description"):
            if found.get(key):
                props[key] = found[key]
    return record


def collect(ctx, region) -> list:
    base = ctx.arn("athena", region, "workgroup/")
    names = [listed["Name"] for page in token_pages(ctx, LIST_WORK_GROUPS, region)
             for listed in page.get("WorkGroups") or [] if listed.get("Name")]
    return [_workgroup(ctx, region, name, base + name) for name in dict.fromkeys(names)]


COLLECTOR = Collector(
    name="Athena workgroups",
    types={WORKGROUP_TYPE: provides(LIST_WORK_GROUPS, {
        **fields(LIST_WORK_GROUPS, "Name"),
        # WorkGroupConfigurationUpdates: an update a template applies, absent live (collector.fields)
        **fields(GET_WORK_GROUP, "WorkGroupConfiguration", "State", "Description", "WorkGroupConfigurationUpdates")})},
    collect=collect,
)

"""CloudFormation stacks of one region, as lakelint's own ``LakeLint::Stack`` records.

What ``--live --compare`` needs to put a template beside what it deployed, and what LL803 needs to tell a
managed resource from an unmanaged one:

- ``ListStacks`` (paginated; every stack that exists: deleted ones are left out) names them, with
  ``ParentId``/``RootId`` for nested stacks (each nested stack is a stack of its own in the listing);
- ``DescribeStacks`` gives each stack's ``Parameters`` as deployed (``{name: value}``; CloudFormation
  answers ``****`` for a NoEcho parameter, which stays hidden) and its ``Tags``;
- ``ListStackResources`` (paginated) gives ``Resources``: ``[{LogicalResourceId, PhysicalResourceId,
  ResourceType, ResourceStatus}]``, the link between a template's logical ids and what the account holds;
- ``GetTemplate`` gives ``TemplateBody``, read only when a stack must be matched to a template file by
  its body (no ``stacks:`` mapping names it).

Stack records are lakelint's own (``LakeLint::`` types), so run-scope checks see them whole.
"""

from __future__ import annotations

import json

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault

STACK_TYPE = "LakeLint::Stack"

LIST_STACKS = read_call("cloudformation", "ListStacks", "cloudformation:ListStacks")
DESCRIBE_STACKS = read_call("cloudformation", "DescribeStacks", "cloudformation:DescribeStacks")
LIST_STACK_RESOURCES = read_call("cloudformation", "ListStackResources", "cloudformation:ListStackResources")
GET_TEMPLATE = read_call("cloudformation", "GetTemplate", "cloudformation:GetTemplate")

# Every status of a stack that exists (ListStacks also returns deleted stacks for 90 days).
LIVE_STATUSES = (
    "CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED",
    "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED", "UPDATE_IN_PROGRESS",
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE",
    "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_IN_PROGRESS",
    "IMPORT_ROLLBACK_FAILED", "IMPORT_ROLLBACK_COMPLETE",
)


def _stack(ctx, region, summary) -> LiveRecord:
    name, stack_id = summary["StackName"], summary.get("StackId") or summary["StackName"]
    props = {"StackName": name, "StackId": stack_id, "StackStatus": summary.get("StackStatus")}
    for key in ("ParentId", "RootId"):
        if summary.get(key):
            props[key] = summary[key]
    record = LiveRecord(type=STACK_TYPE, name=name, props=props, arn=stack_id)
    if ctx.wants(DESCRIBE_STACKS):
        try:
            described = (ctx.read(DESCRIBE_STACKS, region, StackName=stack_id) or {}).get("Stacks") or [{}]
        except Fault as fault:
            props["Parameters"] = props["Tags"] = fault.value()
        else:
            stack = described[0]
            props["Parameters"] = {p["ParameterKey"]: p.get("ResolvedValue", p.get("ParameterValue"))
                                   for p in stack.get("Parameters") or [] if "ParameterKey" in p}
            props["Tags"] = [{"Key": t["Key"], "Value": t.get("Value")} for t in stack.get("Tags") or []]
    if ctx.wants(LIST_STACK_RESOURCES):
        try:
            props["Resources"] = [
                {key: item.get(key) for key in ("LogicalResourceId", "PhysicalResourceId", "ResourceType",
                                                 "ResourceStatus")}
                for page in ctx.pages(LIST_STACK_RESOURCES, region, StackName=stack_id)
                for item in page.get("StackResourceSummaries") or []]
        except Fault as fault:
            props["Resources"] = fault.value()
    if ctx.wants(GET_TEMPLATE):
        try:
            body = (ctx.read(GET_TEMPLATE, region, StackName=stack_id) or {}).get("TemplateBody")
        except Fault as fault:
            props["TemplateBody"] = fault.value()
        else:
            # JSON templates come back parsed; YAML ones as text
            props["TemplateBody"] = body if isinstance(body, str) else json.dumps(body)
    return record


def collect(ctx, region) -> list:
    summaries = [summary for page in ctx.pages(LIST_STACKS, region, StackStatusFilter=list(LIVE_STATUSES))
                 for summary in page.get("StackSummaries") or [] if summary.get("StackName")]
    return [_stack(ctx, region, summary) for summary in summaries]


COLLECTOR = Collector(
    name="CloudFormation stacks",
    types={STACK_TYPE: provides(LIST_STACKS, {
        **fields(LIST_STACKS, "StackName", "StackId", "StackStatus", "ParentId", "RootId"),
        **fields(DESCRIBE_STACKS, "Parameters", "Tags"),
        **fields(LIST_STACK_RESOURCES, "Resources"),
        **fields(GET_TEMPLATE, "TemplateBody")})},
    collect=collect,
    failure="list CloudFormation stacks in {region}",
)

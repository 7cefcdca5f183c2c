"""Redshift Serverless workgroups of one region, in ``AWS::RedshiftServerless::Workgroup``'s shape.

``ListWorkgroups`` answers each workgroup whole (the same record ``GetWorkgroup`` gives one at a
time), so one paginated listing per region is all: ``PubliclyAccessible`` and ``EnhancedVpcRouting``
are always stated there, true or false, and the network and capacity settings are copied under their
CloudFormation names.

Workgroups are a collector of their own, beside the namespaces' (redshift_serverless.py), so that a
scanning role denied one listing still reads the other, and an error entry or an emulator's "not
implemented" note names the listing that failed.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.collectors.redshift_serverless import SERVICE
from lakelint.sources.live.regional import offered_in

WORKGROUP_TYPE = "AWS::RedshiftServerless::Workgroup"

LIST_WORKGROUPS = read_call(SERVICE, "ListWorkgroups", "redshift-serverless:ListWorkgroups")

# ListWorkgroups field -> CloudFormation property, copied when the answer has it
_COPIED = (("workgroupName", "WorkgroupName"), ("namespaceName", "NamespaceName"),
           ("publiclyAccessible", "PubliclyAccessible"), ("enhancedVpcRouting", "EnhancedVpcRouting"),
           ("baseCapacity", "BaseCapacity"), ("maxCapacity", "MaxCapacity"), ("port", "Port"),
           ("subnetIds", "SubnetIds"), ("securityGroupIds", "SecurityGroupIds"), ("trackName", "TrackName"))


def workgroup_props(workgroup: dict) -> dict:
    props = {prop: workgroup[field] for field, prop in _COPIED if workgroup.get(field) not in (None, "", [])}
    parameters = [{"ParameterKey": p.get("parameterKey"), "ParameterValue": p.get("parameterValue")}
                  for p in workgroup.get("configParameters") or [] if p.get("parameterKey")]
    if parameters:
        props["ConfigParameters"] = parameters
    return props


def collect(ctx, region) -> list:
    if not offered_in(ctx, SERVICE, region):
        return []
    records = []
    for page in ctx.pages(LIST_WORKGROUPS, region):
        for workgroup in page.get("workgroups") or []:
            name = workgroup["workgroupName"]
            records.append(LiveRecord(type=WORKGROUP_TYPE, name=name, props=workgroup_props(workgroup),
                                      arn=workgroup.get("workgroupArn") or ctx.arn(
                                          SERVICE, region, f"workgroup/{workgroup.get('workgroupId', name)}")))
    return records


COLLECTOR = Collector(
    name="Redshift Serverless workgroups",
    types={WORKGROUP_TYPE: provides(LIST_WORKGROUPS, fields(
        LIST_WORKGROUPS, *(prop for _, prop in _COPIED), "ConfigParameters"))},
    collect=collect,
)

"""DynamoDB tables of one region in ``AWS::DynamoDB::Table``'s shape, with the auto scaling that scales them.

Each table is ``DescribeTable`` (encryption, billing mode, capacity, deletion protection) and
``DescribeContinuousBackups`` (point-in-time recovery). A global table's replicas are tables of their
own Regions, so each is judged where it lives. Application Auto Scaling is read for the whole Region
(targets, policies, scheduled actions of the ``dynamodb`` namespace) and linked as templates link it:
``table.related("scalable_targets")``, each target with its ``scaling_policies``.

Where the API says "not configured" the CloudFormation key is absent: no ``SSEDescription`` means the
AWS owned key, so ``SSESpecification`` is absent, as in a template that does not set it. A listing of
the auto scaling that fails cannot show that a table scales; it is recorded where LL514 looks, so the
check reports "could not evaluate" instead of a table that does not scale:
- targets unreadable: one stand-in target per table whose ``ScalableDimension`` is the Unreadable;
- policies or scheduled actions unreadable: each target's ``ScheduledActions`` is the Unreadable.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault

LIST_TABLES = read_call("dynamodb", "ListTables", "dynamodb:ListTables")
DESCRIBE_TABLE = read_call("dynamodb", "DescribeTable", "dynamodb:DescribeTable", "ResourceNotFoundException")
DESCRIBE_CONTINUOUS_BACKUPS = read_call("dynamodb", "DescribeContinuousBackups", "dynamodb:DescribeContinuousBackups",
                                    "TableNotFoundException")
DESCRIBE_SCALABLE_TARGETS = read_call("application-autoscaling", "DescribeScalableTargets",
                                  "application-autoscaling:DescribeScalableTargets")
DESCRIBE_SCALING_POLICIES = read_call("application-autoscaling", "DescribeScalingPolicies",
                                  "application-autoscaling:DescribeScalingPolicies")
DESCRIBE_SCHEDULED_ACTIONS = read_call("application-autoscaling", "DescribeScheduledActions",
                                   "application-autoscaling:DescribeScheduledActions")

TABLE_TYPE = "AWS::DynamoDB::Table"
TARGET_TYPE = "AWS::ApplicationAutoScaling::ScalableTarget"
POLICY_TYPE = "AWS::ApplicationAutoScaling::ScalingPolicy"
NAMESPACE = "dynamodb"
SSE_ON = ("ENABLED", "UPDATING")


class TableGone(Exception):
    """The table was deleted between the listing and its description."""


def sse_specification(description):
    """``SSEDescription`` as ``SSESpecification``; None (absent) means the AWS owned key."""
    if not description:
        return None
    if str(description.get("Status") or "").upper() not in SSE_ON:
        return {"SSEEnabled": False}
    spec = {"SSEEnabled": True}
    if description.get("SSEType"):
        spec["SSEType"] = description["SSEType"]
    if description.get("KMSMasterKeyArn"):
        spec["KMSMasterKeyId"] = description["KMSMasterKeyArn"]
    return spec


def table_props(table: dict) -> dict:
    props = {"TableName": table["TableName"]}
    sse = sse_specification(table.get("SSEDescription"))
    if sse is not None:
        props["SSESpecification"] = sse
    # tables created before on-demand existed have no summary: they are provisioned
    props["BillingMode"] = (table.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    if props["BillingMode"] == "PROVISIONED":
        throughput = table.get("ProvisionedThroughput") or {}
        props["ProvisionedThroughput"] = {k: throughput[k] for k in ("ReadCapacityUnits", "WriteCapacityUnits")
                                          if k in throughput}
    if "DeletionProtectionEnabled" in table:
        props["DeletionProtectionEnabled"] = bool(table["DeletionProtectionEnabled"])
    if (table.get("TableClassSummary") or {}).get("TableClass"):
        props["TableClass"] = table["TableClassSummary"]["TableClass"]
    return props


def pitr_specification(response) -> dict:
    description = (response.get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {}
    if str(description.get("PointInTimeRecoveryStatus") or "").upper() != "ENABLED":
        return {"PointInTimeRecoveryEnabled": False}
    spec = {"PointInTimeRecoveryEnabled": True}
    if description.get("RecoveryPeriodInDays") is not None:
        spec["RecoveryPeriodInDays"] = description["RecoveryPeriodInDays"]
    return spec


def table_record(ctx, region, name) -> LiveRecord:
    props, arn = {"TableName": name}, None
    try:
        described = ctx.read(DESCRIBE_TABLE, region, TableName=name) if ctx.wants(DESCRIBE_TABLE) else {}
    except Fault as fault:
        unreadable = fault.value()
        props.update(SSESpecification=unreadable, BillingMode=unreadable, DeletionProtectionEnabled=unreadable)
    else:
        if described is None:
            raise TableGone(name)
        if described:
            table = described["Table"]
            props, arn = table_props(table), table.get("TableArn")
    arn = arn or ctx.arn("dynamodb", region, f"table/{name}")
    if not ctx.wants(DESCRIBE_CONTINUOUS_BACKUPS):
        return LiveRecord(type=TABLE_TYPE, name=name, props=props, arn=arn)
    try:
        backups = ctx.read(DESCRIBE_CONTINUOUS_BACKUPS, region, TableName=name)
    except Fault as fault:
        props["PointInTimeRecoverySpecification"] = fault.value()
    else:
        if backups is None:
            raise TableGone(name)
        props["PointInTimeRecoverySpecification"] = pitr_specification(backups)
    return LiveRecord(type=TABLE_TYPE, name=name, props=props, arn=arn)


def _table_of(resource_id: str) -> str | None:
    """``table/Orders`` and ``table/Orders/index/ByDate`` belong to table Orders."""
    parts = (resource_id or "").split("/")
    return parts[1] if len(parts) >= 2 and parts[0] == "table" else None


def target_name(resource_id: str, dimension: str) -> str:
    return f"{resource_id}#{dimension}"


def _listing(ctx, call, region, key) -> list:
    if not ctx.wants(call):
        return []
    return [item for page in ctx.pages(call, region, ServiceNamespace=NAMESPACE) for item in page.get(key) or []]


def scaling_records(ctx, region, tables) -> list:
    try:
        targets = _listing(ctx, DESCRIBE_SCALABLE_TARGETS, region, "ScalableTargets")
    except Fault as fault:
        unreadable = fault.value()
        return [LiveRecord(type=TARGET_TYPE, name=target_name(f"table/{name}", "unreadable"),
                           props={"ResourceId": f"table/{name}", "ServiceNamespace": NAMESPACE,
                                  "ScalableDimension": unreadable},
                           links=[("tables", TABLE_TYPE, name, "scalable_targets")]) for name in tables]
    unreadable = None
    try:
        policies = _listing(ctx, DESCRIBE_SCALING_POLICIES, region, "ScalingPolicies")
    except Fault as fault:
        policies, unreadable = [], fault.value()
    try:
        scheduled = _listing(ctx, DESCRIBE_SCHEDULED_ACTIONS, region, "ScheduledActions")
    except Fault as fault:
        scheduled, unreadable = [], unreadable or fault.value()
    actions = {}
    for action in scheduled:
        entry = {k: action[k] for k in ("ScheduledActionName", "Schedule", "Timezone") if action.get(k)}
        if action.get("ScalableTargetAction"):
            entry["ScalableTargetAction"] = dict(action["ScalableTargetAction"])
        actions.setdefault(target_name(action.get("ResourceId"), action.get("ScalableDimension")), []).append(entry)
    records = []
    for target in targets:
        name = target_name(target["ResourceId"], target["ScalableDimension"])
        props = {k: target[k] for k in ("ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity",
                                         "MaxCapacity") if k in target}
        if unreadable is not None:
            props["ScheduledActions"] = unreadable
        elif name in actions:
            props["ScheduledActions"] = actions[name]
        table = _table_of(target["ResourceId"])
        links = [("tables", TABLE_TYPE, table, "scalable_targets")] if table else []
        records.append(LiveRecord(type=TARGET_TYPE, name=name, props=props, arn=target.get("ScalableTargetARN"),
                                  links=links))
    for policy in policies:
        props = {k: policy[k] for k in ("PolicyName", "PolicyType", "ServiceNamespace", "ResourceId",
                                         "ScalableDimension") if k in policy}
        target = target_name(policy.get("ResourceId"), policy.get("ScalableDimension"))
        records.append(LiveRecord(type=POLICY_TYPE, name=f"{target}#{policy.get('PolicyName')}", props=props,
                                  arn=policy.get("PolicyARN"),
                                  links=[("targets", TARGET_TYPE, target, "scaling_policies")]))
    return records


def collect(ctx, region) -> list:
    names = [name for page in ctx.pages(LIST_TABLES, region) for name in page.get("TableNames") or []]
    records = []
    for name in names:
        try:
            records.append(table_record(ctx, region, name))
        except TableGone:
            continue
    if records:
        records += scaling_records(ctx, region, [r.name for r in records])
    return records


_TARGET_KEYS = ("ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity")
COLLECTOR = Collector(
    name="DynamoDB tables",
    types={
        TABLE_TYPE: provides(LIST_TABLES, {
            **fields(LIST_TABLES, "TableName"),
            **fields(DESCRIBE_TABLE, "SSESpecification", "BillingMode", "ProvisionedThroughput",
                     "DeletionProtectionEnabled", "TableClass"),
            **fields(DESCRIBE_CONTINUOUS_BACKUPS, "PointInTimeRecoverySpecification")}),
        # a target's ScheduledActions is unknown when either the policies or the actions could not be read
        TARGET_TYPE: provides((LIST_TABLES, DESCRIBE_SCALABLE_TARGETS), {
            **fields(DESCRIBE_SCALABLE_TARGETS, *_TARGET_KEYS),
            **fields((DESCRIBE_SCALING_POLICIES, DESCRIBE_SCHEDULED_ACTIONS), "ScheduledActions")}),
        POLICY_TYPE: provides((LIST_TABLES, DESCRIBE_SCALABLE_TARGETS, DESCRIBE_SCALING_POLICIES),
                              fields(DESCRIBE_SCALING_POLICIES, "PolicyName", "PolicyType", "ServiceNamespace",
                                     "ResourceId", "ScalableDimension")),
    },
    collect=collect,
)

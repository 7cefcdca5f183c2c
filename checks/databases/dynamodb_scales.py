"""A DynamoDB table with provisioned capacity and no auto scaling.

## What it does
For every `AWS::DynamoDB::Table` in provisioned mode, checks that Application Auto Scaling scales both
its read and its write capacity: an `AWS::ApplicationAutoScaling::ScalableTarget` in the template whose
`ResourceId` is the table (`table/${Table}`) with the `dynamodb:table:ReadCapacityUnits` and
`dynamodb:table:WriteCapacityUnits` dimensions, each with a scaling policy or scheduled actions (a
target or policy with a `Condition` scales the table only where its condition holds). For an
`AWS::DynamoDB::GlobalTable` in provisioned mode, checks `WriteProvisionedThroughputSettings
.WriteCapacityAutoScalingSettings` and, on every replica, `ReadProvisionedThroughputSettings
.ReadCapacityAutoScalingSettings` (a fixed `ReadCapacityUnits` fails). On-demand tables
(`PAY_PER_REQUEST`) pass. Global secondary indexes are not checked.

Live, the billing mode comes from `DescribeTable` (a table without a billing mode summary is
provisioned) and the scaling from Application Auto Scaling's `DescribeScalableTargets`,
`DescribeScalingPolicies` and `DescribeScheduledActions`; if one of them cannot be read the table
cannot be verified.

**When the property is absent:** `BillingMode` defaults to `PROVISIONED`, so a table without it needs
auto scaling like any provisioned table.

## Why it matters
Fixed capacity is either paid for and idle, or too small when a lake export, a backfill or a traffic
peak arrives, and then requests are throttled. Auto scaling (or on-demand mode) follows the load.

## Example
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    ProvisionedThroughput: {ReadCapacityUnits: 50, WriteCapacityUnits: 50}        # LL514
```

## Fix
Use on-demand capacity (`BillingMode: PAY_PER_REQUEST`), or scale the provisioned capacity:
```yaml
OrdersWriteScaling:
  Type: AWS::ApplicationAutoScaling::ScalableTarget
  Properties:
    ServiceNamespace: dynamodb
    ResourceId: !Sub table/${Orders}
    ScalableDimension: dynamodb:table:WriteCapacityUnits
    MinCapacity: 5
    MaxCapacity: 500
OrdersWritePolicy:
  Type: AWS::ApplicationAutoScaling::ScalingPolicy
  Properties:
    PolicyName: orders-write
    PolicyType: TargetTrackingScaling
    ScalingTargetId: !Ref OrdersWriteScaling
    TargetTrackingScalingPolicyConfiguration:
      TargetValue: 70
      PredefinedMetricSpecification: {PredefinedMetricType: DynamoDBWriteCapacityUtilization}
```
(and the same for `ReadCapacityUnits`). With the AWS CLI:
```sh
aws application-autoscaling register-scalable-target --service-namespace dynamodb \
  --resource-id table/orders --scalable-dimension dynamodb:table:WriteCapacityUnits --min-capacity 5 --max-capacity 500
aws application-autoscaling put-scaling-policy --service-namespace dynamodb --resource-id table/orders \
  --scalable-dimension dynamodb:table:WriteCapacityUnits --policy-name orders-write --policy-type TargetTrackingScaling \
  --target-tracking-scaling-policy-configuration '{"TargetValue":70,"PredefinedMetricSpecification":{"PredefinedMetricType":"DynamoDBWriteCapacityUtilization"}}'
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalabletarget.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-readprovisionedthroughputsettings.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import existing, known, read_together
from lakelint.core.values import MISSING, Unresolved, dig, show

from ._databases import replica_label, text, where

TABLE_TYPE = "AWS::DynamoDB::Table"
GLOBAL_TYPE = "AWS::DynamoDB::GlobalTable"
TARGET_TYPE = "AWS::ApplicationAutoScaling::ScalableTarget"
POLICY_TYPE = "AWS::ApplicationAutoScaling::ScalingPolicy"
DIMENSIONS = {"dynamodb:table:readcapacityunits": "ReadCapacityUnits",
              "dynamodb:table:writecapacityunits": "WriteCapacityUnits"}
GLOBAL_KEYS = ("BillingMode", "WriteProvisionedThroughputSettings", "Replicas")


@check(code="LL514", name="dynamodb-scales", severity="low",
       title="DynamoDB provisioned capacity without auto scaling",
       resource_types=[TABLE_TYPE, GLOBAL_TYPE], sources=["template", "live"],
       reads={TABLE_TYPE: ["BillingMode"], GLOBAL_TYPE: list(GLOBAL_KEYS),
              # the auto scaling linked to a table: what each target and policy scales
              TARGET_TYPE: ["ScalableDimension", "ScheduledActions"], POLICY_TYPE: ["ScalableDimension"]})
def dynamodb_scales(table, ctx):
    global_table = table.type == GLOBAL_TYPE
    for values in read_together(table, *(GLOBAL_KEYS if global_table else ("BillingMode",))):
        mode = known(values.get("BillingMode", MISSING), "BillingMode", at=where(values, "BillingMode"),
                     key="BillingMode")
        if mode is None or text(mode) == "pay_per_request":
            continue
        if global_table:
            yield from _global_table(values)
            continue
        scaling = table.related("scalable_targets") + table.related("scaling_policies")
        for present in existing(scaling, within=table):  # a target with a Condition scales only where it holds
            yield from _table(values, present)


def _scaled_dimensions(scaling):
    """The capacity dimensions the targets and policies ``scaling`` scale, and those that stand in the way
    of knowing: [(name, the value known only at deploy time, or None when the dimension is not text)]."""
    scaled, pending = set(), []
    holders = [(s, bool(s.related("scaling_policies")) or _has(s, "ScheduledActions"))
               for s in scaling if s.type == TARGET_TYPE]
    holders += [(s, True) for s in scaling if s.type == POLICY_TYPE]
    for holder, acting in holders:
        props = holder.props if isinstance(holder.props, dict) else {}
        dimension, actions = props.get("ScalableDimension"), props.get("ScheduledActions")
        if isinstance(dimension, Unresolved):  # live: the targets could not be listed
            pending.append((holder.name, dimension))
            continue
        if isinstance(actions, Unresolved) and not holder.related("scaling_policies"):  # live: unread actions
            pending.append((holder.name, actions))
            continue
        if not acting:
            continue
        name = DIMENSIONS.get(text(dimension) or "")
        if name:
            scaled.add(name)
        elif dimension is not None and not isinstance(dimension, str):
            pending.append((holder.name, None))
    return scaled, pending


def _has(resource, key):
    return isinstance(resource.props, dict) and resource.props.get(key) not in (None, [], MISSING)


def _table(values, scaling):
    scaled, pending = _scaled_dimensions(scaling)
    missing = [d for d in ("ReadCapacityUnits", "WriteCapacityUnits") if d not in scaled]
    if not missing:
        return
    unread = [cause for _, cause in pending if cause is not None]
    if unread:
        known(unread[0], "auto scaling", key="BillingMode")  # reports "cannot verify auto scaling: it ..."
        return
    if pending:
        yield unknown(f"cannot verify auto scaling: the dimension of {', '.join(n for n, _ in pending)} is known "
                      f"only at deploy time")
        return
    mode = "BillingMode is not set (PROVISIONED by default)" if values.get("BillingMode", MISSING) is MISSING \
        else f"BillingMode is {show(values.get('BillingMode'))}"
    yield fail(f"{mode} and no Application Auto Scaling target with a policy scales {' or '.join(missing)}",
               at=where(values, "BillingMode"), key="BillingMode")


def _global_table(values):
    write = known(values.get("WriteProvisionedThroughputSettings", MISSING), "WriteProvisionedThroughputSettings")
    if write is not None and dig(write, "WriteCapacityAutoScalingSettings") is MISSING:
        yield fail("provisioned global table without WriteProvisionedThroughputSettings."
                   "WriteCapacityAutoScalingSettings", at=where(values, "WriteProvisionedThroughputSettings"),
                   key="WriteProvisionedThroughputSettings")
    replicas = known(values.get("Replicas", MISSING), "Replicas")
    for replica in replicas if isinstance(replicas, list) else []:
        if not isinstance(replica, dict):
            continue
        label = replica_label(replica)
        read = known(replica.get("ReadProvisionedThroughputSettings", MISSING),
                     f"ReadProvisionedThroughputSettings of replica {label}")
        if read is not None and dig(read, "ReadCapacityAutoScalingSettings") is MISSING:
            fixed = dig(read, "ReadCapacityUnits")
            how = f"a fixed ReadCapacityUnits of {show(fixed)}" if fixed is not MISSING else "no read auto scaling"
            yield fail(f"replica {label}: {how} (ReadCapacityAutoScalingSettings not set)",
                       at=where(replica, "ReadProvisionedThroughputSettings"),
                       key="Replicas.ReadProvisionedThroughputSettings")

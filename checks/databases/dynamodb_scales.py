"""A DynamoDB table with provisioned capacity and no auto scaling.

## What it does
For every `AWS::DynamoDB::Table` in provisioned mode, checks that Application Auto Scaling scales both
its read and its write capacity: an `AWS::ApplicationAutoScaling::ScalableTarget` in the template whose
`ResourceId` is the table (`table/${Table}`) with the `dynamodb:table:ReadCapacityUnits` and
`dynamodb:table:WriteCapacityUnits` dimensions, each with a scaling policy or scheduled actions. For an
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
from lakelint.core.propcheck import at_key, missing_at, props_branches, text
from ._databases import replica_label
from lakelint.core.values import MISSING, dig, is_unresolved, show

DIMENSIONS = {"dynamodb:table:readcapacityunits": "ReadCapacityUnits",
              "dynamodb:table:writecapacityunits": "WriteCapacityUnits"}


@check(code="LL514", name="dynamodb-scales", severity="low",
       title="DynamoDB provisioned capacity without auto scaling",
       resource_types=["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"], sources=["template", "live"])
def dynamodb_scales(table, ctx):
    global_table = table.type == "AWS::DynamoDB::GlobalTable"
    keys = ("BillingMode", "WriteProvisionedThroughputSettings", "Replicas") if global_table else ("BillingMode",)
    for branch in props_branches(table, *keys):
        values = branch.value
        mode = values.get("BillingMode", MISSING)
        if is_unresolved(mode):
            yield unknown(f"cannot verify BillingMode: it {mode.reason}", cause=mode, branch=branch,
                          at=at_key(values, "BillingMode"), key="BillingMode")
            continue
        if text(mode) == "pay_per_request":
            continue
        if global_table:
            yield from _global_table(values, branch)
        else:
            yield from _table(table, branch, values)


def _scaled_dimensions(table):
    """The capacity dimensions something in the template scales, and any whose name is not known."""
    scaled, pending = set(), []
    holders = [(t, bool(t.related("scaling_policies")) or _has(t, "ScheduledActions"))
               for t in table.related("scalable_targets")]
    holders += [(p, True) for p in table.related("scaling_policies")]
    for holder, acting in holders:
        props = holder.props if isinstance(holder.props, dict) else {}
        dimension = props.get("ScalableDimension")
        actions = props.get("ScheduledActions")
        if is_unresolved(dimension):  # live: the targets could not be listed
            pending.append((holder.name, dimension))
            continue
        if is_unresolved(actions) and not holder.related("scaling_policies"):  # live: policies or actions unread
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


def _table(table, branch, values):
    scaled, pending = _scaled_dimensions(table)
    missing = [d for d in ("ReadCapacityUnits", "WriteCapacityUnits") if d not in scaled]
    if not missing:
        return
    mode = "BillingMode is not set (PROVISIONED by default)" if values.get("BillingMode", MISSING) is MISSING \
        else f"BillingMode is {show(values.get('BillingMode'))}"
    unread = [(name, cause) for name, cause in pending if cause is not None]
    if unread:
        name, cause = unread[0]
        yield unknown(f"cannot verify auto scaling: it {cause.reason}", cause=cause, branch=branch, key="BillingMode")
        return
    if pending:
        yield unknown(f"cannot verify auto scaling: the dimension of {', '.join(n for n, _ in pending)} is known "
                      f"only at deploy time", branch=branch)
        return
    yield fail(f"{mode} and no Application Auto Scaling target with a policy scales {' or '.join(missing)}",
               branch=branch, at=at_key(values, "BillingMode"), key="BillingMode")


def _global_table(values, branch):
    write = values.get("WriteProvisionedThroughputSettings", MISSING)
    if is_unresolved(write):
        yield unknown(f"cannot verify WriteProvisionedThroughputSettings: it {write.reason}", cause=write,
                      branch=branch)
    elif dig(write, "WriteCapacityAutoScalingSettings") is MISSING:
        yield fail("provisioned global table without WriteProvisionedThroughputSettings."
                   "WriteCapacityAutoScalingSettings", branch=branch,
                   at=at_key(values, "WriteProvisionedThroughputSettings"), key="WriteProvisionedThroughputSettings")
    replicas = values.get("Replicas", MISSING)
    for replica in replicas if isinstance(replicas, list) else []:
        if not isinstance(replica, dict):
            continue
        read = replica.get("ReadProvisionedThroughputSettings", MISSING)
        if is_unresolved(read):
            yield unknown(f"replica {replica_label(replica)}: cannot verify ReadProvisionedThroughputSettings: "
                          f"it {read.reason}", cause=read, branch=branch)
        elif dig(read, "ReadCapacityAutoScalingSettings") is MISSING:
            fixed = dig(read, "ReadCapacityUnits")
            how = f"a fixed ReadCapacityUnits of {show(fixed)}" if fixed is not MISSING else "no read auto scaling"
            yield fail(f"replica {replica_label(replica)}: {how} (ReadCapacityAutoScalingSettings not set)",
                       branch=branch, at=at_key(replica, "ReadProvisionedThroughputSettings") or replica,
                       key="Replicas.ReadProvisionedThroughputSettings")

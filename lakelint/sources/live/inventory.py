"""Turn a scan into stacks: one per account and region, in the inventory shape templates use.

Buckets go to the stack of their own region; VPC endpoints to the region they were read in. Every
stack carries the account's ``LakeLint::Account`` record, since checks read it through
``resource.stack``. Bucket policies become ``AWS::S3::BucketPolicy`` resources linked both ways to
their bucket, exactly as the template source links them.
"""

from __future__ import annotations

from lakelint.model import Resource, Stack

ACCOUNT_TYPE = "LakeLint::Account"


def policy_name(bucket: str) -> str:
    """A bucket name cannot hold "/", so this never collides with another bucket's name."""
    return f"{bucket}/policy"


def build_stacks(result) -> list:
    account, partition = result.account, result.partition
    stacks = {}

    def stack_for(region):
        if region not in stacks:
            stack = Stack(source="live", resources=[], account=account, region=region)
            stack.resources.append(Resource(type=ACCOUNT_TYPE, name=account, props=dict(result.account_props),
                                            source="live", arn=f"arn:{partition}:iam::{account}:root",
                                            account=account, region=region, stack=stack))
            stacks[region] = stack
        return stacks[region]

    for region in result.regions:
        stack_for(region)
    for record in result.buckets:
        stack = stack_for(record.region)
        arn = f"arn:{partition}:s3:::{record.name}"
        bucket = Resource(type="AWS::S3::Bucket", name=record.name, props=record.props, source="live",
                          arn=arn, account=account, region=record.region, stack=stack)
        stack.resources.append(bucket)
        if record.policy is not None:
            policy = Resource(type="AWS::S3::BucketPolicy", name=policy_name(record.name),
                              props={"Bucket": record.name, "PolicyDocument": record.policy}, source="live",
                              arn=arn, account=account, region=record.region, stack=stack)
            bucket.link("policies", policy)
            policy.link("target", bucket)
            stack.resources.append(policy)
    for region, endpoint_id, owner, props in result.endpoints:
        stack = stack_for(region)
        owner = owner or account
        stack.resources.append(Resource(
            type="AWS::EC2::VPCEndpoint", name=endpoint_id, props=props, source="live",
            arn=f"arn:{partition}:ec2:{region}:{owner}:vpc-endpoint/{endpoint_id}",
            account=owner, region=region, stack=stack))
    if not stacks and account:
        stack_for(result.home_region)
    return [stacks[key] for key in sorted(stacks, key=lambda r: r or "")]


def resource_count(stacks) -> int:
    """Resources the account holds, without lakelint's own account records."""
    return sum(1 for s in stacks for r in s.resources if not r.type.startswith("LakeLint::"))

"""The CloudFormation collector: each stack of a region as a ``LakeLint::Stack`` record, with what it was
deployed with (parameters, tags), what it lists (its resources) and its deployed body; deleted stacks
are not there; a read that fails leaves that property unknown, never empty."""

from __future__ import annotations

import json

from lakelint.core.values import is_unresolved
from lakelint.sources.live.collectors import cloudformation as svc_cloudformation
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import scan

BUCKET_STACK = """\
Parameters:
  Environment:
    Type: String
    Default: dev
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub lake-data-${Environment}
"""


TOPIC_STACK = """\
Resources:
  Alerts:
    Type: AWS::SNS::Topic
"""


def seed_full_scan(aws):
    """One stack: ListStacks, DescribeStacks, ListStackResources and GetTemplate are all made (it holds
    a topic, not a bucket: the full scan counts its calls per bucket)."""
    aws.client("cloudformation").create_stack(StackName="seed-lake", TemplateBody=TOPIC_STACK)


def scan_with(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=[svc_cloudformation.COLLECTOR])
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def stacks_of(stacks) -> dict:
    return {r.name: r for s in stacks for r in s.resources if r.type == "LakeLint::Stack"}


def test_a_stack_with_its_parameters_tags_resources_and_body(mocked_aws, live_session):
    cloudformation = mocked_aws.client("cloudformation")
    made = cloudformation.create_stack(StackName="lake-storage-prod", TemplateBody=BUCKET_STACK,
                                       Parameters=[{"ParameterKey": "Environment", "ParameterValue": "prod"}],
                                       Tags=[{"Key": "team", "Value": "data"}])
    result, stacks = scan_with(live_session())
    assert result.errors == []
    record = stacks_of(stacks)["lake-storage-prod"]
    assert record.arn == made["StackId"]
    assert record.props["StackId"] == made["StackId"] and record.props["StackStatus"] == "CREATE_COMPLETE"
    assert record.props["Parameters"] == {"Environment": "prod"}
    assert record.props["Tags"] == [{"Key": "team", "Value": "data"}]
    assert [(r["LogicalResourceId"], r["PhysicalResourceId"], r["ResourceType"]) for r in record.props["Resources"]] \
        == [("Data", "lake-data-prod", "AWS::S3::Bucket")]
    assert record.props["TemplateBody"] == BUCKET_STACK


def test_deleted_stacks_are_not_listed(mocked_aws, live_session):
    cloudformation = mocked_aws.client("cloudformation")
    cloudformation.create_stack(StackName="lake-gone", TemplateBody=BUCKET_STACK)
    cloudformation.delete_stack(StackName="lake-gone")
    cloudformation.create_stack(StackName="lake-kept", TemplateBody=BUCKET_STACK.replace("lake-data", "lake-kept"))
    _, stacks = scan_with(live_session())
    assert set(stacks_of(stacks)) == {"lake-kept"}


def test_a_json_body_returned_parsed_is_kept_as_json_text(mocked_aws, live_session):
    body = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "lake-json"}}}}
    mocked_aws.client("cloudformation").create_stack(StackName="lake-json", TemplateBody=json.dumps(body))
    _, stacks = scan_with(live_session())
    assert json.loads(stacks_of(stacks)["lake-json"].props["TemplateBody"]) == body


def test_a_failed_read_leaves_that_property_unknown(mocked_aws, live_session):
    mocked_aws.client("cloudformation").create_stack(StackName="lake-denied", TemplateBody=BUCKET_STACK)
    mocked_aws.answer_error("cloudformation", "ListStackResources", "AccessDenied", status=403)
    mocked_aws.answer_error("cloudformation", "GetTemplate", "AccessDenied", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    _, stacks = scan_with(session)
    record = stacks_of(stacks)["lake-denied"]
    assert is_unresolved(record.props["Resources"]) and is_unresolved(record.props["TemplateBody"])
    assert record.props["Parameters"] == {"Environment": "dev"}  # what could be read is kept

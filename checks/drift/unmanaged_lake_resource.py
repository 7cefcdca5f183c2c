"""A data-lake resource in the account that no CloudFormation stack manages.

## What it does
Lists, in each scanned region, the account's data-lake resources of the types lakelint judges (S3
buckets and access points, EFS and FSx file systems, RDS and Aurora databases, DynamoDB tables,
DocumentDB and Redshift clusters, Redshift Serverless namespaces, Timestream databases, Glue databases,
jobs and crawlers, Athena workgroups) and the region's CloudFormation stacks (`ListStacks`,
`ListStackResources`), and reports each resource whose physical id no stack lists and that does not
carry the `aws:cloudformation:stack-id` tag CloudFormation puts on what it creates (read for buckets).
S3 buckets are judged in their own region, against the stacks of that region; a bucket in a region the
scan did not cover (`--region`) is judged by that tag alone. Left out on purpose: what AWS creates
in every account (the `primary` Athena workgroup), what jobs create at run time (Glue tables, Lake
Formation grants), KMS keys and network resources. Resources of a region whose stacks could not be
listed are not judged (the run reports the failed listing).

Runs on live accounts only, and with `--live --compare` (which turns it on) or `--preview`.

## Why it matters
A resource no stack manages never passes a review gate: no template shows it, no pull request changes
it, and lakelint's template mode never sees it. Data lakes collect such buckets and databases (a
console experiment that stayed, a copy made by hand during an incident), and they hold data like any
other. Either bring them under a stack (CloudFormation can import most of them) or delete them.

## Example
```text
lake-scratch-copy: LL803 [medium] S3 bucket lake-scratch-copy is not managed by any CloudFormation stack in us-east-1 (lake-scratch-copy)
```

## Fix
Import the resource into a stack (write its definition in a template first), or delete it:
```sh
aws cloudformation create-change-set --stack-name lake-storage --change-set-name import-copy \
  --change-set-type IMPORT --template-body file://storage.yaml \
  --resources-to-import '[{"ResourceType":"AWS::S3::Bucket","LogicalResourceId":"ScratchCopy","ResourceIdentifier":{"BucketName":"lake-scratch-copy"}}]'
```
A live-only check has no CloudFormation snippet of its own: the template that imports the resource is
the resource's own definition.

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import MISSING, known
from lakelint.core.values import is_unresolved

STACK = "LakeLint::Stack"
# The data-lake types judged: every type a live resource check judges, less KMS keys, network
# resources, and what jobs or AWS create on their own (tests/test_drift.py keeps the two lists in step).
DATA_LAKE_TYPES = (
    "AWS::S3::Bucket", "AWS::S3::AccessPoint", "AWS::EFS::FileSystem", "AWS::FSx::FileSystem",
    "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::DynamoDB::Table", "AWS::DocDB::DBCluster",
    "AWS::Redshift::Cluster", "AWS::RedshiftServerless::Namespace", "AWS::Timestream::Database",
    "AWS::Glue::Database", "AWS::Glue::Job", "AWS::Glue::Crawler", "AWS::Athena::WorkGroup",
)
AWS_OWN = {("AWS::Athena::WorkGroup", "primary")}
KIND = {"AWS::S3::Bucket": "S3 bucket", "AWS::S3::AccessPoint": "S3 access point", "AWS::EFS::FileSystem":
        "EFS file system", "AWS::FSx::FileSystem": "FSx file system", "AWS::RDS::DBInstance": "RDS DB instance",
        "AWS::RDS::DBCluster": "RDS DB cluster", "AWS::DynamoDB::Table": "DynamoDB table",
        "AWS::DocDB::DBCluster": "DocumentDB cluster", "AWS::Redshift::Cluster": "Redshift cluster",
        "AWS::RedshiftServerless::Namespace": "Redshift Serverless namespace",
        "AWS::Timestream::Database": "Timestream database", "AWS::Glue::Database": "Glue database",
        "AWS::Glue::Job": "Glue job", "AWS::Glue::Crawler": "Glue crawler", "AWS::Athena::WorkGroup": "Athena workgroup"}


@check(code="LL803", name="unmanaged-lake-resource", severity="medium",
       title="Data-lake resource in the account that no CloudFormation stack manages",
       scope="stack", sources=["live"], preview=True, resource_types=DATA_LAKE_TYPES,
       reads={STACK: ["Resources"], "AWS::S3::Bucket": ["Tags"],
              **{rtype: [] for rtype in DATA_LAKE_TYPES if rtype != "AWS::S3::Bucket"}})
def unmanaged_lake_resource(stack, ctx):
    records = stack.of_type(STACK)
    if any(is_unresolved(s.props.get("Resources")) for s in records):
        return  # a stack whose resources could not be listed: the run reports it; judging would guess
    managed = set()
    for record in records:
        for item in record.props.get("Resources") or []:
            if item.get("ResourceStatus") == "DELETE_COMPLETE":  # a stack's record of what it deleted
                continue
            physical = str(item.get("PhysicalResourceId") or "")
            managed |= {physical, physical.rsplit("/", 1)[-1], physical.rsplit(":", 1)[-1]}
    for resource in stack.resources:
        if resource.type not in DATA_LAKE_TYPES or (resource.type, resource.name) in AWS_OWN:
            continue
        if resource.name in managed or (resource.arn and resource.arn in managed):
            continue
        tagged = _stack_tag(resource)
        if tagged is None:
            continue  # its tags could not be read: the run reports it
        if tagged:
            continue
        where = (f"in {stack.region}" if stack.scanned else
                 f"(it has no {STACK_TAG} tag; its region {stack.region} was not scanned for stacks)")
        yield fail(f"{KIND[resource.type]} {resource.name} is not managed by any CloudFormation stack {where}",
                   resource=resource)


STACK_TAG = "aws:cloudformation:stack-id"


def _stack_tag(resource):
    """Whether the resource carries the tag CloudFormation puts on what it creates (False when it is not
    read: only buckets' tags are), None when its tags could not be read."""
    if resource.type != "AWS::S3::Bucket":
        return False
    tags = known(resource.props.get("Tags", MISSING), "the bucket's tags", key="Tags", resource=resource)
    if tags is None:
        return None
    return any(isinstance(t, dict) and t.get("Key") == STACK_TAG for t in (tags if isinstance(tags, list) else []))

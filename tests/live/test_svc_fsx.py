"""The FSx collector: file systems in ``AWS::FSx::FileSystem``'s shape and their S3 data repository
associations, linked as templates link them."""

from __future__ import annotations

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.sources.live.collectors import collectors as all_collectors
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.progress import Progress
from lakelint.runs.live import lint_live
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)
SUBNET = "subnet-0123456789abcdef0"
ARN = "arn:aws:fsx:us-east-1:123456789012"


def seed_full_scan(aws):
    """One Lustre file system with an association (moto has no DescribeDataRepositoryAssociations)."""
    fs = aws.client("fsx").create_file_system(
        FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=[SUBNET],
        LustreConfiguration={"DeploymentType": "SCRATCH_2"})["FileSystem"]
    aws.answer("fsx", "DescribeDataRepositoryAssociations", {"Associations": [association(fs["FileSystemId"])]})


def association(fs_id, n=1, lifecycle="AVAILABLE", **extra):
    return {"AssociationId": f"dra-0{n}23456789abcdef", "FileSystemId": fs_id, "Lifecycle": lifecycle,
            "FileSystemPath": f"/data{n}", "DataRepositoryPath": f"s3://lake-curated/data{n}",
            "ResourceARN": f"{ARN}:association/{fs_id}/dra-0{n}23456789abcdef", **extra}


def fsx_collector():
    return [c for c in all_collectors() if c.name == "FSx file systems"]


def scan_fsx(session, regions=("us-east-1",)):
    plan = ScanPlan.everything(collectors=fsx_collector())
    result = scan(session, list(regions), plan, Progress(False))
    return result, build_stacks(result, plan)


def by_name(stacks, type_):
    return {r.name: r for s in stacks for r in s.resources if r.type == type_}


LUSTRE = {
    "FileSystemId": "fs-0aaaaaaaaaaaaaaa1", "FileSystemType": "LUSTRE", "Lifecycle": "AVAILABLE",
    "StorageCapacity": 2400, "StorageType": "SSD", "SubnetIds": [SUBNET], "FileSystemTypeVersion": "2.12",
    "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "ResourceARN": f"{ARN}:file-system/fs-0aaaaaaaaaaaaaaa1", "Tags": [{"Key": "team", "Value": "ml"}],
    "LustreConfiguration": {
        "WeeklyMaintenanceStartTime": "1:05:00", "DeploymentType": "PERSISTENT_1", "PerUnitStorageThroughput": 200,
        "MountName": "abcdefgh", "DailyAutomaticBackupStartTime": "03:00", "AutomaticBackupRetentionDays": 7,
        "CopyTagsToBackups": False, "DataCompressionType": "LZ4",
        "DataRepositoryConfiguration": {"Lifecycle": "AVAILABLE", "ImportPath": "s3://lake-curated/training",
                                        "ExportPath": "s3://lake-curated/training", "ImportedFileChunkSize": 1024,
                                        "AutoImportPolicy": "NEW_CHANGED"}}}
LUSTRE_2 = {
    "FileSystemId": "fs-0bbbbbbbbbbbbbbb2", "FileSystemType": "LUSTRE", "Lifecycle": "AVAILABLE",
    "StorageCapacity": 1200, "SubnetIds": [SUBNET], "ResourceARN": f"{ARN}:file-system/fs-0bbbbbbbbbbbbbbb2",
    "LustreConfiguration": {"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 250,
                            "AutomaticBackupRetentionDays": 0, "MountName": "ijklmnop"}}
WINDOWS = {"FileSystemId": "fs-0ccccccccccccccc3", "FileSystemType": "WINDOWS", "Lifecycle": "AVAILABLE",
           "StorageCapacity": 300, "SubnetIds": [SUBNET], "ResourceARN": f"{ARN}:file-system/fs-0ccccccccccccccc3",
           "WindowsConfiguration": {"ThroughputCapacity": 32}}
DELETING = dict(LUSTRE_2, FileSystemId="fs-0ddddddddddddddd4", Lifecycle="DELETING",
                ResourceARN=f"{ARN}:file-system/fs-0ddddddddddddddd4")
FAILED = dict(LUSTRE_2, FileSystemId="fs-0eeeeeeeeeeeeeee5", Lifecycle="FAILED",
              ResourceARN=f"{ARN}:file-system/fs-0eeeeeeeeeeeeeee5")


def test_file_systems_and_associations_have_cloudformation_shape(mocked_aws, live_session):
    mocked_aws.answer("fsx", "DescribeFileSystems", {"FileSystems": [LUSTRE, LUSTRE_2, WINDOWS, DELETING, FAILED]})
    mocked_aws.answer("fsx", "DescribeDataRepositoryAssociations", {"Associations": [
        association("fs-0bbbbbbbbbbbbbbb2", 1, S3={"AutoImportPolicy": {"Events": ["NEW"]}},
                    BatchImportMetaDataOnCreate=True),
        association("fs-0bbbbbbbbbbbbbbb2", 2, lifecycle="DELETING"),
        association("fs-0bbbbbbbbbbbbbbb2", 3, lifecycle="FAILED"),
        {"AssociationId": "dra-0cache", "FileCacheId": "fc-0123456789abcdef0", "Lifecycle": "AVAILABLE",
         "DataRepositoryPath": "nfs://10.0.0.1/export", "FileCachePath": "/ns1"}]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_fsx(session)
    assert result.errors == []
    systems = by_name(stacks, "AWS::FSx::FileSystem")
    assert set(systems) == {"fs-0aaaaaaaaaaaaaaa1", "fs-0bbbbbbbbbbbbbbb2", "fs-0ccccccccccccccc3"}  # not DELETING or FAILED
    first = systems["fs-0aaaaaaaaaaaaaaa1"]
    assert first.props == {
        "FileSystemType": "LUSTRE", "FileSystemTypeVersion": "2.12", "StorageCapacity": 2400, "StorageType": "SSD",
        "SubnetIds": [SUBNET], "KmsKeyId": LUSTRE["KmsKeyId"], "Tags": [{"Key": "team", "Value": "ml"}],
        "LustreConfiguration": {
            "DeploymentType": "PERSISTENT_1", "PerUnitStorageThroughput": 200, "AutomaticBackupRetentionDays": 7,
            "DailyAutomaticBackupStartTime": "03:00", "WeeklyMaintenanceStartTime": "1:05:00",
            "CopyTagsToBackups": False, "DataCompressionType": "LZ4", "ImportPath": "s3://lake-curated/training",
            "ExportPath": "s3://lake-curated/training", "ImportedFileChunkSize": 1024,
            "AutoImportPolicy": "NEW_CHANGED"}}
    assert first.arn == LUSTRE["ResourceARN"] and first.related("data_repository_associations") == []
    second = systems["fs-0bbbbbbbbbbbbbbb2"]
    (linked,) = second.related("data_repository_associations")
    assert linked.name == "dra-0123456789abcdef" and linked.type == "AWS::FSx::DataRepositoryAssociation"
    assert linked.props == {"FileSystemId": "fs-0bbbbbbbbbbbbbbb2", "FileSystemPath": "/data1",
                            "DataRepositoryPath": "s3://lake-curated/data1", "BatchImportMetaDataOnCreate": True,
                            "S3": {"AutoImportPolicy": {"Events": ["NEW"]}}}
    assert linked.related("file_systems") == [second] and linked.arn.endswith("/dra-0123456789abcdef")
    assert "ImportPath" not in second.props["LustreConfiguration"]
    assert "LustreConfiguration" not in systems["fs-0ccccccccccccccc3"].props  # skipped by the Lustre checks
    assert systems["fs-0ccccccccccccccc3"].props["FileSystemType"] == "WINDOWS"
    performed = {op for (service, op) in session.guard.operations() if service == "fsx"}
    assert performed == {c.operation for c in fsx_collector()[0].calls}


def test_moto_file_systems_are_read(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_fsx(session)
    assert result.errors == []
    (fs,) = by_name(stacks, "AWS::FSx::FileSystem").values()
    assert fs.props["LustreConfiguration"] == {"DeploymentType": "SCRATCH_2"}
    assert len(fs.related("data_repository_associations")) == 1


def test_associations_are_not_listed_without_a_lustre_file_system(mocked_aws, live_session):
    mocked_aws.answer("fsx", "DescribeFileSystems", {"FileSystems": [WINDOWS]})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_fsx(session)
    assert result.errors == [] and len(by_name(stacks, "AWS::FSx::FileSystem")) == 1
    assert {op for (service, op) in session.guard.operations() if service == "fsx"} == {"DescribeFileSystems"}


def test_denied_associations_are_unreadable_and_make_the_link_checks_could_not_evaluate(mocked_aws, live_session):
    mocked_aws.answer("fsx", "DescribeFileSystems", {"FileSystems": [LUSTRE, LUSTRE_2]})
    mocked_aws.answer_error("fsx", "DescribeDataRepositoryAssociations", "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    _, stacks = scan_fsx(session)
    systems = by_name(stacks, "AWS::FSx::FileSystem")
    assert "DataRepositoryAssociations" not in systems["fs-0aaaaaaaaaaaaaaa1"].props  # ImportPath says linked
    value = systems["fs-0bbbbbbbbbbbbbbb2"].props["DataRepositoryAssociations"]
    assert value.api_call == "DescribeDataRepositoryAssociations"
    assert value.iam_action == "fsx:DescribeDataRepositoryAssociations" and "AccessDenied" in value.reason

    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    config = build_config({"select": ["LL421", "LL423", "LL424"]}, None)
    report = lint_live(config, SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    assert sorted((e.check, e.resource, e.iam_action) for e in report.errors) == [
        ("LL423", "fs-0bbbbbbbbbbbbbbb2", "fsx:DescribeDataRepositoryAssociations"),
        ("LL424", "fs-0bbbbbbbbbbbbbbb2", "fsx:DescribeDataRepositoryAssociations")]


def test_a_denied_listing_is_an_error_naming_its_action(mocked_aws, live_session):
    mocked_aws.answer_error("fsx", "DescribeFileSystems", "AccessDeniedException", status=403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, stacks = scan_fsx(session)
    (error,) = result.errors
    assert error.api_call == "DescribeFileSystems" and error.iam_action == "fsx:DescribeFileSystems"
    assert by_name(stacks, "AWS::FSx::FileSystem") == {}


def test_plan_collects_file_systems_and_keys_for_the_key_check():
    config = build_config({}, None)
    plan = ScanPlan.for_checks([s for s in SPECS if s.code == "LL422"], config)
    assert {c.name for c in plan.collectors} == {"FSx file systems", "KMS keys"}
    plan = ScanPlan.for_checks([s for s in SPECS if s.code in ("LL421", "LL423", "LL424")], config)
    assert [c.name for c in plan.collectors] == ["FSx file systems"]

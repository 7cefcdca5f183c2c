"""FSx file systems of one region in ``AWS::FSx::FileSystem``'s shape, and their S3 data repository
associations as ``AWS::FSx::DataRepositoryAssociation`` records, linked as a template links them
(``file_system.related("data_repository_associations")``, ``association.related("file_systems")``).

Every FSx file system is recorded with its ``FileSystemType``; only Lustre ones get a
``LustreConfiguration``, and the Lustre checks skip the others, as they do on templates. The API
nests the legacy S3 link (``ImportPath``, ``ExportPath``, ``AutoImportPolicy``) under
``DataRepositoryConfiguration``; CloudFormation has it directly in ``LustreConfiguration``, so it is
lifted there.

File systems being deleted or whose creation failed are left out. Associations are listed once per
region (``DescribeDataRepositoryAssociations`` without a filter returns all of them), and only where a
Lustre file system exists. Associations being deleted or that failed link nothing; those of File
Caches (no ``FileSystemId``) are not file systems' links. When the listing fails, each Lustre file
system without an ``ImportPath`` carries the ``Unreadable`` at ``DataRepositoryAssociations`` (a
live-only key): whether it is linked to S3 is then unknown, not no.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides, token_pages
from lakelint.sources.live.faults import Fault

DESCRIBE_FILE_SYSTEMS = read_call("fsx", "DescribeFileSystems", "fsx:DescribeFileSystems")
DESCRIBE_DATA_REPOSITORY_ASSOCIATIONS = read_call("fsx", "DescribeDataRepositoryAssociations",
                                              "fsx:DescribeDataRepositoryAssociations")

FILE_SYSTEM_TYPE = "AWS::FSx::FileSystem"
ASSOCIATION_TYPE = "AWS::FSx::DataRepositoryAssociation"
ASSOCIATIONS_KEY = "DataRepositoryAssociations"  # live only: set when the associations could not be read
GONE = ("DELETING", "FAILED")  # being deleted, or never created: nothing on them to protect
UNLINKED = ("DELETING", "FAILED")
_SAME = ("FileSystemType", "FileSystemTypeVersion", "StorageCapacity", "StorageType", "SubnetIds",
         "SecurityGroupIds", "KmsKeyId")
# LustreFileSystemConfiguration field -> LustreConfiguration property, where the two agree
_LUSTRE_SAME = ("DeploymentType", "PerUnitStorageThroughput", "AutomaticBackupRetentionDays",
                "DailyAutomaticBackupStartTime", "WeeklyMaintenanceStartTime", "CopyTagsToBackups",
                "DriveCacheType", "DataCompressionType", "ThroughputCapacity", "EfaEnabled",
                "MetadataConfiguration", "DataReadCacheConfiguration")
_REPOSITORY_SAME = ("ImportPath", "ExportPath", "ImportedFileChunkSize", "AutoImportPolicy")


def lustre_configuration(described: dict) -> dict:
    config = {key: described[key] for key in _LUSTRE_SAME if described.get(key) is not None}
    repository = described.get("DataRepositoryConfiguration") or {}
    config.update({key: repository[key] for key in _REPOSITORY_SAME if repository.get(key)})
    return config


def file_system_props(described: dict) -> dict:
    props = {key: described[key] for key in _SAME if described.get(key) not in (None, "", [])}
    if described.get("FileSystemType") == "LUSTRE":
        props["LustreConfiguration"] = lustre_configuration(described.get("LustreConfiguration") or {})
    if described.get("Tags"):
        props["Tags"] = [{"Key": t.get("Key"), "Value": t.get("Value")} for t in described["Tags"]]
    return props


def association_record(described: dict) -> LiveRecord:
    props = {key: described[key] for key in ("FileSystemId", "FileSystemPath", "DataRepositoryPath",
                                             "BatchImportMetaDataOnCreate", "ImportedFileChunkSize")
             if described.get(key) is not None}
    if described.get("S3"):
        props["S3"] = dict(described["S3"])
    return LiveRecord(type=ASSOCIATION_TYPE, name=described["AssociationId"], props=props,
                      arn=described.get("ResourceARN"),
                      links=[("file_systems", FILE_SYSTEM_TYPE, described["FileSystemId"],
                              "data_repository_associations")])


def _associations(ctx, region, lustre: list) -> list:
    try:
        listed = [a for page in token_pages(ctx, DESCRIBE_DATA_REPOSITORY_ASSOCIATIONS, region)
                  for a in page.get("Associations") or []]
    except Fault as fault:
        for record in lustre:
            if "ImportPath" not in record.props["LustreConfiguration"]:
                record.props[ASSOCIATIONS_KEY] = fault.value()
        return []
    return [association_record(a) for a in listed
            if a.get("FileSystemId") and a.get("AssociationId") and a.get("Lifecycle") not in UNLINKED]


def collect(ctx, region) -> list:
    records = []
    for page in ctx.pages(DESCRIBE_FILE_SYSTEMS, region):
        for described in page.get("FileSystems") or []:
            if described.get("Lifecycle") in GONE:
                continue
            records.append(LiveRecord(type=FILE_SYSTEM_TYPE, name=described["FileSystemId"],
                                      props=file_system_props(described), arn=described.get("ResourceARN")))
    lustre = [r for r in records if "LustreConfiguration" in r.props]
    if lustre and ctx.wants(DESCRIBE_DATA_REPOSITORY_ASSOCIATIONS):
        records += _associations(ctx, region, lustre)
    return records


_ASSOCIATIONS = (DESCRIBE_FILE_SYSTEMS, DESCRIBE_DATA_REPOSITORY_ASSOCIATIONS)
COLLECTOR = Collector(
    name="FSx file systems",
    types={
        FILE_SYSTEM_TYPE: provides(DESCRIBE_FILE_SYSTEMS, {
            **fields(DESCRIBE_FILE_SYSTEMS, *_SAME, "LustreConfiguration", "Tags"),
            # the associations are read for the file system's sake too: when they cannot be, whether
            # it is linked to S3 is unknown, and that is recorded on the file system
            **fields(DESCRIBE_DATA_REPOSITORY_ASSOCIATIONS, ASSOCIATIONS_KEY)}),
        ASSOCIATION_TYPE: provides(_ASSOCIATIONS, fields(
            _ASSOCIATIONS, "FileSystemId", "FileSystemPath", "DataRepositoryPath", "BatchImportMetaDataOnCreate",
            "ImportedFileChunkSize", "S3")),
    },
    collect=collect,
)

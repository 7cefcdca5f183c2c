"""The Glue Data Catalog of one region, in CloudFormation's shapes.

- ``GetDataCatalogEncryptionSettings`` -> ``AWS::Glue::DataCatalogEncryptionSettings`` (named by the
  catalog id, the account): ``DataCatalogEncryptionSettings.EncryptionAtRest`` as the API has it, and
  ``ConnectionPasswordEncryption`` with the API's ``AwsKmsKeyId`` under CloudFormation's ``KmsKeyId``.
- ``GetSecurityConfigurations`` -> ``AWS::Glue::SecurityConfiguration`` {``Name``,
  ``EncryptionConfiguration`` {``S3Encryptions`` (the API's ``S3Encryption``), ``CloudWatchEncryption``,
  ``JobBookmarksEncryption``}}.
- ``GetJobs`` / ``GetCrawlers`` -> ``AWS::Glue::Job`` / ``AWS::Glue::Crawler`` with
  ``SecurityConfiguration`` / ``CrawlerSecurityConfiguration``, linked to the configuration they name
  (``job.related("security_configurations")``, as templates link them).
- ``GetDatabases`` / ``GetTables`` -> ``AWS::Glue::Database`` {``CatalogId``, ``DatabaseInput``
  {``Name``, ``LocationUri``, ``CreateTableDefaultPermissions``, ...}} and ``AWS::Glue::Table``
  (named ``database.table``) {``CatalogId``, ``DatabaseName``, ``TableInput`` {``Name``,
  ``TableType``, ``StorageDescriptor`` {``Location``}}}, linked table -> database.

Where Lake Formation governs the catalog, Glue lists only the databases and tables the caller has
Lake Formation permissions on: the scanning principal should be a (read-only) data lake
administrator, or the catalog checks see part of the catalog. Every listing is paginated. A failed listing fails the collector for the region (one error entry
naming the call and its IAM action): a partial catalog would let the checks pass what they never saw.
Resource-link databases (``TargetDatabase``) point into another catalog; their tables are not listed.
The catalog's encryption settings exist in every region whether or not the account keeps a catalog
there: they are a regional default (see regions.py).
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.faults import Fault

GET_CATALOG_ENCRYPTION = read_call("glue", "GetDataCatalogEncryptionSettings", "glue:GetDataCatalogEncryptionSettings")
GET_SECURITY_CONFIGURATIONS = read_call("glue", "GetSecurityConfigurations", "glue:GetSecurityConfigurations")
GET_JOBS = read_call("glue", "GetJobs", "glue:GetJobs")
GET_CRAWLERS = read_call("glue", "GetCrawlers", "glue:GetCrawlers")
GET_DATABASES = read_call("glue", "GetDatabases", "glue:GetDatabases")
GET_TABLES = read_call("glue", "GetTables", "glue:GetTables", "EntityNotFoundException")

_DATABASE_KEYS = ("Name", "Description", "LocationUri", "Parameters", "CreateTableDefaultPermissions",
                  "TargetDatabase", "FederatedDatabase")
_JOB_KEYS = ("Name", "Role", "SecurityConfiguration", "Command", "GlueVersion", "WorkerType", "Connections")
_CRAWLER_KEYS = ("Name", "Role", "DatabaseName", "Targets", "CrawlerSecurityConfiguration", "TablePrefix")


def _pick(found: dict, keys) -> dict:
    return {key: found[key] for key in keys if key in found}


SETTINGS_TYPE = "AWS::Glue::DataCatalogEncryptionSettings"


def _catalog_encryption(ctx, region, arn) -> LiveRecord:
    account = arn.split(":")[4]
    try:
        answer = ctx.read(GET_CATALOG_ENCRYPTION, region) or {}
    except Fault as fault:
        props = {"CatalogId": account, "DataCatalogEncryptionSettings": fault.value()}
    else:
        found = answer.get("DataCatalogEncryptionSettings") or {}
        settings = {}
        if "EncryptionAtRest" in found:
            settings["EncryptionAtRest"] = found["EncryptionAtRest"]
        if "ConnectionPasswordEncryption" in found:
            passwords = dict(found["ConnectionPasswordEncryption"])
            if "AwsKmsKeyId" in passwords:
                passwords["KmsKeyId"] = passwords.pop("AwsKmsKeyId")
            settings["ConnectionPasswordEncryption"] = passwords
        props = {"CatalogId": account, "DataCatalogEncryptionSettings": settings}
    return LiveRecord(type=SETTINGS_TYPE, name=account, props=props, arn=arn, default=True)


def _security_configurations(ctx, region, base) -> list:
    records = []
    for page in ctx.pages(GET_SECURITY_CONFIGURATIONS, region):
        for found in page.get("SecurityConfigurations") or []:
            raw = found.get("EncryptionConfiguration") or {}
            encryption = _pick(raw, ("CloudWatchEncryption", "JobBookmarksEncryption", "DataQualityEncryption"))
            if "S3Encryption" in raw:
                encryption["S3Encryptions"] = raw["S3Encryption"]
            records.append(LiveRecord(type="AWS::Glue::SecurityConfiguration", name=found["Name"],
                                      props={"Name": found["Name"], "EncryptionConfiguration": encryption},
                                      arn=f"{base}securityConfiguration/{found['Name']}"))
    return records


def _users(ctx, region, base, call, listing, cfn_type, keys, prop, kind) -> list:
    records = []
    for page in ctx.pages(call, region):
        for found in page.get(listing) or []:
            props = _pick(found, keys)
            links = []
            if found.get(prop):
                links.append(("security_configurations", "AWS::Glue::SecurityConfiguration", found[prop], "used_by"))
            records.append(LiveRecord(type=cfn_type, name=found["Name"], props=props,
                                      arn=f"{base}{kind}/{found['Name']}", links=links))
    return records


def _databases_and_tables(ctx, region, base, account) -> list:
    records = []
    for page in ctx.pages(GET_DATABASES, region):
        for found in page.get("DatabaseList") or []:
            name = found["Name"]
            catalog_id = found.get("CatalogId") or account
            records.append(LiveRecord(type="AWS::Glue::Database", name=name,
                                      props={"CatalogId": catalog_id, "DatabaseInput": _pick(found, _DATABASE_KEYS)},
                                      arn=f"{base}database/{name}"))
            if found.get("TargetDatabase") or not ctx.wants(GET_TABLES):
                continue  # a resource link: its tables live in the other catalog
            records += _tables(ctx, region, base, name, catalog_id)
    return records


def _tables(ctx, region, base, database, catalog_id) -> list:
    records = []
    try:
        pages = list(ctx.pages(GET_TABLES, region, DatabaseName=database))
    except Fault as fault:
        if fault.code in GET_TABLES.not_configured:
            return []  # the database was deleted after the listing
        raise
    for page in pages:
        for found in (page or {}).get("TableList") or []:
            table = _pick(found, ("Name", "TableType", "TargetTable"))  # no columns or statistics: memory
            storage = found.get("StorageDescriptor") or {}
            if storage:
                table["StorageDescriptor"] = _pick(storage, ("Location", "InputFormat", "OutputFormat"))
            name = found["Name"]
            records.append(LiveRecord(
                type="AWS::Glue::Table", name=f"{database}.{name}", arn=f"{base}table/{database}/{name}",
                props={"CatalogId": found.get("CatalogId") or catalog_id, "DatabaseName": database, "TableInput": table},
                links=[("databases", "AWS::Glue::Database", database, "tables")]))
    return records


def collect(ctx, region) -> list:
    account = ctx.account
    base = ctx.arn("glue", region, "")
    records = []
    if ctx.wants(GET_CATALOG_ENCRYPTION):
        records.append(_catalog_encryption(ctx, region, base + "catalog"))
    if ctx.wants(GET_SECURITY_CONFIGURATIONS):
        records += _security_configurations(ctx, region, base)
    if ctx.wants(GET_JOBS):
        records += _users(ctx, region, base, GET_JOBS, "Jobs", "AWS::Glue::Job", _JOB_KEYS, "SecurityConfiguration",
                          "job")
    if ctx.wants(GET_CRAWLERS):
        records += _users(ctx, region, base, GET_CRAWLERS, "Crawlers", "AWS::Glue::Crawler", _CRAWLER_KEYS,
                          "CrawlerSecurityConfiguration", "crawler")
    if ctx.wants(GET_DATABASES):
        records += _databases_and_tables(ctx, region, base, account)
    return records


COLLECTOR = Collector(
    name="Glue Data Catalog",
    types={
        SETTINGS_TYPE: provides((), fields(GET_CATALOG_ENCRYPTION, "CatalogId", "DataCatalogEncryptionSettings")),
        "AWS::Glue::SecurityConfiguration": provides(GET_SECURITY_CONFIGURATIONS, fields(
            GET_SECURITY_CONFIGURATIONS, "Name", "EncryptionConfiguration")),
        "AWS::Glue::Job": provides(GET_JOBS, fields(GET_JOBS, *_JOB_KEYS)),
        "AWS::Glue::Crawler": provides(GET_CRAWLERS, fields(GET_CRAWLERS, *_CRAWLER_KEYS)),
        "AWS::Glue::Database": provides(GET_DATABASES, fields(GET_DATABASES, "CatalogId", "DatabaseInput")),
        "AWS::Glue::Table": provides((GET_DATABASES, GET_TABLES), fields(
            GET_TABLES, "CatalogId", "DatabaseName", "TableInput")),
    },
    collect=collect,
)

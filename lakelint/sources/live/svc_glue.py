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
"""

from __future__ import annotations

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.collector_support import account_id
from lakelint.sources.live.faults import Fault
from lakelint.sources.live.services import LiveRecord, ServiceCollector

GET_CATALOG_ENCRYPTION = _call("glue", "GetDataCatalogEncryptionSettings", "glue:GetDataCatalogEncryptionSettings")
GET_SECURITY_CONFIGURATIONS = _call("glue", "GetSecurityConfigurations", "glue:GetSecurityConfigurations")
GET_JOBS = _call("glue", "GetJobs", "glue:GetJobs")
GET_CRAWLERS = _call("glue", "GetCrawlers", "glue:GetCrawlers")
GET_DATABASES = _call("glue", "GetDatabases", "glue:GetDatabases")
GET_TABLES = _call("glue", "GetTables", "glue:GetTables", "EntityNotFoundException")

_DATABASE_KEYS = ("Name", "Description", "LocationUri", "Parameters", "CreateTableDefaultPermissions",
                  "TargetDatabase", "FederatedDatabase")
_JOB_KEYS = ("Name", "Role", "SecurityConfiguration", "Command", "GlueVersion", "WorkerType", "Connections")
_CRAWLER_KEYS = ("Name", "Role", "DatabaseName", "Targets", "CrawlerSecurityConfiguration", "TablePrefix")


def _pick(found: dict, keys) -> dict:
    return {key: found[key] for key in keys if key in found}


def _catalog_encryption(session, region, arn) -> LiveRecord:
    account = arn.split(":")[4]
    try:
        answer = session.read(GET_CATALOG_ENCRYPTION, region) or {}
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
    return LiveRecord(type="AWS::Glue::DataCatalogEncryptionSettings", name=account, props=props, arn=arn)


def _security_configurations(session, region, base) -> list:
    records = []
    for page in session.pages(GET_SECURITY_CONFIGURATIONS, region):
        for found in page.get("SecurityConfigurations") or []:
            raw = found.get("EncryptionConfiguration") or {}
            encryption = _pick(raw, ("CloudWatchEncryption", "JobBookmarksEncryption", "DataQualityEncryption"))
            if "S3Encryption" in raw:
                encryption["S3Encryptions"] = raw["S3Encryption"]
            records.append(LiveRecord(type="AWS::Glue::SecurityConfiguration", name=found["Name"],
                                      props={"Name": found["Name"], "EncryptionConfiguration": encryption},
                                      arn=f"{base}securityConfiguration/{found['Name']}"))
    return records


def _users(session, region, base, call, listing, cfn_type, keys, prop, kind) -> list:
    records = []
    for page in session.pages(call, region):
        for found in page.get(listing) or []:
            props = _pick(found, keys)
            links = []
            if found.get(prop):
                links.append(("security_configurations", "AWS::Glue::SecurityConfiguration", found[prop], "used_by"))
            records.append(LiveRecord(type=cfn_type, name=found["Name"], props=props,
                                      arn=f"{base}{kind}/{found['Name']}", links=links))
    return records


def _databases_and_tables(session, region, base, account) -> list:
    records = []
    for page in session.pages(GET_DATABASES, region):
        for found in page.get("DatabaseList") or []:
            name = found["Name"]
            catalog_id = found.get("CatalogId") or account
            records.append(LiveRecord(type="AWS::Glue::Database", name=name,
                                      props={"CatalogId": catalog_id, "DatabaseInput": _pick(found, _DATABASE_KEYS)},
                                      arn=f"{base}database/{name}"))
            if found.get("TargetDatabase"):
                continue  # a resource link: its tables live in the other catalog
            records += _tables(session, region, base, name, catalog_id)
    return records


def _tables(session, region, base, database, catalog_id) -> list:
    records = []
    try:
        pages = list(session.pages(GET_TABLES, region, DatabaseName=database))
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


def collect(session, region) -> list:
    account = account_id(session)
    base = f"arn:{session.partition(region)}:glue:{region}:{account}:"
    return ([_catalog_encryption(session, region, base + "catalog")]
            + _security_configurations(session, region, base)
            + _users(session, region, base, GET_JOBS, "Jobs", "AWS::Glue::Job", _JOB_KEYS, "SecurityConfiguration",
                     "job")
            + _users(session, region, base, GET_CRAWLERS, "Crawlers", "AWS::Glue::Crawler", _CRAWLER_KEYS,
                     "CrawlerSecurityConfiguration", "crawler")
            + _databases_and_tables(session, region, base, account))


COLLECTOR = ServiceCollector(
    name="Glue Data Catalog",
    resource_types=("AWS::Glue::DataCatalogEncryptionSettings", "AWS::Glue::SecurityConfiguration",
                    "AWS::Glue::Job", "AWS::Glue::Crawler", "AWS::Glue::Database", "AWS::Glue::Table"),
    calls=(GET_CATALOG_ENCRYPTION, GET_SECURITY_CONFIGURATIONS, GET_JOBS, GET_CRAWLERS, GET_DATABASES, GET_TABLES),
    collect=collect,
)

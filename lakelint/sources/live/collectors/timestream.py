"""Timestream for LiveAnalytics databases and tables of one region, in ``AWS::Timestream::Database``
and ``AWS::Timestream::Table``'s shapes.

- ``ListDatabases`` gives each database's ``KmsKeyId``: always a key ARN, the AWS managed key
  ``aws/timestream`` when the database named none, so the key record it links to says who manages it.
- ``ListTables`` (per database) gives each table's ``RetentionProperties``. Timestream always reports
  both periods, filling in its defaults (6 hours, 73,000 days) when the table set none: live data
  cannot tell a default from a value someone chose, which LL622 says in its docs.

Timestream's API sits behind endpoint discovery: botocore first asks ``DescribeEndpoints`` which
host serves the account, then sends the call there (not under a custom endpoint such as a moto
server, where botocore turns discovery off). That call needs ``timestream:DescribeEndpoints``. The
collector makes it once itself before listing, so that a denial names that action rather than the
listing's. Neither listing has a botocore paginator: both follow ``NextToken``.

Tables are named ``database/table``: table names are unique only within their database.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides, token_pages
from lakelint.sources.live.regional import offered_in

SERVICE = "timestream-write"
DATABASE_TYPE = "AWS::Timestream::Database"
TABLE_TYPE = "AWS::Timestream::Table"

DESCRIBE_ENDPOINTS = read_call(SERVICE, "DescribeEndpoints", "timestream:DescribeEndpoints")
LIST_DATABASES = read_call(SERVICE, "ListDatabases", "timestream:ListDatabases")
LIST_TABLES = read_call(SERVICE, "ListTables", "timestream:ListTables")

RETENTION_KEYS = ("MemoryStoreRetentionPeriodInHours", "MagneticStoreRetentionPeriodInDays")


def database_props(database: dict) -> dict:
    props = {"DatabaseName": database["DatabaseName"]}
    if database.get("KmsKeyId"):
        props["KmsKeyId"] = database["KmsKeyId"]
    return props


def table_props(table: dict) -> dict:
    """CloudFormation writes the retention periods as strings; so does the record."""
    props = {"DatabaseName": table["DatabaseName"], "TableName": table["TableName"]}
    retention = table.get("RetentionProperties") or {}
    written = {key: str(retention[key]) for key in RETENTION_KEYS if retention.get(key) is not None}
    if written:
        props["RetentionProperties"] = written
    writes = table.get("MagneticStoreWriteProperties") or {}
    if "EnableMagneticStoreWrites" in writes:
        props["MagneticStoreWriteProperties"] = {k: v for k, v in writes.items() if v not in (None, {})}
    partition_keys = ((table.get("Schema") or {}).get("CompositePartitionKey")) or []
    if [k for k in partition_keys if k.get("Name")]:
        props["Schema"] = {"CompositePartitionKey": partition_keys}
    return props


def collect(ctx, region) -> list:
    if not offered_in(ctx, SERVICE, region):
        return []
    ctx.read(DESCRIBE_ENDPOINTS, region)
    records = []
    for page in token_pages(ctx, LIST_DATABASES, region):
        for database in page.get("Databases") or []:
            name = database["DatabaseName"]
            records.append(LiveRecord(type=DATABASE_TYPE, name=name, props=database_props(database),
                                      arn=database.get("Arn")))
            if not ctx.wants(LIST_TABLES):
                continue
            for table_page in token_pages(ctx, LIST_TABLES, region, DatabaseName=name):
                for table in table_page.get("Tables") or []:
                    records.append(LiveRecord(type=TABLE_TYPE, name=f"{name}/{table['TableName']}",
                                              props=table_props(table), arn=table.get("Arn")))
    return records


_DATABASES = (DESCRIBE_ENDPOINTS, LIST_DATABASES)
_TABLES = _DATABASES + (LIST_TABLES,)
COLLECTOR = Collector(
    name="Timestream databases",
    types={
        DATABASE_TYPE: provides(_DATABASES, fields(_DATABASES, "DatabaseName", "KmsKeyId")),
        TABLE_TYPE: provides(_TABLES, fields(_TABLES, "DatabaseName", "TableName", "RetentionProperties",
                                             "MagneticStoreWriteProperties", "Schema")),
    },
    collect=collect,
)

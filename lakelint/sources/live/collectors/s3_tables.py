"""S3 Tables of one region: table buckets, their tables and their policies, in CloudFormation's shapes.

- ``ListTableBuckets`` -> ``AWS::S3Tables::TableBucket`` {``TableBucketName``, ``TableBucketARN``},
  named by the bucket's name; ``GetTableBucketEncryption`` fills ``EncryptionConfiguration``
  {``SSEAlgorithm``, ``KMSKeyArn``} (the API's ``sseAlgorithm``/``kmsKeyArn``; a KMS key it names links
  to its key record as templates link them); ``GetTableBucketMaintenanceConfiguration`` fills
  ``UnreferencedFileRemoval`` {``Status`` (``Enabled``/``Disabled``, as CloudFormation writes it),
  ``UnreferencedDays``, ``NoncurrentDays``}, absent when the answer has no such setting (the default,
  on).
- ``GetTableBucketPolicy`` -> ``AWS::S3Tables::TableBucketPolicy`` named ``<bucket>/policy``
  {``TableBucketARN``, ``ResourcePolicy``}, linked to its bucket both ways (``policies`` / ``target``);
  ``NotFoundException`` there means the bucket has no policy, as a template without one.
- ``ListTables`` (per bucket) -> ``AWS::S3Tables::Table`` named ``<bucket>/<namespace>/<table>``
  {``TableName``, ``Namespace``, ``TableBucketARN``, ``TableARN``}, linked to its bucket (``table_bucket``
  / ``tables``); ``GetTableMaintenanceConfiguration`` fills ``Compaction`` {``Status``,
  ``TargetFileSizeMB``} and ``SnapshotManagement`` {``Status``, ``MinSnapshotsToKeep``,
  ``MaxSnapshotAgeHours``}.
- ``GetTablePolicy`` -> ``AWS::S3Tables::TablePolicy`` named ``<bucket>/<namespace>/<table>/policy``.

Table buckets and tables AWS creates and manages itself (``type: aws``, such as S3 Metadata's
``aws-s3`` bucket) are left out: their settings are AWS's, not the account's. A failed listing fails
the collector for the region (an error entry naming the call and its IAM action); a failed read puts an
``Unreadable`` at the property. A region where S3 Tables is not offered (its endpoint does not exist:
collectors/_endpoints.py) and an emulator that does not implement one of these calls skip the service
there with a note.
"""

from __future__ import annotations

from lakelint.core.values import MISSING
from lakelint.sources.live import shapes
from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.collectors._endpoints import client_host
from lakelint.sources.live.collectors._shared import arn_region, listing_where_offered, present
from lakelint.sources.live.collectors._shared import read_or_unreadable as _read

SERVICE = "s3tables"
TABLE_BUCKET = "AWS::S3Tables::TableBucket"
BUCKET_POLICY = "AWS::S3Tables::TableBucketPolicy"
TABLE = "AWS::S3Tables::Table"
TABLE_POLICY = "AWS::S3Tables::TablePolicy"
AWS_MANAGED = "aws"

LIST_TABLE_BUCKETS = read_call(SERVICE, "ListTableBuckets", "s3tables:ListTableBuckets")
GET_BUCKET_ENCRYPTION = read_call(SERVICE, "GetTableBucketEncryption", "s3tables:GetTableBucketEncryption")
GET_BUCKET_MAINTENANCE = read_call(SERVICE, "GetTableBucketMaintenanceConfiguration",
                                   "s3tables:GetTableBucketMaintenanceConfiguration")
GET_BUCKET_POLICY = read_call(SERVICE, "GetTableBucketPolicy", "s3tables:GetTableBucketPolicy", "NotFoundException")
LIST_TABLES = read_call(SERVICE, "ListTables", "s3tables:ListTables")
GET_TABLE_MAINTENANCE = read_call(SERVICE, "GetTableMaintenanceConfiguration",
                                  "s3tables:GetTableMaintenanceConfiguration")
GET_TABLE_POLICY = read_call(SERVICE, "GetTablePolicy", "s3tables:GetTablePolicy", "NotFoundException")


def _status(value, capital: bool):
    if not isinstance(value, str):
        return value
    return value.capitalize() if capital else value.lower()


def encryption_configuration(answer):
    config = (answer or {}).get("encryptionConfiguration")
    if not config:
        return MISSING
    shaped = {"SSEAlgorithm": config.get("sseAlgorithm")}
    if config.get("kmsKeyArn"):
        shaped["KMSKeyArn"] = config["kmsKeyArn"]
    return shaped


def unreferenced_file_removal(answer):
    """GetTableBucketMaintenanceConfiguration's answer as ``UnreferencedFileRemoval``."""
    setting = ((answer or {}).get("configuration") or {}).get("icebergUnreferencedFileRemoval")
    if not setting:
        return MISSING
    shaped = {"Status": _status(setting.get("status"), capital=True)} if setting.get("status") else {}
    settings = (setting.get("settings") or {}).get("icebergUnreferencedFileRemoval") or {}
    shaped.update({cfn: settings[api] for api, cfn in (("unreferencedDays", "UnreferencedDays"),
                                                       ("nonCurrentDays", "NoncurrentDays")) if api in settings})
    return shaped


def table_maintenance(answer) -> dict:
    """GetTableMaintenanceConfiguration's answer as ``Compaction`` and ``SnapshotManagement``."""
    configuration = (answer or {}).get("configuration") or {}
    out = {}
    for api, cfn, keys in (("icebergCompaction", "Compaction", (("targetFileSizeMB", "TargetFileSizeMB"),)),
                           ("icebergSnapshotManagement", "SnapshotManagement",
                            (("minSnapshotsToKeep", "MinSnapshotsToKeep"),
                             ("maxSnapshotAgeHours", "MaxSnapshotAgeHours")))):
        setting = configuration.get(api)
        if not setting:
            out[cfn] = MISSING
            continue
        shaped = {"Status": _status(setting.get("status"), capital=False)} if setting.get("status") else {}
        settings = (setting.get("settings") or {}).get(api) or {}
        shaped.update({c: settings[a] for a, c in keys if a in settings})
        out[cfn] = shaped
    return out


def _policy(ctx, call, region, **params):
    """The policy document; MISSING when there is none; an Unreadable when it could not be read."""
    answer, unreadable = _read(ctx, call, region, **params)
    if unreadable is not None:
        return unreadable
    return shapes.policy_document((answer or {}).get("resourcePolicy"))


def bucket_records(ctx, region, listed: dict) -> list:
    name, arn = listed["name"], listed["arn"]
    records = []
    if ctx.lists(TABLE_BUCKET):
        props = {"TableBucketName": name, "TableBucketARN": arn}
        if ctx.wants(GET_BUCKET_ENCRYPTION):
            answer, unreadable = _read(ctx, GET_BUCKET_ENCRYPTION, region, tableBucketARN=arn)
            props["EncryptionConfiguration"] = unreadable or encryption_configuration(answer)
        if ctx.wants(GET_BUCKET_MAINTENANCE):
            answer, unreadable = _read(ctx, GET_BUCKET_MAINTENANCE, region, tableBucketARN=arn)
            props["UnreferencedFileRemoval"] = unreadable or unreferenced_file_removal(answer)
        records.append(LiveRecord(type=TABLE_BUCKET, name=name, arn=arn, props=present(props)))
    if ctx.wants(GET_BUCKET_POLICY):
        document = _policy(ctx, GET_BUCKET_POLICY, region, tableBucketARN=arn)
        if document is not MISSING:
            records.append(LiveRecord(type=BUCKET_POLICY, name=f"{name}/policy", arn=arn,
                                      props={"TableBucketARN": arn, "ResourcePolicy": document},
                                      links=[("target", TABLE_BUCKET, name, "policies")]))
    if ctx.wants(LIST_TABLES):
        for page in ctx.pages(LIST_TABLES, region, tableBucketARN=arn):
            for table in page.get("tables") or []:
                if table.get("type") != AWS_MANAGED:
                    records += table_records(ctx, region, name, arn, table)
    return records


def table_records(ctx, region, bucket: str, bucket_arn: str, table: dict) -> list:
    namespace = ".".join(table.get("namespace") or [])
    table_name = table["name"]
    name = f"{bucket}/{namespace}/{table_name}"
    arn = table.get("tableARN") or f"{bucket_arn}/table/{namespace}/{table_name}"
    identity = {"TableBucketARN": bucket_arn, "Namespace": namespace, "TableName": table_name, "TableARN": arn}
    where = dict(tableBucketARN=bucket_arn, namespace=namespace, name=table_name)
    records = []
    if ctx.lists(TABLE):
        props = dict(identity)
        if ctx.wants(GET_TABLE_MAINTENANCE):
            answer, unreadable = _read(ctx, GET_TABLE_MAINTENANCE, region, **where)
            props.update(dict.fromkeys(("Compaction", "SnapshotManagement"), unreadable) if unreadable
                         else table_maintenance(answer))
        records.append(LiveRecord(type=TABLE, name=name, arn=arn, props=present(props),
                                  links=[("table_bucket", TABLE_BUCKET, bucket, "tables")]))
    if ctx.wants(GET_TABLE_POLICY):
        document = _policy(ctx, GET_TABLE_POLICY, region, **where)
        if document is not MISSING:
            records.append(LiveRecord(type=TABLE_POLICY, name=f"{name}/policy", arn=arn,
                                      props={**identity, "ResourcePolicy": document},
                                      links=[("target", TABLE, name, "policies")]))
    return records




def collect(ctx, region) -> list:
    pages = listing_where_offered(ctx, LIST_TABLE_BUCKETS, region, client_host(ctx, SERVICE, region),
                                  "S3 Tables is not offered")
    if pages is None:
        return []
    records = []
    for page in pages:
        for listed in page.get("tableBuckets") or []:
            if listed.get("type") == AWS_MANAGED or arn_region(listed.get("arn")) not in (None, region):
                continue  # AWS's own bucket; or another region's, as an emulator may list them
            records += bucket_records(ctx, region, listed)
    return records


_TABLE_IDENTITY = ("TableBucketARN", "Namespace", "TableName", "TableARN")

COLLECTOR = Collector(
    name="S3 Tables",
    types={
        TABLE_BUCKET: provides(LIST_TABLE_BUCKETS, {
            **fields(LIST_TABLE_BUCKETS, "TableBucketName", "TableBucketARN"),
            **fields(GET_BUCKET_ENCRYPTION, "EncryptionConfiguration"),
            **fields(GET_BUCKET_MAINTENANCE, "UnreferencedFileRemoval")}),
        BUCKET_POLICY: provides((LIST_TABLE_BUCKETS, GET_BUCKET_POLICY), fields(
            (LIST_TABLE_BUCKETS, GET_BUCKET_POLICY), "TableBucketARN", "ResourcePolicy")),
        TABLE: provides((LIST_TABLE_BUCKETS, LIST_TABLES), {
            **fields((LIST_TABLE_BUCKETS, LIST_TABLES), *_TABLE_IDENTITY),
            **fields(GET_TABLE_MAINTENANCE, "Compaction", "SnapshotManagement")}),
        TABLE_POLICY: provides((LIST_TABLE_BUCKETS, LIST_TABLES, GET_TABLE_POLICY), fields(
            (LIST_TABLE_BUCKETS, LIST_TABLES, GET_TABLE_POLICY), *_TABLE_IDENTITY, "ResourcePolicy")),
    },
    collect=collect,
    failure="list S3 table buckets in {region}",
)

"""The S3 bucket collector's S3 Metadata read: ``MetadataConfiguration`` (V2) or ``MetadataTableConfiguration``
(V1) from GetBucketMetadataConfiguration, and each metadata table's encryption from S3 Tables.

moto serves neither GetBucketMetadataConfiguration (it answers the bucket's listing, which botocore
parses as an empty result) nor S3 Tables' GetTableEncryption: both are answered here as S3 and S3
Tables answer them (botocore's service models give the shapes). The rest of this collector is tested
through the checks' live scenarios and tests/live/test_live_iam.py, which also seeds its full scan.
"""

from __future__ import annotations

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.core.values import MISSING
from lakelint.runs.live import lint_live
from lakelint.sources.live import shapes
from lakelint.sources.live.faults import Unreadable
from lakelint.sources.live.inventory import build_stacks
from lakelint.sources.live.plan import ScanPlan
from lakelint.sources.live.progress import Progress
from lakelint.sources.live.scan import scan

SPECS = load_checks(plugins=False)
AWS_S3 = "arn:aws:s3tables:us-east-1:123456789012:bucket/aws-s3"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def v2_answer(inventory="ENABLED"):
    return {"GetBucketMetadataConfigurationResult": {"MetadataConfigurationResult": {
        "DestinationResult": {"TableBucketType": "aws", "TableBucketArn": AWS_S3, "TableNamespace": "b_lake_raw"},
        "JournalTableConfigurationResult": {"TableStatus": "ACTIVE", "TableName": "journal",
                                            "TableArn": f"{AWS_S3}/table/0000-journal",
                                            "RecordExpiration": {"Expiration": "ENABLED", "Days": 30}},
        "InventoryTableConfigurationResult": {"ConfigurationState": inventory, "TableStatus": "ACTIVE",
                                              "TableName": "inventory", "TableArn": f"{AWS_S3}/table/0000-inventory"}}}}


def seed_full_scan(aws):
    """Every bucket of the full scan has S3 Metadata with both tables, so GetTableEncryption is made."""
    aws.answer("s3", "GetBucketMetadataConfiguration", v2_answer())
    aws.answer("s3tables", "GetTableEncryption", {"encryptionConfiguration": {"sseAlgorithm": "aws:kms",
                                                                              "kmsKeyArn": KEY}})


def buckets_read(session, *codes):
    """The bucket records a scan planned for ``codes`` builds."""
    plan = ScanPlan.for_checks([s for s in SPECS if s.code in codes])
    result = scan(session, ["us-east-1"], plan, Progress(False))
    assert result.errors == []
    return {r.name: r for s in build_stacks(result, plan) for r in s.resources if r.type == "AWS::S3::Bucket"}


def asked_for_encryption(session) -> list:
    """Records the parameters of every GetTableEncryption call the session's clients make."""
    asked = []

    def hook(client):
        if client.meta.service_model.service_name == "s3tables":
            client.meta.events.register("provide-client-params.s3tables.GetTableEncryption",
                                        lambda params, **_: asked.append(dict(params)))

    session.on_client.append(hook)
    return asked


def test_v2_configuration_has_cloudformation_shape_with_each_tables_encryption(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer("s3", "GetBucketMetadataConfiguration", v2_answer())
    mocked_aws.answer("s3tables", "GetTableEncryption", {"encryptionConfiguration": {"sseAlgorithm": "aws:kms",
                                                                                     "kmsKeyArn": KEY}})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    asked = asked_for_encryption(session)
    bucket = buckets_read(session, "LL138")["lake-raw"]
    kms = {"SseAlgorithm": "aws:kms", "KmsKeyArn": KEY}
    assert bucket.props["MetadataConfiguration"] == {
        "Destination": {"TableBucketType": "aws", "TableBucketArn": AWS_S3, "TableNamespace": "b_lake_raw"},
        "JournalTableConfiguration": {"TableName": "journal", "TableArn": f"{AWS_S3}/table/0000-journal",
                                      "RecordExpiration": {"Expiration": "ENABLED", "Days": 30},
                                      "EncryptionConfiguration": kms},
        "InventoryTableConfiguration": {"ConfigurationState": "ENABLED", "TableName": "inventory",
                                        "TableArn": f"{AWS_S3}/table/0000-inventory", "EncryptionConfiguration": kms}}
    assert "MetadataTableConfiguration" not in bucket.props
    assert sorted(a["name"] for a in asked) == ["inventory", "journal"]
    assert {(a["tableBucketARN"], a["namespace"]) for a in asked} == {(AWS_S3, "b_lake_raw")}


def test_a_disabled_inventory_has_no_table_to_ask_about(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer("s3", "GetBucketMetadataConfiguration", v2_answer(inventory="DISABLED"))
    mocked_aws.answer("s3tables", "GetTableEncryption", {"encryptionConfiguration": {"sseAlgorithm": "AES256"}})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    asked = asked_for_encryption(session)
    config = buckets_read(session, "LL138")["lake-raw"].props["MetadataConfiguration"]
    assert [a["name"] for a in asked] == ["journal"]
    assert config["JournalTableConfiguration"]["EncryptionConfiguration"] == {"SseAlgorithm": "AES256"}
    assert "EncryptionConfiguration" not in config["InventoryTableConfiguration"]


def test_a_v1_configuration_is_metadata_table_configuration(mocked_aws, live_session):
    """The V2 call answers a V1 configuration too: its table bucket is the customer's own."""
    mocked_aws.bucket("lake-legacy")
    customer = "arn:aws:s3tables:us-east-1:123456789012:bucket/lake-metadata"
    mocked_aws.answer("s3", "GetBucketMetadataConfiguration", {"GetBucketMetadataConfigurationResult": {
        "MetadataConfigurationResult": {
            "DestinationResult": {"TableBucketType": "customer", "TableBucketArn": customer,
                                  "TableNamespace": "aws_s3_metadata"},
            "JournalTableConfigurationResult": {"TableStatus": "ACTIVE", "TableName": "legacy_journal",
                                                "TableArn": f"{customer}/table/0000"}}}})
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    asked = asked_for_encryption(session)
    bucket = buckets_read(session, "LL138")["lake-legacy"]
    assert bucket.props["MetadataTableConfiguration"] == {"S3TablesDestination": {
        "TableBucketArn": customer, "TableNamespace": "aws_s3_metadata", "TableName": "legacy_journal",
        "TableArn": f"{customer}/table/0000"}}
    assert "MetadataConfiguration" not in bucket.props and asked == []


def test_not_configured_is_absent_not_unknown(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer_error("s3", "GetBucketMetadataConfiguration", "MetadataConfigurationNotFound", 404)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    asked = asked_for_encryption(session)
    props = buckets_read(session, "LL138")["lake-raw"].props
    assert "MetadataConfiguration" not in props and "MetadataTableConfiguration" not in props and asked == []
    # an answer without a configuration (what moto gives) is no configuration either
    assert shapes.metadata_configuration({"GetBucketMetadataConfigurationResult": {}}) == {
        "MetadataConfiguration": MISSING, "MetadataTableConfiguration": MISSING}


def test_a_denied_table_encryption_read_is_could_not_evaluate_not_sse_s3(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer("s3", "GetBucketMetadataConfiguration", v2_answer(inventory="DISABLED"))
    mocked_aws.answer_error("s3tables", "GetTableEncryption", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    report = lint_live(build_config({"select": ["LL138"], "preview": True}, None), SPECS, regions=["us-east-1"],
                       session=session)
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.resource, error.api_call, error.iam_action) == (
        "LL138", "lake-raw", "GetTableEncryption", "s3tables:GetTableEncryption")


def test_a_denied_metadata_read_names_its_v1_named_action(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer_error("s3", "GetBucketMetadataConfiguration", "AccessDenied", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    props = buckets_read(session, "LL138")["lake-raw"].props
    assert isinstance(props["MetadataConfiguration"], Unreadable)
    assert props["MetadataConfiguration"].iam_action == "s3:GetBucketMetadataTableConfiguration"
    report = lint_live(build_config({"select": ["LL138"], "preview": True}, None), SPECS, regions=["us-east-1"],
                       session=session)
    assert report.findings == [] and [e.api_call for e in report.errors] == ["GetBucketMetadataConfiguration"]


def test_no_table_named_is_unknown_not_a_call(mocked_aws, live_session):
    answer = v2_answer(inventory="DISABLED")
    del answer["GetBucketMetadataConfigurationResult"]["MetadataConfigurationResult"]["JournalTableConfigurationResult"][
        "TableName"]
    mocked_aws.bucket("lake-raw")
    mocked_aws.answer("s3", "GetBucketMetadataConfiguration", answer)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    asked = asked_for_encryption(session)
    journal = buckets_read(session, "LL138")["lake-raw"].props["MetadataConfiguration"]["JournalTableConfiguration"]
    assert isinstance(journal["EncryptionConfiguration"], Unreadable) and asked == []


def test_metadata_is_read_only_when_a_check_declares_it(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    seed_full_scan(mocked_aws)
    for codes, made in ((("LL102",), False), (("LL138",), True)):
        session = live_session()
        session.on_client.append(mocked_aws.install_answers)
        buckets_read(session, *codes)
        performed = set(session.guard.operations())
        assert (("s3", "GetBucketMetadataConfiguration") in performed) is made, codes
        assert (("s3tables", "GetTableEncryption") in performed) is made, codes

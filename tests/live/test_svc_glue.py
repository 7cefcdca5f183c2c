"""The Glue Data Catalog collector: catalog settings, security configurations, jobs, crawlers,
databases and tables in CloudFormation's shapes."""

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
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE = "arn:aws:iam::123456789012:role/glue"


def seed_full_scan(aws):
    """A database (so its tables are listed), a table, a security configuration, a job and a crawler."""
    glue = aws.client("glue")
    glue.create_database(DatabaseInput={"Name": "seed", "LocationUri": "s3://lake-seed/"})
    glue.create_table(DatabaseName="seed", TableInput={"Name": "events",
                                                       "StorageDescriptor": {"Location": "s3://lake-seed/events/"}})
    glue.create_security_configuration(Name="seed-config", EncryptionConfiguration={
        "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": KEY}],
        "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": KEY},
        "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": KEY}})
    glue.create_job(Name="seed-job", Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://lake-seed/a.py"},
                    SecurityConfiguration="seed-config")
    glue.create_crawler(Name="seed-crawler", Role=ROLE, Targets={"S3Targets": [{"Path": "s3://lake-seed/"}]},
                        CrawlerSecurityConfiguration="seed-config")


def collector():
    return [c for c in all_collectors() if c.name == "Glue Data Catalog"]


def scan_with(session):
    plan = ScanPlan.everything(collectors=collector())
    result = scan(session, ["us-east-1"], plan, Progress(False))
    return result, {(r.type, r.name): r for s in build_stacks(result, plan) for r in s.resources}


def test_records_have_the_cloudformation_shape_and_links(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.client("glue").put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
        "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": KEY},
        "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": KEY}})
    result, found = scan_with(live_session())
    assert result.errors == []
    settings = found[("AWS::Glue::DataCatalogEncryptionSettings", "123456789012")]
    assert settings.props == {"CatalogId": "123456789012", "DataCatalogEncryptionSettings": {
        "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": KEY},
        "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "KmsKeyId": KEY}}}
    configuration = found[("AWS::Glue::SecurityConfiguration", "seed-config")]
    assert configuration.props["EncryptionConfiguration"]["S3Encryptions"] == [{"S3EncryptionMode": "SSE-KMS",
                                                                                 "KmsKeyArn": KEY}]
    assert "S3Encryption" not in configuration.props["EncryptionConfiguration"]
    job = found[("AWS::Glue::Job", "seed-job")]
    crawler = found[("AWS::Glue::Crawler", "seed-crawler")]
    assert job.props["SecurityConfiguration"] == "seed-config" and job.arn.endswith(":job/seed-job")
    assert crawler.props["CrawlerSecurityConfiguration"] == "seed-config"
    assert job.related("security_configurations") == [configuration]
    assert {r.name for r in configuration.related("used_by")} == {"seed-job", "seed-crawler"}
    database = found[("AWS::Glue::Database", "seed")]
    assert database.props == {"CatalogId": "123456789012",
                              "DatabaseInput": {"Name": "seed", "LocationUri": "s3://lake-seed/"}}
    table = found[("AWS::Glue::Table", "seed.events")]
    assert table.props == {"CatalogId": "123456789012", "DatabaseName": "seed", "TableInput": {
        "Name": "events", "StorageDescriptor": {"Location": "s3://lake-seed/events/"}}}
    assert table.arn == "arn:aws:glue:us-east-1:123456789012:table/seed/events"
    assert table.related("databases") == [database] and database.related("tables") == [table]


def test_calls_made_are_exactly_the_declared_ones(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    session = live_session()
    scan_with(session)
    performed = {op for (service, op) in session.guard.operations() if service == "glue"}
    assert performed == {c.operation for c in collector()[0].calls}


def test_a_denied_catalog_settings_read_is_an_unreadable_value(mocked_aws, live_session):
    mocked_aws.answer_error("glue", "GetDataCatalogEncryptionSettings", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, found = scan_with(session)
    value = found[("AWS::Glue::DataCatalogEncryptionSettings", "123456789012")].props["DataCatalogEncryptionSettings"]
    assert value.api_call == "GetDataCatalogEncryptionSettings"
    assert value.iam_action == "glue:GetDataCatalogEncryptionSettings" and "AccessDenied" in value.reason
    report = lint_live(build_config({"select": ["LL711"]}, None), SPECS, regions=["us-east-1"], session=session)
    assert report.findings == []
    assert {(e.check, e.iam_action) for e in report.errors} == {("LL711", "glue:GetDataCatalogEncryptionSettings")}


def test_a_denied_table_listing_fails_the_region_instead_of_hiding_tables(mocked_aws, live_session):
    seed_full_scan(mocked_aws)
    mocked_aws.answer_error("glue", "GetTables", "AccessDeniedException", 403)
    session = live_session()
    session.on_client.append(mocked_aws.install_answers)
    result, found = scan_with(session)
    (error,) = result.errors
    assert (error.api_call, error.iam_action, error.resource) == ("GetTables", "glue:GetTables", "us-east-1")
    assert not any(key[0].startswith("AWS::Glue::") for key in found)

"""Catalog relations (relations_catalog.py) and the S3 location reading they share with LL703."""

from __future__ import annotations

from lakelint.knowledge import s3_locations
from lakelint.sources.cloudformation.loader import parse
from lakelint.sources.cloudformation.template import build_stack

TEMPLATE = """
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  SslParameters:
    Type: AWS::Redshift::ClusterParameterGroup
    Properties: {Description: a, ParameterGroupFamily: redshift-1.0}
  NamedParameters:
    Type: AWS::Redshift::ClusterParameterGroup
    Properties: {Description: b, ParameterGroupFamily: redshift-1.0, ParameterGroupName: lake-named}
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties:
      NodeType: ra3.xlplus
      ClusterParameterGroupName: !If [IsProd, !Ref SslParameters, lake-named]
  Lonely:
    Type: AWS::Redshift::Cluster
    Properties: {NodeType: ra3.xlplus, ClusterParameterGroupName: elsewhere}
  EtlSecurity:
    Type: AWS::Glue::SecurityConfiguration
    Properties: {Name: etl-security, EncryptionConfiguration: {}}
  CurateJob:
    Type: AWS::Glue::Job
    Properties: {Role: r, Command: {Name: glueetl}, SecurityConfiguration: !Ref EtlSecurity}
  RawCrawler:
    Type: AWS::Glue::Crawler
    Properties: {Role: r, Targets: {}, CrawlerSecurityConfiguration: etl-security}
  RawBucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: lake-raw}
  RawDatabase:
    Type: AWS::Glue::Database
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseInput: {Name: raw, LocationUri: !Sub "s3://${RawBucket}/raw/"}
  OrdersTable:
    Type: AWS::Glue::Table
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseName: raw
      TableInput: {Name: orders, StorageDescriptor: {Location: s3://lake-curated/orders/}}
  RawLocation:
    Type: AWS::LakeFormation::Resource
    Properties: {ResourceArn: arn:aws:s3:::lake-raw, UseServiceLinkedRole: true}
"""


def stack():
    built = build_stack(parse(TEMPLATE), "t.yaml")
    return {r.name: r for r in built.resources}


def names(resources):
    return sorted(r.name for r in resources)


def test_cluster_links_every_parameter_group_it_may_name():
    r = stack()
    assert names(r["Warehouse"].related("parameter_groups")) == ["NamedParameters", "SslParameters"]
    assert names(r["SslParameters"].related("clusters")) == ["Warehouse"]
    assert r["Lonely"].related("parameter_groups") == []


def test_jobs_and_crawlers_link_their_security_configuration():
    r = stack()
    assert names(r["CurateJob"].related("security_configurations")) == ["EtlSecurity"]
    assert names(r["RawCrawler"].related("security_configurations")) == ["EtlSecurity"]
    assert names(r["EtlSecurity"].related("used_by")) == ["CurateJob", "RawCrawler"]


def test_table_links_its_database_by_name():
    r = stack()
    assert names(r["OrdersTable"].related("databases")) == ["RawDatabase"]
    assert names(r["RawDatabase"].related("tables")) == ["OrdersTable"]


def test_locations_link_the_registrations_that_cover_them():
    r = stack()
    assert names(r["RawDatabase"].related("lake_registrations")) == ["RawLocation"]
    assert r["OrdersTable"].related("lake_registrations") == []
    assert names(r["RawLocation"].related("registered_locations")) == ["RawDatabase"]


def test_s3_location_forms():
    assert s3_locations.parse("s3://lake-raw/a/b/") == s3_locations.S3Location("lake-raw", "a/b/")
    assert s3_locations.parse("arn:aws:s3:::lake-raw") == s3_locations.S3Location("lake-raw", "")
    assert s3_locations.parse("arn:${AWS::Partition}:s3:::lake-raw/x").bucket == "lake-raw"
    assert s3_locations.parse("${RawBucket.Arn}/x") == s3_locations.S3Location("${RawBucket}", "x")
    assert s3_locations.parse("${RawBucket}", {"${RawBucket}": "lake-raw"}).bucket == "lake-raw"
    assert s3_locations.parse("jdbc:postgresql://db/lake") is None


def test_a_dynamic_reference_is_read_whole_even_with_references_inside():
    """Issue 12 item 4: a {{resolve:...}} reference inside a !Sub may hold ${Param} of its own."""
    simple = s3_locations.parse("s3://{{resolve:ssm:/lake/bucket}}/x")
    assert (simple.bucket, simple.prefix, simple.dynamic, simple.known) == ("{{resolve:ssm:/lake/bucket}}", "x",
                                                                            "ssm", False)
    nested = s3_locations.parse("arn:${AWS::Partition}:s3:::{{resolve:ssm:/sdlf/storage/rRawBucket/${pInstance}}}"
                                "/${pS3Prefix}/")
    assert nested.bucket == "{{resolve:ssm:/sdlf/storage/rRawBucket/${pInstance}}}"
    assert (nested.prefix, nested.dynamic) == ("${pS3Prefix}/", "ssm")
    other = s3_locations.parse("s3://{{resolve:ssm:/lake/other}}/x")
    assert not simple.covers(other) and simple.covers(s3_locations.parse("s3://{{resolve:ssm:/lake/bucket}}/x/y"))


def test_an_empty_bucket_name_names_no_bucket_and_covers_nothing():
    empty = s3_locations.parse("arn:${AWS::Partition}:s3::://")
    assert empty is not None and empty.empty and not empty.known
    assert not empty.covers(s3_locations.parse("s3:///x"))


def test_coverage_is_by_bucket_and_whole_prefix_segments():
    bucket = s3_locations.parse("arn:aws:s3:::lake")
    prefix = s3_locations.parse("arn:aws:s3:::lake/raw")
    assert bucket.covers(s3_locations.parse("s3://lake/any/thing"))
    assert prefix.covers(s3_locations.parse("s3://lake/raw/orders/"))
    assert prefix.covers(s3_locations.parse("s3://lake/raw"))
    assert not prefix.covers(s3_locations.parse("s3://lake/rawdata/"))
    assert not bucket.covers(s3_locations.parse("s3://lake2/raw"))

"""The storage and database checks (LL4xx, LL5xx) beyond their fixtures: the min-backup-days option,
the template relations they follow, the AWS managed key rule, and merging findings that hold in every
branch."""

from __future__ import annotations

import textwrap

import pytest

from lakelint.core.config import Config
from lakelint.core.propcheck import aws_managed_key
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates
from lakelint.sources.cloudformation.source import load_text

SPECS = load_checks(plugins=False)


def stack_of(body: str):
    stack, errors = load_text("t.yaml", textwrap.dedent(body).encode())
    assert errors == [] and stack is not None
    return stack, {r.name: r for r in stack.resources}


def lint(tmp_path, body: str, code: str, **options):
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent(body))
    config = Config(select=[code])
    config.options.update(options)
    report = lint_templates([str(path)], config, SPECS)
    assert report.errors == []
    return [f for f in report.findings if f.check == code]


RETENTION = """\
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.medium
      BackupRetentionPeriod: 5
  Docs:
    Type: AWS::DocDB::DBCluster
    Properties:
      ManageMasterUserPassword: true
      MasterUsername: lake
      BackupRetentionPeriod: "5"
"""


@pytest.mark.parametrize("code", ["LL504", "LL523"])
def test_min_backup_days_option(tmp_path, code):
    assert lint(tmp_path, RETENTION, code, **{"min-backup-days": 3}) == []
    found = lint(tmp_path, RETENTION, code, **{"min-backup-days": 14})
    assert [(f.line, f.severity) for f in found] == [(7 if code == "LL504" else 13, "medium")]
    assert "under the minimum of 14 days" in found[0].message


def test_min_backup_days_default_is_seven(tmp_path):
    assert [f.line for f in lint(tmp_path, RETENTION, "LL504")] == [7]


def test_cluster_instances_by_ref_and_by_identifier_in_any_case():
    stack, by = stack_of("""\
        Resources:
          Cluster:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-mysql, DBClusterIdentifier: Lake-Cluster}
          Writer:
            Type: AWS::RDS::DBInstance
            Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}
          Reader:
            Type: AWS::RDS::DBInstance
            Properties: {DBClusterIdentifier: lake-cluster, DBInstanceClass: db.r6g.large}
          Alone:
            Type: AWS::RDS::DBInstance
            Properties: {DBInstanceClass: db.t3.small}
        """)
    assert [r.name for r in by["Cluster"].related("instances")] == ["Writer", "Reader"]
    assert by["Writer"].related("clusters") == [by["Cluster"]]
    assert by["Alone"].related("clusters") == []


def test_docdb_parameter_group_fsx_association_and_dynamodb_scaling():
    stack, by = stack_of("""\
        Resources:
          Params:
            Type: AWS::DocDB::DBClusterParameterGroup
            Properties: {Family: docdb5.0, Description: p, Name: Catalog-Params, Parameters: {tls: enabled}}
          ByRef:
            Type: AWS::DocDB::DBCluster
            Properties: {DBClusterParameterGroupName: !Ref Params}
          ByName:
            Type: AWS::DocDB::DBCluster
            Properties: {DBClusterParameterGroupName: catalog-params}
          Fs:
            Type: AWS::FSx::FileSystem
            Properties: {FileSystemType: LUSTRE, StorageCapacity: 1200, SubnetIds: [s]}
          Assoc:
            Type: AWS::FSx::DataRepositoryAssociation
            Properties: {FileSystemId: !Ref Fs, FileSystemPath: /d, DataRepositoryPath: s3://b/d}
          Orders:
            Type: AWS::DynamoDB::Table
            Properties: {TableName: orders}
          Target:
            Type: AWS::ApplicationAutoScaling::ScalableTarget
            Properties: {ResourceId: !Sub "table/${Orders}", ScalableDimension: dynamodb:table:ReadCapacityUnits}
          Policy:
            Type: AWS::ApplicationAutoScaling::ScalingPolicy
            Properties: {ScalingTargetId: !Ref Target}
          Direct:
            Type: AWS::ApplicationAutoScaling::ScalingPolicy
            Properties: {ResourceId: table/orders, ScalableDimension: dynamodb:table:WriteCapacityUnits}
          IndexTarget:
            Type: AWS::ApplicationAutoScaling::ScalableTarget
            Properties: {ResourceId: !Join ["/", [table, !Ref Orders]], ScalableDimension: dynamodb:table:WriteCapacityUnits}
        """)
    assert by["ByRef"].related("parameter_groups") == [by["Params"]]
    assert by["ByName"].related("parameter_groups") == [by["Params"]]
    assert by["Fs"].related("data_repository_associations") == [by["Assoc"]]
    assert [t.name for t in by["Orders"].related("scalable_targets")] == ["Target", "IndexTarget"]
    assert by["Target"].related("scaling_policies") == [by["Policy"]]
    assert by["Orders"].related("scaling_policies") == [by["Direct"]]


@pytest.mark.parametrize("key, managed", [
    (None, True), ("", True), ("alias/aws/rds", True), ("arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs", True),
    ("alias/aws-lake", False), ("alias/lake", False), ("arn:aws:kms:eu-west-1:111122223333:key/abcd", False),
    ("1234abcd-12ab-34cd-56ef-1234567890ab", False),
])
def test_aws_managed_key(key, managed):
    assert aws_managed_key(key) is managed


MERGE = """\
Parameters:
  Mode:
    Type: String
    AllowedValues: [a, b]
  Enc:
    Type: String
    AllowedValues: ["true", "True", "false"]
Conditions:
  IsA: !Equals [!Ref Mode, a]
Resources:
  Both:
    Type: AWS::EFS::FileSystem
    Properties:
      Encrypted: !If [IsA, true, "true"]
  Partial:
    Type: AWS::EFS::FileSystem
    Properties:
      Encrypted: !Ref Enc
"""


def test_finding_in_every_branch_is_reported_once_without_condition(tmp_path):
    found = sorted((f.resource, f.condition or "") for f in lint(tmp_path, MERGE, "LL402"))
    # Both lacks a key on either side of IsA: one finding that holds unconditionally. Partial lacks it
    # for two of Enc's three values (the third is unencrypted, LL401's business): one finding, whose
    # condition names those two values.
    assert found == [("Both", ""), ("Partial", "Enc=True|true")]

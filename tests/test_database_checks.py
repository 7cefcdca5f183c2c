"""The database checks (LL5xx) beyond their fixtures: exact locations, the IAM database authentication
table of LL507, and retention days a parameter's constraints prove."""

from __future__ import annotations

import textwrap

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

SPECS = load_checks(plugins=False)


def lint(tmp_path, body: str, code: str):
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent(body))
    report = lint_templates([str(path)], Config(select=[code]), SPECS)
    assert report.errors == []
    return [f for f in report.findings if f.check == code]


# -- LL526 points at the parameter group's tls ---------------------------------------------------------

TLS_OFF = """\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Params:
        Type: AWS::DocDB::DBClusterParameterGroup
        Properties:
          Family: docdb5.0
          Description: no tls
          Parameters:
            audit_logs: enabled
            tls: disabled
      Catalog:
        Type: AWS::DocDB::DBCluster
        Properties:
          MasterUsername: lake
          ManageMasterUserPassword: true
          DBClusterParameterGroupName: !Ref Params
    """


def test_ll526_points_at_the_tls_of_the_parameter_group_not_at_the_cluster(tmp_path):
    (finding,) = lint(tmp_path, TLS_OFF, "LL526")
    assert (finding.resource, finding.line, finding.column) == ("Catalog", 10, 9)  # `tls:` in Params
    assert finding.message == "parameter group Params sets tls to disabled: clients may connect without TLS"


def test_ll526_points_at_the_tls_written_with_an_if(tmp_path):
    body = TLS_OFF.replace("tls: disabled", "tls: !If [IsProd, enabled, disabled]").replace(
        "    Resources:", "    Parameters:\n      Env: {Type: String, AllowedValues: [dev, prod]}\n"
                         "    Conditions:\n      IsProd: !Equals [!Ref Env, prod]\n    Resources:")
    (finding,) = lint(tmp_path, body, "LL526")
    assert (finding.line, finding.column, finding.condition) == (14, 9, "IsProd=false")


def test_ll526_still_points_at_the_cluster_when_the_group_is_not_in_the_template(tmp_path):
    body = TLS_OFF.replace("!Ref Params", "shared-params")
    (finding,) = lint(tmp_path, body, "LL526")
    assert (finding.line, finding.column, finding.verdict) == (16, 36, "unverifiable")


# -- LL507 judges IAM database authentication only where AWS documents it ----------------------------------


def test_the_iam_auth_table_says_where_it_exists_and_where_it_cannot_decide():
    from lakelint.checks.databases._iam_auth_support import supports
    from lakelint.core.values import Unresolved

    unknown = Unresolved("${Version}", "comes from parameter Version, which has no AllowedValues or Default")
    assert [supports("mariadb", v) for v in ("10.4.34", "10.5", "10.6.14", "10.11.8", "11.4.3", "11.8")] == [
        False, False, False, True, True, True]
    assert supports("mariadb", None) is True  # AWS's default version has it
    assert supports("mariadb", unknown) is None and supports("mariadb", "10") is None
    assert supports("mysql", "5.7.44") is True and supports("postgres", "9.6.24") is True
    assert [supports(e) for e in ("oracle-ee", "sqlserver-se", "db2-ae", "custom-oracle-ee", "SQLServer-EX")] == [
        False] * 5
    assert supports(unknown) is None
    assert [supports("aurora-mysql", instance_class=c) for c in ("db.t3.small", "DB.T2.SMALL", "db.t3.medium")] == [
        False, False, True]
    assert supports("aurora-postgresql", instance_class="db.t3.small") is True  # only Aurora MySQL's smallest
    assert supports("aurora-mysql", instance_class=unknown) is None


CONDITIONAL_SMALL = """\
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Env: {Type: String, AllowedValues: [dev, prod]}
    Conditions:
      IsDev: !Equals [!Ref Env, dev]
    Resources:
      Cluster:
        Type: AWS::RDS::DBCluster
        Properties:
          Engine: aurora-mysql
      Writer:
        Type: AWS::RDS::DBInstance
        Properties:
          Engine: aurora-mysql
          DBInstanceClass: db.r6g.large
          DBClusterIdentifier: !Ref Cluster
      DevReader:
        Type: AWS::RDS::DBInstance
        Condition: IsDev
        Properties:
          Engine: aurora-mysql
          DBInstanceClass: db.t3.small
          DBClusterIdentifier: !Ref Cluster
    """


def test_ll507_an_aurora_mysql_cluster_is_judged_where_its_small_instance_does_not_exist(tmp_path):
    (finding,) = lint(tmp_path, CONDITIONAL_SMALL, "LL507")
    assert (finding.resource, finding.condition) == ("Cluster", "IsDev=false")
    assert finding.message.startswith("EnableIAMDatabaseAuthentication is not set: off by default")

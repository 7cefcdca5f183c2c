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

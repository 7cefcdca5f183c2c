"""``--live --compare`` runs in-process (moto): what it cannot judge is said, never reported as drift.

The scenario files (tests/live/test_drift_fixtures.py) prove each drift check's verdicts; these tests
prove the run around them: a parameter CloudFormation hides (NoEcho), a stack whose resources cannot be
listed, a ``stacks:`` entry naming a template that is not there, which checks ``--select`` compares,
and the usage errors of the command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lakelint.cli import main
from lakelint.core.config import Config, build_config
from lakelint.core.registry import load_checks
from lakelint.runs.compare import compare_config, lint_drift

SPECS = load_checks(plugins=False)

ENCRYPTED_BY_PARAMETER = """\
Parameters:
  Algorithm:
    Type: String
    NoEcho: true
    Default: aws:kms
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: lake-hidden
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: !Ref Algorithm
"""

PLAIN_BUCKET = """\
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: lake-plain
"""


def _deploy(aws, name: str, body: str, **parameters) -> None:
    aws.client("cloudformation").create_stack(
        StackName=name, TemplateBody=body,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])


def _run(tmp_path, monkeypatch, aws, live_session, settings: dict, config_path=None, lines=None):
    config = build_config({"preview": True, **settings}, config_path)
    if lines:
        config.lines.update(lines)
    session = live_session(workers=4)
    session.on_client.append(aws.install_answers)
    monkeypatch.chdir(tmp_path)
    return lint_drift(["templates"], config, SPECS, regions=["us-east-1"], session=session)


def _templates(tmp_path, **files) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)


def test_a_noecho_parameter_is_could_not_compare_not_drift(tmp_path, monkeypatch, mocked_aws, live_session):
    """CloudFormation answers ``****`` for a NoEcho parameter: the deployed branch is unknown, so the
    template side cannot be judged. The account's bucket is unencrypted by KMS (moto deploys it with
    SSE-S3): without the rule, that would be drift."""
    _templates(tmp_path, **{"hidden.yaml": ENCRYPTED_BY_PARAMETER})
    _deploy(mocked_aws, "lake-hidden", ENCRYPTED_BY_PARAMETER, Algorithm="AES256")
    described = mocked_aws.client("cloudformation").describe_stacks(StackName="lake-hidden")["Stacks"][0]
    described["Parameters"] = [{"ParameterKey": "Algorithm", "ParameterValue": "****"}]  # what AWS answers
    mocked_aws.answer("cloudformation", "DescribeStacks", {"Stacks": [described]})  # (moto shows the value)
    report = _run(tmp_path, monkeypatch, mocked_aws, live_session, {"select": ["LL102"]})
    assert [f.check for f in report.findings] == []
    messages = [e.message for e in report.errors if e.check == "LL102"]
    assert len(messages) == 1
    assert messages[0].startswith("could not compare LL102 s3-sse-kms on Data (stack lake-hidden) with the account: "
                                  "in the template, ")
    assert "Algorithm" in messages[0]


def test_resources_that_cannot_be_listed_are_an_error_naming_the_stack(tmp_path, monkeypatch, mocked_aws,
                                                                       live_session):
    _templates(tmp_path, **{"plain.yaml": PLAIN_BUCKET})
    _deploy(mocked_aws, "lake-plain", PLAIN_BUCKET)
    mocked_aws.answer_error("cloudformation", "ListStackResources", "AccessDenied", status=403)
    report = _run(tmp_path, monkeypatch, mocked_aws, live_session, {"select": ["LL112"]})
    assert report.findings == []
    compared = [e.message for e in report.errors if "could not compare stack lake-plain" in e.message]
    assert compared and "its resources could not be read" in compared[0] and "AccessDenied" in compared[0]
    assert report.comparison["resources"] == 0


def test_a_stacks_entry_naming_a_missing_template_is_an_error_at_its_line(tmp_path, monkeypatch, mocked_aws,
                                                                          live_session):
    _templates(tmp_path, **{"plain.yaml": PLAIN_BUCKET})
    _deploy(mocked_aws, "lake-plain", PLAIN_BUCKET)
    config_file = str(tmp_path / "lakelint.toml")
    report = _run(tmp_path, monkeypatch, mocked_aws, live_session,
                  {"select": ["LL112"], "stacks": {"lake-*": "templates/gone.yaml"}},
                  config_path=config_file, lines={"stacks": 4})
    errors = [e for e in report.errors if "'stacks' maps" in e.message]
    assert [(e.message, Path(e.file).name, e.line) for e in errors] == [
        (f"'stacks' maps lake-* to {Path('templates/gone.yaml')}, which is not among the templates --compare read",
         "lakelint.toml", 4)]
    assert report.comparison["stacks"] == 0 and report.comparison["stacks_without_templates"] == [
        "lake-plain (us-east-1)"]


@pytest.mark.parametrize("select, compared, reported", [
    ([], [], {"LL801", "LL802", "LL803"}),
    (["LL101"], ["LL101"], {"LL801", "LL802", "LL803"}),
    (["LL801"], [], {"LL801"}),
    (["LL101", "LL802"], ["LL101"], {"LL802"}),
    (["drift-weakened"], [], {"LL801"}),
])
def test_select_names_the_checks_compared_and_the_drift_codes_reported(select, compared, reported):
    config = compare_config(Config(select=select), SPECS)
    assert (list(config.select), set(config.enabled)) == (compared, reported)


def test_compare_without_live_is_a_usage_error(tmp_path, capsys):
    assert main(["--compare", str(tmp_path)]) == 2
    assert "--compare compares templates with an account: it needs --live" in capsys.readouterr().err


def test_the_printed_policy_of_a_compare_run_reads_the_stacks(capsys):
    """A role made from ``--print-iam-policy`` alone could not read the stacks ``--compare`` needs."""
    import json

    def actions(argv):
        assert main(argv) == 0
        statements = json.loads(capsys.readouterr().out)["Statement"]
        return {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}

    stack_reads = {"cloudformation:ListStacks", "cloudformation:DescribeStacks", "cloudformation:ListStackResources",
                   "cloudformation:GetTemplate"}
    assert stack_reads <= actions(["--print-iam-policy", "--compare", "templates"])
    assert not {a for a in actions(["--print-iam-policy"]) if a.startswith("cloudformation:")}

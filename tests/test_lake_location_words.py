"""LL703 words a bucket it cannot tell, never quoting lakelint's placeholder text (issue 12 item 4).

On the SDLF dataset template, a grant's location is ``!Sub "arn:...:s3:::{{resolve:ssm:/sdlf/storage/
rRawBucket/${pStorageDeploymentInstance}}}/${pS3Prefix}/"`` on one side of an ``Fn::If`` and a bucket
parameter that defaults to '' on the other. The dynamic reference must be read whole (its own
``${...}`` included), and neither side may be quoted as ``s3://${resolve}}/...`` or
``arn:${AWS::Partition}:s3::://``.
"""

from __future__ import annotations

from pathlib import Path

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

ROOT = Path(__file__).resolve().parent.parent
SDLF_DATASET = ROOT / "tests/corpus/real/awslabs__aws-serverless-data-lake-framework__sdlf-dataset__src__dataset.yaml"
PLACEHOLDERS = ("${resolve", "${Fn::", "${...}", "::://", "s3:::/", "s3:///")


def test_a_dynamic_reference_inside_a_sub_is_worded_not_quoted():
    report = lint_templates([str(SDLF_DATASET)], Config(select=["LL703"]), load_checks(plugins=False))
    findings = [(f.resource, f.line, f.condition, f.message) for f in report.findings]
    assert findings, "the grants on SSM-named buckets must stay unverifiable, not pass"
    for _, _, _, message in findings:
        assert not any(p in message for p in PLACEHOLDERS), message
    grants = {(resource, condition) for resource, _, condition, message in findings
              if "comes from a {{resolve:ssm:...}} dynamic reference, resolved at deploy time" in message}
    assert grants == {(f"r{stage}GlueCrawlerS3LakeFormationPermissions", "FetchFromStorageSsm=true")
                      for stage in ("Raw", "Stage", "Analytics")}
    empty = {resource for resource, _, condition, message in findings
             if condition == "FetchFromStorageSsm=false" and "the location names no bucket" in message}
    assert len(empty) == 3 and len(findings) == 6, findings

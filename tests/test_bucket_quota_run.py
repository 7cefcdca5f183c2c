"""LL301 counts the buckets of every template of one run, as one account."""

from __future__ import annotations

from lakelint.core.config import build_config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

SPECS = load_checks(plugins=False)


def write(tmp_path, name, count, start=0):
    lines = ["Resources:"] + [f"  Bucket{i}:\n    Type: AWS::S3::Bucket" for i in range(start, start + count)]
    (tmp_path / name).write_text("\n".join(lines) + "\n")


def run(tmp_path, **config):
    return lint_templates([str(tmp_path)], build_config({"select": ["LL301"], **config}, None), SPECS)


def test_buckets_across_templates_add_up(tmp_path):
    write(tmp_path, "a.yaml", 3)
    write(tmp_path, "b.yaml", 3, start=3)
    (finding,) = run(tmp_path, **{"bucket-quota": 5}).findings
    assert (finding.file.rsplit("/", 1)[-1], finding.resource, finding.line, finding.severity) == ("b.yaml", "Bucket5", 6, "high")
    assert "the run's templates define 6 S3 buckets, over the bucket quota of 5" in finding.message


def test_default_quota_of_the_guidance_warns_at_80_percent(tmp_path):
    for index in range(3):
        write(tmp_path, f"stack{index}.yaml", 20, start=index * 20)
    write(tmp_path, "stack3.yaml", 19, start=60)
    assert run(tmp_path).findings == []  # 79 of 100
    write(tmp_path, "stack4.yaml", 1, start=79)
    (finding,) = run(tmp_path).findings
    assert finding.severity == "medium" and "80 S3 buckets, 80% of the bucket quota of 100" in finding.message
    assert finding.resource == "Bucket79" and finding.file.endswith("stack4.yaml")  # the 80th bucket


def test_auto_uses_the_current_aws_default_on_templates(tmp_path):
    write(tmp_path, "a.yaml", 150)
    assert run(tmp_path, **{"bucket-quota": "auto"}).findings == []
    (finding,) = run(tmp_path).findings
    assert finding.severity == "high" and "(the guidance's default" in finding.message

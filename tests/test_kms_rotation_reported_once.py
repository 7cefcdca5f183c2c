"""One unrotated KMS key of one bucket is one finding (issue 12 item 6): LL120 reports it on the
bucket, where an S3 reviewer reads it; LL731 judges the key for the other data-lake resources that
use it and leaves the bucket to LL120. Live, the same holds: tests/live/test_live_kms_key_checks.py."""

from __future__ import annotations

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.knowledge.keymanager import can_rotate
from lakelint.runs.templates import lint_templates

SPECS = load_checks(plugins=False)

BUCKET_AND_KEY = """\
Resources:
  LakeKey:
    Type: AWS::KMS::Key
  RawBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt LakeKey.Arn
"""

TABLE = """\
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref LakeKey}
"""


def _findings(tmp_path, text):
    path = tmp_path / "lake.yaml"
    path.write_text(text)
    report = lint_templates([str(path)], Config(select=["LL120", "LL731"]), SPECS)
    assert report.errors == []
    return sorted((f.check, f.resource, f.message) for f in report.findings)


def test_a_bucket_and_its_unrotated_key_make_one_finding_on_the_bucket(tmp_path):
    assert _findings(tmp_path, BUCKET_AND_KEY) == [
        ("LL120", "RawBucket", "KMS key LakeKey has rotation off (EnableKeyRotation is not set)")]


def test_the_key_of_a_bucket_and_a_table_is_reported_for_each_by_its_own_check(tmp_path):
    assert _findings(tmp_path, BUCKET_AND_KEY + TABLE) == [
        ("LL120", "RawBucket", "KMS key LakeKey has rotation off (EnableKeyRotation is not set)"),
        ("LL731", "LakeKey", "EnableKeyRotation is not set (off by default) on a key that encrypts Orders")]


def test_only_symmetric_keys_of_aws_kms_material_rotate():
    assert can_rotate("SYMMETRIC_DEFAULT", "AWS_KMS")
    assert can_rotate(None, None)  # absent: the defaults
    assert not can_rotate("RSA_2048", "AWS_KMS")
    assert not can_rotate("HMAC_256", None)
    for origin in ("EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        assert not can_rotate("SYMMETRIC_DEFAULT", origin)

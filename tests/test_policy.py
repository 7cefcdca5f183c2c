"""The one policy model: every way of writing a policy reads the same, and deploy-time values stay
unknown instead of passing. Also the relations the policy checks rely on (a bucket and its policies,
its access-log destination) and the checks' option handling (LL111 trusted-accounts)."""

from __future__ import annotations

import json

import pytest

from lakelint.core.config import build_config
from lakelint.knowledge.policy import OWN_ACCOUNT, Condition, Policy, Principal
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates
from lakelint.sources.cloudformation.loader import parse
from lakelint.sources.cloudformation.template import build_stack
from lakelint.core.values import MISSING, Unresolved

SPECS = load_checks(plugins=False)


def one(document) -> "Statement":  # noqa: F821
    policy = Policy.parse(document)
    assert policy.problem is None, policy.problem
    assert len(policy.statements) == 1
    return policy.statements[0]


# -- normalisation ----------------------------------------------------------------------------------

def test_single_statement_and_list_read_the_same():
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    assert one({"Statement": statement}) == one({"Statement": [statement]})


def test_json_string_reads_like_the_object():
    document = {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["s3:*"], "Resource": "*",
                               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    parsed, from_text = one(document), one(json.dumps(document))
    assert from_text.effect == parsed.effect == "Deny"
    assert from_text.actions == parsed.actions == ["s3:*"]
    assert from_text.conditions == parsed.conditions


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["*"]}])
def test_public_principal_forms(principal):
    assert one({"Statement": {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject"}}).public_principal


@pytest.mark.parametrize("principal, kind, account", [
    ({"AWS": "111122223333"}, "AWS", "111122223333"),
    ({"AWS": "arn:aws:iam::111122223333:root"}, "AWS", "111122223333"),
    ({"AWS": "arn:aws:sts::444455556666:assumed-role/etl/job"}, "AWS", "444455556666"),
    ({"AWS": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/etl"}, "AWS", OWN_ACCOUNT),
    ({"Service": "glue.amazonaws.com"}, "Service", None),
    ({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "CanonicalUser", None),
    ({"Federated": "cognito-identity.amazonaws.com"}, "Federated", None),
])
def test_principal_kinds_and_accounts(principal, kind, account):
    statement = one({"Statement": {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject"}})
    (found,) = statement.principals
    assert found.kind == kind
    assert found.account == account
    assert not found.is_public


def test_same_stack_and_imported_principals_are_the_own_account():
    assert Principal("AWS", Unresolved("${EtlRole.Arn}", "is !GetAtt EtlRole.Arn")).account == OWN_ACCOUNT
    assert Principal("AWS", Unresolved("${Fn::ImportValue}", "is imported")).account == OWN_ACCOUNT
    from_parameter = Principal("AWS", Unresolved("${Reader}", "comes from parameter Reader"))
    assert from_parameter.account is None and from_parameter.unresolved


def test_actions_are_case_insensitive_and_wildcards_match():
    statement = one({"Statement": {"Effect": "Allow", "Principal": "*", "Action": ["S3:Get*", "S3:*"]}})
    assert statement.actions == ["s3:get*", "s3:*"]
    assert statement.allows_action("s3:GetObject") and statement.covers_action("S3:PUTOBJECT")
    assert statement.wildcard_actions("s3") == ["s3:*"]
    assert statement.all_actions_of("s3") and not statement.all_actions_of("dynamodb")


def test_not_action_and_not_principal_are_kept():
    statement = one({"Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
                                   "NotAction": "s3:DeleteBucket", "NotResource": "arn:aws:s3:::x"}})
    assert statement.has_not_principal and statement.has_not_action
    assert statement.allows_action("s3:GetObject") and not statement.allows_action("s3:DeleteBucket")
    assert statement.wildcard_actions() == [] and statement.not_resources == ["arn:aws:s3:::x"]
    assert statement.principals == [] and statement.not_principals[0].account == "111122223333"


# -- conditions -------------------------------------------------------------------------------------

def test_condition_qualifiers_and_string_booleans():
    statement = one({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {
        "BoolIfExists": {"aws:SecureTransport": "false"},
        "ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": ["o-1/r-2/*"]},
        "ForAllValues:StringLike": {"aws:TagKeys": ["team*"]},
    }}})
    by_key = {c.key: c for c in statement.conditions}
    transport = by_key["aws:securetransport"]
    assert (transport.operator, transport.if_exists, transport.set_operator) == ("Bool", True, None)
    assert transport.value_is("false") and Condition("Bool", "k", [False]).value_is("false")
    assert by_key["aws:principalorgpaths"].set_operator == "ForAnyValue"
    assert by_key["aws:tagkeys"].set_operator == "ForAllValues"
    assert statement.conditions_on("AWS:SecureTransport") == [transport]


@pytest.mark.parametrize("block, narrows", [
    ({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, True),
    ({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, True),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::acme-*"}}, True),
    ({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}, True),
    ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, False),
    ({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, False),
    ({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, False),
    ({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, False),
    ({"StringLike": {"aws:SourceAccount": "*"}}, False),
    ({"StringEquals": {"aws:UserAgent": "my-tool"}}, False),
])
def test_narrowing_conditions(block, narrows):
    statement = one({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                   "Condition": block}})
    assert bool(statement.narrowing_conditions) is narrows


def test_unresolved_condition_values_are_reported_not_matched():
    value = Unresolved("${Flag}", "comes from parameter Flag, which has no AllowedValues or Default")
    condition = Condition("Bool", "aws:securetransport", [value])
    assert not condition.value_is("false")
    assert condition.unresolved_values == [value]


# -- documents that cannot be read --------------------------------------------------------------------

def test_unreadable_documents_are_problems_with_reasons():
    assert Policy.parse("{not json").problem.startswith("the policy document is not valid JSON")
    assert Policy.parse(["a list"]).problem == "the policy document is not a JSON object"
    opaque = Unresolved("${Fn::ImportValue}", "is imported from another stack (Fn::ImportValue)")
    policy = Policy.parse(opaque)
    assert policy.problem == "the policy document is imported from another stack (Fn::ImportValue)"
    assert policy.cause is opaque
    assert Policy.parse(None).statements == [] and Policy.parse(None).problem is None


def test_json_built_with_sub_keeps_its_structure_and_marks_unknown_values():
    text = Unresolved('{"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${AWS::AccountId}:root"},'
                      ' "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${Bucket}/*"}}',
                      "is the pseudo parameter AWS::AccountId, known only at deploy time", {"AWS::AccountId"})
    statement = one(text)
    assert statement.principals[0].account == OWN_ACCOUNT
    assert isinstance(statement.resources[0], Unresolved)


# -- relations and options the policy checks rely on --------------------------------------------------

TEMPLATE = """
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "logs-${AWS::AccountId}"}
  RefBucket:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration: !If [IsProd, {DestinationBucketName: !Sub "logs-${AWS::AccountId}"}, !Ref AWS::NoValue]
  NamedBucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: acme-named}
  ArnBucket:
    Type: AWS::S3::Bucket
  ByRef: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Ref RefBucket, PolicyDocument: {}}}
  BySub: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Sub "${RefBucket}", PolicyDocument: {}}}
  ByName: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: acme-named, PolicyDocument: {}}}
  ByArn:
    Type: AWS::S3::BucketPolicy
    Properties: {Bucket: !Select [5, !Split [":", !GetAtt ArnBucket.Arn]], PolicyDocument: {}}
  ByExpression: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Sub "logs-${AWS::AccountId}", PolicyDocument: {}}}
  Point: {Type: AWS::S3::AccessPoint, Properties: {Bucket: !Ref NamedBucket}}
"""


def test_bucket_relations():
    stack = build_stack(parse(TEMPLATE), "t.yaml")
    by_name = {r.name: r for r in stack.resources}

    def names(resource, relation):
        return sorted(r.name for r in by_name[resource].related(relation))

    assert names("RefBucket", "policies") == ["ByRef", "BySub"]
    assert names("NamedBucket", "policies") == ["ByName"]
    assert names("ArnBucket", "policies") == ["ByArn"]
    assert names("LogBucket", "policies") == ["ByExpression"]
    assert names("NamedBucket", "access_points") == ["Point"]
    assert names("ByArn", "target") == ["ArnBucket"]
    assert names("RefBucket", "access_log_destination") == ["LogBucket"]
    assert names("LogBucket", "access_log_sources") == ["RefBucket"]


CROSS_ACCOUNT = """
Resources:
  LakeBucket: {Type: AWS::S3::Bucket}
  LakePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref LakeBucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: ["111122223333", !Sub "arn:aws:iam::${AWS::AccountId}:root"]}
            Action: s3:GetObject
            Resource: "*"
"""


@pytest.mark.parametrize("trusted, lines", [([], [10]), (["111122223333"], [])])
def test_ll111_reads_trusted_accounts(tmp_path, trusted, lines):
    path = tmp_path / "t.yaml"
    path.write_text(CROSS_ACCOUNT)
    config = build_config({"trusted-accounts": trusted, "select": ["LL111"]}, None)
    report = lint_templates([str(path)], config, SPECS)
    assert [(f.check, f.resource, f.line) for f in report.findings] == [("LL111", "LakePolicy", line) for line in lines]


def test_ll121_is_off_until_configured(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n")
    off = lint_templates([str(path)], build_config({"select": ["LL121"]}, None), SPECS)
    on = lint_templates([str(path)], build_config({"select": ["LL121"], "required-tags": ["owner"]}, None), SPECS)
    assert off.findings == []
    assert [(f.check, f.resource, f.line, f.message) for f in on.findings] == [
        ("LL121", "B", 2, "missing required tag owner")]


@pytest.mark.parametrize("resource, covers", [
    ("*", True), ("arn:aws:s3:::lake/*", True), ("arn:aws:s3:::lake", False),
    (Unresolved("${Lake.Arn}", "is !GetAtt Lake.Arn"), False),
    (Unresolved("${Lake.Arn}/*", "is !GetAtt Lake.Arn"), True),
    (Unresolved("${Target}", "comes from parameter Target"), True),
])
def test_statement_covers_objects(resource, covers):
    statement = one({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [resource]}})
    assert statement.covers_objects is covers


def test_statement_with_unknown_effect_may_allow_and_is_reported_unknown():
    effect = Unresolved("${Effect}", "comes from parameter Effect, which has no AllowedValues or Default")
    policy = Policy.parse({"Statement": [{"Effect": effect, "Principal": "*", "Action": "s3:*"},
                                         {"Effect": "Deny", "Principal": "*", "Action": "s3:*"}]})
    (statement,) = policy.may_allow
    assert statement.effect_unknown and not statement.allows and policy.allows == []
    from lakelint.knowledge.policy import allow_verdict

    verdict = allow_verdict(statement, "a statement allows Action s3:*")
    assert verdict.kind == "unknown" and verdict.cause is effect
    assert verdict.message == ("cannot verify the Effect of a statement: it comes from parameter Effect, which has "
                               "no AllowedValues or Default")


# -- who a principal is when part of it is known only at deploy time (issue 12 item 6) ---------------

PRINCIPALS = """
Parameters:
  Publisher: {Type: String}
  Accounts: {Type: CommaDelimitedList}
Resources:
  Identity:
    Type: AWS::CloudFront::CloudFrontOriginAccessIdentity
    Properties: {CloudFrontOriginAccessIdentityConfig: {Comment: site}}
  Role: {Type: AWS::IAM::Role}
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      Tags:
        - Value: !Sub "arn:${AWS::Partition}:iam::${Publisher}:root"
        - Value: !Split [",", !Sub ["arn:${AWS::Partition}:iam::${inner}:root", {inner: !Join [":root,arn:aws:iam::", !Ref Accounts]}]]
        - Value: !Ref Publisher
        - Value: !Sub "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${Identity}"
        - Value: !Sub "arn:${AWS::Partition}:iam::cloudfront:user/CloudFront Origin Access Identity ${Identity.Id}"
        - Value: !Sub "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${Role}"
        - Value: !Sub "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${Publisher}"
"""


def _principals():
    stack = build_stack(parse(PRINCIPALS), "t.yaml")
    bucket = next(r for r in stack.resources if r.name == "Lake")
    (tags,) = [b.value for b in bucket.branches("Tags")]
    return stack, [Principal("AWS", tag["Value"]) for tag in tags]


def test_the_account_of_an_arn_comes_from_its_account_field_not_its_partition():
    _, (sub, split, ref, *_) = _principals()
    assert sub.account is None and sub.account_source.reason.startswith("comes from parameter Publisher")
    assert split.account_source.reason.startswith("comes from parameter Accounts")
    assert ref.account_source is ref.value


def test_a_principal_is_quoted_only_when_some_of_its_text_is_known():
    _, (sub, split, ref, *_) = _principals()
    assert sub.named == "principal arn:${AWS::Partition}:iam::${Publisher}:root"
    assert split.named == ref.named == "a principal"


def test_an_origin_access_identity_the_template_creates_is_its_own():
    stack, (*_, by_ref, by_id, not_an_identity, from_parameter) = _principals()
    assert by_ref.origin_access_identity == "${Identity}"
    assert by_ref.created_in(stack) and by_id.created_in(stack)
    assert not not_an_identity.created_in(stack) and not from_parameter.created_in(stack)
    assert not by_ref.created_in(None)


def test_statement_labels_quote_the_sid():
    assert one({"Statement": {"Sid": "Open", "Effect": "Allow"}}).label == "statement Open"
    assert one({"Statement": {"Effect": "Allow"}}).label == "a statement"


def test_read_policy_reports_a_document_that_is_not_json_once(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
                    "      Bucket: lake\n      PolicyDocument: '{not json'\n")
    report = lint_templates([str(path)], build_config({"select": ["LL108", "LL109"]}, None), SPECS)
    assert sorted((f.check, f.verdict, f.message.split(" (")[0]) for f in report.findings) == [
        ("LL108", "unverifiable", "cannot verify the bucket policy: it is not valid JSON"),
        ("LL109", "unverifiable", "cannot verify the bucket policy: it is not valid JSON")]
    assert Policy.parse(MISSING).absent and not Policy.parse({"Statement": []}).absent

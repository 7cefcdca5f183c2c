"""A property's expansion is computed once per resource and shared by the checks that read it (issue
18 item 2), while each reader still gets Branch records of its own."""

from __future__ import annotations

from lakelint.core.model import Resource
from lakelint.sources.cloudformation.loader import parse
from lakelint.sources.cloudformation.template import build_stack

TEMPLATE = """
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: !If [IsProd, {ServerSideEncryptionConfiguration: []}, !Ref AWS::NoValue]
"""


def _bucket() -> Resource:
    stack = build_stack(parse(TEMPLATE), "t.yaml")
    return next(r for r in stack.resources if r.name == "B")


def test_each_property_is_expanded_once_per_resource():
    bucket = _bucket()
    calls = []
    expand = bucket.expand
    bucket.expand = lambda props, path=(), **kw: calls.append((path, kw)) or expand(props, path, **kw)
    first = bucket.branches("BucketEncryption")
    second = bucket.branches("BucketEncryption")
    bucket.raw_branches("BucketEncryption")
    bucket.raw_branches("BucketEncryption")
    assert calls == [(("BucketEncryption",), {}), (("BucketEncryption",), {"keep_parameters": True})]
    assert len(first) == 2 and [b.value for b in first] == [b.value for b in second]
    assert all(a is not b for a, b in zip(first, second))  # a reader may move its branch's position


def test_a_reader_moving_a_branch_does_not_move_anothers():
    bucket = _bucket()
    first = bucket.branches("BucketEncryption")
    where = [b.pos for b in first]
    first[0].pos = (99, 1)
    assert [b.pos for b in bucket.branches("BucketEncryption")] == where

"""The reading API's additions for checks that judge one resource from another (lakelint/core/reading.py).

- ``known(..., resource=)``: a stack check's unknown verdict is about the resource it names, not the
  stack (LL204 on a VPC, LL703 on a Glue table);
- ``here()``: where the value of the innermost read loop is written, since a verdict without ``at``
  inside nested loops is placed at the outermost loop's value.
"""

from __future__ import annotations

from pathlib import Path

from lakelint.core import reading
from lakelint.core.check import fail
from lakelint.sources.cloudformation.source import load_stack

TEMPLATE = """\
Parameters:
  Rules: {Type: CommaDelimitedList}
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: com.amazonaws.eu-west-1.s3
      VpcId: vpc-0abc
      RouteTableIds: !Ref Rules
      PolicyDocument:
        Statement: []
"""


def _resources(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(TEMPLATE)
    stack = load_stack(str(path), Path(path))[0]
    return {r.name: r for r in stack.resources}


def test_known_reports_the_unknown_on_the_resource_it_names(tmp_path):
    endpoint = _resources(tmp_path)["Endpoint"]
    other = object()
    session = reading.session()
    try:
        for ids in reading.read(endpoint, "RouteTableIds", presence=True):
            assert reading.known(ids, "the route tables", resource=other) is None
        pending = session.finish()
    finally:
        session.finish()
    assert [(v.kind, v.resource) for v in pending] == [("unknown", other)]
    assert pending[0].message.startswith("cannot verify the route tables: it comes from parameter Rules")


def test_here_is_the_innermost_value_being_read(tmp_path):
    endpoint = _resources(tmp_path)["Endpoint"]
    session = reading.session()
    try:
        assert reading.here() is None
        for _ in reading.read(endpoint, "ServiceName"):
            for _ in reading.read(endpoint, "PolicyDocument"):
                inner, outer = reading.here(), fail("x")
    finally:
        session.finish()
    assert inner == (11, 9)  # the policy document, not the service name of the outer loop
    assert outer.pos == (7, 20)  # a verdict without at= is placed at the outermost loop's value

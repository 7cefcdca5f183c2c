"""The branch evaluator: Fn::If per branch, parameters, Sub/Join/FindInMap, consistency and the cap.

Labels are the short form the engine puts in a finding's ``condition``: a condition's name where one
of the template's conditions says exactly where a branch holds, else the parameters that decide it;
a parameter with one possible value (its Default) decides nothing and is never named."""

from __future__ import annotations

from lakelint.sources.cloudformation import intrinsics
from lakelint.sources.cloudformation.loader import parse
from lakelint.sources.cloudformation.template import build_stack
from lakelint.core.values import MISSING, Unresolved

HEADER = """
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
  Alg: {Type: String, Default: "aws:kms"}
  Free: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "a,b"}
Mappings:
  Regions:
    us-east-1: {Tier: gold}
    eu-west-1: {Tier: gold}
  Mixed:
    us-east-1: {Tier: gold}
    eu-west-1: {Tier: silver}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Big: !Equals [!Ref Env, prod]
Resources:
  Thing:
    Type: AWS::S3::Bucket
    Properties:
"""


def resource(props: str):
    text = HEADER + "\n".join("      " + line for line in props.strip("\n").splitlines()) + "\n"
    stack = build_stack(parse(text), "t.yaml")
    return stack.resources[0]


def outcomes(res, *path):
    return [(b.value, b.label) for b in res.branches(*path)]


def test_if_gives_both_branches_with_labels_and_positions():
    res = resource("A: !If [IsProd, 1, 2]")
    branches = res.branches("A")
    assert [(b.value, b.label) for b in branches] == [(1, "IsProd=true"), (2, "IsProd=false")]
    assert branches[1].pos == (21, 26)  # the "2" of the false branch


def test_nested_if_on_the_same_condition_stays_consistent():
    res = resource("A:\n  X: !If [IsProd, up, down]\n  Y: !If [IsProd, up, down]")
    values = [(dict(b.value), b.label) for b in res.branches("A")]
    assert values == [({"X": "up", "Y": "up"}, "IsProd=true"), ({"X": "down", "Y": "down"}, "IsProd=false")]


def test_novalue_removes_keys_and_list_items():
    res = resource("A:\n  X: !If [IsProd, 1, !Ref AWS::NoValue]\n  L: [!If [IsProd, a, !Ref AWS::NoValue], b]")
    branches = res.branches("A")
    assert dict(branches[0].value) == {"X": 1, "L": ["a", "b"]}
    assert dict(branches[1].value) == {"L": ["b"]}
    assert outcomes(res, "A", "X")[1] == (MISSING, "IsProd=false")


def test_parameters_allowed_values_default_and_unknown():
    res = resource("A: !Ref Env\nB: !Ref Alg\nC: !Ref Free\nD: !Ref Subnets")
    assert outcomes(res, "A") == [("dev", "Env=dev"), ("prod", "Env=prod")]
    assert outcomes(res, "B") == [("aws:kms", None)]  # one possible value: it decides nothing
    (value, label), = outcomes(res, "C")
    assert isinstance(value, Unresolved) and "no AllowedValues or Default" in value.reason and label is None
    assert outcomes(res, "D")[0][0] == ["a", "b"]


def test_parameter_and_condition_assumptions_do_not_mix_up():
    res = resource("A: !Sub '${Env}-${Env}'")
    assert outcomes(res, "A") == [("dev-dev", "Env=dev"), ("prod-prod", "Env=prod")]


def test_sub_join_keep_unresolved_parts_as_text():
    res = resource("A: !Sub com.amazonaws.${AWS::Region}.s3\n"
                   "B: !Join ['', ['arn:aws:s3:::', !Ref Thing, /*]]\n"
                   "C: !Sub ['${X}-${Alg}', {X: !GetAtt Thing.Arn}]\n"
                   "D: !Sub 'literal ${!NotAVar}'")
    a = res.branches("A")[0].value
    assert a == "com.amazonaws.${AWS::Region}.s3" and isinstance(a, Unresolved)
    b = res.branches("B")[0].value
    assert b == "arn:aws:s3:::${Thing}/*" and "Thing" in b.refs
    c = res.branches("C")[0].value
    assert c == "${Thing.Arn}-aws:kms"
    assert res.branches("D")[0].value == "literal ${NotAVar}"


def test_find_in_map_resolves_when_every_candidate_agrees():
    res = resource("A: !FindInMap [Regions, !Ref AWS::Region, Tier]\nB: !FindInMap [Mixed, !Ref AWS::Region, Tier]")
    assert outcomes(res, "A") == [("gold", None)]
    assert isinstance(res.branches("B")[0].value, Unresolved)


def test_if_at_the_top_of_a_path_is_followed():
    res = resource("A: !If [IsProd, {X: 1}, {X: 2}]")
    assert outcomes(res, "A", "X") == [(1, "IsProd=true"), (2, "IsProd=false")]


def test_conditions_follow_their_definitions_so_combinations_that_cannot_exist_are_not_branches():
    # Big and IsProd have the same definition: they are never true and false at once, and X follows
    # Env, so three properties that all read Env give two branches, not eight.
    res = resource("A:\n  X: !Ref Env\n  Y: !If [Big, 1, 2]\n  Z: !If [IsProd, 1, 2]")
    assert [(dict(b.value), b.label) for b in res.branches("A")] == [
        ({"X": "dev", "Y": 2, "Z": 2}, "Big=false"), ({"X": "prod", "Y": 1, "Z": 1}, "Big=true")]


def test_branch_cap(monkeypatch):
    monkeypatch.setattr(intrinsics, "MAX_BRANCHES", 4)
    res = resource("A:\n" + "\n".join(f"  K{i}: !If [C{i}, 1, 2]" for i in range(4)))
    branches = res.branches("A")  # four conditions the template does not define: sixteen outcomes
    assert len(branches) == 4 and all(b.capped for b in branches)


def test_stepping_through_an_unresolvable_intrinsic_is_unknown_not_missing():
    res = resource("A: !ImportValue shared-settings\nB: !GetAtt Thing.Config")
    (value, _), = outcomes(res, "A", "X")
    assert isinstance(value, Unresolved) and "imported from another stack" in value.reason
    assert isinstance(outcomes(res, "B", "X")[0][0], Unresolved)


def test_a_default_parameter_used_twice_keeps_its_value():
    res = resource("A:\n  X: !Ref Alg\n  Y: !Ref Alg")
    (value, label), = outcomes(res, "A")
    assert dict(value) == {"X": "aws:kms", "Y": "aws:kms"} and label is None

"""LL116's reading of AllowedPattern (checks/s3/_patterns.py, checks/s3/_bucket_names.py).

The automaton built from a pattern must allow every text Python's ``re`` fully matches (it may allow
more, never less: a proof over it holds for every value CloudFormation accepts), and the rules S3
rejects are found wherever some allowed value breaks them.
"""

from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lakelint.core.registry import load_checks

load_checks(plugins=False)  # the checks' package (lakelint.checks), in a source tree or installed
names = importlib.import_module("lakelint.checks.s3._bucket_names")
patterns = importlib.import_module("lakelint.checks.s3._patterns")

PATTERNS = [
    r"^[a-z0-9-]{3,40}$", r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$", r"[a-z0-9]{2,10}", r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
    r"aws(-cn|-us-gov)?", r"\d{12}", r"[^A-Z_]+", r"(dev|test|prod)-[a-z]+", r"[a-z]+(\.[a-z]+){0,2}", r"a.c",
    r"x?y*z+", r"[\w-]{1,5}", r"(?:ab|cd)*",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_automaton_allows_every_text_the_pattern_matches(pattern, data):
    # classes as Java reads them (CloudFormation's engine): \d is 0-9, \w is ASCII, hence re.ASCII
    text = data.draw(st.from_regex(re.compile(pattern, re.ASCII), fullmatch=True).filter(lambda t: "\n" not in t))
    assert patterns.language(pattern).accepts(text)


@pytest.mark.parametrize("pattern, text", [(r"[a-z]{3}", "abcd"), (r"[a-z]{3}", "ABC"), (r"\d{12}", "12345"),
                                           (r"^[a-z0-9-]{3,40}$", "a" * 41), (r"aws(-cn)?", "aws-us")])
def test_the_automaton_refuses_text_outside_the_pattern(pattern, text):
    assert not patterns.language(pattern).accepts(text)


@pytest.mark.parametrize("pattern", [r"(?i)abc", r"^(?=a)b", r"(a)\1", r"\bword\b", "[a-z"])
def test_what_it_cannot_read_is_unreadable_never_a_language(pattern):
    with pytest.raises(patterns.Unreadable):
        patterns.language(pattern)


@pytest.mark.parametrize("pattern, shortest, longest", [
    (r"^[a-z0-9-]{3,40}$", 3, 40), (r"[a-z]+", 1, None), (r"aws(-cn|-us-gov)?", 3, 10), (r"(ab){2}c?", 4, 5),
])
def test_lengths(pattern, shortest, longest):
    assert patterns.language(pattern).lengths() == (shortest, longest)


@pytest.mark.parametrize("pieces, doubt", [
    ([names.Constrained(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")], None),
    (["acme-", names.Constrained(r"^[a-z0-9-]{3,40}$"), "-lake"], None),
    ([names.Constrained(r"[a-z]+", 2, 12), "-raw-", names.pseudo_shape("${AWS::AccountId}")], None),
    ([names.Constrained(r"^[a-z0-9-]{3,40}$")], "begin with a character other than a letter or digit"),
    (["acme-", names.Constrained(r"[a-z0-9-]+")], "end with a character other than a letter or digit"),
    (["acme-", names.Constrained(r"[A-Za-z]+")], "contain characters other than lowercase letters"),
    (["a", names.Constrained(r"[a-z.]{1,5}"), "b"], "contain two adjacent periods"),
    ([names.Constrained(r"[0-9.]{7,15}")], "begin with a character other than a letter or digit"),
    ([names.Constrained(r"[0-9]{1,3}(\.[0-9]{1,3}){3}")], "be formatted as an IP address"),
    (["acme-", names.Constrained(r"[a-z]+")], "be longer than 63 characters"),
    (["acme-", names.Constrained(r"[a-z]+", max_length=20)], None),
    ([names.Constrained(r"[a-z]{1,2}")], "be shorter than 3 characters"),
    ([names.Constrained(None, 3, 10)], "contain characters other than lowercase letters"),
])
def test_doubts_name_the_first_rule_some_value_may_break(pieces, doubt):
    found = names.doubts(pieces)
    if doubt is None:
        assert found == []
    else:
        assert found and found[0].startswith(doubt), found


def test_problems_of_a_known_name_read_characters_as_sets():
    assert names.problems("Raw_Data_Lake")[0] == ("contains 'D', 'L', 'R', '_' (only lowercase letters, digits, "
                                                 "'.' and '-')")
    assert names.problems("acme-raw-111122223333") == []
    assert names.problems("192.168.5.4") == ["is formatted as an IP address"]

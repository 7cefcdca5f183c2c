"""Decide from a file's text whether it is meant to be CloudFormation, before judging its syntax.

A repository holds much YAML that is not CloudFormation and that PyYAML cannot read: GitLab CI's
``!reference``, Helm templates with ``{{ }}``, multi-document Kubernetes manifests, Ansible's ``!vault``,
mkdocs' ``!!python/name:``. Parsing such a file first and asking afterwards would turn its syntax into an
error that blocks the gate. So the question is asked of the text, with a few regular expressions (no
YAML parse, so it costs microseconds): a file is a candidate template when it shows one of the signs
CloudFormation itself requires or defines:

- a top-level ``AWSTemplateFormatVersion`` key;
- a top-level ``Transform`` whose value names an ``AWS::`` macro (SAM's ``AWS::Serverless-2016-10-31``,
  ``AWS::LanguageExtensions``);
- a top-level ``Resources`` key: the one section every template must have. No other common format
  spells it so at the top level (Kubernetes, Helm, Heat and Serverless write ``resources``), and a
  ``Resources:`` whose entries are broken is exactly the template whose error must not be skipped.
  (CodeDeploy's ``appspec.yml`` has one too; it parses, and its list of resources is then not a
  template, so it is skipped after parsing.)

Only candidates are parsed; a candidate that cannot be parsed is an error with its line and column, and
one that parses is still judged by its structure (``template.is_cloudformation``). Everything else is
skipped without a word, whatever tags, templating or documents it holds.

"Top-level" is read from indentation: the column of the file's first key. That is what tells a
template from a Serverless Framework ``serverless.yml``, whose top-level ``resources:`` block holds a
nested ``Resources:`` mapping with ``Type: AWS::...`` entries. That block is a fragment, not a template: the
framework merges it into the template it generates, after resolving ``${self:...}``/``${opt:...}``
variables only it knows, so judging it alone would report on values that are not the deployed ones.
Lint the template the framework writes instead (``serverless package``, then
``lakelint .serverless/cloudformation-template-update-stack.json``).

JSON is flow YAML without line structure, so for text that starts with ``{`` the keys are looked for
anywhere (``"AWSTemplateFormatVersion"``, or ``"Resources"`` together with ``"Type": "AWS::...``);
a JSON file that parses is then judged by its structure, so nested look-alikes are still skipped.
"""

from __future__ import annotations

import re

_QUOTE = "[\"']?"
# The first line that holds content: not blank, not a comment, not a directive or document marker.
_FIRST_CONTENT = re.compile(r"^(?![ \t\r]*(?:#|%|---|\.\.\.|$))([ \t]*)\S", re.M)
_TYPE = re.compile(rf"{_QUOTE}Type{_QUOTE}[ \t]*:[ \t]*{_QUOTE}(?:AWS|Custom)::")
# in flow style (JSON), keys may stand anywhere and values may follow on the next line
_FLOW_VERSION = re.compile(rf"{_QUOTE}AWSTemplateFormatVersion{_QUOTE}\s*:")
_FLOW_RESOURCES = re.compile(rf"{_QUOTE}Resources{_QUOTE}\s*:")
_FLOW_TRANSFORM = re.compile(rf"{_QUOTE}Transform{_QUOTE}\s*:\s*\[?\s*{_QUOTE}AWS::")
# a Transform's value: on the same line (``AWS::X`` or ``[AWS::X, ...]``), or a block list below it
_TRANSFORM_VALUE = (r"(?:[ \t]*\[?[ \t]*"
                    r"|[ \t]*(?:#[^\n]*)?\n(?:[ \t\r]*(?:#[^\n]*)?\n)*[ \t]+-[ \t]+)"
                    rf"{_QUOTE}AWS::")


def _top_level(indent: str, key: str, tail: str = "") -> re.Pattern:
    return re.compile(rf"^{indent}{_QUOTE}{key}{_QUOTE}[ \t]*:{tail}", re.M)


def looks_like_cloudformation(text: str) -> bool:
    """True when ``text`` shows a sign of being a CloudFormation template (see the module docstring).

    False means "not CloudFormation: skip it silently"; True means "parse it, and report it if it
    cannot be parsed". Every sign needs ``AWS`` or ``Resources`` in the text, which rules out most
    files before any regular expression runs.
    """
    if "Resources" not in text and "AWS" not in text:
        return False
    first = _FIRST_CONTENT.search(text)
    if first is None:
        return False
    opening = text[first.end() - 1]
    if opening == "[":  # a list: a template is a mapping
        return False
    if opening == "{":  # JSON, or YAML in flow style
        if _FLOW_VERSION.search(text) or _FLOW_TRANSFORM.search(text):
            return True
        return bool(_FLOW_RESOURCES.search(text) and _TYPE.search(text))
    indent = re.escape(first.group(1))
    if _top_level(indent, "AWSTemplateFormatVersion").search(text):
        return True
    if _top_level(indent, "Transform", _TRANSFORM_VALUE).search(text):
        return True
    return bool(_top_level(indent, "Resources").search(text))

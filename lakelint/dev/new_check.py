"""``python -m lakelint.dev new-check AREA NAME``: start a check, as ruff's ``add_rule.py`` does.

It writes exactly the files a check is made of, and nothing else:

- ``checks/<area>/<name>.py``: the module, with every documentation section the registry requires
  (What it does, Why it matters, Example, Fix, References), the ``@check`` declaration (the next free
  code of the area's range, ``preview=True``: every new check starts as a preview check), its ``reads``
  and a rule written with the reading idiom (lakelint/core/reading.py) for the author to replace;
- ``fixtures/<CODE>/template/``: one template that must pass and one that must fail, and
  ``fixtures/<CODE>/expected.yaml`` naming the failing one's finding;
- ``fixtures/<CODE>/live.py`` for a check that runs on live accounts: three passing and three failing
  scenario stubs and their ``EXPECTED`` entries, which fail the live fixture test until written.

The stubs are deliberately not a working check: the tests of a new check fail until its author has
written the rule, the fixtures and the documentation (docs/contributing.md walks through it).
Nothing is overwritten: an existing file or a code in use is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lakelint.dev.errors import GenerateError

# The areas and the hundreds of their codes (DESIGN section 3).
AREAS = {"hygiene": 0, "s3": 1, "network": 2, "account": 3, "storage": 4, "databases": 5, "analytics": 6,
         "governance": 7, "drift": 8}
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE = re.compile(r"^LL(\d)\d\d$")
RESOURCE_TYPE = re.compile(r"^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$")


@dataclass
class Plan:
    area: str
    name: str
    code: str
    resource_type: str
    severity: str
    title: str
    live: bool
    prop: str

    @property
    def module(self) -> str:
        return self.name.replace("-", "_")


def plan(root: Path, area: str, name: str, *, code: str | None = None, resource_type: str = "AWS::S3::Bucket",
         severity: str = "medium", title: str | None = None, live: bool = True, prop: str = "Tags") -> Plan:
    """What ``new-check`` would write, checked against the tree: raises ``GenerateError`` on bad input."""
    if area not in AREAS:
        raise GenerateError(f"unknown area {area!r}: one of {', '.join(AREAS)}")
    if not NAME.match(name):
        raise GenerateError(f"check name {name!r} must be kebab-case (lowercase words joined by '-')")
    if severity not in ("low", "medium", "high"):
        raise GenerateError(f"severity {severity!r} must be low, medium or high")
    if not RESOURCE_TYPE.match(resource_type):
        raise GenerateError(f"resource type {resource_type!r} must look like AWS::Service::Resource")
    used = used_codes(root)
    if code is None:
        code = next_code(area, used)
    match = CODE.match(code)
    if not match or int(match.group(1)) != AREAS[area]:
        raise GenerateError(f"code {code} is not in the range of area {area} (LL{AREAS[area]}xx)")
    if code in used:
        raise GenerateError(f"code {code} is already used by {used[code]}")
    result = Plan(area, name, code, resource_type, severity, title or f"TODO: one line saying what {name} flags",
                  live, prop)
    for path in files(root, result):
        if path.exists():
            raise GenerateError(f"{path.relative_to(root)} exists already: nothing was written")
    return result


def used_codes(root: Path) -> dict:
    """{code: the module that declares it} for every check in the tree (read as text: a half-written
    check that does not load yet still holds its code)."""
    found = {}
    for path in sorted((root / "checks").rglob("*.py")):
        for code in re.findall(r'code="(LL\d{3})"', path.read_text(encoding="utf-8")):
            found.setdefault(code, path.relative_to(root).as_posix())
    return found


def next_code(area: str, used: dict) -> str:
    hundred = AREAS[area]
    taken = [int(code[3:]) for code in used if int(code[2]) == hundred]
    number = max(taken, default=0) + 1
    if number > 99:
        raise GenerateError(f"area {area} has no free code left (LL{hundred}01-LL{hundred}99)")
    return f"LL{hundred}{number:02d}"


def files(root: Path, plan: Plan) -> list:
    folder = root / "fixtures" / plan.code
    paths = [root / "checks" / plan.area / f"{plan.module}.py", folder / "expected.yaml",
             folder / "template" / "pass_set.yaml", folder / "template" / "fail_unset.yaml"]
    if plan.live:
        paths.append(folder / "live.py")
    return paths


def write(root: Path, plan: Plan) -> list:
    """Write the files; returns their paths relative to ``root``."""
    texts = {
        files(root, plan)[0]: _module(plan),
        files(root, plan)[1]: _expected(plan),
        files(root, plan)[2]: _template(plan, passing=True),
        files(root, plan)[3]: _template(plan, passing=False),
    }
    if plan.live:
        texts[files(root, plan)[4]] = _live(plan)
    written = []
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path.relative_to(root).as_posix())
    return written


def _module(plan: Plan) -> str:
    sources = '["template", "live"]' if plan.live else '["template"]'
    resource = plan.resource_type.rsplit("::", 1)[1]
    return f'''"""TODO: the summary line (what the check flags, one sentence; it is the check's title in docs).

## What it does
TODO: which resources ({plan.resource_type}) and which property the check reads, what fails, and how
each `Fn::If` branch, parameter and unknown value is judged. Say what AWS does when the property is
absent ("**When the property is absent:** ...").

## Why it matters
TODO: the risk, in the data-lake terms a reviewer understands.

## Example
```yaml
My{resource}:
  Type: {plan.resource_type}
  Properties: {{}}        # {plan.code}
```

## Fix
```yaml
My{resource}:
  Type: {plan.resource_type}
  Properties:
    {plan.prop}: TODO
```
With the AWS CLI:
```sh
TODO: the command that fixes it on an existing resource
```

## References
- TODO: https://docs.aws.amazon.com/...
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING


@check(code="{plan.code}", name="{plan.name}", severity="{plan.severity}",
       title="{plan.title}",
       resource_types=["{plan.resource_type}"], sources={sources}, preview=True,
       reads={{"{plan.resource_type}": ["{plan.prop}"]}})
def {plan.module}(resource, ctx):
    # One value per branch; an unknown value is reported as "cannot verify" for you.
    for value in read(resource, "{plan.prop}", what="{plan.prop}"):
        if value is MISSING:  # TODO: the rule; fail(...) holds in the branch being read
            yield fail("{plan.prop} is not set", key="{plan.prop}")
'''


def _template(plan: Plan, passing: bool) -> str:
    resource = plan.resource_type.rsplit("::", 1)[1]
    body = f"    Properties:\n      {plan.prop}: TODO  # a value that passes {plan.code}\n" if passing else \
        "    Properties: {}\n"
    what = "passes" if passing else "fails"
    return (f"AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: TODO: why this template {what} {plan.code}.\n"
            f"Resources:\n  My{resource}:\n    Type: {plan.resource_type}\n{body}")


def _expected(plan: Plan) -> str:
    resource = plan.resource_type.rsplit("::", 1)[1]
    return (f"# The findings {plan.code} must give on each failing template: resource, line (and, optionally,\n"
            f"# condition and a part of the message). Passing templates (pass_*) must give none.\n"
            f"template:\n  fail_unset.yaml:\n    - {{resource: My{resource}, line: 4, message: \"{plan.prop} is not set\"}}\n")


def _live(plan: Plan) -> str:
    stubs = []
    for kind in ("pass", "fail"):
        for number in (1, 2, 3):
            stubs.append(f"def {kind}_todo_{number}(aws):\n"
                         f"    \"\"\"TODO: build an account that {'passes' if kind == 'pass' else 'fails'} "
                         f"{plan.code} with real boto3 calls (aws.client(...)).\"\"\"\n"
                         f"    raise NotImplementedError(\"write this scenario\")\n")
    expected = "\n".join(f'    "fail_todo_{n}": [("{plan.code}", "TODO: the resource name")],' for n in (1, 2, 3))
    return (f'"""Live scenarios for {plan.code} {plan.name} (format: tests/live/test_live_fixtures.py).\n\n'
            f'Each scenario builds an account with real boto3 calls under moto; where moto does not serve an API,\n'
            f'answer it with aws.answer(service, operation, response) and say so here."""\n\n\n'
            + "\n\n".join(stubs) + f"\n\nEXPECTED = {{\n{expected}\n}}\n")

"""``python -m lakelint.dev``: the developer commands (see the package docstring).

Exit codes follow lakelint's own: 0 everything current (or brought up to date), 1 ``--check`` found
stale files, 2 the command could not run (not a checkout, an unknown artifact, a malformed README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lakelint.dev import generate, new_check
from lakelint.dev.errors import GenerateError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lakelint.dev",
                                     description="Developer tools for a lakelint source checkout.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    gen = commands.add_parser("generate", help="regenerate every generated file (or check that they are current)",
                              description="Regenerate the files nobody edits by hand: "
                                          + ", ".join(f"{name} ({_paths(module)})"
                                                      for name, module in generate.ARTIFACTS.items()) + ".")
    gen.add_argument("artifacts", nargs="*", metavar="ARTIFACT",
                     help=f"only these ({', '.join(generate.ARTIFACTS)}; default: all)")
    gen.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 and name each stale file with the command that fixes it")
    new = commands.add_parser("new-check", help="start a check: its module, fixtures and live scenario stubs",
                              description="Write a new check's module in its area folder (a preview check, with "
                                          "every documentation section to fill), its passing and failing "
                                          "template fixtures and, unless --template-only, its live scenario "
                                          "stubs. docs/contributing.md walks through the rest.")
    new.add_argument("area", help=f"the check's area folder ({', '.join(new_check.AREAS)})")
    new.add_argument("name", help="the check's kebab-case name (s3-object-lock-regulated)")
    new.add_argument("--code", help="its code (default: the next free one of the area's range)")
    new.add_argument("--resource-type", default="AWS::S3::Bucket", help="the type it judges (default: %(default)s)")
    new.add_argument("--property", default="Tags", help="the property its stub reads (default: %(default)s)")
    new.add_argument("--severity", default="medium", choices=("low", "medium", "high"))
    new.add_argument("--title", help="its one-line title")
    new.add_argument("--template-only", action="store_true", help="a check of templates only (no live scenarios)")
    return parser


def _new_check(args, root: Path | None) -> int:
    try:
        root = root or generate.checkout_root()
        plan = new_check.plan(root, args.area, args.name, code=args.code, resource_type=args.resource_type,
                              severity=args.severity, title=args.title, live=not args.template_only,
                              prop=args.property)
    except GenerateError as exc:
        print(f"lakelint.dev: error: {exc}", file=sys.stderr)
        return 2
    for path in new_check.write(root, plan):
        print(f"wrote {path}")
    print(f"next: write the rule and the documentation in checks/{plan.area}/{plan.module}.py, the fixtures in "
          f"fixtures/{plan.code}/, then run `python -m pytest tests -k {plan.code}` and "
          f"`python -m lakelint.dev generate` (docs/contributing.md)")
    return 0


def _paths(module) -> str:
    return getattr(module, "PATH", None) or f"{module.SNAPSHOTS}/"


def main(argv=None, root: Path | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "new-check":
        return _new_check(args, root)
    try:
        root = root or generate.checkout_root()
        artifacts = generate.select(args.artifacts)
        stale = generate.stale_files(root, artifacts)
    except GenerateError as exc:
        print(f"lakelint.dev: error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if stale:
            sys.stderr.write(generate.report(stale))
            return 1
        print(f"generated files are current ({', '.join(m.NAME for m in artifacts)})")
        return 0
    generate.apply(root, stale)
    for entry in stale:
        print(f"{'removed' if entry.text is None else 'wrote'} {entry.path} ({entry.state})")
    if not stale:
        print("generated files are current: nothing to write")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

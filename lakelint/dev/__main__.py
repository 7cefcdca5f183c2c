"""``python -m lakelint.dev``: the developer commands (see the package docstring).

Exit codes follow lakelint's own: 0 everything current (or brought up to date), 1 ``--check`` found
stale files, 2 the command could not run (not a checkout, an unknown artifact, a malformed README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lakelint.dev import generate
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
    return parser


def _paths(module) -> str:
    return getattr(module, "PATH", None) or f"{module.SNAPSHOTS}/"


def main(argv=None, root: Path | None = None) -> int:
    args = build_parser().parse_args(argv)
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

"""The ``lakelint`` command line (DESIGN section 4).

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 the run was incomplete or misused
(unparseable input, could-not-evaluate, bad arguments). 2 wins over 1. Imports stay lean: template
mode never loads boto3 or cfn-lint.
"""

from __future__ import annotations

import argparse
import os
import sys

from lakelint import __version__
from lakelint.core.exits import EXIT_INCOMPLETE, EXIT_OK, exit_code



class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code is 2 too; keep the message ruff-like
        self.print_usage(sys.stderr)
        print(f"lakelint: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INCOMPLETE)


def _csv(value: str) -> list:
    return [v.strip() for v in value.split(",") if v.strip()]


def _jobs(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of processes (0: automatic), got {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    from lakelint.reporters import FORMATS

    parser = _Parser(
        prog="lakelint",
        description="Policy checks for AWS data-lake configurations: CloudFormation templates and live accounts.",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 incomplete run or bad usage.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="template files or directories to lint (default: .)")
    parser.add_argument("-f", "--format", choices=FORMATS, default=None, help="output format (default: text)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--select", type=_csv, metavar="CODE,...", help="run only these checks (codes, prefixes or names)")
    parser.add_argument("--ignore", type=_csv, metavar="CODE,...", help="do not run these checks")
    parser.add_argument("--fail-on", choices=("high", "medium", "low", "never"),
                        help="lowest severity that makes the exit code 1 (default: low)")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: .lakelint.yaml or pyproject.toml)")
    parser.add_argument("--checks-dir", action="append", default=[], metavar="DIR",
                        help="also load check modules from DIR (repeatable)")
    parser.add_argument("--list-checks", action="store_true", help="list the available checks and exit")
    parser.add_argument("--explain", metavar="CODE", help="show a check's documentation and exit")
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="processes for large template runs (default: one per CPU from 64 files; 1: one process)")
    adopt = parser.add_argument_group("adoption")
    adopt.add_argument("--cfn-lint", action="store_true", default=None,
                       help="also run cfn-lint's validation on the templates and merge its findings (needs cfn-lint)")
    adopt.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in the baseline FILE")
    adopt.add_argument("--write-baseline", metavar="FILE",
                       help="record this run's findings in FILE (with --baseline: keep only entries still found)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour text output (default: auto, on a terminal unless NO_COLOR is set)")
    live = parser.add_argument_group("live mode")
    live.add_argument("--live", action="store_true", help="lint the AWS account behind the credentials")
    live.add_argument("--profile", help="AWS profile to use (live mode)")
    live.add_argument("--region", action="append", default=[], metavar="REGION",
                      help="region to scan, repeatable; 'all' for every enabled region (default: the profile's)")
    live.add_argument("--print-iam-policy", action="store_true",
                      help="print the least-privilege IAM policy live mode needs, and exit")
    live.add_argument("--timeout", type=float, metavar="SECONDS",
                      help="run-wide deadline for a live scan; what is not read by then is unknown (exit 2)")
    parser.add_argument("--version", action="version", version=f"lakelint {__version__}")
    return parser


def _use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


class _OutputError(Exception):
    """The report could not be written: the run's result is lost, so the exit code is 2."""


def _emit(text, output: str | None) -> None:
    """Write a string, or an iterable of strings (a streamed report), to ``output`` or stdout."""
    pieces = [text] if isinstance(text, str) else text
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                for piece in pieces:
                    handle.write(piece)
        except OSError as exc:
            raise _OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        for piece in pieces:
            sys.stdout.write(piece)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print("lakelint: interrupted", file=sys.stderr)
        return EXIT_INCOMPLETE
    except BrokenPipeError:
        return EXIT_INCOMPLETE
    except _OutputError as exc:
        print(f"lakelint: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE


def _main(args) -> int:
    from lakelint.core.config import ConfigError, load_config
    from lakelint.core.registry import RegistryError, load_checks

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"lakelint: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    if args.select is not None:
        config.select = args.select
    if args.ignore:
        config.ignore = config.ignore + args.ignore
    if args.fail_on:
        config.fail_on = args.fail_on
    try:
        specs = load_checks(extra_dirs=config.checks_dir + args.checks_dir)
    except RegistryError as exc:
        print(f"lakelint: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE

    if args.list_checks:
        from lakelint.docs.explain import list_checks

        if args.format not in (None, "text", "json"):
            print("lakelint: error: --list-checks prints text or json", file=sys.stderr)
            return EXIT_INCOMPLETE
        _emit(list_checks(specs, args.format or "text"), args.output)
        return EXIT_OK
    if args.explain:
        from lakelint.docs.explain import explain

        text = explain(specs, args.explain)
        if text is None:
            print(f"lakelint: error: unknown check {args.explain}", file=sys.stderr)
            return EXIT_INCOMPLETE
        _emit(text, args.output)
        return EXIT_OK
    if args.print_iam_policy:
        from lakelint.runs.live import iam_policy_json

        try:
            _emit(iam_policy_json(config, specs), args.output)
        except ConfigError as exc:  # an unknown --select code, a check that reads what live mode cannot
            print(f"lakelint: error: {exc}", file=sys.stderr)
            return EXIT_INCOMPLETE
        return EXIT_OK

    if args.cfn_lint and args.live:
        print("lakelint: error: --cfn-lint validates templates; it does not apply to --live", file=sys.stderr)
        return EXIT_INCOMPLETE
    try:
        if args.live:
            if args.paths:
                print("lakelint: error: --live takes no PATH arguments", file=sys.stderr)
                return EXIT_INCOMPLETE
            try:
                import boto3  # noqa: F401  (a dependency; an environment may still lack it)
            except ModuleNotFoundError:
                print("lakelint: error: live mode needs boto3, which is not installed here: "
                      "pip install boto3", file=sys.stderr)
                return EXIT_INCOMPLETE
            from lakelint.runs.live import lint_live

            report = lint_live(config, specs, profile=args.profile, regions=args.region,
                               progress=sys.stderr.isatty(), timeout=args.timeout)
        else:
            from lakelint.runs.templates import lint_templates

            report = lint_templates(args.paths or ["."], config, specs, jobs=args.jobs)
    except ConfigError as exc:
        print(f"lakelint: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE

    cfn_lint = not args.live and bool(args.cfn_lint or config.cfn_lint)
    if cfn_lint:
        from lakelint.integrations.cfnlint_pass import merge_into

        merge_into(report)
    if args.baseline or args.write_baseline:
        from lakelint.runs.baseline import BaselineError, use_baselines

        try:
            for note in use_baselines(report, config, specs, args.baseline, args.write_baseline, cfn_lint):
                print(f"lakelint: {note}", file=sys.stderr)
        except BaselineError as exc:
            print(f"lakelint: error: {exc}", file=sys.stderr)
            return EXIT_INCOMPLETE

    from lakelint.reporters import stream

    fmt = args.format or "text"
    color = fmt == "text" and not args.output and _use_color(args.color, sys.stdout)
    _emit(stream(report, fmt, color=color), args.output)
    return exit_code(report.findings, report.errors, config.fail_on)


if __name__ == "__main__":
    raise SystemExit(main())

"""``lakelint merge REPORT.json ... [-f FORMAT] [-o FILE] [--fail-on SEV]``: one report from many.

The reports of a ``--shard K/N`` matrix (or of separate runs) become one report in any format, with
the exit code recomputed: 0 clean, 1 findings at or above ``--fail-on`` (else the configuration's
``fail-on``, else low), 2 when a merged report holds errors (a shard that could not scan an account
makes the whole incomplete) or a report cannot be read. As for a run, every refusal comes before
anything is written, and no output may overwrite one of the reports it reads.
"""

from __future__ import annotations

import argparse
import sys

from lakelint.cli import outputs
from lakelint.cli.arguments import _Parser
from lakelint.core.exits import EXIT_INCOMPLETE, report_exit_code


def build_parser() -> argparse.ArgumentParser:
    from lakelint.reporters import FORMATS

    parser = _Parser(prog="lakelint merge",
                     description="Merge lakelint JSON reports (version 1) from shards or separate runs into one "
                                 "report: identical findings once, the summary recomputed, the exit code recomputed.",
                     epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 errors in the reports or bad "
                            "usage.")
    parser.add_argument("reports", nargs="+", metavar="REPORT.json", help="JSON reports written by lakelint -f json")
    parser.add_argument("-f", "--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--fail-on", choices=("high", "medium", "low", "never"),
                        help="lowest severity that makes the exit code 1 (default: the config's, else low)")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: .lakelint.yaml or pyproject.toml)")
    parser.add_argument("--statistics", action="store_true", help="show a count of findings per check and account")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary, no notes")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour text output")
    return parser


def main(argv) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _merge(args)
    except KeyboardInterrupt:
        print("lakelint: interrupted", file=sys.stderr)
        return EXIT_INCOMPLETE
    except BrokenPipeError:
        outputs.silence_stdout()
        return EXIT_INCOMPLETE


def _error(message) -> int:
    print(f"lakelint: error: {message}", file=sys.stderr)
    return EXIT_INCOMPLETE


def _merge(args) -> int:
    from lakelint.core.config import ConfigError, load_config
    from lakelint.core.registry import RegistryError, load_checks
    from lakelint.reporters import Options, stream
    from lakelint.runs.merge import MergeError, merge_reports

    try:
        config = load_config(args.config)
        specs = load_checks(extra_dirs=config.checks_dir)
    except (ConfigError, RegistryError) as exc:
        return _error(exc)
    target = outputs.Target(args.format, args.output, "--output" if args.output else "stdout")
    protected = {outputs.identity(path): ("report", "a report this merge reads") for path in args.reports}
    try:
        outputs.preflight([target], None, protected)
        report, notes = merge_reports(args.reports, specs, args.fail_on or config.fail_on, config.unverifiable)
    except (outputs.OutputError, MergeError) as exc:
        return _error(exc)
    if not args.quiet:
        for note in notes:
            print(f"lakelint: note: {note}", file=sys.stderr)
    color = target.fmt == "text" and target.path is None and outputs.use_color(args.color, sys.stdout)
    options = Options(color=color, quiet=args.quiet, statistics=args.statistics)
    try:
        outputs.write(stream(report, target.fmt, options), target)
    except outputs.OutputError as exc:
        return _error(exc)
    return report_exit_code(report)

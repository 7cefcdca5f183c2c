"""The command line's arguments (DESIGN sections 4 and 11): one ``add_argument`` line per flag, in the
groups ``lakelint --help`` shows.

Adding a flag is one line here, plus its use where the run needs it. Values that can be checked
without reading anything (a format name, a ``FORMAT=FILE`` pair, a number) are checked while parsing,
so a bad one is a usage error (exit code 2) before any file is read or written.
"""

from __future__ import annotations

import argparse
import sys

from lakelint import __version__
from lakelint.core.exits import EXIT_INCOMPLETE, UNVERIFIABLE_POLICIES


SCAN_ROLE_FORMAT = "cloudformation"
SCAN_ROLE_KINDS = ("role", "stackset")


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


class _Once(argparse.Action):
    """A flag that takes one value: given twice, it is a usage error rather than the last one silently
    winning (``--profile a --profile b`` once scanned b alone, and the report looked like both)."""

    def __init__(self, *args, hint: str = "", **kwargs):
        self.hint = hint
        super().__init__(*args, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        if getattr(namespace, self.dest) is not None:
            parser.error(f"{option_string} given twice: {self.hint}")
        setattr(namespace, self.dest, values)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return int(value)


def _report(value: str) -> tuple:
    """``--report FORMAT=FILE`` as (format, file)."""
    from lakelint.reporters import FORMATS

    fmt, sep, path = value.partition("=")
    fmt = fmt.strip().lower()
    if not sep or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=FILE (e.g. sarif=lakelint.sarif), got {value!r}")
    if fmt not in FORMATS:
        raise argparse.ArgumentTypeError(f"unknown report format {fmt!r} in {value!r} (choose from {', '.join(FORMATS)})")
    return fmt, path


def build_parser() -> argparse.ArgumentParser:
    from lakelint.reporters import FORMATS

    parser = _Parser(
        prog="lakelint",
        description="Policy checks for AWS data-lake configurations: CloudFormation templates and live accounts.",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 incomplete run or bad usage.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="template files or directories to lint (default: .); '-' reads one template from stdin")
    parser.add_argument("--select", type=_csv, metavar="CODE,...", help="run only these checks (codes, prefixes or names)")
    parser.add_argument("--ignore", type=_csv, metavar="CODE,...", help="do not run these checks")
    parser.add_argument("--fail-on", choices=("high", "medium", "low", "never"),
                        help="lowest severity that makes the exit code 1 (default: low)")
    parser.add_argument("--unverifiable", choices=UNVERIFIABLE_POLICIES,
                        help="findings the template cannot prove: fail (gate, the default), warn (report, never "
                             "gate) or ignore (leave out, count in the summary); overrides the config key")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: .lakelint.yaml or pyproject.toml)")
    parser.add_argument("--checks-dir", action="append", default=[], metavar="DIR",
                        help="also load check modules from DIR (repeatable)")
    parser.add_argument("--preview", action="store_true", default=None,
                        help="also run preview checks (new checks not yet in the default selection)")
    fixes = parser.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply the safe fixes of the findings in place, and report what remains")
    fixes.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and change nothing (exit 1 when there is something to fix)")
    fixes.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that may change how the stack behaves")
    parser.add_argument("--list-checks", action="store_true", help="list the available checks and exit")
    parser.add_argument("--explain", metavar="CODE", help="show a check's documentation and exit")
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="processes for large template runs (default: one per CPU from 64 files; 1: one process)")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the name of the template read from stdin, in the report and for config patterns")

    out = parser.add_argument_group("output")
    out.add_argument("-f", "--format", choices=FORMATS + (SCAN_ROLE_FORMAT,), default=None,
                     help=f"output format (default: text; {SCAN_ROLE_FORMAT} with --print-scan-role)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument("--report", type=_report, action="append", default=[], metavar="FORMAT=FILE",
                     help="also write a report in FORMAT to FILE (repeatable), beside the main output")
    out.add_argument("--statistics", action="store_true", help="show a count of findings per check")
    out.add_argument("--show-source", action="store_true", help="show the offending template lines under each finding")
    out.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary, no notes")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour text output (default: auto, on a terminal unless NO_COLOR is set)")

    adopt = parser.add_argument_group("adoption")
    adopt.add_argument("--cfn-lint", action="store_true", default=None,
                       help="also run cfn-lint's validation on the templates and merge its findings (needs cfn-lint)")
    adopt.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in the baseline FILE")
    adopt.add_argument("--write-baseline", metavar="FILE",
                       help="record this run's findings in FILE (with --baseline: keep only entries still found)")

    live = parser.add_argument_group("live mode")
    live.add_argument("--live", action="store_true", help="lint the AWS account behind the credentials")
    live.add_argument("--profile", action=_Once, help="AWS profile to use (live mode)",
                      hint="a run reads through one profile; to scan several accounts, use --org or --accounts "
                           "with --role-name")
    live.add_argument("--region", action="append", default=[], metavar="REGION",
                      help="region to scan, repeatable; 'all' for every enabled region (default: the profile's)")
    live.add_argument("--print-iam-policy", action="store_true",
                      help="print the least-privilege IAM policy live mode needs, and exit")
    live.add_argument("--timeout", type=float, metavar="SECONDS",
                      help="run-wide deadline for a live scan; what is not read by then is unknown (exit 2)")
    live.add_argument("--compare", nargs="+", metavar="PATH",
                      help="with --live: compare the templates under PATH with the stacks deployed from them "
                           "(drift: LL801-LL803)")

    org = parser.add_argument_group("many accounts (live mode)")
    org.add_argument("--org", action="store_true",
                     help="scan every active account of the AWS Organization (from the management account or a "
                          "delegated administrator), each through --role-name")
    org.add_argument("--role-name", metavar="ROLE",
                     help="the role to assume in each account: arn:<partition>:iam::<account>:role/ROLE")
    org.add_argument("--accounts", type=_csv, action="append", default=None, metavar="ID,...",
                     help="scan these accounts (with --org: only these of the organisation)")
    org.add_argument("--accounts-file", metavar="FILE", help="scan the accounts listed in FILE (ids, one a line or "
                                                             "comma-separated; # starts a comment)")
    org.add_argument("--exclude-accounts", type=_csv, action="append", default=None, metavar="ID,...",
                     help="do not scan these accounts")
    org.add_argument("--external-id", metavar="X", help="the external id the role's trust policy requires")
    org.add_argument("--role-session-name", metavar="NAME", help="the assumed role's session name (default: lakelint)")
    org.add_argument("--shard", metavar="K/N", help="scan shard K of N: a deterministic 1/N of the accounts, "
                                                    "by a hash of each id (merge the reports with lakelint merge)")
    org.add_argument("--max-accounts-in-flight", type=_positive, metavar="N",
                     help="accounts scanned at once (default: max-accounts-in-flight in the config, else 8)")
    org.add_argument("--print-scan-role", nargs="?", const="role", choices=SCAN_ROLE_KINDS, metavar="stackset",
                     help="print CloudFormation for the read-only scan role (with 'stackset': a service-managed "
                          "StackSet that deploys it to the organisation), and exit")

    parser.add_argument("--version", action="version", version=f"lakelint {__version__}")
    return parser

"""The run behind ``lakelint``: configuration, checks, then lint, adopt (cfn-lint, baselines), report.

The order is what CI relies on: everything that can be refused is refused before linting (bad
arguments, configuration or checks, an output that cannot be written or that is an input, a baseline
that cannot be read), so a usage error never costs a lint and never leaves a half-written report.
After linting, the outputs are checked once more against the templates the walk found, still before
anything is written. Imports stay lean: template mode never loads boto3 or cfn-lint, and each report
format loads only when asked for.

Exit codes come from ``lakelint.core.exits`` (their one producer): 0 clean, 1 findings that gate, 2
incomplete or misused. 2 wins over 1.
"""

from __future__ import annotations

import gc
import sys

from lakelint.cli import inputs, outputs
from lakelint.cli.arguments import build_parser
from lakelint.core.exits import EXIT_INCOMPLETE, EXIT_OK, report_exit_code
from lakelint.core.isolation import user_interrupts


def run() -> None:
    """The ``lakelint`` command (the console script, ``python -m lakelint``): ``main()``, then exit.

    The process ends here, so its objects are handed to the permanent generation first
    (``gc.freeze``): Python's shutdown would otherwise collect, object by object, everything the run
    made, about a tenth of a one-template run (issue 18). Files and standard output are closed and
    flushed by then as always; code that calls ``main()`` keeps its collector as it was."""
    code = main()
    gc.freeze()
    raise SystemExit(code)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["merge"]:  # lakelint merge REPORT.json ... (a folder named merge: lakelint ./merge)
        from lakelint.cli.merge import main as merge

        return merge(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        with user_interrupts():  # a Ctrl-C is the user's, not a check's failure (core/isolation.py)
            return _main(args)
    except KeyboardInterrupt:
        print("lakelint: interrupted", file=sys.stderr)
        return EXIT_INCOMPLETE
    except BrokenPipeError:  # the reader went away (``lakelint ... | head``): nothing more to say
        outputs.silence_stdout()
        return EXIT_INCOMPLETE
    except (outputs.OutputError, inputs.InputError) as exc:
        return _error(exc)


def _error(exc) -> int:
    print(f"lakelint: error: {exc}", file=sys.stderr)
    return EXIT_INCOMPLETE


def _main(args) -> int:
    from lakelint.core.config import ConfigError, bind_options, load_config
    from lakelint.core.preview import preview_warnings
    from lakelint.core.registry import RegistryError, load_checks

    try:
        config = load_config(args.config, args.compare or args.paths)
        _apply_flags(config, args)
        specs = load_checks(extra_dirs=config.checks_dir + args.checks_dir)
        bind_options(config, specs)  # options are declared by the checks, so known only now
    except (ConfigError, RegistryError) as exc:
        return _error(exc)
    for warning in preview_warnings(specs, config):
        print(f"lakelint: warning: {warning}", file=sys.stderr)

    if args.list_checks or args.explain or args.print_iam_policy or args.print_scan_role:
        return _information(args, specs, config)

    try:
        _check_combinations(args)
        stdin = inputs.wants_stdin(args)
        stdin_name = _stdin_name(args) if stdin else None
        targets = outputs.plan(args)
        outputs.preflight(targets, args.write_baseline, inputs.protected_before_linting(args, config, stdin_name))
        baseline = _read_baseline(args.baseline)
        if args.fix or args.diff:
            return _fix(args, config, specs, targets)
        report, stdin_raw = _lint(args, config, specs, stdin_name,
                                  fix_edits=any(target.fmt == "sarif" for target in targets))
        inputs.refuse_linted(report, targets, args.write_baseline)
        notes = _adopt(args, config, specs, report, baseline)
    except ConfigError as exc:
        return _error(exc)

    report.fail_on = config.fail_on
    report.unverifiable = config.unverifiable
    if config.unverifiable == "ignore":
        report.ignore_unverifiable()
    for note in report.notes:  # what the run wants said (an excluded stdin template): never quietened
        print(f"lakelint: note: {note}", file=sys.stderr)
    if not args.quiet:
        for note in notes:
            print(f"lakelint: {note}", file=sys.stderr)

    failures = _write_reports(report, targets, args, config, stdin_name, stdin_raw)
    for failure in failures:
        print(f"lakelint: error: {failure}", file=sys.stderr)
    return EXIT_INCOMPLETE if failures else report_exit_code(report)


def _fix(args, config, specs, targets) -> int:
    """--fix (write the fixes, then report what remains) and --diff (print them, change nothing)."""
    from lakelint.runs.fix import fix_templates

    run = fix_templates(args.paths or ["."], config, specs, write=args.fix and not args.diff,
                        unsafe=args.unsafe_fixes, jobs=args.jobs)
    run.report.unsafe_fixes = args.unsafe_fixes
    for file, message in run.errors:
        print(f"lakelint: error: {file}: {message}", file=sys.stderr)
    for note in run.notes:
        print(f"lakelint: note: {note}", file=sys.stderr)
    if args.diff:
        outputs.write([_diff_text(run)], outputs.Target("text", args.output, "--output"))
        return EXIT_INCOMPLETE if run.errors or run.report.errors else (1 if run.changed else EXIT_OK)
    report = run.report
    report.fail_on, report.unverifiable, report.unsafe_fixes = config.fail_on, config.unverifiable, args.unsafe_fixes
    if config.unverifiable == "ignore":
        report.ignore_unverifiable()
    failures = _write_reports(report, targets, args, config, None, None)
    for failure in failures:
        print(f"lakelint: error: {failure}", file=sys.stderr)
    if failures or run.errors:
        return EXIT_INCOMPLETE
    return report_exit_code(report)


def _diff_text(run) -> str:
    """The diffs, then what could not be fixed and why (as diff comments, so the output still applies)."""
    parts = [f.diff() for f in run.files if f.changed]
    for result in run.files:
        for finding, reason in result.skipped:
            parts.append(f"# {result.shown}:{finding.line}: {finding.check} on {finding.resource}: not fixed: {reason}\n")
    for finding in run.report.findings:
        fix = finding.fix
        if fix is not None and not fix.applicable:
            parts.append(f"# {finding.file}:{finding.line}: {finding.check} on {finding.resource}: not fixable: "
                         f"{fix.blocked}\n")
        elif fix is not None and fix.safety == "unsafe" and not run.report.unsafe_fixes and \
                not any(finding in f.applied for f in run.files):
            parts.append(f"# {finding.file}:{finding.line}: {finding.check} on {finding.resource}: unsafe fix "
                         f"(--unsafe-fixes): {fix.description}\n")
    return "".join(parts)


def _apply_flags(config, args) -> None:
    """Command-line flags win over the configuration file."""
    if args.select is not None:
        config.select = args.select
    if args.ignore:
        config.ignore = config.ignore + args.ignore
    if args.fail_on:
        config.fail_on = args.fail_on
    if args.unverifiable:
        config.unverifiable = args.unverifiable
    if args.preview:
        config.preview = True


def _information(args, specs, config) -> int:
    """--list-checks, --explain, --print-iam-policy: print, and exit."""
    target = outputs.Target("text", args.output, "--output")
    if args.list_checks:
        from lakelint.docs.explain import list_checks

        if args.format not in (None, "text", "json"):
            return _error("--list-checks prints text or json")
        text = list_checks(specs, args.format or "text")
    elif args.explain:
        from lakelint.docs.explain import explain

        text = explain(specs, args.explain)
        if text is None:
            return _error(f"unknown check {args.explain}")
    elif args.print_scan_role:
        from lakelint.core.config import ConfigError
        from lakelint.runs.live import scan_role_text

        fmt = args.format or "cloudformation"
        if fmt not in ("cloudformation", "json"):
            return _error("--print-scan-role prints CloudFormation: --format cloudformation (YAML) or json")
        try:
            text = scan_role_text(config, specs, args.print_scan_role, fmt)
        except ConfigError as exc:
            return _error(exc)
    elif _multi_account(args):
        from lakelint.runs.live import scanner_policy_json

        text = scanner_policy_json(args.role_name, bool(args.org))
    else:
        from lakelint.core.config import ConfigError

        if args.compare:
            from lakelint.runs.compare import iam_policy_json
        else:
            from lakelint.runs.live import iam_policy_json

        try:  # the selection's policy: an unknown --select code, a check that reads what live mode cannot
            text = iam_policy_json(config, specs)
        except ConfigError as exc:
            return _error(exc)
    outputs.write([text], target)
    return EXIT_OK


ORG_FLAGS = (("org", "--org"), ("role_name", "--role-name"), ("accounts", "--accounts"),
             ("accounts_file", "--accounts-file"), ("exclude_accounts", "--exclude-accounts"),
             ("external_id", "--external-id"), ("role_session_name", "--role-session-name"), ("shard", "--shard"),
             ("max_accounts_in_flight", "--max-accounts-in-flight"))


def _multi_account(args) -> bool:
    """``--org``, ``--accounts`` or ``--accounts-file``: a multi-account live run (runs/org.py)."""
    return bool(args.org or args.accounts or args.accounts_file)


def _check_combinations(args) -> None:
    if args.cfn_lint and args.live:
        raise inputs.InputError("--cfn-lint validates templates; it does not apply to --live")
    if args.live and (args.paths or args.stdin_filename):
        raise inputs.InputError("--live takes no PATH arguments")
    if args.compare and not args.live:
        raise inputs.InputError("--compare compares templates with an account: it needs --live")
    if (args.fix or args.diff) and (args.live or "-" in (args.paths or [])):
        raise inputs.InputError("--fix and --diff edit template files: not live accounts, not standard input")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise inputs.InputError("--unsafe-fixes goes with --fix or --diff")
    if args.format == "cloudformation":
        raise inputs.InputError("--format cloudformation is for --print-scan-role")
    given = [flag for attribute, flag in ORG_FLAGS if getattr(args, attribute) not in (None, False, [])]
    if given and not args.live:
        raise inputs.InputError(f"{given[0]} applies to a live run: add --live")
    if given and not _multi_account(args):
        raise inputs.InputError(f"{given[0]} applies to many accounts: add --org, or name them with --accounts")
    if args.compare and _multi_account(args):
        raise inputs.InputError("--compare compares one account's stacks with the templates: run it per account "
                                "(--profile), not with --org or --accounts")


def _stdin_name(args) -> str:
    from lakelint.runs.stdin import shown_name

    return shown_name(args.stdin_filename)


def _read_baseline(path):
    """The baseline, read before linting so a bad one costs no lint (imported only when asked for)."""
    if not path:
        return None
    from lakelint.runs.baseline import Baseline, BaselineError

    try:
        return Baseline.read(path)
    except BaselineError as exc:
        raise inputs.InputError(str(exc)) from None


def _lint(args, config, specs, stdin_name, fix_edits: bool = True):
    """The report, and the bytes read from stdin (for --show-source) when the template came from there.
    ``fix_edits``: whether findings keep their fixes' edits (only SARIF writes them)."""
    if args.live:
        try:
            import boto3  # noqa: F401  (a dependency; an environment may still lack it)
        except ModuleNotFoundError:
            raise inputs.InputError("live mode needs boto3, which is not installed here: pip install boto3") from None
        if args.compare:
            from lakelint.runs.compare import lint_drift

            return lint_drift(args.compare, config, specs, profile=args.profile, regions=args.region,
                              progress=sys.stderr.isatty(), timeout=args.timeout), None
        if _multi_account(args):
            from lakelint.runs.org import lint_org

            report = lint_org(config, specs, _org_request(args), profile=args.profile, regions=args.region,
                              progress=sys.stderr.isatty(), timeout=args.timeout)
            return report, None
        from lakelint.runs.live import lint_live

        report = lint_live(config, specs, profile=args.profile, regions=args.region, progress=sys.stderr.isatty(),
                           timeout=args.timeout)
        return report, None
    if stdin_name is not None:
        from lakelint.runs.stdin import lint_stdin

        raw = inputs.read_stdin(config.max_file_size)
        return lint_stdin(raw, stdin_name, config, specs), raw
    from lakelint.runs.templates import lint_templates

    return lint_templates(args.paths or ["."], config, specs, jobs=args.jobs, fix_edits=fix_edits,
                          sarif_edits=fix_edits), None


def _org_request(args):
    """The accounts and role the flags name, checked (ConfigError: a usage error)."""
    from lakelint.core.config import ConfigError
    from lakelint.runs.org import OrgRequest
    from lakelint.sources.live.accounts import account_ids, parse_shard, read_accounts_file

    named = None
    if args.accounts or args.accounts_file:
        named = account_ids([i for group in args.accounts or [] for i in group], "--accounts")
        if args.accounts_file:
            named = list(dict.fromkeys(named + read_accounts_file(args.accounts_file)))
        if not named:
            raise ConfigError("--accounts names no account")
    exclude = account_ids([i for group in args.exclude_accounts or [] for i in group], "--exclude-accounts")
    return OrgRequest(org=bool(args.org), role_name=args.role_name, accounts=named, exclude=exclude,
                      external_id=args.external_id, session_name=args.role_session_name,
                      shard=parse_shard(args.shard) if args.shard else None,
                      max_in_flight=args.max_accounts_in_flight)


def _adopt(args, config, specs, report, baseline) -> list:
    """cfn-lint's findings and the baselines, applied to the finished report. Returns stderr notes."""
    cfn_lint = not args.live and bool(args.cfn_lint or config.cfn_lint)
    if cfn_lint:
        from lakelint.integrations.cfnlint_pass import merge_into

        merge_into(report)
    if not (args.baseline or args.write_baseline):
        return []
    from lakelint.runs.baseline import BaselineError, use_baselines

    try:
        return use_baselines(report, config, specs, args.baseline, args.write_baseline, cfn_lint, baseline=baseline)
    except BaselineError as exc:  # the baseline could not be written
        raise inputs.InputError(str(exc)) from None


def _write_reports(report, targets, args, config, stdin_name, stdin_raw) -> list:
    """Render and write every target; returns the failures (each already a one-line message)."""
    from lakelint.reporters import Options, stream

    lines = inputs.SourceLines(config.max_file_size, stdin_name, stdin_raw) if args.show_source else None
    if any(target.fmt == "sarif" for target in targets) and not args.live:
        from lakelint.runs.fix import attach_replacements

        attach_replacements(report)  # SARIF carries each fix's text edits
    failures = []
    for target in targets:
        color = target.fmt == "text" and target.path is None and outputs.use_color(args.color, sys.stdout)
        options = Options(color=color, quiet=args.quiet, statistics=args.statistics,
                          show_source=args.show_source, source_lines=lines)
        try:
            outputs.write(stream(report, target.fmt, options), target)
        except outputs.OutputError as exc:
            failures.append(str(exc))
            continue
        if target.fmt == "sarif" and not args.quiet:
            _note_sarif_limits(report, target)
    return failures


def _note_sarif_limits(report, target) -> None:
    """A SARIF log GitHub code scanning would not take whole is said when it is written, not found out
    from the upload step."""
    from lakelint.reporters.sarif_report import github_limits

    said = github_limits(len(report.findings))
    if said:
        where = target.path or "the SARIF log"
        print(f"lakelint: note: {where}: {said}; narrow the run with --select, or upload only new findings "
              f"with --baseline", file=sys.stderr)

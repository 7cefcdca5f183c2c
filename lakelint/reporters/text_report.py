"""The text report, shaped like ruff's: one line a finding, ``path:line:col: CODE [severity] message``.

Suppressed findings are not listed (they are counted, and kept in JSON and SARIF for audits). An
unverifiable finding (the template cannot prove compliance) says so in its tag,
``[high, unverifiable]``, so it reads apart from a proven failure. Colour is used only when asked for,
which the CLI does only on a terminal without NO_COLOR.

``--show-source`` adds a code frame under each template finding; ``--statistics`` replaces the list of
findings with a count per check; ``--quiet`` leaves out the summary line. A report about several
accounts (``--org``, ``--accounts``, a merge of them) groups its errors and findings by account, under a
heading naming the account and, where Organizations said them, its name and OU path; ``--statistics``
adds a count per account. Errors are always listed:
what could not be judged is never silent.
"""

from __future__ import annotations

from lakelint.reporters import Options
from lakelint.reporters.frames import code_frame
from lakelint.reporters.statistics import account_statistics, account_table, multi_account, statistics, table


def _where(item) -> str:
    if item.file:
        parts = [item.file]
        if item.line:
            parts.append(str(item.line))
            if item.column:
                parts.append(str(item.column))
        return ":".join(parts)
    arn = getattr(item, "arn", None)
    if arn:
        return arn
    account, region = getattr(item, "account", None), getattr(item, "region", None)
    if account or region:
        return "/".join(p for p in (account, region) if p)
    return "<run>"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _styles(color: bool):
    """click's styling when colour is on (imported only then, so plain runs stay lean)."""
    if not color:
        return lambda text, **_: text
    import click

    return click.style


SEVERITY_COLOUR = {"high": "red", "medium": "yellow", "low": "cyan"}


def _tag(finding) -> str:
    if finding.verdict == "unverifiable":
        return f"[{finding.severity}, unverifiable]"
    return f"[{finding.severity}]"


def chunks(report, options=None):
    """The report line by line, so a large run is written without being held as one string."""
    options = options or Options()
    style = _styles(options.color)
    listed = ends_blank = False
    grouped = multi_account(report)
    if grouped and not options.statistics:
        for line in _by_account(report, options, style):
            listed, ends_blank = True, line.endswith("\n\n")
            yield line
    else:
        for error in report.errors:
            listed = True
            yield _error_line(error, style)
    if options.statistics:
        for line in table(statistics(report)):
            listed = True
            yield line + "\n"
        if grouped:
            rows = account_table(account_statistics(report))
            if rows:
                listed = True
                yield "\nPer account:\n" + "".join(line + "\n" for line in rows)
    elif not grouped:
        for finding in report.findings:
            if finding.suppressed:
                continue
            listed = True
            for line in _finding_lines(finding, options, style, report.unsafe_fixes):
                ends_blank = line.endswith("\n\n")
                yield line
    if options.quiet:
        return
    if listed and not ends_blank:
        yield "\n"
    yield _summary(report, style) + "\n"
    if report.comparison is not None:
        yield from (line + "\n" for line in comparison_lines(report.comparison))


def _resource(finding) -> str:
    """`` (RawBucket)``; a drift finding names both sides: `` (RawBucket = arn:aws:s3:::lake-raw)``."""
    if not finding.resource:
        return ""
    if finding.drift is not None and finding.arn:
        return f" ({finding.resource} = {finding.arn})"
    return f" ({finding.resource})"


def comparison_lines(comparison: dict) -> list:
    """``--compare``'s coverage: what was compared, and what had nothing to be compared with."""
    lines = [f"Compared {_count(comparison['stacks'], 'stack')} with {'its template' if comparison['stacks'] == 1 else 'their templates'} "
             f"({_count(comparison['resources'], 'resource')})."]
    for key, title in (("stacks_without_templates", "Stacks without templates"),
                       ("templates_without_stacks", "Templates without stacks"),
                       ("not_in_templates", "In stacks, not in their templates"),
                       ("not_deployed", "In templates, not deployed")):
        if comparison.get(key):
            lines.append(f"{title}: {', '.join(comparison[key])}.")
    return lines


def _error_line(error, style) -> str:
    return f"{style(_where(error), bold=True)}: {style('error', fg='red', bold=True)}: {error.message}\n"


def _finding_lines(finding, options, style, unsafe_fixes=False):
    code = style(finding.check, fg=SEVERITY_COLOUR.get(finding.severity), bold=True)
    resource = _resource(finding)
    tag = _tag(finding)
    if finding.verdict == "unverifiable":
        tag = style(tag, fg="magenta")
    mark = " [*]" if _fixable(finding, unsafe_fixes) else ""
    yield f"{style(_where(finding), bold=True)}: {code}{mark} {tag} {finding.message}{resource}\n"
    frame = _frame(finding, options)
    if frame:
        yield "\n".join(frame) + "\n\n"  # a frame ends with a blank line


def _by_account(report, options, style):
    """A multi-account report: the run's own errors, then one group per account (by id), its errors
    first, under a heading that names the account; accounts with nothing to show are left out."""
    names = {a.account: (a.name, a.ou_path) for a in getattr(report, "accounts", None) or []}
    errors = {}
    for error in report.errors:
        errors.setdefault(getattr(error, "account", None), []).append(error)
    for error in errors.pop(None, []):
        yield _error_line(error, style)
    pending = sorted(errors)  # accounts with errors, in order
    findings = report.findings
    if isinstance(findings, list):  # a plain report: its findings are sorted by file, not by account
        findings = sorted(findings, key=lambda f: f.account or "")
    current, started = None, False

    def heading(account, sample=None):
        name, path = names.get(account, (None, None))
        name = name or getattr(sample, "account_name", None)
        path = path or getattr(sample, "ou_path", None)
        about = ", ".join(p for p in (name, path) if p)
        return style(f"Account {account or '(none)'}" + (f" ({about})" if about else ""), bold=True) + "\n"

    def errors_only(before):
        while pending and (before is None or pending[0] < before):
            account = pending.pop(0)
            yield ("\n" if started else "") + heading(account)
            for error in errors[account]:
                yield _error_line(error, style)

    for finding in findings:
        if finding.suppressed:
            continue
        account = finding.account or ""
        if not started or account != current:
            for line in errors_only(account):
                started = True
                yield line
            yield ("\n" if started else "") + heading(finding.account, finding)
            started, current = True, account
            if pending and pending[0] == account:
                pending.pop(0)
                for error in errors[account]:
                    yield _error_line(error, style)
        yield from _finding_lines(finding, options, style)
    for line in errors_only(None):
        started = True
        yield line


def _frame(finding, options) -> list:
    if not options.show_source or not finding.file or not finding.line or options.source_lines is None:
        return []
    return code_frame(options.source_lines(finding.file), finding.line, finding.column)


def _summary(report, style) -> str:
    summary = report.summary()
    counts = {}
    for finding in report.active_findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    by_severity = ", ".join(f"{counts[s]} {s}" for s in ("high", "medium", "low") if s in counts)
    total = summary["findings"]
    where = f"{_count(summary['files'], 'file')}, {_count(summary['resources'], 'resource')}"
    accounts = getattr(report, "accounts", None)
    if accounts is not None:  # a multi-account live run: accounts, not files
        scanned = sum(1 for a in accounts if a.scanned)
        where = f"{_count(scanned, 'account')}, {_count(summary['resources'], 'resource')}"
    if report.baseline_recorded is not None:  # --write-baseline: nothing is reported, all is recorded
        text = (f"Recorded {_count(report.baseline_recorded, 'finding')} in the baseline "
                f"{report.baseline_path} ({where})")
        return text + _tail(report, summary) + "."
    hidden = report.baseline_known or summary["unverifiable_ignored"]
    if not total and not summary["errors"] and not hidden:
        fixed = f"Fixed {_count(report.fixed, 'finding')}: " if report.fixed else ""
        return fixed + style("All checks passed!", fg="green") + f" ({where})"
    if total:
        text = f"Found {_count(total, 'finding')}"
        details = [by_severity] if by_severity else []
        if summary["unverifiable"]:
            gating = "" if report.unverifiable == "fail" else ", not gating"
            details.append(f"{summary['unverifiable']} unverifiable{gating}")
        if details:
            text += f" ({'; '.join(details)})"
    else:
        text = "No findings" if not report.baseline_known else "No new findings"
    text += f" in {where}"
    if report.baseline_known:
        text += (f"; {report.baseline_known} more recorded in the baseline {report.baseline_path}"
                 if total else f"; {report.baseline_known} recorded in the baseline {report.baseline_path}")
    return text + _tail(report, summary) + "."


def _fixable(finding, unsafe: bool) -> bool:
    """A finding ``--fix`` would repair (ruff's ``[*]``): a fix that applies, safe or allowed."""
    fix = finding.fix
    return fix is not None and fix.applicable and (fix.safety == "safe" or unsafe) and not finding.suppressed


def _fixes(report) -> str:
    """"; 3 fixable with lakelint --fix (2 more with --unsafe-fixes)" (and what --fix did)."""
    text = f"; {_count(report.fixed, 'finding')} fixed" if report.fixed else ""
    shared = {}
    for finding in report.active_findings:
        fix = finding.fix
        if fix is not None and fix.applicable:  # one fix per file and key (the same bucket name in two files: two)
            shared.setdefault((finding.file, fix.key), fix.safety)
    safe = sum(1 for s in shared.values() if s == "safe")
    unsafe = len(shared) - safe
    if report.unsafe_fixes:
        safe, unsafe = safe + unsafe, 0
    if safe:
        text += f"; {safe} fixable with lakelint --fix{' --unsafe-fixes' if report.unsafe_fixes else ''}"
    if unsafe:
        text += f"; {unsafe} more with --fix --unsafe-fixes" if safe else f"; {unsafe} fixable with --fix --unsafe-fixes"
    return text


def _tail(report, summary) -> str:
    text = _fixes(report)
    if summary["unverifiable_ignored"]:
        text += f"; {summary['unverifiable_ignored']} unverifiable ignored (unverifiable: ignore)"
    if summary["suppressed"]:
        text += f"; {summary['suppressed']} suppressed"
    if summary["errors"]:
        text += f"; {_count(summary['errors'], 'error')} (the run is incomplete)"
    return text


def render(report, options=None) -> str:
    return "".join(chunks(report, options))

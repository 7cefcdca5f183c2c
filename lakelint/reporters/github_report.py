"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

One line per finding: ``::error file=F,line=L,col=C,title=LL101 s3-block-public-access::message``.
Severity picks the command (high ``error``, medium ``warning``, low ``notice``); errors of the run
are ``::error``. Suppressed findings are left out: an annotation cannot be marked as accepted.
Values are escaped as the workflow-command syntax requires, so a message holding ``::``, a comma or
a newline cannot end the command early or forge another one. An unverifiable finding's title says
so (``LL102 s3-sse-kms (unverifiable)``). ``--quiet`` leaves out the closing summary line.
"""

from __future__ import annotations

from lakelint.reporters.accounts import account_words

COMMANDS = {"high": "error", "medium": "warning", "low": "notice"}


def escape_data(text: str) -> str:
    """The message part: ``%``, CR and LF are percent-encoded (``%`` first, so it is not doubled)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: like data, and ``:`` and ``,`` too, since they delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items()
                     if value is not None and value != "")
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _finding_line(finding) -> str:
    where = finding.resource or ""
    if finding.source == "live" and finding.arn:
        where = finding.arn
    if finding.source == "live" and (finding.account_name or finding.ou_path):  # the id alone is in the ARN
        where = "; ".join(w for w in (where, f"account {account_words(finding)}") if w)
    message = f"{finding.message} ({where})" if where else finding.message
    return command(COMMANDS.get(finding.severity, "warning"), message,
                   file=finding.file, line=finding.line if finding.file else None,
                   col=finding.column if finding.file else None,
                   title=f"{finding.check} {finding.name}"
                   + (" (unverifiable)" if finding.verdict == "unverifiable" else ""))


def _error_line(error) -> str:
    title = f"lakelint error ({error.check})" if error.check else "lakelint error"
    return command("error", error.message, file=error.file, line=error.line if error.file else None,
                   col=error.column if error.file else None, title=title)


def render(report, options=None) -> str:
    lines = [_error_line(e) for e in report.errors]
    lines += [_finding_line(f) for f in report.findings if not f.suppressed]
    if options is not None and options.quiet:
        return "".join(line + "\n" for line in lines)
    summary = report.summary()
    lines.append(f"lakelint: {summary['findings']} finding{'s' if summary['findings'] != 1 else ''}, "
                 f"{summary['suppressed']} suppressed, {summary['errors']} error"
                 f"{'s' if summary['errors'] != 1 else ''} in {summary['files']} file"
                 f"{'s' if summary['files'] != 1 else ''}")
    return "\n".join(lines) + "\n"

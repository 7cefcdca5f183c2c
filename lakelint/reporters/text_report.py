"""The text report, shaped like ruff's: one line a finding, ``path:line:col: CODE [severity] message``.

Suppressed findings are not listed (they are counted, and kept in JSON and SARIF for audits).
Colour is used only when asked for, which the CLI does only on a terminal without NO_COLOR.
"""

from __future__ import annotations


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


def chunks(report, color: bool = False):
    """The report line by line, so a large run is written without being held as one string."""
    style = _styles(color)
    severity_colour = {"high": "red", "medium": "yellow", "low": "cyan"}
    listed = False
    for error in report.errors:
        listed = True
        yield f"{style(_where(error), bold=True)}: {style('error', fg='red', bold=True)}: {error.message}\n"
    for finding in report.findings:
        if finding.suppressed:
            continue
        listed = True
        code = style(finding.check, fg=severity_colour.get(finding.severity), bold=True)
        resource = f" ({finding.resource})" if finding.resource else ""
        yield f"{style(_where(finding), bold=True)}: {code} [{finding.severity}] {finding.message}{resource}\n"
    if listed:
        yield "\n"
    yield _summary(report, style) + "\n"


def _summary(report, style) -> str:
    summary = report.summary()
    counts = {}
    for finding in report.active_findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    by_severity = ", ".join(f"{counts[s]} {s}" for s in ("high", "medium", "low") if s in counts)
    total = summary["findings"]
    if not total and not summary["errors"]:
        return style("All checks passed!", fg="green") + \
            f" ({_count(summary['files'], 'file')}, {_count(summary['resources'], 'resource')})"
    text = f"Found {total} finding{'s' if total != 1 else ''}"
    if by_severity:
        text += f" ({by_severity})"
    text += f" in {_count(summary['files'], 'file')}, {_count(summary['resources'], 'resource')}"
    if summary["suppressed"]:
        text += f"; {summary['suppressed']} suppressed"
    if summary["errors"]:
        text += f"; {summary['errors']} error{'s' if summary['errors'] != 1 else ''} (the run is incomplete)"
    return text + "."


def render(report, color: bool = False) -> str:
    return "".join(chunks(report, color))

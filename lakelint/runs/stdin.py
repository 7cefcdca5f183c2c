"""``lakelint -``: lint one template read from standard input, as editors and pipelines pass it.

The template gets a name (``--stdin-filename NAME``, else ``<stdin>``) that stands for it everywhere:
in the report, and in the configuration's patterns, so ``exclude`` and ``per-file-ignores`` apply to
the name exactly as they would to the file on disk. An excluded name is not linted, and the report's
notes say so (an empty report must not look like a clean template). Everything else is the template
run's: the same source, the same engine, the same report.
"""

from __future__ import annotations

from pathlib import Path

from lakelint import __version__
from lakelint.core.config import Config
from lakelint.core.engine import Engine
from lakelint.core.model import ErrorEntry, Report

STDIN_NAME = "<stdin>"


def shown_name(stdin_filename: str | None) -> str:
    """The name the template goes by: as a file of that name, named on the command line, is shown."""
    if not stdin_filename:
        return STDIN_NAME
    from lakelint.sources.cloudformation.source import display_path

    return display_path(Path(stdin_filename))


def lint_stdin(raw: bytes, name: str, config: Config, specs) -> Report:
    """Lint ``raw`` (the bytes read from stdin) as the template ``name``."""
    from lakelint.core.config import relative_to
    from lakelint.sources.cloudformation.source import is_excluded, load_text

    engine = Engine(specs, config, source="template")
    if is_excluded(relative_to(config.base, name), config.exclude):  # patterns are relative to the config's folder
        return Report(findings=[], errors=[], files=0, resources=0, checks=engine.specs, tool_version=__version__,
                      fail_on=config.fail_on, notes=[f"{name} is excluded by the configuration: not linted"])
    results, errors = [], []
    if len(raw) > config.max_file_size:
        errors.append(ErrorEntry(f"standard input holds over {config.max_file_size:,} bytes, the limit "
                                 f"(max-file-size)", file=name, line=1, column=1))
    else:
        try:
            stack, errors = load_text(name, raw)
            if stack is not None:
                results.append(engine.run_stack(stack))
        except Exception as exc:  # noqa: BLE001 - as for a file: an error entry, never a traceback
            errors = [ErrorEntry(f"internal error while linting this file: {type(exc).__name__}: {exc}", file=name)]
    findings, run_errors = engine.finish(results)
    errors = sorted(errors + run_errors, key=lambda e: e.sort_key())
    read = [name] if results or errors else []
    return Report(findings=findings, errors=errors, files=len(read), paths=read,
                  resources=sum(r.resources for r in results), checks=engine.specs,
                  tool_version=__version__, fail_on=config.fail_on)

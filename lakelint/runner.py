"""Run a lint: pick the source, drive the engine over it, and assemble the report.

Template runs stream: one file is read, checked and dropped before the next, so memory stays flat
however many files a run holds. Only findings, errors, suppressions and properties-free resource
stubs are kept for the run-wide checks.
"""

from __future__ import annotations

from lakelint import __version__
from lakelint.config import Config
from lakelint.engine import Engine
from lakelint.model import Report


def lint_templates(paths, config: Config, specs) -> Report:
    from lakelint.sources.cloudformation.source import find_files, load_stack

    files, errors = find_files(paths, config.exclude)
    engine = Engine(specs, config, source="template")
    results = []
    read = []
    for shown, path in files:
        stack, file_errors = load_stack(shown, path, config.max_file_size)
        errors.extend(file_errors)
        if file_errors or stack is not None:
            read.append(shown)
        if stack is not None:
            results.append(engine.run_stack(stack))
    findings, run_errors = engine.finish(results)
    errors = sorted(errors + run_errors, key=lambda e: e.sort_key())
    return Report(findings=findings, errors=errors, files=len(read), paths=read,
                  resources=sum(r.resources for r in results), checks=engine.specs,
                  tool_version=__version__, fail_on=config.fail_on)

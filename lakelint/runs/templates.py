"""Run a lint: pick the source, drive the engine over it, and assemble the report.

Template runs stream: one file is read, checked and dropped before the next, so memory stays flat
however many files a run holds. Only findings, errors, suppressions and properties-free resource
stubs are kept for the run-wide checks.

Large runs (``PARALLEL_MIN_FILES`` files or more) spread the files over worker processes, one per
available CPU. Each worker lints whole chunks of the sorted file list with its own ``Engine`` and
sends back, per file, the same plain records a single-process run keeps; the parent puts them back in
file order before the run-wide checks, so the report is identical, byte for byte and in the same
order, to a single-process run. Small runs never import the multiprocessing machinery: forking
costs more than linting a handful of files.
"""

from __future__ import annotations

import os

from lakelint import __version__
from lakelint.core.config import Config
from lakelint.core.engine import Engine, StackResult
from lakelint.core.model import ErrorEntry, Report

PARALLEL_MIN_FILES = 64  # below this, one process is faster than starting workers
MAX_CHUNK = 32  # files per task: large enough to amortise a round trip, small enough to balance


def lint_templates(paths, config: Config, specs, jobs: int | None = None, fix_edits: bool = True,
                   sarif_edits: bool = False) -> Report:
    """Lint the templates under ``paths``. ``jobs``: worker processes (None or 0: one per available CPU
    on large runs; 1: never start workers). ``fix_edits``: whether findings keep their fixes' edits
    (``--fix``, ``--diff``, SARIF) or only what the other reports say of them. ``sarif_edits``: a lint
    writing SARIF, where each file's fixes become their summaries with their text edits as soon as the
    file is linted, in the process that linted it."""
    from lakelint.sources.cloudformation.source import find_files

    files, errors = find_files(paths, config.exclude, config.base)
    files = _as_text(files)
    engine = Engine(specs, config, source="template")
    engine.fix_edits = fix_edits or sarif_edits  # the edits are worked out from the whole fixes
    engine.edits_at_lint = sarif_edits
    workers = worker_count(jobs, len(files))
    if workers > 1:
        outcomes = _lint_parallel(engine, files, workers)
    else:
        outcomes = (lint_file(engine, shown, path) for shown, path in files)
    gathered, read = StackResult(), []
    for shown, result, file_errors in outcomes:
        errors.extend(file_errors)
        if file_errors or result is not None:
            read.append(shown)
        if result is not None:
            gathered.absorb(result)
    findings, run_errors = engine.finish([gathered])
    errors = sorted(errors + run_errors, key=lambda e: e.sort_key())
    return Report(findings=findings, errors=errors, files=len(read), paths=read, resources=gathered.resources,
                  checks=engine.specs, tool_version=__version__, fail_on=config.fail_on)


def _as_text(files: list) -> list:
    """``(shown, path)`` pairs with each path a string, the shown one when the two are the same: a run
    holds its file list until it ends, and a Path object with its parts costs some 250 bytes a file
    more (issue 18: 2.5 MB at 10,000 templates); opening and reading a file take either."""
    pairs = []
    for shown, path in files:
        path = os.fspath(path)
        pairs.append((shown, shown if path == shown else path))
    return pairs


def lint_file(engine: Engine, shown: str, path) -> tuple:
    """One file through the source and the engine: ``(shown, StackResult or None, [ErrorEntry])``.

    Whatever goes wrong inside stays inside: an unexpected exception becomes an error entry for this
    file (the run is incomplete, exit code 2) and every other file is still linted.
    """
    from lakelint.sources.cloudformation.source import load_stack

    try:
        stack, file_errors = load_stack(shown, path, engine.config.max_file_size)
        if stack is None:
            return shown, None, file_errors
        result = engine.run_stack(stack)
        if engine.edits_at_lint and result.findings:
            from lakelint.runs.fix import summarise_with_edits

            summarise_with_edits(result.findings, path)
        return shown, result, file_errors
    except Exception as exc:  # noqa: BLE001 - one bad file must not cost the others their findings
        return shown, None, [ErrorEntry(f"internal error while linting this file: {type(exc).__name__}: {exc}",
                                        file=shown)]


def available_cpus() -> int:
    """CPUs this process may use: its affinity mask, capped by a cgroup v2 CPU quota (containers and
    CI runners often show every host CPU but allow only a share of them)."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        count = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as handle:
            quota, period = handle.read().split()[:2]
        if quota != "max":
            count = min(count, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return count


def worker_count(jobs: int | None, files: int) -> int:
    """How many worker processes a run of ``files`` files gets; 1 means none (lint in this process)."""
    if jobs is not None and jobs < 0:
        raise ValueError("jobs must be 0 (automatic) or a positive number of processes")
    if not jobs:  # automatic
        if files < PARALLEL_MIN_FILES:
            return 1
        jobs = available_cpus()
    if jobs == 1 or files < 2 or not _can_fork():
        return 1
    return min(jobs, -(-files // 2))


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _chunks(files: list, workers: int) -> list:
    size = max(1, min(MAX_CHUNK, -(-len(files) // (workers * 4))))
    return [files[i:i + size] for i in range(0, len(files), size)]


# -- worker processes ----------------------------------------------------------------------------

_WORKER_ENGINE = None


def _init_worker(engine: Engine) -> None:
    """Runs once in each forked worker: the engine arrives by inheritance, not by pickling (check
    functions loaded from a folder cannot be pickled by reference)."""
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine


def _lint_chunk(chunk: list) -> list:
    return [lint_file(_WORKER_ENGINE, shown, path) for shown, path in chunk]


def _lint_parallel(engine: Engine, files: list, workers: int):
    """Per-file outcomes in file order, computed by ``workers`` forked processes.

    A chunk whose results cannot come back (a worker that died, a value that would not pickle) is
    linted again here, in this process, so a problem in the pool costs time, never findings.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    chunks = _chunks(files, workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(engine,)) as pool:
        # each future let go once read: a future keeps its chunk's results, and the run keeps them only
        # until they are gathered (``StackResult.absorb``)
        pending = deque((chunk, pool.submit(_lint_chunk, chunk)) for chunk in chunks)
        while pending:
            chunk, future = pending.popleft()
            try:
                outcomes = future.result()
            except Exception:  # noqa: BLE001 - BrokenProcessPool, PicklingError, ...
                outcomes = [lint_file(engine, shown, path) for shown, path in chunk]
            for _shown, result, _errors in outcomes:
                if result is not None:
                    engine.share(result)
            yield from outcomes

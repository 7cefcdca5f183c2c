"""Measure lakelint in template mode against the PyYAML C-loader floor, checkov and cfn-lint, in one run.

What it does, in order:

1. builds a clean virtualenv the way pre-commit does (``python -m venv`` + ``pip install <repo>``, no
   editable install, nothing else), so lakelint starts in a bare interpreter (DESIGN.md section 10);
2. generates deterministic corpora with bench/generate.py (1, 100 and 1,000 templates by default);
3. runs every tool on the same files, ``--repeat`` times each, as separate processes, and keeps the
   median wall time, the peak resident memory (``ru_maxrss`` from ``wait4``: the largest single process
   of the tool's process tree) and CPU time over wall time (about 2.0 when two cores are busy);
4. prints a Markdown table, with every time also given as a ratio to the floor and to lakelint, and
   checks the budgets of issue 6 against figures from this same run.

Tools:
- **floor**: the venv's interpreter loading every file with ``yaml.load(..., CSafeLoader)`` (plus a
  catch-all constructor for CloudFormation's ``!Ref``-style tags, which the safe loader refuses).
  That is the least any YAML-reading Python linter can do.
- **lakelint**: the venv's ``lakelint`` entry point, default settings (automatic ``--jobs``); also
  ``--jobs 1`` on the largest corpus, whose output must be byte-identical.
- **checkov** and **cfn-lint**, when found (``--checkov`` / ``--cfn-lint`` or on PATH); a missing one
  is reported as missing and the rest still runs. They run on the 1- and 100-template corpora by
  default (``--competitor-sizes``): cfn-lint needs minutes for 1,000 templates.

Usage::

    python3 bench/run_bench.py [--sizes 1,100,1000] [--repeat 5] [--competitor-repeat 3]
                               [--checkov PATH] [--cfn-lint PATH] [--work DIR] [--markdown FILE]

This is a measurement, not a test: nothing here asserts timings, and tests/ never runs it. Timings
are only comparable within one run on one machine; that is why every figure is also a ratio.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py, beside this file)

FLOOR_SCRIPT = '''\
import sys
import yaml


class Loader(yaml.CSafeLoader):
    pass


def _tagged(loader, suffix, node):  # !Ref, !Sub, ...: build the value under the tag
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}


Loader.add_multi_constructor("!", _tagged)
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        yaml.load(handle, Loader=Loader)
'''


FEW = "lakelint --select LL301 (few findings)"


@dataclass
class Sample:
    wall: float
    peak_kb: int
    cpu: float
    code: int


@dataclass
class Measure:
    tool: str
    size: int
    samples: list = field(default_factory=list)
    missing: str | None = None

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return statistics.median(s.peak_kb for s in self.samples) / 1024

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(s.cpu / s.wall for s in self.samples if s.wall > 0)


def run_once(argv, cwd=None, env=None, stdout=subprocess.DEVNULL, timeout=3600) -> Sample:
    """One process, timed from fork to reaping; memory and CPU from ``wait4`` (children included)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(wall=wall, peak_kb=usage.ru_maxrss, cpu=usage.ru_utime + usage.ru_stime, code=proc.returncode)


def measure(tool, size, argv, repeat, warmup=True, **kwargs) -> Measure:
    result = Measure(tool, size)
    if warmup:  # fill the page cache and the bytecode caches; not counted
        run_once(argv, **kwargs)
    for _ in range(repeat):
        result.samples.append(run_once(argv, **kwargs))
    return result


# -- setting up ----------------------------------------------------------------------------------


def build_venv(venv: Path, reuse: bool) -> Path:
    """A bare virtualenv holding lakelint as pre-commit would install it (a wheel built from the tree)."""
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if reuse and python.exists():  # same venv, the tree as it is now
        subprocess.run([*pip, "--force-reinstall", "--no-deps", str(REPO)], check=True)
        return python
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([*pip, str(REPO)], check=True)
    return python


def corpus(work: Path, size: int, seed: int) -> list:
    folder = work / f"corpus-{size}"
    stamp = folder / ".generated"
    if not (stamp.exists() and stamp.read_text() == f"{size} {seed}"):
        if folder.exists():
            shutil.rmtree(folder)
        generate.write_corpus(folder, size, seed)
        stamp.write_text(f"{size} {seed}")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".json"))


def find_tool(explicit: str | None, name: str) -> str | None:
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    return shutil.which(name)


# -- running ---------------------------------------------------------------------------------------


def run(args) -> dict:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"building the clean virtualenv in {work / 'venv'} ...", file=sys.stderr)
    python = build_venv(work / "venv", reuse=not args.fresh_venv)
    lakelint = str(python.parent / "lakelint")
    floor_script = work / "floor.py"
    floor_script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONPATH", None)  # the venv must see only what it installed

    checkov = find_tool(args.checkov, "checkov")
    cfn_lint = find_tool(args.cfn_lint, "cfn-lint")
    measures = []

    startup = measure("interpreter start-up", 0, [str(python), "-c", "pass"], args.repeat, env=env)
    measures.append(startup)
    for size in args.sizes:
        files = corpus(work, size, args.seed)
        names = [str(p) for p in files]
        targets = names if size == 1 else [str(files[0].parent)]  # one file as pre-commit passes it
        print(f"{size} template(s) ...", file=sys.stderr)
        measures.append(measure("floor (PyYAML C loader)", size, [str(python), str(floor_script), *names],
                                args.repeat, env=env))
        measures.append(measure("lakelint", size, [lakelint, *targets], args.repeat, env=env))
        if size == max(args.sizes) and size >= 2:
            measures.append(measure("lakelint --jobs 1", size, [lakelint, "--jobs", "1", *targets],
                                    args.repeat, env=env))
        if size in args.competitor_sizes:
            for tool, path, argv in (
                ("checkov", checkov, [checkov, "--quiet", "--compact", "--skip-download", "--framework",
                                      "cloudformation", *(["-f", names[0]] if size == 1 else ["-d", targets[0]])]),
                ("cfn-lint", cfn_lint, [cfn_lint, *names]),
            ):
                if path is None:
                    measures.append(Measure(tool, size, missing="not installed"))
                    continue
                print(f"  {tool} ...", file=sys.stderr)
                measures.append(measure(tool, size, argv, args.competitor_repeat, warmup=False, env=env))

    for size in sorted(set(args.memory_sizes) | {s for s in args.sizes if s >= 100}):
        files = corpus(work, size, args.seed)
        print(f"memory at {size} templates ...", file=sys.stderr)
        if size not in args.sizes:
            measures.append(measure("lakelint", size, [lakelint, str(files[0].parent)], 1, env=env))
        # The same run with few findings: what a run keeps is its findings (and a small stub per
        # resource for run-wide checks), never the templates, so memory tracks findings, not files.
        measures.append(measure(FEW, size, [lakelint, "--select", "LL301", str(files[0].parent)], 1, env=env))

    identical = same_output(lakelint, work, max(args.sizes), args.seed, env)
    return {"measures": measures, "identical": identical, "startup": startup,
            "tools": {"checkov": checkov and version_of([checkov, "--version"]),
                      "cfn-lint": cfn_lint and version_of([cfn_lint, "--version"])},
            "python": version_of([str(python), "--version"])}


def same_output(lakelint: str, work: Path, size: int, seed: int, env) -> bool:
    """Reports of the automatic (parallel) run and of ``--jobs 1``, byte for byte."""
    folder = corpus(work, size, seed)[0].parent
    outputs = []
    for jobs in ("0", "1"):
        out = work / f"report-jobs{jobs}.json"
        subprocess.run([lakelint, "--jobs", jobs, "-f", "json", "-o", str(out), str(folder)], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        outputs.append(out.read_bytes() if out.exists() else None)
    return outputs[0] is not None and outputs[0] == outputs[1]


def version_of(argv) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


# -- reporting -------------------------------------------------------------------------------------


def _find(measures, tool, size):
    for m in measures:
        if m.tool == tool and m.size == size and not m.missing:
            return m
    return None


def render(results: dict, args) -> str:
    measures = results["measures"]
    startup = results["startup"].wall
    lines = [
        f"Measured {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end; {results['python']} "
        f"(clean venv); checkov: {results['tools']['checkov'] or 'not installed'}; "
        f"cfn-lint: {results['tools']['cfn-lint'] or 'not installed'}.",
        f"Median of {args.repeat} runs ({args.competitor_repeat} for checkov and cfn-lint). "
        f"Interpreter start-up alone: {startup * 1000:.0f} ms.",
        "",
        "| templates | tool | wall (s) | x floor | x lakelint | peak RSS (MB) | CPU / wall |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for m in measures:
        if m.size == 0:
            continue
        if m.missing:
            lines.append(f"| {m.size:,} | {m.tool} | {m.missing} | | | | |")
            continue
        floor = _find(measures, "floor (PyYAML C loader)", m.size)
        ours = _find(measures, "lakelint", m.size)
        x_floor = f"{m.wall / floor.wall:.2f}" if floor else ""
        x_ours = f"{m.wall / ours.wall:.1f}" if ours else ""
        lines.append(f"| {m.size:,} | {m.tool} | {m.wall:.3f} | {x_floor} | {x_ours} | {m.peak_mb:.0f} | "
                     f"{m.cpu_ratio:.2f} |")
    lines += ["", "Budgets (issue 6), from the figures above:", ""]
    lines += [f"- {line}" for line in budgets(results)]
    return "\n".join(lines) + "\n"


def budgets(results: dict) -> list:
    measures = results["measures"]
    startup = results["startup"].wall
    out = []

    def verdict(ok):
        return "met" if ok else "NOT MET"

    one = _find(measures, "lakelint", 1)
    if one:
        out.append(f"one template through the CLI under 150 ms: {one.wall * 1000:.0f} ms, {verdict(one.wall < 0.150)}")
    ours, checkov = _find(measures, "lakelint", 100), _find(measures, "checkov", 100)
    if ours and checkov:
        out.append(f"100 templates in at most 1/20 of checkov's time: 1/{checkov.wall / ours.wall:.0f}, "
                   f"{verdict(checkov.wall / ours.wall >= 20)}")
    elif ours:
        out.append("100 templates vs checkov: checkov not installed, not measured")
    cfn = _find(measures, "cfn-lint", 100)
    if ours and cfn:
        out.append(f"100 templates vs cfn-lint: 1/{cfn.wall / ours.wall:.0f} of its time")
    big = max(results["sizes"])
    ours, floor = _find(measures, "lakelint", big), _find(measures, "floor (PyYAML C loader)", big)
    if ours and floor and big >= 1000:
        limit = 2 * (floor.wall - startup) + startup
        out.append(f"{big:,} templates within 2x the C-loader floor plus start-up: {ours.wall:.2f} s against "
                   f"2 x {floor.wall - startup:.2f} + {startup:.2f} = {limit:.2f} s, {verdict(ours.wall <= limit)}")
    serial = _find(measures, "lakelint --jobs 1", big)
    if ours and serial:
        out.append(f"both cores on large runs: CPU/wall {ours.cpu_ratio:.2f} (one process: {serial.cpu_ratio:.2f}), "
                   f"{serial.wall / ours.wall:.2f}x faster than --jobs 1; output identical to --jobs 1: "
                   f"{'yes' if results['identical'] else 'NO'}")
    for tool, what in (("lakelint", "all checks"), (FEW, "few findings")):
        sizes = sorted({m.size for m in measures if m.tool == tool and m.size >= 100})
        if len(sizes) >= 2:
            peaks = ", ".join(f"{_find(measures, tool, s).peak_mb:.0f} MB at {s:,}" for s in sizes)
            low, high = _find(measures, tool, sizes[0]), _find(measures, tool, sizes[-1])
            out.append(f"peak memory as N grows ({what}): {peaks} (x{high.peak_mb / low.peak_mb:.2f} for "
                       f"x{sizes[-1] / sizes[0]:.0f} the templates)")
    return out


def _sizes(text: str) -> list:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[1, 100, 1000], help="corpus sizes (default 1,100,1000)")
    parser.add_argument("--memory-sizes", type=_sizes, default=[4000],
                        help="extra lakelint-only sizes for the memory column (default 4000)")
    parser.add_argument("--competitor-sizes", type=_sizes, default=[1, 100],
                        help="sizes checkov and cfn-lint run on (default 1,100)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--competitor-repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--checkov", help="checkov executable (default: from PATH)")
    parser.add_argument("--cfn-lint", help="cfn-lint executable (default: from PATH)")
    parser.add_argument("--work", default="/tmp/lakelint-bench", help="scratch folder (venv, corpora)")
    parser.add_argument("--fresh-venv", action="store_true", help="rebuild the virtualenv from scratch")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--json", help="also write the raw samples to this file")
    args = parser.parse_args(argv)
    results = run(args)
    results["sizes"] = args.sizes
    text = render(results, args)
    sys.stdout.write(text)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    if args.json:
        raw = [{"tool": m.tool, "size": m.size, "missing": m.missing,
                "samples": [s.__dict__ for s in m.samples]} for m in results["measures"]]
        Path(args.json).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure lakelint in template mode against three parsing floors, checkov and cfn-lint, in one run.

What it does, in order:

1. builds a clean virtualenv the way pre-commit does (``python -m venv`` + ``pip install <repo>``, no
   editable install, nothing else), so lakelint starts in a bare interpreter (DESIGN.md section 10);
2. generates deterministic corpora with bench/generate.py (1, 100, 1,000 and 10,000 templates);
3. runs every tool on the same files as separate processes, **paired**: each repetition runs every
   tool of a size once, in an order that rotates between repetitions, so a burst of load from the
   other users of a shared machine lands on all of them alike. Each sample keeps the wall time, the
   CPU time (user + system, children included, from ``wait4``) and the peak resident memory
   (``ru_maxrss``: the largest single process of the tool's process tree);
4. prints a Markdown table of medians with every time also as a ratio to ``yaml.compose`` on the same
   files (the median of the per-repetition ratios, so each ratio compares runs made side by side),
   the load average before and after, and the goals of issue 18 judged on figures of this run only.

Tools:
- three **floors**, the venv's interpreter reading every file with PyYAML's C (libyaml) classes:
  ``libyaml events`` (``yaml.parse``: the C parser's events, nothing built), ``yaml.compose`` (the node
  tree with line and column marks: what a position-keeping linter needs at least) and ``yaml.load``
  (plain Python values, positions dropped). CloudFormation's ``!Ref``-style tags are accepted.
- **lakelint** on one core (``--jobs 1``) and on two (``--jobs 2``); from 100 templates on it writes
  the JSON report to a file (what CI keeps), on one template it prints text (what pre-commit shows).
  The two runs' JSON reports at the largest size must be byte-identical. At ``--sarif-sizes`` (default
  1,000) also on two cores writing SARIF, the report that carries each fix's text edits.
- **checkov** and **cfn-lint**, when found (``--checkov`` / ``--cfn-lint`` or on PATH), at
  ``--competitor-sizes``; a missing one is reported as missing, and a run longer than
  ``--competitor-timeout`` is reported as such and not repeated.
- ``python -c pass`` beside the one-template runs: the interpreter's own start-up, the baseline of the
  start-up goal.

Usage::

    python3 bench/run_bench.py [--sizes 1,100,1000,10000] [--sarif-sizes 1000] [--repeat 3] [--competitor-repeat 1]
                               [--competitor-sizes 1,100,1000,10000] [--competitor-timeout 900]
                               [--checkov PATH] [--cfn-lint PATH] [--work DIR] [--markdown FILE] [--json FILE]

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
import os
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
mode, folder = sys.argv[1], sys.argv[2]
names = [folder] if folder.endswith((".yaml", ".json")) else sorted(
    os.path.join(folder, n) for n in os.listdir(folder) if n.endswith((".yaml", ".json")))
for name in names:
    with open(name, "rb") as handle:
        text = handle.read()
    if mode == "events":
        for _ in yaml.parse(text, Loader=Loader):
            pass
    elif mode == "compose":
        yaml.compose(text, Loader=Loader)
    else:
        yaml.load(text, Loader=Loader)
'''

EVENTS, COMPOSE, LOAD = "floor: libyaml events", "floor: yaml.compose", "floor: yaml.load"
FLOORS = ((EVENTS, "events"), (COMPOSE, "compose"), (LOAD, "load"))
BASELINE = COMPOSE  # every ratio is to this, measured on the same files in the same repetition
ONE, TWO = "lakelint, 1 core", "lakelint, 2 cores"
SARIF = "lakelint, SARIF, 2 cores"  # SARIF carries each fix's text edits: the dearest report to write
START = "python -c pass"


@dataclass
class Sample:
    wall: float
    peak_kb: int
    cpu: float
    code: int
    timed_out: bool = False


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
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return statistics.median(s.peak_kb for s in self.samples) / 1024

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(s.cpu / s.wall for s in self.samples if s.wall > 0)


def paired_ratio(measure: Measure, base: Measure, what: str = "wall") -> float | None:
    """The median over repetitions of ``measure / base``, each ratio from one repetition's pair."""
    pairs = [getattr(a, what) / getattr(b, what) for a, b in zip(measure.samples, base.samples)
             if getattr(b, what) > 0 and not a.timed_out]
    return statistics.median(pairs) if pairs else None


def run_once(argv, cwd=None, env=None, stdout=subprocess.DEVNULL, timeout=3600) -> Sample:
    """One process, timed from fork to reaping; memory and CPU from ``wait4`` (children included)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            timed_out = True
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - start
    return Sample(wall=wall, peak_kb=usage.ru_maxrss, cpu=usage.ru_utime + usage.ru_stime,
                  code=os.waitstatus_to_exitcode(status), timed_out=timed_out)


def measure_paired(size: int, plan: list, repeat: int, env) -> list:
    """``plan``: (tool, argv, repetitions, timeout). One warm-up of each (page and bytecode caches),
    then ``repeat`` rounds running every tool once, the order rotating by one each round."""
    measures = [Measure(tool, size) for tool, *_ in plan]
    for tool, argv, reps, timeout in plan:
        if reps >= repeat:  # competitors are not warmed up: a run can take minutes
            run_once(argv, env=env, timeout=timeout)
    for round_ in range(repeat):
        order = list(range(len(plan)))
        order = order[round_ % len(order):] + order[:round_ % len(order)]
        for index in order:
            tool, argv, reps, timeout = plan[index]
            if len(measures[index].samples) >= reps or any(s.timed_out for s in measures[index].samples):
                continue
            print(f"  {size:,} {tool} (round {round_ + 1})", file=sys.stderr)
            measures[index].samples.append(run_once(argv, env=env, timeout=timeout))
    return measures


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
    load_before = os.getloadavg()
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
    for size in args.sizes:
        files = corpus(work, size, args.seed)
        target = str(files[0]) if size == 1 else str(files[0].parent)  # one file as pre-commit passes it
        report = [] if size == 1 else ["-f", "json", "-o", str(work / "report.json")]
        plan = [(tool, [str(python), str(floor_script), mode, target], args.repeat, 3600) for tool, mode in FLOORS]
        if size == 1:
            plan.append((START, [str(python), "-c", "pass"], args.repeat, 60))
        plan += [(ONE, [lakelint, "--jobs", "1", *report, target], args.repeat, 3600),
                 (TWO, [lakelint, "--jobs", "2", *report, target], args.repeat, 3600)]
        if size in args.sarif_sizes:
            plan.append((SARIF, [lakelint, "--jobs", "2", "-f", "sarif", "-o", str(work / "report.sarif"), target],
                         args.repeat, 3600))
        missing = []
        if size in args.competitor_sizes:
            for tool, path, argv in (
                ("checkov", checkov, [checkov, "--quiet", "--compact", "--skip-download", "--framework",
                                      "cloudformation", *(["-f", target] if size == 1 else ["-d", target])]),
                ("cfn-lint", cfn_lint, [cfn_lint, *([target] if size == 1 else [f"{target}/*.yaml",
                                                                                 f"{target}/*.json"])]),
            ):
                if path is None:
                    missing.append(Measure(tool, size, missing="not installed"))
                else:
                    plan.append((tool, argv, args.competitor_repeat, args.competitor_timeout))
        print(f"{size:,} template(s) ...", file=sys.stderr)
        measures += measure_paired(size, plan, args.repeat, env) + missing

    identical = same_output(lakelint, work, max(args.sizes), args.seed, env)
    return {"measures": measures, "identical": identical, "load": (load_before, os.getloadavg()),
            "tools": {"checkov": checkov and version_of([checkov, "--version"]),
                      "cfn-lint": cfn_lint and version_of([cfn_lint, "--version"])},
            "python": version_of([str(python), "--version"]), "timeout": args.competitor_timeout}


def same_output(lakelint: str, work: Path, size: int, seed: int, env) -> bool:
    """JSON reports of the one-core and the two-core run, byte for byte."""
    folder = corpus(work, size, seed)[0].parent
    outputs = []
    for jobs in ("2", "1"):
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
    before, after = results["load"]
    lines = [
        f"Measured {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; load average {before[0]:.2f} before and {after[0]:.2f} after; "
        f"{results['python']} (clean venv); checkov: {results['tools']['checkov'] or 'not installed'}; "
        f"cfn-lint: {results['tools']['cfn-lint'] or 'not installed'}.",
        f"Medians of {args.repeat} paired rounds ({args.competitor_repeat} for checkov and cfn-lint); "
        f"\"x compose\" is the median of the per-round ratios to `yaml.compose` on the same files.",
        "",
        "| templates | tool | wall (s) | x compose (wall) | CPU (s) | x compose (CPU) | peak RSS (MB) | CPU / wall |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measures:
        if m.missing:
            lines.append(f"| {m.size:,} | {m.tool} | {m.missing} | | | | | |")
            continue
        if any(s.timed_out for s in m.samples):
            lines.append(f"| {m.size:,} | {m.tool} | over {results['timeout']} s (stopped) | | | | | |")
            continue
        base = _find(measures, BASELINE, m.size)
        wall_x, cpu_x = (paired_ratio(m, base, "wall"), paired_ratio(m, base, "cpu")) if base else (None, None)
        lines.append(f"| {m.size:,} | {m.tool} | {m.wall:.3f} | {_x(wall_x)} | {m.cpu:.3f} | {_x(cpu_x)} | "
                     f"{m.peak_mb:.0f} | {m.cpu_ratio:.2f} |")
    lines += ["", "Goals of issue 18, from the figures above:", ""]
    lines += [f"- {line}" for line in goals(results)]
    return "\n".join(lines) + "\n"


def _x(ratio) -> str:
    return "" if ratio is None else f"{ratio:.2f}"


def goals(results: dict) -> list:
    measures = results["measures"]
    out = []

    def verdict(ok):
        return "met" if ok else "NOT MET"

    one, start = _find(measures, ONE, 1), _find(measures, START, 1)
    if one and start:
        out.append(f"one template through the CLI: {one.wall * 1000:.0f} ms wall, {paired_ratio(one, start):.1f}x "
                   f"`python -c pass` ({start.wall * 1000:.0f} ms) in the same rounds; CPU {one.cpu * 1000:.0f} ms, "
                   f"{paired_ratio(one, start, 'cpu'):.1f}x its {start.cpu * 1000:.0f} ms; under 70 ms: "
                   f"{verdict(one.wall < 0.070)}")
    for size in (1000, *sorted({m.size for m in measures} - {1000})):
        serial, parallel, base = _find(measures, ONE, size), _find(measures, TWO, size), _find(measures, BASELINE, size)
        if serial and parallel and base and size >= 100:
            cpu, wall = paired_ratio(serial, base, "cpu"), paired_ratio(parallel, base, "wall")
            out.append(f"{size:,} templates: one core's CPU {cpu:.2f}x `yaml.compose` (goal 2.5x: "
                       f"{verdict(cpu <= 2.5)}); two cores' wall {wall:.2f}x (goal 1.5x: {verdict(wall <= 1.5)})")
    ours, checkov, base = _find(measures, TWO, 100), _find(measures, "checkov", 100), _find(measures, BASELINE, 100)
    if ours and checkov and base and not any(s.timed_out for s in checkov.samples):
        # each tool against yaml.compose of its own round, then one against the other: a competitor runs
        # once, so its own median would carry whatever load its one run met
        ratio = paired_ratio(checkov, base) / paired_ratio(ours, base)
        cpu = paired_ratio(checkov, base, "cpu") / paired_ratio(ours, base, "cpu")
        out.append(f"100 templates: checkov takes {ratio:.0f}x lakelint's wall time and {cpu:.0f}x its CPU time "
                   f"(goal at least 50x: {verdict(ratio >= 50)})")
    else:
        out.append("100 templates vs checkov: checkov not measured in this run")
    big = max(m.size for m in measures)
    for tool in (ONE, TWO):
        m = _find(measures, tool, big)
        if m and big >= 10000:
            out.append(f"peak memory at {big:,} templates with the JSON report, {tool}: {m.peak_mb:.0f} MB "
                       f"(goal under 80 MB: {verdict(m.peak_mb < 80)})")
    out.append(f"JSON report of {big:,} templates, 1 core and 2 cores byte-identical: "
               f"{'yes' if results['identical'] else 'NO'}")
    return out


def _sizes(text: str) -> list:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[1, 100, 1000, 10000],
                        help="corpus sizes (default 1,100,1000,10000)")
    parser.add_argument("--competitor-sizes", type=_sizes, default=[1, 100, 1000, 10000],
                        help="sizes checkov and cfn-lint run on (default 1,100,1000,10000)")
    parser.add_argument("--competitor-timeout", type=int, default=900,
                        help="seconds a checkov or cfn-lint run may take before it is stopped (default 900)")
    parser.add_argument("--sarif-sizes", type=_sizes, default=[1000],
                        help="sizes lakelint also writes a SARIF report at, on two cores (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="paired rounds (default 3)")
    parser.add_argument("--competitor-repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--checkov", help="checkov executable (default: from PATH)")
    parser.add_argument("--cfn-lint", help="cfn-lint executable (default: from PATH)")
    parser.add_argument("--work", default="/tmp/lakelint-bench", help="scratch folder (venv, corpora)")
    parser.add_argument("--fresh-venv", action="store_true", help="rebuild the virtualenv from scratch")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--json", help="also write the raw samples to this file")
    args = parser.parse_args(argv)
    results = run(args)
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

"""How much would compiling lakelint's own Python with Cython save? A trial, not a build option.

Issue 18 asks for one core's CPU at 1,000 templates within 2.5x ``yaml.compose``. Tuning the Python
took it from 10.6x to 7.6x and left a flat profile, so the obvious next question is what compiled code
gives without rewriting anything. This script answers it on the machine it runs on:

1. builds a virtualenv with lakelint's dependencies (``pip install <repo>``), Cython and setuptools;
2. lays out two copies of the tree as a wheel would (``lakelint/`` with ``checks/`` as
   ``lakelint/checks``): one left as Python, one whose modules (by default every module of the engine,
   the template source, the knowledge, fixes and reporters packages and every check) are compiled in
   place by ``cythonize`` with the Python semantics kept: no C types from annotations (Cython would
   reject a ``LocDict`` where a ``dict`` is annotated) and no type inference (it would make
   ``len(x) << 64`` a C shift that overflows);
3. runs ``yaml.compose`` (the floor of run_bench.py), the Python copy and the compiled copy on the same
   generated corpus, paired and rotated as run_bench.py does, and prints medians with every time also
   as a ratio to ``yaml.compose`` and the compiled copy against the Python one;
4. checks that both copies write byte-identical JSON reports.

Usage::

    python3 bench/compiled_trial.py [--sizes 1,1000] [--repeat 5] [--work DIR] [--markdown FILE]
                                    [--modules GLOB,GLOB,...]

It needs a C compiler and the Python headers (Debian: ``gcc`` and ``python3-dev``) and reaches PyPI
for Cython. Compiling every module takes a few minutes on two cores. Nothing here changes how
lakelint is built or installed; docs/performance.md reports what it found and why lakelint stays
pure Python.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run_bench import FLOOR_SCRIPT, REPO, _sizes, corpus, measure_paired, paired_ratio  # noqa: E402

COMPOSE, PURE, COMPILED = "floor: yaml.compose", "lakelint, Python", "lakelint, compiled"
DEFAULT_MODULES = ("lakelint/core/*.py", "lakelint/sources/cloudformation/*.py", "lakelint/knowledge/*.py",
                   "lakelint/fixes/*.py", "lakelint/reporters/*.py", "lakelint/runs/templates.py",
                   "lakelint/checks/*/*.py")
# Cython's own directives: keep Python's semantics, make functions introspectable like Python's
DIRECTIVES = ("language_level=3", "binding=True", "annotation_typing=False", "infer_types=False")
LAUNCHER = "from lakelint.cli import run\nrun()\n"  # the console script's own entry point


def build_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        str(REPO), "cython", "setuptools"], check=True)
    return python


def lay_out(tree: Path) -> Path:
    """The repository's package as a wheel installs it, with a script that runs its CLI."""
    if tree.exists():
        shutil.rmtree(tree)
    skip = shutil.ignore_patterns("__pycache__", "*.so", "*.c", "build")
    shutil.copytree(REPO / "lakelint", tree / "lakelint", ignore=skip)
    shutil.copytree(REPO / "checks", tree / "lakelint" / "checks", ignore=skip)
    launcher = tree / "run_lakelint.py"
    launcher.write_text(LAUNCHER, encoding="utf-8")
    return launcher


def compile_tree(python: Path, tree: Path, patterns) -> list:
    modules = sorted({str(p.relative_to(tree)) for pattern in patterns for p in tree.glob(pattern)
                      if p.name != "__init__.py"})
    cythonize = python.parent / "cythonize"
    argv = [str(cythonize), "-i", "-j", str(os.cpu_count() or 1), "-q"]
    for directive in DIRECTIVES:
        argv += ["-X", directive]
    print(f"compiling {len(modules)} modules ...", file=sys.stderr)
    subprocess.run([*argv, *modules], cwd=tree, check=True, stdout=subprocess.DEVNULL)
    built = sorted(tree.glob("lakelint/**/*.so"))
    if len(built) != len(modules):
        raise SystemExit(f"cythonize built {len(built)} of {len(modules)} modules")
    return modules


def same_report(python: Path, launchers, folder: Path, work: Path, env) -> bool:
    outputs = []
    for name, launcher in launchers:
        out = work / f"report-{name}.json"
        subprocess.run([str(python), str(launcher), "--jobs", "1", "-f", "json", "-o", str(out), str(folder)],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        outputs.append(out.read_bytes() if out.exists() else None)
    return outputs[0] is not None and outputs[0] == outputs[1]


def render(measures, modules: list, identical: bool, load) -> str:
    lines = [f"Measured {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
             f"{os.cpu_count()} CPUs; load average {load[0][0]:.2f} before and {load[1][0]:.2f} after; "
             f"Python {platform.python_version()}; {len(modules)} modules compiled.", "",
             "| templates | run | wall (s) | CPU (s) | x compose (CPU) | compiled / Python (CPU) |",
             "|---:|---|---:|---:|---:|---:|"]
    for size in sorted({m.size for m in measures}):
        row = {m.tool: m for m in measures if m.size == size}
        for tool in (COMPOSE, PURE, COMPILED):
            m = row[tool]
            x_compose = paired_ratio(m, row[COMPOSE], "cpu")
            versus = paired_ratio(m, row[PURE], "cpu") if tool == COMPILED else None
            lines.append(f"| {size:,} | {tool} | {m.wall:.3f} | {m.cpu:.3f} | {x_compose:.2f} | "
                         f"{'' if versus is None else f'{versus:.2f}'} |")
    lines += ["", f"JSON reports of the two copies byte-identical: {'yes' if identical else 'NO'}"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[1, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "lakelint-compiled"))
    parser.add_argument("--modules", default=",".join(DEFAULT_MODULES),
                        help="comma-separated globs, relative to the laid-out tree, of the modules to compile")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    python = build_venv(work / "venv")
    pure, compiled = lay_out(work / "python-tree"), lay_out(work / "compiled-tree")
    modules = compile_tree(python, compiled.parent, args.modules.split(","))
    for tree in (pure.parent, compiled.parent):  # bytecode for what stays Python, as pip install writes it
        subprocess.run([str(python), "-m", "compileall", "-q", str(tree / "lakelint")], check=True,
                       stdout=subprocess.DEVNULL)
    floor = work / "floor.py"
    floor.write_text(FLOOR_SCRIPT, encoding="utf-8")
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONPATH", None)
    measures = []
    for size in args.sizes:
        files = corpus(work, size, args.seed)
        target = str(files[0]) if size == 1 else str(files[0].parent)
        report = ["-f", "json", "-o", str(work / "report.json")]
        plan = [(COMPOSE, [str(python), str(floor), "compose", target], args.repeat, 3600)]
        plan += [(tool, [str(python), str(launcher), "--jobs", "1", *report, target], args.repeat, 3600)
                 for tool, launcher in ((PURE, pure), (COMPILED, compiled))]
        measures += measure_paired(size, plan, args.repeat, env)
    folder = corpus(work, max(args.sizes), args.seed)[0].parent
    identical = same_report(python, (("python", pure), ("compiled", compiled)), folder, work, env)
    text = render(measures, modules, identical, (load_before, os.getloadavg()))
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())

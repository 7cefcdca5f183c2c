"""Regenerate constraints/test.txt: the pinned test environment (every package, transitive ones too).

Builds a fresh virtualenv, installs the project's test extra at the newest versions pyproject.toml and
constraints/holds.txt allow, runs the whole suite there, and only then writes the new pins. Run it from
the repository root with the interpreter CI uses:

    python3 constraints/update.py            # resolve, test, write constraints/test.txt
    python3 constraints/update.py --no-test  # resolve and write only (review the diff, then run CI)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints" / "test.txt"
HOLDS = ROOT / "constraints" / "holds.txt"
# Packages pip needs for an isolated build of this project: pinned too, through PIP_CONSTRAINT.
BUILD = ["setuptools", "wheel"]


def header() -> str:
    """The comment block of the current lock file, kept as it is."""
    lines = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-test", action="store_true", help="write the pins without running the suite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lakelint-lock-") as scratch:
        env = Path(scratch) / "venv"
        venv.create(env, with_pip=True)
        pip = [str(env / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "-c", str(HOLDS)]
        subprocess.run(pip + ["pip"], check=True)
        subprocess.run(pip + [*BUILD, f"{ROOT}[test]"], check=True)
        if not args.no_test:
            subprocess.run([str(env / "bin" / "python"), "-m", "pytest", "-n", "auto", "-q"], cwd=ROOT, check=True)
        frozen = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "freeze", "--all"], check=True,
                                capture_output=True, text=True).stdout.splitlines()
    pins = sorted((line for line in frozen if "==" in line and not line.lower().startswith(("lakelint", "pip=="))),
                  key=str.lower)
    LOCK.write_text(header() + "\n".join(pins) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)}: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())

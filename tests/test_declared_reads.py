"""Every check declares what it reads (issue 13 item 1), and reads nothing else.

Live mode plans its API calls from ``reads=`` (a property no declaration names is never fetched, and
reading it live gives "not read", never "not set"), so a declaration that misses a property makes
the live check wrong. This test runs every check on its template fixtures while recording every
property each check reads, and requires each one to be covered by its declaration: the property
itself, or a path above it (``BucketEncryption`` covers ``BucketEncryption.ServerSideEncryption...``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lakelint.core.check import EVERY_PROPERTY
from lakelint.core.config import Config
from lakelint.core.reading import recording_paths
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates

ROOT = Path(__file__).resolve().parent.parent
SPECS = load_checks(plugins=False)

def _recorded() -> dict:
    files = sorted(str(p) for p in (ROOT / "fixtures").glob("LL*/template/*"))
    with recording_paths() as paths:
        lint_templates(files, Config(preview=True), SPECS, jobs=1)
    return paths


RECORDED = _recorded()


def _covered(path: str, declared) -> bool:
    return any(d == EVERY_PROPERTY or path == d or path.startswith(d + ".") or d.startswith(path + ".")
               for d in declared)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.code)
def test_every_property_a_check_reads_is_declared(spec):
    undeclared = sorted({(rtype, path) for rtype, path in RECORDED.get(spec.code, set())
                         if path and not _covered(path, spec.reads.get(rtype, ()))})
    assert undeclared == [], f"{spec.code} reads {undeclared} without declaring them in reads="


def test_checks_declare_exact_properties_not_every_property():
    """A check that declares "every property" of a type makes live mode read all of it: every built-in
    check declares exactly what it reads."""
    every = sorted(s.code for s in SPECS if any(EVERY_PROPERTY in paths for paths in s.reads.values()))
    assert every == []

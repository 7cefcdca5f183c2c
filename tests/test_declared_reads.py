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
    """A check that declares "every property" of a type makes live mode read all of it. The built-in
    checks moving to exact declarations leave this list; it must end empty."""
    every = sorted(s.code for s in SPECS if any(EVERY_PROPERTY in paths for paths in s.reads.values()))
    assert every == sorted(STILL_EVERY_PROPERTY)


STILL_EVERY_PROPERTY = {
    'LL119', 'LL120', 'LL201', 'LL202', 'LL203', 'LL204', 'LL401', 'LL402', 'LL403', 'LL404',
    'LL411', 'LL412', 'LL413', 'LL421', 'LL422', 'LL423', 'LL424', 'LL501', 'LL502', 'LL503',
    'LL504', 'LL505', 'LL506', 'LL507', 'LL508', 'LL509', 'LL511', 'LL512', 'LL513', 'LL514',
    'LL521', 'LL522', 'LL523', 'LL524', 'LL525', 'LL526', 'LL527', 'LL601', 'LL602', 'LL603',
    'LL604', 'LL605', 'LL606', 'LL607', 'LL608', 'LL611', 'LL612', 'LL621', 'LL622', 'LL701',
    'LL702', 'LL703', 'LL704', 'LL711', 'LL712', 'LL713', 'LL721', 'LL722', 'LL731', 'LL732',
}

"""``python -m lakelint.dev new-check``: the scaffolder writes a check's module and fixtures, and only those.

Each test runs it in a scratch copy of the checkout (it writes beside lakelint/), then loads the checks
of that copy to see that the new module is a valid check of the right code, area and status.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from environments import project_copy

from lakelint.dev.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory.mktemp("checkout"))


def _load(root: Path) -> dict:
    """The checks of the checkout at ``root``, loaded in a fresh interpreter (its own lakelint)."""
    code = ("import json, sys; from lakelint.core.registry import load_checks; "
            "print(json.dumps({s.code: [s.name, s.module, s.preview, sorted(s.reads)] for s in load_checks(plugins=False)}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    import json

    return json.loads(done.stdout)


def test_new_check_writes_the_module_and_its_fixtures_only(checkout, capsys):
    before = {p.relative_to(checkout) for p in checkout.rglob("*") if p.is_file()}
    assert main(["new-check", "governance", "glue-tables-documented", "--resource-type", "AWS::Glue::Table",
                 "--property", "TableInput"], root=checkout) == 0
    written = {p.relative_to(checkout) for p in checkout.rglob("*") if p.is_file()} - before
    code = sorted(p.parts[1] for p in written if p.parts[0] == "fixtures")[0]
    assert written == {Path("checks/governance/glue_tables_documented.py"), Path(f"fixtures/{code}/expected.yaml"),
                       Path(f"fixtures/{code}/template/pass_set.yaml"), Path(f"fixtures/{code}/template/fail_unset.yaml"),
                       Path(f"fixtures/{code}/live.py")}
    loaded = _load(checkout)
    assert loaded[code][:3] == ["glue-tables-documented", "lakelint.checks.governance.glue_tables_documented", True]
    assert loaded[code][3] == ["AWS::Glue::Table"]
    taken = sorted(c for c in loaded if c.startswith("LL7") and c != code)
    assert code == f"LL7{int(taken[-1][3:]) + 1:02d}"  # the area's next free code
    assert "wrote checks/governance/glue_tables_documented.py" in capsys.readouterr().out


def test_template_only_checks_get_no_live_scenarios(checkout):
    assert main(["new-check", "s3", "s3-retain-replicas", "--template-only", "--code", "LL199"], root=checkout) == 0
    assert not (checkout / "fixtures" / "LL199" / "live.py").exists()
    assert 'sources=["template"]' in (checkout / "checks" / "s3" / "s3_retain_replicas.py").read_text()


@pytest.mark.parametrize("argv, message", [
    (["new-check", "lakes", "x"], "unknown area 'lakes'"),
    (["new-check", "s3", "Not_Kebab"], "must be kebab-case"),
    (["new-check", "s3", "s3-again", "--code", "LL101"], "code LL101 is already used by checks/s3/"),
    (["new-check", "s3", "s3-elsewhere", "--code", "LL501"], "code LL501 is not in the range of area s3"),
    (["new-check", "s3", "s3-sse-kms", "--code", "LL198"], "s3_sse_kms.py exists already"),
])
def test_bad_input_is_a_clear_error_and_nothing_is_written(checkout, capsys, argv, message):
    before = {p for p in checkout.rglob("*") if p.is_file()}
    assert main(argv, root=checkout) == 2
    assert message in capsys.readouterr().err
    assert {p for p in checkout.rglob("*") if p.is_file()} == before


def test_a_scaffolded_check_fails_its_tests_until_it_is_written(checkout):
    """The live stubs raise, and the module holds TODO, which tests/test_docs.py refuses."""
    assert main(["new-check", "storage", "efs-throughput-mode", "--resource-type", "AWS::EFS::FileSystem",
                 "--code", "LL499"], root=checkout) == 0
    assert "raise NotImplementedError" in (checkout / "fixtures" / "LL499" / "live.py").read_text()
    assert "TODO" in (checkout / "checks" / "storage" / "efs_throughput_mode.py").read_text()

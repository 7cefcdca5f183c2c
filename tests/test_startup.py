"""What a one-template run (pre-commit's, once per commit) does without (issue 18 item 3): modules whose
import a template run does not need stay unimported, so that start-up stays cheap. Each was imported
once, for a use that is rare or belongs to another mode; the modules that now import them lazily say
why at the import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

UNNEEDED = (
    "typing",  # annotations say object and take Callable from collections.abc; pkgutil (plugins only) pulls it in
    "threading",  # signal tells whether handlers can be installed; reading and branch state are context variables
    "tomllib",  # a pyproject.toml that names lakelint only as a value is not parsed
    "pkgutil",  # plugins only
    "importlib.metadata",  # plugins only (entry points are looked for in dist-info files first)
    "encodings.utf_8_sig",  # decode_text drops the byte-order mark itself
    "lakelint.sources.cloudformation.sam",  # templates that name a transform only
    # the records a template run makes are plain classes (lakelint/core/records.py): dataclasses pulls in
    # inspect, ast, dis, tokenize and linecache, and compiles each class's methods as its module loads
    "dataclasses",
    "inspect",
)


def test_a_template_run_imports_none_of_what_it_does_without(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "lake"\ndependencies = ["lakelint>=0.1"]\n')
    (tmp_path / "t.yaml").write_text("Resources:\n  Db:\n    Type: AWS::Glue::Database\n"
                                     "    Properties: {CatalogId: !Ref AWS::AccountId, DatabaseInput: {Name: x}}\n"
                                     "  B:\n    Type: AWS::S3::Bucket\n")
    probe = ("import json, sys\nfrom lakelint.cli import main\ncode = main(['t.yaml', '-o', 'out.txt'])\n"
             f"print(json.dumps([code, [m for m in {UNNEEDED!r} if m in sys.modules]]))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    code, imported = json.loads(out.stdout)
    assert code == 1 and imported == []
    assert "LL" in (tmp_path / "out.txt").read_text()

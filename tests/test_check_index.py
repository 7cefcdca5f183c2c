"""The generated index of built-in checks (checks/_index.py, issue 18): a run imports only the check
modules it needs, the specs it gives are the modules' own, and a stale index is never trusted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lakelint.core.check_index import IndexedSpec, folder_digest, load_index
from lakelint.core.registry import BUILTIN_PACKAGE, builtin_checks_dir, entry_points_declared, load_checks, load_dir

ROOT = Path(__file__).resolve().parent.parent


def test_the_index_is_current_and_used():
    specs = load_checks(plugins=False)
    assert specs and all(isinstance(s, IndexedSpec) for s in specs), "checks/_index.py is stale: regenerate it"


def test_indexed_specs_equal_the_modules_own():
    indexed = {s.code: s for s in load_index(builtin_checks_dir(), BUILTIN_PACKAGE)}
    loaded = {s.code: s for s in load_dir(builtin_checks_dir(), "built-in", BUILTIN_PACKAGE)}
    assert sorted(indexed) == sorted(loaded)
    for code, spec in loaded.items():
        lazy = indexed[code]
        assert lazy.option_signatures() == spec.option_signatures(), code  # read before the module is
        assert not lazy.loaded, code
        assert lazy.to_dict() == spec.to_dict(), code  # metadata, options and reads alike
        assert (lazy.func, lazy.summary, lazy.docs) == (spec.func, spec.summary, spec.docs), code


def test_a_stale_index_is_not_used(tmp_path):
    folder = tmp_path / "checks"
    shutil.copytree(builtin_checks_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    assert folder_digest(folder) == folder_digest(builtin_checks_dir())
    with open(folder / "s3" / "s3_sse_kms.py", "a", encoding="utf-8") as handle:
        handle.write("\n# edited without regenerating the index\n")
    assert folder_digest(folder) != folder_digest(builtin_checks_dir())
    assert load_index(folder, "lakelint_stale_index_probe") is None


def test_a_template_run_imports_only_the_checks_of_its_types(tmp_path):
    """One Glue database without suppressions: only the Glue checks and the stack- and run-wide template
    checks are imported (the options the checks declare are validated and bound from the index), and the
    findings are the ones a run importing every module gives."""
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Db:\n    Type: AWS::Glue::Database\n"
                        "    Properties: {CatalogId: !Ref AWS::AccountId, DatabaseInput: {Name: x}}\n")
    probe = textwrap.dedent(f"""
        import json, sys
        from lakelint.cli import main
        code = main([{str(template)!r}, "--format", "json", "-o", {str(tmp_path / 'out.json')!r}])
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("lakelint.checks."))))
    """)
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    imported = json.loads(out.stdout)
    glue_types = {"AWS::Glue::Database"}
    needed = {s.module for s in load_checks(plugins=False) if "template" in s.sources and (
              s.scope in ("stack", "run") or glue_types & set(s.resource_types))}
    checks = {m for m in imported if not m.rsplit(".", 1)[1].startswith("_") and m.count(".") == 3}
    assert checks == needed
    assert len(checks) < len(load_checks(plugins=False)) / 3

    from lakelint.core.config import build_config
    from lakelint.runs.templates import lint_templates
    every = load_dir(builtin_checks_dir(), "built-in", BUILTIN_PACKAGE)
    eager = lint_templates([str(template)], build_config({}, None), sorted(every, key=lambda s: s.code), jobs=1)
    findings = json.loads((tmp_path / "out.json").read_text())["findings"]
    assert [(f["check"], f["message"]) for f in findings] == [(f.check, f.message) for f in eager.findings]


def test_entry_points_are_found_by_reading_dist_info(tmp_path):
    """No plugin installed: the scan says so without importlib.metadata; one installed: it says so."""
    site = tmp_path / "site"
    (site / "other-1.0.dist-info").mkdir(parents=True)
    (site / "other-1.0.dist-info" / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    (site / "no_entry_points-2.0.dist-info").mkdir()
    assert entry_points_declared([str(site), str(tmp_path / "missing")]) is False
    (site / "pack-1.0.dist-info").mkdir()
    (site / "pack-1.0.dist-info" / "entry_points.txt").write_text("[lakelint.checks]\npack = pack\n")
    assert entry_points_declared([str(site)]) is True


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path):
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert entry_points_declared([str(archive)]) is True


def test_a_template_run_does_not_import_importlib_metadata_without_plugins(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Db:\n    Type: AWS::Glue::Database\n    Properties: {}\n")
    probe = (f"import sys\nfrom lakelint.cli import main\nmain([{str(template)!r}, '-o', '/dev/null'])\n"
             "print('importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_indexed_spec_can_be_replaced_like_any_spec():
    spec = next(s for s in load_checks(plugins=False) if s.code == "LL101")
    other = spec.replace(origin="plugin x")
    assert other.origin == "plugin x" and other.func is spec.func and other.docs == spec.docs
    assert other.to_dict() == {**spec.to_dict(), "origin": "plugin x"}


def test_a_configured_option_imports_only_the_checks_that_declare_it(tmp_path):
    """Defaults are bound from the index; a key the configuration sets is parsed by its check's own
    type, so that check's module is imported, and a bad value is refused as before."""
    from lakelint.core.config import ConfigError, bind_options, build_config

    specs = load_index(builtin_checks_dir(), BUILTIN_PACKAGE)
    config = build_config({"bucket-quota": 50}, ".lakelint.yaml", {"bucket-quota": 1})
    bind_options(config, specs)
    assert config.options["bucket-quota"] == 50 and config.options["trusted-accounts"] == []
    assert {s.code for s in specs if s.loaded} == {s.code for s in specs if "bucket-quota" in s.option_signatures()}
    bad = build_config({"bucket-quota": "many"}, ".lakelint.yaml", {"bucket-quota": 1})
    with pytest.raises(ConfigError, match="^.lakelint.yaml:1: 'bucket-quota' must be a positive whole number or auto"):
        bind_options(bad, load_index(builtin_checks_dir(), BUILTIN_PACKAGE))


def test_the_folder_digest_reads_the_files_os_walk_finds(tmp_path):
    """``folder_digest`` lists the folder with scandir; it covers the very files an os.walk would, in the
    same order, so a file added in an area, in a subfolder or beside a linked folder is noticed."""
    import os
    import zlib

    def by_walk(directory):
        files = []
        for folder, subfolders, names in os.walk(directory):
            subfolders[:] = [d for d in subfolders if d != "__pycache__" and not d.startswith(".")]
            files += [os.path.join(folder, n) for n in names if n.endswith(".py")]
        crc, total, count = 0, 0, 0
        for path in sorted(os.path.relpath(f, directory).replace(os.sep, "/") for f in files):
            if path != "_index.py":
                data = (Path(directory) / path).read_bytes()
                crc = zlib.crc32(data, zlib.crc32(path.encode("utf-8") + b"\0", crc))
                total, count = total + len(data), count + 1
        return f"{count}-{total}-{crc:08x}"

    folder = tmp_path / "checks"
    shutil.copytree(builtin_checks_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "s3" / "deeper").mkdir()
    (folder / "s3" / "deeper" / "x.py").write_text("# x\n")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "y.py").write_text("# y\n")
    (folder / "linked").symlink_to(folder / "s3", target_is_directory=True)
    (folder / "s3_dir.py").mkdir()  # a folder with a module's name is not a module
    assert folder_digest(folder) == by_walk(folder)
    assert folder_digest(builtin_checks_dir()) == by_walk(builtin_checks_dir())

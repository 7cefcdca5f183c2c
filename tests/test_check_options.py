"""Options declared on the check (issue 13.3) and preview checks (issue 13.6), through the CLI with
``--checks-dir`` plugins: a plugin declares an option as a built-in check does, its value is validated
by the declared type, the docs and ``--explain`` list it; a preview check stays out of every run until
``--preview`` or ``preview: true`` turns it on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lakelint.core.check import check
from lakelint.core.config import build_config
from lakelint.core.options import ACCOUNT_IDS, BOOLEAN, NON_NEGATIVE_INT, POSITIVE_INT, STRINGS, Option
from lakelint.core.registry import RegistryError, load_checks, specs_in_module, validate
from lakelint.docs.checks_md import render_check
from lakelint.docs.explain import explain, list_checks

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = load_checks(plugins=False)
BUCKET = "Resources:\n  Raw:\n    Type: AWS::S3::Bucket\n"

DOCS = '''"""{title}

## What it does
Counts buckets.

## Why it matters
It is a test.

## Example
```yaml
B: {{Type: AWS::S3::Bucket}}
```

## Fix
Nothing to fix.

## References
- https://example.com/{name}
"""
from lakelint.core.check import check, fail
from lakelint.core.options import NON_NEGATIVE_INT, POSITIVE_INT, STRINGS, Option

'''

LIMIT = DOCS + '''
@check(code="{code}", name="{name}", severity="low", title="{title}", resource_types=["AWS::S3::Bucket"],
       sources=["template"], preview={preview},
       options={{"{key}": Option({type}, {default}, "how many buckets a stack may hold")}})
def run(bucket, ctx):
    yield fail(f"limit is {{ctx.option('{key}')!r}}")
'''


def plugin(folder: Path, module="limit", code="XX901", name="bucket-limit", key="bucket-limit",
           type="POSITIVE_INT", default="3", preview=False, title="Bucket limit") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.py").write_text(LIMIT.format(code=code, name=name, key=key, type=type, default=default,
                                                      preview=preview, title=title))
    return folder


def lakelint(cwd: Path, *args):
    return subprocess.run([sys.executable, "-m", "lakelint", *args], capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def messages(done, code="XX901") -> list:
    assert "Traceback" not in done.stderr, done.stderr
    return [f["message"] for f in json.loads(done.stdout)["findings"] if f["check"] == code]


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "t.yaml").write_text(BUCKET)
    plugin(tmp_path / "plugins")
    return tmp_path


# -- options -------------------------------------------------------------------------------------------


def test_a_plugin_option_takes_its_default_and_its_configured_value(repo):
    assert messages(lakelint(repo, "t.yaml", "--checks-dir", "plugins", "--select", "XX901", "-f", "json")) == ["limit is 3"]
    (repo / ".lakelint.yaml").write_text("checks-dir: [plugins]\nselect: [XX901]\nbucket-limit: 12\n")
    assert messages(lakelint(repo, "t.yaml", "-f", "json")) == ["limit is 12"]


def test_a_plugin_option_is_validated_by_its_type(repo):
    (repo / ".lakelint.yaml").write_text("checks-dir: [plugins]\nbucket-limit: lots\n")
    done = lakelint(repo, "t.yaml")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert ".lakelint.yaml:2: 'bucket-limit' must be a positive whole number, not 'lots'" in done.stderr


def test_an_option_no_loaded_check_declares_is_an_unknown_key(repo):
    (repo / ".lakelint.yaml").write_text("select: [LL1]\nbucket-limit: 12\n")  # the plugin is not loaded
    done = lakelint(repo, "t.yaml")
    assert done.returncode == 2 and ".lakelint.yaml:2: unknown key bucket-limit" in done.stderr


@pytest.mark.parametrize("kwargs, problem", [
    (dict(key="fail-on"), "option 'fail-on' is one of lakelint's own configuration keys"),
    (dict(key="Bucket_Limit"), "option 'Bucket_Limit' must be a kebab-case key"),
    (dict(default="0"), "option 'bucket-limit' has a default that is not a positive whole number"),
    (dict(type="int"), "option 'bucket-limit' has no type"),
])
def test_bad_option_declarations_are_refused(tmp_path, kwargs, problem):
    plugin(tmp_path / "plugins", **kwargs)
    (tmp_path / "t.yaml").write_text(BUCKET)
    done = lakelint(tmp_path, "t.yaml", "--checks-dir", "plugins")
    assert done.returncode == 2 and problem in done.stderr and "Traceback" not in done.stderr


def test_a_plain_default_is_not_a_declaration():
    @check(code="XX902", name="plain-default", severity="low", title="t", resource_types=["AWS::S3::Bucket"],
           options={"bucket-limit": 3})
    def run(bucket, ctx):
        return ()

    spec = _spec(run)
    with pytest.raises(RegistryError, match=r"option 'bucket-limit' must be declared as Option\(type, default, doc\)"):
        validate([spec])


def test_checks_sharing_an_option_must_agree(tmp_path):
    plugin(tmp_path / "plugins", module="first", code="XX901", name="first-limit")
    plugin(tmp_path / "plugins", module="second", code="XX902", name="second-limit", type="NON_NEGATIVE_INT")
    (tmp_path / "t.yaml").write_text(BUCKET)
    done = lakelint(tmp_path, "t.yaml", "--checks-dir", "plugins")
    assert done.returncode == 2
    assert ("XX902" in done.stderr and "option 'bucket-limit' is declared as non-negative integer with default 3, "
            "but XX901" in done.stderr and "checks that share an option must agree" in done.stderr)


def test_checks_sharing_an_option_that_agree_are_fine(tmp_path):
    plugin(tmp_path / "plugins", module="first", code="XX901", name="first-limit")
    plugin(tmp_path / "plugins", module="second", code="XX902", name="second-limit")
    (tmp_path / ".lakelint.yaml").write_text("checks-dir: [plugins]\nselect: [XX9]\nbucket-limit: 5\n")
    (tmp_path / "t.yaml").write_text(BUCKET)
    done = lakelint(tmp_path, "t.yaml", "-f", "json")
    assert messages(done, "XX901") == messages(done, "XX902") == ["limit is 5"]


def test_a_builtin_option_shared_with_a_plugin_must_agree(tmp_path):
    plugin(tmp_path / "plugins", key="trusted-accounts", type="STRINGS", default="[]")
    (tmp_path / "t.yaml").write_text(BUCKET)
    done = lakelint(tmp_path, "t.yaml", "--checks-dir", "plugins")
    assert done.returncode == 2 and "option 'trusted-accounts' is declared as list of strings" in done.stderr


def test_builtin_options_are_declared_with_type_default_and_doc():
    declared = {(spec.code, key): option for spec in BUILTIN for key, option in spec.options.items()}
    assert {code for code, _ in declared} == {"LL111", "LL121", "LL125", "LL137", "LL301", "LL504", "LL523", "LL703", "LL704"}
    assert {key: (o.type, o.default) for (_, key), o in declared.items()} == {
        "trusted-accounts": (ACCOUNT_IDS, []), "required-tags": (STRINGS, []),
        "bucket-quota": (declared[("LL301", "bucket-quota")].type, 100), "min-backup-days": (NON_NEGATIVE_INT, 7),
        "regulated-tags": (STRINGS, ["data-classification=regulated"]),
        "s3express-vpc-only-access-points": (BOOLEAN, False)}
    assert all(o.doc and "\n" not in o.doc for o in declared.values())


def test_the_engine_core_holds_no_per_check_key():
    source = (ROOT / "lakelint" / "core" / "config.py").read_text()
    for key in ("bucket-quota", "trusted-accounts", "required-tags", "min-backup-days"):
        assert key not in source


def test_options_are_documented_in_checks_md_explain_and_list_checks(repo):
    page = "\n".join(render_check(next(s for s in BUILTIN if s.code == "LL301")))
    assert "### Options" in page and "- `bucket-quota`: " in page and "default `100`" in page
    text = explain(BUILTIN, "LL111")
    assert "## Options" in text and "`trusted-accounts`" in text and "12-digit AWS account ids" in text
    done = lakelint(repo, "--checks-dir", "plugins", "--explain", "XX901")
    assert done.returncode == 0 and "- `bucket-limit`: how many buckets a stack may hold (a positive whole number; default `3`)" in done.stdout
    listed = json.loads(lakelint(repo, "--checks-dir", "plugins", "--list-checks", "-f", "json").stdout)
    entry = next(c for c in listed if c["code"] == "XX901")
    assert entry["options"] == {"bucket-limit": 3}
    assert entry["option_details"] == {"bucket-limit": {"type": "positive integer", "default": 3,
                                                        "doc": "how many buckets a stack may hold"}}


def test_build_config_keeps_unknown_keys_for_the_checks_to_judge():
    config = build_config({"bucket-limit": 9}, "x")
    assert config.options == {"bucket-limit": 9} and not config.options_bound


# -- preview ---------------------------------------------------------------------------------------------


@pytest.fixture
def preview_repo(tmp_path) -> Path:
    (tmp_path / "t.yaml").write_text(BUCKET)
    plugin(tmp_path / "plugins", preview=True, title="Bucket limit, in preview")
    return tmp_path


def ran(done) -> list:
    assert "Traceback" not in done.stderr, done.stderr
    return sorted({f["check"] for f in json.loads(done.stdout)["findings"]})


def test_a_preview_check_stays_out_of_the_default_selection(preview_repo):
    done = lakelint(preview_repo, "t.yaml", "--checks-dir", "plugins", "-f", "json")
    assert "XX901" not in ran(done) and "LL102" in ran(done) and done.stderr == ""
    done = lakelint(preview_repo, "t.yaml", "--checks-dir", "plugins", "--select", "XX", "-f", "json")
    assert ran(done) == [] and done.stderr == ""  # a prefix never pulls a preview check in


def test_preview_turns_it_on_by_flag_or_config(preview_repo):
    assert "XX901" in ran(lakelint(preview_repo, "t.yaml", "--checks-dir", "plugins", "--preview", "-f", "json"))
    (preview_repo / ".lakelint.yaml").write_text("preview: true\nchecks-dir: [plugins]\n")
    assert "XX901" in ran(lakelint(preview_repo, "t.yaml", "-f", "json"))


@pytest.mark.parametrize("selected", ["XX901", "bucket-limit", "LL102,xx901"])
def test_selecting_a_preview_check_without_preview_warns_and_does_not_run_it(preview_repo, selected):
    done = lakelint(preview_repo, "t.yaml", "--checks-dir", "plugins", "--select", selected, "-f", "json")
    assert "XX901" not in ran(done)
    assert done.stderr == ("lakelint: warning: XX901 (bucket-limit) is a preview check and does not run without "
                           "preview: add --preview, or `preview: true` to the configuration\n")
    done = lakelint(preview_repo, "t.yaml", "--checks-dir", "plugins", "--select", selected, "--preview", "-f", "json")
    assert "XX901" in ran(done) and done.stderr == ""


def test_list_checks_marks_preview_checks(preview_repo):
    text = lakelint(preview_repo, "--checks-dir", "plugins", "--list-checks").stdout
    line = next(line for line in text.splitlines() if line.startswith("XX901"))
    assert "[preview] Bucket limit, in preview" in line
    preview = {s.code for s in BUILTIN if s.preview}
    assert {line[:5] for line in text.splitlines() if line.startswith("LL") and "[preview]" in line} == preview
    listed = json.loads(lakelint(preview_repo, "--checks-dir", "plugins", "--list-checks", "-f", "json").stdout)
    assert {c["code"]: c["preview"] for c in listed}["XX901"] is True
    assert {c["code"] for c in listed if c["code"].startswith("LL") and c["preview"]} == preview


def test_docs_show_the_preview_badge(preview_repo):
    from lakelint.docs.checks_md import render
    from lakelint.docs.explain import checks_table

    specs = load_checks(plugins=False, extra_dirs=[preview_repo / "plugins"])
    spec = next(s for s in specs if s.code == "XX901")
    assert "`bucket-limit` 🧪 preview" in render([spec]) and "- Status: **🧪 preview**" in render([spec])
    assert "| `bucket-limit` 🧪 preview |" in checks_table([spec])
    assert "preview: a preview check: it runs only with `--preview`" in explain([spec], "XX901")
    assert "[preview]" in list_checks([spec])


# the codes this round added (DESIGN section 11): each starts as a preview check, and only they are
ADDED_THIS_ROUND = {"LL125", *(f"LL{n}" for n in range(131, 139)), "LL613", "LL614", "LL705", "LL801", "LL802",
                    "LL803"}


def test_new_checks_start_in_preview():
    assert {s.code for s in BUILTIN if s.preview} == {s.code for s in BUILTIN if s.code in ADDED_THIS_ROUND}


def test_preview_must_be_a_boolean():
    @check(code="XX903", name="odd-preview", severity="low", title="t", resource_types=["AWS::S3::Bucket"],
           preview="yes")
    def run(bucket, ctx):
        return ()

    with pytest.raises(RegistryError, match="preview must be True or False"):
        validate([_spec(run)])


def _spec(func):
    import types

    module = types.ModuleType("xx_probe", DOCS.format(title="Probe.", name="probe").split('"""')[1])
    func.__module__ = module.__name__
    module.run = func
    (spec,) = specs_in_module(module, "test")
    return spec

"""cfn-lint's template decoder is the oracle for lakelint's loader.

On every real template of tests/corpus/real (public templates, see SOURCES.md and LICENSES/), both
parsers must produce the same data, or both must refuse the file. The corpus also runs through the
whole engine, which must lint every file without an internal error.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from lakelint.core.config import Config
from lakelint.core.registry import load_checks
from lakelint.runs.templates import lint_templates
from lakelint.sources.cloudformation.loader import TemplateError, decode_text, parse

CORPUS = Path(__file__).resolve().parent / "corpus" / "real"
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".template"))


def plain(value):
    """Drop the position-keeping types on both sides: compare data, not classes."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, (datetime.date, int, float, bool)) else str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def test_corpus_is_present():
    assert len(FILES) >= 90


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:90])
def test_same_data_as_cfn_lint(path):
    from cfnlint.decode import decode

    theirs, matches = decode(str(path))
    try:
        ours = parse(decode_text(path.read_bytes()), json_mode=path.suffix == ".json" or None)
    except TemplateError as exc:
        assert matches, f"lakelint refused a file cfn-lint reads: {exc.message} at {exc.line}:{exc.column}"
        # both refuse: lakelint must point at one of the lines cfn-lint complains about
        lines = {m.linenumber for m in matches}
        assert exc.line in lines, (exc.line, lines)
        return
    assert not matches, f"cfn-lint refused a file lakelint reads: {matches}"
    assert plain(ours) == plain(theirs)


def test_whole_corpus_lints_without_internal_errors():
    # the default check-timeout is wall-clock: on a machine busy with other work a check could be stopped
    # for time, which is not what this test asks (timing is the benchmarks' business)
    report = lint_templates([str(CORPUS)], Config(check_timeout=300.0), load_checks(plugins=False))
    internal = [e for e in report.errors if "internal error" in e.message]
    assert internal == []
    # the one template with a duplicate key is an error entry with file, line and column
    assert [(Path(e.file).name, e.line, e.column) for e in report.errors] == [
        ("aws-samples__amazon-sagemaker-lakeformation-datamesh__CloudFormationTemplates__tbac-cross-account-central.yaml", 23, 5)]
    assert report.files == len(FILES)
    assert report.findings, "real templates have real findings"

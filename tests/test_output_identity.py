"""lakelint's reports are byte for byte what they were before the performance work of issue 18.

The loader, the branch expansion, the check index, the finding records and the JSON encoder were all
rewritten for speed; none of that may change a single byte a user sees. The golden reports under
tests/data/output-identity/ were recorded by the code as it stood before that work (commit 6df2f19):

- the benchmark's generated corpus (bench/generate.py, 48 templates, seed 6, every 10th in JSON),
  plus a few hand-written files that take the loader's rarer paths (anchors, aliases and merge keys,
  explicit YAML tags, minified JSON on one long line, syntax errors, duplicate keys, a second document);
- the real corpus (tests/corpus/real: public templates nobody here wrote), as one run.

Each run is in-process (``lakelint.cli.main``, ``--jobs 1``) from inside the corpus folder, so file
names do not depend on where the checkout lives; the tool version is the one thing normalised. The
files are gzip-compressed (with no timestamp, so recording twice gives the same bytes).

When a report changes on purpose (a check's message, a new check), the goldens are recorded again,
after reading the difference: ``python tests/test_output_identity.py --record``. A change made for
speed must never need that.
"""

from __future__ import annotations

import difflib
import gzip
import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "output-identity"
GENERATED_COUNT = 48
SEED = 6
VERSION_PLACEHOLDER = "(normalised)"
MAX_DIFF_LINES = 80

# Files beside the generated ones, each taking a path of the loader that generated templates do not.
EXTRAS = {
    "anchors.yaml": (
        "Parameters:\n"
        "  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}\n"
        "Conditions:\n"
        "  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n"
        "  Raw:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Properties: &common\n"
        "      VersioningConfiguration: {Status: Enabled}\n"
        "      PublicAccessBlockConfiguration: &bpa\n"
        "        BlockPublicAcls: true\n"
        "        BlockPublicPolicy: !If [IsProd, true, false]\n"
        "        IgnorePublicAcls: true\n"
        "        RestrictPublicBuckets: true\n"
        "  Curated:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Properties:\n"
        "      <<: *common\n"
        "      PublicAccessBlockConfiguration: *bpa\n"
        "      BucketName: curated-data\n"),
    "tags.yaml": (
        "Resources:\n"
        "  Logs:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Properties:\n"
        "      BucketName: !!str 12345\n"
        "      ObjectLockEnabled: !!bool 'true'\n"
        "      Tags:\n"
        "        - {Key: ttl, Value: !!int '30'}\n"
        "        - {Key: when, Value: 2024-01-01}\n"
        "        - {Key: plain, Value: ! 0x1F}\n"
        "        - {Key: hex, Value: 0x1F}\n"
        "        - {Key: sexagesimal, Value: 1:30}\n"
        "        - {Key: tilde, Value: ~}\n"
        "        - {Key: yes, Value: yes}\n"
        "        - {Key: float, Value: 1e5}\n"
        "        - {Key: getatt, Value: !GetAtt Key.Arn}\n"
        "        - {Key: sub, Value: !Sub ['${A}-x', {A: !Ref 'AWS::Region'}]}\n"
        "        - {Key: join, Value: !Join ['', [a, !Select [0, !Split [',', 'b,c']]]]}\n"
        "  Key:\n"
        "    Type: AWS::KMS::Key\n"
        "    Properties:\n"
        "      EnableKeyRotation: false\n"
        "      KeyPolicy: {Version: '2012-10-17', Statement: []}\n"),
    "minified.json": (
        '{"Resources":{"Open":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"open-'
        + "x" * 2600 + '","Tags":[{"Key":"n","Value":1e5},{"Key":"t","Value":true},{"Key":"z",'
        '"Value":null},{"Key":"f","Value":-0.5}]}},"Policy":{"Type":"AWS::S3::BucketPolicy",'
        '"Properties":{"Bucket":{"Ref":"Open"},"PolicyDocument":{"Statement":[{"Effect":"Allow",'
        '"Principal":"*","Action":"s3:*","Resource":{"Fn::Sub":"arn:aws:s3:::${Open}/*"}}]}}}}}\n'),
    "broken.yaml": "Resources:\n  B: [unclosed\n",
    "duplicate.yaml": ("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {}\n"
                       "  B:\n    Type: AWS::S3::Bucket\n"),
    "two-documents.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n---\nResources: {}\n",
    "bad-tag.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Bogus x\n",
    "deep-flow.json": '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": '
                      + "[" * 260 + "]" * 260 + "}}}}\n",
    "not-cfn.yaml": "name: just some configuration\n",
}


def _generator():
    spec = importlib.util.spec_from_file_location("lakelint_bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_generated_corpus(folder: Path) -> Path:
    _generator().write_corpus(folder, count=GENERATED_COUNT, seed=SEED, json_every=10)
    for name, text in EXTRAS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


RUNS = {  # golden file name -> (corpus, format)
    "generated.json": ("generated", "json"),
    "generated.txt": ("generated", "text"),
    "generated.sarif": ("generated", "sarif"),
    "real.json": ("real", "json"),
    "real.txt": ("real", "text"),
}


def report_bytes(corpus: Path, fmt: str, out: Path) -> bytes:
    """``lakelint . -f FMT --jobs 1 -o OUT`` from inside ``corpus``, with no configuration file."""
    from lakelint import __version__
    from lakelint.cli import main

    before = os.getcwd()
    os.chdir(corpus)
    try:
        main([".", "--jobs", "1", "-f", fmt, "-o", str(out), "--config", str(_empty_config(out.parent))])
    finally:
        os.chdir(before)
    data = out.read_bytes()
    for version in (f'"version": "{__version__}"', f'"version":"{__version__}"'):
        data = data.replace(version.encode(), version.replace(__version__, VERSION_PLACEHOLDER).encode())
    return data


def _empty_config(folder: Path) -> Path:
    path = folder / "empty.lakelint.yaml"
    path.write_text("{}\n", encoding="utf-8")
    return path


def _golden(name: str) -> Path:
    return GOLDEN / f"{name}.gz"


def _difference(name: str, expected: bytes, got: bytes) -> str:
    diff = list(difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(),
                                     got.decode("utf-8", "replace").splitlines(), "golden", "now", n=3, lineterm=""))
    shown = diff[:MAX_DIFF_LINES] + ([f"... {len(diff) - MAX_DIFF_LINES} more diff lines"]
                                     if len(diff) > MAX_DIFF_LINES else [])
    return "\n".join([f"the {name} report is not byte-identical to tests/data/output-identity/{name}.gz "
                      f"({len(got):,} bytes now, {len(expected):,} recorded):", *shown])


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict:
    generated = write_generated_corpus(tmp_path_factory.mktemp("identity") / "lake")
    return {"generated": generated, "real": ROOT / "tests" / "corpus" / "real"}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_report_is_byte_identical_to_the_recorded_one(corpora, tmp_path, name):
    corpus, fmt = RUNS[name]
    got = report_bytes(corpora[corpus], fmt, tmp_path / name)
    expected = gzip.decompress(_golden(name).read_bytes())
    if got != expected:
        pytest.fail(_difference(name, expected, got), pytrace=False)


def test_the_generated_corpus_takes_the_loaders_rarer_paths(corpora, tmp_path):
    """The extras must really reach the report: a finding from the anchored and the tagged files, and
    an error from each broken one (otherwise the golden would not cover those paths)."""
    import json

    report = json.loads(report_bytes(corpora["generated"], "json", tmp_path / "r.json"))
    files_with_findings = {f["file"] for f in report["findings"]}
    assert {"anchors.yaml", "tags.yaml", "minified.json"} <= files_with_findings
    errors = {e["file"] for e in report["errors"]}
    assert {"broken.yaml", "duplicate.yaml", "two-documents.yaml", "bad-tag.yaml", "deep-flow.json"} <= errors
    assert report["summary"]["findings"] > 1000


def record() -> None:
    """Write the golden files from the code as it is now (see the module docstring for when)."""
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        corpora = {"generated": write_generated_corpus(scratch / "lake"), "real": ROOT / "tests" / "corpus" / "real"}
        (scratch / "out").mkdir()
        for name, (corpus, fmt) in sorted(RUNS.items()):
            data = report_bytes(corpora[corpus], fmt, scratch / "out" / name)
            _golden(name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
            print(f"recorded {_golden(name).relative_to(ROOT)} ({len(data):,} bytes)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] != ["--record"]:
        raise SystemExit("usage: python tests/test_output_identity.py --record")
    record()

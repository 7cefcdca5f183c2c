"""The user-facing docs refer to nothing that does not exist (issue 10, item 7).

lakelint is not published on a package index and has no public repository. So the README, the guide
and the output-format reference must not tell anyone to ``pip install lakelint`` from an index, point a
pre-commit ``repo`` at an address nobody owns, pin a ``rev`` tag that was never made, or link a URL
lakelint does not control. Where the reader's own clone is meant, the docs say so with a placeholder
in angle brackets (``<your git host>``), which no one can mistake for a real address.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["README.md", "docs/guide.md", "docs/output-formats.md"]
# External references these docs may make: each is a real, public page about a standard or a tool.
KNOWN_EXTERNAL = (
    "https://docs.github.com/",
    "https://docs.oasis-open.org/sarif/",
    "https://pre-commit.com",
)
URL = re.compile(r"https?://[^\s)`\"'>]+")
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.M | re.S)


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", DOCS)
def test_every_url_is_known_or_a_marked_placeholder(name):
    for url in URL.findall(_text(name)):
        if url.startswith(("https://<", "http://<")):
            continue  # the reader's own host, in angle brackets
        assert url.startswith(KNOWN_EXTERNAL), f"{name}: {url} is not an address lakelint's docs may rely on"


@pytest.mark.parametrize("name", DOCS)
def test_no_install_from_a_package_index(name):
    """`pip install lakelint` (or an extra of it) would fetch whatever an index serves under that name."""
    text = _text(name)
    from_index = re.compile(r"pip install (?:-\S+ )*[\"']?lakelint(?:\[[^\]]*\])?(?![\w./-]|\s*@)")
    assert not from_index.search(text), f"{name}: {from_index.search(text).group()}"
    assert from_index.search('pip install "lakelint[cfn-lint]"') and from_index.search("pip install lakelint")
    assert "pypi.org/project/lakelint" not in text


@pytest.mark.parametrize("name", DOCS)
def test_pre_commit_examples_name_a_real_rev_or_a_local_hook(name):
    for lang, body in FENCE.findall(_text(name)):
        if lang != "yaml" or "repos:" not in body:
            continue
        for repo in yaml.safe_load(body)["repos"]:
            if repo["repo"] == "local":
                hook = repo["hooks"][0]
                assert hook["entry"] == "lakelint" and hook["language"] == "system", name
                continue
            assert repo["repo"].startswith("https://<"), f"{name}: {repo['repo']} is not marked as the reader's own"
            assert str(repo["rev"]).startswith("<"), f"{name}: rev {repo['rev']} is a tag lakelint never made"


def test_the_sarif_links_are_configured_in_one_place():
    """pyproject's [project.urls] is where the docs location is set (empty: lakelint has no public home)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    project = tomllib.loads(_text("pyproject.toml"))["project"]
    assert project.get("urls") == {}
    source = _text("lakelint/reporters/sarif_report.py") + _text("lakelint/reporters/links.py")
    urls = [u for u in URL.findall(source) if not u.startswith(("https://docs.oasis-open.org/sarif/", "https://<"))]
    assert urls == [], "the reporters hold no documentation URL of their own"


def test_cfn_lint_under_pre_commit_documents_its_dependency():
    for name in ("README.md", "docs/guide.md"):
        assert 'additional_dependencies: ["cfn-lint>=1.51,<2"]' in _text(name), name

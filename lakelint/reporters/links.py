"""Where lakelint's documentation lives, for SARIF's ``informationUri`` and each rule's ``helpUri``.

It is configured once, in ``pyproject.toml``::

    [project.urls]
    Documentation = "https://<your host>/<your clone>/-/blob/main/docs/"

and read from the installed package's metadata (``Project-URL: Documentation, ...``), so a build
from a fork or a mirror points at that fork's docs without a code change. The URL names the folder
that holds ``checks.md``: a rule's help is ``<url>/checks.md#ll101``. With no such URL (lakelint as
it ships has none, since it has no public home) the properties are left out: SARIF allows that, and
an invented address would send readers nowhere.
"""

from __future__ import annotations

LABELS = ("documentation", "docs")  # PEP 753's well-known label and its alias


def documentation_url() -> str | None:
    """The ``Documentation`` project URL of the installed lakelint, or None."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata
    except ImportError:  # pragma: no cover - Python < 3.8
        return None
    try:
        entries = metadata("lakelint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = entry.partition(",")
        url = url.strip()
        if label.strip().lower().replace("-", "").replace("_", "") in LABELS and url.startswith(("https://", "http://")):
            return url
    return None


def check_url(base: str, code: str) -> str:
    """A check's section of ``checks.md`` under the documentation URL ``base``."""
    return f"{base.rstrip('/')}/checks.md#{code.lower()}"

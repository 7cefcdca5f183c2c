"""The HTML report: one self-contained file a person opens in a browser (DESIGN section 11).

Everything is inside the file: the CSS and the JavaScript inline, the charts drawn as inline SVG, no
font, script, image or stylesheet fetched from anywhere. A Content-Security-Policy in the page allows
only the page's own script and style (by their SHA-256) and ``data:`` images, so even a string that got
past the escaping could not load or run anything.

The page is a shell (``html_assets/report.html``, ``.css``, ``.js``) plus the report as one JSON
document in a ``<script type="application/json">`` element; the script draws the totals, the charts
and the table from it, rendering table rows lazily (a page at a time, more as the reader scrolls), so
a report of 100,000 findings opens quickly. The JSON is compact: every string is written once, in a
``strings`` table, and findings are arrays of indexes into it (``FIELDS`` below names the positions).

Escaping: no user text (message, file name, resource, check docs) is ever put into markup by Python
or assigned as HTML by the script: it travels in the JSON, where ``<``, ``>`` and ``&`` are written as
``\\u003c``-style escapes (so ``</script>`` in a message cannot close the element), and the script
sets it as text. A file name that is not valid UTF-8 is written with its odd bytes as ``\\xNN``
(names.readable), so the file stays valid UTF-8.

The output is deterministic (no timestamp), and is written piece by piece (``chunks``), findings a
batch at a time, so the whole report is never held as one string.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

from lakelint.reporters.links import check_url, documentation_url
from lakelint.reporters.names import readable

ASSETS = "html_assets"
DATA_MARK = "{{DATA}}"
BATCH = 2000  # findings per piece written

# The positions of a finding's fields in its JSON array (the script reads the same names).
FIELDS = ("check", "name", "severity", "message", "resource", "resource_type", "where", "line", "column",
          "region", "arn", "condition", "flags", "suppression_reason")
ERROR_FIELDS = ("check", "message", "resource", "file", "account", "line", "column", "region", "api_call",
                "iam_action")
# bits of ``flags``: the verdict is unverifiable, the finding is suppressed, it comes from a live scan,
# its ``where`` is a file (otherwise an account)
UNVERIFIABLE, SUPPRESSED, LIVE, IN_FILE = 1, 2, 4, 8

_PLACEHOLDER = re.compile(r"\{\{(CSP|CSS|JS|DATA)\}\}")
_URL = re.compile(r"https?://[^\s<>()`\"']+")
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(ASSETS, name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def service_of(resource_type: str | None) -> str | None:
    """The AWS service a resource type belongs to: ``AWS::S3::Bucket`` -> ``S3``."""
    if not resource_type:
        return None
    parts = resource_type.split("::")
    return parts[1] if len(parts) >= 3 and parts[1] else None


def doc_blocks(markdown: str) -> list:
    """A Markdown section as blocks the script shows as they are: ``["code", lang, text]`` for a fenced
    block, ``["text", text]`` for the prose between (Markdown is meant to read as text; the script only
    sets inline code apart)."""
    blocks = []
    at = 0
    for match in _FENCE.finditer(markdown or ""):
        prose = markdown[at:match.start()].strip()
        if prose:
            blocks.append(["text", prose])
        blocks.append(["code", match.group(1).strip(), match.group(2).rstrip("\n")])
        at = match.end()
    prose = (markdown or "")[at:].strip()
    if prose:
        blocks.append(["text", prose])
    return blocks


def references(markdown: str) -> list:
    """The http(s) addresses of a References section, in order, once each."""
    found = []
    for url in _URL.findall(markdown or ""):
        url = url.rstrip(".,;:")
        if url not in found:
            found.append(url)
    return found


def check_docs(spec, docs_url: str | None) -> dict:
    """What the page shows of a check on demand: its title, summary, Fix and references."""
    docs = spec.docs or {}
    entry = {"name": spec.name, "severity": spec.severity, "title": spec.title, "summary": spec.summary or "",
             "fix": doc_blocks(docs.get("Fix", "")), "references": references(docs.get("References", ""))}
    if docs_url and getattr(spec, "origin", "built-in") == "built-in":  # a plugin's docs are not ours
        entry["url"] = check_url(docs_url, spec.code)
    return _clean(entry)


def _clean(value):
    """``value`` with every string made writable as UTF-8 (escaped bytes as ``\\xNN``)."""
    if isinstance(value, str):
        return readable(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {readable(k): _clean(v) for k, v in value.items()}
    return value


def _json(value) -> str:
    """Compact JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` (which JSON has
    only inside strings) become ``\\u`` escapes, so no text can end the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Strings:
    """Each distinct string once; index 0 is null."""

    def __init__(self):
        self.index = {None: 0}
        self.table = [None]

    def __call__(self, text) -> int:
        if text is None or text == "":
            return 0
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.table)
            self.table.append(readable(str(text)))
        return found


def _where(item) -> str | None:
    return item.file or getattr(item, "account", None) or None


def _finding_row(finding, s) -> list:
    flags = ((UNVERIFIABLE if finding.verdict == "unverifiable" else 0) | (SUPPRESSED if finding.suppressed else 0)
             | (LIVE if finding.source == "live" else 0) | (IN_FILE if finding.file else 0))
    return [s(finding.check), s(finding.name), s(finding.severity), s(finding.message), s(finding.resource),
            s(finding.resource_type), s(_where(finding)), finding.line or 0, finding.column or 0,
            s(finding.region), s(finding.arn), s(finding.condition), flags, s(finding.suppression_reason)]


def _error_row(error, s) -> list:
    return [s(error.check), s(error.message), s(error.resource), s(error.file), s(getattr(error, "account", None)),
            error.line or 0, error.column or 0, s(getattr(error, "region", None)), s(error.api_call),
            s(error.iam_action)]


def _policy(report) -> dict:
    return {"fail_on": report.fail_on, "unverifiable": report.unverifiable,
            "baseline": report.baseline_path, "baseline_known": report.baseline_known}


def data_chunks(report):
    """The report as the page's JSON document, in pieces: findings first (a batch at a time, while the
    strings, services, accounts and checks they use are gathered), then those tables."""
    s = _Strings()
    codes, services, accounts = set(), {}, {}
    yield "{" + f'"fields":{_json(FIELDS)},"error_fields":{_json(ERROR_FIELDS)},"findings":['
    batch, first = [], True
    for finding in report.findings:
        codes.add(finding.check)
        if finding.resource_type and finding.resource_type not in services:
            services[finding.resource_type] = service_of(finding.resource_type)
        if finding.account and finding.account not in accounts:
            accounts[finding.account] = {"name": getattr(finding, "account_name", None),
                                         "ou": getattr(finding, "ou_path", None)}
        batch.append(_finding_row(finding, s))
        if len(batch) == BATCH:
            yield ("" if first else ",") + _json(batch)[1:-1]
            batch, first = [], False
    if batch:
        yield ("" if first else ",") + _json(batch)[1:-1]
    errors = []
    for error in report.errors:
        if error.check:
            codes.add(error.check)
        account = getattr(error, "account", None)
        if account and account not in accounts:
            accounts[account] = {"name": getattr(error, "account_name", None), "ou": getattr(error, "ou_path", None)}
        errors.append(_error_row(error, s))
    docs_url = documentation_url()
    checks = {spec.code: check_docs(spec, docs_url) for spec in report.checks if spec.code in codes}
    head = {"tool": {"name": "lakelint", "version": report.tool_version}, "summary": report.summary(),
            "policy": _policy(report)}
    yield (f'],"errors":{_json(errors)},"strings":{_json(s.table)},"services":{_json(_clean(services))},'
           f'"accounts":{_json(_clean(accounts))},"checks":{_json(_clean(checks))},'
           f'"meta":{_json(_clean(head))}' + "}")


def _page() -> tuple[str, str]:
    """The page around the data, as (before, after)."""
    css, js = _asset("report.css"), _asset("report.js")
    if "</style" in css.lower() or "</script" in js.lower():  # the assets are ours: a broken one is a bug
        raise RuntimeError("an HTML report asset would end its own element")
    policy = (f"default-src 'none'; script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; img-src data:; "
              f"base-uri 'none'; form-action 'none'")
    parts = {"CSP": policy, "CSS": css, "JS": js, "DATA": DATA_MARK}
    page = _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("report.html"))
    before, mark, after = page.partition(DATA_MARK)
    if not mark or DATA_MARK in after:
        raise RuntimeError(f"report.html must hold {DATA_MARK} once")
    return before, after


def chunks(report, options=None):
    before, after = _page()
    yield before
    yield from data_chunks(report)
    yield after


def render(report, options=None) -> str:
    return "".join(chunks(report, options))

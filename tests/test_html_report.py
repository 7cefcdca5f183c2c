"""The HTML report (``--format html``): one self-contained file, tested as a file and in a real browser.

The plain tests read the file: it parses as HTML with every element closed, it refers to nothing on
the network but the checks' own documentation links, its Content-Security-Policy names the exact
script and style it holds, and hostile text (a message, a file name, a plugin's docs) stays text.

The browser tests open reports in Debian's headless Chromium, driven by Selenium through Debian's
chromedriver (Selenium's own driver download is never used: the test fails if it is attempted). They
check what a reader sees: the totals, the charts, the filter narrowing the rows, a check's docs
opening, rows rendered lazily in a report of 100,000 findings, and no error in the browser's console.
Without chromium or chromedriver they say how to install them and skip, except in CI (the ``CI``
environment variable set, as .ci/run exports), where a missing browser fails the run instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lakelint import __version__
from lakelint.core.check import CheckSpec
from lakelint.core.config import build_config
from lakelint.core.model import ErrorEntry, Finding, Report
from lakelint.core.registry import load_checks
from lakelint.reporters import FORMATS, render, stream
from lakelint.reporters import html_report
from lakelint.runs.templates import lint_templates

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = "apt-get install chromium chromium-driver"
HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & <!-- "quotes"'
ODD_FILE = "caf\udcff.yaml"  # a file name whose byte 0xFF is not UTF-8
URL = re.compile(r"https?://[^\s\"'<>\\)]+")

LAKE = """\
Resources:
  RawBucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""

WAREHOUSE = """\
Parameters:
  Algorithm: {Type: String}
Resources:
  CuratedBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: !Ref Algorithm}
  OpenBucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: false  # lakelint: ignore[LL101]: public dataset, reviewed by security
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""
BROKEN = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: [unclosed\n"


@pytest.fixture(scope="module")
def specs():
    return load_checks()


def _spec(specs, code):
    return next(s for s in specs if s.code == code)


def template_report(tmp_path, monkeypatch, specs) -> Report:
    """A real template run over two files with findings (one suppressed, one unverifiable) and one that
    does not parse."""
    for name, text in {"lake.yaml": LAKE, "stacks/warehouse.yaml": WAREHOUSE, "broken.yaml": BROKEN}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return lint_templates(["."], build_config({"select": ["LL101", "LL102", "LL103"]}, None), specs)


class NamedFinding(Finding):
    """A live finding as an organisation-wide scan gives it: with the account's name and OU path."""


def live(check, severity, message, account, region, resource, rtype, *, verdict="fail", suppressed=False,
         name=None, ou=None):
    finding = NamedFinding(check=check, name=check.lower(), severity=severity, message=message, source="live",
                           resource=resource, resource_type=rtype, arn=f"arn:aws:x:{region}:{account}:{resource}",
                           account=account, region=region, verdict=verdict, suppressed=suppressed,
                           suppression_reason="accepted by the data team" if suppressed else None)
    finding.account_name, finding.ou_path = name, ou
    return finding


# (account, name, OU path): three accounts with high, medium and low problems
ANALYTICS, RAW, SANDBOX = "111111111111", "222222222222", "333333333333"


def live_report(specs) -> Report:
    """Several accounts, several services, a hostile message, an unverifiable and a suppressed finding,
    and an error."""
    s3, rds, glue = "AWS::S3::Bucket", "AWS::RDS::DBInstance", "AWS::Glue::Database"
    findings = [
        live("LL101", "high", "BlockPublicPolicy is false", RAW, "eu-west-1", "raw-landing", s3, name="raw", ou="/Root/Data"),
        live("LL101", "high", "RestrictPublicBuckets is false", RAW, "eu-west-1", "raw-archive", s3, name="raw", ou="/Root/Data"),
        live("LL102", "high", HOSTILE, RAW, "us-east-1", "raw-exports", s3, name="raw", ou="/Root/Data"),
        live("LL501", "medium", "storage is not encrypted", ANALYTICS, "eu-west-1", "reporting-db", rds,
             name="analytics", ou="/Root/Data"),
        live("LL602", "low", "the Data Catalog is not encrypted", SANDBOX, "eu-west-1", "sandbox", glue),
        live("LL102", "high", "cannot verify the default encryption", SANDBOX, "eu-west-1", "scratch", s3,
             verdict="unverifiable"),
        live("LL113", "medium", "server access logging is not configured", ANALYTICS, "eu-west-1", "curated", s3,
             suppressed=True, name="analytics", ou="/Root/Data"),
    ]
    errors = [ErrorEntry("could not evaluate LL103 on audit-logs: AccessDenied on GetBucketLifecycleConfiguration",
                         check="LL103", resource="audit-logs", api_call="GetBucketLifecycleConfiguration",
                         iam_action="s3:GetLifecycleConfiguration")]
    checks = [s for s in specs if s.code in {"LL101", "LL102", "LL103", "LL113", "LL501", "LL602"}]
    return Report(findings=findings, errors=errors, files=0, resources=9, checks=checks, tool_version=__version__)


def data_of(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="lakelint-data">(.*?)</script>', page, re.S)
    assert match, "the report holds no data element"
    return json.loads(match.group(1))


def strings_of(page: str) -> set:
    return {s for s in data_of(page)["strings"] if s}


# -- the file ---------------------------------------------------------------------------------------

class Structure(HTMLParser):
    """Every element closed in order (void elements aside), as a browser's tree would nest them."""

    VOID = {"meta", "link", "br", "input", "wbr", "img", "hr", "col", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.seen, self.problems = [], [], []
        self.scripts, self.styles, self.meta = [], [], {}
        self._text = None

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)
        if tag == "meta":
            attrs = dict(attrs)
            self.meta[attrs.get("http-equiv") or attrs.get("name") or attrs.get("charset") and "charset"] = (
                attrs.get("content") or attrs.get("charset"))
        if tag in self.VOID:
            return
        self.stack.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._text = []

    def handle_startendtag(self, tag, attrs):
        self.seen.append(tag)
        if tag not in self.VOID and tag not in ("path", "rect", "circle"):
            self.problems.append(f"<{tag}/> is not an element HTML can close by itself")

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        name, attrs = self.stack.pop()
        if name == "script":
            self.scripts.append((attrs, "".join(self._text)))
        elif name == "style":
            self.styles.append("".join(self._text))
        self._text = None


def parse(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    assert not parser.problems, parser.problems
    assert not parser.stack, f"never closed: {[t for t, _ in parser.stack]}"
    return parser


def test_the_page_parses_as_html_with_its_data_and_one_script(tmp_path, monkeypatch, specs):
    report = template_report(tmp_path, monkeypatch, specs)
    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>\n")
    parsed = parse(page)
    for tag in ("html", "head", "body", "title", "main"):
        assert parsed.seen.count(tag) == 1, tag
    assert parsed.meta["charset"] == "utf-8"
    data_scripts = [text for attrs, text in parsed.scripts if attrs.get("type") == "application/json"]
    code = [text for attrs, text in parsed.scripts if "type" not in attrs]
    assert len(data_scripts) == 1 and len(code) == 1 and len(parsed.styles) == 1
    data = json.loads(data_scripts[0])
    assert len(data["findings"]) == len(report.findings) == 9 and len(data["errors"]) == 1
    assert {"lake.yaml", "stacks/warehouse.yaml", "broken.yaml"} <= set(data["strings"])


def test_the_content_security_policy_allows_only_the_page_own_script_and_style(tmp_path, monkeypatch, specs):
    """No source at all but the inline script and style, named by their hashes: nothing can be fetched,
    and a script that got in by any other way would not run."""
    page = render(template_report(tmp_path, monkeypatch, specs), "html")
    parsed = parse(page)
    policy = dict(part.strip().split(" ", 1) for part in parsed.meta["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    (code,) = [text for attrs, text in parsed.scripts if "type" not in attrs]
    assert policy["script-src"] == f"'{html_report._sha256(code)}'"
    assert policy["style-src"] == f"'{html_report._sha256(parsed.styles[0])}'"
    assert policy["img-src"] == "data:"


def test_no_network_reference_but_the_checks_documentation(tmp_path, monkeypatch, specs):
    page = render(template_report(tmp_path, monkeypatch, specs), "html")
    allowed = set()
    docs_url = html_report.documentation_url()  # a clone that configures one links checks.md too
    for code in ("LL101", "LL102", "LL103"):
        allowed |= set(html_report.references(_spec(specs, code).docs.get("References", "")))
        if docs_url:
            allowed.add(html_report.check_url(docs_url, code))
    found = set(URL.findall(page))
    assert found, "the checks' references should be in the report: this test would prove nothing"
    assert found <= allowed, found - allowed
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)


def test_the_documentation_url_links_each_check_when_configured(tmp_path, monkeypatch, specs):
    monkeypatch.setattr(html_report, "documentation_url", lambda: "https://<your git host>/lakelint/docs/")
    data = data_of(render(template_report(tmp_path, monkeypatch, specs), "html"))
    assert data["checks"]["LL101"]["url"] == "https://<your git host>/lakelint/docs/checks.md#ll101"


def test_a_hostile_message_stays_text(specs):
    page = render(live_report(specs), "html")
    parse(page)
    for markup in ("<script>window.pwned", "<img src=x", "<!-- \"quotes"):
        assert markup not in page
    body = page.split('id="lakelint-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "&" not in body  # as \u003c, \u003e, \u0026
    assert HOSTILE in strings_of(page)  # and read back exactly


def test_hostile_check_docs_stay_text(specs):
    """A plugin's docs are not ours either: they travel as data too."""
    spec = CheckSpec(code="XY101", name="plugin-check", severity="high", title="<b>bold</b> title", func=None,
                     summary="</script><script>alert(1)</script>",
                     docs={"Fix": "Set `x` to </style>.\n```yaml\nA: </script>\n```",
                           "References": "- javascript:alert(1)\n- https://example.invalid/x</script>"},
                     origin="plugin")
    finding = Finding(check="XY101", name="plugin-check", severity="high", message="m", source="template",
                      resource="R", resource_type="AWS::S3::Bucket", file="t.yaml", line=1, column=1)
    page = render(Report(findings=[finding], errors=[], files=1, resources=1, checks=[spec],
                         tool_version=__version__), "html")
    parse(page)
    docs = data_of(page)["checks"]["XY101"]
    assert docs["summary"] == "</script><script>alert(1)</script>"
    assert docs["fix"] == [["text", "Set `x` to </style>."], ["code", "yaml", "A: </script>"]]
    assert docs["references"] == ["https://example.invalid/x"]  # javascript: is no reference
    assert "url" not in docs  # a plugin's docs are not lakelint's to link


def lakelint(folder, *args):
    return subprocess.run([sys.executable, "-m", "lakelint", *args], cwd=folder, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


def test_a_file_name_that_is_not_utf8_is_written_readably(tmp_path):
    with open(os.fsencode(tmp_path / ODD_FILE), "w", encoding="utf-8") as handle:
        handle.write(LAKE)
    done = lakelint(tmp_path, "--select", "LL101", "-f", "html", ".")
    assert done.returncode == 1, done.stderr
    page = done.stdout.decode("utf-8")  # valid UTF-8
    parse(page)
    assert "caf\\xff.yaml" in strings_of(page)  # its odd byte, written as \xff


def test_report_html_writes_the_page_beside_the_text_output(tmp_path):
    (tmp_path / "lake.yaml").write_text(LAKE, encoding="utf-8")
    done = lakelint(tmp_path, "--select", "LL101", "--report", "html=out/lakelint.html", "lake.yaml")
    assert done.returncode == 2 and b"no such directory: out" in done.stderr  # checked before linting
    (tmp_path / "out").mkdir()
    done = lakelint(tmp_path, "--select", "LL101", "--report", "html=out/lakelint.html", "lake.yaml")
    assert done.returncode == 1, done.stderr
    assert b"lake.yaml:7:" in done.stdout  # the text report still goes to stdout
    page = (tmp_path / "out" / "lakelint.html").read_text(encoding="utf-8")
    parse(page)
    assert "BlockPublicPolicy is false" in strings_of(page)


def test_fix_sections_split_into_code_and_prose():
    markdown = "Turn it on:\n```yaml\nA:\n  B: true\n```\nWith the AWS CLI:\n```sh\naws s3api x\n```"
    assert html_report.doc_blocks(markdown) == [
        ["text", "Turn it on:"], ["code", "yaml", "A:\n  B: true"], ["text", "With the AWS CLI:"],
        ["code", "sh", "aws s3api x"]]
    assert html_report.doc_blocks("") == []
    assert html_report.references("- https://a.example/x.\n- see https://b.example/y), twice https://a.example/x") == [
        "https://a.example/x", "https://b.example/y"]


@pytest.mark.parametrize("rtype, service", [("AWS::S3::Bucket", "S3"), ("AWS::RDS::DBInstance", "RDS"),
                                            ("AWS::Glue::Table", "Glue"), ("LakeLint::EC2::Something", "EC2"),
                                            (None, None), ("Custom", None)])
def test_the_service_comes_from_the_resource_type(rtype, service):
    assert html_report.service_of(rtype) == service


def test_every_built_in_check_has_the_docs_the_page_shows(specs):
    """Title, summary and a Fix with something in it, for every check that can appear in a report."""
    for spec in specs:
        docs = html_report.check_docs(spec, None)
        assert docs["title"] and docs["summary"] and docs["fix"], spec.code


def test_a_large_report_is_written_in_pieces_and_stays_small(specs):
    report = synthetic_report(specs, 20_000)
    pieces = list(stream(report, "html"))
    assert len(pieces) > 20_000 // html_report.BATCH
    page = "".join(pieces)
    assert page == render(report, "html")
    data = data_of(page)
    assert len(data["findings"]) == 20_000
    per_finding = len(page.encode("utf-8")) / 20_000
    assert per_finding < 100, f"{per_finding:.0f} bytes per finding"


def test_html_is_a_format_and_loads_only_when_asked_for():
    assert "html" in FORMATS
    probe = ("import sys\nfrom lakelint.cli import main\n"
             "main(['--select', 'LL101', '-q', sys.argv[1]])\n"
             "print('html_report' in ' '.join(sys.modules))\n")
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "t.yaml").write_text(LAKE, encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", probe, folder], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_the_assets_are_package_data():
    """pyproject.toml's package data covers every file the page is made of (a wheel without them
    could not write a report; the slow test below builds one)."""
    from fnmatch import fnmatch

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lakelint.reporters"]
    folder = ROOT / "lakelint" / "reporters" / html_report.ASSETS
    assets = sorted(p.relative_to(folder.parent).as_posix() for p in folder.iterdir() if p.is_file())
    assert assets == ["html_assets/report.css", "html_assets/report.html", "html_assets/report.js"]
    for asset in assets:
        assert any(fnmatch(asset, pattern) for pattern in patterns), asset


@pytest.mark.slow
def test_the_wheel_holds_the_assets(tmp_path):
    from environments import build_wheel

    names = zipfile.ZipFile(build_wheel(tmp_path)).namelist()
    for asset in ("report.css", "report.html", "report.js"):
        assert f"lakelint/reporters/html_assets/{asset}" in names


def synthetic_report(specs, count: int) -> Report:
    """``count`` live findings over 500 accounts, 4 regions and the checks' own titles as messages, as an
    organisation-wide scan would give them."""
    checks = [s for s in specs if "live" in s.sources][:40]
    types = ["AWS::S3::Bucket", "AWS::RDS::DBInstance", "AWS::Glue::Database", "AWS::Redshift::Cluster",
             "AWS::DynamoDB::Table", "AWS::EC2::VPCEndpoint"]
    regions = ["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2"]
    findings = []
    for i in range(count):
        spec = checks[i % len(checks)]
        account = f"{100000000000 + (i * 7919) % 500:012d}"
        region = regions[i % 4]
        resource = f"resource-{i // 3}"
        findings.append(Finding(check=spec.code, name=spec.name, severity=spec.severity, message=spec.title,
                                source="live", resource=resource, resource_type=types[i % len(types)],
                                arn=f"arn:aws:s3:::{resource}", account=account, region=region,
                                verdict="unverifiable" if i % 17 == 0 else "fail", suppressed=i % 29 == 0))
    return Report(findings=findings, errors=[], files=0, resources=count // 3, checks=checks,
                  tool_version=__version__)


# -- in a browser -----------------------------------------------------------------------------------

def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_browser(chromium=CHROMIUM, chromedriver=CHROMEDRIVER) -> list:
    """What the browser tests need and this machine lacks, each with how to get it."""
    missing = [f"{path} ({INSTALL}, as root, on Debian)" for path in (chromium, chromedriver)
               if not os.access(path, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (install the test extra: pip install -e '.[test]')")
    return missing


def require_browser(environ=os.environ, **paths) -> None:
    """Skip when the browser is missing, saying how to get it; in CI, fail instead."""
    missing = missing_browser(**paths)
    if not missing:
        return
    message = f"the HTML report's browser tests need {'; '.join(missing)}"
    if in_ci(environ):
        pytest.fail(f"{message}; CI must have them (.ci/run installs them)", pytrace=False)
    pytest.skip(message)


@pytest.mark.parametrize("ci, outcome", [({"CI": "1"}, pytest.fail.Exception), ({"CI": "true"}, pytest.fail.Exception),
                                         ({}, pytest.skip.Exception), ({"CI": "false"}, pytest.skip.Exception)])
def test_a_missing_browser_skips_with_the_command_and_fails_in_ci(ci, outcome):
    with pytest.raises(outcome, match=re.escape(INSTALL)):
        require_browser(ci, chromium="/nonexistent/chromium", chromedriver=CHROMEDRIVER)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    def no_download(*args, **kwargs):
        raise AssertionError("Selenium Manager would download a driver: use Debian's chromedriver")

    original, SeleniumManager.binary_paths = SeleniumManager.binary_paths, no_download
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        SeleniumManager.binary_paths = original


def console_problems(driver) -> list:
    """What the page said on the console at warning level or above since the last call (a blocked
    script, a refused resource and an uncaught exception all land there)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def open_report(driver, report, folder: Path, name="report.html"):
    path = folder / name
    path.write_bytes("".join(stream(report, "html")).encode("utf-8"))
    driver.get(path.as_uri())
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
    return driver


def texts(driver, selector) -> list:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def visible_rows(driver) -> int:
    return driver.execute_script("return document.querySelectorAll('#rows tr:not(:has(td.none))').length")


def type_filter(driver, text):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element(By.ID, "f-text")
    box.clear()
    before = driver.find_element(By.ID, "count").text
    box.send_keys(text)
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "count").text != before)


@pytest.mark.slow
def test_browser_totals_charts_and_worst_accounts_first(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By

    report = live_report(specs)
    open_report(browser, report, tmp_path)
    active = [f for f in report.findings if not f.suppressed]
    expected = {sev: sum(1 for f in active if f.severity == sev and f.verdict == "fail") for sev in ("high", "medium", "low")}
    for severity, count in expected.items():
        assert browser.find_element(By.CSS_SELECTOR, f"#total-{severity} .n").text == str(count)
    unverifiable = sum(1 for f in active if f.verdict == "unverifiable")
    assert browser.find_element(By.CSS_SELECTOR, "#total-cne .n").text == str(unverifiable + len(report.errors))
    assert browser.find_element(By.CSS_SELECTOR, "#total-suppressed .n").text == "1"
    # one bar per account, the worst (most high findings) first, each named as Organizations names it
    groups = browser.find_elements(By.CSS_SELECTOR, "#chart-groups svg g.bar")
    assert [g.get_attribute("data-key") for g in groups] == [RAW, ANALYTICS, SANDBOX]
    assert "per account" in browser.find_element(By.CSS_SELECTOR, "#chart-groups figcaption").text
    assert "222222222222 (raw)" in texts(browser, "#chart-groups svg text.label")
    services = [g.get_attribute("data-key") for g in browser.find_elements(By.CSS_SELECTOR, "#chart-services svg g.bar")]
    assert services == ["S3", "RDS", "Glue"]
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-groups svg rect.seg-high")
    # the tabs: failing findings, could not evaluate (the unverifiable finding and the error), suppressed
    assert texts(browser, "#tabs .tab") == ["Findings (5)", "Could not evaluate (2)", "Suppressed (1)"]
    assert visible_rows(browser) == 5
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_filters_narrow_the_rows(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_report(browser, live_report(specs), tmp_path)
    assert visible_rows(browser) == 5
    type_filter(browser, "raw-archive")
    assert visible_rows(browser) == 1
    assert "RestrictPublicBuckets is false" in texts(browser, "#rows td.msg")[0]
    type_filter(browser, "eu-west-1 high")  # every word must match
    assert visible_rows(browser) == 2
    browser.find_element(By.ID, "f-clear").click()
    Select(browser.find_element(By.ID, "f-service")).select_by_value("RDS")
    assert visible_rows(browser) == 1
    Select(browser.find_element(By.ID, "f-service")).select_by_value("")
    Select(browser.find_element(By.ID, "f-where")).select_by_value(RAW)
    assert visible_rows(browser) == 3
    # a bar of the chart picks its account
    browser.find_element(By.CSS_SELECTOR, f"#chart-groups g.bar[data-key='{SANDBOX}']").click()
    assert visible_rows(browser) == 1 and Select(browser.find_element(By.ID, "f-where")).first_selected_option.text.startswith(SANDBOX)
    # could not evaluate: the error with the permission it lacked, and the unverifiable finding
    browser.find_element(By.ID, "f-clear").click()
    browser.find_element(By.ID, "tab-cne").click()
    messages = texts(browser, "#rows td.msg")
    assert len(messages) == 2
    assert "needs s3:GetLifecycleConfiguration" in messages[0] and "cannot verify" in messages[1]
    browser.find_element(By.ID, "tab-suppressed").click()
    assert "suppressed: accepted by the data team" in texts(browser, "#rows td.msg")[0]
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_opens_a_check_documentation(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_report(browser, live_report(specs), tmp_path)
    panel = browser.find_element(By.ID, "docs")
    assert not panel.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#rows button.check[data-code='LL101']").click()
    assert panel.is_displayed()
    spec = _spec(specs, "LL101")
    assert browser.find_element(By.ID, "docs-title").text == "LL101 s3-block-public-access"
    assert spec.title in panel.text and spec.summary in panel.text
    assert "Fix" in texts(browser, "#docs h3")
    fix_code = texts(browser, "#docs pre code")
    assert fix_code and "PublicAccessBlockConfiguration" in fix_code[0]
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#docs a")]
    assert links and all(link.startswith("https://") for link in links)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert not panel.is_displayed()
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_shows_hostile_text_as_text(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By

    open_report(browser, live_report(specs), tmp_path)
    type_filter(browser, "raw-exports")
    assert HOSTILE in browser.find_element(By.CSS_SELECTOR, "#rows td.msg").text
    assert browser.execute_script("return window.pwned") is None
    assert browser.find_elements(By.CSS_SELECTOR, "#rows img") == []
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_template_report_charts_files(browser, specs, tmp_path, monkeypatch):
    from selenium.webdriver.common.by import By

    report = template_report(tmp_path, monkeypatch, specs)
    open_report(browser, report, tmp_path)
    assert "per file" in browser.find_element(By.CSS_SELECTOR, "#chart-groups figcaption").text
    keys = [g.get_attribute("data-key") for g in browser.find_elements(By.CSS_SELECTOR, "#chart-groups svg g.bar")]
    assert keys == ["stacks/warehouse.yaml", "lake.yaml", "broken.yaml"]  # the error counts for its file
    assert browser.find_element(By.ID, "where-head").text == "File"
    assert "The run is incomplete" in browser.find_element(By.ID, "notes").text
    type_filter(browser, "warehouse")
    assert 0 < visible_rows(browser) < len([f for f in report.findings if not f.suppressed and f.verdict == "fail"])
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_one_account_charts_its_regions(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By

    report = live_report(specs)
    report.findings = [f for f in report.findings if f.account == RAW]
    report.errors = []
    open_report(browser, report, tmp_path)
    assert "per region" in browser.find_element(By.CSS_SELECTOR, "#chart-groups figcaption").text
    keys = [g.get_attribute("data-key") for g in browser.find_elements(By.CSS_SELECTOR, "#chart-groups svg g.bar")]
    assert keys == ["eu-west-1", "us-east-1"]
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_a_clean_run_says_so(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By

    open_report(browser, Report(findings=[], errors=[], files=3, resources=7, checks=[], tool_version=__version__),
                tmp_path)
    assert "All checks passed." in browser.find_element(By.ID, "total-clean").text
    assert "No failing findings." in browser.find_element(By.ID, "rows").text
    assert console_problems(browser) == []


@pytest.mark.slow
def test_browser_renders_100000_findings_lazily(browser, specs, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    report = synthetic_report(specs, 100_000)
    open_report(browser, report, tmp_path)
    active = sum(1 for f in report.findings if not f.suppressed and f.verdict == "fail")
    assert browser.find_element(By.ID, "tab-findings").text == f"Findings ({active:,})"
    assert visible_rows(browser) == 200  # one page, not 100,000 rows
    browser.execute_script("document.getElementById('more').click()")  # the button, without scrolling
    assert visible_rows(browser) == 400
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")  # scrolling to the end
    WebDriverWait(browser, 10).until(lambda d: visible_rows(d) > 400)
    assert visible_rows(browser) % 200 == 0 and visible_rows(browser) < 5000
    groups = browser.find_elements(By.CSS_SELECTOR, "#chart-groups svg g.bar")
    assert len(groups) == 15 and "500" in browser.find_element(By.CSS_SELECTOR, "#chart-groups .rest").text
    type_filter(browser, "resource-4242 ")
    assert visible_rows(browser) == sum(1 for f in report.findings if f.resource == "resource-4242" and not f.suppressed
                                        and f.verdict == "fail")
    assert console_problems(browser) == []

"""The built seed site checked by tools nobody here wrote: the Nu Html Checker (vnu), LinkChecker,
axe-core in headless Chromium, feedparser and an XML parser for the sitemap.

The seed site is built twice, at / and under /xuzhou-briefing/, with its Pagefind index.
Each tool that is missing makes its tests skip with the reason, except when the CI environment
variable is set: then a missing tool is a failure (.ci/run installs them all: vnu-jar and
axe-core from npm, Chromium from Debian, linkchecker and feedparser through the `test` extra).
Set VNU_JAR or AXE_JS to use a copy somewhere else than `npm root -g`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fixture_site import REPO, build_fixture

from builder import content, render, search, serve
from builder.config import load_config
from builder.write import write_site

ORIGIN = "https://example.github.io"
BASES = {"root": "/", "base-path": "/xuzhou-briefing/"}


def require(what: str, ok) -> None:
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing (CI is set, so this is a failure)")
    pytest.skip(f"{what} is missing")


@cache
def npm_root() -> Path | None:
    npm = shutil.which("npm")
    if not npm:
        return None
    result = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60)
    return Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None


def npm_file(env: str, package_path: str) -> Path | None:
    if os.environ.get(env):
        return Path(os.environ[env])
    root = npm_root()
    if root and (root / package_path).is_file():
        return root / package_path
    return None


def tool_beside_python(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


@pytest.fixture(scope="module")
def seed_sites(tmp_path_factory) -> dict[str, Path]:
    """{'root': site folder, 'base-path': site folder}, both with their Pagefind index."""
    if not any((REPO / "content" / "briefings").glob("*.md")):
        pytest.skip("no briefings in content/ yet (run `briefing ingest`)")
    from builder import translate

    sites = {}
    for name, base in BASES.items():
        out = tmp_path_factory.mktemp(f"standards-{name}") / "site"
        config = dataclasses.replace(load_config(REPO).with_base_url(ORIGIN + base), output_dir=str(out))
        site = translate.attach_translations(config, content.load_site(config))
        write_site(render.render_site(site, config), out)
        list(search.index_site(config))
        sites[name] = out
    return sites


def start_server(site: Path, base: str):
    """builder.serve's server, plus the `LinkChecker` header that lets LinkChecker go faster
    than 10 requests a second (its documented opt-in for servers that allow it)."""
    httpd = serve.make_server(site, base, "127.0.0.1", 0, None)

    class Handler(httpd.RequestHandlerClass):
        def end_headers(self):
            self.send_header("LinkChecker", "allowed")
            super().end_headers()

    httpd.RequestHandlerClass = Handler
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def served(seed_sites):
    servers = {name: start_server(seed_sites[name], base) for name, base in BASES.items()}
    yield {name: f"http://127.0.0.1:{httpd.server_port}{BASES[name]}" for name, httpd in servers.items()}
    for httpd in servers.values():
        httpd.shutdown()
        httpd.server_close()


# -- Nu Html Checker ---------------------------------------------------------------------------

def run_vnu(*folders: Path) -> list[dict]:
    jar = npm_file("VNU_JAR", "vnu-jar/build/dist/vnu.jar")
    require("the Nu Html Checker (npm install -g vnu-jar)", jar)
    require("java (apt: openjdk-17-jre-headless)", shutil.which("java"))
    result = subprocess.run(["java", "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json",
                             "--skip-non-html", *map(str, folders)],
                            capture_output=True, text=True, timeout=600)
    assert result.stderr.strip(), "vnu printed no report at all"
    return json.loads(result.stderr)["messages"]


@pytest.mark.slow  # an outside checker over every page
def test_every_page_passes_the_nu_html_checker(seed_sites, tmp_path):
    fixture = build_fixture(tmp_path / "fixture-site", "/xuzhou-briefing/")  # MT tags, missing translations
    folders = [*seed_sites.values(), fixture]
    pages = sum(len(list(folder.rglob("*.html"))) for folder in folders)
    assert pages > 100
    messages = run_vnu(*folders)
    problems = [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('message')}" for m in messages]
    assert problems == []


@pytest.mark.slow  # an outside checker over every page
def test_nu_html_checker_is_really_checking(tmp_path):
    (tmp_path / "bad.html").write_text("<!doctype html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    assert run_vnu(tmp_path), "vnu found nothing wrong in a broken page"


# -- LinkChecker -------------------------------------------------------------------------------

LINKCHECKER_CONFIG = """\
[checking]
threads=8
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
[output]
status=0
"""


def run_linkchecker(url: str, tmp_path: Path, site: Path | None = None) -> list[str]:
    """Every broken link, missing #anchor or other warning LinkChecker finds from `url`; with
    `site` (the folder served at `url`), also that it reached every page in that folder."""
    binary = tool_beside_python("linkchecker")
    require("linkchecker (pip install '.[test]')", binary)
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    config.chmod(0o644)  # LinkChecker drops root privileges to `nobody`
    result = subprocess.run([binary, "-f", str(config), "--verbose", "-o", "csv", url],
                            capture_output=True, text=True, timeout=600,
                            env=dict(os.environ, HOME=str(tmp_path)))
    rows = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    table = list(csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"))
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert table, "LinkChecker checked nothing"
    if site is not None:
        # A count of URLs would move with the content; the pages a reader can reach would not.
        reached = {r["url"].split("#")[0].removeprefix(url) for r in table if r.get("url")}
        pages = {str(f.relative_to(site)).removesuffix("index.html") for f in site.rglob("*.html")}
        # linked from nowhere by design: the 404 page, and a district or industry with no briefings
        # yet (its list says so rather than sending a reader to an empty page; the sitemap has it)
        unlinked = {"404.html"} | {str(f.relative_to(site)).removesuffix("index.html")
                                   for f in site.glob("*/*/*/index.html")
                                   if re.search(r"<p>(No briefings yet\.|暂无简报。)</p>", f.read_text("utf-8"))}
        unreached = sorted(pages - reached - unlinked)
        assert len(pages) > 100 and unreached == [], f"LinkChecker never reached {unreached}"
    broken = [f"{r['parentname']} -> {r['urlname']}: {r['result']} {r['warningstring']}".strip()
              for r in table if r.get("valid") != "True" or r.get("warningstring")]  # a missing #anchor is a warning
    if result.returncode == 1:
        assert broken, "LinkChecker failed without naming a link: " + result.stderr[-2000:]
    return broken


@pytest.mark.slow  # an outside checker over every page
@pytest.mark.parametrize("name", BASES)
def test_linkchecker_finds_no_broken_link_or_anchor(served, seed_sites, name, tmp_path):
    assert run_linkchecker(served[name], tmp_path, site=seed_sites[name]) == []


@pytest.mark.slow  # an outside checker over every page
def test_linkchecker_is_really_checking_links_and_anchors(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><title>x</title><h1 id="top">x</h1>'
        '<a href="#top">ok</a> <a href="other.html#nowhere">bad anchor</a> <a href="gone/">gone</a>',
        encoding="utf-8")
    (site / "other.html").write_text('<!doctype html><html lang="en"><title>y</title><p id="here">y',
                                     encoding="utf-8")
    httpd = start_server(site, "/")
    try:
        broken = run_linkchecker(f"http://127.0.0.1:{httpd.server_port}/", tmp_path)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert any("gone/" in b for b in broken), broken
    assert any("#nowhere" in b for b in broken), broken
    assert len(broken) == 2, broken


# -- axe-core in headless Chromium ---------------------------------------------------------------

from chromium import CHROMIUM, DRIVER, chromium_driver  # noqa: E402


@pytest.fixture(scope="module")
def axe_browser():
    require("chromium (apt: chromium)", CHROMIUM)
    require("chromedriver (apt: chromium-driver)", DRIVER)
    try:
        import selenium  # noqa: F401
    except ImportError:
        require("selenium (pip install '.[test]')", False)
    axe = npm_file("AXE_JS", "axe-core/axe.min.js")
    require("axe-core (npm install -g axe-core)", axe)
    with chromium_driver("chromium-axe-") as driver:
        driver.set_script_timeout(60)
        yield driver, axe.read_text(encoding="utf-8")


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(function (r) { done({violations: r.violations, passes: r.passes.length, url: r.url}); })
  .catch(function (e) { done({error: String(e)}); });
"""

PAGES = {
    "home": "{lang}/",
    "briefings": "{lang}/briefings/",
    "briefing": "{lang}/briefings/jingkai-longtou-qiye-jiju/",
    "parallel": "{lang}/briefings/jingkai-longtou-qiye-jiju/parallel/",
    "districts": "{lang}/districts/",
    "district": "{lang}/districts/jingkai/",
    "industries": "{lang}/industries/",
    "industry": "{lang}/industries/{industry}/",
    "glossary": "{lang}/enterprises/",
    "enterprise": "{lang}/enterprises/xinhua-semiconductor/",
    "search": "{lang}/search/",
}
SEARCH_QUERY = {"zh": "鑫华", "en": "Xinhua"}


def axe_violations(driver, axe_source: str) -> list[str]:
    driver.execute_script(axe_source)
    result = driver.execute_async_script(AXE_RUN)
    assert "error" not in result, result.get("error")
    assert result["passes"] > 5, "axe checked (almost) nothing"
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.slow  # an outside checker over every page
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_violation(axe_browser, served, seed_sites, page, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver, axe_source = axe_browser
    industry = sorted(p.name for p in (seed_sites["base-path"] / "en" / "industries").iterdir() if p.is_dir())[0]
    url = served["base-path"] + PAGES[page].format(lang=lang, industry=industry)
    problems = {}
    for scheme in ("light", "dark"):
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        driver.get(url)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") in ("en", "zh-Hans")
        if page == "search":
            box = WebDriverWait(driver, 15).until(
                lambda d: d.find_element(By.CSS_SELECTOR, ".pagefind-ui__search-input"))
            box.send_keys(SEARCH_QUERY[lang])
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-link"))
        found = axe_violations(driver, axe_source)
        if found:
            problems[scheme] = found
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert problems == {}


@pytest.mark.slow  # an outside checker over every page
def test_axe_finds_no_serious_violation_on_the_language_chooser(axe_browser, served):
    driver, axe_source = axe_browser
    driver.get(served["base-path"])
    assert axe_violations(driver, axe_source) == []


# -- feeds and sitemap --------------------------------------------------------------------------

def site_file(site: Path, base: str, url: str) -> Path:
    """The file in `site` that a published absolute URL points to (asserting it is one of ours)."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == ORIGIN, url
    assert parts.path.startswith(base), url
    rel = parts.path[len(base):]
    path = site / rel
    return path / "index.html" if rel == "" or rel.endswith("/") else path


@pytest.mark.parametrize("name", BASES)
def test_feeds_parse_without_complaint_and_link_to_real_pages(seed_sites, name):
    try:
        import feedparser
    except ImportError:
        require("feedparser (pip install '.[test]')", False)
    site, base = seed_sites[name], BASES[name]
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) >= 4
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", path
        assert parsed.feed.title and parsed.feed.link
        assert site_file(site, base, parsed.feed.link).is_file()
        for entry in parsed.entries:
            assert entry.title and entry.id and entry.link, (path, entry)
            assert site_file(site, base, entry.link).is_file(), entry.link
    top = feedparser.parse((site / "en" / "feed.xml").read_bytes())
    assert top.feed.language == "en" and len(top.entries) >= 2


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.mark.parametrize("name", BASES)
def test_sitemap_is_well_formed_with_matching_alternates(seed_sites, name):
    site, base = seed_sites[name], BASES[name]
    root = ET.parse(site / "sitemap.xml").getroot()  # raises on malformed XML
    assert root.tag == SM + "urlset"
    locs = [u.findtext(SM + "loc") for u in root.findall(SM + "url")]
    assert len(locs) == len(set(locs)), "a URL is listed twice"
    alternates = {}
    for url in root.findall(SM + "url"):
        loc = url.findtext(SM + "loc")
        assert site_file(site, base, loc).is_file(), loc
        links = url.findall(XHTML + "link")
        alts = {}
        for link in links:
            assert link.get("rel") == "alternate"
            assert link.get("hreflang") in ("zh-Hans", "en", "x-default"), link.attrib
            assert link.get("hreflang") not in alts, f"{loc}: hreflang twice"
            assert site_file(site, base, link.get("href")).is_file(), link.get("href")
            alts[link.get("hreflang")] = link.get("href")
        if links:
            assert set(alts) == {"zh-Hans", "en", "x-default"}, loc
            assert loc in (alts["zh-Hans"], alts["en"]), f"{loc} is not among its own alternates"
        alternates[loc] = alts
    for loc, alts in alternates.items():
        for href in alts.values():
            assert alternates.get(href) == alts, f"{href} does not list the same alternates as {loc}"
    for lang in ("zh", "en"):
        assert f"{ORIGIN}{base}{lang}/" in alternates, "home page missing from the sitemap"
    pages = {p for p in site.rglob("index.html") if "pagefind" not in p.parts}
    listed = {site_file(site, base, loc) for loc in locs}
    assert len(listed) >= len(pages) - 4, "most pages are missing from the sitemap"

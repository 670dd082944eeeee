"""In a real headless Chromium on the fixture site (under /xuzhou-briefing/): the header search
box takes a reader to the search page with their query run, and headlines are set in a Latin
face of the stack, not the wide DejaVu fallback (screenshots in test-artifacts/reader-*.png).
Skips without a browser unless CI is set, like test_browser.py."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest
from chromium import require_browser, served
from fixture_site import REPO, build_fixture, fixture_config

from builder import search

pytestmark = pytest.mark.slow  # a browser over a site of its own; CI runs them (-m '')

BASE = "/xuzhou-briefing/"
ARTIFACTS = REPO / "test-artifacts"



@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_browser()
    root = tmp_path_factory.mktemp("reader-browser")
    build_fixture(root / "site", BASE)
    list(search.index_site(dataclasses.replace(fixture_config(BASE), root=root)))
    with served(root / "site", BASE) as url:
        yield url


def _wait(driver, condition, timeout=10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _shoot(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"reader-{name}.png"))


@pytest.mark.parametrize("lang, query, expect", [("en", "Golden Eagle", "golden-eagle-international"),
                                                 ("zh", "中能硅业", "zhongneng-silicon")])
def test_the_header_search_box_runs_the_query_on_the_search_page(browser, site_url, lang, query, expect):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1280, 900)
    browser.get(site_url + f"{lang}/briefings/")
    box = browser.find_element(By.CSS_SELECTOR, "header .site-search input[name=q]")
    assert box.accessible_name  # labelled for screen readers, not by its placeholder alone
    box.send_keys(query + Keys.ENTER)
    _wait(browser, lambda d: f"{BASE}{lang}/search/?q=" in d.current_url)
    links = _wait(browser, lambda d: [a.get_attribute("href") for a in
                                      d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-link")] or None)
    assert any(f"{BASE}{lang}/enterprises/{expect}/" in href for href in links), links
    _shoot(browser, f"search-box-{lang}")


def test_the_header_fits_a_phone(browser, site_url):
    browser.set_window_size(390, 844)
    for lang in ("zh", "en"):
        browser.get(site_url + f"{lang}/briefings/gulou-shopping/")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        _shoot(browser, f"phone-{lang}")
    browser.set_window_size(1280, 900)


def _fonts(browser, selector):
    """The faces Chromium drew the element's text with (DevTools' platform fonts)."""
    root = browser.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    browser.execute_cdp_cmd("CSS.enable", {})
    return {f["familyName"] for f in browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def _installed(family):
    if not shutil.which("fc-list"):
        return False
    return family in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout


def test_headlines_are_not_set_in_the_dejavu_fallback(browser, site_url):
    if not any(_installed(f) for f in ("Liberation Serif", "Noto Serif", "Liberation Sans", "Noto Sans")):
        pytest.skip("no Noto or Liberation font installed: nothing but DejaVu to draw with")
    browser.set_window_size(1280, 900)
    browser.get(site_url + "en/briefings/gulou-shopping/")
    browser.execute_cdp_cmd("DOM.enable", {})
    for selector in ("h1", ".brand", "h2", ".briefing-body p"):
        fonts = _fonts(browser, selector)
        assert fonts and not any("DejaVu" in f for f in fonts), (selector, fonts)
    _shoot(browser, "fonts-en")
    browser.get(site_url + "zh/briefings/gulou-shopping/")
    browser.execute_cdp_cmd("DOM.enable", {})
    if _installed("Noto Serif CJK SC"):
        assert "Noto Serif CJK SC" in _fonts(browser, "h1")
    assert not any("DejaVu" in f for f in _fonts(browser, "h1"))
    _shoot(browser, "fonts-zh")

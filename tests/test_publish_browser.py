"""In a real headless Chromium: an English search result for a page with machine translation
says so in its title and excerpt, a page awaiting translation is not found in English at all,
and the English home page shows the "Awaiting translation" group (screenshots in
test-artifacts/publish-*.png). Skips without a browser unless CI is set, like test_browser.py."""

from __future__ import annotations

import dataclasses

import pytest
from chromium import require_browser, served
from fixture_site import REPO, fixture_config
from publish_fixture import build, make_project

from builder import search

pytestmark = pytest.mark.slow  # a browser over a site of its own; CI runs them (-m '')

BASE = "/xuzhou-briefing/"
ARTIFACTS = REPO / "test-artifacts"



@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_browser()
    root = make_project(tmp_path_factory.mktemp("publish-browser") / "project")
    assert build(root, "--base-url", BASE) == 0
    config = dataclasses.replace(fixture_config(BASE, root=root), root=root)
    list(search.index_site(config))
    with served(root / "site", BASE) as url:
        yield url


def _wait(driver, condition, timeout=10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _results(browser, site_url, lang, query):
    from selenium.webdriver.common.by import By

    browser.get(site_url + f"{lang}/search/")
    box = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".pagefind-ui__search-input"))
    box.send_keys(query)
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result, .pagefind-ui__message"))
    _wait(browser, lambda d: "Searching" not in d.find_element(By.CSS_SELECTOR, ".pagefind-ui__message").text
          if d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__message") else True)
    return browser.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result")


def test_a_machine_translated_result_is_labelled_in_title_and_excerpt(browser, site_url):
    from selenium.webdriver.common.by import By

    results = _wait(browser, lambda d: [r for r in _results(d, site_url, "en", "industrial park")
                                        if "mt-published" in r.find_element(By.CSS_SELECTOR, "a").get_attribute("href")]
                    or None)
    result = results[0]
    title = result.find_element(By.CSS_SELECTOR, ".pagefind-ui__result-title").text
    assert title == "New materials industrial park breaks ground (machine-translated)"
    label = result.find_element(By.CSS_SELECTOR, ".pagefind-ui__result-excerpt .search-label").text
    assert label == "2 of 4 segments machine-translated, not yet reviewed"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "publish-search-en.png"))


def test_a_reviewed_result_has_no_label_and_a_pending_page_is_not_found_in_english(browser, site_url):
    from selenium.webdriver.common.by import By

    results = _wait(browser, lambda d: _results(d, site_url, "en", "night market") or None)
    assert not results[0].find_elements(By.CSS_SELECTOR, ".search-label")
    assert "(machine-translated)" not in results[0].text
    # "Semiconductor materials in the Development Zone" is awaiting translation: no English result
    hrefs = [r.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
             for r in _results(browser, site_url, "en", "Semiconductor materials")]
    assert not any("/briefings/jingkai-chips/" in h for h in hrefs), hrefs
    zh = [r.find_element(By.CSS_SELECTOR, "a").get_attribute("href") for r in
          _wait(browser, lambda d: _results(d, site_url, "zh", "半导体材料") or None)]
    assert any("/zh/briefings/jingkai-chips/" in h for h in zh), zh


def test_the_english_home_page_shows_briefings_awaiting_translation(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(site_url + "en/")
    group = browser.find_element(By.CSS_SELECTOR, ".awaiting")
    assert group.find_element(By.TAG_NAME, "h2").text.casefold() == "awaiting translation"  # CSS sets capitals
    titles = [a.text for a in group.find_elements(By.CSS_SELECTOR, ".card-title a")]
    assert "光伏企业产值增长20%" in titles and "Semiconductor materials in the Development Zone" in titles
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(900, height), 4000))
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "publish-home-en.png"))
    browser.set_window_size(1280, 900)

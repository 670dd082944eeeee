"""Stored XSS through search (issue 14.3): district, industry and enterprise labels that carry
markup are shown by Pagefind's UI as text. In a real headless Chromium, the search page of a
project whose labels are attacks runs none of them, in results or in the opened filter panels.
Skips without a browser unless CI is set, like test_browser.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chromium import require_browser, served
from test_publish_browser import _wait

from builder import cli

pytestmark = pytest.mark.slow  # a browser over a site of its own; CI runs them (-m '')

BASE = "/xuzhou-briefing/"
IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"

TAXONOMY = f"""districts:
  - id: jingkai
    zh: '经开区{IMG}'
    en: 'Jingkai{IMG}'
    keywords: [经开区]
industries:
  - id: semiconductors
    zh: "半导体{SCRIPT}"
    en: "Semis{SCRIPT}"
    keywords: [半导体]
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_browser()
    root = tmp_path_factory.mktemp("xss") / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "base", root)
    (root / "content" / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    assert cli.main(["-C", str(root), "build", "--no-translate", "--no-progress", "--base-url", BASE]) == 0
    with served(root / "site", BASE) as url:
        yield url


@pytest.mark.parametrize("lang, query, label", [("zh", "鑫华", "经开区"), ("en", "Xinhua", "Jingkai")])
def test_hostile_labels_show_as_text_and_run_nothing_on_the_search_page(browser, site_url, lang, query, label):
    from selenium.webdriver.common.by import By

    browser.get(site_url + f"{lang}/search/?q={query}")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result"))
    # open every filter group, so Pagefind draws the district and industry names
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__filter-name"))
    for summary in browser.find_elements(By.CSS_SELECTOR, "details.pagefind-ui__filter-block summary"):
        summary.click()
    filters = _wait(browser, lambda d: " ".join(e.text for e in d.find_elements(
        By.CSS_SELECTOR, ".pagefind-ui__filter-label")) or None)
    assert label in filters, filters
    assert browser.execute_script("return window.__xss") is None
    assert browser.find_elements(By.CSS_SELECTOR, 'img[src="x"], #search script') == []

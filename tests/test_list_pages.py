"""The briefings list is split into pages of 50, newest first, with stable URLs
(`<lang>/briefings/`, then `<lang>/briefings/page/2/` …): a reader can page through every
briefing once, and editing one briefing re-renders only the list page that shows it."""

from __future__ import annotations

import re
import shutil

import pytest
from fixture_site import REPO

from bench import generate
from builder import cli

pytestmark = pytest.mark.slow  # sites of hundreds of briefings: CI runs them (-m '')

N = 120  # three pages: 50, 50, 20


def _build(project) -> None:
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 0


def test_list_pages_show_every_briefing_once_and_link_in_order(tmp_path):
    generate.generate(N, tmp_path, only="ours")
    project = tmp_path / "ours"
    shutil.copytree(REPO / "themes", project / "themes")
    _build(project)
    site = project / "site"
    for lang in ("zh", "en"):
        pages = [site / lang / "briefings" / "index.html"] + \
                [site / lang / "briefings" / "page" / str(n) / "index.html" for n in (2, 3)]
        assert not (site / lang / "briefings" / "page" / "4").exists()
        assert not (site / lang / "briefings" / "page" / "1").exists()  # page 1 is the list itself
        seen = []
        for number, page in enumerate(pages, 1):
            html = page.read_text(encoding="utf-8")
            cards = re.findall(rf'<a href="/{lang}/briefings/([a-z0-9-]+)/"', html.split('<main')[1])
            assert len(cards) == (50 if number < 3 else 20)
            seen += cards
            older = re.search(r'<a rel="next" href="([^"]+)"', html)
            newer = re.search(r'<a rel="prev" href="([^"]+)"', html)
            assert (older.group(1) if older else None) == (f"/{lang}/briefings/page/{number + 1}/" if number < 3 else None)
            expected_newer = None if number == 1 else f"/{lang}/briefings/" if number == 2 else f"/{lang}/briefings/page/2/"
            assert (newer.group(1) if newer else None) == expected_newer
        assert len(seen) == N and len(set(seen)) == N
        assert seen == sorted(seen, reverse=True)  # slugs start with the date: newest first
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/zh/briefings/page/3/" in sitemap and "/en/briefings/page/2/" in sitemap

    # one briefing edited: only its own list page is written again
    before = {p: p.stat().st_mtime_ns for p in site.glob("*/briefings/**/index.html") if "page" in p.parts or p.parent.name == "briefings"}
    last = sorted((project / "content" / "briefings").glob("*.md"))[0]  # the oldest: on page 3
    last.write_text(last.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    _build(project)
    after = {p: p.stat().st_mtime_ns for p in before}
    changed = sorted(str(p.relative_to(site)) for p in before if after[p] != before[p])
    assert changed == ["en/briefings/page/3/index.html", "zh/briefings/page/3/index.html"]


def test_term_pages_are_paged_like_the_list_and_an_edit_rewrites_one_page_per_term(tmp_path, monkeypatch):
    from builder.render import pages as render_pages

    monkeypatch.setattr(render_pages, "LIST_PAGE_SIZE", 4)  # small pages from a small archive
    generate.generate(30, tmp_path, only="ours")
    project = tmp_path / "ours"
    shutil.copytree(REPO / "themes", project / "themes")
    _build(project)
    site = project / "site"
    paged = 0
    for lang in ("zh", "en"):
        for kind in ("districts", "industries"):
            for term in sorted(p for p in (site / lang / kind).iterdir() if p.is_dir()):
                assert (term / "feed.xml").is_file() and not (term / "page" / "1").exists()
                pages = [term / "index.html"] + sorted((term / "page").glob("*/index.html"), key=lambda p: int(p.parent.name))
                paged += len(pages) > 1
                seen = []
                for number, page in enumerate(pages, 1):
                    html = page.read_text(encoding="utf-8")
                    section = html.split('<section aria-labelledby="tb">')[1].split("</section>")[0]
                    cards = re.findall(rf'<h3 class="card-title"><a href="/{lang}/briefings/([a-z0-9-]+)/"', section)
                    assert 1 <= len(cards) <= 4 and (len(cards) == 4 or number == len(pages))
                    seen += cards
                    base = f"/{lang}/{kind}/{term.name}/"
                    older = re.search(r'<a rel="next" href="([^"]+)"', section)
                    newer = re.search(r'<a rel="prev" href="([^"]+)"', section)
                    assert (older.group(1) if older else None) == (f"{base}page/{number + 1}/" if number < len(pages) else None)
                    assert (newer.group(1) if newer else None) == (None if number == 1 else base if number == 2 else f"{base}page/{number - 1}/")
                    assert ("pager" in section) == (len(pages) > 1)
                    assert 'class="rule">' in html.split('<aside aria-labelledby="te">')[1]  # the term's enterprises on every page
                assert len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True)
                feed = (term / "feed.xml").read_text(encoding="utf-8")
                assert len(re.findall(r"<entry>", feed)) == min(len(seen), render_pages.FEED_SIZE)
    assert paged >= 4

    # one briefing edited: of the term pages, only the one page per term and language showing it
    before = {p: p.stat().st_mtime_ns for p in site.glob("*/*/*/**/index.html") if p.parts[-3] in ("districts", "industries")
              or ("page" in p.parts and p.parts[-5] in ("districts", "industries"))}
    first = sorted((project / "content" / "briefings").glob("*.md"))[0]  # the oldest: on the last pages
    first.write_text(first.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    _build(project)
    changed = sorted(str(p.relative_to(site)) for p in before if p.stat().st_mtime_ns != before[p])
    slug = first.stem
    for lang in ("zh", "en"):
        shown_in = [p for p in changed if p.startswith(lang + "/")]
        assert shown_in and all(slug in (site / p).read_text(encoding="utf-8") for p in shown_in)
        assert len({p.split("/")[2] for p in shown_in}) == len(shown_in)  # one page per term

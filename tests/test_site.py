"""The built fixture site as a reader and a crawler see it (both at / and under a base path)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from crawl import crawl, parse
from fixture_site import build_fixture, fixture_files

from builder import render
from builder.names import romanise_name

BASES = [("https://example.org/", "/"), ("https://example.org/xuzhou-briefing/", "/xuzhou-briefing/")]


@pytest.fixture(scope="module", params=BASES, ids=["root", "base-path"])
def built(request, tmp_path_factory):
    base_url, base_path = request.param
    site = build_fixture(tmp_path_factory.mktemp("site") / "site", base_url)
    return site, base_path


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_internal_link_and_anchor_resolves_and_stays_under_base(built):
    site, base_path = built
    problems, pages = crawl(site, base_path, "https://example.org", skip_prefixes=("pagefind/",))
    assert problems == []
    assert len(pages) == 44  # 21 pages per language (an old slug's two redirects among them), the language chooser and 404


def test_every_page_exists_in_both_languages(built):
    site, _ = built
    zh = {p.relative_to(site / "zh").as_posix() for p in (site / "zh").rglob("*") if p.is_file()}
    en = {p.relative_to(site / "en").as_posix() for p in (site / "en").rglob("*") if p.is_file()}
    assert zh == en
    assert "briefings/gulou-shopping/index.html" in zh and "briefings/gulou-shopping/parallel/index.html" in zh
    assert parse(site / "zh/index.html").html_lang == "zh-Hans"
    assert parse(site / "en/index.html").html_lang == "en"


def test_briefing_links_to_each_enterprise_and_enterprise_links_back(built):
    site, base_path = built
    for slug, ents in (("gulou-shopping", ["golden-eagle-international"]),
                       ("jingkai-chips", ["xinhua-semiconductor", "zhongneng-silicon"])):
        for lang in ("zh", "en"):
            page = html(site, f"{lang}/briefings/{slug}/index.html")
            for ent in ents:
                assert f'href="{base_path}{lang}/enterprises/{ent}/"' in page
                back = html(site, f"{lang}/enterprises/{ent}/index.html")
                assert f'href="{base_path}{lang}/briefings/{slug}/' in back


def test_mentions_in_text_link_first_mention_per_section(built):
    site, base_path = built
    page = html(site, "zh/briefings/gulou-shopping/index.html")
    link = f'<a class="ent" href="{base_path}zh/enterprises/golden-eagle-international/">金鹰国际</a>'
    s0, s1 = page.split('id="s1"')
    assert s0.count(link) == 1 and s1.count(link) == 1
    en = html(site, "en/briefings/gulou-shopping/index.html")
    assert f'<a class="ent" href="{base_path}en/enterprises/golden-eagle-international/">Golden Eagle International</a>' in en


def test_term_pages_list_the_right_briefings(built):
    site, base_path = built
    expect = {"districts/gulou": {"gulou-shopping"}, "districts/jingkai": {"jingkai-chips"},
              "industries/commerce": {"gulou-shopping"}, "industries/photovoltaics": {"jingkai-chips"},
              "industries/semiconductors": {"jingkai-chips"}}
    for lang in ("zh", "en"):
        for term, slugs in expect.items():
            page = html(site, f"{lang}/{term}/index.html")
            found = set(re.findall(rf'class="card-title"><a href="{base_path}{lang}/briefings/([a-z0-9-]+)/"', page))
            assert found == slugs, term


def test_enterprise_page_shows_relations_both_ways_and_the_mentioning_sentence(built):
    site, base_path = built
    child = html(site, "en/enterprises/xinhua-semiconductor/index.html")
    parent = html(site, "en/enterprises/zhongneng-silicon/index.html")
    assert "Subsidiary of</span> <a href=\"" + base_path + "en/enterprises/zhongneng-silicon/" in child
    assert "Parent company of</span> <a href=\"" + base_path + "en/enterprises/xinhua-semiconductor/" in parent
    assert "Xinhua Semiconductor expands production." in child
    assert "鑫华半导体扩产。" in html(site, "zh/enterprises/xinhua-semiconductor/index.html")


def test_provenance_machine_missing_flagged_and_notes_are_visible(built):
    site, base_path = built
    page = html(site, "en/briefings/gulou-shopping/index.html")
    assert "7 reviewed, 3 machine-translated" in page and "2 not yet translated" in page
    assert "1 flagged as doubtful" in page
    # machine text is marked and links to the Chinese original of the same sentence
    assert f'href="{base_path}zh/briefings/gulou-shopping/#s0-p1-2"' in page
    # missing English shows the Chinese, marked
    assert '<span class="seg missing" id="s1-p1-2" lang="zh-Hans">客流量超150万人次。</span>' in page
    assert "not yet translated</a>" in page
    assert 'id="fn1"' in page and "popularity bursting" in page
    # a stale translation is not shown as if it were current
    chips = html(site, "en/briefings/jingkai-chips/index.html")
    assert "The industrial chain" not in chips and "产业链" in chips


def test_markup_in_content_is_text_not_html(built):
    site, _ = built
    for lang in ("zh", "en"):
        page = html(site, f"{lang}/briefings/gulou-shopping/index.html")
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_byline_is_romanised_surname_first_in_english():
    assert romanise_name("马壮壮") == "Ma Zhuangzhuang"
    assert romanise_name("欧阳明") == "Ouyang Ming"
    assert romanise_name("John Smith") == "John Smith"


def test_glossary_index_sorted_by_english_name_and_by_pinyin(built):
    site, base_path = built
    en = html(site, "en/enterprises/index.html")
    order = re.findall(rf'<a href="{base_path}en/enterprises/([a-z-]+)/">', en)
    assert order == ["golden-eagle-international", "xinhua-semiconductor", "zhongneng-silicon"]
    zh = html(site, "zh/enterprises/index.html")
    order = re.findall(rf'<a href="{base_path}zh/enterprises/([a-z-]+)/">', zh)
    # jiāng sū xīn huá… < jiāng sū zhōng néng… < xú zhōu jīn yīng…
    assert order == ["xinhua-semiconductor", "zhongneng-silicon", "golden-eagle-international"]


def test_alias_redirects_to_the_briefing(built):
    site, base_path = built
    page = parse(site / "en/briefings/old-gulou-shopping/index.html")
    assert page.meta_refresh == f"{base_path}en/briefings/gulou-shopping/"
    text = html(site, "en/briefings/old-gulou-shopping/index.html")
    assert f'rel="canonical" href="https://example.org{base_path}en/briefings/gulou-shopping/"' in text


def test_every_page_of_an_old_slug_redirects_in_both_languages_keeping_the_fragment(built):
    site, base_path = built
    for lang in ("en", "zh"):
        for page in ("", "parallel/"):
            rel = f"{lang}/briefings/old-gulou-shopping/{page}index.html"
            target = f"{base_path}{lang}/briefings/gulou-shopping/{page}"
            assert parse(site / rel).meta_refresh == target, rel
            # a link to /old/#s2 lands on /new/#s2: the script adds the fragment the refresh drops
            assert f'<script>location.replace("{target}" + location.hash)</script>' in html(site, rel)


def test_language_switcher_points_at_the_same_page(built):
    site, base_path = built
    page = html(site, "en/briefings/gulou-shopping/index.html")
    assert f'class="lang-switch" href="{base_path}zh/briefings/gulou-shopping/"' in page
    # section anchors are identical in both languages
    assert parse(site / "en/briefings/gulou-shopping/index.html").ids >= {"s0", "s1"}
    assert parse(site / "zh/briefings/gulou-shopping/index.html").ids >= {"s0", "s1"}


def test_head_has_hreflang_canonical_og_and_jsonld(built):
    site, base_path = built
    page = html(site, "zh/briefings/gulou-shopping/index.html")
    origin = "https://example.org" + base_path
    assert f'<link rel="canonical" href="{origin}zh/briefings/gulou-shopping/">' in page
    # its English is awaiting translation (tests/test_publish.py): no hreflang pair
    assert 'hreflang="en" href=' not in page.split("</head>")[0]
    home = html(site, "zh/index.html")
    assert f'hreflang="en" href="{origin}en/"' in home and 'hreflang="x-default"' in home
    assert '<meta property="og:type" content="article">' in page
    assert _jsonld(page)["@type"] == "NewsArticle"
    assert _jsonld(page)["url"] == f"{origin}zh/briefings/gulou-shopping/"
    assert _jsonld(html(site, "en/enterprises/zhongneng-silicon/index.html"))["@type"] == "Organization"


def _jsonld(page: str) -> dict:
    import json

    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(page[start:page.index("</script>", start)])


def test_sitemap_lists_exactly_the_pages_search_engines_may_index(built):
    site, base_path = built
    origin = "https://example.org" + base_path
    listed = set(re.findall(r"<loc>([^<]+)</loc>", html(site, "sitemap.xml")))
    indexable = {origin}  # the language chooser
    for page in site.glob("*/**/index.html"):
        if page.parts[len(site.parts)] in ("zh", "en") and '<meta name="robots" content="noindex">' not in \
                page.read_text(encoding="utf-8"):
            indexable.add(origin + page.parent.relative_to(site).as_posix() + "/")
    assert listed == indexable


def test_sitemap_feeds_and_robots(built):
    site, base_path = built
    origin = "https://example.org" + base_path
    sitemap = html(site, "sitemap.xml")
    assert f"<loc>{origin}en/enterprises/</loc>" in sitemap
    assert f'<xhtml:link rel="alternate" hreflang="zh-Hans" href="{origin}zh/enterprises/"/>' in sitemap
    assert "parallel" not in sitemap and "old-gulou-shopping" not in sitemap
    assert f"Sitemap: {origin}sitemap.xml" in html(site, "robots.txt")
    feed = html(site, "zh/feed.xml")
    assert "<updated>2023-05-10T00:00:00Z</updated>" in feed
    assert f"<id>{origin}zh/briefings/gulou-shopping/</id>" in feed
    # a briefing without a date: the day ingest first saw it (content/.ingest-state.json), never the clock
    assert "<updated>2023-06-01T00:00:00Z</updated>" in html(site, "zh/districts/jingkai/feed.xml")
    assert "1970" not in feed
    import xml.dom.minidom
    for rel in ("sitemap.xml", "en/feed.xml", "zh/industries/commerce/feed.xml"):
        xml.dom.minidom.parseString((site / rel).read_bytes())


def test_404_links_are_absolute_under_the_base_path(built):
    site, base_path = built
    page = parse(site / "404.html")
    hrefs = [link for tag, link, _ in page.links]
    assert hrefs and all(h.startswith(base_path) or h.startswith("#") for h in hrefs)


def test_two_builds_are_byte_identical():
    assert fixture_files() == fixture_files()


def test_source_date_epoch_does_not_replace_a_first_seen_day(monkeypatch):
    # SOURCE_DATE_EPOCH stands in only for a briefing with neither a date nor a first-seen day
    # (tests/test_publish.py); the fixture's undated briefing has a first-seen day
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = fixture_files()
    assert b"2023-06-01T00:00:00Z" in files["zh/districts/jingkai/feed.xml"]
    assert b"2023-11-14" not in files["zh/districts/jingkai/feed.xml"]


def test_ui_strings_have_the_same_keys_in_both_languages():
    from fixture_site import REPO

    strings = render.Strings(REPO / "themes" / "default")
    assert set(strings.tables["zh"]) == set(strings.tables["en"])
    with pytest.raises(Exception) as info:
        strings.get("en", "no.such.key")
    assert "missing UI string 'no.such.key'" in str(info.value)

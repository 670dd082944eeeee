"""English pages are published as English only when they are English, and English that is not a
person's is labelled on every surface where it stands for the page (issue 12 §2, issue 11 item 4).

The project (tests/publish_fixture.py) has a briefing with machine-translated title and lead
(published, labelled), one whose machine title and lead are flagged (below the default rule:
pending), the fixture site's two briefings with untranslated and stale segments (pending), and a
fully reviewed briefing with no date. Each surface's bytes are checked: <title>, description,
Open Graph, cards (home, list, district, industry, enterprise pages), Atom feeds, JSON-LD,
Pagefind metadata, the sitemap, hreflang, `check`, `build --strict`."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from publish_fixture import build, head, make_project, read, set_rule

from builder import cli
from builder.config import parse_config
from builder.errors import BuildError, BuildErrors
from builder.render.strings import Strings
from builder.translate.quality import FLAGS

ATOM = "{http://www.w3.org/2005/Atom}"
ORIGIN = "https://example.org/"
PENDING = ("gulou-shopping", "jingkai-chips", "flagged-lead")
MT_TITLE = "New materials industrial park breaks ground"


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    import os

    epoch = os.environ.pop("SOURCE_DATE_EPOCH", None)
    root = make_project(tmp_path_factory.mktemp("publish") / "project")
    assert build(root) == 0
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    return root


def jsonld(page: str) -> dict:
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(page[start:page.index("</script>", start)])


def card_slugs(page: str, lang: str = "en") -> tuple[list[str], list[str]]:
    """(published cards, cards under "Awaiting translation") of a list page, by slug."""
    main = page.split("<main")[1]
    published, _, awaiting = main.partition('class="awaiting"')
    pattern = rf'class="card-title"><a href="/{lang}/briefings/([a-z0-9-]+)/"'
    return re.findall(pattern, published), re.findall(pattern, awaiting)


def feed_entries(root: Path, rel: str) -> dict[str, ET.Element]:
    tree = ET.parse(root / "site" / rel).getroot()
    return {e.find(ATOM + "id").text.rstrip("/").rsplit("/", 1)[1]: e for e in tree.iter(ATOM + "entry")}


# ---- the rule ---------------------------------------------------------------------------

def test_the_rule_is_a_setting_with_known_values(tmp_path):
    assert parse_config("[tool.briefing]\n", tmp_path).publish_en == "translated"
    assert parse_config('[tool.briefing]\npublish_en = "reviewed"\n', tmp_path).publish_en == "reviewed"
    with pytest.raises((BuildError, BuildErrors)) as info:
        parse_config('[tool.briefing]\ntitle_en = "x"\npublish_en = "mostly"\n', tmp_path)
    assert "pyproject.toml:3: publish_en must be one of reviewed, translated, always, not 'mostly'" in str(info.value)


# ---- a pending English page ---------------------------------------------------------------

@pytest.mark.parametrize("slug", PENDING)
def test_a_briefing_below_the_rule_gets_a_translation_pending_page(site, slug):
    page = read(site, f"en/briefings/{slug}/index.html")
    assert '<meta name="robots" content="noindex">' in head(page)
    assert "data-pagefind-body" not in page  # out of English search
    assert 'hreflang="' not in head(page)  # neither page claims the other as its translation
    assert re.search(r"<title>[^<]+ \((?:[a-z -]+; )?translation pending\) · Test Briefing</title>", page)
    notice = page.split('id="pending"')[1].split("</aside>")[0]
    assert "Translation pending." in notice and f'href="/zh/briefings/{slug}/"' in notice
    zh = read(site, f"zh/briefings/{slug}/index.html")
    assert 'hreflang="en"' not in head(zh) and "data-pagefind-body" in zh and "noindex" not in head(zh)
    assert f'class="lang-switch" href="/en/briefings/{slug}/"' in zh  # readers can still go to it


def test_pending_pages_say_what_holds_them_back(site):
    page = read(site, "en/briefings/gulou-shopping/index.html")
    assert "not yet fully translated into English (2 untranslated, 1 flagged)" in page
    assert "(1 untranslated, 1 stale)" in read(site, "en/briefings/jingkai-chips/index.html")


def test_pending_briefings_are_not_in_english_feeds_or_the_sitemap(site):
    for rel in ("en/feed.xml", "en/districts/jingkai/feed.xml", "en/industries/photovoltaics/feed.xml",
                "en/districts/gulou/feed.xml", "en/industries/commerce/feed.xml"):
        assert not set(feed_entries(site, rel)) & set(PENDING), rel
    assert set(feed_entries(site, "en/feed.xml")) == {"mt-published"}  # `undated` has no time: below
    assert {"gulou-shopping", "flagged-lead", "jingkai-chips", "mt-published"} <= set(feed_entries(site, "zh/feed.xml"))
    sitemap = read(site, "sitemap.xml")
    for slug in PENDING:
        assert f"<loc>{ORIGIN}en/briefings/{slug}/</loc>" not in sitemap
        entry = sitemap.split(f"<loc>{ORIGIN}zh/briefings/{slug}/</loc>")[1].split("</url>")[0]
        assert "xhtml:link" not in entry  # the Chinese page stays, without an English alternate
    assert f"<loc>{ORIGIN}en/briefings/mt-published/</loc>" in sitemap
    assert f'hreflang="en" href="{ORIGIN}en/briefings/mt-published/"' in sitemap


@pytest.mark.parametrize("rel, published, awaiting", [
    ("en/index.html", ["mt-published", "undated"], ["gulou-shopping", "flagged-lead", "jingkai-chips"]),
    ("en/briefings/index.html", ["mt-published", "undated"], ["gulou-shopping", "flagged-lead", "jingkai-chips"]),
    ("en/districts/jingkai/index.html", ["mt-published"], ["flagged-lead", "jingkai-chips"]),
    ("en/industries/photovoltaics/index.html", [], ["flagged-lead", "jingkai-chips"]),
    ("en/industries/commerce/index.html", ["undated"], ["gulou-shopping"]),
])
def test_english_lists_show_pending_briefings_in_their_own_group(site, rel, published, awaiting):
    page = read(site, rel)
    assert card_slugs(page) == (published, awaiting)
    group = page.split('class="awaiting"')[1]
    assert "Awaiting translation" in group
    for slug in awaiting:  # each links to its Chinese original
        assert f'<a href="/zh/briefings/{slug}/" hreflang="zh-Hans">Chinese original</a>' in group
    zh_published, zh_awaiting = card_slugs(read(site, rel.replace("en/", "zh/", 1)), "zh")
    assert zh_awaiting == [] and sorted(zh_published) == sorted(published + awaiting)


def test_enterprise_pages_list_mentions_in_pending_briefings_apart(site):
    page = read(site, "en/enterprises/golden-eagle-international/index.html")
    mentions, _, awaiting = page.partition('class="awaiting"')
    assert "gulou-shopping" not in mentions.split("Mentioned in")[1] and "/en/briefings/gulou-shopping/" in awaiting
    assert '<a href="/zh/briefings/gulou-shopping/" hreflang="zh-Hans">Chinese original</a>' in awaiting


def test_a_pending_title_shows_its_machine_english_labelled(site):
    """"with a machine title if one exists, labelled as machine"."""
    home = read(site, "en/index.html").split('class="awaiting"')[1]
    card = home.split('href="/en/briefings/jingkai-chips/"')[1].split("</h3>")[0]
    assert card.startswith(">Semiconductor materials in the Development Zone</a>")
    assert '<span class="tag tag-mt" title="Machine translation, not yet reviewed">MT</span>' in card


# ---- labels on every surface ----------------------------------------------------------

def test_machine_title_and_lead_are_labelled_in_the_head(site):
    page = head(read(site, "en/briefings/mt-published/index.html"))
    assert f"<title>{MT_TITLE} (machine-translated) · Test Briefing</title>" in page
    assert f'<meta property="og:title" content="{MT_TITLE} (machine-translated) · Test Briefing">' in page
    lead = "Machine-translated: The industrial park started construction today."
    assert f'<meta name="description" content="{lead}">' in page
    assert f'<meta property="og:description" content="{lead}">' in page
    assert 'hreflang="en"' in page and "noindex" not in page


@pytest.mark.parametrize("rel", ["en/index.html", "en/briefings/index.html", "en/districts/jingkai/index.html",
                                 "en/industries/semiconductors/index.html"])
def test_cards_label_machine_titles_and_leads(site, rel):
    page = read(site, rel)
    card = page.split('<a href="/en/briefings/mt-published/">')[1].split("</article>")[0]
    mt = '<span class="tag tag-mt" title="Machine translation, not yet reviewed">MT</span>'
    title, summary = card.split("</h", 1)
    assert title == f"{MT_TITLE}</a> {mt}"
    assert f"The industrial park started construction today. {mt}</p>" in summary


def test_feed_entries_say_machine_translated(site):
    entry = feed_entries(site, "en/feed.xml")["mt-published"]
    assert entry.find(ATOM + "title").text == f"{MT_TITLE} (machine-translated)"
    assert {c.get("term"): c.get("label") for c in entry.iter(ATOM + "category")}["machine-translation"] == \
        "Contains machine translation"
    assert entry.find(ATOM + "summary").text == ("Machine-translated: The industrial park started construction "
                                                 "today. [2 of 4 segments machine-translated, not yet reviewed]")
    same = feed_entries(site, "en/districts/jingkai/feed.xml")["mt-published"]
    assert same.find(ATOM + "title").text == f"{MT_TITLE} (machine-translated)"
    zh = feed_entries(site, "zh/feed.xml")["mt-published"]
    assert zh.find(ATOM + "title").text == "新材料产业园开工" and not list(
        c for c in zh.iter(ATOM + "category") if c.get("term") == "machine-translation")


def test_jsonld_never_claims_machine_english_unlabelled(site):
    data = jsonld(read(site, "en/briefings/mt-published/index.html"))
    assert data["headline"] == f"{MT_TITLE} (machine-translated)"
    assert data["translationOfWork"] == {"@type": "NewsArticle", "headline": "新材料产业园开工", "inLanguage": "zh-Hans",
                                         "url": f"{ORIGIN}zh/briefings/mt-published/"}
    assert data["creativeWorkStatus"] == "2 of 4 segments machine-translated, not yet reviewed"
    reviewed = jsonld(read(site, "en/briefings/undated/index.html"))
    assert reviewed["headline"] == "Gulou night market opens" and "creativeWorkStatus" not in reviewed
    assert jsonld(read(site, "en/briefings/flagged-lead/index.html"))["creativeWorkStatus"] == "Incomplete"
    assert jsonld(read(site, "zh/briefings/mt-published/index.html"))["headline"] == "新材料产业园开工"


def test_search_metadata_carries_the_label(site):
    page = read(site, "en/briefings/mt-published/index.html")
    assert f'data-pagefind-meta="title:{MT_TITLE} (machine-translated)"' in page
    assert '<span data-pagefind-meta="label">2 of 4 segments machine-translated, not yet reviewed</span>' in page
    reviewed = read(site, "en/briefings/undated/index.html")
    assert 'data-pagefind-meta="title:Gulou night market opens"' in reviewed and 'data-pagefind-meta="label"' not in reviewed
    assert 'data-pagefind-meta="label"' not in read(site, "zh/briefings/mt-published/index.html")


def test_a_flagged_machine_title_or_lead_is_never_the_pages_title_or_summary(tmp_path):
    """Published whatever its English (publish_en = "always"): the flagged English title and lead
    appear nowhere a title or summary stands; the Chinese does, with "translation flagged"."""
    root = make_project(tmp_path / "project", rule="always")
    assert build(root) == 0
    page = read(root, "en/briefings/flagged-lead/index.html")
    assert "<title>光伏企业产值增长20% (translation flagged) · Test Briefing</title>" in page
    assert '<meta name="description" content="Translation flagged: 企业产值没有下降。">' in page
    assert '<meta property="og:title" content="光伏企业产值增长20% (translation flagged) · Test Briefing">' in page
    assert jsonld(page)["headline"] == "光伏企业产值增长20% (translation flagged)"
    assert 'data-pagefind-meta="title:光伏企业产值增长20% (translation flagged)"' in page
    card = read(root, "en/index.html").split('<a href="/en/briefings/flagged-lead/"')[1].split("</article>")[0]
    assert card.startswith(' lang="zh-Hans">光伏企业产值增长20%</a> <span class="tag tag-flagged">translation flagged</span>')
    assert '<span lang="zh-Hans">企业产值没有下降。</span> <span class="tag tag-flagged">translation flagged</span>' in card
    entry = feed_entries(root, "en/feed.xml")["flagged-lead"]
    assert entry.find(ATOM + "title").text == "光伏企业产值增长20% (translation flagged)"
    assert entry.find(ATOM + "summary").text.startswith("Translation flagged: 企业产值没有下降。")
    surfaces = [head(page), card, ET.tostring(entry, encoding="unicode"),
                read(root, "en/industries/photovoltaics/index.html").split("<main")[1]]
    for text in surfaces:
        assert "Photovoltaic firms' output grows" not in text and "Output of enterprises fell" not in text
    # the body still shows the segment, flagged, with the flag in words
    assert "Flagged by the translation check: a figure in the Chinese is missing from the English or has " \
           "another value" in page


def test_enterprise_page_quotes_label_machine_and_untranslated_sentences(site):
    page = read(site, "en/enterprises/golden-eagle-international/index.html")
    quote = page.split('href="/en/briefings/jingkai-chips/#s1-p1-2"')[1].split("</blockquote>")[0]
    assert '<span class="tag tag-missing">not yet translated</span>' in quote and 'lang="zh-Hans"' in quote


# ---- flags in words ---------------------------------------------------------------------

def test_every_flag_has_words_in_both_languages():
    from fixture_site import REPO

    strings = Strings(REPO / "themes" / "default")
    for code, meaning in FLAGS.items():
        assert strings.tables["en"][f"flag.{code}"] == meaning  # the same words as quality.FLAGS
        assert f"flag.{code}" in strings.tables["zh"]


def test_flags_are_shown_in_words_on_segments_and_in_the_provenance(tmp_path):
    root = make_project(tmp_path / "project", rule="always")
    assert build(root) == 0
    page = read(root, "en/briefings/flagged-lead/index.html")
    negation = "the Chinese says &#39;not&#39; or &#39;no&#39; and the English does not"
    assert f'<span class="tag tag-flag" title="Flagged by the translation check: {negation}">⚑</span>' in page
    provenance = page.split('id="provenance"')[1].split("</p>")[0]
    assert "What the flags mean:" in provenance
    assert "⚑ a figure in the Chinese is missing from the English or has another value (1)" in provenance
    assert f"⚑ {negation} (1)" in provenance
    # an old memory's code this version does not know is shown as such, not as a meaning
    assert "flag &#39;number&#39; (a check this version does not know)" in read(root, "en/briefings/gulou-shopping/index.html")


def test_check_lists_pending_briefings_and_flags_in_words(site, capsys):
    assert cli.main(["-C", str(site), "check"]) == 1  # the untranslated segments are problems already
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert ('content/briefings/flagged-lead.md:2: [pending] English page awaiting translation '
            '(publish_en = "translated": 2 flagged); not in the English feeds, sitemap or search') in out
    assert "content/briefings/gulou-shopping.md:2: [pending]" in out
    assert "content/briefings/jingkai-chips.md:2: [pending]" in out
    assert "mt-published.md:2: [pending]" not in out and "undated.md:2: [pending]" not in out
    assert "[flagged: negation (the Chinese says 'not' or 'no' and the English does not)] s0.p1.1" in out


def test_check_strict_and_build_strict_fail_on_pending_english(tmp_path, capsys):
    root = make_project(tmp_path / "project", rule="reviewed")
    for slug in ("gulou-shopping", "jingkai-chips", "flagged-lead"):
        (root / f"content/briefings/{slug}.md").unlink()
        (root / f"content/translations/en/{slug}.po").unlink()
    assert cli.main(["-C", str(root), "check"]) == 0  # machine English is no problem for check
    out = capsys.readouterr().out
    assert ('content/briefings/mt-published.md:2: [pending] English page awaiting translation '
            '(publish_en = "reviewed": 2 machine-translated)') in out
    assert cli.main(["-C", str(root), "check", "--strict"]) == 1
    assert "error: content/briefings/mt-published.md:2: [pending]" in capsys.readouterr().err
    assert build(root, "--strict") == 1
    assert '--strict: 1 briefing(s) below publish_en = "reviewed"' in capsys.readouterr().err
    assert not (root / "site").exists()  # nothing was written
    assert build(root) == 0
    assert "noindex" in head(read(root, "en/briefings/mt-published/index.html"))
    assert "noindex" not in head(read(root, "en/briefings/undated/index.html"))


def test_always_publishes_every_english_page(tmp_path):
    root = make_project(tmp_path / "project", rule="always")
    assert build(root) == 0
    for slug in (*PENDING, "mt-published"):
        page = read(root, f"en/briefings/{slug}/index.html")
        assert "noindex" not in head(page) and "data-pagefind-body" in page and 'id="pending"' not in page
    assert 'class="awaiting"' not in read(root, "en/index.html")


# ---- pen names -------------------------------------------------------------------------

def test_a_pen_name_byline_is_its_english_with_its_note_and_an_organisation(site):
    page = read(site, "en/briefings/mt-published/index.html")
    byline = page.split('class="byline"')[1].split("</p>")[0]
    assert ('By <span class="pen-name">Jingkaixuan</span> (collective pen name of the zone&#39;s press office, '
            "not a person)") in byline
    assert "Jing Kaixuan" not in page
    assert jsonld(page)["author"] == [{"@type": "Organization", "name": "Jingkaixuan",
                                       "description": "collective pen name of the zone's press office, not a person"}]
    assert feed_entries(site, "en/feed.xml")["mt-published"].find(ATOM + "author/" + ATOM + "name").text == "Jingkaixuan"
    zh = read(site, "zh/briefings/mt-published/index.html")
    assert '作者：<span class="pen-name">经开轩</span>（笔名）' in zh
    assert jsonld(zh)["author"] == [{"@type": "Organization", "name": "经开轩"}]
    # a person is still a person, romanised surname first
    assert jsonld(read(site, "en/briefings/flagged-lead/index.html"))["author"] == [{"@type": "Person", "name": "Wang Xiaoming"}]


def test_editing_a_pen_name_rebuilds_its_bylines_as_a_cold_build_would(tmp_path):
    root = make_project(tmp_path / "project")
    assert build(root) == 0
    terms = root / "content/glossary/terms.yaml"
    terms.write_text(terms.read_text(encoding="utf-8").replace("en: Jingkaixuan", "en: Jingkai Xuan (press office)"),
                     encoding="utf-8")
    assert build(root) == 0
    assert _same_as_cold(root, tmp_path)
    assert "By <span class=\"pen-name\">Jingkai Xuan (press office)</span>" in read(root, "en/briefings/mt-published/index.html")


def _same_as_cold(root: Path, tmp_path: Path) -> bool:
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("site", ".site*", ".briefing-cache"))
    assert build(cold, "--no-cache") == 0
    mine = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    theirs = {p.relative_to(cold / "site"): p.read_bytes() for p in (cold / "site").rglob("*") if p.is_file()}
    assert sorted(mine) == sorted(theirs)
    assert [str(p) for p in mine if mine[p] != theirs[p]] == []
    return True


# ---- the terminology page ---------------------------------------------------------------

def test_the_terminology_page_lists_terms_by_kind_in_both_languages(site):
    en = read(site, "en/terminology/index.html")
    kinds = re.findall(r'<section id="kind-([a-z-]+)"', en)
    assert kinds == ["term", "place", "pen-name"]  # the fixture has no `name` term
    terms = en.split('id="kind-term"')[1].split("</section>")[0]
    assert terms.index("granular silicon") < terms.index("sodium-ion battery")  # English order on the English page
    assert '<td lang="en">Huaihai Economic Zone</td>' in en and "the cross-provincial region centred on Xuzhou" in en
    assert "钠电" in terms and "Pen names" in en
    zh = read(site, "zh/terminology/index.html")
    assert "<h1 class=\"page-title\">术语表</h1>" in zh and "笔名" in zh
    zh_terms = zh.split('id="kind-term"')[1].split("</section>")[0]
    assert zh_terms.index("颗粒硅") < zh_terms.index("钠离子电池")  # pinyin order: ke < na
    assert '<a href="/en/terminology/">' in read(site, "en/enterprises/index.html")
    sitemap = read(site, "sitemap.xml")
    assert f"<loc>{ORIGIN}en/terminology/</loc>" in sitemap and f"<loc>{ORIGIN}zh/terminology/</loc>" in sitemap


# ---- undated briefings in feeds ----------------------------------------------------------

def test_feeds_use_the_first_seen_day_and_never_say_1970(site):
    entry = feed_entries(site, "en/feed.xml")["mt-published"]
    assert entry.find(ATOM + "updated").text == "2023-07-01T00:00:00Z"
    assert entry.find(ATOM + "published") is None  # the first-seen day is not a publication date
    for feed in (site / "site").rglob("feed.xml"):
        assert "1970" not in feed.read_text(encoding="utf-8"), feed
    # pages keep saying the date is not known
    assert "<span>date not known</span>" in read(site, "en/index.html").split("mt-published")[1].split("</article>")[0]


def test_an_undated_unseen_briefing_is_left_out_of_feeds_and_the_report_says_so(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path / "project")
    assert build(root) == 0
    out = capsys.readouterr().out
    assert ("feeds: 1 briefing left out (no date, no first-seen day in content/.ingest-state.json, "
            "SOURCE_DATE_EPOCH not set): content/briefings/undated.md") in out
    assert "undated" not in feed_entries(root, "zh/feed.xml") and "undated" not in feed_entries(root, "en/feed.xml")
    assert "undated" in card_slugs(read(root, "en/briefings/index.html"))[0]  # still listed
    assert build(root) == 0  # nothing changed: the report is said again
    assert "feeds: 1 briefing left out" in capsys.readouterr().out
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(root) == 0
    assert "feeds: 1 briefing left out" not in capsys.readouterr().out
    assert feed_entries(root, "en/feed.xml")["undated"].find(ATOM + "updated").text == "2023-11-14T22:13:20Z"


def test_a_change_to_the_ingest_state_is_seen_by_an_incremental_build(tmp_path):
    """The state is a hidden file under content/, which the input scan otherwise skips."""
    root = make_project(tmp_path / "project")
    assert build(root) == 0
    state = root / "content/.ingest-state.json"
    state.write_text(state.read_text(encoding="utf-8").replace("2023-07-01", "2023-07-09"), encoding="utf-8")
    assert build(root) == 0
    assert feed_entries(root, "en/feed.xml")["mt-published"].find(ATOM + "updated").text == "2023-07-09T00:00:00Z"
    assert _same_as_cold(root, tmp_path)


def test_english_published_after_review_joins_feeds_sitemap_and_lists_incrementally(tmp_path):
    root = make_project(tmp_path / "project")
    assert build(root) == 0
    assert "flagged-lead" not in feed_entries(root, "en/feed.xml")
    po = root / "content/translations/en/flagged-lead.po"
    text = po.read_text(encoding="utf-8").replace("#. flags: figure\n", "").replace("#. flags: negation\n", "")
    po.write_text(text.replace("Output of enterprises fell.", "Output of enterprises did not fall."), encoding="utf-8")
    assert build(root) == 0
    assert "flagged-lead" in feed_entries(root, "en/feed.xml")
    assert "flagged-lead" in card_slugs(read(root, "en/index.html"))[0]
    assert f"<loc>{ORIGIN}en/briefings/flagged-lead/</loc>" in read(root, "sitemap.xml")
    assert _same_as_cold(root, tmp_path)
    set_rule(root, "reviewed")
    assert build(root) == 0
    assert "flagged-lead" not in feed_entries(root, "en/feed.xml")
    assert _same_as_cold(root, tmp_path)


def test_an_impossible_first_seen_day_is_an_error_with_its_line(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    state = root / "content/.ingest-state.json"
    state.write_text(state.read_text(encoding="utf-8").replace("2023-07-01", "2023-02-30"), encoding="utf-8")
    assert build(root) == 1
    err = capsys.readouterr().err
    assert re.search(r"content/\.ingest-state\.json:\d+: content/briefings/mt-published\.md: first_seen: date "
                     r"'2023-02-30' is not a day of the calendar", err), err
    assert not (root / "site").exists()


def test_reviewing_a_machine_sentence_updates_the_feed_note_incrementally(tmp_path):
    root = make_project(tmp_path / "project")
    assert build(root) == 0
    po = root / "content/translations/en/mt-published.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('#. engine: argos translate-zh_en 1.9\n#, fuzzy\nmsgctxt "s0.p1.1"', 'msgctxt "s0.p1.1"'),
                  encoding="utf-8")
    assert build(root) == 0
    summary = feed_entries(root, "en/feed.xml")["mt-published"].find(ATOM + "summary").text
    assert summary == "The industrial park started construction today. [1 of 4 segments machine-translated, not yet reviewed]"
    assert _same_as_cold(root, tmp_path)

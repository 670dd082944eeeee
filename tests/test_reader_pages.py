"""What a reader sees that is not the text: the source at the end of a briefing (no archive
path under the headline), side-by-side rows without translation-memory ids, days and counts
as the language writes them, leads cut where a sentence or word ends, full-width punctuation
in Chinese chrome, districts and industries without briefings, surnames read as surnames, a
contents list, the header search box, the Open Graph image and the sitemap's lastmod."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from fixture_site import build, copy_fixture

from builder.names import romanise_name
from builder.render.ogimage import HEIGHT, WIDTH, og_png
from builder.render.views import clip

BASE = "https://example.github.io/xuzhou-briefing/"
LONG_LEAD = ("鼓楼区坚持以创新谋发展，全力打造高端商务核心区、高新技术产业标杆区、产城融合示范区和社会治理创新先行区，"
             "努力在徐州主城区中勇挑大梁。今年以来，商贸、科技、产城融合都取得了新成效，各项指标稳步上升，区域经济持续向好，"
             "群众获得感不断增强。")
THREE = f"""---
title: 鼓楼区三项重点工作
slug: three-sections
date: 2024-06-02
districts: [gulou]
industries: [commerce]
authors: [曾国藩, 单雄信, 尉迟恭]
---
{LONG_LEAD}

## 商圈

商圈客流持续增长。

## 科技

科技企业数量增加。

## 民生

老旧小区改造加快。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_fixture(tmp_path_factory.mktemp("reader") / "project")
    (project / "content/briefings/three-sections.md").write_text(THREE, encoding="utf-8")
    taxonomy = project / "content/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "industries:\n", "  - id: tongshan\n    zh: 铜山区\n    en: Tongshan District\nindustries:\n", 1), encoding="utf-8")
    build(project, "--base-url", BASE)
    return project / "site"


def read(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def bare(html):
    """Text without its tags (nothing put in their place)."""
    return re.sub(r"<[^>]+>", "", html).strip()


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)))


# ---- the source ------------------------------------------------------------------------------

def test_the_source_is_a_details_block_at_the_end_with_publication_and_page(site):
    for page in site.rglob("*.html"):
        assert "seeds/" not in page.read_text(encoding="utf-8"), page
    zh = read(site, "zh/briefings/gulou-shopping/index.html")
    block = re.search(r'<details class="source-block" id="source"[^>]*>(.*?)</details>\s*</article>', zh, re.S)
    assert block, "the source is the last thing in the article"
    assert "<summary>来源</summary>" in block.group(1)
    line = re.search(r'<p class="source-line">(.*?)</p>', block.group(1), re.S).group(1)
    assert bare(line) == "徐州日报，2023年5月10日，第 A3 版"
    assert '<time datetime="2023-05-10">2023年5月10日</time>' in line
    en = read(site, "en/briefings/gulou-shopping/index.html")
    block = re.search(r'<details class="source-block" id="source"[^>]*>(.*?)</details>\s*</article>', en, re.S)
    assert block and "<summary>Source</summary>" in block.group(1)
    line = re.search(r'<p class="source-line">(.*?)</p>', block.group(1), re.S).group(1)
    assert bare(line) == "Xuzhou Daily (徐州日报), 10 May 2023, page A3"


def test_an_undated_source_says_so_with_full_width_punctuation_in_chinese(tmp_path):
    project = copy_fixture(tmp_path / "project")
    page = project / "content/briefings/gulou-shopping.md"
    page.write_text(page.read_text(encoding="utf-8").replace("  date: 2023-05-10\n", "").replace('  page: "A3"\n', ""),
                    encoding="utf-8")
    build(project)
    zh = read(project / "site", "zh/briefings/gulou-shopping/index.html")
    line = re.search(r'<p class="source-line">(.*?)</p>', zh, re.S).group(1)
    assert bare(line) == "徐州日报，日期不详"


# ---- side by side --------------------------------------------------------------------------

def test_side_by_side_rows_show_no_segment_ids_but_have_an_anchor(site):
    for lang in ("zh", "en"):
        page = read(site, f"{lang}/briefings/gulou-shopping/parallel/index.html")
        table = page[page.index("<tbody>"):page.index("</tbody>")]
        visible = text_of(table)
        assert not re.search(r"\b(meta\.\w+|s\d+\.(p\d+\.\d+|h|sub)|fig\d+\.\w+)\b", visible), visible[:300]
        rows = re.findall(r'<tr id="([^"]+)"', table)
        assert rows and all(f'href="#{row}"' in table for row in rows)


# ---- dates, counts, clipping, punctuation ------------------------------------------------

def test_days_are_written_as_each_language_writes_them(site):
    zh, en = read(site, "zh/briefings/three-sections/index.html"), read(site, "en/briefings/three-sections/index.html")
    assert '<time datetime="2024-06-02">2024年6月2日</time>' in zh
    assert '<time datetime="2024-06-02">2 June 2024</time>' in en
    assert ">2 June 2024</time>" in read(site, "en/briefings/index.html")
    assert ">2024年6月2日</time>" in read(site, "zh/briefings/index.html")
    for page in site.rglob("*.html"):
        assert not re.search(r">\d{4}-\d\d-\d\d<", page.read_text(encoding="utf-8")), page


def _item(html, name):
    return next(item for item in re.findall(r"<li>(.*?)</li>", html, re.S) if name in item)


def test_counts_have_their_plural_and_empty_terms_are_not_links(site):
    en = read(site, "en/districts/index.html")
    assert '<span class="count">2 briefings</span>' in _item(en, "Gulou District")
    assert '<span class="count">1 briefing</span>' in _item(en, "Xuzhou Economic")
    # a district without briefings says so and links nowhere (not to an empty page)
    tongshan = _item(en, "Tongshan District")
    assert "no briefings yet" in tongshan and "<a " not in tongshan
    zh = _item(read(site, "zh/districts/index.html"), "铜山区")
    assert "暂无简报" in zh and "<a " not in zh
    for lang, none in (("en", "no briefings yet"), ("zh", "暂无简报")):
        home = _item(read(site, f"{lang}/index.html"), "铜山区" if lang == "zh" else "Tongshan District")
        assert none in home and "<a " not in home
    assert "/districts/gulou/" in _item(read(site, "en/index.html"), "Gulou District")


def test_a_lead_is_cut_at_a_clause_end_with_an_ellipsis():
    cut = clip(LONG_LEAD, 90)
    assert len(cut) <= 90 and cut.endswith("…")
    assert cut[:-1] in LONG_LEAD and LONG_LEAD[len(cut) - 1] in "。！？；，"
    english = "To speed up building its four zones together, a core zone for commerce and business, a benchmark zone"
    cut = clip(english, 60)
    assert cut == "To speed up building its four zones together, a core zone…"
    assert clip("short", 60) == "short"


def test_meta_descriptions_end_at_a_boundary(site):
    zh = read(site, "zh/briefings/three-sections/index.html")
    description = re.search(r'<meta name="description" content="([^"]*)"', zh).group(1)
    assert description.endswith("…") and description[:-1] in LONG_LEAD
    assert LONG_LEAD[len(description) - 1] in "。！？；，"


def test_chinese_chrome_uses_full_width_punctuation(site):
    zh = read(site, "zh/briefings/three-sections/index.html")
    # no space after a full-width colon; names separated by 、
    assert re.search(r'<span class="authors">作者：曾国藩、单雄信、尉迟恭</span>', zh)


# ---- bylines -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, reading", [
    ("曾国藩", "Zeng Guofan"), ("单雄信", "Shan Xiongxin"), ("仇英", "Qiu Ying"), ("解缙", "Xie Jin"),
    ("区志强", "Ou Zhiqiang"), ("查良镛", "Zha Liangyong"), ("盖聂", "Ge Nie"), ("朴树", "Piao Shu"),
    ("覃明", "Qin Ming"), ("尉迟恭", "Yuchi Gong"), ("万俟卨", "Moqi Xie"), ("马壮壮", "Ma Zhuangzhuang"),
])
def test_surnames_are_read_as_surnames(name, reading):
    assert romanise_name(name) == reading


def test_english_bylines_read_surnames_as_surnames(site):
    en = read(site, "en/briefings/three-sections/index.html")
    assert "By Zeng Guofan, Shan Xiongxin, Yuchi Gong" in text_of(en)


# ---- contents, search box ------------------------------------------------------------------

def test_a_briefing_of_three_sections_has_a_contents_list(site):
    page = read(site, "zh/briefings/three-sections/index.html")
    toc = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', page, re.S)
    assert toc and re.findall(r'href="#(s\d+)"', toc.group(1)) == ["s1", "s2", "s3"]
    assert "商圈" in toc.group(1) and "民生" in toc.group(1)
    assert '<nav class="toc"' not in read(site, "zh/briefings/gulou-shopping/index.html")  # two sections


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_has_a_search_box_that_goes_to_the_search_page(site, lang):
    for page in (site / lang).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a redirect page
        form = re.search(r'<form class="site-search" role="search" action="([^"]+)" method="get">(.*?)</form>', html, re.S)
        assert form, page
        assert form.group(1) == f"/xuzhou-briefing/{lang}/search/"
        assert 'name="q"' in form.group(2) and "<label" in form.group(2)


# ---- Open Graph image, sitemap -------------------------------------------------------------

def _png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def test_the_open_graph_image_is_a_valid_png_named_on_every_page(site):
    data = (site / "og.png").read_bytes()
    chunks = _png_chunks(data)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth, colour) == (WIDTH, HEIGHT, 8, 3) == (1200, 630, 8, 3)
    raw = zlib.decompress(chunks[2][1])
    assert len(raw) == height * (width + 1)
    assert len(set(raw[1:width + 1])) > 1 or len(set(raw)) > 2  # not a blank image
    assert og_png("Test Briefing") == data == og_png("Test Briefing")  # the same bytes every build
    assert og_png("Another Site") != data
    page = read(site, "en/briefings/index.html")
    assert f'<meta property="og:image" content="{BASE}og.png">' in page
    assert '<meta property="og:image:width" content="1200">' in page


def test_the_sitemap_gives_briefings_their_day_as_lastmod(site):
    sitemap = read(site, "sitemap.xml")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*(?:<lastmod>([^<]+)</lastmod>)?", sitemap))
    assert entries[f"{BASE}zh/briefings/three-sections/"] == "2024-06-02"
    assert entries[f"{BASE}zh/briefings/gulou-shopping/"] == "2023-05-10"
    assert entries[f"{BASE}zh/briefings/jingkai-chips/"] == "2023-06-01"  # undated: the day ingest first saw it
    assert entries[f"{BASE}zh/districts/"] == ""  # no day of its own: none invented

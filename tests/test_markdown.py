"""Markdown is Markdown: a briefing with every construct (tests/fixtures/markdown/, laid over
the fixture site) built through the CLI, its pages read in both languages the way a reader
sees them; `briefing check` pointing at unsafe links; images copied with their size."""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixture_site import BUILD, FIXTURE

from builder import cli, content, markdown
from builder.media import image_size
from builder.segment import split_sentences

MARKDOWN = Path(__file__).parent / "fixtures" / "markdown"
MD_FILE = "content/briefings/gulou-markdown.md"


def project(root: Path) -> Path:
    shutil.copytree(FIXTURE, root)
    shutil.copytree(MARKDOWN / "content", root / "content", dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("md") / "project")
    assert cli.main(["-C", str(root), *BUILD, "--base-url", "/sub/"]) == 0
    return root


def page(root: Path, lang: str) -> str:
    return (root / "site" / lang / "briefings" / "gulou-markdown" / "index.html").read_text(encoding="utf-8")


def body(root: Path, lang: str) -> str:
    html = page(root, lang)
    return html[html.index('<div class="briefing-body">'):html.index("</article>")]


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.imgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs.get("href") or "")
        if tag == "img":
            self.imgs.append(attrs)


def parsed(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


# ---- the built pages ------------------------------------------------------------------------

def test_inline_markup_renders_in_both_languages(built):
    zh, en = body(built, "zh"), body(built, "en")
    assert "<strong>会员日</strong>" in zh and "**" not in zh
    assert '<a href="https://example.org/events?id=1">活动页面</a>' in zh
    assert "<code>VIP-2023</code>" in zh and "`" not in zh
    assert "<em>限时</em>" in zh
    # the reviewed English, with the markup the translator kept
    assert "launches a <strong>member day</strong>; see the <a href=\"https://example.org/events?id=1\">event page</a>" in en
    assert "First: <em>limited-time</em> discounts" in en
    # Chinese shown on the English page for an untranslated sentence is rendered too
    assert "代码为<code>VIP-2023</code>。" in en


def test_lists_quotes_tables_and_rules_are_real_elements(built):
    for lang in ("zh", "en"):
        html = body(built, lang)
        ul = html[html.index("<ul>"):html.index("</ul>")]
        assert ul.count("<li>") == 2 and 'id="s0-p2-i2-1"' in ul
        assert re.search(r"<ol>\s*<li>.*上午开门.*</li>\s*<li>.*晚上闭店", html)
        assert re.search(r"<blockquote>\s*<p>.*顾客说：“很方便。”.*</p>\s*</blockquote>", html)
        table = html[html.index("<table>"):html.index("</table>")]
        assert '<thead>' in table and '<th class="align-right">' in table and "150万" in table
        assert "|" not in table
        assert "<hr>" in html
        assert "- 第一项" not in html and "&gt; 顾客" not in html


def test_links_are_safe_and_site_paths_get_the_base_path(built):
    for lang in ("zh", "en"):
        html = body(built, lang)
        hrefs = parsed(html).hrefs
        assert "/sub/zh/briefings/gulou-shopping/" in hrefs  # a site path, under --base-url
        assert "mailto:news@example.org" in hrefs
        assert not [h for h in hrefs if re.sub(r"[\s\x00-\x1f%0-9]", "", h).lower().startswith(("jav", "data:", "vb"))]
        assert "javascript" not in html.lower()
    # the refused link's words stay, as text
    assert "<span class=\"seg\" id=\"s1-p1-2\">Click me does not run.</span>" in body(built, "en")
    assert re.search(r'id="s1-p1-2">点我不会执行。</span>', body(built, "zh"))
    assert re.search(r'id="s1-p2-1">绕过也不行，<a href="mailto:news@example.org">写信</a>可以。', body(built, "zh"))


def test_images_are_copied_with_width_height_and_alt_from_the_caption(built):
    site = built / "site"
    assert (site / "media" / "night.png").read_bytes() == (MARKDOWN / "content" / "media" / "night.png").read_bytes()
    assert (site / "media" / "plan.svg").is_file()
    for lang, alt in (("zh", "鼓楼夜景"), ("en", "Gulou at night")):
        imgs = parsed(body(built, lang)).imgs
        assert {"src": "/sub/media/night.png", "alt": alt, "width": "3", "height": "2", "loading": "lazy"} in imgs
        assert {"src": "/sub/media/plan.svg", "alt": "平面图", "width": "120", "height": "80", "loading": "lazy"} in imgs
    # a figure without an image is a caption line, not a placeholder box
    zh = body(built, "zh")
    fig2 = zh[zh.index('id="fig2"') - 40:]
    fig2 = fig2[:fig2.index("</figure>")]
    assert 'class="figure figure-text"' in fig2 and "未配图的说明" in fig2 and "<img" not in fig2
    assert "图片未收录" not in zh and "Image not included" not in body(built, "en")


def test_cards_and_head_show_markup_as_plain_words(built):
    html = (built / "site" / "zh" / "briefings" / "index.html").read_text(encoding="utf-8")
    card = html[html.index("鼓楼商圈会员日"):]
    assert "金鹰国际推出会员日活动，详见活动页面。" in card[:2000]
    assert "**" not in html and "](" not in html


def test_check_reports_unsafe_links_with_file_and_line(built, capsys):
    assert cli.main(["-C", str(built), "check"]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "[link]" in line]
    assert f"error: {MD_FILE}:35: [link] s1.p1.2: link target 'javascript:alert(1)' is not http, https, mailto " \
           "or a site path (/…); the text '点我' is shown without a link" in lines
    assert any(line.startswith(f"error: {MD_FILE}:37: [link] s1.p2.1: link target 'jav%09ascript:alert(2)'")
               for line in lines)
    # the translator's English is checked too
    assert any(line.startswith(f"error: {MD_FILE}:35: [link] s1.p1.2 (English in content/translations/en/"
                               "gulou-markdown.po): link target 'JaVaScRiPt:alert(1)'") for line in lines)
    assert len(lines) == 3  # the mailto: and site links are fine


def test_po_msgids_keep_the_inline_markup(tmp_path):
    root = project(tmp_path / "project")
    (root / "content" / "translations" / "en" / "gulou-markdown.po").unlink()
    assert cli.main(["-C", str(root), "translate", "--no-progress"]) == 0  # no model: entries without English
    po = (root / "content" / "translations" / "en" / "gulou-markdown.po").read_text(encoding="utf-8")
    assert 'msgctxt "s0.p1.1"\nmsgid "金鹰国际推出**会员日**活动，详见[活动页面](https://example.org/events?id=1)。"' in po
    assert 'msgctxt "s0.p1.2"\nmsgid "代码为`VIP-2023`。"' in po
    assert 'msgctxt "s0.p2.i1.1"\nmsgid "第一项：*限时*折扣"' in po
    assert 'msgctxt "s0.p4.q1.1"\nmsgid "顾客说：“很方便。”"' in po
    assert 'msgctxt "s0.p5.r2.c2.1"\nmsgid "150万"' in po
    assert 'msgctxt "s1.p3.1"\nmsgid "![平面图](../media/plan.svg)"' in po


def test_a_missing_image_is_a_problem_at_its_line_and_the_site_is_kept(tmp_path, capsys):
    root = project(tmp_path / "project")
    assert cli.main(["-C", str(root), *BUILD]) == 0
    before = (root / "site" / "zh" / "index.html").read_bytes()
    (root / "content" / "media" / "night.png").unlink()
    (root / "content" / "media" / "plan.svg").write_text("not an image", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["-C", str(root), *BUILD]) == 1
    err = capsys.readouterr().err
    assert f"{MD_FILE}:9: image content/media/night.png does not exist" in err
    assert f"{MD_FILE}:39: image content/media/plan.svg is not a PNG, JPEG, GIF, WebP or SVG image" in err
    assert (root / "site" / "zh" / "index.html").read_bytes() == before
    assert cli.main(["-C", str(root), "check"]) == 1
    assert f"{MD_FILE}:9: image content/media/night.png does not exist" in capsys.readouterr().err


def test_an_edited_image_is_copied_again_and_a_resized_one_re_renders_its_pages(tmp_path):
    root = project(tmp_path / "project")
    assert cli.main(["-C", str(root), *BUILD]) == 0
    (root / "content" / "media" / "plan.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"></svg>\n', encoding="utf-8")
    assert cli.main(["-C", str(root), *BUILD]) == 0
    assert b'width="64"' in (root / "site" / "media" / "plan.svg").read_bytes()
    assert 'src="/media/plan.svg" alt="平面图" width="64" height="32"' in page(root, "zh")


# ---- the parts --------------------------------------------------------------------------

@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "jav&#x09;ascript:alert(1)", "jav%09ascript:alert(1)", "&#106;avascript:alert(1)", "javascript&colon;alert(1)",
    "java\x00script:x", "java\u200bscript:x", "data:text/html;base64,PHNjcmlwdD4=", "DATA:image/png;base64,xx",
    "vbscript:msgbox(1)", "VbScRiPt:x", "file:///etc/passwd", "//evil.example/x", "/\\evil.example/x",
    "ftp://example.org/", "relative/page", "%6A%61%76%61script:alert(1)", "%256Aavascript:alert(1)",
])
def test_only_safe_targets_become_links(href):
    assert markdown.link_target(href) is None
    assert markdown.render_inline(f"[点我]({href.replace(' ', '%20')})") in ("点我", f"[点我]({_esc(href)})")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("href", ["https://example.org/a?b=1", "http://x.org", "mailto:a@b.org", "/zh/briefings/x/",
                                  "#s1", "HTTPS://EXAMPLE.ORG"])
def test_safe_targets_become_links(href):
    assert markdown.link_target(href) == href


def test_raw_html_stays_text_and_nested_markup_renders():
    assert markdown.render_inline("<b>粗</b>") == "&lt;b&gt;粗&lt;/b&gt;"
    assert markdown.render_inline("**[粗链接](https://a.org)**") == '<strong><a href="https://a.org">粗链接</a></strong>'
    assert markdown.render_inline("[![图](https://a.org/i.png)](https://a.org)") == \
        '<a href="https://a.org">图</a>'  # no link inside a link
    assert markdown.plain_text("**粗**和`码`及[链](https://a.org)") == "粗和码及链"


def test_plain_paragraph_ids_are_what_they_were():
    text = "第一句。第二句！第三句？\n\n## 标题\n\n另一段。再一句。"
    sections = content.parse_body(text, "x.md", 1)
    ids = [(s.id, s.zh) for section in sections for p in section.paragraphs for s in p.segments()]
    assert ids == [("s0.p1.1", "第一句。"), ("s0.p1.2", "第二句！"), ("s0.p1.3", "第三句？"),
                   ("s1.p1.1", "另一段。"), ("s1.p1.2", "再一句。")]
    assert [zh for _id, zh in ids[:3]] == split_sentences("第一句。第二句！第三句？")


def test_a_sentence_is_not_cut_inside_a_link_code_or_emphasis():
    text = "详见[报告](https://a.org/?x=1;y=2)。**加粗。还加粗。**结束。代码`a;b`在此。图![图](media/a.png)后。"
    sections = content.parse_body(text, "x.md", 1)
    assert [s.zh for s in sections[0].paragraphs[0].sentences] == [
        "详见[报告](https://a.org/?x=1;y=2)。", "**加粗。还加粗。**结束。", "代码`a;b`在此。", "图![图](media/a.png)后。"]


def test_structure_ids():
    text = "- 甲\n- 乙\n\n  乙二\n\n> 引\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n段落。"
    sections = content.parse_body(text, "x.md", 1)
    ids = [s.id for p in sections[0].paragraphs for s in p.segments()]
    assert ids == ["s0.p1.i1.1", "s0.p1.i2.1", "s0.p1.i2.p2.1", "s0.p2.q1.1",
                   "s0.p3.r1.c1.1", "s0.p3.r1.c2.1", "s0.p3.r2.c1.1", "s0.p3.r2.c2.1", "s0.p4.1"]


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IEND", b"")


def test_image_sizes_from_headers():
    assert image_size(_png(640, 480)) == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 20, 10) + b"\x00" * 10) == (20, 10)
    jpeg = (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
            + b"\xff\xdb" + struct.pack(">H", 4) + b"\x00\x00"
            + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 300, 400, 3) + b"\x00" * 6)
    assert image_size(jpeg) == (400, 300)
    vp8x = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x0a\x00\x00\x00" + b"\x00" * 4 + (99).to_bytes(3, "little") + \
        (49).to_bytes(3, "little")
    assert image_size(vp8x) == (100, 50)
    vp8l_bits = (199) | (99 << 14)
    assert image_size(b"RIFF\x00\x00\x00\x00WEBPVP8L" + b"\x00" * 4 + b"\x2f" + vp8l_bits.to_bytes(4, "little")) \
        == (200, 100)
    assert image_size(b'<?xml version="1.0"?>\n<svg width="12px" height="8" xmlns="x"/>') == (12, 8)
    assert image_size(b'<svg viewBox="0 0 300.4 150"></svg>') == (300, 150)
    assert image_size(b'<svg width="100%" height="50%"></svg>') is None
    assert image_size(b"not an image") is None

"""Writers, glossary editors and translators can all type markup: whatever they type comes out
escaped or dropped in the built site, in both languages, in feeds and in JSON-LD.

One project carries an attack in every field a person edits (Markdown body, front matter title,
summary, series, figure caption and credit, authors; glossary names, aliases and descriptions;
reviewed PO translations). It is built through the CLI, and the test reads the output the way a
browser or a feed reader would: no element, attribute or URL scheme that runs code may appear.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder import cli

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror='alert(2)'>"
CLOSE = "</script><script>alert(3)</script>"

BRIEFING = f"""---
title: "鑫华半导体完成融资{SCRIPT}"
slug: xinhua-funding
date: 2024-03-01
series: {{name: "系列{IMG}", part: 1}}
summary: "摘要{CLOSE}"
districts: [jingkai]
industries: [semiconductors]
enterprises: [xinhua-semiconductor]
authors: ["张晓培{SCRIPT}", "<b onmouseover=alert(4)>李四</b>"]
figures:
  - caption: "图片说明{IMG}"
    credit: "摄影{SCRIPT}"
---

本月初，鑫华半导体完成10亿元B轮融资。{SCRIPT}成立以来，鑫华半导体已完成4轮融资。

<div onclick="alert(5)">块级HTML</div>

[点我](javascript:alert(6)) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) <javascript:alert(8)> [大写](JaVaScRiPt:alert(9)) [空白](  javascript:alert(10))

## 强研发，破瓶颈{IMG}

鑫华半导体是国内领先的电子级多晶硅制造企业。<a href="javascript:alert(11)">链接</a>
"""

GLOSSARY = f"""- id: xinhua-semiconductor
  name_zh: "江苏鑫华半导体科技股份有限公司{SCRIPT}"
  aliases_zh: [鑫华半导体]
  name_en: "Jiangsu Xinhua Semiconductor Technology Co., Ltd.{IMG}"
  short_en: "Xinhua Semiconductor{CLOSE}"
  aliases_en: ["Xinhua<svg onload=alert(12)>"]
  pinyin: "Jiāngsū Xīnhuá{SCRIPT}"
  district: jingkai
  industries: [semiconductors]
  description_zh: "简介<a href='javascript:alert(13)'>点</a>"
  description_en: "About {SCRIPT} <iframe src=javascript:alert(14)></iframe>"
"""


def po_entry(ctxt: str, zh: str, en: str) -> str:
    esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
    return f'msgctxt "{ctxt}"\nmsgid "{esc(zh)}"\nmsgstr "{esc(en)}"\n\n'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from builder import content
    from builder.config import load_config

    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "base", root)
    (root / "content" / "briefings" / "xinhua-funding.md").write_text(BRIEFING, encoding="utf-8")
    (root / "content" / "glossary" / "enterprises.yaml").write_text(GLOSSARY, encoding="utf-8")
    # a translator's reviewed English for every segment, each one an attack
    briefing = content.load_site(load_config(root)).briefings[0]
    attacks = [SCRIPT, IMG, CLOSE, '<a href="javascript:alert(15)">x</a>', "[md](javascript:alert(16))",
               '"><svg/onload=alert(17)>']
    po = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    for n, seg in enumerate(briefing.segments()):
        po += po_entry(seg.id, seg.zh, f"English {n} {attacks[n % len(attacks)]}")
    (root / "content" / "translations" / "en").mkdir(parents=True)
    (root / "content" / "translations" / "en" / "xinhua-funding.po").write_text(po, encoding="utf-8")
    assert cli.main(["-C", str(root), "build", "--no-search", "--no-translate", "--no-progress"]) == 0
    return root / "site"


class Audit(HTMLParser):
    """Everything in a page that a browser would run."""

    SAFE_SCRIPT_SRC = re.compile(r"^/(?:[\w-]+/)*(static/(site|search)\.js|pagefind/pagefind-ui\.js)$")
    # the theme's header search box: one GET form to the site's own search page
    SITE_SEARCH = re.compile(r"^/(?:[\w-]+/)*(zh|en)/search/$")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False
        self._forms = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("class") == "site-search" and attrs.get("method") == "get" \
                and self.SITE_SEARCH.match(attrs.get("action") or "") and not self._forms:
            self._forms += 1
        elif tag in ("img", "iframe", "svg", "object", "embed", "form", "base", "math", "b"):
            self.problems.append(f"<{tag}> element from content")
        if tag == "script":
            if attrs.get("type") == "application/ld+json":
                self._in_jsonld = True
            elif not self.SAFE_SCRIPT_SRC.match(attrs.get("src") or ""):
                self.problems.append(f"script element {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_contains_anything_that_runs(built):
    pages = html_pages(built)
    assert len(pages) > 20
    for page in pages:
        audit = Audit()
        audit.feed(page.read_text(encoding="utf-8"))
        assert audit.problems == [], page.relative_to(built)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_attacks_are_shown_as_text_on_the_briefing_page(built, lang):
    page = (built / lang / "briefings" / "xinhua-funding" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img" not in page and "<svg" not in page
    assert 'href="javascript:' not in page.lower() and 'href="data:' not in page.lower()
    if lang == "zh":
        # the writer's Markdown link text survives, the dangerous target does not become a link
        assert "点我" in page and "javascript:alert(6)" not in re.findall(r'href="([^"]*)"', page)
        assert "&lt;div onclick=" in page  # block HTML is text, not an element


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_glossary_attacks_are_text_on_the_enterprise_page(built, lang):
    page = (built / lang / "enterprises" / "xinhua-semiconductor" / "index.html").read_text(encoding="utf-8")
    assert "<iframe" not in page and "<svg" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_json_ld_cannot_close_its_script_element(built):
    checked = 0
    for page in html_pages(built):
        audit = Audit()
        audit.feed(page.read_text(encoding="utf-8"))
        for block in audit.jsonld:
            assert "</script" not in block.lower() and "<!--" not in block
            data = json.loads(block)  # still valid JSON, with the attack as a plain string
            checked += 1
            if page.parent.name == "xinhua-funding" and page.parent.parent.name == "briefings":
                assert "</script><script>alert(3)</script>" in json.dumps(data, ensure_ascii=False) or \
                       SCRIPT in json.dumps(data, ensure_ascii=False)
    assert checked >= 2


def test_feeds_carry_attacks_as_plain_text(built):
    feeds = sorted(built.rglob("feed.xml"))
    assert feeds
    for feed in feeds:
        tree = ET.parse(feed)  # well-formed: nothing broke out of an element
        for element in tree.iter():
            local = element.tag.rsplit("}", 1)[-1]
            assert local not in ("script", "img", "iframe", "svg"), feed
            assert element.get("type") in (None, "text", "application/atom+xml", "text/html"), (feed, element.attrib)
            if local in ("title", "summary", "content"):
                assert element.get("type", "text") == "text", "html-typed text would be rendered by readers"
            for name, value in element.attrib.items():
                assert not value.strip().lower().startswith(("javascript:", "data:")), (feed, name, value)
    texts = " ".join(e.text or "" for e in ET.parse(built / "en" / "feed.xml").iter())
    assert "<script>" in texts or "alert(" in texts  # kept as text, escaped in the XML


def test_sitemap_and_search_metadata_stay_well_formed(built):
    ET.parse(built / "sitemap.xml")

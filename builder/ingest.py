"""Ingest: raw article text (seeds/*.txt) -> editable Chinese briefing pages (content/briefings/*.md).

Pure functions on strings do the work; one thin function reads and writes files:

    decode(data, path) -> str                     UTF-8, UTF-8 with BOM, UTF-16 with BOM, else GB18030/GBK
    parse_page(text, filename) -> [Draft]         split a page into articles, repair layout damage
    annotate(draft, ...) -> Draft                 districts/industries (taxonomy keywords), enterprises
                                                  (glossary MentionFinder), slug, source hash, sidecar
    render_markdown(draft) -> str                 YAML front matter + Markdown body
    unknown_enterprises(draft, finder)            enterprise-like names the glossary does not know
    ingest_all(config) -> IngestReport            the only function that touches disk

How a page is read (heuristics that hold for newspaper pages and web article text):
- Web chrome is dropped: breadcrumbs (首页 > 新闻 > …), 来源/编辑/责任编辑/发布时间/作者 lines (a full
  date in them becomes the briefing date, with the line recorded in source.date_from; 来源 becomes
  source.publication when there is no sidecar), 分享/打印/字号 lines; 上一篇/相关新闻/版权所有 end the text.
- Traditional Chinese is converted to Simplified with OpenCC (「」 become “”), recorded as
  source.original_script: traditional.
- Photo captions (a short line ending in a credit: 通讯员供图, 记者 张三 摄, 资料图片 …) become
  `figures` in the front matter; a paragraph the caption cut in half is joined again.
- A paragraph split across columns is joined: a line that does not end a sentence and is too long
  to be a heading, or ends in ，、 is continued by the next line.
- Bylines (a line of 2-3 character names, most starting with a common surname, or with 记者/通讯员)
  become `authors`; a byline glued to the end of the last paragraph is cut off. A byline after the
  text ends the article: the next line starts the next article of the page.
- The first line of an article is its title; a line before it ending in a series number
  (①, 之三, (3)) is the series name and part; a line after it starting with —— is the summary.
- Section headings: a short line that does not end a sentence and is followed by text, or a line
  numbered 一、 / （一）, or a line in 【】 (the brackets are dropped). A heading splits into heading and
  sub-heading at a full-width colon, at a space between two Chinese phrases, or takes the next short
  line as its sub-heading. Nothing else of the Chinese text is changed (spaces between Chinese
  characters inside a paragraph are layout damage and are dropped; in a title a space between two
  phrases is kept as one space).

Slugs are ASCII, written once, never from machine translation: the district id, then up to three
two-syllable pinyin words from the title (district names and particles like 的/在/和 left out), e.g.
鼓楼：“四区”同建，在创新中谋发展 -> gulou-siqu-tongjian-chuangxin. Re-ingest keeps the slug of the
page it wrote before (content/.ingest-state.json remembers it even when the page was deleted).

Safety: content/.ingest-state.json records the sha256 of every page ingest wrote. A page whose bytes
differ from that record was edited by a person: ingest leaves it alone and reports a conflict, so
every value a person set in it (districts, enterprises, slug, text) wins. A deleted page is written
again. Re-running ingest on unchanged input changes no byte.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from builder import frontmatter
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector
from builder.lazyre import LazyPattern as lazy_re
from builder.names import COMPOUND_SURNAMES, SURNAMES

STATE_FILE = ".ingest-state.json"
HEADING_MAX = 36  # a section heading (with its sub-heading on the same line) is at most this long
TITLE_MAX = 64

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_ANY = lazy_re(rf"[{_HAN}\u3000-\u303f\uff00-\uffef\u2010-\u206f]")
TERMINAL = "。！？!?；;…"
CLOSERS = "”’」』)）】》\"'"
CONTINUING = "，、,：:（(“‘《—"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

BYLINE_ROLES = lazy_re(r"(本报记者|本报通讯员|见习记者|特约记者|实习生|通讯员|记者|撰文|摄影|文字|文／|文/|图／|图/)")

_DATE = lazy_re(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_META_LABELS = ("来源", "稿源", "编辑", "责任编辑", "责编", "作者", "发布时间", "发布日期", "发表时间",
                "更新时间", "日期", "时间", "审核", "校对", "初审", "复审", "终审", "供稿", "浏览次数",
                "点击数", "阅读数", "字号", "分享到", "原标题", "原文链接", "链接", "信息来源", "文章来源")
_WEAK_LABELS = {"时间", "日期", "链接", "阅读数", "点击数"}  # also used inside articles (活动时间：…)
_META = lazy_re(r"(?:^|\s|【)(" + "|".join(sorted(_META_LABELS, key=len, reverse=True)) + r")\s*[:：]")
_CHROME = lazy_re(r"^(?:【?(?:打印|关闭|收藏|打印本页|关闭窗口|返回顶部|分享|字体|字号)[^。]{0,20}】?\s*)+$"
                     r"|扫一扫|在手机打开|微信扫|【\s*字[体号]")
_FOOTER = lazy_re(r"^(?:上一篇|下一篇|相关新闻|相关阅读|相关链接|推荐阅读|热点推荐|猜你喜欢|版权所有|Copyright|©)",
                     re.IGNORECASE)
_BREADCRUMB_SEP = lazy_re(r"\s*(?:>|＞|»|›|→|>>)\s*")
_CREDIT = (r"(?:(?:本报)?(?:记者|通讯员|特约摄影师?|摄影)\s*[" + _HAN + r"]{2,4}\s*(?:摄|供图)"
           r"|[" + _HAN + r"]{2,4}\s*摄(?:影)?|(?:通讯员|受访者|受访单位|记者|本报)?供图|资料图片?|网络图片"
           r"|图片来源\s*[:：]\s*\S+|新华社发|视觉中国|IC\s*photo)")
_CAPTION = lazy_re(r"^(?P<caption>.{2,80}?)\s*(?:[(（]\s*(?P<c1>" + _CREDIT + r")\s*[)）]|\s+(?P<c2>" + _CREDIT + r"))$")
_NUMBERED = lazy_re(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部章节篇]\s)")
_BRACKETED = lazy_re(r"^【([^【】]{1,40})】$")
_SERIES = lazy_re(r"^(?P<name>.+?)\s*(?:(?P<circ>[" + CIRCLED + r"])|之(?P<cn>[一二三四五六七八九十]+)"
                     r"|[(（](?P<num>\d{1,2}|[一二三四五六七八九十]+)[)）])$")

_SLUG_STOP = set("的了在和与及是为对把被将从向于之着并而或等再又也")


# ---- the draft ---------------------------------------------------------------

@dataclass(frozen=True)
class DraftSection:
    heading: str | None  # None: the lead before the first heading
    subheading: str | None
    paragraphs: tuple[tuple[str, int], ...]  # (text, line in the raw file)
    line: int = 0


@dataclass(frozen=True)
class DraftFigure:
    caption: str
    credit: str | None
    section: str  # anchor: s0 lead, s1 ...
    after_paragraph: int  # 0 = before the section's first paragraph
    line: int = 0


@dataclass(frozen=True)
class Draft:
    """One article as ingest understood it; `annotate` fills the fields after `sections`."""

    source_file: str
    index: int  # 1-based position of the article on its page
    title: str
    title_line: int
    series: tuple[str, int | None] | None
    summary: str | None
    authors: tuple[str, ...]
    sections: tuple[DraftSection, ...]
    figures: tuple[DraftFigure, ...]
    lines: tuple[int, int]
    date: str | None = None  # a full date found in the page's meta lines (发布时间 …)
    date_from: str | None = None  # "file:line: the line it came from"
    publication: str | None = None  # 来源： on the page
    url: str | None = None
    traditional: bool = False
    # filled by annotate()
    slug: str = ""
    districts: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    enterprises: tuple[str, ...] = ()
    sha256: str = ""
    sidecar: dict = field(default_factory=dict, compare=False)

    def text(self) -> str:
        """Every Chinese text of the article, for keyword and name matching."""
        parts = [self.title]
        for section in self.sections:
            parts += [section.heading or "", section.subheading or ""]
            parts += [p for p, _ in section.paragraphs]
        return "\n".join(p for p in parts if p)


# ---- decoding ----------------------------------------------------------------

def decode(data: bytes, path: str) -> str:
    """Bytes of a raw article file -> text. UTF-8 (with or without BOM), UTF-16 with a BOM,
    else GB18030 (a superset of GBK and GB2312). Anything else is a BuildError naming the file."""
    if not data.strip():
        raise BuildError(path, None, "is empty: there is no article text in it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _check_text(data.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise BuildError(path, None, f"cannot be decoded as UTF-16 (offset {exc.start})") from None
    try:
        return _check_text(data.decode("utf-8-sig"), path)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return _check_text(data.decode("gb18030"), path)
    except UnicodeDecodeError as exc:
        gb_error = exc
    # The decoder that got further is the likelier intended encoding: point there.
    worst = max((utf8_error, gb_error), key=lambda e: e.start)
    line = data.count(b"\n", 0, worst.start) + 1
    byte = data[worst.start]
    raise BuildError(path, line, f"cannot be decoded: byte 0x{byte:02x} at offset {worst.start} is neither "
                                 "UTF-8 nor GB18030/GBK; save the file as UTF-8")


def _check_text(text: str, path: str) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BuildError(path, line, "contains NUL characters: this is not a text file")
    if not text.strip():
        raise BuildError(path, None, "is empty: there is no article text in it")
    return text


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert Traditional Chinese to Simplified. Returns (text, was_traditional). Text that
    OpenCC's t2s changes less than its s2t would is Simplified already and is left untouched."""
    from opencc import OpenCC

    simplified = OpenCC("t2s").convert(text)
    changed_by_t2s = sum(a != b for a, b in zip(text, simplified))
    if changed_by_t2s == 0:
        return text, False
    traditional = OpenCC("s2t").convert(text)
    changed_by_s2t = sum(a != b for a, b in zip(text, traditional))
    if changed_by_t2s <= changed_by_s2t:
        return text, False
    return simplified.translate(str.maketrans("「」『』", "“”‘’")), True


# ---- line classification -------------------------------------------------------

def _strip(line: str) -> str:
    return line.strip(" \t\r\u3000\ufeff\u00a0")


def is_closed(text: str) -> bool:
    """True when the text ends a sentence (。！？； or …, possibly inside closing quotes)."""
    core = text.rstrip(CLOSERS + " ")
    return bool(core) and core[-1] in TERMINAL


def is_continuing(text: str) -> bool:
    return bool(text) and text[-1] in CONTINUING


def _is_name(token: str) -> bool:
    if not re.fullmatch(rf"[{_HAN}]{{2,4}}", token):
        return False
    if len(token) == 4:
        return token[:2] in COMPOUND_SURNAMES
    return True


def parse_byline(text: str) -> tuple[str, ...] | None:
    """Names in a byline such as '马壮壮 梅屹寒 刘贺' or '（本报记者 张三 通讯员 李四）', else None."""
    s = _strip(text)
    if len(s) > 48 or not s:
        return None
    s = re.sub(r"^[(（](.*)[)）]$", r"\1", s)
    had_role = bool(BYLINE_ROLES.search(s))
    s = BYLINE_ROLES.sub(" ", s)
    tokens = [t for t in re.split(r"[\s、，,|｜/／]+", s) if t]
    if not tokens or not all(_is_name(t) for t in tokens):
        return None
    if len(tokens) < 2 and not had_role:
        return None
    with_surname = sum(1 for t in tokens if t[0] in SURNAMES or t[:2] in COMPOUND_SURNAMES)
    if with_surname * 2 <= len(tokens):
        return None
    if not had_role and not re.search(r"\s", _strip(text)):
        return None  # names in a byline are separated by spaces
    return tuple(tokens)


def split_glued_byline(text: str) -> tuple[str, tuple[str, ...]] | None:
    """'…攀升。张晓培 潘凤萍 张双琳 经开轩' -> ('…攀升。', names)."""
    last = max(text.rfind(c) for c in TERMINAL + "”")
    if last < 0 or last == len(text) - 1:
        return None
    head, tail = text[: last + 1], text[last + 1:]
    if not tail.strip() or not is_closed(head):
        return None
    names = parse_byline(tail)
    return (head.rstrip(), names) if names else None


def parse_caption(text: str) -> tuple[str, str] | None:
    m = _CAPTION.match(text)
    if not m or is_continuing(m.group("caption")):
        return None
    caption = m.group("caption").strip()
    credit = (m.group("c1") or m.group("c2")).strip()
    if len(caption) < 2 or _CJK_ANY.search(caption) is None:
        return None
    return caption, credit


def _iso_date(text: str) -> str | None:
    for m in _DATE.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _is_breadcrumb(text: str) -> bool:
    if len(text) > 80:
        return False
    if re.match(r"^(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]?", text):
        return True
    return "首页" in text and len(_BREADCRUMB_SEP.split(text)) >= 2


def _is_meta(text: str) -> bool:
    if len(text) > 120 or "。" in text:
        return False
    if _CHROME.search(text):
        return True
    labels = {m.group(1) for m in _META.finditer(text)}
    if labels - _WEAK_LABELS:
        return True
    if labels and (_iso_date(text) or re.search(r"https?://", text)):
        return True  # 时间：/日期：/链接： are page meta only with a full date or a URL
    # a line that is only a date (and maybe a time)
    return bool(re.fullmatch(r"\s*" + _DATE.pattern + r"\s*(?:星期.|周.)?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*", text))


def _meta_value(text: str, labels: tuple[str, ...]) -> str | None:
    for label in labels:
        m = re.search(rf"{label}\s*[:：]\s*([^\s:：]+)", text)
        if m:
            return m.group(1).strip("【】[]")
    return None


@dataclass
class _Item:
    kind: str  # text | caption | byline
    line: int
    text: str = ""
    caption: tuple[str, str] | None = None
    names: tuple[str, ...] = ()
    explicit_heading: bool = False


# ---- parsing a page ------------------------------------------------------------

def parse_page(text: str, filename: str) -> list[Draft]:
    """Split one raw page into article drafts and repair its layout damage."""
    text, traditional = to_simplified(text.replace("\r\n", "\n").replace("\r", "\n"))
    items: list[_Item] = []
    page_meta: dict = {}
    for number, raw in enumerate(text.split("\n"), 1):
        line = _strip(raw)
        if not line:
            continue
        if _FOOTER.match(line):
            break
        if _is_breadcrumb(line):
            continue
        if _is_meta(line):
            _read_meta(line, number, filename, page_meta)
            continue
        caption = parse_caption(line)
        if caption:
            items.append(_Item("caption", number, line, caption=caption))
            continue
        names = parse_byline(line)
        if names:
            items.append(_Item("byline", number, line, names=names))
            continue
        glued = split_glued_byline(line)
        if glued:
            items.append(_Item("text", number, glued[0]))
            items.append(_Item("byline", number, names=glued[1]))
            continue
        items.append(_Item("text", number, line))

    articles: list[list[_Item]] = []
    current: list[_Item] = []
    for item in items:
        current.append(item)
        # A byline after the article's text closes it; one right under the title does not.
        if item.kind == "byline" and sum(1 for i in current if i.kind == "text") >= 2:
            articles.append(current)
            current = []
    if any(i.kind == "text" for i in current):
        articles.append(current)
    if not articles:
        raise BuildError(filename, None, "has no article text (only web-page navigation or meta lines)")
    return [_parse_article(a, index, filename, page_meta, traditional) for index, a in enumerate(articles, 1)]


def _read_meta(line: str, number: int, filename: str, meta: dict) -> None:
    date = _iso_date(line)
    if date and "date" not in meta:
        meta["date"] = date
        meta["date_from"] = f"{filename}:{number}: {line}"
    publication = _meta_value(line, ("来源", "稿源", "信息来源", "文章来源"))
    if publication and "publication" not in meta and not publication.startswith("http"):
        meta["publication"] = publication
    url = re.search(r"https?://\S+", line)
    if url and "url" not in meta:
        meta["url"] = url.group(0)
    m = re.search(r"(?:作者|记者)\s*[:：]\s*(.+)", line)
    if m and "authors" not in meta:
        value = re.split(r"\s{2,}|(?:" + "|".join(_META_LABELS) + r")\s*[:：]", m.group(1))[0]
        names = tuple(t for t in re.split(r"[\s、，,]+", BYLINE_ROLES.sub(" ", value)) if _is_name(t))
        if names:
            meta["authors"] = names


def _title_like(text: str) -> bool:
    return len(text) <= TITLE_MAX and "。" not in text.rstrip("。")


def _parse_article(items: list[_Item], index: int, filename: str, page_meta: dict,
                   traditional: bool) -> Draft:
    first_line = items[0].line
    last_line = items[-1].line
    authors: list[str] = []
    texts = [i for i in items if i.kind == "text"]
    for item in items:
        if item.kind == "byline":
            authors += [n for n in item.names if n not in authors]

    series = None
    head = texts[0]
    m = _SERIES.match(head.text)
    if m and len(texts) > 1 and len(head.text) <= TITLE_MAX and _title_like(texts[1].text):
        part_text = m.group("circ") or m.group("cn") or m.group("num")
        if m.group("circ"):
            part = CIRCLED.index(part_text) + 1
        elif part_text.isdigit():
            part = int(part_text)
        else:
            part = _cn_number(part_text)
        series = (m.group("name").strip(), part)
        texts = texts[1:]
    title_item = texts[0]
    if not _title_like(title_item.text) or is_continuing(title_item.text):
        raise BuildError(filename, title_item.line,
                         f"article {index} has no title: its first line is a paragraph ({title_item.text[:20]}…); "
                         "put the title on a line of its own above the text")
    summary = None
    body_start = items.index(title_item) + 1
    body = [i for i in items[body_start:] if i.kind != "byline"]
    if body and body[0].kind == "text" and re.match(r"^[—－-]{2}", body[0].text):
        summary = _clean(re.sub(r"^[—－-]+", "", body[0].text))
        body = body[1:]

    stream = _join_fragments(body)
    sections, figures = _sections(stream)
    if not any(s.paragraphs or s.heading for s in sections):
        raise BuildError(filename, title_item.line, f"article {index} ('{title_item.text}') has a title but no text")
    return Draft(
        source_file=filename, index=index, title=re.sub(r"\s+", " ", title_item.text), title_line=title_item.line,
        series=series, summary=summary, authors=tuple(authors or page_meta.get("authors", ())),
        sections=tuple(sections), figures=tuple(figures), lines=(first_line, last_line),
        date=page_meta.get("date"), date_from=page_meta.get("date_from"),
        publication=page_meta.get("publication"), url=page_meta.get("url"), traditional=traditional,
    )


def _cn_number(text: str) -> int | None:
    if text in CN_DIGITS:
        return CN_DIGITS[text]
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    if len(text) >= 2 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10 + CN_DIGITS.get(text[2:], 0)
    return None


def _explicit_heading(text: str) -> bool:
    return bool(_NUMBERED.match(text) or _BRACKETED.match(text))


def _heading_like(text: str) -> bool:
    if _BRACKETED.match(text):
        return True
    if len(text) > HEADING_MAX or is_continuing(text):
        return False
    if _NUMBERED.match(text):
        return "。" not in text.rstrip("。")
    return not is_closed(text)


def _join_fragments(body: list[_Item]) -> list[_Item]:
    """Join paragraphs that a caption or a column break cut in two; captions stay in the stream
    right after the paragraph they interrupted."""
    out: list[_Item] = []
    cut_by_caption = False
    for item in body:
        last_text = next((i for i in reversed(out) if i.kind == "text"), None)
        if item.kind == "caption":
            cut_by_caption = bool(last_text and not is_closed(last_text.text) and out[-1] is last_text)
            out.append(item)
            continue
        if last_text is not None and not _explicit_heading(last_text.text) and not _explicit_heading(item.text):
            open_ = not is_closed(last_text.text)
            too_long = len(last_text.text) > HEADING_MAX
            if open_ and (cut_by_caption or too_long or is_continuing(last_text.text)) and \
                    (cut_by_caption or out[-1] is last_text):
                last_text.text = _join_two(last_text.text, item.text)
                cut_by_caption = False
                continue
        cut_by_caption = False
        out.append(_Item("text", item.line, item.text))
    return out


def _join_two(a: str, b: str) -> str:
    a, b = a.rstrip(), b.lstrip()
    if a and b and not (_CJK_ANY.match(a[-1]) or _CJK_ANY.match(b[0])):
        return a + " " + b
    return a + b


def _clean(text: str) -> str:
    """Whitespace inside Chinese text is layout damage: drop it next to Chinese characters,
    collapse it elsewhere."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def split_heading(text: str) -> tuple[str, str | None]:
    """'高端商贸商务核心： 潮玩佳地…' -> ('高端商贸商务核心', '潮玩佳地…');
    '强研发，破瓶颈 多类半导体…' -> ('强研发，破瓶颈', '多类半导体…'); '【亮点】' -> ('亮点', None)."""
    m = _BRACKETED.match(text)
    if m:
        text = m.group(1)
    colon = text.find("：")
    if 0 < colon < len(text) - 1:
        head, sub = text[:colon].strip(), text[colon + 1:].strip()
        if head and sub:
            return _clean(head), _clean(sub)
    m = re.match(rf"^(\S*[{_HAN}]\S*)\s+(\S*[{_HAN}].*)$", text)
    if m and len(m.group(1)) >= 2 and len(m.group(2)) >= 2:
        return _clean(m.group(1)), _clean(m.group(2))
    return _clean(text), None


def _sections(stream: list[_Item]) -> tuple[list[DraftSection], list[DraftFigure]]:
    sections: list[dict] = [dict(heading=None, sub=None, paragraphs=[], line=0)]
    figures: list[DraftFigure] = []
    texts = [i for i in stream if i.kind == "text"]
    position = {id(i): n for n, i in enumerate(texts)}
    skip: set[int] = set()
    for item in stream:
        if item.kind == "caption":
            anchor = len(sections) - 1
            caption, credit = item.caption
            figures.append(DraftFigure(caption, credit, f"s{anchor}", len(sections[-1]["paragraphs"]), item.line))
            continue
        if id(item) in skip:
            continue
        n = position[id(item)]
        following = texts[n + 1] if n + 1 < len(texts) else None
        if following is not None and _heading_like(item.text):
            head, sub = split_heading(item.text)
            if sub is not None and not _explicit_heading(item.text) and _heading_like(following.text):
                # 'label：value' lines in a row (活动时间：… / 活动地点：…) are a list, not headings
                sections[-1]["paragraphs"].append((_clean(item.text), item.line))
                continue
            if sub is None:
                after = texts[n + 2] if n + 2 < len(texts) else None
                if after is not None and _heading_like(following.text) and not _explicit_heading(following.text) \
                        and split_heading(following.text)[1] is None:
                    sub = _clean(following.text)
                    skip.add(id(following))
            sections.append(dict(heading=head, sub=sub, paragraphs=[], line=item.line))
            continue
        sections[-1]["paragraphs"].append((_clean(item.text), item.line))
    result = [DraftSection(s["heading"], s["sub"], tuple(s["paragraphs"]), s["line"]) for s in sections]
    if not result[0].paragraphs:
        # no lead: a figure placed before the first heading belongs at the top of section 1
        figures = [dataclasses.replace(f, section="s1", after_paragraph=0) if f.section == "s0" and len(result) > 1
                   else f for f in figures]
    return result, figures


# ---- classification, slugs ------------------------------------------------------

def _keyword_counts(text: str, terms) -> dict[str, int]:
    """Occurrences of each term's keywords, longest first and non-overlapping across terms."""
    owner: dict[str, str] = {}
    for term in terms:
        for keyword in term.keywords:
            owner.setdefault(keyword, term.id)
    if not owner:
        return {}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(owner, key=lambda k: (-len(k), k))))
    counts: dict[str, int] = {}
    for m in pattern.finditer(text):
        counts[owner[m.group(0)]] = counts.get(owner[m.group(0)], 0) + 1
    return counts


def assign_terms(draft: Draft, terms) -> tuple[str, ...]:
    """Ids of terms whose keywords appear in the title or a heading, or twice in the text;
    terms named in the title first, then in taxonomy order."""
    in_title = _keyword_counts(draft.title, terms)
    headings = "\n".join(f"{s.heading or ''} {s.subheading or ''}" for s in draft.sections)
    in_headings = _keyword_counts(headings, terms)
    overall = _keyword_counts(draft.text(), terms)
    chosen = [t.id for t in terms if t.id in in_title or t.id in in_headings or overall.get(t.id, 0) >= 2]
    title_order = [t.id for t in terms if t.id in in_title]
    return tuple(title_order + [t for t in chosen if t not in title_order])


def make_slug(title: str, district=None) -> str:
    """ASCII slug from the title's pinyin: district id + up to three two-syllable words."""
    from pypinyin import lazy_pinyin

    text = title
    if district is not None:
        for name in sorted((district.zh, *district.keywords), key=len, reverse=True):
            text = text.replace(name, " ")
    words: list[str] = []
    for chunk in re.split(rf"[^{_HAN}A-Za-z0-9]+", text):
        syllables: list[str] = []
        for run in re.findall(rf"[A-Za-z0-9]+|[{_HAN}]", chunk):
            if run in _SLUG_STOP:
                continue
            if run.isascii():
                if syllables:
                    words.append("".join(syllables))
                    syllables = []
                words.append(run.lower())
            else:
                syllables.append(re.sub(r"[^a-z]", "", lazy_pinyin(run)[0].lower().replace("ü", "v")))
                if len(syllables) == 2:
                    words.append("".join(syllables))
                    syllables = []
        if syllables:
            words.append("".join(syllables))
    words = [w for w in words if w][:3]
    parts = ([district.id] if district is not None else []) + words
    slug = re.sub(r"-+", "-", "-".join(parts)).strip("-")
    return slug or "briefing"


def annotate(draft: Draft, *, districts=(), industries=(), finder=None, sha256: str = "",
             sidecar: dict | None = None, slug: str | None = None) -> Draft:
    district_ids = assign_terms(draft, districts)
    district = next((d for d in districts if district_ids and d.id == district_ids[0]), None)
    return dataclasses.replace(
        draft, districts=district_ids, industries=assign_terms(draft, industries),
        enterprises=tuple(finder.ids(draft.text())) if finder else (),
        sha256=sha256, sidecar=dict(sidecar or {}), slug=slug or make_slug(draft.title, district),
    )


# ---- unknown enterprise names ------------------------------------------------------

_COMPANY = lazy_re(r"(?:科技|控股|集团)?(?:股份有限公司|有限责任公司|有限公司|公司)|科技|控股|集团")
_NAME_CHAR = lazy_re(rf"[{_HAN}A-Za-z0-9()（）]")
_NAME_STOP = set("和与及、，。；：“”‘’《》的在是由对为将把被从向同跟并或等了以其该这")
_GENERIC_END = ("上市", "全资子", "控股子", "合资", "独资", "子", "母", "分", "总", "本", "家")
_AFTER_WORD = set("的和与及等在已将是从、，。；：”）)") | set(" ")


def unknown_enterprises(draft: Draft, finder) -> list[tuple[int, str]]:
    """(line, name) of enterprise-like names the glossary does not know: names ending in a
    company suffix (有限公司, 集团, 科技 …) and short forms defined with 简称."""
    found: dict[str, int] = {}
    known = finder.by_form if finder else {}
    for section in draft.sections:
        for text, line in section.paragraphs:
            masked = text
            for mention in reversed(finder.find(text) if finder else []):
                masked = masked[:mention.start] + "■" + masked[mention.end:]
            for m in _COMPANY.finditer(masked):
                suffix = m.group(0)
                after = masked[m.end():m.end() + 1]
                if suffix in ("科技", "控股") and after and after not in _AFTER_WORD:
                    continue  # 科技创新, 科技园, 控股股东: not a company name
                if suffix == "集团" and after in ("化", "军"):
                    continue
                start = m.start()
                while start > 0 and start > m.start() - 20 and _NAME_CHAR.match(masked[start - 1]) \
                        and masked[start - 1] not in _NAME_STOP:
                    start -= 1
                prefix = masked[start:m.start()]
                if len(prefix) < 2 or any(prefix.endswith(g) for g in _GENERIC_END if len(g) > 1) \
                        or prefix in _GENERIC_END:
                    continue
                found.setdefault(prefix + suffix, line)
            for m in re.finditer(r"简称\s*[“\"「]?([^”\"」)）（(，,。；、\s]{2,15})[”\"」]?", text):
                short = m.group(1)
                if short not in known:
                    found.setdefault(short, line)
    return sorted(((line, name) for name, line in found.items()), key=lambda x: (x[0], x[1]))


# ---- rendering ----------------------------------------------------------------

def render_markdown(draft: Draft) -> str:
    meta: dict = {"title": draft.title, "slug": draft.slug}
    if draft.series:
        meta["series"] = {"name": draft.series[0], "part": draft.series[1]}
    if draft.date and not draft.sidecar.get("date"):
        meta["date"] = draft.date
    meta["districts"] = list(draft.districts)
    meta["industries"] = list(draft.industries)
    meta["enterprises"] = list(draft.enterprises)
    meta["authors"] = list(draft.authors)
    if draft.summary:
        meta["summary"] = draft.summary
    if draft.figures:
        meta["figures"] = [
            {"caption": f.caption, **({"credit": f.credit} if f.credit else {}),
             "section": f.section, "after_paragraph": f.after_paragraph}
            for f in draft.figures
        ]
    source: dict = {"file": draft.source_file, "sha256": draft.sha256, "lines": list(draft.lines)}
    publication = draft.sidecar.get("publication") or draft.publication
    if publication:
        source["publication"] = publication
    if draft.sidecar.get("date"):
        source["date"] = draft.sidecar["date"]
    if draft.sidecar.get("page") is not None:
        source["page"] = str(draft.sidecar["page"])
    if draft.sidecar.get("url") or draft.url:
        source["url"] = draft.sidecar.get("url") or draft.url
    if draft.date and not draft.sidecar.get("date"):
        source["date_from"] = draft.date_from
    if draft.traditional:
        source["original_script"] = "traditional"
    meta["source"] = source

    blocks: list[str] = []
    for section in draft.sections:
        if section.heading:
            blocks.append(f"## {section.heading}")
            if section.subheading:
                blocks.append(f"### {section.subheading}")
        blocks += [_escape_paragraph(text) for text, _ in section.paragraphs]
    return frontmatter.join(meta, "\n\n".join(blocks))


def _escape_paragraph(text: str) -> str:
    """A paragraph must stay a paragraph in Markdown: escape a leading #, >, -, + or '1.'."""
    if re.match(r"^(?:#|>|[-+*]\s|\d+[.)]\s)", text):
        return "\\" + text
    return text


# ---- the thin file layer ----------------------------------------------------------

@dataclass
class IngestReport:
    files: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = list(self.files)
        out += [f"wrote {p}" for p in self.written]
        out += [f"unchanged {p}" for p in self.unchanged]
        out += self.conflicts + self.unknown + self.notes
        total = len(self.written) + len(self.unchanged) + len(self.conflicts)
        out.append(f"ingest: {total} briefings: {len(self.written)} written, {len(self.unchanged)} unchanged, "
                   f"{len(self.conflicts)} conflicts; {len(self.unknown)} unknown enterprise names to review")
        return out


SIDECAR_KEYS = ("publication", "date", "page", "url")


def parse_sidecar(text: str, path: str) -> dict:
    data = frontmatter.load_yaml(text, path) or {}
    if not isinstance(data, dict):
        raise BuildError(path, 1, "a sidecar must be a mapping: publication, date, page")
    problems = Collector()
    for key in data:
        if key not in SIDECAR_KEYS:
            problems.add(path, data.line_of(key), f"unknown sidecar key '{key}'; known: {', '.join(SIDECAR_KEYS)}")
    date = data.get("date")
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
        problems.add(path, data.line_of("date"), f"date {date!r} must be written YYYY-MM-DD")
    problems.raise_if_any()
    return {k: (str(v) if v is not None else None) for k, v in data.items()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load_state(path: Path, rel: str) -> dict:
    if not path.exists():
        return {"pages": {}}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BuildError(rel, None, f"is not valid JSON ({exc}); delete it and ingest will treat every "
                                    "existing page as edited by hand") from None
    if not isinstance(state, dict) or not isinstance(state.get("pages"), dict):
        raise BuildError(rel, None, "has no 'pages' mapping; delete it to start over")
    return state


def _dump_state(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _load_terms_and_glossary(config: Config):
    from builder import content
    from builder.glossary import MentionFinder

    districts, industries = (), ()
    taxonomy = config.content / "taxonomy.yaml"
    if taxonomy.exists():
        districts, industries = content.parse_taxonomy(content.read_text(config, taxonomy),
                                                       content._rel(config, taxonomy))
    enterprises = []
    for path in sorted((config.content / "glossary").glob("*.yaml")):
        enterprises += content.parse_glossary(content.read_text(config, path), content._rel(config, path))
    return districts, industries, MentionFinder(sorted(enterprises, key=lambda e: e.id))


def _existing_pages(folder: Path) -> dict[str, dict]:
    """Existing briefing pages: relative name -> front matter (best effort; bad pages are for
    `briefing check` to report, ingest only needs their slugs and sources)."""
    pages = {}
    for path in sorted(folder.glob("*.md")):
        try:
            meta, _, _ = frontmatter.parse(path.read_text(encoding="utf-8"), str(path))
        except (BuildError, UnicodeDecodeError):
            meta = {}
        pages[path.name] = meta
    return pages


# A newspaper page is tens of kilobytes; a file far beyond that is the wrong file (a dump, an
# archive renamed .txt), and parsing it would take minutes. Refuse it by name instead.
MAX_SEED_BYTES = 2 * 1024 * 1024


def read_seed(path: Path, rel: str, root: Path) -> bytes:
    """The bytes of a raw article file: not a link out of the project, not absurdly large."""
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        raise BuildError(rel, None, f"is {size / 1024 / 1024:.1f} MB; a raw article page is at most "
                                    f"{MAX_SEED_BYTES // 1024 // 1024} MB (is this the right file? split it into pages)")
    with open(path, "rb") as handle:
        data = handle.read(MAX_SEED_BYTES + 1)  # the file may have grown since stat()
    if len(data) > MAX_SEED_BYTES:
        raise BuildError(rel, None, f"grew past {MAX_SEED_BYTES // 1024 // 1024} MB while being read")
    return data


def ingest_all(config: Config) -> IngestReport:
    """Read every seeds/*.txt, write content/briefings/<slug>.md for each article in it.
    All input is parsed and checked first; nothing is written if any file has a problem."""
    report = IngestReport()
    root = config.root
    seeds = sorted(p for p in config.seeds.glob("*.txt") if p.is_file()) if config.seeds.is_dir() else []
    if not seeds:
        report.notes.append(f"no raw articles (*.txt) in {config.seeds_dir}/")
    # the glossary's mention regex is only needed to annotate articles
    districts, industries, finder = _load_terms_and_glossary(config) if seeds else ((), (), None)
    briefings_dir = config.content / "briefings"
    state_path = config.content / STATE_FILE
    state_rel = f"{config.content_dir}/{STATE_FILE}"
    state = _load_state(state_path, state_rel)

    problems = Collector()
    drafts: list[Draft] = []
    for path in seeds:
        rel = path.relative_to(root).as_posix()
        try:
            data = read_seed(path, rel, root)
            text = decode(data, rel)
            sidecar_path = path.with_suffix(".yaml")
            sidecar = {}
            if sidecar_path.exists():
                sidecar = parse_sidecar(sidecar_path.read_text(encoding="utf-8"),
                                        sidecar_path.relative_to(root).as_posix())
            page = parse_page(text, rel)
        except (BuildError, BuildErrors) as exc:
            problems.extend(exc)
            continue
        report.files.append(f"{rel}: {len(page)} article{'s' if len(page) != 1 else ''}")
        for draft in page:
            drafts.append(annotate(draft, districts=districts, industries=industries, finder=finder,
                                   sha256=_sha(data), sidecar=sidecar))
    problems.raise_if_any()

    # only drafts need the existing pages (slugs taken, pages to adopt): parsing every page's
    # front matter is the slowest part of a build with nothing to ingest
    pages = _existing_pages(briefings_dir) if drafts else {}
    records: dict = state["pages"]
    taken = {meta.get("slug") for meta in pages.values() if isinstance(meta, dict)}
    taken |= {Path(name).stem for name in pages} | {r.get("slug") for r in records.values()}
    for meta in pages.values():
        taken |= set(meta.get("aliases") or []) if isinstance(meta, dict) else set()
    seen_keys = set()
    for draft in drafts:
        key, record = _find_record(records, draft)
        if record is None:
            slug = _adoptable_slug(pages, draft) or _unique(draft.slug, taken)
            taken.add(slug)
            key = f"{config.content_dir}/briefings/{slug}.md"
            record = {}
        draft = dataclasses.replace(draft, slug=record.get("slug") or Path(key).stem)
        seen_keys.add(key)
        page_path = root / key
        text = render_markdown(draft)
        for line, name in unknown_enterprises(draft, finder):
            report.unknown.append(f"review: {draft.source_file}:{line}: unknown enterprise name '{name}' "
                                  f"(not in {config.content_dir}/glossary/): add it to the glossary")
        new_record = {"source": draft.source_file, "article": draft.index, "title": draft.title,
                      "slug": draft.slug, "sha256": _sha(text.encode("utf-8"))}
        if page_path.exists():
            current = page_path.read_bytes()
            if current == text.encode("utf-8"):
                report.unchanged.append(key)
                records[key] = new_record
                continue
            if not record or _sha(current) != record.get("sha256"):
                why = ("was edited since ingest wrote it" if record else
                       "exists but ingest has no record of writing it")
                report.conflicts.append(f"conflict: {key} {why}; left as it is "
                                        f"(delete it to regenerate it from {draft.source_file})")
                continue
        from builder.write import write_text_atomic

        write_text_atomic(page_path, text)
        records[key] = new_record
        report.written.append(key)
    for key in sorted(set(records) - seen_keys):
        source = records[key].get("source", "")
        if (root / key).exists():
            report.notes.append(f"note: {key}: its article is no longer in {source or 'seeds/'}; left in place")
    new_state = _dump_state({"pages": dict(sorted(records.items()))})
    if not state_path.exists() or state_path.read_text(encoding="utf-8") != new_state:
        if records or state_path.exists():
            from builder.write import write_text_atomic

            write_text_atomic(state_path, new_state)
    return report


def _find_record(records: dict, draft: Draft) -> tuple[str | None, dict | None]:
    """The state record of a draft: same source file and title, else same position on the page."""
    for by_title in (True, False):
        for key in sorted(records):
            r = records[key]
            if r.get("source") != draft.source_file:
                continue
            if (by_title and r.get("title") == draft.title) or (not by_title and r.get("article") == draft.index
                                                                and not any(o.get("title") == draft.title for o in records.values())):
                return key, r
    return None, None


def _adoptable_slug(pages: dict, draft: Draft) -> str | None:
    """An existing page for the same article (e.g. the state file was lost) keeps its slug."""
    for name, meta in sorted(pages.items()):
        if not isinstance(meta, dict):
            continue
        source = meta.get("source") if isinstance(meta.get("source"), dict) else {}
        if source.get("file") == draft.source_file and meta.get("title") == draft.title:
            return str(meta.get("slug") or Path(name).stem)
    return None


def _unique(slug: str, taken: set) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"

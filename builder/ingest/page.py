"""One raw page -> article drafts: chrome dropped, articles split, headline found, layout repaired.

How a page is read:
- Every line is classified (lines.py): chrome, meta (来源/作者/发布时间: the page's date,
  publication and authors), caption, byline, or text. A footer (上一篇, 相关新闻, 版权所有 …)
  ends the page.
- A page holds several articles when a byline after body text is followed by a headline, or a
  headline is followed by a lede that starts with a dateline (本报讯…) or by a byline. On a page
  laid out as several articles (a dated page header, or articles told apart that way) an article
  may have neither: a headline-shaped line (eight characters or more, no colon or space between
  phrases) between a finished paragraph and a lede opening with its day (6月10日，) starts one.
- A newspaper page's section and column labels (要闻, 区县新闻, 第A2版, A2版：县域经济, or a short line
  the page repeats over its headlines) are chrome above a headline; they also mark where the next
  article starts. Only a roundup (several 区县：… sub-headings) keeps its column as its title, and
  a 区县：… line right above a byline or lede is the headline, not a heading and sub-heading.
- An article's headline is its first headline-like line after the chrome: short, no 。 inside,
  not a site, channel or brand name (新华日报·交汇点, 现代快报+) standing above or under it. A
  series line (…③, 之二) may come first, a kicker (引题) may stand above the headline and a ——
  sub-title under it: both become `subtitle`. A kicker must look like one: six characters or
  more, not a column label, not a brand, not the name the byline, dateline or 来源 line gives as
  the source; when unsure it is left out (a wrong sub-title is worse than none). A brand line the
  byline repeats names the publication. A category prefix (行业_标题), a source in brackets
  (【徐州日报】标题) and a site suffix (标题_某某网) are taken off. An article without a headline
  gets a title derived from its first sentence and `review: [title]`.
- After the last paragraph, calls to like, share, follow or download (点个“在看”, 长按识别二维码,
  扫码下载客户端), an account's contact line and short lines after the closing 来源 / 编辑 lines
  are chrome.
- Datelines (本报讯, 新华社南京3月5日电) and bylines in the lede's parentheses are taken off the lede;
  bylines stand under the headline, at the end, glued to the last sentence or in its closing
  parentheses. A line of names inside the body that no role word introduces (a list of award
  winners) stays text.
- Lines broken inside a sentence are joined: a line that does not end a sentence and is too long
  to be a heading, ends in ，、：“ or in a word that cannot end a heading (的, 在, 与 …), starts like
  a lede (近日，), or is cut inside a known name. A caption that cut a paragraph in two is taken out
  and the paragraph joined again.
- Section headings: a short line that does not end a sentence and is followed by text, a line
  numbered 一、 / （一）, a line in 【】, or a district name in 【】 run into its paragraph
  (roundups: 【铜山区】近日，…). A heading splits into heading and sub-heading at a full-width
  colon or a space between two phrases, or takes the next short line as its sub-heading.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from builder.errors import Problem
from builder.ingest import lines as L
from builder.ingest.draft import Draft, DraftFigure, DraftSection
from builder.ingest.text import (
    HAN,
    clean,
    impossible_date,
    is_closed,
    is_continuing,
    iso_date,
    join_two,
    normalise,
    strip,
    to_simplified,
)
from builder.lazyre import LazyPattern as lazy_re

HEADING_MAX = 36  # a section heading (with its sub-heading on the same line) is at most this long
TITLE_MAX = L.TITLE_MAX
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_NUMBERED = lazy_re(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部章节篇]\s)")
_BRACKETED = lazy_re(r"^【([^【】]{1,40})】$")
_RUN_IN = lazy_re(r"^【([^【】]{2,10})】\s*(.{12,})$")
_SERIES = lazy_re(r"^(?P<name>.+?)\s*(?:(?P<circ>[" + CIRCLED + r"])|之(?P<cn>[一二三四五六七八九十]+)"
                  r"|[(（](?P<num>\d{1,2}|[一二三四五六七八九十]+)[)）])$")
# how a lede starts; a heading never does
_LEDE_OPENER = lazy_re(r"^(?:近日|日前|目前|近期|昨天|昨日|今天|今日|今年以来|近年来|去年以来|此前|记者|据悉|据了解"
                       r"|(?:今年|去年|\d{4}年)?(?:前\d{1,2}个月|[上下]半年|前三季度|[一二三四]季度|\d{1,2}[-—至]\d{1,2}月)"
                       r"|\d{1,2}月\d{1,2}日(?:上午|下午|晚上|晚间|晚|早上|凌晨)?|\d{4}年\d{1,2}月\d{1,2}日)[，,]")
_ATTRIBUTION = lazy_re(r"^(?:记者)?(?:近日|日前|\d{1,2}日)?(?:从|在)[^，,。]{2,30}?(?:获悉|了解到|得知|获知)[，,]"
                       r"|^据(?:[^，,。]{2,24}?)?(?:介绍|消息|报道|了解|统计|透露|悉)[，,]")
# characters a heading does not end in; a line ending in one was cut in mid-sentence
_CANNOT_END = set("的在和与及对把将从向被由给跟同往于或且并让")
_PREFIX = lazy_re(r"^(?P<category>[^_＿\s]{2,8})[_＿](?P<title>.{6,})$")
_SOURCE_PREFIX = lazy_re(r"^[【\[](?P<source>[^】\]]{2,12})[】\]]\s*(?P<title>.{6,})$")
_SITE_SUFFIX = lazy_re(r"^(?P<title>.{6,}?)\s*(?:[_＿|｜]|\s[-—–]\s|-)\s*(?P<site>[^_＿|｜]{2,20})$")


@dataclass
class Item:
    kind: str  # text | caption | byline | chrome | meta
    line: int
    text: str = ""
    caption: tuple[str, str | None] | None = None
    names: tuple[str, ...] = ()
    role: bool = False
    blank_before: bool = False
    label: bool = False  # a newspaper page's section or column label (要闻, 区县新闻, 第A2版)


@dataclass
class PageResult:
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # review lines about the page (an impossible date)


# ---- classifying lines --------------------------------------------------------------

def classify(numbered: list[tuple[int, str]], filename: str, meta: dict) -> list[Item]:
    """Each line of the page as an Item; meta lines are read into `meta` (first value wins)."""
    items: list[Item] = []
    blank = has_text = False
    for number, raw in numbered:
        line = strip(raw)
        if not line:
            blank = True
            continue
        if L.FOOTER.match(line) and has_text:
            break
        item = _classify_line(line, number, has_text)
        has_text = has_text or item.kind == "text"
        if item.kind == "meta":
            read_meta(line, number, filename, meta)
        item.blank_before = blank
        blank = False
        if item.kind == "text":
            glued = L.split_glued_byline(line)
            if glued:
                items.append(Item("text", number, glued[0], blank_before=item.blank_before))
                items.append(Item("byline", number, names=glued[1], role=True))
                continue
        items.append(item)
    _mark_labels(items)
    return items


def _mark_labels(items: list[Item]) -> None:
    """Section and column labels: lines shaped like one (要闻, 区县新闻, 第A2版), and short lines
    without punctuation that the page repeats, each standing right above a headline-like line
    (a page of several articles prints its column label over each)."""
    texts = [i for i in items if i.kind == "text"]
    counts: dict[str, int] = {}
    for item in texts:
        if len(item.text) <= 10 and not re.search(r"[，。；！？：、“”]", item.text):
            counts[item.text] = counts.get(item.text, 0) + 1
    for k, item in enumerate(texts):
        following = texts[k + 1] if k + 1 < len(texts) else None
        if following is None or not title_like(following.text) or following.line - item.line > 3:
            continue
        if L.is_section_label(item.text) or (counts.get(item.text, 0) >= 2 and not is_district_heading(item.text)
                                            and len(following.text) > len(item.text)):
            item.label = True


def _classify_line(line: str, number: int, has_text: bool) -> Item:
    if L.FOOTER.match(line) or L.is_chrome(line):
        return Item("chrome", number, line)
    if L.is_meta(line):
        return Item("meta", number, line)
    caption = L.parse_caption(line)
    if caption:
        return Item("caption", number, line, caption=caption)
    names = L.parse_byline(line)
    if names:
        return Item("byline", number, line, names=names, role=L.has_role(line))
    if L.is_breadcrumb(line) or (not has_text and L.is_menu(line)):
        return Item("chrome", number, line)
    return Item("text", number, line)


def read_meta(line: str, number: int, filename: str, meta: dict) -> None:
    from builder.content import date_problem

    date = iso_date(line)
    if date and "date" not in meta and not date_problem(date):
        meta["date"] = date
        meta["date_from"] = f"{filename}:{number}: {line}"
    wrong = impossible_date(line)
    if wrong:  # never the briefing's date (date_problem would refuse it): reported, left to a person
        meta.setdefault("bad_dates", []).append(
            f"review: {filename}:{number}: the page's date '{wrong}' is not a day of the calendar; "
            "not used as the briefing's date")
    publication = L.meta_value(line, ("来源", "稿源", "信息来源", "文章来源"))
    if publication and "publication" not in meta and not publication.startswith("http"):
        meta["publication"] = publication
    if L.is_dated_header(line):  # a header's paper or account: used when no 来源 says otherwise
        meta.setdefault("header_publication", L.header_publication(line))
    url = re.search(r"https?://\S+", line)
    if url and "url" not in meta:
        meta["url"] = url.group(0)
    value = L.meta_value(line, ("作者", "记者"))
    if value and "authors" not in meta:
        m = re.search(r"(?:作者|记者)\s*[:：]\s*(.+)", line)
        rest = m.group(1) if m else value
        rest = re.split(r"\s{2,}|　|(?:" + "|".join(L.META_LABELS) + r")\s*[:：]", rest)[0]
        found = tuple(t for t in re.split(r"[\s、，,]+", L.BYLINE_ROLES.sub(" ", rest)) if L.is_name(t, strict=False))
        if found:
            meta["authors"] = found


# ---- splitting a page into articles ---------------------------------------------------

def title_like(text: str) -> bool:
    return 0 < len(text) <= TITLE_MAX and "。" not in text and not is_continuing(text) \
        and L.split_dateline(text)[0] is None


def _next(items: list[Item], index: int, kinds=("text", "byline", "caption")) -> int | None:
    for j in range(index + 1, len(items)):
        if items[j].kind in kinds:
            return j
    return None


def _prev(items: list[Item], index: int, labels: bool = True) -> int | None:
    for j in range(index - 1, -1, -1):
        if items[j].kind in ("text", "byline", "caption") and (labels or not items[j].label):
            return j
    return None


def _starts_article(items: list[Item], i: int) -> bool:
    item = items[i]
    if item.kind != "text" or not title_like(item.text) or item.label:
        return False
    # a column label over the headline (县区新闻) stands between the articles: look past it
    p, n = _prev(items, i, labels=False), _next(items, i)
    prev = items[p] if p is not None else None
    nxt = items[n] if n is not None else None
    if prev is None or nxt is None:
        return False
    if prev.kind == "byline":
        # a byline after the text closed the article before; a line of names after 名单如下： did not
        q = p
        while q is not None and items[q].kind == "byline":
            q = _prev(items, q)
        closed = q is None or items[q].kind != "text" or is_closed(items[q].text)
        return nxt.kind in ("text", "byline") and (prev.role or closed)
    if prev.kind != "text" or not is_closed(prev.text):
        return False
    labelled = _prev(items, i)
    if labelled is not None and items[labelled].label and nxt.kind == "text" and not title_like(nxt.text):
        return True  # a column label (要闻) over a headline, after a finished paragraph: the next article
    if nxt.kind == "text" and L.split_dateline(nxt.text)[0] is not None:
        return True  # a headline over a lede that opens with 本报讯
    if nxt.kind == "byline" and nxt.role:
        after = _next(items, n) if n is not None else None
        return after is None or items[after].kind == "text"
    return False


_DATED_LEDE = lazy_re(r"^(?:\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?(?:上午|下午|晚上|晚间|晚|早上|凌晨)?|近日|日前)[，,]")


def _headline_over_dated_lede(items: list[Item], i: int) -> bool:
    """On a page of several articles (a dated page header 彭城晚报 2024年6月12日 A05, or articles
    already told apart by their bylines), an article may have neither byline nor dateline: its
    headline stands between a finished paragraph and a lede that opens with the day it happened
    (6月10日，…). A section heading has another shape: a label with a colon or a space between two
    phrases, a number, a district name, or fewer than eight characters."""
    item = items[i]
    text = item.text
    if item.kind != "text" or item.label or not title_like(text) or len(text) < 8 or _explicit_heading(text) \
            or is_district_heading(text) or re.search(r"[：:，、；]|\s", text):
        return False
    p, n = _prev(items, i, labels=False), _next(items, i)
    if p is None or n is None or items[p].kind != "text" or not is_closed(items[p].text):
        return False
    nxt = items[n]
    return nxt.kind == "text" and not title_like(nxt.text) and bool(_DATED_LEDE.match(nxt.text))


def _paged(items: list[Item]) -> bool:
    """The page is laid out as several articles: a dated page header stands above its first text,
    or two articles are already told apart by a byline or a dateline."""
    first_text = next((k for k, it in enumerate(items) if it.kind == "text"), len(items))
    if any(it.kind == "meta" and L.is_dated_header(it.text) for it in items[:first_text]):
        return True
    return any(_starts_article(items, k) for k in range(first_text + 2, len(items)))


def split_articles(items: list[Item]) -> list[list[Item]]:
    articles: list[list[Item]] = []
    current: list[Item] = []
    texts = 0
    paged: bool | None = None
    for i, item in enumerate(items):
        starts = texts >= 2 and _starts_article(items, i)
        if texts >= 2 and not starts and _headline_over_dated_lede(items, i):
            if paged is None:
                paged = _paged(items)
            starts = paged
        if starts:
            # the column labels printed over the new headline belong to the new article
            k = len(current)
            while k > 0 and (current[k - 1].label or current[k - 1].kind in ("chrome", "meta")):
                k -= 1
            while k < len(current) and not current[k].label:
                k += 1
            articles.append(current[:k])
            current, texts = current[k:], 0
        current.append(item)
        texts += item.kind == "text"
    if current:
        articles.append(current)
    return [a for a in articles if any(i.kind in ("text", "byline", "caption") for i in a)]


# ---- one article ---------------------------------------------------------------------

def parse_page(text: str, filename: str, numbered: list[tuple[int, str]] | None = None,
               meta: dict | None = None, names: frozenset[str] = frozenset()) -> PageResult:
    """Split one raw page into article drafts and repair its layout damage. `numbered` gives
    the lines with their line numbers (a web page's lines, numbered in the HTML file); `meta`
    what is already known about the page (from a web page's metadata); `names` the enterprise
    and place names a line break must not cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if numbered is None:
        numbered = list(enumerate(text.split("\n"), 1))
    joined = "\n".join(t for _, t in numbered)
    converted, traditional = to_simplified(joined)
    converted = normalise(converted)
    numbered = [(n, t) for (n, _), t in zip(numbered, converted.split("\n"))]
    page_meta: dict = {}
    items = classify(numbered, filename, page_meta)
    for key, value in (meta or {}).items():
        if key in ("date", "date_from") and page_meta.get("bad_dates") and "date" not in page_meta:
            continue  # the page says 2月30日: a date read elsewhere (a web page's guess) is not its date either
        page_meta.setdefault(key, value)
    if not page_meta.get("publication") and page_meta.get("header_publication"):
        page_meta["publication"] = page_meta["header_publication"]
    result = PageResult()
    result.notes += page_meta.pop("bad_dates", [])
    articles = split_articles(items)
    if not articles:
        result.problems.append(Problem(filename, None, "has no article text (only web-page navigation or meta lines)"))
        return result
    site = " ".join([page_meta.get("site", ""), *(i.text for i in items if i.kind in ("chrome", "meta"))]).strip()
    for index, article in enumerate(articles, 1):
        built = build_article(article, index, filename, page_meta, traditional, site, names)
        if isinstance(built, Problem):
            result.problems.append(built)
        else:
            result.drafts.append(built)
    return result


def _clean_title(text: str, page_meta: dict) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    m = _SOURCE_PREFIX.match(text)
    if m and not re.search(r"[，。]", m.group("source")):
        page_meta.setdefault("publication", m.group("source"))
        text = m.group("title")
    m = _PREFIX.match(text)
    if m and not re.search(r"[，。：]", m.group("category")):
        text = m.group("title")
    m = _SITE_SUFFIX.match(text)
    if m and L.is_site_name(m.group("site").strip()):
        text = m.group("title")
    return text.strip()


def _series(text: str) -> tuple[str, int | None] | None:
    m = _SERIES.match(text)
    if not m or len(text) > TITLE_MAX:
        return None
    part_text = m.group("circ") or m.group("cn") or m.group("num")
    if m.group("circ"):
        part: int | None = CIRCLED.index(part_text) + 1
    elif part_text.isdigit():
        part = int(part_text)
    else:
        part = _cn_number(part_text)
    return m.group("name").strip(), part


def _cn_number(text: str) -> int | None:
    if text in CN_DIGITS:
        return CN_DIGITS[text]
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    if len(text) >= 2 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10 + CN_DIGITS.get(text[2:], 0)
    return None


def _drop_tail(content: list[Item], items: list[Item]) -> tuple[list[Item], list[str]]:
    """The lines after the last paragraph that are not the article: calls to like, share, follow
    or download (点个“在看”，分享给更多人; 长按识别二维码关注), the account's name among them, and
    short unfinished lines after the closing 来源 / 编辑 meta lines. Only at the end: the same
    words inside the text (市民可扫码预约) are the article's."""
    meta_lines = [i.line for i in items if i.kind == "meta"]
    end = len(content)
    dropped: list[str] = []
    while end > 1 and content[end - 1].kind == "text":
        item = content[end - 1]
        before = content[end - 2]
        closing_meta = any(m < item.line for m in meta_lines) and any(
            c.kind == "text" and is_closed(c.text) and any(c.line < m < item.line for m in meta_lines)
            for c in content[:end - 1])
        if not (L.is_call_to_action(item.text) or L.is_contact(item.text) or (L.is_brand(item.text) and dropped)
                or (closing_meta and len(item.text) <= 30 and not is_closed(item.text)
                    and not re.search(r"\d", item.text))):
            break
        if before.kind == "text" and not is_closed(before.text) and not dropped and not closing_meta \
                and not L.is_call_to_action(before.text):
            break  # the last line of a paragraph cut by a line break, not a line of its own
        dropped.append(item.text)
        end -= 1
    return content[:end], dropped[::-1]


def _kicker(text: str, items: list[Item], title: Item) -> bool:
    """A kicker (引题) above the headline looks like one: a phrase of at least six characters,
    not a widget word (申请入驻, 关注), a column label (区县新闻) or a site or brand name
    (新华日报·交汇点, 现代快报+), and not the name the article's byline, dateline or meta lines
    give as its source (新华日报·交汇点记者 …, 交汇点讯, 来源：…). When unsure it is left out:
    a wrong sub-title is worse than none."""
    if len(text) < 6 or L.is_section_label(text) or L.is_brand(text):
        return False
    return not _names_the_source(text, items, title)


def _names_the_source(text: str, items: list[Item], title: Item) -> bool:
    """`text` (or a piece of a brand line 新华日报·交汇点) recurs in the article's byline, its
    dateline or its meta lines: it is the name of the source, not a phrase of the article."""
    sources = [i.text for i in items if i.kind in ("byline", "meta") or (i.kind == "text" and i.line > title.line
                                                                         and L.split_dateline(i.text)[0])]
    pieces = L.brand_pieces(text) if re.search(r"[·•|｜]", text) else [text.strip("+＋ ")]
    return any(p in source for p in pieces for source in sources)


def _is_subtitle(text: str) -> bool:
    return bool(re.match(r"^[—－-]{2}", text))


def is_district_heading(text: str) -> bool:
    """A roundup's sub-heading: a district or county name, a space or a dash, then a phrase
    (贾汪区 发力——…, 睢宁县：…)."""
    return bool(re.match(rf"^[{HAN}]{{1,5}}(?:区|县|市)(?:\s+|[：:]|——)\S", text))


def build_article(items: list[Item], index: int, filename: str, page_meta: dict, traditional: bool,
                  site: str, names: frozenset[str] = frozenset()) -> Draft | Problem:
    content = [i for i in items if i.kind in ("text", "byline", "caption")]
    content, tail_chrome = _drop_tail(content, items)
    if not content:
        return Problem(filename, items[0].line, f"article {index} has no text, only calls to like, share or follow")
    last_line = content[-1].line

    # -- the headline block: title-like lines after the chrome, up to a meta line, a byline,
    # a —— sub-title or the first paragraph
    series = None
    series_item = None
    position = 0
    # a byline printed above the headline (文/记者 张伟 图/通讯员 李明; 记者 张三 摄) is the article's
    leading: list[Item] = []
    while position + 1 < len(content) and content[position].kind == "byline" and content[position].role \
            and content[position + 1].kind == "text" and title_like(content[position + 1].text):
        leading.append(content[position])
        position += 1
    block: list[Item] = []
    j = position
    if j < len(content) and content[j].kind == "text":
        s = _series(content[j].text)
        following = next((c for c in content[j + 1:] if c.kind == "text"), None)
        if s and following is not None and title_like(following.text):
            series, series_item = s, content[j]
            j += 1
    meta_lines = [i.line for i in items if i.kind == "meta"]
    # a roundup (several 区县：… sub-headings, or 【区县】 run-in items) is titled by its column
    # label (县区动态); any other article's headline stands under the label
    roundup = sum(1 for c in content if c.kind == "text" and (
        (is_district_heading(c.text) and title_like(c.text)) or _RUN_IN.match(c.text))) >= 2
    dropped: list[str] = []
    while not roundup and j + 1 < len(content) and content[j].label and content[j + 1].kind == "text" \
            and title_like(content[j + 1].text):
        dropped.append(content[j].text)
        j += 1
    while j < len(content) and content[j].kind == "text" and title_like(content[j].text) \
            and not _is_subtitle(content[j].text) and len(block) < 3:
        block.append(content[j])
        j += 1
    # a site, channel or company name standing above (or right under) the headline is chrome
    while len(block) >= 2 and (L.is_site_name(block[0].text) or L.is_brand(block[0].text)):
        dropped.append(block.pop(0).text)
    while len(block) >= 2 and L.is_brand(block[-1].text) and not is_district_heading(block[-1].text):
        dropped.append(block.pop().text)
    # a short unpunctuated line over the one 区县：… line of an article that is not a roundup is
    # its column (县域经济 / 丰县：…), whatever the column is called
    if len(block) == 2 and not roundup and is_district_heading(block[1].text) and len(block[0].text) <= 8 \
            and not re.search(r"[，。；！？：:“”]", block[0].text) and not is_district_heading(block[0].text):
        dropped.append(block.pop(0).text)
    # a meta line (来源, 发布时间) stands under the headline: short lines after it are widgets
    for k in range(1, len(block)):
        if any(block[k - 1].line < m < block[k].line for m in meta_lines):
            j = content.index(block[k])
            block = block[:k]
            break
    anchor = content[j] if j < len(content) else None
    subtitle_item = anchor if anchor is not None and anchor.kind == "text" and _is_subtitle(anchor.text) else None
    kicker = None
    title_item = None
    body_from = j
    if len(block) == 1:
        title_item = block[0]
    elif len(block) >= 2:
        # the headline is the last line of the block when what follows is its byline, its meta
        # line, its —— sub-title or a lede that opens with a dateline (本报讯)
        anchored = subtitle_item is not None or (anchor is not None and anchor.kind == "byline") or \
            (anchor is not None and anchor.kind == "text" and L.split_dateline(anchor.text)[0] is not None) or \
            any(block[-1].line < m < (anchor.line if anchor else 10 ** 9) for m in meta_lines)
        if anchored and not (roundup and is_district_heading(block[-1].text)) \
                and not _explicit_heading(block[-1].text):
            dropped += [b.text for b in block[:-2]]
            kicker, title_item = block[-2], block[-1]
            if not _kicker(kicker.text, items, title_item):
                dropped.append(kicker.text)
                kicker = None
        else:
            title_item = block[0]
            body_from = content.index(block[1])
    if title_item is not None and title_item.label and not roundup:
        # only a column label (要闻) above the text: no headline, the title is derived
        dropped.append(title_item.text)
        body_from = content.index(title_item) + 1
        title_item = None
        position = body_from
    subtitle = None
    if subtitle_item is not None and title_item is not None:
        subtitle = clean(re.sub(r"^[—－-]+", "", subtitle_item.text))
        body_from = content.index(subtitle_item) + 1
    if kicker is not None:
        kicker_text = clean(kicker.text) if not re.search(rf"[{HAN}]\s+[{HAN}]", kicker.text) else \
            re.sub(r"\s+", " ", kicker.text).strip()
        subtitle = f"{kicker_text}——{subtitle}" if subtitle else kicker_text
    body = content[body_from:]
    if title_item is None:
        body = content[position:]
    # between the meta line under the headline and the lede, short lines are widgets (江苏, 0, 关注)
    if title_item is not None and meta_lines:
        last_meta = max((m for m in meta_lines if m > title_item.line), default=None)
        lede = next((b for b in body if b.kind == "text" and not title_like(b.text)), None)
        if last_meta is not None and lede is not None:
            widgets = [b for b in body if b.kind == "text" and title_item.line < b.line < lede.line
                       and b.line > last_meta and len(b.text) <= 10 and not _explicit_heading(b.text)
                       and not re.search(r"[，。；：！？]", b.text)]
            dropped += [w.text for w in widgets]
            body = [b for b in body if b not in widgets]
    # a brand line above the headline that the byline or dateline repeats (新华日报·交汇点 …
    # 新华日报·交汇点记者) names the publication when no 来源 line does
    brand = next((d for d in dropped if L.is_brand(d) and _names_the_source(d, items, title_item)), None) \
        if title_item is not None else None
    site = " ".join([site, *dropped, *tail_chrome]).strip()
    heads = [i for i in (series_item, kicker, title_item) if i is not None]
    first_line = min(i.line for i in heads + body[:1]) if heads or body else content[0].line

    # -- bylines: under the headline, at the end; a line of names inside the text stays text
    authors: list[str] = []

    def add(names) -> None:
        authors.extend(n for n in names if n not in authors)

    for item in leading:
        add(item.names)

    kept: list[Item] = []  # the body without its bylines
    for k, item in enumerate(body):
        if item.kind != "byline":
            kept.append(item)
            continue
        before = any(i.kind == "text" for i in kept)
        after = next((b for b in body[k + 1:] if b.kind != "byline"), None)
        if before and after is not None and after.kind == "text" and not item.role:
            kept.append(Item("text", item.line, item.text, blank_before=item.blank_before))  # names in the text
        else:
            add(item.names)
    body = kept

    # -- the lede: dateline and the byline in its parentheses
    dateline = None
    first_text = next((i for i in body[:3] if i.kind == "text" and L.split_dateline(i.text)[0]), None) or \
        next((i for i in body if i.kind == "text"), None)
    if first_text is not None:
        found, lede_names, rest = L.split_dateline(first_text.text)
        if found or lede_names:
            dateline = found
            add(lede_names)
            if rest:
                first_text.text = rest
            else:
                body = [i for i in body if i is not first_text]
    last_text = next((i for i in reversed(body) if i.kind == "text"), None)
    if last_text is not None:
        last_text.text = L.END_MARK.sub("", last_text.text)
        glued = L.split_glued_byline(last_text.text)
        if glued:
            last_text.text = glued[0]
            add(glued[1])

    # -- the title
    review: tuple[str, ...] = ()
    if title_item is not None:
        title = _clean_title(title_item.text, page_meta)
        title_line = title_item.line
    elif index == 1 and page_meta.get("web_title"):
        # a web page's headline that is not among its lines (in its <title> or metadata only)
        title, title_line = _clean_title(page_meta["web_title"][0], page_meta), page_meta["web_title"][1] or first_line
    else:
        first_text = next((i for i in body if i.kind == "text"), None)
        title = derive_title(first_text.text) if first_text is not None else ""
        title_line = first_text.line if first_text is not None else first_line
        review = ("title",)
        if not title:
            return Problem(filename, first_line, f"article {index} has no title and no text to make one from")

    stream = join_fragments(body, names)
    sections, figures = make_sections(stream)
    if not any(s.paragraphs or s.heading for s in sections):
        return Problem(filename, title_line, f"article {index} ('{title}') has a title but no text")
    return Draft(
        source_file=filename, index=index, title=title, title_line=title_line,
        series=series, authors=tuple(authors or page_meta.get("authors", ())),
        sections=tuple(sections), figures=tuple(figures), lines=(first_line, last_line),
        date=page_meta.get("date"), date_from=page_meta.get("date_from"),
        publication=page_meta.get("publication") or brand, url=page_meta.get("url"), traditional=traditional,
        subtitle=subtitle, dateline=dateline, review=review, site=site,
    )


def derive_title(text: str) -> str:
    """A title from the first sentence: without its opening time phrase, shortened at a natural
    break (a comma) when it is long."""
    sentence = re.split(r"(?<=[。！？；])", text, maxsplit=1)[0]
    sentence = sentence.rstrip("。！？；，").strip()
    sentence = _LEDE_OPENER.sub("", sentence) or sentence
    # who said it is not what happened: 记者从…获悉，/ 据…介绍，
    sentence = _ATTRIBUTION.sub("", sentence) or sentence
    sentence = _LEDE_OPENER.sub("", sentence) or sentence  # 记者3日从…获悉，今年前5个月，…
    if len(sentence) <= 30:
        return sentence
    breaks = [m.start() for m in re.finditer(r"[，；：]", sentence) if 12 <= m.start() <= 40] or \
        [m.start() for m in re.finditer(r"[，；：]", sentence) if 8 <= m.start() < 12]
    if breaks:
        return sentence[:breaks[0]]
    later = [m.start() for m in re.finditer(r"[，；：]", sentence) if m.start() > 30]
    return sentence[:later[0]] if later else sentence


# ---- joining lines, sections -------------------------------------------------------------

def _explicit_heading(text: str) -> bool:
    return bool(_NUMBERED.match(text) or _BRACKETED.match(text))


def _names_line(text: str) -> bool:
    return L.parse_byline(text) is not None and not L.has_role(text)


def heading_like(text: str) -> bool:
    if _BRACKETED.match(text):
        return True
    if len(text) > HEADING_MAX or is_continuing(text) or _names_line(text) or _LEDE_OPENER.match(text):
        return False
    # a heading is one phrase: a line with a sentence ended inside it, two commas, or opening
    # with who said it (据介绍，) is a paragraph cut by a line break
    if "。" in text.rstrip("。”’") or text.count("，") >= 2 or _ATTRIBUTION.match(text):
        return False
    if text[-1] in _CANNOT_END:
        return False
    if _NUMBERED.match(text):
        return "。" not in text.rstrip("。")
    return not is_closed(text)


def _cut(a: str, b: str, names: frozenset[str]) -> bool:
    """A known name runs across the end of `a` into `b`."""
    for k in range(1, min(len(a), 12) + 1):
        head = a[-k:]
        for m in range(1, min(len(b), 16) + 1):
            if head + b[:m] in names:
                return True
    return False


def join_fragments(body: list[Item], names: frozenset[str] = frozenset()) -> list[Item]:
    """Join paragraphs that a caption, a column break or a stripped link cut in two; captions
    stay in the stream right after the paragraph they interrupted."""
    out: list[Item] = []
    cut_by_caption = False
    for item in body:
        if item.kind == "byline":
            continue
        last_text = next((i for i in reversed(out) if i.kind == "text"), None)
        if item.kind == "caption":
            cut_by_caption = bool(last_text and not is_closed(last_text.text) and out[-1] is last_text)
            out.append(item)
            continue
        m = _RUN_IN.match(item.text)
        if m and not is_closed(m.group(1)):
            out.append(Item("text", item.line, f"【{m.group(1)}】"))
            out.append(Item("text", item.line, m.group(2)))
            cut_by_caption = False
            continue
        if last_text is not None and _continues(last_text.text, item.text, cut_by_caption, out[-1] is last_text, names):
            last_text.text = join_two(last_text.text, item.text)
            cut_by_caption = False
            continue
        cut_by_caption = False
        out.append(Item("text", item.line, item.text))
    return out


def _continues(a: str, b: str, cut_by_caption: bool, adjacent: bool, names: frozenset[str]) -> bool:
    if is_closed(a) or _explicit_heading(a) or _explicit_heading(b) or _names_line(b) or _names_line(a):
        return False
    if cut_by_caption:
        return True
    if not adjacent:
        return False
    return (len(a) > HEADING_MAX or is_continuing(a) or a[-1] in _CANNOT_END or bool(_LEDE_OPENER.match(a))
            or not heading_like(a) or _cut(a, b, names))


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
            return clean(head), clean(sub)
    m = re.match(rf"^(\S*[{HAN}]\S*)\s+(\S*[{HAN}].*)$", text)
    if m and len(m.group(1)) >= 2 and len(m.group(2)) >= 2:
        return clean(m.group(1)), clean(m.group(2))
    return clean(text), None


def _paragraph(text: str) -> str:
    """A paragraph's text: layout spaces dropped, but a line of names keeps the spaces that
    separate the names."""
    if _names_line(text):
        return re.sub(r"\s+", " ", text.strip())
    return clean(text)


def make_sections(stream: list[Item]) -> tuple[list[DraftSection], list[DraftFigure]]:
    sections: list[dict] = [dict(heading=None, sub=None, paragraphs=[], line=0)]
    figures: list[DraftFigure] = []
    texts = [i for i in stream if i.kind == "text"]
    position = {id(i): n for n, i in enumerate(texts)}
    skip: set[int] = set()
    for item in stream:
        if item.kind == "caption":
            anchor = len(sections) - 1
            assert item.caption is not None
            caption, credit = item.caption
            figures.append(DraftFigure(caption, credit, f"s{anchor}", len(sections[-1]["paragraphs"]), item.line))
            continue
        if id(item) in skip:
            continue
        n = position[id(item)]
        following = texts[n + 1] if n + 1 < len(texts) else None
        if following is not None and heading_like(item.text):
            head, sub = split_heading(item.text)
            if sub is not None and not _explicit_heading(item.text) and heading_like(following.text):
                # 'label：value' lines in a row (活动时间：… / 活动地点：…) are a list, not headings
                sections[-1]["paragraphs"].append((_paragraph(item.text), item.line))
                continue
            if sub is None:
                after = texts[n + 2] if n + 2 < len(texts) else None
                if after is not None and heading_like(following.text) and not _explicit_heading(following.text) \
                        and split_heading(following.text)[1] is None:
                    sub = clean(following.text)
                    skip.add(id(following))
            sections.append(dict(heading=head, sub=sub, paragraphs=[], line=item.line))
            continue
        sections[-1]["paragraphs"].append((_paragraph(item.text), item.line))
    result = [DraftSection(s["heading"], s["sub"], tuple(s["paragraphs"]), s["line"]) for s in sections]
    if not result[0].paragraphs:
        # no lead: a figure placed before the first heading belongs at the top of section 1
        figures = [dataclasses.replace(f, section="s1", after_paragraph=0) if f.section == "s0" and len(result) > 1
                   else f for f in figures]
    return result, figures


"""A saved web page (seeds/*.html, *.htm) -> the lines of its article, with their line numbers
in the HTML file, for the same pipeline as a text page.

trafilatura finds the article: its main text, title, date and author (it knows the layouts of
news sites and their metadata conventions). The page's own blocks, read with lxml, give each
line its place in the file and keep what trafilatura leaves out on purpose but a briefing needs:
the headline and the meta line under it (来源, 作者, 发布时间), which are then read like those of a
text page. Nothing is fetched: the page is read from the bytes on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = frozenset(["address", "article", "aside", "blockquote", "body", "br", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption"])
_SKIP = frozenset(["script", "style", "noscript", "template", "head", "svg", "iframe", "object", "embed", "select", "option", "button", "input", "textarea"])


@dataclass
class WebPage:
    lines: list[tuple[int, str]]  # (line in the HTML file, text) of the article and the page around it
    start: int = 0  # index in `lines` where the article begins (its headline, when found)
    end: int = 0  # index after its last line
    title: str | None = None  # trafilatura's reading of the headline
    title_line: int = 0
    date: str | None = None
    author: str | None = None


def visible_lines(html: str) -> list[tuple[int, str]]:
    """The page's text, one line per block element, each with the line it starts on."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    out: list[tuple[int, str]] = []
    buffer: list[str] = []
    where = [0]

    def flush() -> None:
        text = re.sub(r"[ \t\r\n\f\v]+", " ", "".join(buffer)).strip(" ")
        if text.strip(" \u3000\u00a0"):
            out.append((where[0], text))
        buffer.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag.lower() in _SKIP:
            return
        block = tag.lower() in _BLOCK
        if block:
            flush()
        if el.text:
            if not buffer:
                where[0] = el.sourceline or where[0]
            buffer.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                if not buffer:
                    where[0] = child.sourceline or where[0]
                buffer.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return out


def _key(text: str) -> str:
    return re.sub(r"[\s|\\　]+", "", text)


def read_web_page(html: str) -> WebPage:
    """Find the article among the page's lines with trafilatura."""
    import trafilatura

    lines = visible_lines(html)
    page = WebPage(lines=lines, start=0, end=len(lines))
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    except Exception:  # trafilatura gives up on some pages; the lines are still there to read
        doc = None
    if doc is None:
        return page
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    page.title = (data.get("title") or "").strip() or None
    page.date = data.get("date") or None
    page.author = (data.get("author") or "").strip() or None
    main = [_key(t) for t in (data.get("text") or "").split("\n") if _key(t)]
    keys = [_key(text) for _, text in lines]

    def find(piece: str, start: int = 0) -> int | None:
        for length in (16, 8, 4):
            probe = piece[:length]
            for index in range(start, len(keys)):
                if probe and probe in keys[index]:
                    return index
        return None

    first = find(main[0]) if main else None
    if first is not None:
        last = first
        for piece in main[1:]:
            found = find(piece, last)
            if found is not None:
                last = found
        page.start, page.end = first, last + 1
    if page.title:
        title_key = _key(page.title)
        # the headline stands above the main text (trafilatura's text starts under it)
        for index in range(min(page.start, len(keys) - 1), -1, -1):
            if keys[index] and (keys[index] == title_key or title_key.startswith(keys[index])
                                or keys[index].startswith(title_key)):
                page.start = index
                page.title_line = lines[index][0]
                break
    return page

"""Markdown in briefings: one parser, one link rule, one inline renderer for both languages.

A briefing body is CommonMark with GFM tables (markdown-it-py), raw HTML off: a tag a writer
types is text. Block structure (lists, block quotes, tables, rules, code blocks) is read by
builder/content.py into the model; what stays inside a segment is *inline* Markdown —
emphasis, strong, code, links, images — kept in the segment's text as the writer typed it
(`这是**加粗**的一句`), so the translation memory's msgid carries it, as mdpo and Sphinx do,
and the English in the memory carries it back.

This module is the one place that knows

  * which link targets may become links (`link_target`): http, https, mailto, `#fragment`
    and site-relative paths (`/zh/briefings/x/`, given the site's base path when rendered).
    Anything else — javascript:, data:, vbscript:, in any case, with whitespace, control
    characters, percent or entity tricks inside the scheme (`jav&#x09;ascript:`) — is inert:
    its text is shown without a link, and `briefing check` reports it (`unsafe_links`).
  * where an image points (`media_path`): a file in content/media/, written `media/x.png`,
    `/media/x.png` or `../media/x.png` (the last is what a Markdown preview of the briefing
    file resolves). A remote image is not fetched or embedded: it is shown as a link.
  * how a segment's inline Markdown is rendered (`render_inline`) and read as plain text
    (`plain_text`, for summaries, feeds and titles in <head>).
  * where the markup of a segment is (`markup_spans`), so that machine translation is sent
    words only, with the markup and every URL protected by placeholder tokens
    (builder/translate/terms.py).

Text without any Markdown character (nearly every sentence of news copy) never reaches the
parser: `MARKUP.search` is the fast path's one test.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import NamedTuple

from markdown_it import MarkdownIt

try:  # markupsafe's C escaper without the Markup wrapper
    from markupsafe._speedups import _escape_inner as _esc
except ImportError:  # pure-Python markupsafe
    from markupsafe import escape

    def _esc(s: str, /) -> str:
        return str(escape(s))

# CommonMark + GFM tables, raw HTML off. markdown-it's own link check is replaced by ours
# (link_target), applied when rendering: a refused link is still parsed, so its text shows
# as text instead of the Markdown source, and check can report it.
MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
MD.validateLink = lambda url: True  # type: ignore[method-assign]

# a character that may start inline Markdown (or an entity): without one, a text is plain
MARKUP = re.compile(r"[\\`*_\[\]<&]|https?://")

SCHEMES = ("http", "https", "mailto")
# characters a browser drops or skips inside a URL's scheme, and other invisible ones
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def _probe(href: str) -> str:
    """The target as a browser would read its scheme: entities and percent-escapes decoded
    (twice, for doubly encoded tricks), invisible characters removed, lower case."""
    text = href
    for _ in range(2):
        text = html.unescape(urllib.parse.unquote(text))
    return _INVISIBLE.sub("", text).lower().replace("\\", "/")


def link_target(href: str) -> str | None:
    """`href` when it may become a link, else None. Site-relative targets come back as
    they are; the renderer puts the base path in front."""
    probe = _probe(href)
    m = _SCHEME.match(probe)
    if m:
        return href if m.group(1) in SCHEMES else None
    if probe.startswith("#"):
        return href
    if probe.startswith("/") and not probe.startswith("//"):
        return href
    return None


def media_path(src: str) -> str | None:
    """`media/<file>` (relative to content/) for an image in content/media/, else None."""
    path = urllib.parse.unquote(src.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    while path.startswith(("./", "../")):
        path = path.split("/", 1)[1]
    path = path.lstrip("/")
    if not path.startswith("media/") or _SCHEME.match(path.lower()):
        return None
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts[1:]):
        return None
    return path


class Size(NamedTuple):
    """A media file as pages show it: its size in pixels, and a hash of its bytes."""

    width: int
    height: int
    digest: str = ""


def _children(text: str) -> list:
    return MD.parseInline(text)[0].children or []


class Link(NamedTuple):
    kind: str  # "link" | "image"
    target: str
    text: str


def links(text: str) -> list[Link]:
    """Every link and image of a text, in order."""
    if not MARKUP.search(text):
        return []
    found = []
    tokens = _children(text)
    for i, tok in enumerate(tokens):
        if tok.type == "link_open":
            inner = []
            for nxt in tokens[i + 1:]:
                if nxt.type == "link_close":
                    break
                inner.append(nxt.content)
            found.append(Link("link", str(tok.attrs.get("href", "")), "".join(inner)))
        elif tok.type == "image":
            found.append(Link("image", str(tok.attrs.get("src", "")), tok.content))
    return found


def unsafe_links(text: str) -> list[str]:
    """Why each link of `text` is not shown as a link (for `briefing check`)."""
    problems = []
    for link in links(text):
        if link.kind == "link" and link_target(link.target) is None:
            problems.append(f"link target '{link.target[:60]}' is not http, https, mailto or a site path "
                            f"(/…); the text '{link.text[:30]}' is shown without a link")
        elif link.kind == "image" and media_path(link.target) is None and link_target(link.target) is None:
            problems.append(f"image '{link.target[:60]}' is neither a file in media/ nor an http(s) address; "
                            "it is not shown")
    return problems


def images(text: str) -> list[str]:
    """The media/ paths of the images of `text`."""
    return [p for link in links(text) if link.kind == "image" and (p := media_path(link.target))]


def plain_text(text: str) -> str:
    """The words of a text with its inline Markdown taken away (code and link texts kept)."""
    if not MARKUP.search(text):
        return text
    out = []
    for tok in _children(text):
        if tok.type in ("text", "code_inline", "image"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def img_html(src_url: str, alt: str, size: Size | None) -> str:
    dims = f' width="{size.width}" height="{size.height}"' if size else ""
    return f'<img src="{_esc(src_url)}" alt="{_esc(alt)}"{dims} loading="lazy">'


def render_inline(text: str, text_html: Callable[[str], str] = _esc, url: Callable[[str], str] = lambda p: p,
                  media: Mapping[str, Size] | None = None) -> str:
    """A segment's text as HTML: `text_html` renders each run of words (escaping them and
    linking enterprise names; inside a link, words are only escaped), `url` turns a site
    path into a URL under the base path, `media` gives the size of each media/ file."""
    if not MARKUP.search(text):
        return text_html(text)
    out: list[str] = []
    opened: list[bool] = []  # for each open link: was it shown as a link
    for tok in _children(text):
        kind = tok.type
        if kind == "text":
            out.append(_esc(tok.content) if any(opened) else text_html(tok.content))
        elif kind == "code_inline":
            out.append(f"<code>{_esc(tok.content)}</code>")
        elif kind in ("em_open", "strong_open"):
            out.append(f"<{tok.tag}>")
        elif kind in ("em_close", "strong_close"):
            out.append(f"</{tok.tag}>")
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br>")
        elif kind == "link_open":
            target = link_target(str(tok.attrs.get("href", "")))
            shown = target is not None and not any(opened)  # a link inside a link is text
            if shown and target is not None:
                href = url(target) if target.startswith("/") else target
                out.append(f'<a href="{_esc(href)}">')
            opened.append(shown)
        elif kind == "link_close":
            if opened and opened.pop():
                out.append("</a>")
        elif kind == "image":
            out.append(_image(str(tok.attrs.get("src", "")), tok.content, url, media or {}, any(opened)))
        else:  # nothing else is produced with HTML off; shown as text should that change
            out.append(_esc(tok.content))
    return "".join(out)


def _image(src: str, alt: str, url: Callable[[str], str], media: Mapping[str, Size], in_link: bool) -> str:
    path = media_path(src)
    if path is not None and path in media:
        return img_html(url(path), alt, media[path])
    target = link_target(src)
    if target is not None and not in_link and target.lower().startswith(("http:", "https:")):
        return f'<a class="remote-image" href="{_esc(target)}">{_esc(alt or target)}</a>'
    return _esc(alt)  # a missing file (check reports it) or a refused target: its words only


# ---- markup positions, for machine translation ------------------------------------------

class Span(NamedTuple):
    start: int
    end: int
    kind: str  # "open" | "close" (a pair: emphasis, a link's text) | "atom" (code, URL, escape)
    pair: int = -1  # index of the other half in the list, for open / close


_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s@]+>")
_LINK = re.compile(r"(!?\[)((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)(\]\((?:[^()\s\\]|\\.|\([^()\s]*\))*"
                   r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\))")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\1)", re.S)
_URL = re.compile(r"(?:https?|mailto):[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")
_TRAILING = ".,;:!?'"
_URL_END = re.compile(r"(?:https?|mailto):[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*$")
_URL_CHAR = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]")


def markup_spans(text: str) -> list[Span]:
    """Where `text`'s inline markup is: the parts machine translation must not see or change.

    Code spans, autolinks, bare URLs and backslash escapes are atoms (sent as one token, given
    back as they are); emphasis delimiters and a link's `[` and `](target)` are open / close
    pairs around words that are translated. Found by patterns over the source (markdown-it
    does not give positions inside a paragraph); a delimiter these patterns take for markup
    when the parser does not is still given back as the writer typed it."""
    if not MARKUP.search(text):
        return []
    taken = [False] * len(text)
    spans: list[Span] = []

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(a: int, b: int) -> None:
        for i in range(a, b):
            taken[i] = True

    for pattern in (_ESCAPE, _CODE, _AUTOLINK):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                spans.append(Span(m.start(), m.end(), "atom"))
                take(m.start(), m.end())
    for m in _LINK.finditer(text):
        if free(m.start(1), m.end(1)) and free(m.start(3), m.end(3)):
            spans.append(Span(m.start(1), m.end(1), "open", len(spans) + 1))
            spans.append(Span(m.start(3), m.end(3), "close", len(spans) - 1))
            take(m.start(1), m.end(1))
            take(m.start(3), m.end(3))
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _TRAILING:
            end -= 1
        if free(m.start(), end):
            spans.append(Span(m.start(), end, "atom"))
            take(m.start(), end)
    changed = True
    while changed:  # nested emphasis (***a***, **a *b* c**): outer pairs first, then inner
        changed = False
        for m in _EMPHASIS.finditer(text):
            a, b = m.start(1), m.end(1)
            c, d = m.end(2), m.end()
            if free(a, b) and free(c, d) and m.group(2).strip(m.group(1)[0]):
                spans.append(Span(a, b, "open", len(spans) + 1))
                spans.append(Span(c, d, "close", len(spans) - 1))
                take(a, b)
                take(c, d)
                changed = True
                break
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    where = {old: new for new, old in enumerate(order)}
    return [Span(s.start, s.end, s.kind, where[s.pair] if s.pair >= 0 else -1) for s in (spans[i] for i in order)]


# ---- sentences ---------------------------------------------------------------------------

_OPEN_BRACKETS = re.compile(r"(?<!\\)\[")
_CLOSE_BRACKETS = re.compile(r"(?<!\\)\]")


def closed(piece: str) -> bool:
    """Does `piece` close every construct it opens (so a sentence may end after it)?"""
    if not MARKUP.search(piece):
        return True
    rest = _CODE.sub("", _ESCAPE.sub("", piece))
    if "`" in rest:
        return False
    rest = _AUTOLINK.sub("", rest)
    if len(_OPEN_BRACKETS.findall(rest)) != len(_CLOSE_BRACKETS.findall(rest)):
        return False
    if "](" in rest and not _LINK.search(rest):
        return False
    rest = _LINK.sub("", rest)
    rest = _URL.sub("", rest)
    return rest.count("**") % 2 == 0 and rest.replace("**", "").count("*") % 2 == 0


def join_unclosed(sentences: list[str]) -> list[str]:
    """Sentences split inside a link, a code span or emphasis joined again: a segment holds
    whole constructs, so each renders (and translates) on its own."""
    out: list[str] = []
    pending = ""
    for index, sentence in enumerate(sentences):
        pending += sentence
        following = sentences[index + 1][:1] if index + 1 < len(sentences) else ""
        if pending[-1:] == "!" and following == "[":
            continue  # the ! of an image (![alt](src)), not the end of a sentence
        if following and _URL_CHAR.match(following) and _URL_END.search(pending):
            continue  # the ? or ; of a bare URL (https://x.org/a?b=1)
        if closed(pending):
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return out

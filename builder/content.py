"""Read content/ into the model: briefings (Markdown + front matter), taxonomy, glossary.

Parsing works on strings (`parse_briefing(text, path)`); `load_site(config)` reads the
files and checks the site-wide rules, collecting every problem before raising once.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import math
import os
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING

from builder import frontmatter, markdown
from builder.cache.pool import WorkerPool
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector, Problem
from builder.markdown import join_unclosed
from builder.model import (
    RELATION_INVERSE,
    Briefing,
    Enterprise,
    Figure,
    GlossaryTerm,
    Paragraph,
    Relation,
    Section,
    Segment,
    Series,
    Site,
    SourceRef,
    Term,
)
from builder.segment import split_sentences
from builder.text import normalise_text

if TYPE_CHECKING:
    from builder.cache.memo import Memo

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = SLUG_RE
BRIEFING_KEYS = (
    "title", "slug", "series", "districts", "industries", "enterprises", "authors",
    "figures", "source", "date", "aliases", "summary",
    # written by ingest when it has them: a kicker or sub-title, the dateline it took off the lede
    # (本报讯, 新华社南京3月5日电), the fields a person must check (a derived title), and how it knew
    # the districts when the title does not say (title (来丰), lede, headings, enterprises …)
    "subtitle", "dateline", "review", "district_from",
)
SERIES_KEYS = ("name", "part")
FIGURE_KEYS = ("caption", "credit", "section", "after_paragraph", "image")
SOURCE_KEYS = ("file", "sha256", "lines", "publication", "date", "page", "url", "date_from", "original_script")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

# CommonMark with GFM tables, raw HTML off: any <script> or tag a writer types is text, not
# markup (builder/markdown.py)
MD = markdown.MD


def join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between Chinese characters, one space otherwise."""
    out = ""
    for line in (piece.strip() for piece in lines):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])):
            out += " "
        out += line
    return out


def check_slug(slug, path: str, line: int, what: str = "slug") -> str:
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise BuildError(path, line, f"{what} {slug!r} must be lower-case ASCII letters, digits and "
                                     "single hyphens (no '/', '..', spaces or Chinese)")
    return slug


def _str_list(meta, key: str, path: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        raise BuildError(path, meta.line_of(key), f"'{key}' must be a list of plain values")
    items = tuple(" ".join(normalise_text(str(v)).split()) for v in value)
    if any(not item for item in items):
        raise BuildError(path, meta.line_of(key), f"'{key}' has an empty item")
    return items


def _text(value, path: str, line: int, key: str, required: bool = True) -> str:
    """One line of display text. Numbers are text too (a title '2023'); true, a list or a
    mapping is a mistake, not a title ('True')."""
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or \
            (isinstance(value, float) and not math.isfinite(value)):
        shown = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)
        raise BuildError(path, line, f"'{key}' must be non-empty text, not {shown}")
    text = " ".join(normalise_text(str(value)).split())
    if not text:
        raise BuildError(path, line, f"'{key}' must be non-empty text")
    return text


def _optional_text(raw: dict, key: str, path: str, line: int, what: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    return _text(value, path, line, what)


def _whole_number(value, path: str, line: int, what: str, minimum: int, maximum: int = 1_000_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise BuildError(path, line, f"{what} must be a whole number from {minimum} to {maximum}, not {value!r}"[:200])
    return value


def _mapping(value, path: str, line: int, what: str, keys: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise BuildError(path, line, f"'{what}' must be a mapping ({', '.join(keys)})")
    for key in value:
        if key not in keys:
            raise BuildError(path, value.line_of(key) if hasattr(value, "line_of") else line,
                             f"unknown key '{key}' in '{what}'; known: {', '.join(keys)}")
    return value


def parse_body(body: str, path: str, first_line: int) -> tuple[Section, ...]:
    """Markdown body -> sections of blocks (paragraphs, lists, quotes, tables …) of sentence
    segments. Headings open sections; a plain paragraph's ids are what they always were
    (s1.p2.3), a list's, quote's or table's are below its block's (model.py)."""
    tokens = MD.parse(body)
    sections: list[dict] = [dict(anchor="s0", heading=None, subheading=None, blocks=[], line=first_line)]
    last_was_heading = False
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            text = join_lines(tokens[i + 1].content.split("\n"))
            i += 3
            if not text:
                continue
            level = int(token.tag[1])
            current = sections[-1]
            if level >= 3 and last_was_heading and current["subheading"] is None and current["heading"]:
                current["subheading"] = (text, line)
            else:
                sections.append(dict(anchor=f"s{len(sections)}", heading=(text, line), subheading=None,
                                     blocks=[], line=line))
            last_was_heading = True
            continue
        block, i = _block(tokens, i, first_line)
        if block is not None:
            sections[-1]["blocks"].append(block)
            last_was_heading = False

    result = []
    for sec in sections:
        anchor = sec["anchor"]
        if anchor == "s0" and not sec["blocks"]:
            continue
        heading = Segment(f"{anchor}.h", sec["heading"][0], sec["heading"][1]) if sec["heading"] else None
        sub = Segment(f"{anchor}.sub", sec["subheading"][0], sec["subheading"][1]) if sec["subheading"] else None
        paragraphs = tuple(_numbered(block, f"{anchor}.p{index}") for index, block in enumerate(sec["blocks"], 1))
        result.append(Section(anchor, heading, sub, paragraphs, sec["line"]))
    return tuple(result)


_CLOSE = {"paragraph_open": "paragraph_close", "bullet_list_open": "bullet_list_close",
          "ordered_list_open": "ordered_list_close", "list_item_open": "list_item_close",
          "blockquote_open": "blockquote_close", "table_open": "table_close", "tr_open": "tr_close",
          "th_open": "th_close", "td_open": "td_close", "thead_open": "thead_close", "tbody_open": "tbody_close"}
_KIND = {"bullet_list_open": "ul", "ordered_list_open": "ol", "list_item_open": "li", "blockquote_open": "quote",
         "table_open": "table", "tr_open": "tr", "th_open": "th", "td_open": "td"}
_ALIGN = re.compile(r"text-align:(left|center|right)")


def _block(tokens: list, i: int, first_line: int) -> tuple[Paragraph | None, int]:
    """The block that starts at tokens[i] (sentences not yet numbered: ids are given by
    _numbered) and the index after it. Text is kept as (text, line) pending segments."""
    token = tokens[i]
    line = first_line + (token.map[0] if token.map else 0)
    kind = token.type
    if kind == "paragraph_open":
        text = join_lines(tokens[i + 1].content.split("\n"))
        block = Paragraph((Segment("", text, line),), line) if text else None
        return block, i + 3
    if kind in ("th_open", "td_open"):
        inline = tokens[i + 1]
        text = join_lines(inline.content.split("\n")) if inline.type == "inline" else ""
        line = first_line + inline.map[0] if inline.map else line
        align = _ALIGN.search(str(token.attrs.get("style", "")))
        close = i + 2 if inline.type == "inline" else i + 1
        return Paragraph((Segment("", text, line),) if text else (), line, kind=_KIND[kind],
                         align=align.group(1) if align else ""), close + 1
    if kind == "hr":
        return Paragraph((), line, kind="hr"), i + 1
    if kind in ("fence", "code_block"):
        return Paragraph((), line, kind="code", text=token.content), i + 1
    if kind in ("thead_open", "tbody_open"):  # a table's rows are its children directly
        i += 1
        rows = []
        while tokens[i].type != _CLOSE[kind]:
            row, i = _block(tokens, i, first_line)
            if row is not None:
                rows.append(row)
        return Paragraph((), line, kind="rows", children=tuple(rows)), i + 1
    if kind in _KIND:
        closing = _CLOSE[kind]
        depth = token.level
        tight = kind == "list_item_open" and tokens[i + 1].type == "paragraph_open" and tokens[i + 1].hidden
        i += 1
        children: list[Paragraph] = []
        while not (tokens[i].type == closing and tokens[i].level == depth):
            child, i = _block(tokens, i, first_line)
            if child is None:
                continue
            if child.kind == "rows":
                children.extend(child.children)
            else:
                children.append(child)
        start = int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else 1
        return Paragraph((), line, kind=_KIND[kind], children=tuple(children), start=start, tight=tight), i + 1
    # html_block cannot occur (HTML is off); any other token (a new plugin's) is skipped,
    # as inline tokens of a structure above are consumed by their block
    return None, i + 1


def _numbered(block: Paragraph, prefix: str) -> Paragraph:
    """The block with its segment ids: its own sentences `prefix.N`, its children below it."""
    sentences: tuple[Segment, ...] = ()
    if block.sentences:
        text, line = block.sentences[0].zh, block.sentences[0].line
        pieces = join_unclosed(split_sentences(text)) if block.kind == "p" else [text]
        # the same ids as segment.paragraph_segment_id for a paragraph of a section
        sentences = tuple(Segment(f"{prefix}.{index}", piece, line) for index, piece in enumerate(pieces, 1))
    children = []
    letter = {"ul": "i", "ol": "i", "quote": "q", "table": "r", "tr": "c"}.get(block.kind)
    for index, child in enumerate(block.children, 1):
        if block.kind == "li":
            # an item's first paragraph is the item itself (s1.p2.i3.1); later blocks are numbered
            child_prefix = prefix if index == 1 and child.kind == "p" else f"{prefix}.p{index}"
        else:
            child_prefix = f"{prefix}.{letter or 'p'}{index}"
        children.append(_numbered(child, child_prefix))
    return dataclasses.replace(block, sentences=sentences, children=tuple(children))


def parse_briefing(text: str, path: str) -> Briefing:
    # line breaks every reader agrees on, no control characters (builder/text.py)
    meta, body, body_line = frontmatter.parse(normalise_text(text), path)
    problems = Collector()
    for key in meta:
        if key not in BRIEFING_KEYS:
            problems.add(path, meta.line_of(key),
                         f"unknown front matter key '{key}'; known: {', '.join(BRIEFING_KEYS)}")
    if "title" not in meta:
        problems.add(path, meta.line, "missing title")
    if "slug" not in meta:
        problems.add(path, meta.line, "missing slug")
    problems.raise_if_any()

    title = Segment("meta.title", _text(meta["title"], path, meta.line_of("title"), "title"), meta.line_of("title"))
    slug = check_slug(meta["slug"], path, meta.line_of("slug"))
    aliases = tuple(check_slug(a, path, meta.line_of("aliases"), "alias") for a in _str_list(meta, "aliases", path))

    series = None
    if meta.get("series") is not None:
        raw = meta["series"]
        line = meta.line_of("series")
        if isinstance(raw, (str, int)) and not isinstance(raw, bool):
            raw = {"name": raw}
        raw = _mapping(raw, path, line, "series", SERIES_KEYS)
        if "name" not in raw:
            raise BuildError(path, line, "'series' must have a name (and optionally a part number)")
        part = raw.get("part")
        if part is not None:
            _whole_number(part, path, line, "series part", 1, 100_000)
        series = Series(Segment("meta.series", _text(raw["name"], path, line, "series name"), line), part)

    figures = []
    raw_figures = meta.get("figures")
    if raw_figures is not None and not isinstance(raw_figures, list):
        raise BuildError(path, meta.line_of("figures"), "'figures' must be a list of figures (caption, credit, "
                                                         "section, after_paragraph)")
    for f_index, raw in enumerate(raw_figures or [], 1):
        line = getattr(raw_figures, "lines", [meta.line_of("figures")] * f_index)[f_index - 1]
        raw = _mapping(raw, path, line, "figures", FIGURE_KEYS)
        if not raw.get("caption"):
            raise BuildError(path, line, "each figure needs a caption")
        credit = raw.get("credit")
        section = raw.get("section", "s0")
        if not isinstance(section, str) or not re.match(r"^s\d{1,6}$", section):
            raise BuildError(path, line, f"figure section {section!r} must be a section anchor such as 's0' or 's2'")
        image = raw.get("image")
        if image is not None and not isinstance(image, str):
            raise BuildError(path, line, "figure image must be a path (text)")
        if image is not None:
            where = markdown.media_path(image)
            if where is None:
                raise BuildError(path, line, f"figure image {image!r} must be a file in {path.split('/')[0]}/media/, "
                                             "written media/<file>")
            image = where
        figures.append(Figure(
            caption=Segment(f"fig{f_index}.caption", _text(raw["caption"], path, line, "caption"), line),
            credit=Segment(f"fig{f_index}.credit", _text(credit, path, line, "credit"), line) if credit else None,
            section=section,
            after_paragraph=_whole_number(raw.get("after_paragraph", 0) or 0, path, line,
                                          "figure after_paragraph", 0),
            image=image,
        ))

    source = None
    if meta.get("source") is not None:
        line = meta.line_of("source")
        raw = _mapping(meta["source"], path, line, "source", SOURCE_KEYS)

        def at(key: str) -> int:
            return raw.line_of(key) if hasattr(raw, "line_of") else line

        lines = raw.get("lines") or [0, 0]
        if not isinstance(lines, list) or not 1 <= len(lines) <= 2:
            raise BuildError(path, at("lines"), "source lines must be [first, last] line numbers")
        first, last = (_whole_number(n, path, at("lines"), "a source line number", 0, 100_000_000) for n in
                       (lines[0], lines[-1]))
        for key in ("file", "sha256", "url", "date_from", "original_script"):
            if raw.get(key) is not None and not isinstance(raw.get(key), str):
                raise BuildError(path, at(key), f"source {key} must be text")
        page = raw.get("page")
        if page is not None and (isinstance(page, bool) or not isinstance(page, (str, int))):
            raise BuildError(path, at("page"), "source page must be a page number or name")
        source = SourceRef(
            file=str(raw.get("file", "")), sha256=str(raw.get("sha256", "")),
            lines=(first, last),
            publication=_optional_text(raw, "publication", path, at("publication"), "source publication"),
            date=_date(raw.get("date"), path, at("date")),
            page=None if page is None else _text(page, path, at("page"), "source page"), url=raw.get("url"),
            date_from=raw.get("date_from"), original_script=raw.get("original_script"),
        )
    date = _date(meta.get("date"), path, meta.line_of("date"))
    if meta.get("summary") is not None:
        _text(meta["summary"], path, meta.line_of("summary"), "summary")
    sections = parse_body(body, path, body_line)
    paragraphs = {section.anchor: len(section.paragraphs) for section in sections}
    for fig in figures:
        count = paragraphs.get(fig.section)
        if count is not None and fig.after_paragraph > count:
            raise BuildError(path, fig.caption.line,
                             f"figure after_paragraph {fig.after_paragraph} is past the last paragraph of section "
                             f"'{fig.section}' ({count}); it would not be shown")
    subtitle = Segment("meta.subtitle", _text(meta["subtitle"], path, meta.line_of("subtitle"), "subtitle"),
                       meta.line_of("subtitle")) if meta.get("subtitle") else None
    dateline = Segment("meta.dateline", _text(meta["dateline"], path, meta.line_of("dateline"), "dateline"),
                       meta.line_of("dateline")) if meta.get("dateline") else None
    district_from = meta.get("district_from") or {}
    if not isinstance(district_from, dict):
        raise BuildError(path, meta.line_of("district_from"), "'district_from' must map district ids to evidence")

    images = [(fig.image, fig.caption.line) for fig in figures if fig.image]
    for section in sections:
        for block in section.paragraphs:
            images.extend((media, seg.line) for seg in block.segments() if "](" in seg.zh
                          for media in markdown.images(seg.zh))

    return Briefing(
        slug=slug, path=path, title=title, series=series,
        districts=_str_list(meta, "districts", path), industries=_str_list(meta, "industries", path),
        enterprises=_str_list(meta, "enterprises", path), authors=_str_list(meta, "authors", path),
        figures=tuple(figures), source=source, date=date or (source.date if source else None),
        aliases=aliases, sections=sections,
        lines=dict(meta.lines), subtitle=subtitle, dateline=dateline,
        review=_str_list(meta, "review", path),
        district_from=tuple((str(k), str(v)) for k, v in district_from.items()),
        images=tuple(images),
    )


def _date(value, path: str, line: int) -> str | None:
    if value in (None, ""):
        return None
    problem = date_problem(value)
    if problem:
        raise BuildError(path, line, problem)
    return str(value)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_problem(value) -> str | None:
    """Why `value` is not a real calendar date written YYYY-MM-DD, or None. Shared by every
    place a date is read (front matter, source.date; ingest's sidecars can call it too)."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None or not _ISO_DATE.match(text):
        return f"date {value!r} must be written YYYY-MM-DD"[:200]
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return f"date {text!r} is not a day of the calendar"
    return None


# ---- taxonomy and glossary -------------------------------------------------

TERM_KEYS = ("id", "zh", "en", "keywords", "description_zh", "description_en", "short_en",
             "names_zh", "short_names_zh", "generic_names_zh", "aliases", "places", "short")


def _line(raw, key: str, default: int) -> int:
    return raw.line_of(key, default) if hasattr(raw, "line_of") else default


def _texts(raw, key: str, path: str, line: int, min_length: int = 1) -> tuple[str, ...]:
    """A list field of a data file: a YAML list of non-empty texts, each at least
    `min_length` characters. A bare text is an error, not a list of its characters."""
    value = raw.get(key)
    if value is None:
        return ()
    at = _line(raw, key, line)
    if not isinstance(value, list):
        example = " ".join(normalise_text(value).split())[:40] if isinstance(value, str) else "…"
        raise BuildError(path, at, f"'{key}' must be a list, such as {key}: [{example}]")
    items = []
    for index, item in enumerate(value):
        item_line = value.lines[index] if hasattr(value, "lines") else at
        if isinstance(item, bool) or not isinstance(item, (str, int)) or not str(item).strip():
            raise BuildError(path, item_line, f"each item of '{key}' must be non-empty text, not {item!r}"[:200])
        text = " ".join(normalise_text(str(item)).split())
        if len(text) < min_length:
            raise BuildError(path, item_line, f"'{key}' item {text!r} is too short: an alias of one character "
                                              "would match that character everywhere on the site")
        items.append(text)
    return tuple(items)


def _field(raw, key: str, path: str, line: int, required: bool = False) -> str:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise BuildError(path, line, f"'{key}' is missing")
        return ""
    return _text(value, path, _line(raw, key, line), key)


def _term(raw, kind: str, path: str, line: int) -> Term:
    if not isinstance(raw, dict):
        raise BuildError(path, line, f"each {kind} must be a mapping with id, zh and en")
    for key in raw:
        if key not in TERM_KEYS:
            raise BuildError(path, _line(raw, key, line), f"unknown {kind} key '{key}'; known: {', '.join(TERM_KEYS)}")
    missing = [k for k in ("id", "zh", "en") if raw.get(k) in (None, "")]
    if missing:
        raise BuildError(path, line, f"{kind} is missing {', '.join(missing)}")
    if not isinstance(raw["id"], str) or not ID_RE.match(raw["id"]):
        raise BuildError(path, _line(raw, "id", line), f"{kind} id {raw['id']!r} must be lower-case ASCII with hyphens")
    return Term(
        id=raw["id"], kind=kind, zh=_field(raw, "zh", path, line), en=_field(raw, "en", path, line),
        keywords=_texts(raw, "keywords", path, line),
        description_zh=_field(raw, "description_zh", path, line),
        description_en=_field(raw, "description_en", path, line),
        short_en=_field(raw, "short_en", path, line), path=path, line=line,
        names_zh=_texts(raw, "names_zh", path, line),
        short_names_zh=_texts(raw, "short_names_zh", path, line),
        generic_names_zh=_texts(raw, "generic_names_zh", path, line),
        aliases=_texts(raw, "aliases", path, line), places=_texts(raw, "places", path, line),
        short=_field(raw, "short", path, line),
    )


def parse_taxonomy(text: str, path: str) -> tuple[tuple[Term, ...], tuple[Term, ...]]:
    data = frontmatter.load_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError(path, 1, "taxonomy must be a mapping with 'districts' and 'industries'")
    problems = Collector()
    for key in data:
        if key not in ("districts", "industries"):
            problems.add(path, _line(data, key, 1), f"unknown taxonomy key '{key}'; known: districts, industries")
    result = {}
    for key, kind in (("districts", "district"), ("industries", "industry")):
        terms = []
        raws = data.get(key)
        if raws is not None and not isinstance(raws, list):
            problems.add(path, _line(data, key, 1), f"'{key}' must be a list of {kind} entries")
            raws = None
        for index, raw in enumerate(raws or []):
            line = getattr(raws, "lines", [1] * (index + 1))[index]
            try:
                terms.append(_term(raw, kind, path, line))
            except BuildError as exc:
                problems.extend(exc)
        seen: dict[str, int] = {}
        for term in terms:
            if term.id in seen:
                problems.add(path, term.line, f"duplicate {kind} id '{term.id}' (first at line {seen[term.id]})")
            seen.setdefault(term.id, term.line)
        result[key] = tuple(terms)
    problems.raise_if_any()
    return result["districts"], result["industries"]


ENTERPRISE_KEYS = ("id", "name_zh", "aliases_zh", "name_en", "short_en", "aliases_en", "pinyin",
                   "district", "industries", "relations", "description_zh", "description_en", "note")
RELATION_KEYS = ("kind", "target")


def _enterprise(raw, path: str, line: int) -> Enterprise:
    if not isinstance(raw, dict):
        raise BuildError(path, line, "each glossary entry must be a mapping")
    problems = Collector()
    for key in raw:
        if key not in ENTERPRISE_KEYS:
            problems.add(path, _line(raw, key, line), f"unknown glossary key '{key}'; known: {', '.join(ENTERPRISE_KEYS)}")
    missing = [k for k in ("id", "name_zh", "name_en") if raw.get(k) in (None, "")]
    if missing:
        problems.add(path, line, f"glossary entry is missing {', '.join(missing)}")
        problems.raise_if_any()
    if not isinstance(raw["id"], str) or not ID_RE.match(raw["id"]):
        problems.add(path, _line(raw, "id", line), f"enterprise id {raw['id']!r} must be lower-case ASCII with hyphens")
        problems.raise_if_any()
    values: dict = {}
    for key, getter in (
        ("name_zh", lambda: _field(raw, "name_zh", path, line)),
        ("name_en", lambda: _field(raw, "name_en", path, line)),
        ("short_en", lambda: _field(raw, "short_en", path, line)),
        ("pinyin", lambda: _field(raw, "pinyin", path, line)),
        ("description_zh", lambda: _field(raw, "description_zh", path, line)),
        ("description_en", lambda: _field(raw, "description_en", path, line)),
        ("note", lambda: _field(raw, "note", path, line)),
        ("aliases_zh", lambda: _texts(raw, "aliases_zh", path, line, min_length=2)),
        ("aliases_en", lambda: _texts(raw, "aliases_en", path, line, min_length=2)),
        ("industries", lambda: _texts(raw, "industries", path, line)),
    ):
        try:
            values[key] = getter()
        except BuildError as exc:
            problems.extend(exc)
    if len(values.get("name_zh", "xx")) < 2:
        problems.add(path, _line(raw, "name_zh", line), "name_zh of one character would match that character "
                                                         "everywhere on the site")
    district = raw.get("district")
    if district is not None and (not isinstance(district, str) or not ID_RE.match(district)):
        problems.add(path, _line(raw, "district", line), f"district {district!r} must be a district id")
    relations = []
    raw_relations = raw.get("relations")
    if raw_relations is not None and not isinstance(raw_relations, list):
        problems.add(path, _line(raw, "relations", line), "'relations' must be a list of {kind, target}")
        raw_relations = None
    for r_index, rel in enumerate(raw_relations or []):
        r_line = getattr(raw_relations, "lines", [line] * (r_index + 1))[r_index]
        if not isinstance(rel, dict) or not rel.get("kind") or not rel.get("target"):
            problems.add(path, r_line, "a relation needs a kind and a target")
            continue
        unknown = [k for k in rel if k not in RELATION_KEYS]
        if unknown:
            problems.add(path, r_line, f"unknown relation key '{unknown[0]}'; known: kind, target")
            continue
        if not isinstance(rel["kind"], str) or rel["kind"] not in RELATION_INVERSE:
            problems.add(path, r_line, f"unknown relation kind {rel['kind']!r}; known: {', '.join(RELATION_INVERSE)}")
            continue
        if not isinstance(rel["target"], str) or not ID_RE.match(rel["target"]):
            problems.add(path, r_line, f"relation target {rel['target']!r} must be an enterprise id")
            continue
        relations.append(Relation(rel["kind"], rel["target"], r_line))
    problems.raise_if_any()
    return Enterprise(
        id=raw["id"], name_zh=values["name_zh"], aliases_zh=values["aliases_zh"],
        name_en=values["name_en"], short_en=values["short_en"] or values["name_en"],
        aliases_en=values["aliases_en"], pinyin=values["pinyin"], district=district,
        industries=values["industries"], relations=tuple(relations),
        description_zh=values["description_zh"], description_en=values["description_en"],
        path=path, line=line,
    )


def parse_glossary(text: str, path: str) -> tuple[Enterprise, ...]:
    data = frontmatter.load_yaml(text, path)
    if data is None:
        data = []
    if is_terms_file(data):
        parse_terms(text, path)  # checked here too: every reader of glossary/*.yaml reports its errors
        return ()  # a terminology list (parse_terms) names no enterprise
    if isinstance(data, dict) and "enterprises" in data:
        data = data["enterprises"]
    if not isinstance(data, list):
        raise BuildError(path, 1, "a glossary file must be a list of enterprise entries")
    problems = Collector()
    entries = []
    for index, raw in enumerate(data):
        line = data.lines[index] if hasattr(data, "lines") else 1
        try:
            entries.append(_enterprise(raw, path, line))
        except (BuildError, BuildErrors) as exc:
            problems.extend(exc)
    problems.raise_if_any()
    return tuple(entries)


TERMINOLOGY_KEYS = ("zh", "en", "kind", "aliases_zh", "note")
TERM_KINDS = ("term", "place", "name", "pen-name")


def is_terms_file(data) -> bool:
    """A glossary file whose top level is `terms:` is a terminology list, not enterprises."""
    return isinstance(data, dict) and "terms" in data and "enterprises" not in data


def parse_terms(text: str, path: str) -> tuple[GlossaryTerm, ...]:
    """The terminology list (content/glossary/terms.yaml): `terms:` followed by a list of
    {zh, en, kind?, aliases_zh?, note?}; each problem reported with its line."""
    data = frontmatter.load_yaml(text, path) or {}
    if not isinstance(data, frontmatter.LineDict) or not is_terms_file(data):
        raise BuildError(path, 1, "a terminology file must be a mapping with a 'terms' list")
    items = data["terms"] or frontmatter.LineList()
    if not isinstance(items, frontmatter.LineList):
        raise BuildError(path, data.line_of("terms"), "'terms' must be a list of {zh, en} entries")
    problems = Collector()
    entries = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(items):
        line = items.lines[index] if items else 0
        if not isinstance(raw, frontmatter.LineDict):
            problems.add(path, line, "each term must be a mapping with zh and en")
            continue
        unknown = [k for k in raw if k not in TERMINOLOGY_KEYS]
        for key in unknown:
            problems.add(path, raw.line_of(key), f"unknown term key '{key}'; known: {', '.join(TERMINOLOGY_KEYS)}")
        zh, en = raw.get("zh"), raw.get("en")
        if not isinstance(zh, str) or not zh.strip() or not isinstance(en, (str, int)) or not str(en).strip():
            problems.add(path, line, "a term needs non-empty text for both zh and en")
            continue
        kind = raw.get("kind") or "term"
        if kind not in TERM_KINDS:
            problems.add(path, raw.line_of("kind"), f"unknown term kind '{kind}'; known: {', '.join(TERM_KINDS)}")
            continue
        aliases = raw.get("aliases_zh") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.add(path, raw.line_of("aliases_zh"), "'aliases_zh' must be a list of Chinese forms")
            continue
        if unknown:
            continue
        forms = [zh.strip(), *(a.strip() for a in aliases)]
        for form in forms:
            if form in seen:
                problems.add(path, line, f"term '{form}' is listed twice (first at line {seen[form]})")
            seen.setdefault(form, line)
        entries.append(GlossaryTerm(
            zh=forms[0], en=" ".join(str(en).split()), kind=str(kind), aliases_zh=tuple(forms[1:]),
            note=" ".join(str(raw.get("note") or "").split()), path=path, line=line,
        ))
    problems.raise_if_any()
    return tuple(entries)


# ---- loading and site-wide checks ---------------------------------------------

def _rel(config: Config, path: Path) -> str:
    """Old name of `Config.rel`, still imported by ingest.py."""
    return config.rel(path)


def read_text(config: Config, path: Path) -> str:
    """Read a content file, refusing symlinks that lead outside the project."""
    rel = config.rel(path)
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(config.root))):
        raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(rel, None, f"is not valid UTF-8 (byte {exc.start})") from None


def load_site(config: Config, memo: Memo | None = None, pool: WorkerPool | None = None) -> Site:
    """Read content/ into a Site and check the site-wide rules; every problem is collected and
    raised once. With `memo`, a file whose content was parsed before is not parsed again;
    briefings are parsed in `pool`'s workers while this process reads the glossary."""
    problems = Collector()
    districts, industries = _load_taxonomy(config, memo, problems)
    paths = sorted((config.content / "briefings").glob("*.md"))
    found: dict[str, tuple[str, Briefing]] = {}  # rel -> (hash of its text, briefing)
    todo = []
    for path in paths:
        rel = config.rel(path)
        digest = memo.fingerprint(path) if memo is not None else None
        cached = memo.get("briefing", (rel, digest)) if memo is not None and digest is not None else None
        if digest is not None and cached is not None:
            found[rel] = (digest, cached)
        else:
            todo.append(path)
    # small chunks: jobs differ in size, and each result is unpickled as it arrives
    jobs = pool.jobs if pool is not None else 1
    chunk = max(1, min(32, len(todo) // (jobs * 4)))
    checks = Collector()  # a briefing that parsed but breaks a rule of its own
    with (pool or WorkerPool()).run(_parse_briefing_file, config, todo, chunksize=chunk) as results:
        enterprises = _load_glossary(config, memo, problems)  # while the workers parse
        terms = _load_terms(config, memo, problems)
        for rel, digest, result, file_problems in results:
            if result is None:
                problems.problems.extend(file_problems)
                continue
            checks.problems.extend(file_problems)
            pickled = result if isinstance(result, bytes) else None
            briefing = pickle.loads(pickled) if pickled is not None else result
            if memo is not None and not file_problems:
                memo.put("briefing", (rel, digest), briefing, pickled=pickled)
            found[rel] = (digest, briefing)
    try:
        seen = first_seen(config)
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
    if problems:  # a file that cannot be read or parsed: the site-wide rules would only add noise
        problems.problems.extend(checks.problems)
        problems.raise_if_any()
    briefings = []
    days = {}
    for path in paths:
        digest, briefing = found[config.rel(path)]
        briefings.append(briefing)
        day = seen.get(briefing.path)
        if day is not None:
            days[briefing.slug] = day
        if memo is not None:
            memo.note_source(briefing.slug, "md", digest)
            if day is not None:  # what the briefing's cards show comes from this file too
                memo.note_source(briefing.slug, "seen", day)
    media = load_media(config, briefings, memo, checks)
    site = Site(tuple(briefings), tuple(districts), tuple(industries), tuple(sorted(enterprises, key=lambda e: e.id)),
                terms=terms, first_seen=days, media=media)
    check_site(site, checks)
    return site


def load_media(config: Config, briefings: list[Briefing], memo: Memo | None,
               problems: Collector) -> dict[str, markdown.Size]:
    """The size of every image the briefings show (content/media/…); a missing or unreadable
    file is a problem at the line that shows it. With a memo each briefing's pages depend on
    the sizes of its images (a new size re-renders them)."""
    from builder.media import image_size

    sizes: dict[str, markdown.Size | None] = {}
    for b in briefings:
        for rel, line in b.images:
            if rel not in sizes:
                sizes[rel] = _media_size(config, rel, memo, image_size)
            if sizes[rel] is None:
                file = config.content / rel
                why = "is not a PNG, JPEG, GIF, WebP or SVG image" if file.is_file() else "does not exist"
                problems.add(b.path, line, f"image {config.content_dir}/{rel} {why}")
        if memo is not None and b.images:
            memo.note_source(b.slug, "media", repr(sorted((rel, sizes[rel]) for rel, _ in b.images)))
    return {rel: size for rel, size in sorted(sizes.items()) if size is not None}


def _media_size(config: Config, rel: str, memo: Memo | None, image_size) -> markdown.Size | None:
    path = config.content / rel
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(config.content))) or not path.is_file():
        return None
    try:
        with path.open("rb") as file:
            head = file.read(1 << 18)  # a JPEG's frame header follows its EXIF block (≤ 64 KiB)
    except OSError:
        return None
    size = image_size(head)
    if size is None:
        return None
    # the hash of its bytes (the build cache's; without one, pages are not compared)
    return markdown.Size(size[0], size[1], (memo.fingerprint(path) if memo is not None else None) or "")


def first_seen(config: Config) -> dict[str, str]:
    """Briefing path (content/briefings/x.md) -> the ISO day ingest first saw its article, from
    ingest's state (content/.ingest-state.json), read by the reader ingest owns, which checks
    the file and raises with its line when it is broken. A briefing ingest never wrote is not in it."""
    from builder.ingest.state import first_seen as recorded

    return {path: day.isoformat() for path, day in recorded(config).items()}


def _parse_briefing_file(config: Config, path: Path, remote: bool) -> tuple[str, str, object, list[Problem]]:
    """(rel, hash of its text, the Briefing (pickled when `remote`) or None, problems) of one
    briefing file: read, parsed and checked on its own (in a worker, or here)."""
    rel = config.rel(path)
    try:
        text = read_text(config, path)
    except (BuildError, BuildErrors) as exc:
        return rel, "", None, list(exc.problems)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    try:
        briefing = parse_briefing(text, rel)
    except (BuildError, BuildErrors) as exc:
        return rel, digest, None, list(exc.problems)
    checks = Collector()
    check_briefing(briefing, checks)
    return rel, digest, pickle.dumps(briefing, protocol=pickle.HIGHEST_PROTOCOL) if remote else briefing, \
        checks.problems


def _load_taxonomy(config: Config, memo: Memo | None, problems: Collector) -> tuple[tuple[Term, ...], tuple[Term, ...]]:
    path = config.content / "taxonomy.yaml"
    if not path.exists():
        return (), ()
    digest = memo.fingerprint(path) if memo is not None else None
    cached = memo.get("taxonomy", digest) if memo is not None and digest is not None else None
    if cached is not None:
        return cached
    try:
        parsed = parse_taxonomy(read_text(config, path), config.rel(path))
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
        return (), ()
    if memo is not None and digest is not None:
        memo.put("taxonomy", digest, parsed)
    return parsed


def _load_glossary(config: Config, memo: Memo | None, problems: Collector) -> list[Enterprise]:
    enterprises: list[Enterprise] = []
    for path in sorted((config.content / "glossary").glob("*.yaml")):
        # parsed again only when it changed (YAML is slow for a few hundred entries)
        rel = config.rel(path)
        digest = memo.fingerprint(path) if memo is not None else None
        entries = memo.get("glossary", (rel, digest)) if memo is not None and digest is not None else None
        if entries is None:
            try:
                entries = parse_glossary(read_text(config, path), rel)
            except (BuildError, BuildErrors) as exc:
                problems.extend(exc)
                continue
            if memo is not None and digest is not None:
                memo.put("glossary", (rel, digest), entries)
        enterprises.extend(entries)
    return enterprises


def _load_terms(config: Config, memo: Memo | None, problems: Collector) -> tuple[GlossaryTerm, ...]:
    """The terminology lists among content/glossary/*.yaml (parse_glossary passes over them)."""
    found: list[GlossaryTerm] = []
    for path in sorted((config.content / "glossary").glob("*.yaml")):
        rel = config.rel(path)
        digest = memo.fingerprint(path) if memo is not None else None
        entries = memo.get("terms", (rel, digest)) if memo is not None and digest is not None else None
        if entries is None:
            try:
                text = read_text(config, path)
                entries = parse_terms(text, rel) if is_terms_file(frontmatter.load_yaml(text, rel)) else ()
            except (BuildError, BuildErrors):
                continue  # reported by _load_glossary, which reads every glossary file
            if memo is not None and digest is not None:
                memo.put("terms", (rel, digest), entries)
        found.extend(entries)
    return tuple(found)


def check_briefing(b: Briefing, problems: Collector) -> None:
    """The rules one briefing must follow on its own (checked when it is parsed)."""
    anchors = {s.anchor for s in b.sections}
    for fig in b.figures:
        if fig.section not in anchors:
            problems.add(b.path, fig.caption.line, f"figure placed in unknown section '{fig.section}'; "
                                                   f"known: {', '.join(sorted(anchors)) or '(none)'}")


def check_site(site: Site, problems: Collector | None = None) -> None:
    """Site-wide rules: unique ids and slugs, every reference resolves. Raises every problem
    found, with those already in `problems` (the files' own, from load_site)."""
    problems = problems if problems is not None else Collector()
    district_ids = {t.id for t in site.districts}
    industry_ids = {t.id for t in site.industries}
    enterprise_ids: dict[str, Enterprise] = {}
    for ent in site.enterprises:
        if ent.id in enterprise_ids:
            first = enterprise_ids[ent.id]
            problems.add(ent.path, ent.line, f"duplicate enterprise id '{ent.id}' (first at {first.path}:{first.line})")
        enterprise_ids.setdefault(ent.id, ent)

    def known(ids) -> str:
        return ", ".join(sorted(ids)) or "(none)"

    for ent in site.enterprises:
        if ent.district and ent.district not in district_ids:
            problems.add(ent.path, ent.line, f"unknown district '{ent.district}' for {ent.id}; known: {known(district_ids)}")
        for ind in ent.industries:
            if ind not in industry_ids:
                problems.add(ent.path, ent.line, f"unknown industry '{ind}' for {ent.id}; known: {known(industry_ids)}")
        for rel in ent.relations:
            if rel.target not in enterprise_ids:
                problems.add(ent.path, rel.line, f"relation of {ent.id} points to unknown enterprise '{rel.target}'")

    slugs: dict[str, str] = {}
    for b in site.briefings:
        for name in (b.slug, *b.aliases):
            if name in slugs:
                problems.add(b.path, b.line_of("aliases" if name != b.slug else "slug"),
                             f"slug '{name}' is already used by {slugs[name]}")
            slugs.setdefault(name, b.path)
        for key, ids, valid, what in (("districts", b.districts, district_ids, "district"),
                                      ("industries", b.industries, industry_ids, "industry"),
                                      ("enterprises", b.enterprises, enterprise_ids, "enterprise")):
            for value in ids:
                if value not in valid:
                    problems.add(b.path, b.line_of(key), f"unknown {what} '{value}'; known: {known(valid)}")
    problems.raise_if_any()

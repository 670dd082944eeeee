"""Ingest: raw articles (seeds/*.txt, saved web pages seeds/*.html, *.htm) -> editable Chinese
briefing pages (content/briefings/*.md).

Stages, each a module that works on strings (files.py alone touches disk):

    text.py        bytes -> text (UTF-8/UTF-16/GB18030/BIG5, a web page's charset), Traditional ->
                   Simplified, small-form and full-width punctuation
    html.py        a saved web page -> its article's lines (trafilatura finds the article)
    lines.py       what one line is: chrome, meta, byline, caption, dateline, text
    page.py        a page -> articles: headline, kicker and sub-title, bylines, dateline, joined
                   lines, sections, figures (a title derived when there is no headline)
    districts.py   where it happens, with the evidence (district_from)
    enterprises.py glossary enterprises, and clean names for review
    industries.py  industries from evidence, not one incidental word
    slug.py        slugs that read as words
    annotate.py    all of the above for one article (Context: the taxonomy and glossary, built once)
    markdown.py    a draft -> YAML front matter + Markdown
    files.py       ingest_source (one file's bytes -> drafts, pure) and ingest_all (seeds/ -> content/)
    state.py       content/.ingest-state.json: checked paths, who owns each page, first_seen(config)

See each module's docstring for its rules.
"""

from __future__ import annotations

from builder.ingest.annotate import Context, annotate, review_candidates, slug_for
from builder.ingest.draft import Draft, DraftFigure, DraftSection
from builder.ingest.files import (
    MAX_SEED_BYTES,
    STATE_FILE,
    IngestReport,
    SourceResult,
    ingest_all,
    ingest_source,
    load_context,
    parse_sidecar,
    read_seed,
    read_sidecar,
)
from builder.ingest.lines import parse_byline, parse_caption, split_dateline, split_glued_byline
from builder.ingest.markdown import render_markdown
from builder.ingest.page import PageResult, derive_title, parse_page, split_heading
from builder.ingest.slug import make_slug
from builder.ingest.state import first_seen, load_state
from builder.ingest.text import decode, normalise, to_simplified

__all__ = [
    "MAX_SEED_BYTES",
    "STATE_FILE",
    "Context",
    "Draft",
    "DraftFigure",
    "DraftSection",
    "IngestReport",
    "PageResult",
    "SourceResult",
    "annotate",
    "decode",
    "derive_title",
    "first_seen",
    "ingest_all",
    "ingest_source",
    "load_context",
    "load_state",
    "make_slug",
    "normalise",
    "parse_byline",
    "parse_caption",
    "parse_page",
    "parse_sidecar",
    "read_seed",
    "read_sidecar",
    "render_markdown",
    "review_candidates",
    "slug_for",
    "split_dateline",
    "split_glued_byline",
    "split_heading",
    "to_simplified",
]

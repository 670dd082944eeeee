"""The data every stage shares: frozen dataclasses with tuple fields.

Everything built from a file carries its source path and line so that any stage can
point the user at the exact place. Derive new values with dataclasses.replace.

Segment ids (the translation memory's msgctxt) are stable and positional:
  meta.title, meta.subtitle,         front matter display fields
  meta.series, meta.dateline,
  meta.publication
  s0 ... sN                          section anchors; s0 is the lead before the first heading
  s1.h, s1.sub                       a section's heading and sub-heading
  s1.p2.3                            section 1, paragraph 2, sentence 3 (1-based)
  s1.p2.i3.1                         block 2 of section 1 is a list: its item 3, sentence 1
  s1.p2.i3.p2.1                      … the item's second paragraph (its first is s1.p2.i3)
  s1.p2.q1.1                         block 2 is a block quote: its paragraph 1, sentence 1
  s1.p2.r1.c2.1                      block 2 is a table: row 1 (the header), cell 2
  fig1.caption, fig1.credit          figure caption and credit
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """One translatable unit of Chinese text."""

    id: str
    zh: str
    line: int = 0  # line in the briefing file (0 when not known)


@dataclass(frozen=True)
class Paragraph:
    """A block of the body. A paragraph ("p") holds sentences; the other kinds hold blocks:
    "ul" / "ol" hold "li" items, an item and a "quote" hold blocks, a "table" holds "tr" rows
    of "th" / "td" cells (which hold sentences). "hr" holds nothing, "code" its `text`."""

    sentences: tuple[Segment, ...]
    line: int = 0
    kind: str = "p"
    children: tuple[Paragraph, ...] = ()
    start: int = 1  # "ol": the number of its first item
    align: str = ""  # "th" / "td": left | center | right (GFM tables)
    text: str = ""  # "code": the code, shown as it is and never translated
    tight: bool = False  # "li": a tight list's item, its paragraphs shown without <p>

    @property
    def zh(self) -> str:
        return "".join(s.zh for s in self.sentences)

    def segments(self) -> Iterator[Segment]:
        """Its sentences and those of every block inside it, in reading order."""
        yield from self.sentences
        for child in self.children:
            yield from child.segments()


@dataclass(frozen=True)
class Section:
    anchor: str  # "s0" (lead), "s1", ... stable across languages: /en/…/#s2 == /zh/…/#s2
    heading: Segment | None
    subheading: Segment | None
    paragraphs: tuple[Paragraph, ...]
    line: int = 0


@dataclass(frozen=True)
class Figure:
    caption: Segment
    credit: Segment | None
    section: str  # anchor of the section the figure stood in
    after_paragraph: int  # 0 = before the section's first paragraph
    image: str | None = None  # path relative to content/, when the source has an image


@dataclass(frozen=True)
class Series:
    name: Segment
    part: int | None


@dataclass(frozen=True)
class SourceRef:
    file: str
    sha256: str
    lines: tuple[int, int]
    publication: str | None = None
    date: str | None = None  # ISO date from the sidecar; never invented
    page: str | None = None
    url: str | None = None
    date_from: str | None = None  # where a date found in a web page came from ("file:line: text")
    original_script: str | None = None  # "traditional" when ingest converted the text to Simplified


@dataclass(frozen=True)
class Briefing:
    slug: str
    path: str  # the .md file, relative to the project root
    title: Segment
    series: Series | None
    districts: tuple[str, ...]
    industries: tuple[str, ...]
    enterprises: tuple[str, ...]
    authors: tuple[str, ...]
    figures: tuple[Figure, ...]
    source: SourceRef | None
    date: str | None
    aliases: tuple[str, ...]
    sections: tuple[Section, ...]
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # front-matter key -> line
    subtitle: Segment | None = None  # kicker (引题) and/or sub-title (副题), shown with the title
    dateline: Segment | None = None  # 本报讯, 新华社南京3月5日电: shown before the lede
    review: tuple[str, ...] = ()  # fields ingest was unsure of (e.g. "title" when it derived one)
    district_from: tuple[tuple[str, str], ...] = ()  # (district id, ingest's evidence)
    # the media/ files its images show (Markdown images and figures), with the line of each
    images: tuple[tuple[str, int], ...] = ()

    def segments(self) -> Iterator[Segment]:
        """Every translatable segment, in reading order."""
        yield self.title
        if self.subtitle:
            yield self.subtitle
        if self.series:
            yield self.series.name
        if self.dateline:
            yield self.dateline
        if self.publication:
            yield self.publication
        for section in self.sections:
            if section.heading:
                yield section.heading
            if section.subheading:
                yield section.subheading
            for paragraph in section.paragraphs:
                yield from paragraph.segments()
        for figure in self.figures:
            yield figure.caption
            if figure.credit:
                yield figure.credit

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def publication(self) -> Segment | None:
        """The source publication's name (e.g. 徐州日报) as a translatable display field."""
        if self.source and self.source.publication:
            return Segment("meta.publication", self.source.publication, self.line_of("source"))
        return None


@dataclass(frozen=True)
class Term:
    """A district or an industry: one id, a Chinese and an English label."""

    id: str
    kind: str  # "district" | "industry"
    zh: str
    en: str
    keywords: tuple[str, ...]
    description_zh: str = ""
    description_en: str = ""
    short_en: str = ""
    path: str = ""
    line: int = 0
    # districts: which Chinese forms are names of the district, for translation
    # (builder/translate/terms.py); keywords are only what ingest looks for
    names_zh: tuple[str, ...] = ()  # other full names → en
    short_names_zh: tuple[str, ...] = ()  # short names (鼓楼) → short_en
    generic_names_zh: tuple[str, ...] = ()  # common nouns that mean this district (经开区) → short_en
    # districts only, read by ingest alone: other names of the place (former, Traditional,
    # older zone names), places inside it (towns, streets, landmarks), its one-character short form
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    short: str = ""


@dataclass(frozen=True)
class GlossaryTerm:
    """An entry of the terminology list (content/glossary/terms.yaml): a Chinese word or
    name that is not an enterprise, with the English it always gets in translation."""

    zh: str
    en: str
    kind: str = "term"  # term | place | name (a body, a programme, a brand) | pen-name
    aliases_zh: tuple[str, ...] = ()
    note: str = ""  # for readers: what it is (terms page, bylines)
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class Relation:
    kind: str  # subsidiary_of | parent_of | renamed_from | renamed_to | investor_in | invested_by
    target: str  # enterprise id
    line: int = 0


RELATION_INVERSE = {
    "subsidiary_of": "parent_of",
    "parent_of": "subsidiary_of",
    "renamed_from": "renamed_to",
    "renamed_to": "renamed_from",
    "investor_in": "invested_by",
    "invested_by": "investor_in",
    "partner_of": "partner_of",
}


@dataclass(frozen=True)
class Enterprise:
    id: str
    name_zh: str  # full Chinese name
    aliases_zh: tuple[str, ...]  # short forms used in text
    name_en: str
    short_en: str  # short English form used in running text
    aliases_en: tuple[str, ...]
    pinyin: str
    district: str | None
    industries: tuple[str, ...]
    relations: tuple[Relation, ...]
    description_zh: str = ""
    description_en: str = ""
    path: str = ""
    line: int = 0

    @property
    def zh_forms(self) -> tuple[str, ...]:
        """Every Chinese form that names this enterprise, longest first."""
        forms = {self.name_zh, *self.aliases_zh}
        return tuple(sorted((f for f in forms if f), key=lambda f: (-len(f), f)))

    @property
    def en_forms(self) -> tuple[str, ...]:
        forms = {self.name_en, self.short_en, *self.aliases_en}
        return tuple(sorted((f for f in forms if f), key=lambda f: (-len(f), f)))


@dataclass(frozen=True)
class Translation:
    """The English for one segment, as the memory holds it."""

    segment_id: str
    en: str | None  # None: not translated yet
    status: str  # "reviewed" | "machine" | "missing" | "stale"
    flags: tuple[str, ...] = ()  # quality flags on machine output, e.g. ("repetition",)
    note: str = ""  # translator's note, shown to readers
    engine: str = ""  # e.g. "argos translate-zh_en 1.9"


@dataclass(frozen=True)
class Site:
    briefings: tuple[Briefing, ...]
    districts: tuple[Term, ...]
    industries: tuple[Term, ...]
    enterprises: tuple[Enterprise, ...]
    # slug -> {segment id -> Translation}; empty when no memory exists for a briefing
    translations: dict = field(default_factory=dict, compare=False)
    terms: tuple[GlossaryTerm, ...] = ()  # the terminology list (content/glossary/terms.yaml)
    # slug -> the ISO day ingest first saw the article (content/.ingest-state.json). Not a date of
    # the article: feeds use it for Atom's `updated` of an undated briefing, pages never show it.
    # Kept here, not on Briefing, because cached briefings are read lazily (cache/store.py).
    first_seen: dict = field(default_factory=dict, compare=False)
    # media/<file> -> markdown.Size (width, height, content hash) of every image a briefing shows
    media: dict = field(default_factory=dict, compare=False)

    def district(self, term_id: str) -> Term:
        return next(t for t in self.districts if t.id == term_id)

    def industry(self, term_id: str) -> Term:
        return next(t for t in self.industries if t.id == term_id)

    def enterprise(self, ent_id: str) -> Enterprise:
        return next(e for e in self.enterprises if e.id == ent_id)

"""One article as ingest understood it, before it becomes a Markdown page."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """One article; `annotate` fills the fields after `sections`."""

    source_file: str
    index: int  # 1-based position of the article on its page
    title: str
    title_line: int
    series: tuple[str, int | None] | None
    authors: tuple[str, ...]
    sections: tuple[DraftSection, ...]
    figures: tuple[DraftFigure, ...]
    lines: tuple[int, int]
    date: str | None = None  # a full date found in the page's meta lines (发布时间 …)
    date_from: str | None = None  # "file:line: the line it came from"
    publication: str | None = None  # 来源： on the page
    url: str | None = None
    traditional: bool = False
    subtitle: str | None = None  # kicker (引题) and/or sub-title (副题)
    dateline: str | None = None  # 本报讯, 新华社南京3月5日电 … taken off the lede
    review: tuple[str, ...] = ()  # fields a person must check (a derived title: "title")
    site: str = ""  # page chrome around the article (site and account names): evidence for 我县 …
    # filled by annotate()
    slug: str = ""
    aliases: tuple[str, ...] = ()  # old slugs of a page re-ingested with --force (its redirects stay)
    districts: tuple[str, ...] = ()
    district_from: tuple[tuple[str, str], ...] = ()  # (district id, evidence) when not the title
    industries: tuple[str, ...] = ()
    enterprises: tuple[str, ...] = ()
    sha256: str = ""
    sidecar: dict = field(default_factory=dict, compare=False)

    def text(self) -> str:
        """Every Chinese text of the article, for keyword and name matching."""
        parts = [self.title, self.subtitle or ""]
        for section in self.sections:
            parts += [section.heading or "", section.subheading or ""]
            parts += [p for p, _ in section.paragraphs]
        return "\n".join(p for p in parts if p)

    def paragraphs(self) -> list[tuple[str, int]]:
        return [p for section in self.sections for p in section.paragraphs]

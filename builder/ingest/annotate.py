"""A parsed article -> its districts (with the evidence), industries, enterprises and slug, and
the names it sends for review."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from builder.ingest.districts import SELF_WORDS, ZONE_WORDS, DistrictFinder
from builder.ingest.draft import Draft
from builder.ingest.enterprises import Candidate, EnterpriseFinder
from builder.ingest.industries import IndustryFinder
from builder.ingest.slug import make_slug
from builder.model import Enterprise, Term


@dataclass
class Context:
    """What every article of a run is classified with, built once: the taxonomy's districts and
    industries and the glossary's enterprises."""

    districts: tuple[Term, ...] = ()
    industries: tuple[Term, ...] = ()
    enterprises: tuple[Enterprise, ...] = ()

    def __post_init__(self) -> None:
        self.districts = tuple(self.districts)
        self.industries = tuple(self.industries)
        self.enterprises = tuple(sorted(self.enterprises, key=lambda e: e.id))
        self.place_finder = DistrictFinder(self.districts)
        self.industry_finder = IndustryFinder(self.industries)
        self.enterprise_finder = EnterpriseFinder(self.enterprises)
        self.names = self.enterprise_finder.forms() | self.place_finder.all_forms()
        self.district_forms = tuple(f for t in self.districts for f in (t.zh, *t.keywords, *t.aliases))
        # words for cutting titles into slug words: names of enterprises and districts, of
        # places without their 街道 / 镇 (潘安湖街道 -> 潘安湖 + 街道), and the taxonomy's industry
        # words, which jieba's dictionary may not have (新材料 would be cut as 新 + 材料)
        stems = {re.sub(r"(?:街道|社区|(?<!古)镇|乡)$", "", p) for t in self.districts for p in t.places}
        industry_words = {w for i in self.industries for w in (i.zh, *i.keywords) if 2 <= len(w) <= 4}
        self.slug_words = self.enterprise_finder.forms() | frozenset(self.district_forms) | \
            frozenset(s for s in stems if len(s) >= 2) | frozenset(industry_words)


def _texts(draft: Draft) -> list[str]:
    texts = [draft.title, draft.subtitle or ""]
    for section in draft.sections:
        texts += [section.heading or "", section.subheading or ""]
        texts += [p for p, _ in section.paragraphs]
    return [t for t in texts if t]


def annotate(draft: Draft, ctx: Context, *, sha256: str = "", sidecar: dict | None = None,
             slug: str | None = None, make_slug_now: bool = True) -> Draft:
    texts = _texts(draft)
    enterprises = ctx.enterprise_finder.ids(texts)
    forms = ctx.enterprise_finder.first_forms(texts)
    paragraphs = [p for p, _ in draft.paragraphs()]
    lede = paragraphs[0] if paragraphs else ""
    headings = [s.heading for s in draft.sections if s.heading]
    rest = paragraphs[1:] + [s.subheading for s in draft.sections if s.subheading]
    entries = {e.id: e for e in ctx.enterprises}
    site = " ".join(x for x in (draft.site, draft.publication or "", (sidecar or {}).get("publication") or "") if x)
    evidence = ctx.place_finder.evidence(
        title=draft.title, subtitle=draft.subtitle or "", headings=headings, dateline=draft.dateline or "",
        lede=lede, body=rest, site=site,
        enterprise_districts=[(forms[i], entries[i].district or "") for i in enterprises],
        title_derived="title" in draft.review)
    districts = tuple(d for d, _ in evidence)
    district_from = tuple((d, how) for d, how in evidence if how != "title")

    # a zone word that the article uses as a place name (徐州高新区, 邳州高新区 … 高新区还与…) is a place
    # there, not a keyword of an industry
    place_zones = [z for z in ZONE_WORDS
                   if any((m.form.endswith(z) and m.form != z) or t.startswith(z, m.end)
                          for t in texts for m in ctx.place_finder.mentions(t))
                   or any(re.search(rf"[县市区]{z}", t) for t in texts)]

    def masked(text: str) -> str:
        for m in reversed(ctx.place_finder.mentions(text)):
            text = text[:m.start] + "■" * (m.end - m.start) + text[m.end:]
        for zone in place_zones:
            text = text.replace(zone, "■" * len(zone))
        return text

    industries = ctx.industry_finder.assign(
        title=masked(draft.title + " " + (draft.subtitle or "")),
        headings=[masked(h) for s in draft.sections for h in (s.heading, s.subheading) if h],
        lede=masked(lede), rest=[masked(p) for p in paragraphs[1:]],
        enterprise_industries={i for e in enterprises for i in entries[e].industries})
    draft = dataclasses.replace(draft, districts=districts, district_from=district_from, industries=industries,
                                enterprises=tuple(enterprises), sha256=sha256, sidecar=dict(sidecar or {}))
    if slug is None and make_slug_now:
        slug = slug_for(draft, ctx)
    return dataclasses.replace(draft, slug=slug or "")


def slug_for(draft: Draft, ctx: Context) -> str:
    district = next((d for d in ctx.districts if d.id == draft.districts[0]), None) \
        if len(draft.districts) == 1 else None
    said = tuple(m.form for m in ctx.place_finder.mentions(draft.title) if m.kind in ("short", "zone"))
    said += tuple(w for w in SELF_WORDS if w in draft.title)
    return make_slug(draft.title, district, remove=ctx.district_forms + said, names=ctx.slug_words)


def review_candidates(draft: Draft, ctx: Context) -> list[Candidate]:
    return ctx.enterprise_finder.candidates(draft.paragraphs())

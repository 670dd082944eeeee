"""Pages as data: every file of the site as a `PageSpec`, with what it depends on.

A spec names a page (`key`), the Composer method that renders it (`kind`, `args`), its
dependencies beyond the theme, settings and code (typed, cache/plan.py), and the sitemap
entries it adds. The list is a pure function of the site's view; rendering a spec is the
Composer's job, deciding which specs to render again the write stage's.

The briefings list and each district's and industry's page are split into pages of
LIST_PAGE_SIZE briefings, newest first, so an edited briefing re-renders one page of each.
In English each page shows its briefings in two groups, published and "Awaiting translation"
(render/publish.py), so both languages page alike; a card's dependency includes which group
it is in. The English home page and feeds pick published briefings: they depend on which
briefings they picked (a Value) as well as on those briefings' cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.cache.plan import (
    BriefingCard,
    BriefingText,
    Dependency,
    EntryOf,
    MentionsIn,
    NamesOf,
    QuotedSentence,
    Value,
)
from builder.render.urls import LANGS, Urls
from builder.render.views import SiteView

LIST_PAGE_SIZE = 50  # briefings per page of the briefings list and of a term's page
FEED_SIZE = 50  # newest briefings in a feed
HOME_SIZE = 10  # newest briefings on the home page (and, in English, newest awaiting translation)


@dataclass(frozen=True)
class PageSpec:
    key: str  # unique and stable: the build cache knows a page by it
    kind: str  # Composer.page_<kind> renders it
    args: tuple[Any, ...]
    deps: tuple[Dependency, ...] = ()
    sitemap: tuple[str, ...] = ()  # paths below zh/ and en/ the sitemap lists for it


def page_count(items: int, size: int) -> int:
    """Pages of `size` items (an empty list still has its first page)."""
    return max(1, -(-items // size))


def page_specs(view: SiteView) -> list[PageSpec]:
    """Every file of the site, in output order; the sitemap last."""
    site = view.site
    size = LIST_PAGE_SIZE
    # one dependency object per thing, shared by every page that shows it (a signer resolves
    # each object once)
    card = {b.slug: BriefingCard(b.slug) for b in view.briefings}
    names = {e.id: NamesOf(e.id) for e in site.enterprises}
    cards = tuple(card[b.slug] for b in view.briefings)
    terms_all = Value(tuple((t.kind, t.id) for t in (*site.districts, *site.industries)))
    names_all = tuple(names.values())
    counts = Value(tuple(sorted(view.term_counts().items())))
    list_pages = page_count(len(view.briefings), size)
    text = {b.slug: BriefingText(b.slug) for b in view.briefings}
    # the Open Graph image is drawn from the settings alone (render/ogimage.py)
    specs = [PageSpec("static", "static", ()), PageSpec("og-image", "og_image", ()),
             PageSpec("root", "root", (), cards[:1])]
    if site.media:  # the images briefings show: which files, and their bytes' hashes
        specs.append(PageSpec("media", "media", (), (Value(tuple((k, v.digest) for k, v in site.media.items())),)))
    bylines = Value(("pen-names", view.pen_name_key()))  # how bylines read (pages and feeds show them)
    terminology = Value(tuple((t.zh, t.en, t.kind, t.aliases_zh, t.note) for t in site.terms))

    def picked(briefings: list, *groups: list) -> tuple[Dependency, ...]:
        """A page that picks some briefings: which it picked, and their cards."""
        return (Value(tuple(tuple(b.slug for b in group) for group in groups)), *(card[b.slug] for b in briefings))

    def feed_deps(lang: str, listed: list, briefings: list) -> tuple[Dependency, ...]:
        """A feed of `listed`'s newest published briefings (`briefings`), and its own time; in
        English also how much of each is machine-translated (the entries' notes)."""
        # (a count of segments matters only for an entry that has machine-translated ones)
        notes = tuple((m, total if m else 0) for m, total in map(view.machine_count, briefings)) if lang == "en" else ()
        return (*picked(briefings, briefings), bylines, Value(("updated", view.feed_updated(listed, briefings))),
                Value(("notes", notes)))

    def indexed(lang: str, path: str) -> tuple[str, ...]:
        """A page pair is listed once in the sitemap (with its Chinese page)."""
        return (path[len(lang) + 1:],) if lang == "zh" else ()

    for lang in LANGS:
        published, awaiting = view.home_selection(lang, HOME_SIZE)
        specs.append(PageSpec(f"home:{lang}", "home", (lang, HOME_SIZE),
                              (*picked(published + awaiting, published, awaiting), Value(len(view.pending_en)),
                               counts, terms_all, Value(len(site.enterprises))),
                              indexed(lang, Urls.home(lang))))
        for page in range(1, list_pages + 1):
            # a page depends on its own briefings (and how many pages there are) only
            specs.append(PageSpec(f"list:{lang}:{page}", "list", (lang, page, list_pages, size),
                                  (*cards[(page - 1) * size:page * size], Value(list_pages)),
                                  indexed(lang, Urls.briefings(lang, page))))
        for b in view.briefings:
            # the page names its enterprises (links, JSON-LD): their names, not their entries
            specs.append(PageSpec(f"b:{lang}:{b.slug}", "briefing", (lang, b.slug),
                                  (text[b.slug], MentionsIn(b.slug), bylines,
                                   *(names.get(i) or NamesOf(i) for i in view.named[b.slug])),
                                  indexed(lang, Urls.briefing(lang, b.slug))))
        for kind, terms in (("district", site.districts), ("industry", site.industries)):
            specs.append(PageSpec(f"terms:{lang}:{kind}", "terms", (lang, kind), (counts,),
                                  indexed(lang, Urls.terms(lang, kind))))
            for term in terms:
                # one spec per page of the term's briefings, like the briefings list; the feed
                # (newest FEED_SIZE) is a spec of its own
                briefings = view.term_briefings(term)
                ents = tuple(names[e.id] for e in view.term_enterprises(term))
                pages = page_count(len(briefings), size)
                for page in range(1, pages + 1):
                    shown = briefings[(page - 1) * size:page * size]
                    specs.append(PageSpec(f"t:{lang}:{kind}:{term.id}:{page}", "term",
                                          (lang, kind, term.id, page, pages, size),
                                          (*(card[b.slug] for b in shown), Value(pages), *ents),
                                          indexed(lang, Urls.term(lang, kind, term.id, page))))
                specs.append(PageSpec(f"tfeed:{lang}:{kind}:{term.id}", "feed", (lang, kind, term.id, FEED_SIZE),
                                      feed_deps(lang, briefings, view.feed_selection(briefings, lang, FEED_SIZE))))
        specs.append(PageSpec(f"ents:{lang}", "enterprises", (lang,), names_all, indexed(lang, Urls.enterprises(lang))))
        specs.append(PageSpec(f"terminology:{lang}", "terminology", (lang,), (terminology,),
                              indexed(lang, Urls.terminology(lang))))
        for ent in site.enterprises:
            relations = view.relations(ent)
            deps: list[Dependency] = [EntryOf(ent.id), Value(tuple(kind for kind, _other in relations))]
            deps += [names[other.id] for _kind, other in relations]
            for b, seg_id in view.mentions.get(ent.id, []):
                deps.append(card[b.slug])
                if seg_id:
                    deps.append(QuotedSentence(b.slug, seg_id))
            specs.append(PageSpec(f"e:{lang}:{ent.id}", "enterprise", (lang, ent.id), tuple(deps),
                                  indexed(lang, Urls.enterprise(lang, ent.id))))
        specs.append(PageSpec(f"search:{lang}", "search", (lang,), (), indexed(lang, Urls.search(lang))))
        specs.append(PageSpec(f"feed:{lang}", "feed", (lang, None, None, FEED_SIZE),
                              feed_deps(lang, view.briefings, view.feed_selection(view.briefings, lang, FEED_SIZE))))
    for b in view.briefings:
        # one spec for both languages' side-by-side pages (same rows; both show only the briefing)
        specs.append(PageSpec(f"p:{b.slug}", "parallel", (b.slug,), (text[b.slug],)))
    specs.append(PageSpec("robots", "robots", ()))
    tails = tuple(sorted({tail for spec in specs for tail in spec.sitemap}))
    # a briefing awaiting translation is listed in Chinese alone, without an English alternate
    zh_only = tuple(sorted(Urls.briefing("zh", b.slug)[3:] for b in view.briefings if b.slug in view.pending_en))
    # a briefing's lastmod is its date, else the day ingest first saw it (never the build's time)
    lastmod = tuple((Urls.briefing("zh", b.slug)[3:], day) for b in view.briefings
                    if (day := b.date or site.first_seen.get(b.slug)))
    specs.append(PageSpec("sitemap", "sitemap", (tails, zh_only, lastmod), (Value((tails, zh_only, lastmod)),)))
    return specs

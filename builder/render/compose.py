"""Composing pages: a page spec (pages.py) becomes output files through the theme's templates.

Language alternates: every page names its counterpart (hreflang zh-Hans / en) and uses the
Chinese original as x-default; the root language chooser is x-default for the two home pages.
Segment ids become HTML ids with dots replaced (s1.p2.3 -> #s1-p2-3); section anchors s0, s1 …
are the same in both languages, so the language switcher can keep the reader's place.
A feed entry's `updated` is the briefing's date, else the day ingest first saw it, else
SOURCE_DATE_EPOCH when that is set; a briefing with none of them is left out of the feeds
(views.SiteView.stamp): never the wall clock, never 1970.

A briefing whose English is below the `publish_en` rule (render/publish.py) has a
"translation pending" English page: noindex, no `data-pagefind-body` (out of search), no
hreflang pair (neither page names the other as its translation; the language switch stays),
out of the English feeds and the sitemap; English lists show it under "Awaiting translation".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from builder.config import Config
from builder.markdown import img_html, plain_text
from builder.model import Briefing, Enterprise, Figure, Term
from builder.render.fastpath import SegmentMarkup
from builder.render.strings import Strings
from builder.render.urls import HTML_LANG, LANGS, OTHER, Urls
from builder.render.views import Footnotes, SiteView, dom_id

Output = tuple[str, bytes]


OG_IMAGE = "og.png"  # the site's Open Graph image, written by page_og_image (beside sitemap.xml: in the golden site)
TOC_MIN_SECTIONS = 3  # headed sections from which a briefing page lists its contents


class Composer:
    """Renders page specs. `render(kind, args)` returns the files of one spec."""

    def __init__(self, view: SiteView, config: Config, env: jinja2.Environment, strings: Strings,
                 markup: SegmentMarkup, theme: Path):
        self.view = view
        self.config = config
        self.env = env
        self.strings = strings
        self.markup = markup
        self.theme = theme
        self.urls = Urls(config.base_path, config.origin)
        self.env.globals.update(url=self.urls.url, absolute=self.urls.absolute, U=Urls,
                                html_lang=HTML_LANG, other=OTHER, romanise=view.pinyin.romanise,
                                plural=strings.plural, day=strings.date)
        self._links: dict[str, dict[str, str]] = {}
        self._outputs: list[Output] = []

    def render(self, kind: str, args: tuple[Any, ...]) -> list[Output]:
        self._outputs = []
        getattr(self, "page_" + kind)(*args)
        outputs, self._outputs = self._outputs, []
        return outputs

    def warm(self) -> None:
        """Compile every template and work out every pinyin once (before forking workers)."""
        for name in self.env.list_templates():
            if not name.startswith("."):
                self.env.get_template(name)
        self.view.warm_pinyin()

    # -- helpers -----------------------------------------------------------------------------
    def t(self, lang: str) -> Any:
        return lambda key, **values: self.strings.get(lang, key, **values)

    def emit(self, path: str, data: str | bytes) -> None:
        self._outputs.append((path, data.encode("utf-8") if isinstance(data, str) else data))

    def site_links(self, lang: str) -> dict[str, str]:
        """The URLs every page's masthead, head and footer link to, once per language."""
        if lang not in self._links:
            url = self.urls.url
            self._links[lang] = dict(
                home=url(Urls.home(lang)), briefings=url(Urls.briefings(lang)),
                districts=url(Urls.terms(lang, "district")), industries=url(Urls.terms(lang, "industry")),
                enterprises=url(Urls.enterprises(lang)), search=url(Urls.search(lang)), feed=url(Urls.feed(lang)),
                root=url(""), style=url("static/style.css"), favicon=url("static/favicon.svg"),
                script=url("static/site.js"), og_image=self.urls.absolute(OG_IMAGE))
        return self._links[lang]

    def page(self, template: str, path: str, lang: str | None, alternates: bool = True, **context: Any) -> None:
        """Render one HTML page to `<path>index.html` (path is directory style)."""
        out = path + "index.html" if (path.endswith("/") or not path) else path
        tail = path[len(lang) + 1:] if lang else path
        alt = {}
        if lang and alternates:
            alt = {"zh": f"zh/{tail}", "en": f"en/{tail}"}
        ctx: dict[str, Any] = dict(
            lang=lang or "zh", t=self.t(lang or "zh"), links=self.site_links(lang or "zh"), path=path,
            config=self.config, alternates=alt, canonical=self.urls.absolute(path),
            noindex=False, jsonld=None, og_type="website", description=None,
            feed=None, pagefind=False, is_bilingual=lang is None, hreflang=bool(alt),
        )
        ctx.update(context)
        if ctx["jsonld"] is not None:
            ctx["jsonld"] = Markup(_json_script(ctx["jsonld"]))
        self.emit(out, self.env.get_template(template).render(**ctx))

    def seg_html(self, b: Briefing, seg: Any, lang: str, linked_ids: set[str] | None, notes: Footnotes | None,
                 with_id: bool = True, tags: bool = True) -> Markup:
        return Markup(self.markup.segment(b, seg, lang, linked_ids, notes, with_id, tags))

    def ent_name(self, ent: Enterprise, lang: str) -> str:
        return ent.name_zh if lang == "zh" else ent.name_en

    def term_label(self, term: Term, lang: str) -> str:
        return term.zh if lang == "zh" else term.en

    # -- pages ---------------------------------------------------------------------------------
    def page_static(self) -> None:
        static = self.theme / "static"
        if static.is_dir():
            for file in sorted(static.rglob("*")):
                if file.is_file():
                    self.emit("static/" + file.relative_to(static).as_posix(), file.read_bytes())

    def page_og_image(self) -> None:
        from builder.render.ogimage import og_png

        self.emit(OG_IMAGE, og_png(self.config.title_en))

    def page_media(self) -> None:
        """The files of content/media/ that briefings show, copied as they are."""
        for rel in self.view.site.media:
            self.emit(rel, (self.config.content / rel).read_bytes())

    def page_root(self) -> None:
        self.page("root.html", "", None, alternates=False,
                  t_zh=self.t("zh"), t_en=self.t("en"), latest=self.view.briefings[:1])
        self.emit("404.html", self.env.get_template("404.html").render(
            lang="zh", t=self.t("zh"), t_zh=self.t("zh"), t_en=self.t("en"), links=self.site_links("zh"),
            path="404.html", config=self.config, alternates={}, canonical=None, noindex=True, jsonld=None,
            og_type="website", description=None, feed=None, pagefind=False, is_bilingual=True, hreflang=False))

    def page_robots(self) -> None:
        self.emit("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute('sitemap.xml')}\n")

    def cards(self, briefings: list[Briefing], lang: str) -> tuple[list[tuple[Briefing, Any]], list[tuple[Briefing, Any]]]:
        """(published, awaiting translation) as (briefing, card) pairs; in Chinese all are published."""
        published, awaiting = self.view.split(briefings, lang)
        return ([(b, self.view.briefing_meta(b, lang)) for b in published],
                [(b, self.view.briefing_meta(b, lang)) for b in awaiting])

    def page_home(self, lang: str, size: int) -> None:
        view = self.view
        published, awaiting = view.home_selection(lang, size)
        self.page("home.html", Urls.home(lang), lang,
                  items=[(b, view.briefing_meta(b, lang)) for b in published],
                  awaiting=[(b, view.briefing_meta(b, lang)) for b in awaiting], awaiting_count=len(view.pending_en) if lang == "en" else 0,
                  counts=view.term_counts(), feed=Urls.feed(lang), site_districts=view.site.districts,
                  site_industries=view.site.industries, enterprise_count=len(view.site.enterprises),
                  description=self.config.description_zh if lang == "zh" else self.config.description_en)

    def page_list(self, lang: str, page: int, pages: int, size: int) -> None:
        items, awaiting = self.cards(self.view.briefings[(page - 1) * size:page * size], lang)
        self.page("briefings.html", Urls.briefings(lang, page), lang, feed=Urls.feed(lang),
                  items=items, awaiting=awaiting,
                  list_page=page, list_pages=pages,
                  newer=Urls.briefings(lang, page - 1) if page > 1 else None,
                  older=Urls.briefings(lang, page + 1) if page < pages else None)

    def page_briefing(self, lang: str, slug: str) -> None:
        """A briefing, and a redirect from each of its old slugs."""
        view = self.view
        b = view.site_briefing(slug)
        meta = view.briefing_meta(b, lang)
        path = Urls.briefing(lang, b.slug)
        pending = view.pending(b, lang)
        # English that is not a person's is never claimed as the headline unlabelled: the
        # headline is the page's title with its labels ("… (machine-translated)"), and the
        # Chinese headline it translates is under translationOfWork
        jsonld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "headline": meta["head_title"], "inLanguage": HTML_LANG[lang],
            "url": self.urls.absolute(path), "mainEntityOfPage": self.urls.absolute(path),
            "author": [{"@type": "Organization", "name": a["name"], **({"description": a["note"]} if a["note"] else {})}
                       if a["pen_name"] else {"@type": "Person", "name": a["name"]} for a in meta["bylines"]],
            "about": [{"@type": "Organization", "name": self.ent_name(e, lang),
                       "url": self.urls.absolute(Urls.enterprise(lang, e.id))} for e in view.briefing_enterprises(b)],
            "publisher": {"@type": "Organization",
                          "name": self.config.title_zh if lang == "zh" else self.config.title_en},
        }
        if b.date:
            jsonld["datePublished"] = b.date
        if lang == "en":
            jsonld["translationOfWork"] = {"@type": "NewsArticle", "headline": b.title.zh, "inLanguage": HTML_LANG["zh"],
                                           "url": self.urls.absolute(Urls.briefing("zh", b.slug))}
            if pending:
                jsonld["creativeWorkStatus"] = "Incomplete"
            elif meta["machine"] or meta["untranslated"]:
                jsonld["creativeWorkStatus"] = self.search_label(meta, lang)
        if b.source and b.source.publication:
            jsonld["isBasedOn"] = {"@type": "CreativeWork", "name": meta["publication"].text}
        # a pair of pages names each other as translations only when the English is published
        pair = not view.pending(b, "en")
        self.page("briefing.html", path, lang, b=b, meta=meta, view=self.briefing_body(b, lang),
                  prov=view.provenance(b), flags=view.flag_summary(b, lang) if lang == "en" and view.provenance(b)["flagged"] else [],
                  enterprises=view.sort_enterprises(view.briefing_enterprises(b), lang),
                  jsonld=jsonld, og_type="article", description=meta["head_summary"], pagefind=not pending,
                  noindex=pending, hreflang=pair, pending=pending, pending_reasons=view.readiness[b.slug].reasons(),
                  search_label=self.search_label(meta, lang))
        # every page an old slug had moves: the briefing and its side-by-side page
        for alias in b.aliases:
            for old, target in ((Urls.briefing(lang, alias), Urls.briefing(lang, b.slug)),
                                (Urls.parallel(lang, alias), Urls.parallel(lang, b.slug))):
                self.page("redirect.html", old, lang, alternates=False, target=target,
                          noindex=True, canonical=self.urls.absolute(target))

    def search_label(self, meta: dict[str, Any], lang: str) -> str:
        """What a search result of an English page says of its translation (Pagefind meta)."""
        if lang == "zh":
            return ""
        parts = [self.strings.get(lang, f"label.partly_{kind}", count=meta[key], total=meta["total"])
                 for kind, key in (("machine", "machine"), ("missing", "untranslated")) if meta[key]]
        return self.strings.get(lang, "label.sep").join(parts)

    def briefing_body(self, b: Briefing, lang: str) -> dict[str, Any]:
        """The briefing's title, sections (paragraphs and figures in place) and footnotes as HTML."""
        notes = Footnotes()
        sections = []
        figures_by_place: dict[tuple[str, int], list] = {}
        for index, fig in enumerate(b.figures, 1):
            figures_by_place.setdefault((fig.section, fig.after_paragraph), []).append(dict(
                id=f"fig{index}", image=self.figure_image(b, fig, lang),
                caption=self.seg_html(b, fig.caption, lang, None, notes),
                credit=self.seg_html(b, fig.credit, lang, None, notes) if fig.credit else None))
        segment = self.markup.segment
        for section in b.sections:
            linked: set[str] = set()
            blocks = [dict(kind="figure", figure=f) for f in figures_by_place.get((section.anchor, 0), [])]
            for p_index, paragraph in enumerate(section.paragraphs, 1):
                if paragraph.kind == "p":
                    # English sentences need a space between them; Chinese ones do not
                    joiner = " " if lang == "en" else ""
                    html = Markup(joiner.join([segment(b, s, lang, linked, notes) for s in paragraph.sentences]))
                    blocks.append(dict(kind="p", html=html))
                else:  # a list, quote, table, rule or code: its HTML around its segments
                    blocks.append(dict(kind="html", html=Markup(self.markup.block(b, paragraph, lang, linked, notes))))
                blocks.extend(dict(kind="figure", figure=f) for f in figures_by_place.get((section.anchor, p_index), []))
            sections.append(dict(
                anchor=section.anchor,
                heading=self.seg_html(b, section.heading, lang, None, notes) if section.heading else None,
                subheading=self.seg_html(b, section.subheading, lang, None, notes) if section.subheading else None,
                blocks=blocks))
        title = self.seg_html(b, b.title, lang, None, notes)
        # a contents list for a briefing of TOC_MIN_SECTIONS headed sections or more: the
        # headings as they stand for the section (Chinese, marked, when there is no English)
        headed = [(section.anchor, self.view.display(b, section.heading, lang)) for section in b.sections
                  if section.heading]
        toc = [dict(anchor=anchor, text=text, zh=lang != "zh" and label in ("missing", "flagged"), label=label)
               for anchor, (text, label) in headed] if len(headed) >= TOC_MIN_SECTIONS else []
        return dict(title=title, sections=sections, notes=notes.items, toc=toc)

    def figure_image(self, b: Briefing, fig: Figure, lang: str) -> Markup | None:
        """A figure's <img> (its caption, as plain text in `lang`, for alt), or None when the
        figure has no image or its file is missing (load_site reported it)."""
        size = self.view.site.media.get(fig.image) if fig.image else None
        if fig.image is None or size is None:
            return None
        alt = plain_text(self.view.shown(b, fig.caption, lang).text)
        return Markup(img_html(self.urls.url(fig.image), alt, size))

    def page_parallel(self, slug: str) -> None:
        """Both languages' side-by-side pages: they show the same rows, worked out once."""
        b = self.view.site_briefing(slug)
        rows = self.markup.parallel_rows(b)
        for lang in LANGS:
            meta = self.view.briefing_meta(b, lang)
            self.page("parallel.html", Urls.parallel(lang, b.slug), lang, b=b, meta=meta,
                      rows_html=Markup(self.markup.parallel_table(rows, lang)), prov=self.view.provenance(b),
                      noindex=True, canonical=self.urls.absolute(Urls.parallel(lang, b.slug)))

    def page_terms(self, lang: str, kind: str) -> None:
        counts = self.view.term_counts()
        terms = self.view.site.districts if kind == "district" else self.view.site.industries
        self.page("terms.html", Urls.terms(lang, kind), lang, kind=kind,
                  terms=[(term, counts.get(f"{kind}:{term.id}", 0)) for term in terms])

    def page_term(self, lang: str, kind: str, term_id: str, page: int, pages: int, size: int) -> None:
        view = self.view
        term = view.term(kind, term_id)
        briefings, awaiting = self.cards(view.term_briefings(term)[(page - 1) * size:page * size], lang)
        self.page("term.html", Urls.term(lang, term.kind, term.id, page), lang, term=term,
                  briefings=briefings, awaiting=awaiting,
                  list_page=page, list_pages=pages,
                  newer=Urls.term(lang, term.kind, term.id, page - 1) if page > 1 else None,
                  older=Urls.term(lang, term.kind, term.id, page + 1) if page < pages else None,
                  enterprises=view.sort_enterprises(view.term_enterprises(term), lang),
                  feed=Urls.feed(lang, term.kind, term.id),
                  description=(term.description_zh if lang == "zh" else term.description_en) or None)

    def page_enterprises(self, lang: str) -> None:
        groups: dict[str, list] = {}
        for ent in self.view.sort_enterprises(self.view.site.enterprises, lang):
            key = (ent.name_en if lang == "en" else self.view.pinyin.sort_key(ent.name_zh)[0])[:1].upper()
            groups.setdefault(key if key.isalpha() else "#", []).append(ent)
        self.page("enterprises.html", Urls.enterprises(lang), lang, groups=list(groups.items()))

    def page_enterprise(self, lang: str, ent_id: str) -> None:
        view = self.view
        ent = view.enterprises[ent_id]
        mentions: list[dict[str, Any]] = []
        awaiting: list[dict[str, Any]] = []
        for b, seg_id in view.mentions.get(ent.id, []):
            sentence = None
            seg = view.segment(b, seg_id) if seg_id else None
            if seg is not None:
                shown = view.shown(b, seg, lang)
                label = None if lang == "zh" else "missing" if shown.status == "missing" else \
                    "flagged" if shown.flags else "machine" if shown.status == "machine" else None
                sentence = dict(html=self.seg_html(b, seg, lang, None, None, with_id=False, tags=False),
                                anchor=dom_id(seg.id), zh=shown.text_lang == "zh", label=label)
            (awaiting if view.pending(b, lang) else mentions).append(
                dict(b=b, meta=view.briefing_meta(b, lang), sentence=sentence))
        name = self.ent_name(ent, lang)
        path = Urls.enterprise(lang, ent.id)
        jsonld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Organization", "name": name,
            "alternateName": sorted({ent.name_zh, ent.name_en, ent.short_en, *ent.aliases_zh, *ent.aliases_en} - {name}),
            "url": self.urls.absolute(path)}
        district = view.districts.get(ent.district) if ent.district else None
        if district:
            jsonld["location"] = {"@type": "Place", "name": self.term_label(district, lang)}
        self.page("enterprise.html", path, lang, ent=ent, mentions=mentions, awaiting=awaiting,
                  relations=view.relations(ent),
                  pinyin=ent.pinyin or view.pinyin.with_tones(ent.name_zh), district=district,
                  industries=[view.industries[i] for i in ent.industries if i in view.industries],
                  jsonld=jsonld, og_type="profile", pagefind=True,
                  description=(ent.description_zh if lang == "zh" else ent.description_en) or None)

    def page_terminology(self, lang: str) -> None:
        """The terminology list grouped by kind (term, place, name, pen name), in the reader's
        sort order: English alphabetically, Chinese by pinyin."""
        groups: dict[str, list] = {}
        for term in self.view.site.terms:
            groups.setdefault(term.kind, []).append(term)
        order = ("term", "place", "name", "pen-name")
        kinds = sorted(groups, key=lambda k: (order.index(k) if k in order else len(order), k))
        pinyin = self.view.pinyin

        def key(term: Any) -> tuple:
            return (term.en.casefold(), term.zh) if lang == "en" else pinyin.sort_key(term.zh)

        self.page("terminology.html", Urls.terminology(lang), lang,
                  groups=[(kind, sorted(groups[kind], key=key)) for kind in kinds])

    def page_search(self, lang: str) -> None:
        self.page("search.html", Urls.search(lang), lang, noindex=False)

    def page_feed(self, lang: str, kind: str | None, term_id: str | None, size: int) -> None:
        """The newest `size` briefings as Atom (of one term, or of the whole site)."""
        view = self.view
        term = view.term(kind, term_id) if kind and term_id else None
        briefings = view.term_briefings(term) if term else view.briefings
        entries: list[dict[str, Any]] = []
        picked = view.feed_selection(briefings, lang, size)
        for b in picked:
            meta = view.briefing_meta(b, lang)
            # the note says how much is machine-translated (what is untranslated keeps the English
            # out of the feed under the default rule, and is labelled on the page)
            machine = self.strings.get(lang, "label.partly_machine", count=meta["machine"], total=meta["total"]) \
                if meta["machine"] else ""
            note = self.strings.get(lang, "feed.partly", label=machine) if machine else ""
            entries.append(dict(b=b, meta=meta, updated=view.stamp(b), note=note,
                                published=f"{b.date}T00:00:00Z" if b.date else None,
                                url=self.urls.absolute(Urls.briefing(lang, b.slug))))
        updated = view.feed_updated(briefings, picked)
        site_title = self.config.title_zh if lang == "zh" else self.config.title_en
        title = site_title if term is None else f"{self.term_label(term, lang)} · {site_title}"
        path = Urls.feed(lang, term.kind if term else None, term.id if term else None)
        page = Urls.term(lang, term.kind, term.id) if term else Urls.home(lang)
        xml = self.env.get_template("feed.xml").render(
            lang=lang, title=title, entries=entries, updated=updated, self_url=self.urls.absolute(path),
            page_url=self.urls.absolute(page), t=self.t(lang), config=self.config)
        self.emit(path, xml)

    def page_sitemap(self, tails: tuple[str, ...], zh_only: tuple[str, ...] = (),
                     lastmod: tuple[tuple[str, str], ...] = ()) -> None:
        """The language chooser at the root, then every page pair (the home pages have tail "");
        a page in `zh_only` (a briefing awaiting translation) is listed in Chinese alone. A
        tail in `lastmod` (a briefing's, with its day) gets that day as <lastmod>."""
        entries: list[dict[str, Any]] = [dict(loc=self.urls.absolute(""), alternates=[], lastmod=None)]
        single = set(zh_only)
        days = dict(lastmod)
        for tail in tails:
            if tail in single:
                entries.append(dict(loc=self.urls.absolute("zh/" + tail), alternates=[], lastmod=days.get(tail)))
                continue
            alts = [("zh-Hans", self.urls.absolute("zh/" + tail)), ("en", self.urls.absolute("en/" + tail)),
                    ("x-default", self.urls.absolute("zh/" + tail))]
            for lang in LANGS:
                entries.append(dict(loc=self.urls.absolute(f"{lang}/{tail}"), alternates=alts, lastmod=days.get(tail)))
        self.emit("sitemap.xml", self.env.get_template("sitemap.xml").render(entries=entries))


def _json_script(data: Any) -> str:
    # compact: with `indent`, json falls back to its pure-Python encoder
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

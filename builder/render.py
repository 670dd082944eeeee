"""Render the site in memory: Jinja2 over themes/<theme>/, both languages, feeds, sitemap.

`render_site(site, config)` returns `[(relative path, bytes)]` and touches no disk beyond
reading the theme. Every URL comes from one place, `Urls`, which knows the base path, so
the same content works at `/` and at `/xuzhou-briefing/`. Templates run with
StrictUndefined and autoescape; UI strings go through `t(key)`, which raises on a missing
key, so an English page can never show a Chinese label by accident.

Dates: pages and feeds use only the briefing's own date. A briefing without a date sorts
after dated ones (then by slug), and its feed `updated` stamp is SOURCE_DATE_EPOCH when
that is set, else 1970-01-01T00:00:00Z: never the wall clock.

Language alternates: every page names its counterpart (hreflang zh-Hans / en) and uses the
Chinese original as x-default; the root language chooser is x-default for the two home pages.
Segment ids become HTML ids with dots replaced (s1.p2.3 -> #s1-p2-3); section anchors s0, s1 …
are the same in both languages, so the language switcher can keep the reader's place.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

try:  # markupsafe's C escaper without the Markup wrapper: a third of escape()'s cost
    from markupsafe._speedups import _escape_inner as _esc
except ImportError:  # pure-Python markupsafe
    def _esc(text: str) -> str:
        return str(escape(text))

from builder.config import Config
from builder.errors import BuildError
from builder.glossary import MentionFinder
from builder.model import RELATION_INVERSE, Briefing, Enterprise, Segment, Site, Term, Translation
from builder.names import surname_length

LANGS = ("zh", "en")
LIST_PAGE_SIZE = 50  # briefings per page of the briefings list and of a term's page
FEED_SIZE = 50  # newest briefings in a feed
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
OTHER = {"zh": "en", "en": "zh"}


# ---- URLs: the one place that knows the base path ------------------------------------

@dataclass(frozen=True)
class Urls:
    base_path: str  # "/" or "/repo/"
    origin: str  # "https://user.github.io" (may be empty)

    def url(self, path: str = "") -> str:
        """Site-absolute URL for an output path: 'en/briefings/x/' -> '/repo/en/briefings/x/'."""
        path = path.lstrip("/")
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        return self.base_path + path

    def absolute(self, path: str = "") -> str:
        return self.origin + self.url(path)

    # page paths (output-relative, directory style)
    @staticmethod
    def home(lang: str) -> str:
        return f"{lang}/"

    @staticmethod
    def briefing(lang: str, slug: str) -> str:
        return f"{lang}/briefings/{slug}/"

    @staticmethod
    def parallel(lang: str, slug: str) -> str:
        return f"{lang}/briefings/{slug}/parallel/"

    @staticmethod
    def briefings(lang: str, page: int = 1) -> str:
        """The briefings list, LIST_PAGE_SIZE newest-first per page: page 1 is the list's own
        URL, later pages `…/briefings/page/<n>/` (no slug clash: a briefing's folder never
        has a numbered sub-folder)."""
        return f"{lang}/briefings/" if page <= 1 else f"{lang}/briefings/page/{page}/"

    @staticmethod
    def term(lang: str, kind: str, term_id: str, page: int = 1) -> str:
        """A district's or industry's briefings, paged like the briefings list: page 1 is the
        term's own URL, later pages `…/<term id>/page/<n>/`."""
        first = f"{lang}/{'districts' if kind == 'district' else 'industries'}/{term_id}/"
        return first if page <= 1 else f"{first}page/{page}/"

    @staticmethod
    def terms(lang: str, kind: str) -> str:
        return f"{lang}/{'districts' if kind == 'district' else 'industries'}/"

    @staticmethod
    def enterprise(lang: str, ent_id: str) -> str:
        return f"{lang}/enterprises/{ent_id}/"

    @staticmethod
    def enterprises(lang: str) -> str:
        return f"{lang}/enterprises/"

    @staticmethod
    def search(lang: str) -> str:
        return f"{lang}/search/"

    @staticmethod
    def feed(lang: str, kind: str | None = None, term_id: str | None = None) -> str:
        if kind:
            return Urls.term(lang, kind, term_id) + "feed.xml"
        return f"{lang}/feed.xml"


# ---- UI strings --------------------------------------------------------------------

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strings:
    def __init__(self, theme_dir: Path):
        self.tables: dict[str, dict[str, str]] = {}
        for lang in LANGS:
            path = theme_dir / "i18n" / f"{lang}.yaml"
            try:
                # libyaml when PyYAML has it (the pure-Python loader is most of a small rebuild's
                # cost of reading two short files)
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
            except FileNotFoundError:
                raise BuildError(str(path), None, "UI strings file is missing") from None
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise BuildError(str(path), mark.line + 1 if mark else None,
                                 f"invalid YAML: {getattr(exc, 'problem', exc)}") from None
            if not isinstance(data, dict):
                raise BuildError(str(path), 1, "UI strings must be a mapping of key: text")
            self.tables[lang] = {str(k): str(v) for k, v in data.items()}

    def get(self, lang: str, key: str, **values) -> str:
        try:
            text = self.tables[lang][key]
        except KeyError:
            raise BuildError(f"i18n/{lang}.yaml", None, f"missing UI string '{key}'") from None
        return text.format(**values) if values else text


# ---- names ------------------------------------------------------------------------

# Pinyin results, kept between builds by the build cache (importing pypinyin alone takes
# longer than an incremental build should): (kind, text) -> result.
PINYIN: dict[tuple[str, str], object] = {}


def _pinyin(kind: str, text: str):
    key = (kind, text)
    if key not in PINYIN:
        from pypinyin import Style, lazy_pinyin

        style = Style.TONE if kind == "tone" else Style.NORMAL
        PINYIN[key] = tuple(lazy_pinyin(text, style=style))
    return PINYIN[key]


def romanise_name(name: str) -> str:
    """Chinese personal name -> pinyin, surname first: 马壮壮 -> Ma Zhuangzhuang."""
    name = name.strip()
    if not re.search(r"[\u4e00-\u9fff]", name):
        return name
    surname_len = surname_length(name)
    surname = "".join(_pinyin("normal", name[:surname_len]))
    given = "".join(_pinyin("normal", name[surname_len:]))
    parts = [p for p in (surname.capitalize(), given.capitalize()) if p]
    return " ".join(parts)


@functools.cache
def pinyin_key(text: str) -> tuple:
    return (" ".join(_pinyin("normal", text)).lower(), text)


def pinyin_of(text: str) -> str:
    return " ".join(_pinyin("tone", text))


# ---- segment text with status, mentions and notes -------------------------------------

@dataclass
class Shown:
    """What a reader sees for one segment in one language."""

    seg: Segment
    lang: str
    text: str
    status: str  # zh | reviewed | machine | missing
    flags: tuple[str, ...] = ()
    note: str = ""

    @property
    def text_lang(self) -> str:
        return "zh" if self.status in ("zh", "missing") else "en"


def shown_of(seg: Segment, lang: str, tr: Translation | None) -> Shown:
    """`seg` as shown in `lang`, given its translation (`tr`, for English)."""
    if lang == "zh":
        return Shown(seg, lang, seg.zh, "zh")
    if tr is None or not tr.en or tr.status in ("missing", "stale"):
        return Shown(seg, lang, seg.zh, "missing", note=tr.note if tr else "")
    status = "reviewed" if tr.status == "reviewed" else "machine"
    return Shown(seg, lang, tr.en, status, tuple(tr.flags), tr.note)


def body_segments(b: Briefing):
    for section in b.sections:
        for paragraph in section.paragraphs:
            yield from paragraph.sentences


def forms_fingerprint(finders: dict[str, MentionFinder]) -> str:
    """Hash of every name form the finders match (analyses are only reused under the same)."""
    return _digest(sorted(finders["zh"].by_form.items()), sorted(finders["en"].by_form.items()))


def analyse(b: Briefing, table, finders: dict[str, MentionFinder],
            sign: bool = True) -> tuple[dict[str, Segment | None], str | None]:
    """Which enterprises `b` names: enterprise id -> first body sentence naming it (None:
    listed in front matter only), and (with `sign`) a hash of every mention its Chinese and
    English text shows, on which the links of its pages depend. `table`: its translations."""
    firsts: dict[str, Segment | None] = {}
    english = []
    for seg in body_segments(b):
        for ent_id in finders["zh"].ids(seg.zh):
            firsts.setdefault(ent_id, seg)
        if sign:
            shown = shown_of(seg, "en", table.get(seg.id))
            english.append([(m.start, m.end, m.enterprise) for m in finders[shown.text_lang].find(shown.text)])
    for ent_id in b.enterprises:
        firsts.setdefault(ent_id, None)
    if not sign:
        return firsts, None
    # what links an English page shows depends on these, not only on the briefing's text
    return firsts, _digest(sorted((k, v.id if v else None) for k, v in firsts.items()), english)


def card_fingerprint(b: Briefing, table) -> str:
    """Hash of everything a briefing's card shows (briefing lists, term pages, feeds, the home
    page, enterprise pages): what Renderer._briefing_meta reads, plus slug and date. Lists
    depend on this, not on the whole text, so an edit further down re-renders only the
    briefing's own pages."""
    first = next((p for section in b.sections for p in section.paragraphs), None)
    segs = [b.title, b.publication, b.series.name if b.series else None, *(first.sentences if first else ())]
    # a Translation's repr is all its fields (it has no source line to leave out)
    return _digest(b.slug, b.date, b.series.part if b.series else None, tuple(b.authors), tuple(b.districts),
                   tuple(b.industries), [(s.id, s.zh, table.get(s.id)) if s else None for s in segs])


def sentence_fingerprint(seg: Segment, table) -> str:
    """Hash of what an enterprise page quotes of a sentence (its Chinese and its English)."""
    return _digest(seg.id, seg.zh, table.get(seg.id))


def analysis_entry(b: Briefing, table, firsts: dict[str, Segment | None], sig: str) -> tuple:
    """What the build cache keeps of an analysis (segment ids, not segments), with the
    fingerprints of the briefing's card and of each sentence enterprise pages quote."""
    return ([(k, v.id if v else None) for k, v in firsts.items()], sig, card_fingerprint(b, table),
            {v.id: sentence_fingerprint(v, table) for v in firsts.values() if v is not None})


def cached_analysis(analysis: dict, b: Briefing, fp: str | None, table, finders: dict[str, MentionFinder],
                    forms_fp: str) -> tuple:
    """`b`'s analysis entry (analysis_entry) from `analysis`, the dict the build cache keeps
    by (slug, fingerprint of its text and translations, glossary forms); worked out and
    added when missing."""
    key = (b.slug, fp, forms_fp)
    entry = analysis.get(key)
    if entry is None:
        firsts, sig = analyse(b, table, finders)
        entry = analysis[key] = analysis_entry(b, table, firsts, sig)
    return entry


class Footnotes:
    def __init__(self):
        self.items: list[tuple[int, str, str]] = []  # (number, segment dom id, note)

    def add(self, dom_id: str, note: str) -> int:
        number = len(self.items) + 1
        self.items.append((number, dom_id, note))
        return number


def dom_id(segment_id: str) -> str:
    """Segment id -> HTML id: s1.p2.3 -> s1-p2-3 (dots would need escaping in CSS)."""
    return segment_id.replace(".", "-")


class Renderer:
    """Renders the site as a list of jobs (one page, or a page and its feed); see `jobs()`.

    `fingerprints` (slug -> hash of the briefing's files, from the build cache) turns on job
    signatures: a hash of everything a job's output depends on, so an incremental build
    re-renders only jobs whose signature changed. `analysis` (a dict the caller keeps between
    builds) remembers which enterprises each briefing names, so unchanged briefings are not
    scanned again."""

    def __init__(self, site: Site, config: Config, fingerprints: dict[str, str] | None = None,
                 analysis: dict | None = None, global_fp: str = "", bytecode_dir: Path | None = None):
        self.site = site
        self.config = config
        self.urls = Urls(config.base_path, config.origin)
        theme = config.theme_dir
        if not (theme / "templates").is_dir():
            raise BuildError(str(theme), None, f"theme '{config.theme}' has no templates/ folder")
        self.theme = theme
        self.strings = Strings(theme)
        # global_fp covers the theme's files, the config and the code: equal -> same templates
        env_key = (str(theme), global_fp) if global_fp else None
        self.env = _ENVS.get(env_key) if env_key else None
        if self.env is None:
            self.env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(str(theme / "templates")),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
                auto_reload=False,  # compile each template once, never stat it again
            )
            if bytecode_dir is not None:
                self.env.bytecode_cache = _bytecode_cache(bytecode_dir, self.env)
            if env_key:
                _ENVS.clear()
                _ENVS[env_key] = self.env
        self.env.globals.update(url=self.urls.url, absolute=self.urls.absolute, U=Urls,
                                html_lang=HTML_LANG, other=OTHER, romanise=romanise_name)
        self.finders = _finders(site.enterprises)
        self.enterprises = {e.id: e for e in site.enterprises}
        self.districts = {t.id: t for t in site.districts}
        self.industries = {t.id: t for t in site.industries}
        self.briefings = sorted(site.briefings, key=lambda b: (b.date is None, _neg_date(b.date), b.slug))
        self.outputs: list[tuple[str, bytes]] = []
        self.pages: list[str] = []  # html page paths for the sitemap (language pairs share a tail)
        self._ent_ids: dict[str, list[str]] = {}  # slug -> enterprise ids named or listed, sorted
        self._mention_sig: dict[str, str] = {}  # slug -> hash of the mentions found in its text
        self._cards: dict[str, str] = {}  # slug -> card_fingerprint
        self._tokens: dict = {}  # dependency -> its part of a signature (signature())
        self._sentences: dict[str, dict[str, str]] = {}  # slug -> {segment id -> sentence_fingerprint}
        self.fingerprints = fingerprints
        self.analysis = analysis if analysis is not None else {}
        self.global_fp = global_fp
        self._inverse: dict[str, set] | None = None  # enterprise id -> inverse relations
        self._metas: dict[tuple[str, str], dict] = {}
        self._provenance: dict[str, dict] = {}
        self._seg_labels: dict[str, dict[str, str]] = {}
        self._links: dict[str, dict[str, str]] = {}
        self.forms_fp = forms_fingerprint(self.finders)
        self.mentions = self._collect_mentions()

    # -- helpers ------------------------------------------------------------------------
    def t(self, lang: str):
        return lambda key, **values: self.strings.get(lang, key, **values)

    def translation(self, briefing: Briefing, seg: Segment) -> Translation | None:
        return self.site.translations.get(briefing.slug, {}).get(seg.id)

    def shown(self, briefing: Briefing, seg: Segment, lang: str) -> Shown:
        return shown_of(seg, lang, None if lang == "zh" else self.translation(briefing, seg))

    def plain(self, briefing: Briefing, seg: Segment | None, lang: str) -> str:
        return self.shown(briefing, seg, lang).text if seg else ""

    def term_label(self, term: Term, lang: str) -> str:
        return term.zh if lang == "zh" else term.en

    def ent_name(self, ent: Enterprise, lang: str) -> str:
        return ent.name_zh if lang == "zh" else ent.name_en

    def linked(self, text: str, text_lang: str, page_lang: str, linked_ids: set[str] | None) -> Markup:
        """Escape `text`, linking the first mention of each enterprise not yet in `linked_ids`."""
        return Markup(self._linked(text, text_lang, page_lang, linked_ids))

    def _linked(self, text: str, text_lang: str, page_lang: str, linked_ids: set[str] | None) -> str:
        if linked_ids is None:
            return _esc(text)
        out = []
        pos = 0
        # plain string building with escape() (C): Markup.format is the slow path at 50k segments
        for m in self.finders[text_lang].find(text):
            if m.enterprise in linked_ids:
                continue
            linked_ids.add(m.enterprise)
            out.append(_esc(text[pos:m.start]))
            out.append(f'<a class="ent" href="{_esc(self.urls.url(Urls.enterprise(page_lang, m.enterprise)))}">'
                       f'{_esc(text[m.start:m.end])}</a>')
            pos = m.end
        out.append(_esc(text[pos:]))
        return "".join(out)

    def seg_html(self, briefing: Briefing, seg: Segment, lang: str, linked_ids: set[str] | None,
                 notes: Footnotes | None, with_id: bool = True, tags: bool = True) -> Markup:
        return Markup(self._seg_html(briefing, seg, lang, linked_ids, notes, with_id, tags))

    def _labels(self, lang: str) -> dict[str, str]:
        """The segment tags' UI strings, escaped once per language."""
        if lang not in self._seg_labels:
            self._seg_labels[lang] = {key: _esc(self.strings.get(lang, key)) for key in (
                "seg.machine_title", "seg.missing_tag", "seg.machine_link_title", "seg.machine_tag", "seg.flag_tag")}
        return self._seg_labels[lang]

    def _seg_html(self, briefing: Briefing, seg: Segment, lang: str, linked_ids: set[str] | None,
                  notes: Footnotes | None, with_id: bool = True, tags: bool = True) -> str:
        """seg_html as a plain string (the hot path: ~100 segments a page, 4,000 pages)."""
        shown = self.shown(briefing, seg, lang)
        status = shown.status
        classes = "seg"
        attrs = ""
        if status == "machine" or status == "missing":
            classes += " " + status
        if shown.flags:
            classes += " flagged"
        if lang == "en" and shown.text_lang == "zh":
            attrs += ' lang="zh-Hans"'
        labels = self._labels(lang)
        if status == "machine":
            attrs += f' title="{labels["seg.machine_title"]}"'
        body = self._linked(shown.text, shown.text_lang, lang, linked_ids)
        extra = ""
        if not tags:
            pass
        elif status == "missing":
            href = _esc(self.urls.url(Urls.briefing("zh", briefing.slug)) + "#" + dom_id(seg.id))
            extra += f'<a class="tag tag-missing" href="{href}" lang="en">{labels["seg.missing_tag"]}</a>'
        elif status == "machine":
            href = _esc(self.urls.url(Urls.briefing("zh", briefing.slug)) + "#" + dom_id(seg.id))
            extra += (f'<a class="tag tag-mt" href="{href}" title="{labels["seg.machine_link_title"]}">'
                      f'{labels["seg.machine_tag"]}</a>')
        if shown.flags and tags:
            flags_title = _esc(self.strings.get(lang, "seg.flag_title", flags=", ".join(shown.flags)))
            extra += f'<span class="tag tag-flag" title="{flags_title}">{labels["seg.flag_tag"]}</span>'
        if shown.note and notes is not None and lang == "en":
            number = notes.add(dom_id(seg.id), shown.note)
            extra += f'<sup class="fnref"><a href="#fn{number}" id="fnref{number}">{number}</a></sup>'
        id_attr = f' id="{_esc(dom_id(seg.id))}"' if with_id else ""
        return f'<span class="{classes}"{id_attr}{attrs}>{body}</span>{extra}'

    # -- mentions across the site -----------------------------------------------------------
    def _collect_mentions(self) -> dict[str, list[tuple[Briefing, str | None]]]:
        """enterprise id -> [(briefing, id of the first sentence that mentions it)], briefings
        in list order (`_segment` gives the sentence).
        A briefing that lists the enterprise in its front matter but never names it in the text
        still appears (with no sentence)."""
        found: dict[str, list] = {e.id: [] for e in self.site.enterprises}
        for b in self.briefings:
            firsts = self._analyse(b)
            self._ent_ids[b.slug] = sorted(firsts)
            for ent_id in sorted(firsts):
                if ent_id in found:
                    found[ent_id].append((b, firsts[ent_id]))
        return found

    def _analyse(self, b: Briefing) -> dict[str, str | None]:
        """enterprise id -> id of the first body sentence naming it (None: listed in front
        matter only).
        Remembered in `self.analysis` by (briefing fingerprint, glossary forms) between builds."""
        table = self.site.translations.get(b.slug, {})
        if self.fingerprints is None:  # no build cache: no signatures either
            firsts, _sig = analyse(b, table, self.finders, sign=False)
            return {ent_id: seg.id if seg else None for ent_id, seg in firsts.items()}
        entry = cached_analysis(self.analysis, b, self.fingerprints.get(b.slug), table, self.finders, self.forms_fp)
        firsts_ids, self._mention_sig[b.slug], self._cards[b.slug], self._sentences[b.slug] = entry
        return dict(firsts_ids)

    def _segment(self, b: Briefing, seg_id: str) -> Segment | None:
        """A body sentence of `b` by id."""
        return next((seg for seg in body_segments(b) if seg.id == seg_id), None)

    def briefing_enterprises(self, b: Briefing) -> list[Enterprise]:
        """Enterprises named in the text or listed in the front matter (found once, in
        _collect_mentions)."""
        return [self.enterprises[i] for i in self._ent_ids[b.slug] if i in self.enterprises]

    def relations(self, ent: Enterprise) -> list[tuple[str, Enterprise]]:
        if self._inverse is None:
            self._inverse = {}
            for other in self.site.enterprises:
                for r in other.relations:
                    self._inverse.setdefault(r.target, set()).add((RELATION_INVERSE[r.kind], other.id))
        pairs = {(r.kind, r.target) for r in ent.relations} | self._inverse.get(ent.id, set())
        return [(kind, self.enterprises[target]) for kind, target in sorted(pairs) if target in self.enterprises]

    # -- output ---------------------------------------------------------------------------
    def emit(self, path: str, data: str | bytes) -> None:
        self.outputs.append((path, data.encode("utf-8") if isinstance(data, str) else data))

    def page(self, template: str, path: str, lang: str | None, alternates: bool = True, **context) -> None:
        """Render one HTML page to `<path>index.html` (path is directory style)."""
        out = path + "index.html" if (path.endswith("/") or not path) else path
        tail = path[len(lang) + 1:] if lang else path
        alt = {}
        if lang and alternates:
            alt = {"zh": f"zh/{tail}", "en": f"en/{tail}"}
        ctx = dict(
            lang=lang or "zh", t=self.t(lang or "zh"), links=self.site_links(lang or "zh"), path=path, config=self.config,
            alternates=alt, canonical=self.urls.absolute(path),
            noindex=False, jsonld=None, og_type="website", description=None,
            feed=None, pagefind=False, is_bilingual=lang is None,
        )
        ctx.update(context)
        if ctx["jsonld"] is not None:
            ctx["jsonld"] = Markup(_json_script(ctx["jsonld"]))
        html = self.env.get_template(template).render(**ctx)
        self.emit(out, html)
        if lang and alternates and not ctx["noindex"] and lang == "zh":
            self.pages.append(tail)

    def site_links(self, lang: str) -> dict[str, str]:
        """The URLs every page's masthead, head and footer link to, worked out once per language
        (as url(U.…) calls in base.html they were ~20 template calls on each of 5,000 pages)."""
        if lang not in self._links:
            url = self.urls.url
            self._links[lang] = dict(
                home=url(Urls.home(lang)), briefings=url(Urls.briefings(lang)),
                districts=url(Urls.terms(lang, "district")), industries=url(Urls.terms(lang, "industry")),
                enterprises=url(Urls.enterprises(lang)), search=url(Urls.search(lang)), feed=url(Urls.feed(lang)),
                root=url(""), style=url("static/style.css"), favicon=url("static/favicon.svg"),
                script=url("static/site.js"))
        return self._links[lang]

    def jobs(self) -> list[tuple[str, tuple, object]]:
        """Every piece of the site as (key, dependencies, render function), in output order.

        A job's dependencies name everything its pages show beyond the theme, code and config:
        ("b", slug) a briefing (its text, translations, terms), ("c", slug) what its card shows
        (title, lead, date, terms: card_fingerprint), ("s", slug, segment id) one sentence an
        enterprise page quotes, ("e", id) an enterprise entry, ("n", id) only its names,
        ("t", kind, id) a term, ("m", slug) which enterprises the briefing's text names, plus
        plain values (counts, id lists). The sitemap is not a job: it is made last from the
        page list of every job (`sitemap(tails)`)."""
        out: list[tuple[str, tuple, object]] = []
        cards = tuple(("c", b.slug) for b in self.briefings)
        terms_all = tuple(("t", t.kind, t.id) for t in (*self.site.districts, *self.site.industries))
        names_all = tuple(("n", e.id) for e in self.site.enterprises)
        counts = tuple(sorted(self._term_counts().items()))
        out.append(("static", (), self.static))
        out.append(("root", cards[:1], self.root))
        for lang in LANGS:
            out.append((f"home:{lang}", (cards[:10], counts, terms_all, len(self.site.enterprises)),
                        lambda lang=lang: self.home(lang)))
            pages = self.list_pages()
            for page in range(1, pages + 1):
                # a page depends on its own briefings (and how many pages there are) only
                out.append((f"list:{lang}:{page}", (cards[(page - 1) * LIST_PAGE_SIZE:page * LIST_PAGE_SIZE], pages),
                            lambda lang=lang, page=page: self.briefing_list(lang, page)))
            for b in self.briefings:
                def briefing_job(b=b, lang=lang):
                    self.briefing(b, lang)
                    for alias in b.aliases:
                        self.redirect(f"{lang}/briefings/{alias}/", Urls.briefing(lang, b.slug), lang)
                # the page names its enterprises (links, JSON-LD): their names, not their entries
                out.append((f"b:{lang}:{b.slug}", (("b", b.slug), ("m", b.slug),
                                                  *(("n", i) for i in self._ent_ids[b.slug])), briefing_job))
            for kind, terms in (("district", self.site.districts), ("industry", self.site.industries)):
                out.append((f"terms:{lang}:{kind}", (counts,), lambda lang=lang, kind=kind, terms=terms:
                            self.term_index(kind, terms, lang)))
                for term in terms:
                    # one job per page of the term's briefings, like the briefings list (an edited
                    # briefing re-renders one page per term); the feed (newest FEED_SIZE) is a job of its own
                    briefings = self._term_briefings(term)
                    ents = tuple(("n", e.id) for e in self._term_enterprises(term))
                    pages = _page_count(len(briefings))
                    for page in range(1, pages + 1):
                        shown = briefings[(page - 1) * LIST_PAGE_SIZE:page * LIST_PAGE_SIZE]
                        out.append((f"t:{lang}:{kind}:{term.id}:{page}", (tuple(("c", b.slug) for b in shown), pages, ents),
                                    lambda term=term, lang=lang, page=page: self.term_page(term, lang, page)))
                    out.append((f"tfeed:{lang}:{kind}:{term.id}", tuple(("c", b.slug) for b in briefings[:FEED_SIZE]),
                                lambda term=term, lang=lang: self.feed(lang, self._term_briefings(term), term)))
            out.append((f"ents:{lang}", names_all, lambda lang=lang: self.enterprise_index(lang)))
            for ent in self.site.enterprises:
                relations = self.relations(ent)
                deps = (("e", ent.id), tuple(kind for kind, _other in relations),
                        *(("n", other.id) for _kind, other in relations),
                        *((("c", b.slug), ("s", b.slug, seg_id) if seg_id else None)
                          for b, seg_id in self.mentions.get(ent.id, [])))
                out.append((f"e:{lang}:{ent.id}", deps, lambda ent=ent, lang=lang: self.enterprise_page(ent, lang)))
            out.append((f"search:{lang}", (), lambda lang=lang: self.search_page(lang)))
            out.append((f"feed:{lang}", cards[:FEED_SIZE], lambda lang=lang: self.feed(lang, self.briefings, None)))
        for b in self.briefings:
            # one job for both languages' side-by-side pages (same rows; both show only the briefing)
            out.append((f"p:{b.slug}", (("b", b.slug),), lambda b=b: self.parallel_pair(b)))
        out.append(("robots", (), lambda: self.emit(
            "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute('sitemap.xml')}\n")))
        return out

    def signature(self, deps: tuple) -> str:
        """Hash of a job's dependencies (needs `fingerprints`); equal signatures, equal output."""
        tokens = self._tokens
        parts = [self.global_fp, self._terms_fp()]
        for dep in _flatten(deps):
            token = tokens.get(dep)
            if token is None:
                token = tokens[dep] = repr(self._resolve(dep))
            parts.append(token)
        return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=16).hexdigest()

    def _resolve(self, dep):
        """A dependency with the fingerprint of what it names (a plain value stays as it is)."""
        head = dep[0] if isinstance(dep, tuple) and dep else None
        if head == "b":
            return ("b", dep[1], self.fingerprints[dep[1]])
        if head == "c":
            return ("c", dep[1], self._cards[dep[1]])
        if head == "s":
            return ("s", dep[1], dep[2], self._sentences[dep[1]][dep[2]])
        if head == "m":
            return ("m", self._mention_sig.get(dep[1], ""))
        if head == "e":
            return ("e", dep[1], self._ent_fp(dep[1]))
        if head == "n":
            return ("n", dep[1], self._name_fp(dep[1]))
        return dep

    def _name_fp(self, ent_id: str) -> str:
        if not hasattr(self, "_name_fps"):
            self._name_fps = {e.id: _digest(e.id, e.name_zh, e.name_en) for e in self.site.enterprises}
        return self._name_fps.get(ent_id, "-")

    def _ent_fp(self, ent_id: str) -> str:
        if not hasattr(self, "_ent_fps"):
            self._ent_fps = {e.id: _digest(_content_of(e)) for e in self.site.enterprises}
        return self._ent_fps.get(ent_id, "-")

    def _terms_fp(self) -> str:
        # every page shows term labels somewhere (lists, chips, feeds): the taxonomy is global
        if not hasattr(self, "_terms_digest"):
            self._terms_digest = _digest([_content_of(t) for t in (*self.site.districts, *self.site.industries)])
        return self._terms_digest

    def warm_pinyin(self) -> None:
        """Pinyin of every name a page may sort or romanise (before forking workers)."""
        for ent in self.site.enterprises:
            pinyin_key(ent.name_zh)
            if not ent.pinyin:
                pinyin_of(ent.name_zh)
        for b in self.briefings:
            for author in b.authors:
                romanise_name(author)

    def run_job(self, fn) -> tuple[list[tuple[str, bytes]], list[str]]:
        """Run one job; returns its outputs and the sitemap tails of its pages."""
        self.outputs, self.pages = [], []
        fn()
        outputs, pages = self.outputs, self.pages
        self.outputs, self.pages = [], []
        return outputs, pages

    def render(self) -> list[tuple[str, bytes]]:
        outputs: list[tuple[str, bytes]] = []
        tails: list[str] = []
        for _key, _deps, fn in self.jobs():
            job_outputs, job_tails = self.run_job(fn)
            outputs += job_outputs
            tails += job_tails
        outputs.append(self.sitemap(tails))
        return sorted(outputs)

    def static(self) -> None:
        static = self.theme / "static"
        if static.is_dir():
            for file in sorted(static.rglob("*")):
                if file.is_file():
                    self.emit("static/" + file.relative_to(static).as_posix(), file.read_bytes())

    def root(self) -> None:
        self.page("root.html", "", None, alternates=False,
                  t_zh=self.t("zh"), t_en=self.t("en"), latest=self.briefings[:1])
        self.emit("404.html", self.env.get_template("404.html").render(
            lang="zh", t=self.t("zh"), t_zh=self.t("zh"), t_en=self.t("en"), links=self.site_links("zh"), path="404.html",
            config=self.config, alternates={}, canonical=None, noindex=True, jsonld=None, og_type="website",
            description=None, feed=None, pagefind=False, is_bilingual=True))

    def home(self, lang: str) -> None:
        self.page("home.html", Urls.home(lang), lang,
                  items=[(b, self.briefing_meta(b, lang)) for b in self.briefings[:10]],
                  counts=self._term_counts(), feed=Urls.feed(lang), site_districts=self.site.districts,
                  site_industries=self.site.industries, enterprise_count=len(self.site.enterprises),
                  description=self.config.description_zh if lang == "zh" else self.config.description_en)

    def list_pages(self) -> int:
        return _page_count(len(self.briefings))

    def briefing_list(self, lang: str, page: int = 1) -> None:
        shown = self.briefings[(page - 1) * LIST_PAGE_SIZE:page * LIST_PAGE_SIZE]
        pages = self.list_pages()
        self.page("briefings.html", Urls.briefings(lang, page), lang, feed=Urls.feed(lang),
                  items=[(b, self.briefing_meta(b, lang)) for b in shown],
                  list_page=page, list_pages=pages,
                  newer=Urls.briefings(lang, page - 1) if page > 1 else None,
                  older=Urls.briefings(lang, page + 1) if page < pages else None)

    def _term_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in self.briefings:
            for i in b.districts:
                counts["district:" + i] = counts.get("district:" + i, 0) + 1
            for i in b.industries:
                counts["industry:" + i] = counts.get("industry:" + i, 0) + 1
        return counts

    def _term_briefings(self, term: Term) -> list[Briefing]:
        if not hasattr(self, "_by_term"):
            self._by_term: dict[tuple[str, str], list[Briefing]] = {}
            for b in self.briefings:
                for i in dict.fromkeys(b.districts):
                    self._by_term.setdefault(("district", i), []).append(b)
                for i in dict.fromkeys(b.industries):
                    self._by_term.setdefault(("industry", i), []).append(b)
        return list(self._by_term.get((term.kind, term.id), []))

    def _term_enterprises(self, term: Term) -> list[Enterprise]:
        ents = [e for e in self.site.enterprises
                if (e.district == term.id if term.kind == "district" else term.id in e.industries)]
        return self.sort_enterprises(ents, "en")

    def sort_enterprises(self, ents, lang: str) -> list[Enterprise]:
        if lang == "en":
            return sorted(ents, key=lambda e: (e.name_en.casefold(), e.id))
        return sorted(ents, key=lambda e: (pinyin_key(e.name_zh), e.id))

    # -- briefing ----------------------------------------------------------------------------
    def provenance(self, b: Briefing) -> dict[str, int]:
        if b.slug not in self._provenance:
            self._provenance[b.slug] = self._count_provenance(b)
        return self._provenance[b.slug]

    def _count_provenance(self, b: Briefing) -> dict[str, int]:
        counts = {"reviewed": 0, "machine": 0, "missing": 0, "flagged": 0, "total": 0}
        for seg in b.segments():
            shown = self.shown(b, seg, "en")
            counts[shown.status] += 1
            counts["total"] += 1
            counts["flagged"] += bool(shown.flags)
        return counts

    def briefing_view(self, b: Briefing, lang: str) -> dict:
        notes = Footnotes()
        sections = []
        figures_by_place: dict[tuple[str, int], list] = {}
        for index, fig in enumerate(b.figures, 1):
            figures_by_place.setdefault((fig.section, fig.after_paragraph), []).append(dict(
                id=f"fig{index}", caption=self.seg_html(b, fig.caption, lang, None, notes),
                credit=self.seg_html(b, fig.credit, lang, None, notes) if fig.credit else None))
        for section in b.sections:
            linked: set[str] = set()
            blocks = [dict(kind="figure", figure=f) for f in figures_by_place.get((section.anchor, 0), [])]
            for p_index, paragraph in enumerate(section.paragraphs, 1):
                # English sentences need a space between them; Chinese ones do not
                joiner = " " if lang == "en" else ""
                html = Markup(joiner.join([self._seg_html(b, s, lang, linked, notes) for s in paragraph.sentences]))
                blocks.append(dict(kind="p", html=html))
                blocks.extend(dict(kind="figure", figure=f) for f in figures_by_place.get((section.anchor, p_index), []))
            sections.append(dict(
                anchor=section.anchor,
                heading=self.seg_html(b, section.heading, lang, None, notes) if section.heading else None,
                subheading=self.seg_html(b, section.subheading, lang, None, notes) if section.subheading else None,
                blocks=blocks))
        title = self.seg_html(b, b.title, lang, None, notes)
        return dict(title=title, sections=sections, notes=notes.items)

    def briefing_meta(self, b: Briefing, lang: str) -> dict:
        """What lists, feeds and pages show about a briefing (computed once per language)."""
        key = (b.slug, lang)
        if key not in self._metas:
            self._metas[key] = self._briefing_meta(b, lang)
        return self._metas[key]

    def _briefing_meta(self, b: Briefing, lang: str) -> dict:
        t = self.t(lang)
        title = self.plain(b, b.title, lang)
        series = None
        if b.series:
            series = self.plain(b, b.series.name, lang)
            if b.series.part:
                series = t("series.part", name=series, part=b.series.part)
        authors = [a if lang == "zh" else romanise_name(a) for a in b.authors]
        summary, summary_zh = "", lang == "zh"
        first = next((p for section in b.sections for p in section.paragraphs), None)
        if first is not None:
            summary = paragraph_zh = first.zh
            if lang == "en":
                # only translated sentences; an untranslated lead falls back to the Chinese, marked
                shown = [self.shown(b, s, "en") for s in first.sentences]
                english = " ".join(x.text for x in shown if x.status != "missing")
                summary, summary_zh = (english, False) if english else (paragraph_zh, True)
        title_zh = lang == "zh" or self.shown(b, b.title, lang).status == "missing"
        publication = self.shown(b, b.publication, lang) if b.publication else None
        return dict(title=title, title_zh=title_zh, summary_zh=summary_zh, publication=publication,
                    series=series, authors=authors, summary=_clip(summary, 160 if not summary_zh else 90),
                    districts=[self.districts[i] for i in b.districts if i in self.districts],
                    industries=[self.industries[i] for i in b.industries if i in self.industries])

    def briefing(self, b: Briefing, lang: str) -> None:
        meta = self.briefing_meta(b, lang)
        view = self.briefing_view(b, lang)
        path = Urls.briefing(lang, b.slug)
        jsonld = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "headline": meta["title"], "inLanguage": HTML_LANG[lang],
            "url": self.urls.absolute(path), "mainEntityOfPage": self.urls.absolute(path),
            "author": [{"@type": "Person", "name": a} for a in meta["authors"]],
            "about": [{"@type": "Organization", "name": self.ent_name(e, lang),
                       "url": self.urls.absolute(Urls.enterprise(lang, e.id))} for e in self.briefing_enterprises(b)],
            "publisher": {"@type": "Organization", "name": self.config.title_zh if lang == "zh" else self.config.title_en},
        }
        if b.date:
            jsonld["datePublished"] = b.date
        if lang == "en":
            jsonld["translationOfWork"] = {"@type": "NewsArticle", "url": self.urls.absolute(Urls.briefing("zh", b.slug))}
        if b.source and b.source.publication:
            jsonld["isBasedOn"] = {"@type": "CreativeWork", "name": meta["publication"].text}
        self.page("briefing.html", path, lang, b=b, meta=meta, view=view, prov=self.provenance(b),
                  enterprises=self.sort_enterprises(self.briefing_enterprises(b), lang),
                  jsonld=jsonld, og_type="article", description=meta["summary"], pagefind=True)

    def parallel_rows(self, b: Briefing) -> list[tuple[str, str]]:
        """The side-by-side table's rows as HTML, the same for both languages but for the label
        of an inline note: [(row up to its English cell's text, note or "")]. Plain string
        building with escape(): a Jinja loop with an attribute lookup, escape and url() call per
        cell was the most expensive template of the site (2,000 pages, ~100 rows each)."""
        base = _esc(self.urls.url(Urls.briefing("zh", b.slug)))
        rows = []
        for seg in b.segments():
            seg_id = seg.id
            if seg_id == "meta.title":
                kind, link = "title", ""
            elif seg_id.endswith(".h") or seg_id.endswith(".sub"):
                kind, link = "heading", "#" + seg_id.split(".")[0]
            elif seg_id.startswith("fig"):
                kind, link = "caption", "#" + seg_id.split(".")[0]
            else:
                kind, link = "text", "#" + dom_id(seg_id)
            shown = self.shown(b, seg, "en")
            en = self._seg_html(b, seg, "en", None, None, with_id=False)
            rows.append((f'   <tr id="{_esc(dom_id(seg_id))}" class="row-{kind} status-{shown.status}">\n'
                         f'    <td lang="zh-Hans"><a class="segid" href="{base}{_esc(link)}">{_esc(seg_id)}</a> '
                         f'{_esc(seg.zh)}</td>\n    <td lang="en">{en}', shown.note))
        return rows

    def parallel(self, b: Briefing, lang: str, rows: list[tuple[str, str]] | None = None) -> None:
        if rows is None:
            rows = self.parallel_rows(b)
        label = escape(self.strings.get(lang, "parallel.note"))
        html = "\n".join(f'{head}<span class="note-inline">{label}: {escape(note)}</span></td>\n   </tr>' if note
                        else f"{head}</td>\n   </tr>" for head, note in rows)
        meta = self.briefing_meta(b, lang)
        self.page("parallel.html", Urls.parallel(lang, b.slug), lang, b=b, meta=meta, rows_html=Markup(html),
                  prov=self.provenance(b), noindex=True,
                  canonical=self.urls.absolute(Urls.parallel(lang, b.slug)))

    def parallel_pair(self, b: Briefing) -> None:
        """Both languages' side-by-side pages: they show the same rows, worked out once."""
        rows = self.parallel_rows(b)
        for lang in LANGS:
            self.parallel(b, lang, rows)

    def redirect(self, path: str, target: str, lang: str) -> None:
        self.page("redirect.html", path, lang, alternates=False, target=target, noindex=True,
                  canonical=self.urls.absolute(target))

    # -- taxonomy ----------------------------------------------------------------------------
    def term_index(self, kind: str, terms, lang: str) -> None:
        counts = self._term_counts()
        self.page("terms.html", Urls.terms(lang, kind), lang, kind=kind,
                  terms=[(term, counts.get(f"{kind}:{term.id}", 0)) for term in terms])

    def term_page(self, term: Term, lang: str, page: int = 1) -> None:
        briefings = self._term_briefings(term)
        pages = _page_count(len(briefings))
        shown = briefings[(page - 1) * LIST_PAGE_SIZE:page * LIST_PAGE_SIZE]
        self.page("term.html", Urls.term(lang, term.kind, term.id, page), lang, term=term,
                  briefings=[(b, self.briefing_meta(b, lang)) for b in shown],
                  list_page=page, list_pages=pages,
                  newer=Urls.term(lang, term.kind, term.id, page - 1) if page > 1 else None,
                  older=Urls.term(lang, term.kind, term.id, page + 1) if page < pages else None,
                  enterprises=self.sort_enterprises(self._term_enterprises(term), lang),
                  feed=Urls.feed(lang, term.kind, term.id),
                  description=(term.description_zh if lang == "zh" else term.description_en) or None)

    # -- enterprises ---------------------------------------------------------------------------
    def enterprise_index(self, lang: str) -> None:
        groups: dict[str, list] = {}
        for ent in self.sort_enterprises(self.site.enterprises, lang):
            key = (ent.name_en if lang == "en" else pinyin_key(ent.name_zh)[0])[:1].upper()
            groups.setdefault(key if key.isalpha() else "#", []).append(ent)
        self.page("enterprises.html", Urls.enterprises(lang), lang, groups=list(groups.items()))

    def enterprise_page(self, ent: Enterprise, lang: str) -> None:
        mentions = []
        for b, seg_id in self.mentions.get(ent.id, []):
            sentence = None
            seg = self._segment(b, seg_id) if seg_id else None
            if seg is not None:
                shown = self.shown(b, seg, lang)
                sentence = dict(html=self.seg_html(b, seg, lang, None, None, with_id=False, tags=False),
                                anchor=dom_id(seg.id), zh=shown.text_lang == "zh")
            mentions.append(dict(b=b, meta=self.briefing_meta(b, lang), sentence=sentence))
        name = self.ent_name(ent, lang)
        path = Urls.enterprise(lang, ent.id)
        jsonld = {"@context": "https://schema.org", "@type": "Organization", "name": name,
                  "alternateName": sorted({ent.name_zh, ent.name_en, ent.short_en, *ent.aliases_zh, *ent.aliases_en} - {name}),
                  "url": self.urls.absolute(path)}
        district = self.districts.get(ent.district) if ent.district else None
        if district:
            jsonld["location"] = {"@type": "Place", "name": self.term_label(district, lang)}
        self.page("enterprise.html", path, lang, ent=ent, mentions=mentions, relations=self.relations(ent),
                  pinyin=ent.pinyin or pinyin_of(ent.name_zh), district=district,
                  industries=[self.industries[i] for i in ent.industries if i in self.industries],
                  jsonld=jsonld, og_type="profile", pagefind=True,
                  description=(ent.description_zh if lang == "zh" else ent.description_en) or None)

    def search_page(self, lang: str) -> None:
        self.page("search.html", Urls.search(lang), lang, noindex=False)

    # -- feeds and sitemap ------------------------------------------------------------------
    def feed(self, lang: str, briefings, term: Term | None) -> None:
        fallback = _fallback_stamp()
        entries = []
        for b in briefings[:FEED_SIZE]:
            meta = self.briefing_meta(b, lang)
            entries.append(dict(b=b, meta=meta, updated=_stamp(b.date) if b.date else fallback,
                                url=self.urls.absolute(Urls.briefing(lang, b.slug))))
        updated = max((e["updated"] for e in entries), default=fallback)
        site_title = self.config.title_zh if lang == "zh" else self.config.title_en
        title = site_title if term is None else f"{self.term_label(term, lang)} · {site_title}"
        path = Urls.feed(lang, term.kind if term else None, term.id if term else None)
        page = Urls.term(lang, term.kind, term.id) if term else Urls.home(lang)
        xml = self.env.get_template("feed.xml").render(
            lang=lang, title=title, entries=entries, updated=updated, self_url=self.urls.absolute(path),
            page_url=self.urls.absolute(page), t=self.t(lang), config=self.config)
        self.emit(path, xml)

    def sitemap(self, tails: list[str]) -> tuple[str, bytes]:
        # the language chooser at the root, then every page pair (the home pages have tail "")
        entries = [dict(loc=self.urls.absolute(""), alternates=[])]
        for tail in sorted(set(tails)):
            alts = [("zh-Hans", self.urls.absolute("zh/" + tail)), ("en", self.urls.absolute("en/" + tail)),
                    ("x-default", self.urls.absolute("zh/" + tail))]
            for lang in LANGS:
                entries.append(dict(loc=self.urls.absolute(f"{lang}/{tail}"), alternates=alts))
        return "sitemap.xml", self.env.get_template("sitemap.xml").render(entries=entries).encode("utf-8")


_ENVS: dict = {}  # the last build's compiled templates (a rebuild in `serve` reuses them)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between processes (compiling the theme costs ~0.08 s, a good
    part of an edit rebuild). Jinja checks each template's source checksum, so an edited
    template is compiled again; a cache it cannot write is only a slower build."""

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):  # unreadable or truncated: compile afresh
            bucket.reset()


def _bytecode_cache(folder: Path, env: jinja2.Environment) -> jinja2.BytecodeCache:
    # Jinja's cache key is the template's name and source: the environment's options, which
    # shape the compiled code, go into the file names
    options = _digest(jinja2.__version__, env.autoescape, env.trim_blocks, env.lstrip_blocks,
                      env.keep_trailing_newline, env.undefined.__name__, env.newline_sequence,
                      env.block_start_string, env.variable_start_string, env.comment_start_string,
                      sorted(env.extensions))
    return _BytecodeCache(str(folder), pattern=f"{options[:12]}-%s.cache")


_FINDERS: dict = {}  # the last glossary's finders: a rebuild in the same process (serve) reuses them


def _finders(enterprises) -> dict[str, MentionFinder]:
    key = tuple((e.id, e.zh_forms, e.en_forms) for e in enterprises)
    if key not in _FINDERS:
        _FINDERS.clear()
        _FINDERS[key] = {"zh": MentionFinder(enterprises, "zh"), "en": MentionFinder(enterprises, "en")}
    return _FINDERS[key]


def _digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _content_of(obj):
    """A dataclass as nested tuples without its source path and line (which move when an
    earlier entry of the same file grows, while the page does not change)."""
    if dataclasses.is_dataclass(obj):
        return (type(obj).__name__,) + tuple(_content_of(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                                             if f.name not in ("path", "line", "lines"))
    if isinstance(obj, (tuple, list)):
        return tuple(_content_of(x) for x in obj)
    return obj


def _flatten(deps) -> list:
    """The dependencies with nested groups (tuples of tuples) spread out, in order."""
    out = []
    for dep in deps:
        if type(dep) is tuple and dep and type(dep[0]) is tuple:
            out.extend(_flatten(dep))
        else:
            out.append(dep)
    return out


def _page_count(items: int) -> int:
    """Pages of LIST_PAGE_SIZE items (an empty list still has its first page)."""
    return max(1, -(-items // LIST_PAGE_SIZE))


def _neg_date(date: str | None) -> str:
    """Sort key that puts later ISO dates first."""
    if not date:
        return ""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _fallback_stamp() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 0
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _json_script(data) -> str:
    # compact: with `indent`, json falls back to its pure-Python encoder (~0.2 s of a cold build)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_site(site: Site, config: Config) -> list[tuple[str, bytes]]:
    """Every output file of the site as (relative path, bytes), sorted by path."""
    try:
        return Renderer(site, config).render()
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
        raise BuildError(str(name), line, f"template error: {exc}") from None

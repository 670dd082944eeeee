"""View models: what a page shows, worked out from the model alone (no templates, no HTML,
no disk). The composer (compose.py) hands these to the theme's templates.

`SiteView` holds the site-wide indexes (briefings in list order, by term, which enterprises
each briefing names) and remembers each briefing's card per language; everything in it is a
function of the Site, the glossary's mention finders and the pinyin table.

Dates: pages show only the briefing's own date ("date not known" without one) and sort a
briefing without a date after dated ones (then by slug). A feed entry needs a time: the
briefing's date, else the day ingest first saw it (`Site.first_seen`), else
SOURCE_DATE_EPOCH when it is set; a briefing with none of them is left out of the feeds
(`SiteView.unstamped`, said in the build report) rather than given an invented date.

English that is not a person's is labelled wherever it stands in for the page: a machine title
or lead is shown with "machine-translated"; a flagged machine title or lead is never used, the
Chinese is shown with "translation flagged" (`SiteView.display`, `briefing_meta`). A briefing
below the `publish_en` rule (render/publish.py) is "pending" in English.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from builder.cache.plan import (
    BriefingCard,
    BriefingText,
    Dependency,
    EntryOf,
    MentionsIn,
    NamesOf,
    QuotedSentence,
)
from builder.glossary import MentionFinder
from builder.markdown import plain_text
from builder.model import RELATION_INVERSE, Briefing, Enterprise, GlossaryTerm, Segment, Site, Term, Translation
from builder.names import Pinyin
from builder.render import publish
from builder.render.strings import Strings
from builder.session import Session

if TYPE_CHECKING:
    from builder.cache.memo import Memo

Finders = dict[str, MentionFinder]


# ---- one segment as shown ---------------------------------------------------------------

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


def body_segments(b: Briefing) -> Iterator[Segment]:
    for section in b.sections:
        for paragraph in section.paragraphs:
            yield from paragraph.segments()


def dom_id(segment_id: str) -> str:
    """Segment id -> HTML id: s1.p2.3 -> s1-p2-3 (dots would need escaping in CSS)."""
    return segment_id.replace(".", "-")


class Footnotes:
    def __init__(self) -> None:
        self.items: list[tuple[int, str, str]] = []  # (number, segment dom id, note)

    def add(self, dom: str, note: str) -> int:
        number = len(self.items) + 1
        self.items.append((number, dom, note))
        return number


# ---- which enterprises each briefing names -------------------------------------------------

class Analysis(NamedTuple):
    """Which enterprises a briefing names and, for page signatures, fingerprints of what its
    pages and cards show (empty without a build cache)."""

    firsts: tuple[tuple[str, str | None], ...]  # enterprise id -> first body sentence naming it
    mentions: str = ""  # every mention its Chinese and English text shows (the links)
    card: str = ""  # what its card shows (card_fingerprint)
    sentences: Mapping[str, str] = {}  # segment id -> sentence_fingerprint, of the sentences quoted
    kinds: tuple[tuple[str, int], ...] = ()  # publish.kinds: how much of it is English, of what kind


def finders_for(enterprises: tuple[Enterprise, ...], session: Session, memo: Memo | None) -> Finders:
    """The glossary's finders for both languages (the session keeps the last glossary's; the
    memo their regex sources, by the name forms they find)."""
    key = tuple((e.id, e.zh_forms, e.en_forms) for e in enterprises)
    found = session.finders.get(key)
    if found is None:
        found = {}
        for lang in ("zh", "en"):
            finder = MentionFinder(enterprises, lang)
            source = memo.get("mention-pattern", (lang, forms_fingerprint(finder))) if memo is not None else None
            found[lang] = MentionFinder(enterprises, lang, source) if source is not None else finder
        session.finders.clear()
        session.finders[key] = found
    return found


def forms_fingerprint(finder: MentionFinder) -> str:
    return _digest(finder.lang, sorted(finder.by_form.items()))


def keep_finders(finders: Finders, memo: Memo) -> None:
    """After a build: the regex sources the finders worked out, for the next build."""
    for lang, finder in finders.items():
        if finder.known_source is not None:
            memo.put("mention-pattern", (lang, forms_fingerprint(finder)), finder.source)


def analyse(b: Briefing, table: Mapping[str, Translation], finders: Finders, sign: bool,
            first_seen: str | None = None) -> Analysis:
    """Which enterprises `b` names: the first body sentence naming each (None: listed in the
    front matter only); with `sign`, the fingerprints page signatures rest on."""
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
    ids = tuple((k, v.id if v else None) for k, v in firsts.items())
    kinds = publish.kinds(b, table)
    if not sign:
        return Analysis(ids, kinds=kinds)
    # the links an English page shows depend on these, not only on the briefing's text
    return Analysis(ids, _digest(sorted(ids, key=lambda p: (p[0], p[1] or "")), english),
                    card_fingerprint(b, table, first_seen),
                    {v.id: sentence_fingerprint(v, table) for v in firsts.values() if v is not None}, kinds)


def card_fingerprint(b: Briefing, table: Mapping[str, Translation], first_seen: str | None = None) -> str:
    """Hash of everything a briefing's card shows (briefing lists, term pages, feeds, the home
    page, enterprise pages): what `SiteView.briefing_meta` reads, plus slug, date and the day
    ingest first saw it (feeds). Lists depend on this, not on the whole text, so an edit further
    down re-renders only the briefing's own pages. (Whether the card is published or awaiting
    translation is added by SiteFingerprints; the feeds' note of how much is machine-translated
    is a dependency of the feeds alone.)"""
    first = next((p for section in b.sections for p in section.paragraphs if p.sentences), None)
    segs = [b.title, b.publication, b.series.name if b.series else None, *(first.sentences if first else ())]
    # a Translation's repr is all its fields (it has no source line to leave out)
    return _digest(b.slug, b.date, first_seen, b.series.part if b.series else None, tuple(b.authors),
                   tuple(b.districts), tuple(b.industries), [(s.id, s.zh, table.get(s.id)) if s else None for s in segs])


def sentence_fingerprint(seg: Segment, table: Mapping[str, Translation]) -> str:
    """Hash of what an enterprise page quotes of a sentence (its Chinese and its English)."""
    return _digest(seg.id, seg.zh, table.get(seg.id))


def analyse_site(site: Site, finders: Finders, memo: Memo | None) -> dict[str, Analysis]:
    """Every briefing's analysis; with `memo`, signed and kept by what the briefing is made of
    and the glossary's name forms, so an unchanged briefing is not scanned again."""
    if memo is None:
        return {b.slug: analyse(b, site.translations.get(b.slug, {}), finders, sign=False) for b in site.briefings}
    forms = (forms_fingerprint(finders["zh"]), forms_fingerprint(finders["en"]))
    found = {}
    for b in site.briefings:
        key = (b.slug, memo.source(b.slug), forms)
        entry = memo.get("analysis", key)
        if entry is None:
            entry = memo.put("analysis", key, analyse(b, site.translations.get(b.slug, {}), finders, sign=True,
                                                      first_seen=site.first_seen.get(b.slug)))
        found[b.slug] = entry
    return found


# ---- the site's indexes -------------------------------------------------------------------

class SiteView:
    """The site as pages see it. Built once per build; remembers what several pages share."""

    def __init__(self, site: Site, analyses: dict[str, Analysis], finders: Finders, pinyin: Pinyin,
                 strings: Strings, publish_rule: str = "translated", epoch: str | None = None):
        """`publish_rule`: config.publish_en; `epoch`: SOURCE_DATE_EPOCH as an Atom time, when set."""
        self.site = site
        self.strings = strings
        self.publish_rule = publish_rule
        self.epoch = epoch
        self.readiness = {b.slug: publish.Readiness(analyses[b.slug].kinds, publish_rule) for b in site.briefings}
        self.pending_en = frozenset(slug for slug, ready in self.readiness.items() if ready.pending)
        # byline forms of the terminology's pen names (经开轩 -> the press office's pen name)
        self.pen_names: dict[str, GlossaryTerm] = {form: term for term in site.terms if term.kind == "pen-name"
                                                   for form in (term.zh, *term.aliases_zh)}
        self.analyses = analyses
        self.finders = finders
        self.pinyin = pinyin
        self.enterprises = {e.id: e for e in site.enterprises}
        self.districts = {t.id: t for t in site.districts}
        self.industries = {t.id: t for t in site.industries}
        self.briefings = sorted(site.briefings, key=lambda b: (b.date is None, _neg_date(b.date), b.slug))
        self.by_slug = {b.slug: b for b in site.briefings}
        # enterprise id -> [(briefing, id of the first sentence naming it)], briefings in list
        # order; a briefing that lists the enterprise in its front matter but never names it
        # in the text still appears (with no sentence)
        self.mentions: dict[str, list[tuple[Briefing, str | None]]] = {e.id: [] for e in site.enterprises}
        self.named: dict[str, list[str]] = {}  # slug -> enterprise ids named or listed, sorted
        for b in self.briefings:
            firsts = dict(analyses[b.slug].firsts)
            self.named[b.slug] = sorted(firsts)
            for ent_id in sorted(firsts):
                if ent_id in self.mentions:
                    self.mentions[ent_id].append((b, firsts[ent_id]))
        self.by_term: dict[tuple[str, str], list[Briefing]] = {}
        for b in self.briefings:
            for i in dict.fromkeys(b.districts):
                self.by_term.setdefault(("district", i), []).append(b)
            for i in dict.fromkeys(b.industries):
                self.by_term.setdefault(("industry", i), []).append(b)
        self._inverse: dict[str, set[tuple[str, str]]] | None = None
        self._provenance: dict[str, dict[str, int]] = {}
        self._metas: dict[tuple[str, str], dict[str, Any]] = {}

    def site_briefing(self, slug: str) -> Briefing:
        return self.by_slug[slug]

    def term(self, kind: str, term_id: str) -> Term:
        return (self.districts if kind == "district" else self.industries)[term_id]

    # -- segments ------------------------------------------------------------------------
    def translation(self, b: Briefing, seg: Segment) -> Translation | None:
        return self.site.translations.get(b.slug, {}).get(seg.id)

    def shown(self, b: Briefing, seg: Segment, lang: str) -> Shown:
        return shown_of(seg, lang, None if lang == "zh" else self.translation(b, seg))

    def plain(self, b: Briefing, seg: Segment | None, lang: str) -> str:
        return self.shown(b, seg, lang).text if seg else ""

    def display(self, b: Briefing, seg: Segment, lang: str) -> tuple[str, str | None]:
        """(text, label) of a segment where it stands for the page (a title, a lead, a kicker):
        label None, "machine" (machine English, shown labelled), "flagged" (machine English with
        a quality flag: the Chinese is shown instead) or "missing" (no English: the Chinese)."""
        # as plain text: these are shown escaped (<title>, cards, feeds), never as Markdown
        if lang == "zh":
            return plain_text(seg.zh), None
        shown = self.shown(b, seg, lang)
        if shown.status == "missing":
            return plain_text(seg.zh), "missing"
        if shown.flags:
            return plain_text(seg.zh), "flagged"
        return plain_text(shown.text), "machine" if shown.status == "machine" else None

    def labelled(self, text: str, labels: Iterable[str | None], lang: str) -> str:
        """`text (machine-translated; translation pending)`: a title as <title>, Open Graph,
        feeds, JSON-LD and search results show it."""
        words = [self.strings.get(lang, "label." + label) for label in labels if label]
        if not words:
            return text
        return self.strings.get(lang, "label.wrap", text=text, labels=self.strings.get(lang, "label.sep").join(words))

    def lead_labelled(self, text: str, label: str | None, lang: str) -> str:
        """`Machine-translated: text`: a summary as descriptions and feeds show it."""
        if not label or not text:
            return text
        word = self.strings.get(lang, "label." + label)
        return self.strings.get(lang, "label.lead", label=word[:1].upper() + word[1:], text=text)

    def flag_words(self, flags: Iterable[str], lang: str) -> list[str]:
        """Each quality flag (translate/quality.FLAGS) as its meaning in `lang`."""
        table = self.strings.tables[lang]
        return [table["flag." + code] if "flag." + code in table else self.strings.get(lang, "flag.unknown", code=code)
                for code in flags]

    def flag_summary(self, b: Briefing, lang: str) -> list[tuple[str, str, int]]:
        """(code, meaning, how many segments) of every flag on the briefing's English."""
        counts: dict[str, int] = {}
        for seg in b.segments():
            for code in self.shown(b, seg, "en").flags:
                counts[code] = counts.get(code, 0) + 1
        codes = sorted(counts)
        return [(code, words, counts[code]) for code, words in zip(codes, self.flag_words(codes, lang), strict=True)]

    # -- publishing ----------------------------------------------------------------------
    def pending(self, b: Briefing, lang: str) -> bool:
        """Is `b`'s page in `lang` a "translation pending" page (below the publish_en rule)?"""
        return lang == "en" and b.slug in self.pending_en

    def split(self, briefings: Iterable[Briefing], lang: str) -> tuple[list[Briefing], list[Briefing]]:
        """(published, awaiting translation), each in the order given."""
        published: list[Briefing] = []
        awaiting: list[Briefing] = []
        for b in briefings:
            (awaiting if self.pending(b, lang) else published).append(b)
        return published, awaiting

    def home_selection(self, lang: str, size: int) -> tuple[list[Briefing], list[Briefing]]:
        """The home page's newest `size` published briefings and newest `size` awaiting translation."""
        if lang == "zh":
            return self.briefings[:size], []
        published, awaiting = self.split(self.briefings, lang)
        return published[:size], awaiting[:size]

    def machine_count(self, b: Briefing) -> tuple[int, int]:
        """(segments machine-translated, segments) of `b`'s English."""
        ready = self.readiness[b.slug]
        return ready.count("machine") + ready.count("flagged"), ready.total

    def stamp(self, b: Briefing) -> str | None:
        """The Atom time of a briefing's feed entry: its date, else the day ingest first saw it,
        else SOURCE_DATE_EPOCH; None: it has none and stays out of the feeds."""
        day = b.date or self.site.first_seen.get(b.slug)
        return f"{day}T00:00:00Z" if day else self.epoch

    def feed_selection(self, briefings: Iterable[Briefing], lang: str, size: int) -> list[Briefing]:
        """A feed's entries: the newest `size` briefings published in `lang` that have a time."""
        return [b for b in briefings if not self.pending(b, lang) and self.stamp(b) is not None][:size]

    def feed_updated(self, briefings: Iterable[Briefing], picked: list[Briefing]) -> str | None:
        """A feed's own `updated`: its newest entry's time; for a feed without entries (all of
        them awaiting translation) the newest time of the briefings it would list; None when no
        briefing has a time at all (the feed then has no `updated` rather than an invented one)."""
        stamps = [stamp for b in (picked or briefings) if (stamp := self.stamp(b)) is not None]
        return max(stamps, default=None)

    def unstamped(self) -> list[Briefing]:
        return [b for b in self.briefings if self.stamp(b) is None]

    def pen_name_key(self) -> tuple:
        """What bylines show of the terminology (pages with bylines depend on it)."""
        return tuple(sorted((form, t.en, t.note) for form, t in self.pen_names.items()))

    def bylines(self, b: Briefing, lang: str) -> list[dict[str, Any]]:
        """Each author as shown: a pen name of the terminology (经开轩) as its English with its
        note, an organisation, not a person; a person's name romanised in English."""
        found = []
        for author in b.authors:
            term = self.pen_names.get(author)
            if term is not None:
                found.append(dict(name=author if lang == "zh" else term.en, note="" if lang == "zh" else term.note,
                                  pen_name=True))
            else:
                found.append(dict(name=author if lang == "zh" else self.pinyin.romanise(author), note="", pen_name=False))
        return found

    def segment(self, b: Briefing, seg_id: str) -> Segment | None:
        """A body sentence of `b` by id."""
        return next((seg for seg in body_segments(b) if seg.id == seg_id), None)

    # -- lists ---------------------------------------------------------------------------
    def term_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in self.briefings:
            for i in b.districts:
                counts["district:" + i] = counts.get("district:" + i, 0) + 1
            for i in b.industries:
                counts["industry:" + i] = counts.get("industry:" + i, 0) + 1
        return counts

    def term_briefings(self, term: Term) -> list[Briefing]:
        return list(self.by_term.get((term.kind, term.id), []))

    def term_enterprises(self, term: Term) -> list[Enterprise]:
        ents = [e for e in self.site.enterprises
                if (e.district == term.id if term.kind == "district" else term.id in e.industries)]
        return self.sort_enterprises(ents, "en")

    def briefing_enterprises(self, b: Briefing) -> list[Enterprise]:
        """Enterprises named in the text or listed in the front matter."""
        return [self.enterprises[i] for i in self.named[b.slug] if i in self.enterprises]

    def sort_enterprises(self, ents: Iterable[Enterprise], lang: str) -> list[Enterprise]:
        if lang == "en":
            return sorted(ents, key=lambda e: (e.name_en.casefold(), e.id))
        return sorted(ents, key=lambda e: (self.pinyin.sort_key(e.name_zh), e.id))

    def relations(self, ent: Enterprise) -> list[tuple[str, Enterprise]]:
        if self._inverse is None:
            self._inverse = {}
            for other in self.site.enterprises:
                for r in other.relations:
                    self._inverse.setdefault(r.target, set()).add((RELATION_INVERSE[r.kind], other.id))
        pairs = {(r.kind, r.target) for r in ent.relations} | self._inverse.get(ent.id, set())
        return [(kind, self.enterprises[target]) for kind, target in sorted(pairs) if target in self.enterprises]

    # -- a briefing ----------------------------------------------------------------------
    def provenance(self, b: Briefing) -> dict[str, int]:
        """How many of the briefing's segments are reviewed, machine, missing, flagged."""
        if b.slug not in self._provenance:
            counts = {"reviewed": 0, "machine": 0, "missing": 0, "flagged": 0, "total": 0}
            for seg in b.segments():
                shown = self.shown(b, seg, "en")
                counts[shown.status] += 1
                counts["total"] += 1
                counts["flagged"] += bool(shown.flags)
            self._provenance[b.slug] = counts
        return self._provenance[b.slug]

    def briefing_meta(self, b: Briefing, lang: str) -> dict[str, Any]:
        """What lists, feeds and pages show about a briefing (its card), once per language."""
        key = (b.slug, lang)
        if key not in self._metas:
            self._metas[key] = self._briefing_meta(b, lang)
        return self._metas[key]

    def _briefing_meta(self, b: Briefing, lang: str) -> dict[str, Any]:
        title, title_label = self.display(b, b.title, lang)
        series, series_label = None, None
        if b.series:
            series, series_label = self.display(b, b.series.name, lang)
            if b.series.part:
                series = self.strings.get(lang, "series.part", name=series, part=b.series.part)
        bylines = self.bylines(b, lang)
        summary, summary_label = "", None
        first = next((p for section in b.sections for p in section.paragraphs if p.sentences), None)
        if first is not None:
            summary = plain_text(first.zh)
            if lang == "en":
                # English only when every sentence of the lead has some; a flagged or untranslated
                # lead is shown in Chinese, labelled
                shown = [self.display(b, s, "en") for s in first.sentences]
                labels = {label for _text, label in shown}
                if "missing" in labels or "flagged" in labels:
                    summary_label = "missing" if "missing" in labels else "flagged"
                else:
                    summary = " ".join(text for text, _label in shown)
                    summary_label = "machine" if "machine" in labels else None
        title_zh = lang == "zh" or title_label in ("missing", "flagged")
        summary_zh = lang == "zh" or summary_label in ("missing", "flagged")
        summary = clip(summary, 160 if not summary_zh else 90)
        pending = self.pending(b, lang)
        publication = self.shown(b, b.publication, lang) if b.publication else None
        ready = self.readiness[b.slug]
        machine = self.machine_count(b)[0] if lang == "en" else 0
        untranslated = ready.count("missing") + ready.count("stale") if lang == "en" else 0
        return dict(title=title, title_zh=title_zh, title_label=title_label, summary_zh=summary_zh,
                    summary_label=summary_label, publication=publication, series=series, series_label=series_label,
                    authors=[line["name"] for line in bylines], bylines=bylines,
                    summary=summary, pending=pending, machine=machine, untranslated=untranslated,
                    total=ready.total,
                    # the title and summary as the page's head, feeds, JSON-LD and search show them
                    head_title=self.labelled(title, (title_label, "pending" if pending else None), lang),
                    head_summary=self.lead_labelled(summary, summary_label, lang),
                    districts=[self.districts[i] for i in b.districts if i in self.districts],
                    industries=[self.industries[i] for i in b.industries if i in self.industries])

    def warm_pinyin(self) -> None:
        """Pinyin of every name a page may sort or romanise (before forking workers, which
        then share it)."""
        for ent in self.site.enterprises:
            self.pinyin.sort_key(ent.name_zh)
            if not ent.pinyin:
                self.pinyin.with_tones(ent.name_zh)
        for b in self.briefings:
            for author in b.authors:
                self.pinyin.romanise(author)


# ---- fingerprints for page signatures ------------------------------------------------------

class SiteFingerprints:
    """The hash of each dependency (cache/plan.py) as this build sees it."""

    def __init__(self, view: SiteView, memo: Memo, everywhere: str):
        self.view = view
        self.memo = memo
        site = view.site
        # every page shows term labels somewhere (lists, chips, feeds): the taxonomy is global
        self.everywhere = _digest(everywhere, [_content_of(t) for t in (*site.districts, *site.industries)])
        self._entries = {e.id: _digest(_content_of(e)) for e in site.enterprises}
        self._names = {e.id: _digest(e.id, e.name_zh, e.name_en) for e in site.enterprises}

    @staticmethod
    def digest(*parts: Any) -> str:
        return _digest(*parts)

    def of(self, dep: Dependency) -> str:
        analyses = self.view.analyses
        if isinstance(dep, BriefingText):
            return _digest(self.memo.source(dep.slug))
        if isinstance(dep, BriefingCard):
            # the rule turns the same kinds into published or pending (the rule itself is a
            # setting, part of `everywhere`; said here too, so the card states it)
            return _digest(analyses[dep.slug].card, dep.slug in self.view.pending_en)
        if isinstance(dep, QuotedSentence):
            return analyses[dep.slug].sentences[dep.segment]
        if isinstance(dep, MentionsIn):
            return analyses[dep.slug].mentions
        if isinstance(dep, EntryOf):
            return self._entries.get(dep.enterprise, "-")
        if isinstance(dep, NamesOf):
            return self._names.get(dep.enterprise, "-")
        return repr(dep.value)


def _digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _content_of(obj: Any) -> Any:
    """A dataclass as nested tuples without its source path and line (which move when an
    earlier entry of the same file grows, while the page does not change)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (type(obj).__name__,) + tuple(_content_of(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                                             if f.name not in ("path", "line", "lines"))
    if isinstance(obj, (tuple, list)):
        return tuple(_content_of(x) for x in obj)
    return obj


# where a clipped lead may end: after a Chinese sentence or clause, or at a space between words
_CLAUSE_ENDS = frozenset("。！？；，")
_TRAILING = " ,;:.!?-–—、。！？；，：“‘（(《"


def clip(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, ellipsis included: cut at the last clause end
    (。！？；，) or space in the second half of what fits, never inside a word; only a text
    with neither (one long word, or Chinese without punctuation) is cut at `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]  # the character after the cut may be the space or the 。 to cut at
    cut = max((i for i in range(limit // 2, limit) if head[i] == " " or head[i] in _CLAUSE_ENDS), default=-1)
    kept = head[:cut] if cut >= 0 else head[:limit - 1]
    return kept.rstrip(_TRAILING) + "…"


def _neg_date(date: str | None) -> str:
    """Sort key that puts later ISO dates first."""
    if not date:
        return ""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


__all__ = ["Analysis", "Footnotes", "Shown", "SiteFingerprints", "SiteView", "analyse", "analyse_site",
           "body_segments", "dom_id", "finders_for", "shown_of"]

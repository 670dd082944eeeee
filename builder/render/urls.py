"""The URL scheme: the one place that knows where each page lives and the base path.

Page paths are output-relative and directory style (`en/briefings/<slug>/`); `Urls.url`
turns one into a site-absolute URL under the base path, so the same content works at `/`
and at a GitHub project-pages path such as `/xuzhou-briefing/`.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
OTHER = {"zh": "en", "en": "zh"}


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
        """The briefings list, pages.LIST_PAGE_SIZE newest-first per page: page 1 is the list's own
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
    def terminology(lang: str) -> str:
        """The terminology list (content/glossary/terms.yaml): fixed English for words and names."""
        return f"{lang}/terminology/"

    @staticmethod
    def search(lang: str) -> str:
        return f"{lang}/search/"

    @staticmethod
    def feed(lang: str, kind: str | None = None, term_id: str | None = None) -> str:
        if kind and term_id:
            return Urls.term(lang, kind, term_id) + "feed.xml"
        return f"{lang}/feed.xml"

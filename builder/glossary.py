"""Enterprise mentions: finding glossary names in Chinese and English text.

Matching is longest-first and never overlapping, so 中环领先(徐州)半导体材料有限公司 is
one mention of one entry, not 中环领先 plus leftovers. English names match as whole words in
any case. Ingest (front matter) and render (links, which enterprises a briefing names) share
this one finder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.model import Enterprise


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    enterprise: str  # id
    text: str


def _trie(forms) -> str:
    """Regex of a character trie over `forms`. Every optional tail is greedy, so at each
    position the longest form wins (and backtracking tries the next longest), exactly like an
    alternation sorted longest-first, but without testing 300 alternatives at every position."""
    root: dict = {}
    for form in forms:
        node = root
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(root)


def pattern_source(forms: dict[str, str], english: bool) -> str:
    """The regular expression that finds `forms`: a trie, English forms as whole words."""
    body = _trie(forms)
    if english:
        # whole words only: "BYD" must not match inside "BYDX". The text is folded first
        # (fold_case), so the pattern needs no IGNORECASE, with which re tests every
        # character of the trie in both cases (bench/README.md has the difference).
        return rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])"
    return body


def fold_case(text: str) -> str:
    """English text compared in any case: lower-cased character by character, keeping every
    position (a character whose lower case is longer, such as İ, stays as it is), so a match
    in the folded text is the same span of the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(low_ch if len(low_ch := ch.lower()) == 1 else ch for ch in text)


class MentionFinder:
    """Built once per site; `find(text)` returns non-overlapping mentions, leftmost-longest.

    The trie regex is compiled when the finder first looks at a text, and every text's
    mentions are remembered: a site scans the same sentence for several pages (the analysis
    of which enterprises a briefing names, then the links on each language's page).
    `source`: the regex's source as `source` gave it before for the same forms (building the
    trie is most of a small rebuild's mention work), else worked out when needed."""

    def __init__(self, enterprises: Iterable[Enterprise], lang: str = "zh", source: str | None = None):
        self.lang = lang
        self.by_form: dict[str, str] = {}
        for ent in enterprises:
            for form in (ent.zh_forms if lang == "zh" else ent.en_forms):
                # a form shared by two entries is ambiguous: the first (by id) keeps it
                self.by_form.setdefault(fold_case(form) if lang == "en" else form, ent.id)
        self._source = source
        self._pattern: re.Pattern[str] | None = None
        self._seen: dict[str, tuple[Mention, ...]] = {}

    @property
    def known_source(self) -> str | None:
        """The regex's source if it was given or worked out already."""
        return self._source

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = pattern_source(self.by_form, english=self.lang == "en")
        return self._source

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.by_form:
            self._pattern = re.compile(self.source)
        return self._pattern

    def find(self, text: str) -> list[Mention]:
        """Mentions in `text`, leftmost-longest, never overlapping."""
        pattern = self.pattern
        if pattern is None or not text:
            return []
        found = self._seen.get(text)
        if found is None:
            english = self.lang == "en"
            subject = fold_case(text) if english else text
            found = self._seen[text] = tuple(
                Mention(m.start(), m.end(), self.by_form[m.group(0)], text[m.start():m.end()])
                for m in pattern.finditer(subject))
        return list(found)

    def ids(self, text: str) -> list[str]:
        """Distinct enterprise ids in order of first mention."""
        seen: dict[str, None] = {}
        for mention in self.find(text):
            seen.setdefault(mention.enterprise, None)
        return list(seen)

"""Enterprise mentions: finding glossary names in Chinese and English text.

Matching is longest-first and never overlapping, so 中环领先(徐州)半导体材料有限公司 is
one mention of one entry, not 中环领先 plus leftovers.
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


def _pattern(forms: dict[str, str], english: bool) -> re.Pattern | None:
    if not forms:
        return None
    body = _trie(forms)
    if english:
        # whole words only: "BYD" must not match inside "BYDX"; forms are stored lower-case
        return re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(body)


_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


class MentionFinder:
    """Built once per site; `find(text)` returns non-overlapping mentions, leftmost-longest.

    The trie regex is compiled only once a process has scanned SCAN_LIMIT texts: compiling
    it (~45 ms for 300 enterprises) is most of the mention work of a rebuild that touches
    one briefing, so the first texts are scanned by a plain loop with the same rules
    (tests/test_glossary.py checks the two agree)."""

    SCAN_LIMIT = 400

    def __init__(self, enterprises: Iterable[Enterprise], lang: str = "zh"):
        self.lang = lang
        self.by_form: dict[str, str] = {}
        for ent in enterprises:
            for form in (ent.zh_forms if lang == "zh" else ent.en_forms):
                # a form shared by two entries is ambiguous: the first (by id) keeps it
                self.by_form.setdefault(form.lower() if lang == "en" else form, ent.id)
        self._pattern: re.Pattern | None = None
        self._lengths = sorted({len(form) for form in self.by_form}, reverse=True)
        self._firsts = frozenset(form[0] for form in self.by_form)
        self._scans = 0
        self._seen: dict[str, tuple[Mention, ...]] = {}

    @property
    def pattern(self) -> re.Pattern | None:
        if self._pattern is None and self.by_form:
            self._pattern = _pattern(self.by_form, english=self.lang == "en")
        return self._pattern

    def find(self, text: str) -> list[Mention]:
        """Mentions in `text` (remembered: a site scans the same sentence for several pages)."""
        if not self.by_form or not text:
            return []
        found = self._seen.get(text)
        if found is None:
            self._scans += 1
            if self._pattern is None and self._scans <= self.SCAN_LIMIT:
                found = self._scan(text)
            else:
                found = self._regex(text)
            found = self._seen[text] = tuple(found)
        return list(found)

    def _regex(self, text: str) -> list[Mention]:
        found = []
        for m in self.pattern.finditer(text):
            key = m.group(0).lower() if self.lang == "en" else m.group(0)
            found.append(Mention(m.start(), m.end(), self.by_form[key], m.group(0)))
        return found

    def _scan(self, text: str) -> list[Mention]:
        """What `_regex` finds, without the regex: at each position where a form may start,
        the longest form there (English: whole words, any case)."""
        english = self.lang == "en"
        low = text.lower() if english else text
        if len(low) != len(text):  # a character whose lower case is longer: leave it to re
            return self._regex(text)
        forms, firsts, lengths = self.by_form, self._firsts, self._lengths
        found = []
        n = len(text)
        i = 0
        while i < n:
            if low[i] in firsts and not (english and i and text[i - 1] in _WORD):
                for length in lengths:
                    end = i + length
                    if end <= n and low[i:end] in forms and not (english and end < n and text[end] in _WORD):
                        found.append(Mention(i, end, forms[low[i:end]], text[i:end]))
                        i = end
                        break
                else:
                    i += 1
                continue
            i += 1
        return found

    def ids(self, text: str) -> list[str]:
        """Distinct enterprise ids in order of first mention."""
        seen: dict[str, None] = {}
        for mention in self.find(text):
            seen.setdefault(mention.enterprise, None)
        return list(seen)

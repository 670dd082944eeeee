"""Which industries an article is about, from evidence that it is about them.

A keyword of an industry (content/taxonomy.yaml) counts once per sentence it appears in. An
industry is assigned when one of its keywords is in the title, the sub-title or a section
heading; or in the lede and once more anywhere; or in three sentence-keyword pairs (three
sentences, or three of its keywords in one sentence); or twice, when one of the article's
enterprises is in that industry (the glossary says so). A food-processing article that says
"满足消费者多元化的消费需求" once is not about commerce. District names are taken out first:
the 高新区 of 徐州高新区 is a place, not evidence of high tech.
"""

from __future__ import annotations

import re

from builder.model import Term

_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")


class IndustryFinder:
    def __init__(self, industries: tuple[Term, ...]):
        self.terms = industries
        owner: dict[str, str] = {}
        for term in industries:
            for keyword in term.keywords:
                owner.setdefault(keyword, term.id)
        self.owner = owner
        ordered = sorted(owner, key=lambda k: (-len(k), k))
        self.pattern = re.compile("|".join(re.escape(k) for k in ordered)) if ordered else None

    def pairs(self, text: str) -> dict[str, set[tuple[int, str]]]:
        """industry id -> {(sentence number, keyword)} in `text`."""
        found: dict[str, set[tuple[int, str]]] = {}
        if self.pattern is None:
            return found
        for number, sentence in enumerate(_SENTENCE.findall(text)):
            for m in self.pattern.finditer(sentence):
                found.setdefault(self.owner[m.group(0)], set()).add((number, m.group(0)))
        return found

    def assign(self, *, title: str, headings: list[str], lede: str, rest: list[str],
               enterprise_industries: set[str]) -> tuple[str, ...]:
        """Industry ids: those named in the title first, then in taxonomy order."""
        in_title = self.pairs(title)
        in_headings = self.pairs("\n".join(headings))
        in_lede = self.pairs(lede)
        counts: dict[str, int] = {k: len(v) for k, v in in_lede.items()}
        for index, text in enumerate(rest, 1):
            for ident, found in self.pairs(text).items():
                counts[ident] = counts.get(ident, 0) + len({(index, s, k) for s, k in found})
        chosen = []
        for term in self.terms:
            t = term.id
            n = counts.get(t, 0)
            if t in in_title or t in in_headings or (t in in_lede and n >= 2) or n >= 3 \
                    or (t in enterprise_industries and n >= 2):
                chosen.append(t)
        first = [term.id for term in self.terms if term.id in in_title]
        return tuple(first + [ident for ident in chosen if ident not in first])

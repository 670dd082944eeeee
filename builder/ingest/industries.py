"""Which industries an article is about, from evidence that it is about them.

A keyword of an industry (content/taxonomy.yaml) counts once per sentence it appears in. An
industry is assigned when one of its keywords is in the title, the sub-title or a section
heading; or in the lede and once more anywhere; or in three sentence-keyword pairs (three
sentences, or three of its keywords in one sentence); or twice, when one of the article's
enterprises is in that industry (the glossary says so). A food-processing article that says
"满足消费者多元化的消费需求" once is not about commerce, nor is a tourism article (景区 in the
title) about commerce because its sentences about the scenic area say 客流 or 带动消费: in a
sentence that names the title's industry, other industries' words are not counted (unless they
are part of a company's name there: 鑫华半导体科技股份有限公司 says what it makes). District
names are taken out first:
the 高新区 of 徐州高新区 is a place, not evidence of high tech.
"""

from __future__ import annotations

import re

from builder.model import Term

_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")


def _in_company_name(keyword: str, sentence: str) -> bool:
    """The word is part of a company's name (江苏鑫华半导体科技股份有限公司): what the company
    makes, evidence in any sentence."""
    return bool(re.search(re.escape(keyword) + r"[^，,。；、\s]{0,8}?(?:有限公司|股份|集团|公司)", sentence))


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

        def evidence(text: str) -> dict[str, set[tuple[int, str]]]:
            # the title's industry in a sentence makes that sentence about it: another industry's
            # word there is a side effect of it (景区客流, 带动餐饮消费 in a tourism article), not
            # evidence of its own
            found = self.pairs(text)
            about = {n for ident in in_title for n, _ in found.get(ident, ())}
            sentences = _SENTENCE.findall(text)
            kept = {ident: {(n, k) for n, k in pairs
                            if ident in in_title or n not in about or _in_company_name(k, sentences[n])}
                    for ident, pairs in found.items()}
            return {ident: pairs for ident, pairs in kept.items() if pairs}

        in_lede = evidence(lede)
        counts: dict[str, int] = {k: len(v) for k, v in in_lede.items()}
        for index, text in enumerate(rest, 1):
            for ident, found in evidence(text).items():
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

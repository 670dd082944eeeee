"""Names and figures are never left to the engine: placeholders in, glossary English out.

Before machine translation every enterprise name (all its Chinese forms), district and
industry name or keyword, and every figure (numbers.py) in a segment is replaced by a
placeholder token; after translation each token is replaced by the English the glossary,
the taxonomy or the number converter gives. A token that does not come back exactly once
means the engine dropped, doubled or mangled it: the segment is flagged `placeholder`.

Token form: ``ZQA``, ``ZQB`` … ``ZQZ``, ``ZQBA`` …  — upper-case ASCII letters only, because
  * SentencePiece's nmt_nfkc normalisation leaves ASCII letters alone and splits them into
    pieces that decode back to the same letters (tests/translate/test_terms.py checks this
    with a real SentencePiece model);
  * argostranslate's decoder turns "_" and "▁" into spaces, so no underscores;
  * no digits, so neither numbers.py nor the engine's own number handling touches them;
  * "ZQ…" is not an English or pinyin word, so a model copies it rather than translating it.

Which English: a full legal name (name_zh) becomes the full English name (name_en); a short
form becomes short_en, as running English text uses it. A district's full Chinese name
(鼓楼区) becomes its English name (Gulou District), a short keyword (鼓楼) its short_en.
Industry labels are common nouns in running text, so their first letter is lower-cased
(unless it starts an acronym); a segment that begins with a placeholder is capitalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.model import Site
from builder.translate.numbers import find_amounts

TOKEN_PREFIX = "ZQ"
# any placeholder token in a text (`briefing check` looks for ones left in reviewed English)
PLACEHOLDER = re.compile(rf"(?<![A-Za-z0-9]){TOKEN_PREFIX}[A-Z]+(?![A-Za-z0-9])")


def token(index: int) -> str:
    """0 -> ZQA, 25 -> ZQZ, 26 -> ZQBA: base 26 over A–Z (A is the zero digit)."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = chr(ord("A") + rest) + letters
        if index == 0:
            break
    return TOKEN_PREFIX + letters


@dataclass(frozen=True)
class Slot:
    token: str
    zh: str
    en: str
    kind: str  # enterprise | district | industry | figure
    ref: str = ""  # glossary / taxonomy id


@dataclass(frozen=True)
class Masked:
    zh: str  # the original segment
    source: str  # what the engine sees
    slots: tuple[Slot, ...]


def _running_label(label: str) -> str:
    """'Solar photovoltaics' -> 'solar photovoltaics'; 'IC design' stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


class Protector:
    """Built once per site; `mask` a segment before MT and `restore` the engine's English."""

    def __init__(self, site: Site):
        names: dict[str, tuple[str, str, str]] = {}  # zh form -> (en, kind, id)
        for ent in sorted(site.enterprises, key=lambda e: e.id):
            for form in ent.zh_forms:
                en = ent.name_en if form == ent.name_zh else (ent.short_en or ent.name_en)
                names.setdefault(form, (en, "enterprise", ent.id))
        for term in sorted(site.districts, key=lambda t: t.id):
            names.setdefault(term.zh, (term.en, "district", term.id))
            for keyword in term.keywords:
                names.setdefault(keyword, (term.short_en or term.en, "district", term.id))
        for term in sorted(site.industries, key=lambda t: t.id):
            label = _running_label(term.short_en or term.en)
            for form in (term.zh, *term.keywords):
                names.setdefault(form, (label, "industry", term.id))
        self.names = names
        ordered = sorted((f for f in names if f), key=lambda f: (-len(f), f))
        self.pattern = re.compile("|".join(re.escape(f) for f in ordered)) if ordered else None

    def spans(self, zh: str) -> list[tuple[int, int, str, str, str]]:
        """Non-overlapping (start, end, en, kind, ref), leftmost-longest over names and figures."""
        candidates = []
        if self.pattern:
            for m in self.pattern.finditer(zh):
                en, kind, ref = self.names[m.group(0)]
                candidates.append((m.start(), m.end(), en, kind, ref))
        for amount in find_amounts(zh):
            candidates.append((amount.start, amount.end, amount.en, "figure", ""))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        chosen, end = [], -1
        for cand in candidates:
            if cand[0] >= end:
                chosen.append(cand)
                end = cand[1]
        return chosen

    def mask(self, zh: str) -> Masked:
        out, slots, last = [], [], 0
        for index, (start, end, en, kind, ref) in enumerate(self.spans(zh)):
            tok = token(index)
            out.append(zh[last:start])
            out.append(tok)
            slots.append(Slot(tok, zh[start:end], en, kind, ref))
            last = end
        out.append(zh[last:])
        return Masked(zh, "".join(out), tuple(slots))


def restore(masked: Masked, en: str) -> tuple[str, tuple[str, ...]]:
    """Put the glossary English back; flags ('placeholder',) unless every token came back once."""
    flags: list[str] = []
    by_token = {slot.token: slot for slot in masked.slots}
    counts: dict[str, int] = {}
    for m in PLACEHOLDER.finditer(en):
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    if any(counts.get(t, 0) != 1 for t in by_token) or any(t not in by_token for t in counts):
        flags.append("placeholder")

    def put_back(m: re.Match) -> str:
        slot = by_token.get(m.group(0))
        return slot.en if slot else m.group(0)

    text = PLACEHOLDER.sub(put_back, en)
    if PLACEHOLDER.match(en) and text[:1].islower():  # "the Development Zone …" opens the sentence
        text = text[0].upper() + text[1:]
    return text, tuple(flags)

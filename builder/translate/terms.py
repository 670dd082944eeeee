"""Names, fixed terms and figures are never left to the engine: placeholders in, fixed English out.

Before machine translation, each of these in a segment is replaced by a placeholder token:

    enterprise  every Chinese form in the glossary (content/glossary/enterprises.yaml):
                the full name (name_zh) becomes name_en, a short form short_en
    district    a district's Chinese name and the forms content/taxonomy.yaml lists as its
                names: `names_zh` (其他全称) → en, `short_names_zh` (鼓楼) → short_en, and
                `generic_names_zh` (经开区: a common noun that means this zone in Xuzhou news)
                → short_en, but only when no other place is named right before it (邳州经开区
                is Pizhou's zone: left to the engine). A taxonomy *keyword* is never masked:
                keywords say what an article is about (客流, 融资, 景区), they are ordinary words.
    place, term and the other entries of the terminology list (content/glossary/terms.yaml,
                builder.content.parse_terms): 徐州 → Xuzhou, 颗粒硅 → granular silicon
    figure      what builder/translate/numbers.py converts (14224.4万元 → CNY 142.244 million)
    markup      inline Markdown (builder/markdown.markup_spans): each emphasis delimiter and a
                link's `[` and `](target)` (kinds markup-open / markup-close, each slot's `ref`
                the token of its other half), and code spans, autolinks, bare URLs and
                escapes whole (markup-atom): the engine sees words only, never a URL

After translation each token is replaced by that English. A token that does not come back
exactly once means the engine dropped, doubled or mangled it: the segment is flagged
`placeholder` (see quality.py), never published as if fine.

Token shape: ``Z`` and two of the consonants ``B C D F G H K L N P S T X`` — ZBB, ZBC … ZXX
(169 per segment), because

  * the Argos zh→en model's SentencePiece vocabulary is shared by Chinese and English, so it
    has every capital ASCII letter as a piece (English names, acronyms); the tiny test model
    (tinymodel.py, trained on the seed only) lacks some letters (Q, E, J, M, O, R, U, V, W)
    and would turn them into <unk>, so only letters that both have are used
    (tests/translate/test_terms.py checks every token against that vocabulary);
  * an all-capital acronym (like GDP, TCL, PACK in Chinese news) is what a zh→en model
    copies unchanged: parallel corpora carry Latin acronyms across as they are; with no
    vowel it is not an English word or a pinyin syllable that the model might translate;
  * no digits (numbers.py and the figure check must not see them), no "_" or "▁"
    (argostranslate's decoding turns those into spaces);
  * fixed length: tokens the model glues together (ZBBZBC) still split unambiguously.

Tokens stand apart: in the masked sentence a token gets a space on each side where it
would otherwise touch a letter, a digit, a Chinese character or another token (中心商圈
ZBB、ZBC 等) — the spacing Chinese typesetting uses around Latin words (none next to
punctuation), and the form in which SentencePiece starts the token as a word of its own
(after "▁"), as it is in English text, instead of gluing it to its neighbour's pieces.
Restoring accepts the spacing a model may add or drop: a token glued to a following letter
(ZBBs) is mangled and does not count, one glued to a preceding lower-case letter or to
digits is separated again.

Restoring also writes the English as a person would: a name that opens a sentence is
capitalised (granular silicon → Granular silicon), a name whose English has its own
article (the Development Zone) does not get a second one ("the ZBB"), and a name ending in a
full stop (Co., Ltd.) does not get a second one at the end of a sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.glossary import _trie
from builder.markdown import markup_spans
from builder.model import GlossaryTerm, Site
from builder.translate.numbers import find_amounts

TOKEN_LETTERS = "BCDFGHKLNPSTX"
TOKEN_PREFIX = "Z"
MAX_TOKENS = len(TOKEN_LETTERS) ** 2
_L = f"[{TOKEN_LETTERS}]"
TOKEN = re.compile(rf"(?<![A-Za-z0-9]){TOKEN_PREFIX}{_L}{_L}(?![A-Za-z0-9])")
# any placeholder token in a text (`briefing check` looks for ones left in reviewed English):
# today's, or ZQA, ZQB … (the shape of earlier versions, which an older memory may still hold)
PLACEHOLDER = re.compile(rf"(?<![A-Za-z0-9])(?:{TOKEN_PREFIX}{_L}{_L}|ZQ[A-Z]+)(?![A-Za-z0-9])")
# a run of tokens as an engine may give it back: glued together or to a preceding lower-case
# letter or digit, but not to a following letter (ZBBs is not ZBB) or a preceding capital
_RUN = re.compile(rf"(?<![A-Z])(?:{TOKEN_PREFIX}{_L}{_L})+(?![A-Za-z])")

# before a generic name (经开区), characters after which it names our zone and not another
# place's: punctuation and the function words news puts before a place
_BEFORE_GENERIC = frozenset("在的与和及同跟对向从到将把被让给至于由以为是了入驻落全本我该此各留赴抵来去回等、，。：；！？“”‘’（）《》「」 ")
_OPENERS = "“‘\"'([（【《"
_SENTENCE_END = ".!?。！？"
_ARTICLE = re.compile(r"(?:^|(?<=[\s(“‘\"]))([Tt]he)\s+$")


def token(index: int) -> str:
    """0 -> ZBB, 1 -> ZBC, 13 -> ZCB … 168 -> ZXX."""
    if not 0 <= index < MAX_TOKENS:
        raise ValueError(f"token index {index} out of range")
    high, low = divmod(index, len(TOKEN_LETTERS))
    return TOKEN_PREFIX + TOKEN_LETTERS[high] + TOKEN_LETTERS[low]


@dataclass(frozen=True)
class Slot:
    token: str
    zh: str
    en: str
    kind: str  # enterprise | district | place | term | name | pen-name | figure
    ref: str = ""  # glossary / taxonomy id


@dataclass(frozen=True)
class Masked:
    zh: str  # the original segment
    source: str  # what the engine sees
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class _Name:
    en: str
    kind: str
    ref: str
    generic: bool = False  # 经开区: only where no other place name comes right before


class Protector:
    """Built once per run; `mask` a segment before MT and `restore` the engine's English.

    `glossary_terms` is the terminology list (Site.terms, builder.content.parse_terms). Where one Chinese
    form is in several lists, an enterprise wins over a district, a district over a term."""

    def __init__(self, site: Site, glossary_terms: Iterable[GlossaryTerm] = ()):
        names: dict[str, _Name] = {}
        for ent in sorted(site.enterprises, key=lambda e: e.id):
            for form in ent.zh_forms:
                en = ent.name_en if form == ent.name_zh else (ent.short_en or ent.name_en)
                names.setdefault(form, _Name(en, "enterprise", ent.id))
        for term in sorted(site.districts, key=lambda t: t.id):
            short = term.short_en or term.en
            names.setdefault(term.zh, _Name(term.en, "district", term.id))
            for form in term.names_zh:
                names.setdefault(form, _Name(term.en, "district", term.id))
            for form in term.short_names_zh:
                names.setdefault(form, _Name(short, "district", term.id))
            for form in term.generic_names_zh:
                names.setdefault(form, _Name(short, "district", term.id, generic=True))
        for entry in glossary_terms:
            for form in (entry.zh, *entry.aliases_zh):
                names.setdefault(form, _Name(entry.en, entry.kind, ""))
        self.names = {form: name for form, name in names.items() if form}
        self.pattern = re.compile(_trie(self.names)) if self.names else None

    def spans(self, zh: str) -> list[tuple[int, int, str, str, str]]:
        """Non-overlapping (start, end, en, kind, ref), leftmost-longest over names and figures."""
        candidates = []
        if self.pattern:
            for m in self.pattern.finditer(zh):
                name = self.names[m.group(0)]
                candidates.append((m.start(), m.end(), name))
        for amount in find_amounts(zh):
            candidates.append((amount.start, amount.end, _Name(amount.en, "figure", "")))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        chosen: list[tuple[int, int, str, str, str]] = []
        end = -1
        for start, stop, name in candidates:
            if start < end:
                continue
            if name.generic:
                before = zh[start - 1] if start else ""
                after_name = bool(chosen) and chosen[-1][1] == start
                if after_name or (before.isalnum() and before not in _BEFORE_GENERIC):
                    continue  # 邳州经开区, 宿迁经开区: another place's zone, left to the engine
            chosen.append((start, stop, name.en, name.kind, name.ref))
            end = stop
        return chosen

    def mask(self, zh: str) -> Masked:
        spans = self.spans(zh)
        marks = markup_spans(zh)
        if marks:
            # a name or figure inside markup (a link target, code) is given back with the markup
            spans = [s for s in spans if not any(s[0] < m.end and m.start < s[1] for m in marks)]
            spans = sorted(spans + [(m.start, m.end, zh[m.start:m.end], "markup-" + m.kind, str(m.pair))
                                    for m in marks])
        spans = spans[:MAX_TOKENS]
        free = (t for t in map(token, range(MAX_TOKENS)) if t not in zh)
        out: list[str] = []
        slots = []
        last = 0
        for start, end, en, kind, ref in spans:
            tok = next(free, None)
            if tok is None:
                break
            before = zh[last:start]
            out.append(before)
            if _wordy("".join(out)[-1:]):
                out.append(" ")
            out.append(tok)
            following = zh[end:end + 1]
            if _wordy(following):
                out.append(" ")
            slots.append(Slot(tok, zh[start:end], en, kind, ref))
            last = end
        out.append(zh[last:])
        if marks:  # a markup slot's ref: the token of the other half of its pair
            at = {start: slot.token for (start, *_), slot in zip(spans, slots)}
            starts = [m.start for m in marks]
            slots = [dataclasses.replace(slot, ref=at.get(starts[int(slot.ref)], "") if slot.ref != "-1" else "")
                     if slot.kind.startswith("markup") else slot for slot in slots]
        return Masked(zh, "".join(out), tuple(slots))


def _wordy(ch: str) -> bool:
    """A character a token must not touch: a letter, digit or Chinese character."""
    return bool(ch) and ch.isalnum()


def tokens_in(text: str) -> list[str]:
    """Every token an engine gave back, in order (glued ones split)."""
    found: list[str] = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        found.extend(run[i:i + 3] for i in range(0, len(run), 3))
    return found


def restore(masked: Masked, en: str) -> tuple[str, tuple[str, ...]]:
    """Put the fixed English back; flags ('placeholder',) unless every name, term and figure
    token came back once, ('markup',) unless every markup token did (and each pair in order).

    Markup comes back as the writer typed it, an opening delimiter glued to the word after
    it and a closing one to the word before (`a **member day**`). A pair the engine broke
    (one half lost, doubled, or the halves swapped) is left out whole: the words stay, plain,
    and the flag says why, so a lost `**` or `](url)` never breaks the page."""
    by_token = {slot.token: slot for slot in masked.slots}
    counts: dict[str, int] = {}
    order: dict[str, int] = {}
    for index, tok in enumerate(tokens_in(en)):
        counts[tok] = counts.get(tok, 0) + 1
        order.setdefault(tok, index)
    found = set()
    # a token-like word the Chinese itself has (a model number) is not ours
    if any(counts.get(t, 0) != 1 for t, slot in by_token.items() if not slot.kind.startswith("markup")) or \
            any(t not in by_token and t not in masked.zh for t in counts):
        found.add("placeholder")
    dropped = set()
    for t, slot in by_token.items():
        if not slot.kind.startswith("markup"):
            continue
        if counts.get(t, 0) != 1:
            found.add("markup")
            dropped.add(t)
        if slot.kind == "markup-open" and (counts.get(t, 0) != 1 or counts.get(slot.ref, 0) != 1
                                           or order[t] > order[slot.ref]):
            found.add("markup")
            dropped.update((t, slot.ref))
    flags = tuple(code for code in ("placeholder", "markup") if code in found)

    out = ""
    last = 0
    for m in _RUN.finditer(en):
        out += en[last:m.start()]
        run = m.group(0)
        glue = False
        for i in range(0, len(run), 3):
            tok = run[i:i + 3]
            found_slot = by_token.get(tok)
            if found_slot is None:
                out += tok
                continue
            slot = found_slot
            glue = False
            if tok in dropped:
                continue
            if slot.kind == "markup-open":
                out += (" " if out[-1:].isalnum() else "") + slot.en
                glue = True
            elif slot.kind == "markup-close":
                out = out.rstrip(" ") + slot.en
            elif slot.kind == "markup-atom":
                out += (" " if out[-1:].isalnum() else "") + slot.en
            else:
                out = _put(out, slot.en)
        last = m.end()
        rest = en[last:]
        if glue:
            last += len(rest) - len(rest.lstrip(" "))  # "ZBB member day" → "**member day"
        elif rest[:1].isalnum():
            out += " "  # the engine glued the next word or number to the token
        elif re.match(r"\s+(?:[,.;:!?)\]’”]|['’]s\b)", rest):
            last += len(rest) - len(rest.lstrip())  # "ZBB ’s", "ZBB ," → "X’s", "X,"
        if out.endswith(".") and en[last:last + 1] == ".":
            last += 1  # "… Co., Ltd." at the end of a sentence: one full stop
    out += en[last:]
    if dropped:  # the space a left-out token stood in
        out = re.sub(r"(?<=\S) {2,}(?=\S)", " ", out)
        out = re.sub(r" +(?=[,.;:!?])", "", out)
    return out, flags


def _put(out: str, english: str) -> str:
    """`out` followed by a name's English, spaced, with its article and capital right."""
    if out.endswith(tuple(_OPENERS + " ")) and out.rstrip(" ").endswith(tuple(_OPENERS)):
        out = out.rstrip(" ")  # "( ZBB" → "(X"
    elif out[-1:].isalnum():
        out += " "  # glued to the word before
    if english[:4] in ("the ", "The ") and _ARTICLE.search(out):
        english = english[4:]  # "the ZBB" with ZBB = "the Development Zone"
    head = out.rstrip(" " + _OPENERS)
    if (not head or head[-1] in _SENTENCE_END) and english[:1].islower():
        english = english[0].upper() + english[1:]
    return out + english

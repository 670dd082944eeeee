"""Quality flags on machine output: what Argos zh→en really gets wrong, caught before a reader sees it.

Each flag has a short stable code, stored in the PO comment (`#. flags: omission, figure`)
and explained to readers by the renderer from FLAGS. `assess` computes them for one
segment from the masked source (terms.Masked), the engine's own output (tokens still in
it) and the restored English.

How each threshold was set (tests/translate/test_quality.py recomputes the numbers and
checks that no reviewed segment of the seed is flagged):

  omission / addition   English letters and digits per Chinese character, names, terms and
        figures left out on both sides (they come back from the glossary whatever the engine
        does). Among the 64 of the seed's 84 reviewed segments that have at least MIN_CHARS
        Chinese characters, the ratio has median 4.3, minimum 2.82 and maximum 6.0.
        MIN_RATIO = 2.0 is ~70% of that minimum (a machine's English runs a little shorter
        than a person's, who adds glosses); MAX_RATIO = 9.0 is 1.5 × the maximum. Shorter
        segments (headings, "“市中心！”") range 2.7–8 and are not judged.
  repetition   a phrase of one word repeated three times in a row, or of two to eight words
        twice in a row (Argos's loops: "the development of the development of"), or a
        three-word phrase three times anywhere; the reviewed seed has none.
  cut          the output has as many pieces as the decoding limit (engine.MAX_DECODING_LENGTH):
        the engine stopped because it had to, not because the sentence ended.
  negation     the Chinese has 不 / 未 / 没有 / 无 / 否 / 非 (words where they do not negate —
        不断, 不仅, 未来, 无锡, 否则, 是否, 非常 … — taken out first) and the English has no
        negation at all; Argos drops or flips negation.
  figure       a figure of the source that was not masked (plain numbers, years, codes like
        5A, 百亿) is not in the English with the same value (numbers.missing_figures).
  placeholder  a protected name, term or figure did not come back exactly once (terms.restore).
  markup       an inline Markdown token (emphasis, code, a link and its target) did not come back
        exactly once, or a pair came back in the wrong order (terms.restore leaves it out).
  chinese-left Chinese characters in the English: the engine copied what it could not translate.
  low-score    mean log-probability per output piece below LOW_SCORE. Not calibrated here (the
        real model cannot be downloaded on this machine; the reviewed English has no score):
        -1.6 is e^-1.6 ≈ 0.2 per piece, an engine guessing among about five words at every step.

The values compared are stored with the output (memory comment lines `score:` and `ratio:`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.translate import numbers
from builder.translate.terms import _RUN, Masked

FLAGS = {
    "placeholder": "a protected name, term or figure was lost or doubled by the engine",
    "markup": "the engine lost or moved formatting of the Chinese (bold, italics, code or a link): "
              "the English shows those words plain",
    "omission": "much shorter than the Chinese: part of the sentence may be missing",
    "addition": "much longer than the Chinese: the engine may have added or repeated text",
    "repetition": "a phrase repeats in a loop",
    "cut": "the engine stopped at its length limit: the end of the sentence is missing",
    "negation": "the Chinese says 'not' or 'no' and the English does not",
    "figure": "a figure in the Chinese is missing from the English or has another value",
    "chinese-left": "Chinese text left untranslated in the English",
    "low-score": "the engine was unsure of this translation",
}



def describe(flags: tuple[str, ...] | list[str]) -> str:
    """Flags in words for `check` and build reports: 'figure (a figure in the Chinese …)'."""
    return "; ".join(f"{code} ({FLAGS.get(code, 'a check this version does not know')})" for code in flags)


MIN_CHARS = 10
MIN_RATIO, MAX_RATIO = 2.0, 9.0
LOW_SCORE = -1.6

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

# Chinese: negation characters, and the words in which they do not negate (or negate
# something the English says without a negative word); the longest match wins
_NEGATORS = re.compile("没有|不|未|没|无|否|非|勿|莫")
_NOT_NEGATION_WORDS = (
    "不断", "不仅", "不但", "不少", "不同", "不久", "不管", "不论", "不过", "不禁", "不错", "不已", "不凡", "不菲", "不时", "不停", "不乏", "不一", "不妨", "不免",
    "不由", "不得不", "不可或缺", "不懈", "不折不扣", "不约而同", "不遗余力", "马不停蹄", "层出不穷", "川流不息", "源源不断", "持续不断", "坚定不移",
    "毫不动摇", "不忘初心", "不可替代", "不可多得", "了不起", "不可思议", "不亦乐乎", "不胜枚举", "供不应求", "不容小觑", "不言而喻", "不平凡",
    "不寻常", "不计其数", "必不可少", "不少于", "不低于", "不亚于", "不外乎", "不仅仅", "不光", "要不", "不如", "不然",
    "无锡", "无人机", "无线", "无缝", "无论", "无疑", "无限", "无偿", "无比", "无数", "无不", "无处不在", "无微不至", "有增无减", "无尘", "无菌", "无纸化",
    "无障碍", "无人驾驶", "无可比拟", "无与伦比", "毫无疑问", "独一无二", "无形", "无私", "无畏", "无愧", "无间", "无忧", "无公害", "无害化", "无机",
    "未来", "否则", "是否", "能否", "可否", "与否", "非常", "非遗", "非物质", "莫过于", "莫大",
)
_NOT_NEGATION = re.compile("|".join(sorted(_NOT_NEGATION_WORDS, key=len, reverse=True)))
# English: words that negate, or say in one word what a Chinese negation says
_ENGLISH_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nothing|nobody|nowhere|neither|nor|without|cannot|lack\w*|absen\w+|fail\w*|"
    r"yet to|refus\w+|den(?:y|ied|ies)|prohibit\w*|forbid\w*|ban(?:s|ned)?|free of|instead of|rather than|"
    r"un(?:able|precedented|like|less|known|certain|changed|manned|finished|resolved|solved|paid|employ\w*|"
    r"fair|safe|qualified|licensed|authori[sz]ed|usual|matched|rivalled|paralleled|ceasing\w*|relenting\w*)|"
    r"in(?:sufficient|adequate|complete|valid)|non-?\w+|\w+-free|\w+less|less than|fewer than|below|short(?:age)? of|"
    r"\w+n't)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quality:
    flags: tuple[str, ...]
    score: float | None  # mean log-probability per output piece (compared with LOW_SCORE)
    ratio: float | None  # English letters per Chinese character (compared with MIN_RATIO, MAX_RATIO)


def length_ratio(source: str, output: str) -> float | None:
    """English letters and digits per Chinese character (and letter, digit) of the source,
    with the tokens taken out of both; None when the source is too short to judge."""
    zh = sum(1 for ch in _RUN.sub("", source) if ch.isalnum())
    en = sum(1 for ch in _RUN.sub("", output) if ch.isascii() and ch.isalnum())
    if zh < MIN_CHARS:
        return None
    return en / zh


def repeats(text: str) -> bool:
    """A phrase that loops: one word three times in a row, 2–8 words twice in a row, or
    three words three times anywhere."""
    words = [w.lower() for w in _WORD.findall(text)]
    n_words = len(words)
    for size in range(1, 9):
        times = 3 if size == 1 else 2
        for i in range(n_words - size * times + 1):
            phrase = words[i:i + size]
            if all(words[i + k * size:i + (k + 1) * size] == phrase for k in range(1, times)):
                return True
    seen: dict[tuple[str, ...], int] = {}
    for i in range(n_words - 2):
        key = tuple(words[i:i + 3])
        seen[key] = seen.get(key, 0) + 1
        if seen[key] >= 3:
            return True
    return bool(re.search(r"([^\W\d_])\1{4,}", text))  # a letter or character five times: aaaaa, 舰舰舰舰舰


def negated(zh: str) -> bool:
    """Does the Chinese say 'not' (apart from the words where 不 / 无 / 未 … do not negate)?"""
    return bool(_NEGATORS.search(_NOT_NEGATION.sub("", zh)))


def assess(masked: Masked, output_text: str, restored: str, *, score: float | None = None,
           pieces: int = 0, limit: int = 0, placeholder: bool = False, markup: bool = False) -> Quality:
    """The flags of one machine translation, in FLAGS order.

    output_text is the engine's English with the tokens still in it, restored the English
    after terms.restore; score the engine's mean log-probability per piece, pieces the
    number of pieces it produced and limit its decoding limit (0: none)."""
    found = set()
    if placeholder:
        found.add("placeholder")
    if markup:
        found.add("markup")
    ratio = length_ratio(masked.source, output_text)
    if not restored.strip() or (ratio is not None and ratio < MIN_RATIO):
        found.add("omission")
    elif ratio is not None and ratio > MAX_RATIO:
        found.add("addition")
    if repeats(output_text):
        found.add("repetition")
    if limit and pieces >= limit:
        found.add("cut")
    if negated(masked.source) and not _ENGLISH_NEGATION.search(restored):
        found.add("negation")
    if numbers.missing_figures(masked.source, restored):
        found.add("figure")
    if _HAN.search(restored):
        found.add("chinese-left")
    if score is not None and pieces and score < LOW_SCORE:
        found.add("low-score")
    return Quality(tuple(code for code in FLAGS if code in found), score,
                   None if ratio is None else round(ratio, 2))

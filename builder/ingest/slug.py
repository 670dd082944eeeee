"""Slugs that read as words: the title cut into words (jieba), each word in pinyin.

    鼓楼：“四区”同建，在创新中谋发展      -> gulou-siqu-tongjian-chuangxin
    铜山推进重点项目建设                  -> tongshan-tuijin-zhongdian-xiangmu

The district id comes first when the article has exactly one district; its names (and every
district's names) are taken out of the title first. Then up to three words: particles (的, 在 …),
numbers and the units after them, and 徐州 itself are left out; a word of four or more
characters counts as the words inside it (重点项目 -> zhongdian, xiangmu; 年销售额 -> xiaoshoue,
not nianxiao; two characters where jieba's dictionary has no word), a lone character
pairs with a lone neighbour (链 上 -> lianshang) or is left out; a chunk of four characters
between punctuation (“智改数转”) is two words of two. Enterprise and place names are
known words, so 恒泰新材料 is not cut as 恒泰新 材料, and so are the taxonomy's industry words
(新材料 -> xincailiao, not 新 + 材料).

jieba ships its dictionary inside its wheel (nothing is downloaded); loading it takes about half
a second, so it is loaded only when a new page needs a slug: a page that ingest wrote before
keeps its slug (content/.ingest-state.json).
"""

from __future__ import annotations

import re
import threading

from builder.ingest.text import HAN

STOP = set("的了在和与及是为对把被将从向于之着并而或等再又也")
SKIP_WORDS = {"徐州", "徐州市"}
_MEASURE = re.compile(r"^(?:余|多|万|亿|千|百|个|家|项|人次|万人次|人|元|万元|亿元|吨|万吨|年|月|日|届|期|号|台|套|平方米|公里|亩|分钟|小时|天)+")

_lock = threading.Lock()
_tokenizer = None


def _jieba_cut(text: str) -> list[str]:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            _tokenizer = jieba.Tokenizer()
        return _tokenizer.lcut(text, HMM=True)


def _is_word(word: str) -> bool:
    """A word of jieba's dictionary (which also lists the prefixes of its words, with count 0)."""
    _jieba_cut("")
    assert _tokenizer is not None
    with _lock:
        _tokenizer.check_initialized()
    return bool(_tokenizer.FREQ.get(word))


def _pieces(token: str, names: frozenset[str] = frozenset()) -> list[str]:
    """A long word (four characters or more) as its own words: the longest dictionary word at
    each place (年销售额 -> 销售额, not 年销 + 售额; 重点项目 -> 重点 + 项目); a lone character
    before a word is left out; where the dictionary knows no word, two characters, the last
    piece taking an odd one left over (专精特新 -> 专精 + 特新). Known names are words too
    (恒泰新材料 -> 恒泰 + 新材料)."""

    def known(word: str) -> bool:
        return word in names or _is_word(word)

    out: list[str] = []
    i = 0
    while i < len(token):
        word = next((token[i:j] for j in range(len(token), i + 1, -1)
                     if (i, j) != (0, len(token)) and known(token[i:j])), None)
        if word is not None:
            out.append(word)
            i += len(word)
        elif any(known(token[i + 1:j]) for j in range(i + 3, len(token) + 1)):
            i += 1  # 年 in 年销售额
        else:
            rest = token[i:]
            piece = rest if len(rest) <= 3 else rest[:2]
            out.append(piece)
            i += len(piece)
    return [p for p in out if len(p) >= 2]


def _cut(text: str, names: frozenset[str]) -> list[str]:
    """Words of `text`: known names (longest first) as they are, jieba for the rest. Known names
    are not added to jieba's dictionary, which would make a slug depend on what was cut before."""
    lengths = sorted({len(n) for n in names if 2 <= len(n) <= 16}, reverse=True)
    out: list[str] = []
    start = i = 0
    while i < len(text):
        name = next((text[i:i + n] for n in lengths if text[i:i + n] in names), None)
        if name:
            if start < i:
                out += _jieba_cut(text[start:i])
            out.append(name)
            i = start = i + len(name)
        else:
            i += 1
    if start < len(text):
        out += _jieba_cut(text[start:])
    # a token mixing Latin letters and Chinese (TCL中环) is two words
    return [part for token in out for part in re.findall(r"[A-Za-z0-9]+|[^A-Za-z0-9]+", token)]


def _pinyin(word: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(re.sub(r"[^a-z]", "", s.lower().replace("ü", "v")) for s in lazy_pinyin(word))


def slug_words(title: str, remove: tuple[str, ...] = (), names: frozenset[str] = frozenset(), limit: int = 3) -> list[str]:
    text = title
    for form in sorted(set(remove), key=len, reverse=True):
        if form:
            text = text.replace(form, " ")
    words: list[str] = []
    pending: str | None = None  # a lone character waiting for a lone neighbour (“链”上 -> lianshang)
    for chunk in re.split(rf"[^{HAN}A-Za-z0-9]+", text):
        if not chunk:
            continue
        # a four-character chunk (“智改数转”, 县区速递) is two words of two, whatever jieba makes of it
        tokens = [chunk[:2], chunk[2:]] if re.fullmatch(rf"[{HAN}]{{4}}", chunk) and chunk not in names \
            else _cut(chunk, names)
        after_number = False
        for token in tokens:
            if (token.isascii() and token.isdigit()) or re.fullmatch(r"\d+(?:\.\d+)?", token):
                after_number, pending = True, None
                continue
            if after_number and _MEASURE.match(token):
                after_number = False
                continue
            after_number = False
            if token in SKIP_WORDS or token in STOP:
                pending = None
                continue
            if token.isascii():
                pending = None
                words.append(token.lower())
                continue
            if len(token) == 1:
                if pending is not None:
                    words.append(_pinyin(pending + token))
                    pending = None
                else:
                    pending = token
                continue
            pending = None
            if len(token) >= 4:
                words += [_pinyin(p) for p in _pieces(token, names)]
            else:
                words.append(_pinyin(token))
    out: list[str] = []
    for word in words:
        if word and word not in out:
            out.append(word)
    return out[:limit]


def make_slug(title: str, district=None, *, remove: tuple[str, ...] = (), names: frozenset[str] = frozenset()) -> str:
    """ASCII slug: the district id (if any) + up to three words of the title."""
    forms = list(remove)
    if district is not None:
        forms += [district.zh, *district.keywords, *getattr(district, "aliases", ())]
    parts = ([district.id] if district is not None else []) + slug_words(title, tuple(forms), names)
    slug = re.sub(r"-+", "-", "-".join(parts)).strip("-")
    return slug or "briefing"

"""Bytes to clean Simplified Chinese text, and the character classes every other stage uses.

    decode(data, path, html=False) -> str    UTF-8 (BOM or not), UTF-16 with a BOM, a saved web
                                              page's declared charset, else GB18030 or BIG5
    to_simplified(text) -> (text, converted)  Traditional -> Simplified (OpenCC tw2s)
    normalise(text) -> str                    small-form / vertical / full-width forms -> the usual ones
"""

from __future__ import annotations

import codecs
import re

from builder.errors import BuildError
from builder.lazyre import LazyPattern as lazy_re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_ANY = lazy_re(rf"[{HAN}\u3000-\u303f\uff00-\uffef\u2010-\u206f]")
TERMINAL = "。！？!?；;…"
CLOSERS = "”’」』)）】》\"'"
CONTINUING = "，、,：:（(“‘《—"
DATE = lazy_re(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


# ---- decoding ----------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# what a declared charset means in practice: browsers read gb2312 and gbk as GB18030 (a superset)
# and big5 with the Hong Kong extensions
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030",
                    "cp936": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs",
                    "cp950": "big5hkscs", "utf-8": "utf-8", "utf8": "utf-8"}


def declared_charset(data: bytes) -> str | None:
    """The charset a saved web page declares in a <meta> tag (first 4 KB), as a Python codec."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    return _CHARSET_ALIASES.get(m.group(1).decode("ascii").lower())


def decode(data: bytes, path: str, html: bool = False) -> str:
    """Bytes of a raw article file -> text. UTF-8 (with or without BOM), UTF-16 with a BOM, the
    charset a web page declares, else GB18030 (a superset of GBK and GB2312) or BIG5. Anything
    else is a BuildError naming the file and the line of the first bad byte."""
    if not data.strip():
        raise BuildError(path, None, "is empty: there is no article text in it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _check_text(data.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise BuildError(path, None, f"cannot be decoded as UTF-16 (offset {exc.start})") from None
    try:
        return _check_text(data.decode("utf-8-sig"), path)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if html:
        declared = declared_charset(data)
        if declared and declared != "utf-8":
            try:
                return _check_text(data.decode(declared), path)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common: fall back to looking at the bytes
    decoded: dict[str, str] = {}
    gb_error = None
    for codec in ("gb18030", "big5hkscs"):
        try:
            decoded[codec] = data.decode(codec)
        except UnicodeDecodeError as exc:
            if codec == "gb18030":
                gb_error = exc
    if len(decoded) == 2:
        return _check_text(decoded[_likelier_chinese(data)], path)
    if decoded:
        return _check_text(next(iter(decoded.values())), path)
    # The decoder that got further is the likelier intended encoding: point there.
    assert gb_error is not None
    worst = max((utf8_error, gb_error), key=lambda e: e.start)
    line = data.count(b"\n", 0, worst.start) + 1
    byte = data[worst.start]
    raise BuildError(path, line, f"cannot be decoded: byte 0x{byte:02x} at offset {worst.start} is neither "
                                 "UTF-8 nor GB18030/GBK; save the file as UTF-8")


def _likelier_chinese(data: bytes) -> str:
    """GB text and BIG5 text both decode without error as the other (in different characters):
    charset-normalizer, which scores decoded text by how language-like it is, tells them apart.
    GB18030 when it cannot decide: most mainland pages are GB."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    return "big5hkscs" if best is not None and best.encoding.startswith("big5") else "gb18030"


def _check_text(text: str, path: str) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BuildError(path, line, "contains NUL characters: this is not a text file")
    if not text.strip():
        raise BuildError(path, None, "is empty: there is no article text in it")
    return text


# ---- scripts and punctuation ----------------------------------------------------

def to_simplified(text: str) -> tuple[str, bool]:
    """Traditional Chinese -> Simplified. Returns (text, was_traditional). Text that OpenCC
    changes less than it would change it the other way is Simplified already and is left as it is.

    tw2s, not t2s: t2s keeps 著 wherever Simplified also writes 著 (著名, 显著) and so leaves
    沿著 / 意味著 / 隨著 half converted; tw2s reads 著 as 着 except in the words that keep it.
    It converts characters only: tw2sp would also swap Taiwanese words (資訊 -> 信息, 軟體 ->
    软件), which rewrites what a BIG5 edition of a mainland page (converted character by
    character from Simplified in the first place) actually said."""
    from opencc import OpenCC

    simplified = OpenCC("tw2s").convert(text)
    changed = sum(a != b for a, b in zip(text, simplified))
    if changed == 0:
        return text, False
    traditional = OpenCC("s2t").convert(text)
    if changed <= sum(a != b for a, b in zip(text, traditional)):
        return _particle_zhe(text, simplified), False
    return simplified.translate(str.maketrans("「」『』", "“”‘’")), True


# 著 where Simplified writes 著 too: 著名, 显著, 名著 … (the words OpenCC's s2t keeps)
_ZHU_WORD = lazy_re(r"著(?=[名作称述录书者])|(?<=[显卓昭编论名原专巨土合遗译拙选])著")


def _particle_zhe(text: str, simplified: str) -> str:
    """A Simplified page half converted from Traditional keeps the particle 著 (沿著, 随著,
    意味著): those become 着 where tw2s reads 著 as the particle and the word is not one that
    Simplified writes with 著 (著名, 显著, 名著); no other character of a Simplified page is
    touched."""
    if "著" not in text or len(simplified) != len(text):
        return text
    keep = {m.start() for m in _ZHU_WORD.finditer(text)}
    return "".join("着" if a == "著" and b == "着" and k not in keep else a
                   for k, (a, b) in enumerate(zip(text, simplified)))


# small-form (﹐﹔﹒) and vertical (︰︐) punctuation, as BIG5 pages and some converters write it
_FORMS = str.maketrans({
    "﹐": "，", "﹑": "、", "﹔": "；", "﹕": "：", "﹖": "？", "﹗": "！", "﹙": "（", "﹚": "）",
    "﹛": "｛", "﹜": "｝", "﹝": "〔", "﹞": "〕", "﹟": "＃", "﹠": "＆", "﹡": "＊", "﹢": "＋", "﹣": "－",
    "﹤": "＜", "﹥": "＞", "﹦": "＝", "﹨": "＼", "﹩": "$", "﹪": "%", "﹫": "@",
    "︐": "，", "︑": "、", "︒": "。", "︓": "：", "︔": "；", "︕": "！", "︖": "？", "︰": "：",
    "︵": "（", "︶": "）", "﹁": "“", "﹂": "”", "﹃": "‘", "﹄": "’", "‧": "·",
})
# full-width digits and Latin letters (２０２３年, ＧＤＰ) -> ASCII: the number converter of the
# translation stage and every search reads ASCII digits
_WIDE = str.maketrans({chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                         *range(0xFF41, 0xFF5B)]})


def normalise(text: str) -> str:
    """Punctuation in its usual Chinese form, digits and Latin letters in ASCII. A small full
    stop ends a sentence (。) except between digits, where it is a decimal point."""
    text = re.sub(r"(?<=[0-9０-９])[﹒．](?=[0-9０-９])", ".", text)
    text = text.replace("﹒", "。").translate(_FORMS).translate(_WIDE)
    text = re.sub(r"(?<=\d)％", "%", text)
    return text.replace("──", "——")


# ---- small helpers on text ---------------------------------------------------------

def strip(line: str) -> str:
    return line.strip(" \t\r\u3000\ufeff\u00a0")


def is_closed(text: str) -> bool:
    """True when the text ends a sentence (。！？； or …, possibly inside closing quotes)."""
    core = text.rstrip(CLOSERS + " ")
    return bool(core) and core[-1] in TERMINAL


def is_continuing(text: str) -> bool:
    return bool(text) and text[-1] in CONTINUING


def clean(text: str) -> str:
    """Whitespace inside Chinese text is layout damage: drop it next to Chinese characters,
    collapse it elsewhere."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def join_two(a: str, b: str) -> str:
    a, b = a.rstrip(), b.lstrip()
    if a and b and not (CJK_ANY.match(a[-1]) or CJK_ANY.match(b[0])):
        return a + " " + b
    return a + b


def iso_date(text: str) -> str | None:
    """The first full date in `text` that is a day of the calendar, as YYYY-MM-DD."""
    for m in DATE.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1900 <= year <= 2100 and _real_day(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def impossible_date(text: str) -> str | None:
    """A full date in `text` that no calendar has (2024年2月30日, 2024-13-45), as written."""
    for m in DATE.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1900 <= year <= 2100 and not _real_day(year, month, day):
            return m.group(0).strip()
    return None


def _real_day(year: int, month: int, day: int) -> bool:
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True

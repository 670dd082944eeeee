"""Chinese figures → English, exactly, and a check that the English kept every figure.

A machine translation model is not trusted with the figures whose English needs a
conversion: 14224.4万元 must become "CNY 142.244 million", never "142.2 million yuan" or
"14,224.4 ten-thousand"; 1至7月 "January to July", never "1 to July". `find_amounts`
returns those figures with their English; terms.py masks each one before translation and
puts the English back afterwards. What it converts:

    amounts       14224.4万元 · 1500多万元 · 10余亿元 · 两亿元 · 一百五十万 · 人民币5000万元 · 5000万美元
    units         11.4平方公里 · 4.6万吨 · 15吉瓦时 · 100万千瓦 · 12英寸 · 3000元/吨
    counters      5847户 · 20余万人 · 3万辆 · 120台套 (a counter that only counts, 家 个 项 件 台 片 …,
                  gives the number alone: the noun is the sentence's)
    qualifiers    超 超过 逾 近 将近 约 不足 不到 before, 多 余 以上 左右 after
    percentages   超30% · -3.2% · 2.5个百分点 · 百分之三十 · 20%—30%
    ranges        3至5亿元 · 3-5万吨 · 4至8英寸
    dates         6月12日 · 2019年3月 · 2023年6月12日 · 1至7月 · 1—5月份 (a date that does not
                  exist, 2月30日, is not converted)

What it leaves to the engine: a plain number that needs no conversion (6家, 2022年, 46.9%,
3号线), and anything it is unsure of — a wrong conversion is worse than none. Whatever is
left, `missing_figures` checks after translation: every figure of the source must be in the
English with the same value (1.5万 is 15,000, not 1.5), or the segment is flagged `figure`.

All arithmetic is `decimal.Decimal` on the digits as written (no float anywhere), so
14224.4 × 10⁴ is 142244000 exactly. Values of a million and more are written
"142.244 million" / "1 billion"; smaller ones with thousands separators ("46,000");
a counted number below ten is spelled out ("more than five"), as news style has it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

TEN = Decimal(10)
MULTIPLIERS = {"万亿": TEN ** 12, "千亿": TEN ** 11, "百亿": TEN ** 10, "亿": TEN ** 8,
               "千万": TEN ** 7, "百万": TEN ** 6, "万": TEN ** 4, "千": TEN ** 3}

# zh unit -> (singular, plural, style)
#   currency  "CNY 1 billion"       code before the figure
#   symbol    "11.4 km²"            never plural
#   word      "46,000 tonnes"       plural unless the value is exactly 1
#   noun      "5,847 households"    a counter with an English noun: the noun only when no
#                                   Chinese noun follows (17万户居民 → "170,000" + the model's "residents")
#   count     "177"                 a counter that only counts: the noun is the sentence's
#   inch      "12-inch"
UNITS: dict[str, tuple[str, str, str]] = {
    "人民币": ("CNY", "CNY", "currency"),
    "元": ("CNY", "CNY", "currency"),
    "美元": ("USD", "USD", "currency"),
    "欧元": ("EUR", "EUR", "currency"),
    "港元": ("HKD", "HKD", "currency"),
    "港币": ("HKD", "HKD", "currency"),
    "日元": ("JPY", "JPY", "currency"),
    "英镑": ("GBP", "GBP", "currency"),
    "韩元": ("KRW", "KRW", "currency"),
    "澳元": ("AUD", "AUD", "currency"),
    "平方公里": ("km²", "km²", "symbol"),
    "平方千米": ("km²", "km²", "symbol"),
    "平方米": ("m²", "m²", "symbol"),
    "立方米": ("m³", "m³", "symbol"),
    "公里": ("km", "km", "symbol"),
    "千米": ("km", "km", "symbol"),
    "厘米": ("cm", "cm", "symbol"),
    "毫米": ("mm", "mm", "symbol"),
    "纳米": ("nm", "nm", "symbol"),
    "米": ("m", "m", "symbol"),
    "公斤": ("kg", "kg", "symbol"),
    "千克": ("kg", "kg", "symbol"),
    "吉瓦时": ("GWh", "GWh", "symbol"),
    "兆瓦时": ("MWh", "MWh", "symbol"),
    "千瓦时": ("kWh", "kWh", "symbol"),
    "吉瓦": ("GW", "GW", "symbol"),
    "兆瓦": ("MW", "MW", "symbol"),
    "千瓦": ("kW", "kW", "symbol"),
    "公顷": ("hectare", "hectares", "word"),
    "亩": ("mu", "mu", "word"),
    "吨": ("tonne", "tonnes", "word"),
    "英寸": ("inch", "inch", "inch"),
    "人次": ("", "", "count"),  # visits, passenger trips, attendances: the sentence says which
    "户": ("household", "households", "noun"),
    "人": ("person", "people", "noun"),
    "辆": ("vehicle", "vehicles", "noun"),
    "台套": ("set", "sets", "noun"),
    "套": ("set", "sets", "noun"),
    "个百分点": ("percentage point", "percentage points", "word"),
    "百分点": ("percentage point", "percentage points", "word"),
    "名": ("", "", "count"),
    "家": ("", "", "count"),
    "个": ("", "", "count"),
    "项": ("", "", "count"),
    "件": ("", "", "count"),
    "台": ("", "", "count"),
    "片": ("", "", "count"),
    "处": ("", "", "count"),
    "座": ("", "", "count"),
    "所": ("", "", "count"),
    "条": ("", "", "count"),
    "批": ("", "", "count"),
    "轮": ("", "", "count"),
    "位": ("", "", "count"),
}
# "3000元/吨": a price per unit
PER_UNIT = {"吨": "per tonne", "平方米": "per m²", "千瓦时": "per kWh", "度": "per kWh", "人": "per person",
            "公斤": "per kg", "千克": "per kg", "亩": "per mu", "年": "a year", "月": "a month"}

QUALIFIERS_BEFORE = {"超过": "more than", "超": "more than", "逾": "more than", "将近": "nearly",
                     "近": "nearly", "约": "about", "大约": "about", "不足": "less than", "不到": "less than"}
QUALIFIERS_AFTER = {"多": "more than", "余": "more than"}
QUALIFIERS_END = {"以上": "more than", "左右": "about"}
FEWER = {"less than": "fewer than"}  # for things counted

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = "[零〇一二两三四五六七八九十百千万亿]+"
_NUM = rf"(?:{_AR}|{_CN})"
_SIGN = "[-−－]"
_DASH = "[-—–－~～]"
_TO = "至|到"
_SEP = rf"(?:{_TO}|{_DASH})"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# 千 is a multiplier, except in 千瓦 / 千米 / 千克 (units); ditto 百万 before 千瓦
_MULT = "万亿|千亿|百亿|亿|千万|百万|万|千(?!瓦|米|克)"
_UNIT = _alt(u for u in UNITS if u != "人民币")
_QB = _alt(QUALIFIERS_BEFORE)
_QA = _alt(QUALIFIERS_AFTER)
_QE = _alt(QUALIFIERS_END)
_PER = _alt(PER_UNIT)

_PATTERN = re.compile("|".join([
    # 1至7月, 1—5月份, 2023年1-5月, 1月至7月
    rf"(?P<mrange>(?:(?P<mry>\d{{4}})年)?(?P<ma>\d{{1,2}})月?(?P<msep>{_SEP})(?P<mb>\d{{1,2}})月份?)",
    # 2023年6月12日, 2019年3月, 6月12日, 6月, 6月份
    r"(?P<date>(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]|份)?)",
    # 3至5亿元, 3-5万吨, 4至8英寸, 20%—30%, 20-30%
    rf"(?P<range>(?P<rqb>{_QB})?(?P<ra>{_AR})(?P<rma>{_MULT})?(?P<rpa>[%％])?(?P<rsep>{_SEP})"
    rf"(?P<rb>{_AR})(?P<rmb>{_MULT})?(?:(?P<rpb>[%％])|(?P<ru>{_UNIT}))?(?P<rcur>人民币)?)",
    # 百分之三十
    rf"(?P<pctw>百分之(?P<pwn>{_NUM}))",
    # 超150万人次, 1500多万元, 人民币5000万元, 两亿元, -3.2%, 2.5个百分点, 3000元/吨
    rf"(?P<amount>(?P<cur>人民币)?(?P<qb>{_QB})?(?P<sign>{_SIGN})?(?P<n>{_NUM})(?P<qa1>{_QA})?"
    rf"(?P<mult>{_MULT})?(?P<qa2>{_QA})?(?:(?P<unit>{_UNIT})(?:/(?P<per>{_PER}))?|(?P<pct>[%％]))?"
    rf"(?P<curb>人民币)?(?P<qe>{_QE})?)",
]))

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_LEADING_DIGIT = set(_CN_DIGITS) - {"零", "〇"}


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    zh: str
    en: str


def _plain(value: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 142.2440 -> 142.244, 1E+1 -> 10."""
    return format(value.normalize(), "f")


def _scaled(value: Decimal) -> tuple[str, str]:
    """(number, scale word): 142244000 -> ('142.244', 'million'); 46000 -> ('46,000', '')."""
    for power, word in ((12, "trillion"), (9, "billion"), (6, "million")):
        if abs(value) >= TEN ** power:
            return _plain(value / TEN ** power), word
    text = _plain(value)
    if abs(value) >= 1000:
        whole, _, frac = text.lstrip("-").partition(".")
        text = ("-" if value < 0 else "") + f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text, ""


def format_number(value: Decimal) -> str:
    """46000 -> 46,000; 142244000 -> 142.244 million; 1000000000 -> 1 billion."""
    number, word = _scaled(value)
    return f"{number} {word}" if word else number


def chinese_number(text: str) -> Decimal | None:
    """一百五十万 -> 1500000, 十二亿 -> 1200000000, 一万亿 -> 10¹², 两 -> 2; None when it is
    not a well-formed numeral (二〇二三 is a digit string, not a number)."""
    if not text:
        return None
    for big, factor in (("亿", TEN ** 8), ("万", TEN ** 4)):
        if big in text:
            head, _, rest = text.partition(big)
            high = chinese_number(head) if head else Decimal(1)
            low = chinese_number(rest) if rest else Decimal(0)
            if high is None or low is None or (rest and low >= factor):
                return None
            return high * factor + low
    return _chinese_section(text)


def _chinese_section(text: str) -> Decimal | None:
    """A numeral below 10,000: 一千二百零五, 十二, 二十, 三千."""
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in "零〇":
            digit = None  # 一百零五: a zero only holds a place
        elif ch in _CN_DIGITS:
            if digit is not None:
                return None  # 二三: a digit string, not a numeral
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        total += digit
    return Decimal(total)


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    return chinese_number(text)


def _counted(value: Decimal) -> str:
    """A number of things: spelled out below ten (news style), else as format_number."""
    if value == value.to_integral_value() and 0 < value < 10:
        return SMALL[int(value)]
    return format_number(value)


def _cjk_follows(text: str, end: int) -> bool:
    return end < len(text) and "\u3400" <= text[end] <= "\u9fff" and text[end] != "的"


def _qualifier(m: re.Match, counted: bool) -> str:
    words = [QUALIFIERS_BEFORE.get(m.group("qb") or "", ""), QUALIFIERS_AFTER.get(m.group("qa1") or "", ""),
             QUALIFIERS_AFTER.get(m.group("qa2") or "", ""), QUALIFIERS_END.get(m.group("qe") or "", "")]
    found = [w for w in words if w]
    if len(set(found)) > 1:
        return "?"  # 约…以上: contradictory, not ours to resolve
    word = found[0] if found else ""
    return FEWER.get(word, word) if counted else word


def _month_range(m: re.Match) -> str | None:
    a, b = int(m.group("ma")), int(m.group("mb"))
    if not (1 <= a < b <= 12):
        return None
    sep = " to " if m.group("msep") in ("至", "到") else "–"
    year = f" {m.group('mry')}" if m.group("mry") else ""
    return f"{MONTHS[a - 1]}{sep}{MONTHS[b - 1]}{year}"


def _date(m: re.Match) -> str | None:
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return None
    year = int(m.group("y")) if m.group("y") else None
    if m.group("d"):
        day = int(m.group("d"))
        # a year we do not know may be a leap year: 2月29日 is a date
        days = calendar.monthrange(year if year else 2000, month)[1]
        if not 1 <= day <= days:
            return None
        return f"{MONTHS[month - 1]} {day}, {year}" if year else f"{MONTHS[month - 1]} {day}"
    return f"{MONTHS[month - 1]} {year}" if year else MONTHS[month - 1]


def _range(m: re.Match) -> str | None:
    a = _number(m.group("ra"))
    b = _number(m.group("rb"))
    if a is None or b is None:
        return None
    ma, mb = m.group("rma"), m.group("rmb")
    if ma and not mb:
        return None  # 5万至8: the second number's scale is not written
    mult = MULTIPLIERS[mb] if mb else Decimal(1)
    a *= MULTIPLIERS[ma] if ma else mult
    b *= mult
    if not a < b:
        return None
    to = m.group("rsep") in ("至", "到")
    qualifier = QUALIFIERS_BEFORE.get(m.group("rqb") or "", "")
    if m.group("rpb"):
        if ma or mb:
            return None
        text = f"{_plain(a)}% to {_plain(b)}%" if to else f"{_plain(a)}–{_plain(b)}%"
        return f"{qualifier} {text}".strip()
    if m.group("rpa"):
        return None  # 20%至30吨
    unit = m.group("ru")
    if unit is None:
        if not mb or m.group("rcur"):
            return None  # 3至5: plain numbers, the engine copies them
        unit = "个"  # 3至5万: a bare range, the multiplier on both
    singular, plural, style = UNITS[unit]
    if style == "count" and not mb:
        return None  # 3至5家: plain numbers, the engine copies them
    if style == "inch":
        return f"{format_number(a)}- to {format_number(b)}-inch"
    (na, wa), (nb, wb) = _scaled(a), _scaled(b)
    if to or wa != wb:
        figure = f"{format_number(a)} to {format_number(b)}"
    else:
        figure = f"{na}–{nb}" + (f" {wb}" if wb else "")
    if style == "currency":
        text = f"{singular} {figure}"
    elif style in ("symbol", "word") or (style == "noun" and not _cjk_follows(m.string, m.end())):
        text = f"{figure} {plural}"
    else:
        text = figure
    return f"{qualifier} {text}".strip()


def _amount(m: re.Match) -> str | None:
    digits = m.group("n")
    arabic = digits[0].isdigit()
    value = _number(digits)
    if value is None:
        return None
    mult, unit, pct = m.group("mult"), m.group("unit"), m.group("pct")
    style = UNITS[unit][2] if unit else ""
    currency = m.group("cur") or m.group("curb")
    qualified = any(m.group(g) for g in ("qb", "qa1", "qa2", "qe"))
    inner = not arabic and any(ch in digits for ch in "万亿")
    scaled = bool(mult) or inner
    if (mult and inner) or (m.group("qa1") and m.group("qa2")):
        return None  # 两万万, 10多万多: not a way figures are written
    if m.group("sign") and not (pct or unit in ("个百分点", "百分点")):
        return None  # a minus sign is ours only before a percentage
    if not arabic:
        # Chinese numerals are idiom as often as figures (十万火急, 千万不要, 一人一档): a
        # numeral is ours only with a multiplier, a currency or a qualifier, never a lone
        # character, and with no unit after it only when a digit leads (三千万, 十二亿; not 千万)
        if len(digits) == 1 and not mult:
            return None
        if not (scaled or qualified or style == "currency"):
            return None
        head = re.split("[万亿]", digits)[0]
        if not unit and not pct and len(head) == 1 and head in _CN_SMALL_UNITS:
            return None
    if mult:
        value *= MULTIPLIERS[mult]
    if currency and style != "currency":
        if unit or pct or not scaled:
            return None  # 人民币 beside something that is not money
        unit, style = "人民币", "currency"  # 人民币5000万: the yuan is implied
    if not unit and not pct and not scaled:
        return None  # a plain number: the engine copies it
    if style == "count" and not (scaled or qualified or not arabic):
        return None  # 177家: the number as written
    noun_after = _cjk_follows(m.string, m.end())
    if style == "noun" and noun_after and not (scaled or qualified):
        return None  # 5847户居民: the number as written
    qualifier = _qualifier(m, counted=style in ("count", "noun"))
    if qualifier == "?":
        return None
    if pct:
        if scaled or not (qualified or m.group("sign")):
            return None  # 46.9%: the engine copies it
        figure = ("-" if m.group("sign") else "") + f"{_plain(value)}%"
    elif style == "inch":
        figure = f"{_plain(value)}-inch"
    elif style == "currency":
        figure = f"{UNITS[unit][0]} {format_number(value)}"
        if m.group("per"):
            figure += f" {PER_UNIT[m.group('per')]}"
    elif style == "symbol":
        figure = f"{format_number(value)} {UNITS[unit][0]}"
    elif style == "word" or (style == "noun" and not noun_after):
        singular, plural = UNITS[unit][:2]
        number = ("-" if m.group("sign") else "") + format_number(value)
        figure = f"{number} {singular if value == 1 else plural}"
    elif style == "count":
        figure = _counted(value)
    else:  # a bare multiplier (150万), or a noun counter before its noun (17万户居民)
        figure = format_number(value)
    if m.group("per") and style != "currency":
        return None
    return f"{qualifier} {figure}" if qualifier else figure


def _english(m: re.Match) -> str | None:
    if m.group("mrange"):
        return _month_range(m)
    if m.group("date"):
        return _date(m)
    if m.group("range"):
        return _range(m)
    if m.group("pctw"):
        value = _number(m.group("pwn"))
        return f"{_plain(value)}%" if value is not None else None
    return _amount(m)


_BEFORE_NUMBER = re.compile(r"[\d.,]")


def find_amounts(text: str) -> list[Amount]:
    """Every figure in `text` that needs converting, with its exact English, left to right,
    never overlapping. A phrase that looks like a figure but does not convert cleanly is
    skipped whole (none of its parts is converted on its own)."""
    found: list[Amount] = []
    pos = 0
    while True:
        m = _PATTERN.search(text, pos)
        if m is None:
            break
        start = m.start()
        if m.end() == start:
            pos = start + 1
            continue
        first = text[start]
        if first.isdigit() and start > 0 and _BEFORE_NUMBER.match(text[start - 1]):
            pos = start + 1  # the tail of a longer number, e.g. the "12" of "3.12"
            continue
        if start > 0 and text[start - 1] == "第" and (first.isdigit() or first in _CN_DIGITS):
            pos = m.end()  # 第3: an ordinal
            continue
        en = _english(m)
        if en is not None:
            found.append(Amount(start, m.end(), m.group(0), en))
        pos = m.end()
    return found


def convert(text: str) -> str:
    """`text` with every figure replaced by its English (for tests and quick checks)."""
    out, last = [], 0
    for amount in find_amounts(text):
        out.append(text[last:amount.start])
        out.append(amount.en)
        last = amount.end
    out.append(text[last:])
    return "".join(out)


# ---- the check after translation ----------------------------------------------------

# a figure the engine was left with: digits (with a multiplier or 多/余 inside: 1.5万, 20余万),
# a Chinese numeral with a multiplier (百亿级, 两亿), or a code of letters and digits (5A, PM2.5)
_SOURCE_FIGURE = re.compile(
    rf"(?P<code>[A-Za-z]+\d+(?:\.\d+)?[A-Za-z0-9]*|\d+[A-Za-z]+[A-Za-z0-9]*)"
    rf"|(?P<n>{_AR})(?:{_QA})?(?P<mult>{_MULT})?"
    rf"|(?P<cn>[一二两三四五六七八九十百千]*[一二两三四五六七八九十百千](?:{_QA})?(?:万亿|亿|万)(?:[一二两三四五六七八九十百千]+)?)")
_WORD_VALUES = {w: i for i, w in enumerate(SMALL)} | {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "once": 1, "twice": 2, "single": 1, "double": 2, "triple": 3, "pair": 2,
    "twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "tenfold": 10,
}
_SCALES = {"thousand": TEN ** 3, "million": TEN ** 6, "billion": TEN ** 9, "trillion": TEN ** 12,
           "mn": TEN ** 6, "bn": TEN ** 9}
_ENGLISH_FIGURE = re.compile(
    r"(?<![\w.,])(?:(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<w>[A-Za-z]+))"
    r"(?:[\s-]+(?P<scale>thousand|million|billion|trillion|mn|bn)\b)?", re.IGNORECASE)


def source_figures(text: str) -> list[tuple[str, Decimal | None]]:
    """The figures of a (masked) Chinese text: (as written, value); value None for a code,
    which the English must contain as written."""
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[str, Decimal | None]] = []
    for m in _SOURCE_FIGURE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if m.group("code"):
            found.append((m.group(0), None))
            continue
        if m.group("n"):
            if before == "第":
                continue  # an ordinal may become a word ("the third")
            value = Decimal(m.group("n").replace(",", ""))
            if m.group("mult"):
                value *= MULTIPLIERS[m.group("mult")]
        else:
            written = m.group("cn")
            after = text[m.end():m.end() + 1]
            if (before and before in "几数上成第") or (written[0] in _CN_SMALL_UNITS and after != "级"
                                          and not any(text.startswith(u, m.end()) for u in UNITS)):
                continue  # 几十万, 上万 (vague); 千万不要, 十万火急 (idiom); 百亿级 is a figure
            parsed = chinese_number(re.sub(_QA, "", written))
            if parsed is None:
                continue
            value = parsed
        found.append((m.group(0), value))
    return found


def english_values(text: str) -> set[Decimal]:
    values: set[Decimal] = set()
    for m in _ENGLISH_FIGURE.finditer(text):
        if m.group("n"):
            value = Decimal(m.group("n").replace(",", ""))
        else:
            word = m.group("w").lower()
            if word not in _WORD_VALUES:
                continue
            value = Decimal(_WORD_VALUES[word])
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        values.add(value.normalize())
    return values


def missing_figures(source: str, english: str) -> list[str]:
    """Figures of `source` (as written) that `english` does not have with the same value."""
    values = english_values(english)
    squeezed = re.sub(r"[\s-]", "", english.lower())  # 20GWh is "20 GWh", 5A is in "5A-rated"
    missing = []
    for written, value in source_figures(source):
        if value is None:
            if written.lower() not in squeezed:
                missing.append(written)
        elif value.normalize() not in values:
            missing.append(written)
    return missing

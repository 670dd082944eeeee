"""Chinese amounts, units, percentages and dates → English, exactly and deterministically.

A machine translation model is not trusted with figures: 14224.4万元 must become
"CNY 142.244 million", never "142.2 million yuan" or "14,224.4 ten-thousand". `find_amounts`
returns every figure in a segment with its English; terms.py replaces each one by a
placeholder before translation and puts the English back afterwards.

All arithmetic is `decimal.Decimal` on the digits as written (no float anywhere), so
14224.4 × 10⁴ is 142244000 exactly. Scales: values of a million and more are written
"142.244 million" / "1 billion"; smaller ones with thousands separators ("46,000").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MULTIPLIERS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}

# zh unit -> (singular, plural, style)
#   word:     "46,000 tonnes"     (plural unless the value is exactly 1)
#   symbol:   "11.4 km²"
#   currency: "CNY 1 billion"     (code before the figure)
#   inch:     "12-inch"
#   count:    "177"               (a measure word: the noun is left to the sentence)
UNITS: dict[str, tuple[str, str, str]] = {
    "美元": ("USD", "USD", "currency"),
    "欧元": ("EUR", "EUR", "currency"),
    "港元": ("HKD", "HKD", "currency"),
    "港币": ("HKD", "HKD", "currency"),
    "日元": ("JPY", "JPY", "currency"),
    "人民币": ("CNY", "CNY", "currency"),
    "元": ("CNY", "CNY", "currency"),
    "平方公里": ("km²", "km²", "symbol"),
    "平方千米": ("km²", "km²", "symbol"),
    "平方米": ("m²", "m²", "symbol"),
    "立方米": ("m³", "m³", "symbol"),
    "公里": ("km", "km", "symbol"),
    "千米": ("km", "km", "symbol"),
    "公顷": ("hectare", "hectares", "word"),
    "亩": ("mu", "mu", "word"),
    "吨": ("tonne", "tonnes", "word"),
    "吉瓦时": ("GWh", "GWh", "symbol"),
    "兆瓦时": ("MWh", "MWh", "symbol"),
    "千瓦时": ("kWh", "kWh", "symbol"),
    "吉瓦": ("GW", "GW", "symbol"),
    "兆瓦": ("MW", "MW", "symbol"),
    "千瓦": ("kW", "kW", "symbol"),
    "英寸": ("inch", "inch", "inch"),
    "人次": ("visit", "visits", "word"),
    "万户": ("household", "households", "word"),  # only reached through the multiplier branch
    "户": ("household", "households", "word"),
    "人": ("person", "people", "word"),
    "名": ("", "", "count"),
    "家": ("", "", "count"),
    "个": ("", "", "count"),
    "项": ("", "", "count"),
    "台": ("", "", "count"),
    "辆": ("", "", "count"),
    "片": ("", "", "pieces"),  # wafers or cells, from the sentence around it
}
UNITS.pop("万户")  # 万 is a multiplier: 17万户 = 17 × 10⁴ 户

QUALIFIERS_BEFORE = {"超过": "more than", "超": "more than", "逾": "more than", "近": "nearly",
                     "约": "about", "将近": "nearly", "不到": "fewer than", "不足": "less than"}
QUALIFIERS_AFTER = {"多": "more than", "余": "more than"}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=lambda u: (-len(u), u)))
_MULT = "万亿|亿|万"
_QB = "|".join(sorted(QUALIFIERS_BEFORE, key=lambda q: -len(q)))
_QA = "|".join(sorted(QUALIFIERS_AFTER, key=lambda q: -len(q)))
_CHANGE_UP = "增长|增加|提高|上升|上涨|提升"
_CHANGE_DOWN = "下降|减少|下滑|降低|回落"

_PATTERN = re.compile(
    "|".join([
        # 同比增长46.9% / 较2019年增长超130% / 同比下降5%
        rf"(?P<pct>(?:(?P<yoy>同比)|较(?P<base>\d{{4}})年)(?P<dir>{_CHANGE_UP}|{_CHANGE_DOWN})"
        rf"(?P<pq>{_QB})?(?P<pn>{_NUM})[%％])",
        # 2023年6月12日, 2019年3月, 6月12日, 6月
        r"(?P<date>(?:(?P<y>\d{4})年)?(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>3[01]|[12]\d|0?[1-9])[日号])?)",
        r"(?P<year>(?P<yy>(?:19|20)\d{2})年度?)",
        # 4至8英寸
        rf"(?P<range>(?P<ra>{_NUM})(?:至|到|~|～|-|—)(?P<rb>{_NUM})(?P<rm>{_MULT})?(?P<ru>{_UNIT}))",
        # 超150万人次, 450多家, 14224.4万元, 11.4平方公里, 150万
        rf"(?P<amount>(?P<qb>{_QB})?(?P<n>{_NUM})(?P<mult>{_MULT})?(?P<qa>{_QA})?"
        rf"(?:(?P<unit>{_UNIT})|(?P<pct2>[%％])|(?<=[万亿多余]))(?P<above>以上)?)",
    ]))
_NO_DIGIT_BEFORE = re.compile(r"[\d.,]")

WAFER_WORDS = ("硅片", "晶片", "晶圆", "衬底", "外延片")
CELL_WORDS = ("电池片", "太阳能电池")


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    zh: str
    en: str


def _plain(value: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 142.2440 -> 142.244, 1E+1 -> 10."""
    text = format(value.normalize(), "f")
    return text


def format_number(value: Decimal, group: bool = True) -> str:
    """46000 -> 46,000; 142244000 -> 142.244 million; 1000000000 -> 1 billion."""
    if value >= Decimal(10) ** 12:
        return f"{_plain(value / Decimal(10) ** 12)} trillion"
    if value >= Decimal(10) ** 9:
        return f"{_plain(value / Decimal(10) ** 9)} billion"
    if value >= Decimal(10) ** 6:
        return f"{_plain(value / Decimal(10) ** 6)} million"
    text = _plain(value)
    if group and value >= 1000:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text


def _value(digits: str, mult: str | None) -> Decimal:
    return Decimal(digits.replace(",", "")) * MULTIPLIERS.get(mult or "", Decimal(1))


def _with_unit(figure: str, value: Decimal, unit: str | None, context: str) -> str:
    if not unit:
        return figure
    singular, plural, style = UNITS[unit]
    if style == "currency":
        return f"{singular} {figure}"
    if style == "inch":
        return f"{figure}-inch"
    if style == "count":
        return figure
    if style == "pieces":
        if any(w in context for w in CELL_WORDS):
            return f"{figure} cells"
        if any(w in context for w in WAFER_WORDS):
            return f"{figure} wafers"
        return figure
    word = singular if value == 1 else plural
    return f"{figure} {word}"


def _pct(digits: str) -> str:
    return f"{_plain(Decimal(digits.replace(',', '')))}%"


def _english(m: re.Match, context: str) -> str | None:
    if m.group("pct"):
        direction = "up" if m.group("dir") in _CHANGE_UP.split("|") else "down"
        qualifier = QUALIFIERS_BEFORE.get(m.group("pq") or "", "")
        figure = " ".join(filter(None, [direction, qualifier, _pct(m.group("pn"))]))
        return f"{figure} year on year" if m.group("yoy") else f"{figure} on {m.group('base')}"
    if m.group("date"):
        month = MONTHS[int(m.group("m")) - 1]
        year, day = m.group("y"), m.group("d")
        if day:
            return f"{month} {int(day)}, {year}" if year else f"{month} {int(day)}"
        return f"{month} {year}" if year else month
    if m.group("year"):
        return m.group("yy")
    if m.group("range"):
        unit = m.group("ru")
        a = _value(m.group("ra"), m.group("rm"))
        b = _value(m.group("rb"), m.group("rm"))
        style = UNITS[unit][2]
        if style == "inch":
            return f"{format_number(a)}- to {format_number(b)}-inch"
        if style == "currency":
            return f"{UNITS[unit][0]} {format_number(a)} to {format_number(b)}"
        return f"{format_number(a)} to {_with_unit(format_number(b), b, unit, context)}"
    # amount
    unit, mult = m.group("unit"), m.group("mult")
    if not unit and not mult and not m.group("pct2") and not m.group("qa"):
        return None
    value = _value(m.group("n"), mult)
    if m.group("pct2"):
        figure = _pct(m.group("n"))
    elif unit and UNITS[unit][2] == "inch":
        figure = _plain(value)
    else:
        figure = format_number(value)
    text = _with_unit(figure, value, unit, context)
    qualifier = (QUALIFIERS_BEFORE.get(m.group("qb") or "") or QUALIFIERS_AFTER.get(m.group("qa") or "")
                 or ("more than" if m.group("above") else ""))
    return f"{qualifier} {text}" if qualifier else text


def find_amounts(text: str) -> list[Amount]:
    """Every figure in `text` with its exact English, left to right, never overlapping."""
    found: list[Amount] = []
    for m in _PATTERN.finditer(text):
        if m.start() > 0 and _NO_DIGIT_BEFORE.match(text[m.start() - 1]) and text[m.start()].isdigit():
            continue  # the tail of a longer number, e.g. the "12" of "3.12"
        en = _english(m, text)
        if en is not None:
            found.append(Amount(m.start(), m.end(), m.group(0), en))
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

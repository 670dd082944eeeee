"""Chinese personal names and pinyin: the one surname list and pinyin helper that ingest
(bylines, slugs) and render (romanised authors, sort order) share.

A byline is recognised as a line of names most of which start with a known surname; a
romanised name puts the surname first and reads it as a surname (单 Shan, not Dan).
"""

from __future__ import annotations

import re

# Common single-character surnames.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝封"
)

# Two-character surnames (a four-character name is only a name when it starts with one).
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "慕容", "皇甫", "夏侯", "公孙", "令狐", "尉迟", "端木",
    "长孙", "宇文", "司徒", "西门", "万俟",
)


# Surnames whose reading differs from the character's everyday one, which a pinyin dictionary
# gives (曾 is céng in 曾经, Zēng as a name). Only readings that are the surname's, not one of
# two in use (乐 is both Yuè and Lè as a surname: left to the dictionary).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha", "盖": "ge", "朴": "piao",
    "覃": "qin", "尉迟": "yuchi", "缪": "miao", "翟": "zhai", "秘": "bi", "种": "chong", "冼": "xian",
    "长孙": "zhangsun", "万俟": "moqi", "尉": "wei", "句": "gou", "折": "she", "召": "shao",
    "员": "yun", "阚": "kan", "隗": "wei", "宿": "su", "繁": "po", "能": "nai", "都": "du", "过": "guo",
}


def surname_length(name: str) -> int:
    """How many leading characters of a Chinese personal name are the surname (1 or 2)."""
    return 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1


# ---- pinyin ---------------------------------------------------------------------------

_HAN = re.compile(r"[\u4e00-\u9fff]")


class Pinyin:
    """Pinyin of Chinese text (sort keys, the pinyin line of a glossary entry, romanised
    bylines), each result remembered in `table`: (style, text) -> syllables.

    A `Session` keeps one between the builds of a process and the build cache saves its
    table, so a rebuild need not even import pypinyin (its dictionaries take longer to load
    than an incremental build should)."""

    def __init__(self, table: dict[tuple[str, str], tuple[str, ...]] | None = None):
        self.table: dict[tuple[str, str], tuple[str, ...]] = table if table is not None else {}

    def syllables(self, text: str, tone: bool = False) -> tuple[str, ...]:
        key = ("tone" if tone else "normal", text)
        found = self.table.get(key)
        if found is None:
            from pypinyin import Style, lazy_pinyin

            found = self.table[key] = tuple(lazy_pinyin(text, style=Style.TONE if tone else Style.NORMAL))
        return found

    def with_tones(self, text: str) -> str:
        """中能硅业 -> 'zhōng néng guī yè' (a glossary entry's pinyin line)."""
        return " ".join(self.syllables(text, tone=True))

    def sort_key(self, text: str) -> tuple[str, str]:
        """Chinese sort order: by toneless pinyin, then by the characters."""
        return (" ".join(self.syllables(text)).lower(), text)

    def romanise(self, name: str) -> str:
        """Chinese personal name -> pinyin, surname first: 马壮壮 -> Ma Zhuangzhuang."""
        name = name.strip()
        if not _HAN.search(name):
            return name
        cut = surname_length(name)
        surname = SURNAME_READINGS.get(name[:cut]) or "".join(self.syllables(name[:cut]))
        given = "".join(self.syllables(name[cut:]))
        return " ".join(p for p in (surname.capitalize(), given.capitalize()) if p)


def romanise_name(name: str, pinyin: Pinyin | None = None) -> str:
    """`Pinyin.romanise` without a shared table."""
    return (pinyin or Pinyin()).romanise(name)

"""Enterprises in an article: the glossary's (content/glossary/*.yaml), and names for review.

Known names are found by the glossary's MentionFinder (leftmost-longest over every name and
alias), with one rule of its own: the longest name wins. A short form followed by more of a
company name (恒泰 in 恒泰科技, 恒泰股份) or standing inside a longer company name (徐工 in
徐州徐工液压件有限公司) names another company, not the one the short form belongs to, unless the
longer name is itself in the glossary or is the entry's own (恒泰新材料科技有限公司); the longer name
is sent for review as possibly related.

Candidates for review are clean names, never pieces of sentences:
- a name ending in a company suffix (有限公司, 集团 …): the words before the suffix back to the
  first word that cannot be part of a name (a verb such as 投资 / 兴建 / 签约, a particle, a
  place word used as a verb object), without the function words a sentence puts before a name
  (其中, 据, 经过, 由于 …; 中/由/经 … before its region: 其中江苏金彭集团 is 江苏金彭集团);
  generic heads (子公司, 上市公司 …) are not names;
- a short form defined with 简称 / 以下简称; defined right after an unknown company's full name it
  is that company's short form, reported on the same line (one company, one glossary entry);
- the other items of a 顿号 list that names a known or suffixed company (汉邦智能、中科泰宁等企业);
- a short form followed by 科技 / 股份 / 集团 / 控股, or by 光伏 / 新能源 … and a role (华耀光伏董事长).
People, universities, schools, hospitals and government bodies are not enterprises, and a name
cut off at the end of a truncated text is not reported. A candidate that is part of a known
full name is reported as a short form of that entry, to be added to its aliases.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from builder.glossary import Mention, MentionFinder
from builder.ingest.lines import is_name
from builder.ingest.text import HAN
from builder.lazyre import LazyPattern as lazy_re
from builder.model import Enterprise

LEGAL = ("集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司", "集团")
_LEGAL = "|".join(LEGAL)
# words that continue a short name into another company's name (恒泰 -> 恒泰科技); an industry
# word does only when a company word follows it (恒泰光伏有限公司), else it is a product or a
# project of the same company (比亚迪新能源动力电池)
EXTENSION = ("科技", "股份", "集团", "控股", "实业")
# a group word after a short form is the same company when its full name has that word (徐工集团 is
# 徐州工程机械集团有限公司); 科技 names another one unless it is in the full name after the short form
_GROUP_WORDS = ("集团", "股份", "控股")
_INDUSTRY_WORD = ("光伏", "新能源", "新材料", "电子", "光电", "智能", "装备", "半导体", "储能", "能源", "电气", "机械",
                  "生物", "医药", "环保", "化工", "物流", "置业")
_ROLE = ("董事长", "总经理", "副总经理", "总裁", "负责人", "创始人", "董事会")
_ROLE_AFTER = (*_ROLE, "公司", "有限", "集团", "股份")
_RUNS_ON = lazy_re(rf"^(?:{'|'.join(EXTENSION)}|(?:{'|'.join(_INDUSTRY_WORD)})(?={'|'.join(_ROLE_AFTER + EXTENSION)}))")
_RUN_ON_TAIL = lazy_re(rf"^(?:{'|'.join(EXTENSION + _INDUSTRY_WORD)})+(?:{'|'.join(LEGAL)})?")
# a company suffix right after these is not a company name
_GENERIC_END = ("上市", "全资子", "控股子", "参股", "合资", "独资")
_GENERIC = ("子", "母", "分", "总", "本", "该", "家", "科技", "投资", "平台", "国有", "民营", "外资", "龙头", "新",
            "运营", "物业", "城投", "建设", "项目", "贸易", "销售", "生产", "服务", "管理", "咨询", "文化", "控股")
# not enterprises: people's titles, schools, hospitals, government
_NOT_COMPANY = lazy_re(r"(?:大学|学院|学校|中学|小学|幼儿园|医院|卫生院|诊所|研究院|研究所|政府|委员会|管委会|人大|政协"
                       r"|法院|检察院|公安|[局厅处科委办署部]|办公室|中心|街道|社区|村|镇|乡|协会|商会|学会|联合会"
                       r"|园|园区|基地|项目|工程|[一二三四五六七八九十]期|车间|生产线|电站|景区)$")
# characters and words a company name cannot run back over
_STOP_CHARS = set("的和与及、，。；：“”‘’《》「」！？!?在是由对为将把被从向同跟并或等了以其该这已都也还又再就才共均要到赴盯抓")
_STOP_WORDS = ("投资兴建", "投资建设", "兴建", "集聚", "聚集", "汇聚", "吸引", "招引", "引进", "签约", "落户", "成立", "建设", "收购", "入驻", "走进",
               "来到", "参观", "考察", "携手", "联合", "牵手", "组建", "设立", "注册", "新建", "举行", "举办", "召开",
               "获悉", "介绍", "表示", "带领", "前往", "推动", "支持", "拥有", "包括", "涵盖", "作为", "成为",
               "通过", "依托", "围绕", "聚焦", "打造", "培育", "壮大", "推进", "加快",
               "实施", "完成", "实现", "达成", "签订", "签署", "合作", "对接", "洽谈", "开工", "投产", "竣工", "入选",
               "获评", "荣获", "获得", "公布", "发布", "看好", "选择", "位于", "地处", "如", "像", "包含", "其中",
               "紧盯", "旗下", "下属", "所属", "麾下", "走访", "调研", "督导", "视察", "观摩", "慰问", "看望", "前往", "深入", "指导")
_NAME_CHARS = lazy_re(rf"[{HAN}A-Za-z0-9()（）·■]")


# where a company's name may start after a function word: its region (江苏金彭集团, 徐州鸿润达 …)
_REGIONS = ("江苏省", "江苏", "徐州市", "徐州", "中国", "铜山", "鼓楼", "云龙", "泉山", "贾汪", "丰县", "沛县", "睢宁",
            "新沂", "邳州", "南京", "苏州", "无锡", "常州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州",
            "宿迁", "北京", "上海", "天津", "重庆", "浙江", "安徽", "山东", "河南", "湖北", "湖南", "广东", "福建",
            "江西", "河北", "山西", "陕西", "四川", "深圳", "杭州", "宁波", "合肥", "济南", "青岛", "郑州", "武汉",
            "广州", "厦门", "成都", "西安", "香港", "澳门", "台湾")
_REGION = lazy_re(rf"(?:{'|'.join(sorted(_REGIONS, key=len, reverse=True))})")
# function words a name never starts with: a sentence's 其中 / 据 / 经 / 由 … before the name
# (其中江苏金彭集团是… is 江苏金彭集团). The longer ones are cut wherever the name would start;
# a single character only before a region, where it cannot be the name's own first character
_LEADING_WORDS = ("其中", "其余", "其次", "其后", "其他", "其它", "据悉", "据了解", "根据", "依据", "经过", "通过", "由于",
                  "对于", "关于", "随着", "截至", "目前", "此外", "另外", "另有", "同时", "以及", "包括", "尤其是", "特别是",
                  "比如", "例如", "诸如", "还有", "如今", "今年", "去年", "近日", "日前", "近年来", "当前", "现在", "一是",
                  "二是", "三是", "首先", "其次", "最后", "而且", "并且", "以来")
_LEADING_CHARS = set("中由在与和对向经据同跟让使被将把从给为及如像即是有当令请邀随于至且并而另")


@dataclass(frozen=True)
class Candidate:
    name: str
    line: int
    short_of: str = ""  # id of the glossary entry whose full name contains it
    related: tuple[str, str] = ("", "")  # (known short form inside it, its entry's id): maybe a subsidiary
    short_form: str = ""  # the short form the text defines for it (（以下简称“博睿新材”）)


# a company name's brackets are written either way (中环领先(徐州)… in the glossary, 中环领先（徐州）…
# in the article): names are matched with ASCII brackets, one character for one, so positions hold
_BRACKETS = str.maketrans("（）", "()")
_WIDE_BRACKETS = str.maketrans("()", "（）")


def _ascii_brackets(entry: Enterprise) -> Enterprise:
    return dataclasses.replace(entry, name_zh=entry.name_zh.translate(_BRACKETS),
                               aliases_zh=tuple(a.translate(_BRACKETS) for a in entry.aliases_zh))


class EnterpriseFinder:
    def __init__(self, enterprises: tuple[Enterprise, ...]):
        enterprises = tuple(_ascii_brackets(e) for e in enterprises)
        self.entries = {e.id: e for e in enterprises}
        self.finder = MentionFinder(sorted(enterprises, key=lambda e: e.id))
        self.full_names = {e.name_zh: e.id for e in enterprises}

    def forms(self) -> frozenset[str]:
        """Every form of every name, with its brackets written both ways."""
        return frozenset(self.finder.by_form) | frozenset(f.translate(_WIDE_BRACKETS) for f in self.finder.by_form)

    def mentions(self, text: str) -> list[Mention]:
        """Glossary mentions, without short forms that run on into a longer company name."""
        text = text.translate(_BRACKETS)
        out = []
        for m in self.finder.find(text):
            entry = self.entries[m.enterprise]
            run_on = _RUNS_ON.match(text[m.end:m.end + 8])
            if m.text != entry.name_zh and len(m.text) <= 4 and run_on \
                    and (m.text + run_on.group(0)) not in entry.name_zh \
                    and not (run_on.group(0) in _GROUP_WORDS and run_on.group(0) in entry.name_zh):
                continue  # 恒泰科技 is not 恒泰新材料; 恒泰新材料科技 would be
            if self.inside_longer_name(text, m):
                continue  # 徐州徐工液压件有限公司 is not 徐工 (the longest name wins)
            out.append(m)
        return out

    def inside_longer_name(self, text: str, m: Mention) -> tuple[int, int] | None:
        """The span of a longer company name that a short form is only part of: 徐工 in
        徐州徐工液压件有限公司 or 徐工汉云技术股份有限公司 (a subsidiary, or another firm). Not when
        the longer name is the entry's own (恒泰新材料 in 徐州恒泰新材料科技有限公司, 徐工 in 徐工集团
        when the full name has 集团) or only puts a region in front of the short form."""
        entry = self.entries[m.enterprise]
        if m.text == entry.name_zh or m.text in self.full_names:
            return None
        after = text[m.end:m.end + 16]
        suffix = re.match(rf"^([{HAN}A-Za-z0-9()（）·]{{0,12}}?)({_LEGAL})", after)
        if not suffix or any(c in _STOP_CHARS for c in suffix.group(1)) \
                or any(w in suffix.group(1) for w in _STOP_WORDS):
            return None
        middle, legal = suffix.group(1), suffix.group(2)
        if any(m.end <= other.start < m.end + len(middle) + len(legal) for other in self.finder.find(text)):
            return None  # 协鑫科技旗下江苏中能硅业…有限公司: the suffix ends another known name, which wins
        if re.search(r"[()（）]", middle) or middle.endswith(_GENERIC_END) or middle in _GENERIC:
            return None  # 比亚迪全资子公司, 鑫晶母公司: the entry itself, said of another
        left = _left_bounded(text, m.start, limit=10)
        if re.search(rf"[()（）]|{_LEGAL}", left):
            left = ""  # another name ends there: 弗迪电池有限公司（比亚迪…
        left_part = left if left and not _REGION.fullmatch(left) else ""
        if not middle and not left_part:
            return None  # 徐工集团, 江苏徐工有限公司: the short form with its region and company word
        own = entry.name_zh
        core = m.text + middle
        if not left_part and (core in own or (middle in _GROUP_WORDS and middle in own)):
            return None  # the entry's own longer name
        start = m.start - len(left)
        end = m.end + len(middle) + len(legal)
        if text[start:end] in self.full_names or text[start:end] == own or not _clean_name(text[start:end]):
            return None
        return start, end

    def ids(self, texts: list[str]) -> list[str]:
        seen: dict[str, None] = {}
        for text in texts:
            for m in self.mentions(text):
                seen.setdefault(m.enterprise, None)
        return list(seen)

    def first_forms(self, texts: list[str]) -> dict[str, str]:
        """id -> the form the article first names it by."""
        seen: dict[str, str] = {}
        for text in texts:
            for m in self.mentions(text):
                seen.setdefault(m.enterprise, m.text)
        return seen

    # ---- candidates for review ------------------------------------------------------

    def candidates(self, paragraphs: list[tuple[str, int]]) -> list[Candidate]:
        """Names in the text that look like enterprises the glossary does not know, written as
        the text writes them."""
        original = paragraphs
        paragraphs = [(text.translate(_BRACKETS), line) for text, line in paragraphs]
        found = self._candidates(paragraphs)
        out = []
        for c in found:
            for (text, _), (ascii_text, _) in zip(original, paragraphs):
                at = ascii_text.find(c.name)
                if at >= 0:
                    c = dataclasses.replace(c, name=text[at:at + len(c.name)])
                    break
            out.append(c)
        return out

    def _candidates(self, paragraphs: list[tuple[str, int]]) -> list[Candidate]:
        found: dict[str, Candidate] = {}
        known_forms = set(self.finder.by_form)
        defined: set[str] = set()  # short forms defined for a candidate: not candidates of their own
        last = len(paragraphs) - 1
        for index, (text, line) in enumerate(paragraphs):
            accepted = self.mentions(text)
            masked = text
            for m in reversed(accepted):
                masked = masked[:m.start] + "■" * (m.end - m.start) + masked[m.end:]
            # a short form that runs on into a longer name (恒泰 + 科技): that name is new
            for m in self.finder.find(text):
                if m not in accepted:
                    span = self.inside_longer_name(text, m)
                    if span is not None:
                        self._add(found, text[span[0]:span[1]], line, known_forms, (m.text, m.enterprise))
                        continue
                    tail = _RUN_ON_TAIL.match(text[m.end:])
                    self._add(found, m.text + (tail.group(0) if tail else ""), line, set(), (m.text, m.enterprise))
            truncated = index == last and not re.search(r"[。！？”’）)]\s*$", text)
            spans = _suffixed(masked)
            for start, end in spans:
                self._add(found, masked[start:end], line, known_forms)
            for d in re.finditer(r"简称\s*[“\"「]?([^”\"」)）（(，,。；、\s]{2,15})[”\"」]?", text):
                # defined right after an unknown company's full name: one company, one review line
                owner = next((masked[a:b] for a, b in spans
                              if re.fullmatch(r"\s*[（(]\s*(?:以下)?\s*", text[b:d.start()])), None)
                if owner is not None and owner in found and not found[owner].short_of \
                        and d.group(1) not in known_forms:
                    found[owner] = dataclasses.replace(found[owner], short_form=d.group(1))
                    defined.add(d.group(1))
                    continue
                self._add(found, d.group(1), line, known_forms)
            for name, end in _list_items(masked, spans):
                if name in defined:
                    continue
                if truncated and end >= len(masked.rstrip()):
                    continue  # cut off by the end of a truncated text
                self._add(found, name, line, known_forms)
            for w in re.finditer(rf"(?:{'|'.join(_INDUSTRY_WORD)})(?={'|'.join(_ROLE)})", masked):
                name = _left_bounded(masked, w.start())
                if 2 <= len(name) <= 6 and "■" not in name:
                    self._add(found, name + w.group(0), line, known_forms)
        return sorted(found.values(), key=lambda c: (c.line, c.name))

    def _add(self, found: dict[str, Candidate], name: str, line: int, known: set[str],
             related: tuple[str, str] = ("", "")) -> None:
        name = name.strip()
        if not name or name in found or name in known or "■" in name or not _clean_name(name):
            return
        short_of = ""
        if len(name) >= 4:
            for full, ident in self.full_names.items():
                if name in full and name != full:
                    short_of = ident
                    break
        if not short_of and not related[0]:
            # a known short form inside an unknown name: maybe a subsidiary, never the same entry
            inside = [m for m in self.finder.find(name) if m.text != name]
            if inside:
                related = (inside[0].text, inside[0].enterprise)
        found[name] = Candidate(name, line, short_of, related if not short_of else ("", ""))


# a person's title or what a person says: a list item 董事长王民介绍 is a person speaking
_PERSON_WORDS = lazy_re(r"董事长|总经理|经理|书记|主任|局长|县长|市长|区长|镇长|厂长|院长|校长|主席|总裁|部长|处长|科长"
                        r"|负责人|首席|总监|主管|介绍|表示|指出|认为|强调|说$")


# a number with a measure word: Arabic digits, or Chinese numerals with 余/多 (三个 can be a brand)
_QUANTITY = lazy_re(r"\d+(?:余|多)?[个家座所项]|[一二两三四五六七八九十百千万]+(?:余|多)[个家座所项]")


def _clean_name(name: str) -> bool:
    core = re.sub(rf"(?:{_LEGAL})$", "", name)
    if len(core) < 2 or _NOT_COMPANY.search(name) or _NOT_COMPANY.search(core) or _PERSON_WORDS.search(core):
        return False
    if is_name(name) and len(name) <= 3:
        return False  # a person
    if _QUANTITY.search(core):
        return False  # a count of things (40余个海外子公司, 3家子公司) is a phrase, not a name
    if name.startswith(("我市", "我县", "我区", "本市", "全市", "全县", "全区", "市", "县", "区", "省", "一家", "这家",
                        "该", "多家", "两家", "几家", "数家", "每家", "各", "本", "其", "此")):
        return False
    return not re.search(r"[，。；：、！？\s]", name)


def _left_bounded(text: str, end: int, limit: int = 20) -> str:
    """The name that ends at `end`: back over name characters, stopping at punctuation, a
    function character or a verb."""
    start = end
    while start > 0 and end - start < limit and _NAME_CHARS.match(text[start - 1]) and text[start - 1] not in _STOP_CHARS:
        start -= 1
    name = text[start:end]
    # a place before the company's own region: 睢宁县江苏恒锐… -> 江苏恒锐…
    region = re.search(r"(?<=[县区市镇])(?:江苏省|江苏|徐州市|徐州|中国)", name)
    if region and region.start() >= 2:
        name = name[region.start():]
    # a noun in apposition before the company's region: 龙头企业江苏宗申… -> 江苏宗申…
    region = re.search(r"(?:企业|龙头|厂商|品牌|单位|客户|伙伴|巨头|链主|供应商)(?=江苏省|江苏|徐州市|徐州|中国)", name)
    if region:
        name = name[region.end():]
    name = _without_leading_words(name, text[start - 1] if start > 0 else "")
    # a verb inside the run ends the name there: 我市投资兴建徐州云帆… -> 徐州云帆…
    cut = 0
    for word in _STOP_WORDS:
        at = name.rfind(word)
        if at >= 0 and len(name) - (at + len(word)) >= 2:
            cut = max(cut, at + len(word))
    return name[cut:]


def _without_leading_words(name: str, before: str) -> str:
    """A name without the function words the sentence put in front of it: 其中江苏金彭… (the scan
    stopped at 其, leaving 中江苏金彭…), 据江苏新日…, 经徐州…, 截至目前徐州… A single
    character goes only when a region follows it (中江苏, 由徐州): a name may start with 中 or 和."""
    for _ in range(3):
        cut = 0
        for word in _LEADING_WORDS:
            if name.startswith(word):
                cut = max(cut, len(word))
            # the scan stopped inside the word (其 is a stop character, 中 is not)
            elif before and (before + name).startswith(word) and len(word) > 1:
                cut = max(cut, len(word) - 1)
        if not cut and len(name) > 2 and name[0] in _LEADING_CHARS and _REGION.match(name, 1):
            cut = 1
        if not cut or len(name) - cut < 2:
            break
        name, before = name[cut:], name[cut - 1]
    return name


def _suffixed(masked: str) -> list[tuple[int, int]]:
    """Spans of names ending in a company suffix."""
    out = []
    for m in re.finditer(rf"(?:{_LEGAL})", masked):
        suffix = m.group(0)
        after = masked[m.end():m.end() + 1]
        if suffix == "集团" and after in ("化", "军", "公", "有", "股"):
            continue
        if suffix == "公司" and masked[max(0, m.start() - 2):m.start()] in ("有限", "股份"):
            continue
        name = _left_bounded(masked, m.start())
        if len(name) < 2 or "■" in name:
            continue
        if name.endswith(_GENERIC_END) or name in _GENERIC:
            continue
        out.append((m.start() - len(name), m.end()))
    return out


def _list_items(masked: str, suffixed: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """The unknown items of 顿号 lists that also name a known (■) or suffixed company."""
    out = []
    for m in re.finditer(rf"[{HAN}A-Za-z0-9■()（）]{{2,30}}(?:、[{HAN}A-Za-z0-9■()（）“”]{{2,30}})+", masked):
        parts = []
        position = m.start()
        for piece in m.group(0).split("、"):
            parts.append((piece, position, position + len(piece)))
            position += len(piece) + 1
        _, _, first_end = parts[0]
        head = _left_bounded(masked, first_end)
        parts[0] = (head, first_end - len(head), first_end)
        last_piece, last_start, _ = parts[-1]
        tail = re.split(r"[（(](?:以下)?简称|等|和|及|与|分别|均|都|也|已|的|作为|共同", last_piece)[0]
        parts[-1] = (tail, last_start, last_start + len(tail))
        known = [p for p in parts if "■" in p[0] or any(s <= p[1] and p[2] <= e for s, e in suffixed)]
        if not known:
            continue
        for piece, start, end in parts:
            piece = piece.strip("“”")
            if "■" in piece or any(s <= start and end <= e for s, e in suffixed) or not 2 <= len(piece) <= 10:
                continue
            out.append((piece, end))
    return out

"""Which district an article is about: where it happens, not the name it repeats most.

Names come from content/taxonomy.yaml: each district's `zh` and `keywords` (its names), `aliases`
(former names such as 铜山县 or 金山桥开发区, Traditional spellings), `places` (towns, streets and
landmarks inside it) and `short` (the one-character form of 来丰, 驻沛). The rules here are
about Chinese news prose, not about any district:

- A zone word after a place name belongs to that place (邳州经开区, 睢宁县高新区, 我县经济开发区):
  it is not the Xuzhou Economic and Technological Development Zone. In an article that names
  another place's zone, a bare 经开区 / 高新区 means that zone.
- A visiting delegation's home is not where it happens (鼓楼区党政代表团赴睢宁县 is about 睢宁县),
  nor is a place whose example is learned from (新沂市学习借鉴邳州经验 is about 新沂市).
- A list of three or more districts (徐州经开区、徐州高新区、邳州市、新沂市) is the whole city.
- Another city's district of the same name (南京市鼓楼区) and a river or road named after a place
  (新沂河, 铜山路) are not the district.
- 我县 / 本区 / 我市 mean the place the article comes from: the one county (district, city) its
  page, publication or dateline names.

Evidence, strongest first: the title (with its kicker and sub-title), the section headings of a
roundup, the dateline, the lede, repeated mentions in the text, the article's own words for its
place (我县) with its source, the district of its enterprises (when every one it names is there). The first kind of evidence that
names a place decides; when it names several without one standing out, no district is given
(wrong is worse than missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.model import Term

ZONE_WORDS = ("高新技术产业开发区", "经济技术开发区", "经济开发区", "高新区", "经开区", "开发区", "工业园区", "工业园")
_ZONE = "|".join(ZONE_WORDS)
_ADMIN = "(?:市|县|区)?"
_SELF = {"县": ("我县", "本县", "全县"), "区": ("我区", "本区", "全区"), "市": ("我市", "本市")}
SELF_WORDS = tuple(w for words in _SELF.values() for w in words)
# other cities with districts named like Xuzhou's (南京市鼓楼区, 福州市鼓楼区, 开封市鼓楼区): a
# district name right after one of them is theirs
_OTHER_CITY = re.compile(r"(?:南京|福州|开封|西安|北京|上海|苏州|无锡|常州|南通|连云港|淮安|盐城|扬州|镇江|泰州|宿迁"
                         r"|合肥|济南|郑州|杭州)市?$")
# a river, lake, road or street named after a place (新沂河, 铜山路): a feature, not the district
_FEATURE = re.compile(r"^(?:河|江|湖(?!街道)|路|大道|大街|街(?!道)|桥(?!街道))")
_LOCATED = re.compile(r"(?:位于|落户|落户在|坐落于|落地|建在|选址|布局在)$")
# a place whose experience is learned from (学习借鉴邳州经验, 推广沛县模式) is the example, not the scene
_MODEL = re.compile(r"^(?:的)?(?:先进|成功|典型)?(?:经验|做法|模式|样板)")
_LEARN = re.compile(r"学习|借鉴|推广|复制|取经")
_DELEGATION = re.compile(r"^(?:党政|区委|县委|市委|政府|人大|政协|经贸)?(?:代表团|考察团|观摩团|学习团|调研组|客商|一行)")
# words that start with a district's one-character short form (丰富 is not 丰县)
_NOT_SHORT = {"丰": set("富厚收硕盛满碑功茂年沛足润产美登盈衣姿采韵裕稔腴"), "沛": set("然")}
_SHORT_VERBS = "来赴在驻留返回到进离"
# the city itself: a title about 徐州 (徐州：…, 全市…) without a district is about the whole city, and a
# district its lede shows is an example, not the scene
_CITY_TITLE = re.compile(r"^(?:徐州市?|全市|我市)[：:，,\s]|^徐州市?(?:今年|将|上半年|前三季度|全年|一季度|\d)")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    district: str
    form: str
    kind: str  # name | alias | place | short | self | zone


def _county_kind(term: Term) -> str:
    return term.zh[-1] if term.zh and term.zh[-1] in "县区市" else "区"


class DistrictFinder:
    """Built once per run from the taxonomy; `evidence(...)` decides one article."""

    def __init__(self, districts: tuple[Term, ...]):
        self.terms = {t.id: t for t in districts}
        forms: dict[str, tuple[str, str]] = {}
        for t in districts:
            for form in (t.zh, *t.keywords):
                forms.setdefault(form, (t.id, "name"))
            for form in t.aliases:
                forms.setdefault(form, (t.id, "alias"))
            for form in t.places:
                forms.setdefault(form, (t.id, "place"))
        self.forms = forms
        ordered = sorted((f for f in forms if f), key=lambda f: (-len(f), f))
        self.pattern = re.compile("|".join(re.escape(f) for f in ordered)) if ordered else None
        shorts = {t.short: t.id for t in districts if t.short}
        self.shorts = shorts
        self.short_pattern = re.compile(rf"(?<=[{_SHORT_VERBS}])({'|'.join(map(re.escape, shorts))})") \
            if shorts else None
        # generic zone words that a taxonomy lists as a district's own name (经开区 -> jingkai)
        self.generic = {f: d for f, (d, kind) in forms.items() if f in ZONE_WORDS}

    def all_forms(self) -> frozenset[str]:
        return frozenset(self.forms)

    def mentions(self, text: str) -> list[Mention]:
        """Mentions of districts in `text`, leftmost-longest, zones folded into the place before
        them, visitors and lists of three or more districts left out."""
        if self.pattern is None or not text:
            return []
        found: list[Mention] = []
        for m in self.pattern.finditer(text):
            district, kind = self.forms[m.group(0)]
            found.append(Mention(m.start(), m.end(), district, m.group(0), kind))
        if self.short_pattern is not None:
            taken = [(f.start, f.end) for f in found]
            for m in self.short_pattern.finditer(text):
                nxt = text[m.end():m.end() + 1]
                if nxt and nxt in _NOT_SHORT.get(m.group(1), set()):
                    continue
                if any(s <= m.start() < e for s, e in taken):
                    continue
                found.append(Mention(m.start() - 1, m.end(), self.shorts[m.group(1)], text[m.start() - 1:m.end()],
                                     "short"))
            found.sort(key=lambda f: f.start)
        out: list[Mention] = []
        for mention in found:
            if mention.form in self.generic:
                before = text[max(0, mention.start - 3):mention.start]
                if out and out[-1].end == mention.start and out[-1].kind != "zone":
                    prev = out.pop()  # 邳州经开区: the zone of the place before it
                    out.append(Mention(prev.start, mention.end, prev.district, prev.form + mention.form, prev.kind))
                    continue
                if re.search(r"(?:[县市区]|我县|本县|我区|我市)$", before):
                    continue  # 县经济开发区, 我县经开区: the county's own zone
                out.append(Mention(mention.start, mention.end, mention.district, mention.form, "zone"))
                continue
            after = text[mention.end:mention.end + 8]
            if mention.kind in ("name", "short", "alias") and _OTHER_CITY.search(text[max(0, mention.start - 4):mention.start]):
                continue  # 南京市鼓楼区: another city's district of the same name
            if mention.kind in ("name", "alias") and _FEATURE.match(after):
                continue  # 新沂河, 铜山路: a river or a road named after the place, not the place
            if _DELEGATION.match(re.sub(rf"^{_ADMIN}", "", after)):
                continue  # 鼓楼区党政代表团赴…: the visitors' home
            if _MODEL.match(re.sub(rf"^{_ADMIN}", "", after)) and _LEARN.search(text[max(0, mention.start - 4):mention.start]):
                continue  # 学习借鉴邳州经验: the place whose example is followed, not the scene
            out.append(mention)
        return _drop_lists(text, out)

    def self_mentions(self, text: str) -> list[str]:
        """The self-references in `text` (我县, 本区 …), by the kind of place they stand for."""
        return [kind for kind, words in _SELF.items() if any(w in text for w in words)]

    def evidence(self, *, title: str, subtitle: str, headings: list[str], dateline: str, lede: str,
                 body: list[str], site: str, enterprise_districts: list[tuple[str, str]],
                 title_derived: bool = False) -> list[tuple[str, str]]:
        """(district id, evidence) for one article, in order; [] when the evidence is not clear."""
        zones = self._qualified_zones([title, subtitle, lede, *body, *headings])

        def where(text: str, weak_places: bool = True) -> list[Mention]:
            result = []
            for m in self.mentions(text):
                if not weak_places and m.kind == "place" and _listed(text, m):
                    continue  # 云龙湖、汉文化景区、潘安湖等景区: one of the city's sights, not the scene
                if m.kind == "zone" and zones:
                    if len(zones) == 1:  # a bare 经开区 in an article about 邳州经开区 is 邳州's
                        result.append(Mention(m.start, m.end, next(iter(zones)), m.form, "zone"))
                    continue
                result.append(m)
            return result

        def label(place: str, found: list[Mention]) -> str:
            ms = [m for m in found if m.kind in ("alias", "place", "short")]
            if ms and not any(m.kind in ("name", "zone") for m in found):
                return f"{place} ({ms[0].form})"
            return place

        def ordered(found: list[Mention]) -> list[str]:
            seen: dict[str, None] = {}
            for m in found:
                seen.setdefault(m.district, None)
            return list(seen)

        heads = where(title) + where(subtitle)
        if heads and not title_derived:
            ids = ordered(heads)
            return [(d, label("title", [m for m in heads if m.district == d])) for d in ids]
        if not title_derived and _CITY_TITLE.match(title):
            return []
        roundup = []
        for heading in headings:
            found = where(heading)
            if found and found[0].start == 0:
                roundup.append(found[0].district)
        if len(set(roundup)) >= 2:
            return [(d, "headings") for d in dict.fromkeys(roundup)]
        place = where(dateline)
        if place and len(set(m.district for m in place)) == 1:
            return [(place[0].district, label("dateline", place))]
        everywhere = where(lede, False) + [m for text in body for m in where(text, False)] + \
            [m for h in headings for m in where(h)]
        counts: dict[str, int] = {}
        for m in everywhere:
            counts[m.district] = counts.get(m.district, 0) + 1
        in_lede = where(lede, False) or (heads if title_derived else [])
        lede_ids = ordered(in_lede)
        if len(lede_ids) == 1:
            return [(lede_ids[0], label("lede", in_lede))]
        if len(lede_ids) > 1:
            repeated = [d for d in lede_ids if counts.get(d, 0) >= 2]
            return [(repeated[0], "lede")] if len(repeated) == 1 else []
        repeated = [d for d, n in counts.items() if n >= 2]
        if len(repeated) == 1:
            d = repeated[0]
            return [(d, label("text", [m for m in everywhere if m.district == d]))]
        if repeated:
            return []
        resolved = self._self_reference(" ".join([title, subtitle, lede, *body]), site, dateline, counts)
        if resolved:
            return [resolved]
        # said once, where the project or the company is (项目位于徐州经济技术开发区): the scene
        located = [m for text in [lede, *body] for m in where(text, False)
                   if _LOCATED.search(text[max(0, m.start - 4):m.start])]
        if len({m.district for m in located}) == 1 and len(counts) == 1:
            return [(located[0].district, label("text", located))]
        # said once, and the district of a company it names
        company_places = {d for _, d in enterprise_districts if d}
        if len(counts) == 1 and next(iter(counts)) in company_places:
            d = next(iter(counts))
            name = next(n for n, e in enterprise_districts if e == d)
            return [(d, f"enterprises ({name})")]
        places = {d for _, d in enterprise_districts}
        if len(places) == 1 and "" not in places:  # every company it names is of that one district
            name = next(n for n, d in enterprise_districts if d)
            return [(places.pop(), f"enterprises ({name})")]
        return []

    def _qualified_zones(self, texts: list[str]) -> set[str]:
        """Districts whose own zone an article names (邳州经开区 -> pizhou)."""
        out = set()
        for text in texts:
            for m in self.mentions(text):
                if m.kind != "zone" and m.form.endswith(ZONE_WORDS) and m.form not in self.forms:
                    out.add(m.district)
        return out

    def _self_reference(self, text: str, site: str, dateline: str, counts: dict[str, int]):
        """我县 with the one county the page, its source or dateline names."""
        kinds = self.self_mentions(text)
        if not kinds:
            return None
        context = [m for m in self.mentions(site) + self.mentions(dateline)]
        for kind in kinds:
            candidates = {m.district for m in context if _county_kind(self.terms[m.district]) == kind}
            candidates |= {d for d in counts if _county_kind(self.terms[d]) == kind}
            if len(candidates) == 1:
                d = candidates.pop()
                word = next(w for w in _SELF[kind] if w in text)
                return d, f"self ({word} = {self.terms[d].zh})"
        return None


def _listed(text: str, m: Mention) -> bool:
    """The mention is an item of a 顿号 list (A、B、C等)."""
    return text[m.start - 1:m.start] == "、" or text[m.end:m.end + 1] in ("、", "等")


def _drop_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions in an enumeration of three or more districts (A、B、C) name the whole city."""
    if len(mentions) < 3:
        return mentions
    groups: list[list[Mention]] = [[mentions[0]]]
    for m in mentions[1:]:
        gap = text[groups[-1][-1].end:m.start]
        if re.fullmatch(r"\s*(?:[、和及与]|以及)\s*", gap):
            groups[-1].append(m)
        else:
            groups.append([m])
    out = []
    for group in groups:
        if len({m.district for m in group}) < 3:
            out += group
    return out

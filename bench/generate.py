"""Deterministic generator of a synthetic briefing archive, in our format and laid out for Hugo.

    python bench/generate.py N OUT            # OUT/ours (our project) and OUT/hugo (Hugo site)
    python bench/generate.py 5 /tmp/tiny --only ours

Same N, same seed -> byte-identical files (seeded RNG, no wall clock, sorted iteration).

Our project (OUT/ours): pyproject.toml with [tool.briefing], content/taxonomy.yaml
(8 districts, 12 industries), content/glossary/enterprises.yaml (300 enterprises with
aliases and relations), content/briefings/<slug>.md (~2,500 Chinese characters, 12
paragraphs, 3-4 sections, 2-6 enterprises named in the text), and a complete reviewed
English translation memory content/translations/en/<slug>.po (segment ids come from
builder.content.parse_briefing, so they match what the build looks up). An empty seeds/
folder; no themes/ (bench/run.py copies the repository's themes/ in before building).

Hugo site (OUT/hugo): config.toml (zh and en, taxonomies districts, industries,
enterprises), content/{zh,en}/briefings/<slug>.md, term pages with descriptions, and a
minimal theme (themes/bench) rendering briefing, list, taxonomy and term pages,
per-language RSS and the sitemap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import polib  # noqa: E402
import yaml  # noqa: E402
from pypinyin import lazy_pinyin  # noqa: E402

from bench import phrases as P  # noqa: E402
from builder import frontmatter  # noqa: E402
from builder.content import parse_briefing  # noqa: E402

SEED = 20230614
N_ENTERPRISES = 300
START_DATE = dt.date(2021, 1, 1)
SPAN_DAYS = 3 * 365
PARAGRAPHS = 12
PARAGRAPH_CHARS = 200  # 12 x ~200 + headings ~= 2,500 Chinese characters
HUGO_THEME = Path(__file__).resolve().parent / "hugo_theme"

DISTRICTS = [
    # id, zh, en, short_en, keywords
    ("gulou", "鼓楼区", "Gulou District", "Gulou", ["鼓楼区", "鼓楼"]),
    ("jingkai", "徐州经济技术开发区", "Xuzhou Economic and Technological Development Zone",
     "the Development Zone (XETDZ)", ["徐州经济技术开发区", "徐州经开区", "经开区"]),
    ("yunlong", "云龙区", "Yunlong District", "Yunlong", ["云龙区"]),
    ("quanshan", "泉山区", "Quanshan District", "Quanshan", ["泉山区", "泉山"]),
    ("tongshan", "铜山区", "Tongshan District", "Tongshan", ["铜山区", "铜山"]),
    ("jiawang", "贾汪区", "Jiawang District", "Jiawang", ["贾汪区", "贾汪"]),
    ("gaoxin", "徐州高新技术产业开发区", "Xuzhou High-tech Industrial Development Zone",
     "Xuzhou High-tech Zone", ["徐州高新技术产业开发区", "徐州高新区"]),
    ("pizhou", "邳州市", "Pizhou", "Pizhou", ["邳州市", "邳州"]),
]

INDUSTRIES = [
    ("commerce", "商贸商务", "Commerce and retail"),
    ("high-tech", "高新技术产业", "High-tech industry"),
    ("urban-development", "城市更新与产城融合", "Urban renewal and development"),
    ("governance", "社会治理", "Social governance and smart communities"),
    ("culture-tourism", "文化旅游", "Culture and tourism"),
    ("photovoltaics", "光伏", "Solar photovoltaics"),
    ("semiconductors", "半导体", "Semiconductors"),
    ("batteries", "动力电池与储能", "Batteries and new-energy vehicles"),
    ("new-materials", "新材料", "New materials"),
    ("optical-communications", "光通信", "Optical communications"),
    ("green-energy", "绿色低碳能源", "Green and low-carbon energy"),
    ("finance", "投资与金融", "Investment and finance"),
]


# ---- model of what we generate --------------------------------------------------

@dataclass
class Ent:
    id: str
    name_zh: str
    aliases_zh: list[str]
    name_en: str
    short_en: str
    pinyin: str
    district: str
    industries: list[str]
    relations: list[dict]
    description_zh: str
    description_en: str


@dataclass
class Doc:
    """One briefing: Chinese and English side by side, sentence for sentence."""

    slug: str
    date: str
    title: tuple[str, str]
    series: tuple[str, str, int] | None
    districts: list[str]
    industries: list[str]
    enterprises: list[str]
    authors: list[str]
    aliases: list[str]
    figure: tuple[str, str, str, str]  # caption zh, en, credit zh, en
    # sections: (heading pair or None, subheading pair or None, [paragraph = [(zh, en) sentences]])
    sections: list = field(default_factory=list)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pinyin_word(zh: str) -> str:
    return "".join(lazy_pinyin(zh)).capitalize()


# ---- taxonomy and glossary ------------------------------------------------------------

def make_taxonomy() -> dict:
    districts = []
    for did, zh, en, short_en, keywords in DISTRICTS:
        districts.append({
            "id": did, "zh": zh, "en": en, "short_en": short_en, "keywords": keywords,
            "description_zh": f"{zh}是徐州市的重要板块，产业基础雄厚，发展活力充沛。",
            "description_en": f"{en} is one of Xuzhou's key areas, with a strong industrial base and a lively economy.",
        })
    industries = []
    for iid, zh, en in INDUSTRIES:
        industries.append({
            "id": iid, "zh": zh, "en": en, "short_en": en.lower(), "keywords": [zh],
            "description_zh": f"徐州{zh}领域的项目、企业与政策动态。",
            "description_en": f"Projects, enterprises and policy news in Xuzhou's {en.lower()} sector.",
        })
    return {"districts": districts, "industries": industries}


def make_enterprises(rng: random.Random) -> list[Ent]:
    pairs = [(core, ind, word) for core in P.CORES for ind, words in P.INDUSTRY_WORDS.items() for word in words]
    rng.shuffle(pairs)
    used_cores_en: set[str] = set()
    ents: list[Ent] = []
    seen_ids: set[str] = set()
    for core, ind, (word_zh, word_en) in pairs:
        if len(ents) == N_ENTERPRISES:
            break
        core_en = _pinyin_word(core)
        key = (core_en, word_en)
        if key in used_cores_en:
            continue
        place_zh, place_en = P.PLACES[rng.randrange(len(P.PLACES))]
        suffix_zh, suffix_en = P.SUFFIXES[rng.randrange(len(P.SUFFIXES))]
        ent_id = f"{core_en}-{word_en}".lower().replace(" ", "-").replace(",", "")
        if ent_id in seen_ids:
            continue
        used_cores_en.add(key)
        seen_ids.add(ent_id)
        district = DISTRICTS[rng.randrange(len(DISTRICTS))][0]
        industries = [ind]
        if rng.random() < 0.3:
            other = INDUSTRIES[rng.randrange(len(INDUSTRIES))][0]
            if other != ind:
                industries.append(other)
        short_zh = core + word_zh
        name_zh = place_zh + short_zh + suffix_zh
        short_en = f"{core_en} {word_en}"
        name_en = f"{place_en} {core_en} {word_en} {suffix_en}"
        dist_zh = next(d[1] for d in DISTRICTS if d[0] == district)
        dist_en = next(d[2] for d in DISTRICTS if d[0] == district)
        ind_zh = next(i[1] for i in INDUSTRIES if i[0] == ind)
        ind_en = next(i[2] for i in INDUSTRIES if i[0] == ind)
        res_zh, res_en = P.RESULTS[rng.randrange(len(P.RESULTS))]
        ents.append(Ent(
            id=ent_id, name_zh=name_zh, aliases_zh=[short_zh, place_zh + short_zh],
            name_en=name_en, short_en=short_en,
            pinyin=" ".join(lazy_pinyin(name_zh)),
            district=district, industries=industries, relations=[],
            description_zh=f"{name_zh}（简称“{short_zh}”）位于{dist_zh}，主要从事{ind_zh}相关业务，近年来{res_zh}。",
            description_en=(f"{name_en} ({short_en}) is based in {dist_en} and works in "
                            f"{ind_en.lower()}; in recent years {res_en}."),
        ))
    ents.sort(key=lambda e: e.id)
    # relations point to other entries, never to self, never both ways
    for index, ent in enumerate(ents):
        roll = rng.random()
        if index > 0 and roll < 0.15:
            ent.relations.append({"kind": "subsidiary_of", "target": ents[rng.randrange(index)].id})
        elif index > 0 and roll < 0.20 and "finance" in ent.industries:
            ent.relations.append({"kind": "investor_in", "target": ents[rng.randrange(index)].id})
    return ents


# ---- briefings -------------------------------------------------------------------------

class Writer:
    """Builds sentences (zh, en) from templates for one briefing."""

    def __init__(self, rng: random.Random, district: tuple, industries: list[tuple], ents: list[Ent]):
        self.rng = rng
        self.d_zh, self.d_en = district[1], district[3]  # short_en in running text
        self.inds = industries
        self.ents = ents
        self.next_ent = 0
        self.mentioned: set[str] = set()
        self._first: set[str] = set()  # enterprises already named in full

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def ent(self) -> tuple[str, str]:
        ent = self.ents[self.next_ent % len(self.ents)]
        self.next_ent += 1
        self.mentioned.add(ent.id)
        form = ent.name_zh if ent.id not in self._first else self.pick(ent.aliases_zh)
        self._first.add(ent.id)
        return form, ent.short_en

    def num(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def sentence(self) -> tuple[str, str]:
        r = self.rng
        t = r.randrange(12)
        a1, a2 = r.sample(P.ACTIONS, 2)
        goal = self.pick(P.GOALS)
        res = self.pick(P.RESULTS)
        season = self.pick(P.SEASONS)
        ind_zh, ind_en = self.pick(self.inds)[1:3]
        d_zh, d_en, D_en = self.d_zh, self.d_en, _cap(self.d_en)
        if t == 0:
            return (f"{d_zh}坚持{a1[0]}，{a2[0]}，全力{goal[0]}。",
                    f"{D_en} is {a1[1]} and {a2[1]}, going all out to {goal[1]}.")
        if t == 1:
            n, p = self.num(12, 480), self.num(5, 120)
            return (f"据统计，{season[0]}{d_zh}新增{ind_zh}领域企业{n}家，同比增长{p}%，{res[0]}。",
                    f"{season[1]}, according to statistics, {d_en} has added {n} enterprises in "
                    f"{ind_en.lower()}, up {p}% year on year, and {res[1]}.")
        if t == 2:
            e_zh, e_en = self.ent()
            proj, stage = self.pick(P.PROJECTS), self.pick(P.STAGES)
            m, m2 = self.num(3, 120), self.num(10, 300)
            return (f"{season[0]}，{e_zh}{proj[0]}{stage[0]}，项目总投资{m}亿元，达产后预计年产值{m2}亿元。",
                    f"{season[1]}, {e_en}'s {proj[1]} {stage[1]}; the project represents a total investment of "
                    f"{m / 10:g} billion yuan and is expected to produce {m2 / 10:g} billion yuan a year at full capacity.")
        if t == 3:
            e_zh, e_en = self.ent()
            quote, speaker = self.pick(P.QUOTES), self.pick(P.SPEAKERS)
            return (f"“{quote[0]}”，{e_zh}{speaker[0]}表示，企业将继续{a1[0]}，{goal[0]}。",
                    f"\u201c{quote[1]},\u201d said {speaker[1]} at {e_en}, adding that the company will keep "
                    f"{a1[1]} to {goal[1]}.")
        if t == 4 and len(self.ents) > 1:
            (e_zh, e_en), (f_zh, f_en) = self.ent(), self.ent()
            proj = self.pick(P.PROJECTS)
            return (f"{e_zh}与{f_zh}签署战略合作协议，双方将以合资公司方式在{d_zh}共同建设{proj[0]}。",
                    f"{e_en} and {f_en} have signed a strategic cooperation agreement and will build a "
                    f"{proj[1]} in {d_en} through a joint venture.")
        if t == 5:
            i1, i2, i3 = r.sample(P.INFRA, 3)
            n = self.num(6, 40)
            return (f"{d_zh}积极推进{i1[0]}、{i2[0]}等基础设施工程，全面完成{n}处{i3[0]}，{res[0]}。",
                    f"{D_en} is pressing ahead with infrastructure such as {i1[1]} and {i2[1]}, has "
                    f"completed {n} sites of {i3[1]}, and {res[1]}.")
        if t == 6:
            e_zh, e_en = self.ent()
            proj = self.pick(P.PROJECTS)
            return (f"{e_zh}是国内领先的{ind_zh}企业，拥有目前国内规模最大的{proj[0]}，{res[0]}。",
                    f"{e_en} is a leading Chinese {ind_en.lower()} enterprise with the country's largest "
                    f"{proj[1]}, and {res[1]}.")
        if t == 7:
            return (f"围绕{goal[0]}，{d_zh}{a1[0]}，{a2[0]}，{res[0]}。",
                    f"To {goal[1]}, {d_en} is {a1[1]} and {a2[1]}, and {res[1]}.")
        if t == 8:
            year, n, n2 = self.num(2019, 2023), self.num(6, 30), self.num(1200, 9800)
            return (f"数据显示，{year}年{d_zh}共改造{n}个老旧小区，惠及居民{n2}户，{res[0]}。",
                    f"Figures show that in {year} {d_en} renovated {n} old residential compounds, "
                    f"benefiting {n2} households, and {res[1]}.")
        if t == 9:
            e_zh, e_en = self.ent()
            m, rnd = self.num(2, 30), self.pick(["A", "B", "C", "D"])
            return (f"{season[0]}，{e_zh}完成{m}亿元{rnd}轮融资，成立以来已完成{self.num(2, 6)}轮融资，{res[0]}。",
                    f"{season[1]}, {e_en} closed a {m / 10:g} billion yuan series {rnd} round, "
                    f"having raised money several times since it was founded, and {res[1]}.")
        if t == 10:
            e_zh, e_en = self.ent()
            n, x, p = self.num(3, 9), self.num(4000, 20000), self.num(10, 60)
            return (f"“五一”期间，{e_zh}等{n}家重点企业共实现销售额{x}.{self.num(0, 9)}万元，同比增长{p}.{self.num(0, 9)}%。",
                    f"During the May Day holiday, {n} key enterprises including {e_en} recorded sales of "
                    f"{x / 100:.1f} million yuan, up {p}% year on year.")
        n, m, p = self.num(4, 12), self.num(5, 30), self.num(70, 99)
        return (f"截至目前，{d_zh}{n}个街道近{m}万户居民注册为平台用户，覆盖率达{p}%，{res[0]}。",
                f"So far nearly {m}0,000 households in {n} sub-districts of {d_en} have registered on the "
                f"platform, a coverage rate of {p}%, and {res[1]}.")

    def paragraph(self) -> list[tuple[str, str]]:
        sentences, length = [], 0
        while length < PARAGRAPH_CHARS - 30:
            zh, en = self.sentence()
            sentences.append((zh, en))
            length += len(zh)
        return sentences


def make_doc(rng: random.Random, index: int, n: int, ents: list[Ent]) -> Doc:
    date = START_DATE + dt.timedelta(days=(index * SPAN_DAYS) // max(n, 1) + rng.randrange(3))
    district = DISTRICTS[rng.randrange(len(DISTRICTS))]
    inds = rng.sample(INDUSTRIES, rng.choice((1, 2, 2, 3)))
    chosen = rng.sample(ents, rng.randint(2, 6))
    writer = Writer(rng, district, inds, chosen)
    slug = f"{date.isoformat()}-{district[0]}-{index:05d}"
    topic = writer.pick(P.TITLE_TOPICS)
    short_zh = district[1].removesuffix("区").removesuffix("市") if len(district[1]) <= 3 else "经开区"
    title = (f"{short_zh}：{topic[0]}", f"{district[3].removeprefix('the ')}: {_cap(topic[1])}")
    series = None
    if rng.random() < 0.1:
        s = writer.pick(P.SERIES)
        series = (s[0], s[1], rng.randint(1, 9))
    fig = writer.pick(P.FIGURES)
    figure = (fig[0].format(dist=district[1]), fig[1].format(dist_en=district[2]), fig[2], fig[3])
    doc = Doc(
        slug=slug, date=date.isoformat(), title=title, series=series,
        districts=[district[0]], industries=sorted(i[0] for i in inds),
        enterprises=sorted(e.id for e in chosen),
        authors=rng.sample(P.AUTHORS, rng.randint(1, 3)),
        aliases=[f"{district[0]}-{index:05d}"] if rng.random() < 0.05 else [],
        figure=figure,
    )
    n_sections = rng.choice((3, 4))
    headings = rng.sample(P.HEADINGS, n_sections)
    # the lead takes 2 paragraphs, the sections share the other 10
    counts = [2] + [10 // n_sections] * n_sections
    for k in range(10 - sum(counts[1:])):
        counts[1 + k] += 1
    for s_index, count in enumerate(counts):
        heading = None if s_index == 0 else headings[s_index - 1]
        sub = writer.pick(P.SUBHEADINGS) if heading and rng.random() < 0.5 else None
        doc.sections.append((heading, sub, [writer.paragraph() for _ in range(count)]))
    # every enterprise in the front matter is named in the text
    for ent in chosen:
        if ent.id not in writer.mentioned:
            form = ent.name_zh if ent.id not in writer._first else ent.aliases_zh[0]
            writer._first.add(ent.id)
            doc.sections[0][2][0].append((f"{form}也参与了相关项目建设。",
                                          f"{ent.short_en} is also taking part in the projects."))
    return doc


def briefing_markdown(doc: Doc) -> str:
    meta: dict = {"title": doc.title[0], "slug": doc.slug}
    if doc.series:
        meta["series"] = {"name": doc.series[0], "part": doc.series[2]}
    meta.update(districts=doc.districts, industries=doc.industries, enterprises=doc.enterprises,
                authors=doc.authors, date=doc.date)
    meta["figures"] = [{"caption": doc.figure[0], "credit": doc.figure[2], "section": "s1", "after_paragraph": 1}]
    if doc.aliases:
        meta["aliases"] = doc.aliases
    body = []
    for heading, sub, paragraphs in doc.sections:
        if heading:
            body.append(f"## {heading[0]}")
        if sub:
            body.append(f"### {sub[0]}")
        body.extend("".join(zh for zh, _ in p) for p in paragraphs)
    return frontmatter.join(meta, "\n\n".join(body))


def translation_pairs(doc: Doc) -> dict[str, str]:
    pairs = {doc.title[0]: doc.title[1], doc.figure[0]: doc.figure[1], doc.figure[2]: doc.figure[3]}
    if doc.series:
        pairs[doc.series[0]] = doc.series[1]
    for heading, sub, paragraphs in doc.sections:
        for pair in (heading, sub):
            if pair:
                pairs[pair[0]] = pair[1]
        for paragraph in paragraphs:
            pairs.update(paragraph)
    return pairs


def po_file(doc: Doc, markdown: str, path: str) -> str:
    briefing = parse_briefing(markdown, path)
    pairs = translation_pairs(doc)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "xuzhou-briefing",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for segment in briefing.segments():
        if segment.zh not in pairs:
            raise AssertionError(f"{path}: generator has no English for segment {segment.id}: {segment.zh!r}")
        po.append(polib.POEntry(msgctxt=segment.id, msgid=segment.zh, msgstr=pairs[segment.zh]))
    return str(po)


# ---- writing --------------------------------------------------------------------------

def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def pyproject_text() -> str:
    return """[project]
name = "synthetic-briefing-archive"
version = "0"

[tool.briefing]
title_zh = "徐州简报"
title_en = "Xuzhou Briefing"
base_url = "http://127.0.0.1:8000/"
theme = "default"
"""


def write_ours(root: Path, taxonomy: dict, ents: list[Ent], docs: list[Doc]) -> None:
    _write(root / "pyproject.toml", pyproject_text())
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    _write(root / "content" / "taxonomy.yaml", _dump(taxonomy))
    glossary = [{
        "id": e.id, "name_zh": e.name_zh, "aliases_zh": e.aliases_zh, "name_en": e.name_en,
        "short_en": e.short_en, "aliases_en": [], "pinyin": e.pinyin, "district": e.district,
        "industries": e.industries, "relations": e.relations,
        "description_zh": e.description_zh, "description_en": e.description_en,
    } for e in ents]
    _write(root / "content" / "glossary" / "enterprises.yaml", _dump(glossary))
    for doc in docs:
        rel = f"content/briefings/{doc.slug}.md"
        markdown = briefing_markdown(doc)
        _write(root / rel, markdown)
        _write(root / "content" / "translations" / "en" / f"{doc.slug}.po", po_file(doc, markdown, rel))


def _link_first(text: str, forms: list[tuple[str, str]], done: set[str]) -> str:
    """Markdown link at the first mention of each enterprise (what a renderer with a glossary does)."""
    for form, url in forms:
        if url not in done and form in text:
            text = text.replace(form, f"[{form}]({url})", 1)
            done.add(url)
    return text


def write_hugo(root: Path, taxonomy: dict, ents: list[Ent], docs: list[Doc]) -> None:
    _write(root / "config.toml", HUGO_CONFIG)
    shutil.copytree(HUGO_THEME, root / "themes" / "bench", dirs_exist_ok=True)
    by_id = {e.id: e for e in ents}
    for lang in ("zh", "en"):
        base = root / "content" / lang
        _write(base / "_index.md", _hugo_page({"title": "徐州简报" if lang == "zh" else "Xuzhou Briefing"}, ""))
        _write(base / "briefings" / "_index.md",
               _hugo_page({"title": "简报" if lang == "zh" else "Briefings"}, ""))
        for kind in ("districts", "industries"):
            for term in taxonomy[kind]:
                # our build writes a feed for every district and industry
                _write(base / kind / term["id"] / "_index.md",
                       _hugo_page({"title": term[lang], "outputs": ["HTML", "RSS"]}, term[f"description_{lang}"]))
        for e in ents:
            params = {"title": e.name_zh if lang == "zh" else e.name_en,
                      "name_zh": e.name_zh, "name_en": e.name_en, "pinyin": e.pinyin,
                      "aliases_zh": e.aliases_zh, "district": e.district,
                      "relations": e.relations}
            _write(base / "enterprises" / e.id / "_index.md", _hugo_page(params, e.__dict__[f"description_{lang}"]))
    for doc in docs:
        for lang, pick in (("zh", 0), ("en", 1)):
            meta = {"title": doc.title[pick], "date": doc.date, "slug": doc.slug,
                    "districts": doc.districts, "industries": doc.industries,
                    "enterprises": doc.enterprises, "authors": doc.authors}
            if doc.series:
                meta["series_name"] = doc.series[pick]
                meta["series_part"] = doc.series[2]
            if doc.aliases:
                meta["aliases"] = [f"/{lang}/briefings/{a}/" for a in doc.aliases]
            forms = []
            for ent_id in doc.enterprises:
                e = by_id[ent_id]
                url = f"/{lang}/enterprises/{ent_id}/"
                names = [e.name_zh, *e.aliases_zh] if lang == "zh" else [e.short_en]
                forms.extend((name, url) for name in sorted(names, key=len, reverse=True))
            done: set[str] = set()
            body = []
            for s_index, (heading, sub, paragraphs) in enumerate(doc.sections):
                if heading:
                    body.append(f"## {heading[pick]} {{#s{s_index}}}")
                if sub:
                    body.append(f"### {sub[pick]}")
                for p_index, paragraph in enumerate(paragraphs, 1):
                    text = ("" if lang == "zh" else " ").join(pair[pick] for pair in paragraph)
                    body.append(_link_first(text, forms, done))
                    if s_index == 1 and p_index == 1:
                        body.append(f"*{doc.figure[pick]}* {doc.figure[2 + pick]}")
            _write(root / "content" / lang / "briefings" / f"{doc.slug}.md", _hugo_page(meta, "\n\n".join(body)))


def _hugo_page(meta: dict, body: str) -> str:
    return f"---\n{_dump(meta)}---\n\n{body.strip()}\n"


HUGO_CONFIG = """baseURL = "http://127.0.0.1:8000/"
defaultContentLanguage = "zh"
defaultContentLanguageInSubdir = true
theme = "bench"
enableRobotsTXT = false
disableHugoGeneratorInject = true
paginate = 20
timeZone = "UTC"

[taxonomies]
  district = "districts"
  industry = "industries"
  enterprise = "enterprises"

# `parallel`: the side-by-side bilingual page our build writes for every briefing
[outputFormats.parallel]
  mediaType = "text/html"
  baseName = "parallel"
  isHTML = true
  permalinkable = false

[outputs]
  home = ["HTML", "RSS"]
  page = ["HTML", "parallel"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[services.rss]
  limit = 50

[markup.goldmark.parser.attribute]
  title = true

[languages.zh]
  contentDir = "content/zh"
  languageName = "中文"
  title = "徐州简报"
  weight = 1
  hasCJKLanguage = true

[languages.en]
  contentDir = "content/en"
  languageName = "English"
  title = "Xuzhou Briefing"
  weight = 2
"""


def generate(n: int, out: Path, only: str | None = None, seed: int = SEED) -> None:
    rng = random.Random(seed)
    taxonomy = make_taxonomy()
    ents = make_enterprises(rng)
    docs = [make_doc(random.Random(f"{seed}-{i}"), i, n, ents) for i in range(1, n + 1)]
    if only in (None, "ours"):
        write_ours(out / "ours", taxonomy, ents, docs)
    if only in (None, "hugo"):
        write_hugo(out / "hugo", taxonomy, ents, docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of briefings")
    parser.add_argument("out", type=Path, help="output folder (ours/ and hugo/ are created in it)")
    parser.add_argument("--only", choices=("ours", "hugo"), help="generate one side only")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; give a new folder")
    generate(args.n, args.out, args.only, args.seed)
    print(f"generated {args.n} briefings in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

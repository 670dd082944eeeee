"""Ingest, one test group per class of failure in issue 10, on strings and on small projects.

The article shapes themselves are in tests/ingest_cases/ (scored by tests/ingest_eval.py); these
tests pin the rule of each class to a few lines of text, so that a regression names its class.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path

import pytest

from builder import cli, frontmatter, ingest
from builder.config import load_config
from builder.content import load_site, parse_briefing, parse_glossary, parse_taxonomy
from builder.ingest import lines as L

REPO = Path(__file__).parent.parent
SEED = "000_ba374b0bc59d2438.txt"
DISTRICTS, INDUSTRIES = parse_taxonomy((REPO / "content/taxonomy.yaml").read_text(encoding="utf-8"), "taxonomy")
FIXTURE_GLOSSARY = parse_glossary((REPO / "tests/ingest_cases/glossary.yaml").read_text(encoding="utf-8"), "g")
CTX = ingest.Context(DISTRICTS, INDUSTRIES, FIXTURE_GLOSSARY)


def one(text: str, name: str = "seeds/x.txt") -> ingest.Draft:
    result = ingest.ingest_source(text.encode("utf-8"), name, CTX)
    assert not result.problems, result.problems
    (draft,) = result.drafts
    return draft


def body(draft: ingest.Draft) -> list[str]:
    return [p for p, _ in draft.paragraphs()]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(REPO / "seeds" / SEED, tmp_path / "seeds" / SEED)
    shutil.copy(REPO / "seeds" / SEED.replace(".txt", ".yaml"), tmp_path / "seeds" / SEED.replace(".txt", ".yaml"))
    (tmp_path / "content" / "glossary").mkdir(parents=True)
    shutil.copy(REPO / "content/taxonomy.yaml", tmp_path / "content/taxonomy.yaml")
    shutil.copy(REPO / "content/glossary/enterprises.yaml", tmp_path / "content/glossary/enterprises.yaml")
    return tmp_path


# ---- the seed: the committed content is what ingest writes --------------------------------

def test_seed_reproduces_the_committed_briefings_byte_for_byte(project, monkeypatch):
    # the committed state says ingest first saw the seed's articles on 2026-11-26 (when they were
    # first committed); a fresh ingest on that day writes the very same state
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC).timestamp())))
    ingest.ingest_all(load_config(project)).raise_problems()
    for page in sorted((REPO / "content/briefings").glob("*.md")):
        assert (project / "content/briefings" / page.name).read_bytes() == page.read_bytes(), page.name
    assert sorted(p.name for p in (project / "content/briefings").glob("*.md")) == \
        sorted(p.name for p in (REPO / "content/briefings").glob("*.md"))
    assert (project / "content/.ingest-state.json").read_bytes() == (REPO / "content/.ingest-state.json").read_bytes()


# ---- 1. one unusable article never stops the others -------------------------------------------

PAGE_WITH_A_BAD_ARTICLE = """睢宁县举办儿童画文创大赛
本报讯（记者 李娜）11月15日，第二届文创大赛颁奖仪式在睢宁县文化馆举行。
本次大赛评选出金奖作品12件。

新沂市部署冬季安全生产工作
本报记者 赵强
"""
NO_HEADLINE = "本报讯（记者 孙婷）12月18日，总投资25亿元的徐州恒泰新材料产业园项目在铜山区开工建设。\n\n项目计划2025年投产。\n"


def test_each_article_and_file_is_ingested_or_reported_on_its_own(project, capsys):
    seeds = project / "seeds"
    (seeds / "page.txt").write_text(PAGE_WITH_A_BAD_ARTICLE, encoding="utf-8")
    (seeds / "wire.txt").write_text(NO_HEADLINE, encoding="utf-8")
    (seeds / "bad.txt").write_bytes(b"\xff\xff\xff")
    assert cli.main(["-C", str(project), "ingest"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "error: seeds/bad.txt:1: cannot be decoded: byte 0xff at offset 0 is neither UTF-8 nor GB18030/GBK; "
        "save the file as UTF-8",
        "error: seeds/page.txt:5: article 2 ('新沂市部署冬季安全生产工作') has a title but no text",
        "2 problems; the other articles were ingested",
    ]
    written = sorted(p.name for p in (project / "content/briefings").glob("*.md"))
    assert len(written) == 4  # the seed's two, the good article of page.txt, the headline-less wire
    assert "review: seeds/wire.txt:1: no headline: title derived from the first sentence " \
           "('总投资25亿元的徐州恒泰新材料产业园项目在铜山区开工建设'); marked review: [title]" in out.splitlines()
    wire = next(b for b in load_site(load_config(project)).briefings if b.source.file == "seeds/wire.txt")
    assert wire.review == ("title",)
    assert wire.title.zh == "总投资25亿元的徐州恒泰新材料产业园项目在铜山区开工建设"
    assert wire.sections[0].paragraphs[0].zh.startswith("12月18日，总投资25亿元")  # the sentence stays in the text
    assert wire.dateline.zh == "本报讯"


def test_a_line_of_names_inside_the_text_does_not_split_the_article():
    draft = one("泉山区表彰社区工作者\n12月20日，泉山区召开表彰大会。获奖名单如下：\n张晓燕 李建华 王秀英\n"
                "赵国庆 孙丽娟 周建军\n泉山区相关负责人表示，希望受表彰的同志珍惜荣誉。\n（记者 何静）\n")
    assert body(draft)[1:3] == ["张晓燕 李建华 王秀英", "赵国庆 孙丽娟 周建军"]  # names kept apart, not glued
    assert draft.authors == ("何静",)


# ---- 2. chrome ----------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "【字体：大 中 小】  【打印本页】  【关闭窗口】", "分享到：", "扫一扫在手机打开当前页", "🔊 听新闻", "阅读 (3.2万)",
    "3天前 · 徐州广播电视台官方账号", "汉邦智能 股票代码：301236", "IMG_20230516_093522.jpg", "微信图片_20230516101133.png",
    "微信 微博 QQ空间", "举报/反馈", "0", "字号 默认 大 超大 | 打印 | 关闭",
])
def test_page_widgets_are_chrome(line):
    assert L.is_chrome(line) or L.is_breadcrumb(line)


@pytest.mark.parametrize("line", [
    "首页 >> 新闻中心 >> 沛县要闻", "您所在的位置：首页 » 县区动态 » 新沂", "网站首页 | 走进贾汪 | 政务公开 | 政务服务",
    "新华网江苏频道 > 正文", "新闻中心 / 公司新闻", "中国江苏网 > 徐州频道 > 区县新闻", "首页 / 贾汪要闻 / 贾汪区马庄村入选全国乡村旅游重点村",
])
def test_breadcrumbs_in_any_style(line):
    assert L.is_breadcrumb(line)


@pytest.mark.parametrize("line", [
    "引龙头，铸链条", "该项目装机规模100兆瓦/200兆瓦时，由江苏苏能储能科技有限公司投资建设。", "文/记者 杨帆 图/记者 吴昊",
    "县区速递", "如何让更多群众在家门口就业？",
])
def test_text_is_not_chrome(line):
    assert not (L.is_chrome(line) or L.is_breadcrumb(line) or L.is_meta(line))


def test_headline_after_chrome_with_site_name_breadcrumb_and_widgets():
    draft = one("贾汪区人民政府门户网站\n网站首页 | 走进贾汪 | 政务公开 | 互动交流\n首页 / 贾汪要闻 / 马庄村入选全国乡村旅游重点村\n"
                "马庄村入选全国乡村旅游重点村\n作者：贾宣  来源：贾汪区融媒体中心  日期：2023-12-29\n"
                "分享至\n近日，文化和旅游部公布第五批全国乡村旅游重点村名单，贾汪区潘安湖街道马庄村成功入选。\n【打印】 【关闭】\n")
    assert (draft.title, draft.subtitle, draft.authors) == ("马庄村入选全国乡村旅游重点村", None, ("贾宣",))
    assert (draft.publication, draft.date) == ("贾汪区融媒体中心", "2023-12-29")
    assert body(draft) == ["近日，文化和旅游部公布第五批全国乡村旅游重点村名单，贾汪区潘安湖街道马庄村成功入选。"]


@pytest.mark.parametrize("line,title,publication", [
    ("招商引资_铜山区签约恒泰新材料二期项目", "铜山区签约恒泰新材料二期项目", None),
    ("【徐州日报】汉邦智能二期项目投产", "汉邦智能二期项目投产", "徐州日报"),
    ("丰县：牛蒡产业链延伸_徐州市人民政府", "丰县：牛蒡产业链延伸", None),
])
def test_category_prefix_source_and_site_suffix_leave_the_headline(line, title, publication):
    draft = one(f"{line}\n1月15日，铜山区与徐州恒泰新材料科技有限公司签订二期项目投资协议，项目总投资32亿元。\n")
    assert (draft.title, draft.publication) == (title, publication)


def test_kicker_and_subtitle_are_kept_as_subtitle():
    draft = one("坚持项目为王 奋力争先进位\n邳州：百亿级银杏产业园开园\n——园区已入驻企业42家\n本报记者 郑伟\n"
                "9月26日，邳州银杏产业园正式开园，园区规划面积3.6平方公里，已入驻企业42家。\n")
    assert (draft.title, draft.subtitle) == ("邳州：百亿级银杏产业园开园", "坚持项目为王 奋力争先进位——园区已入驻企业42家")
    page = ingest.render_markdown(draft)
    briefing = parse_briefing(page, "x.md")
    assert briefing.subtitle.id == "meta.subtitle" and briefing.subtitle in list(briefing.segments())


# ---- 3. bylines and datelines -----------------------------------------------------------------

@pytest.mark.parametrize("lede,dateline,names,rest", [
    ("本报讯（记者 孙婷）12月18日，项目开工。", "本报讯", ("孙婷",), "12月18日，项目开工。"),
    ("新华社南京7月12日电（记者 朱国亮）记者从徐州市获悉，", "新华社南京7月12日电", ("朱国亮",), "记者从徐州市获悉，"),
    ("中新网徐州3月5日电（记者 刘昊）记者5日获悉，", "中新网徐州3月5日电", ("刘昊",), "记者5日获悉，"),
    ("新华日报·交汇点讯 初冬时节，邳州经开区", "新华日报·交汇点讯", (), "初冬时节，邳州经开区"),
    ("中国江苏网9月14日徐州讯（记者 陈晓 通讯员 铜宣）随着", "中国江苏网9月14日徐州讯", ("陈晓", "铜宣"), "随着"),
    ("（文/图 记者 胡蝶 通讯员 陈卫 张弛）“五一”假期", None, ("胡蝶", "陈卫", "张弛"), "“五一”假期"),
    ("喜讯传来，全县上下", None, (), "喜讯传来，全县上下"),
    ("〔记者林志明／徐州报导〕江苏徐州贾汪区的", None, ("林志明",), "江苏徐州贾汪区的"),
    ("本报邳州讯（记者 张帆）记者近日获悉，", "本报邳州讯", ("张帆",), "记者近日获悉，"),
])
def test_datelines_and_bylines_come_off_the_lede(lede, dateline, names, rest):
    assert ingest.split_dateline(lede) == (dateline, names, rest)


@pytest.mark.parametrize("line,names", [
    ("徐州日报记者 陈亮 吴娟 王海涛 通讯员 徐经宣", ("陈亮", "吴娟", "王海涛", "徐经宣")),
    ("交汇点记者 王静 通讯员 邳宣", ("王静", "邳宣")),
    ("（睢宁县融媒体中心 徐晓 魏然）", ("徐晓", "魏然")),
    ("文/记者 杨帆 图/记者 吴昊", ("杨帆", "吴昊")),
    ("（本报记者 汪洋 整理）", ("汪洋",)),
    ("近日，记者走进", None),
    ("记者从鼓楼区商务局获悉", None),
])
def test_bylines_in_other_places(line, names):
    assert ingest.parse_byline(line) == names


def test_byline_in_the_closing_parentheses_and_author_field_and_empty_fields():
    draft = one("沛县：项目集中开工\n来源：  作者：  时间：2024-03-12  点击：\n"
                "3月11日，沛县重大项目集中开工，总投资86.5亿元。下一步，沛县将强化要素保障。（记者 孟凡 通讯员 刘晓东 朱琳）\n")
    assert (draft.authors, draft.publication, draft.date) == (("孟凡", "刘晓东", "朱琳"), None, "2024-03-12")
    assert body(draft) == ["3月11日，沛县重大项目集中开工，总投资86.5亿元。下一步，沛县将强化要素保障。"]


# ---- 4. hard line breaks -------------------------------------------------------------------------

def test_lines_broken_inside_sentences_and_names_are_joined_but_headings_stay():
    draft = one("睢宁县：家门口就业\n记者 周洁\n近日，记者走进\n睢宁县\n双沟镇的江苏\n汉邦智能装备股份有限公司\n"
                "睢宁分厂，工人们正在忙碌。“在家门口上班，\n既能挣钱又能照顾家里。”员工说。\n\n"
                "如何让更多群众在家门口就业？\n\n搭建平台 拓宽渠道\n睢宁县今年已举办招聘会46场，\n提供岗位2.6万个。\n")
    assert body(draft) == [
        "近日，记者走进睢宁县双沟镇的江苏汉邦智能装备股份有限公司睢宁分厂，工人们正在忙碌。“在家门口上班，既能挣钱又能照顾家里。”员工说。",
        "如何让更多群众在家门口就业？",  # a question in the text is not a heading
        "睢宁县今年已举办招聘会46场，提供岗位2.6万个。",
    ]
    assert [(s.heading, s.subheading) for s in draft.sections] == [(None, None), ("搭建平台", "拓宽渠道")]
    assert draft.enterprises == ("hanbang-intelligent",)  # the name cut by a line break is found


def test_roundup_district_headings_start_sections():
    draft = one("区县传真\n【铜山区】近日，铜山区重大项目集中签约，共签约项目26个。\n"
                "【泉山区】11月以来，泉山区开展老旧小区改造“回头看”。\n")
    assert [s.heading for s in draft.sections] == [None, "铜山区", "泉山区"]
    assert draft.districts == ("tongshan", "quanshan")
    assert dict(draft.district_from) == {"tongshan": "headings", "quanshan": "headings"}


# ---- 5. districts: where it happens ------------------------------------------------------------

@pytest.mark.parametrize("text,districts,evidence", [
    # the visiting delegation's home is not the scene
    ("鼓楼区党政代表团赴睢宁县考察学习\n4月18日，鼓楼区党政代表团赴睢宁县考察，察看了睢宁县高新区。\n", ("suining",), ()),
    # 邳州经开区 and the bare 经开区 after it are Pizhou's, not the Xuzhou zone
    ("邳州经开区：半导体材料产业加速成势\n今年，经开区半导体材料产业产值112亿元。经开区将建设检测平台。\n", ("pizhou",), ()),
    # former names and older zone names
    ("铜山县利国镇钢铁产业转型升级\n今年以来，利国镇关停小高炉4座。\n", ("tongshan",), (("tongshan", "title (铜山县)"),)),
    ("金山桥开发区新签约外资项目12个\n今年上半年，开发区新签约外资项目12个。\n", ("jingkai",), (("jingkai", "title (金山桥开发区)"),)),
    ("邳县银杏之乡建设步伐加快\n邳县今年新栽银杏树10万株。\n", ("pizhou",), (("pizhou", "title (邳县)"),)),
    # a one-character short form and 我县 with the page's site
    ("来丰考察！这家企业与我县签约\n6月20日，一家企业来丰考察，并与我县签约。\n", ("fengxian",), (("fengxian", "title (来丰)"),)),
    ("带来丰厚回报\n这个项目带来丰厚回报，丰富了产品种类。\n", (), ()),
    # a list of districts is the whole city; prefer none over a guess
    ("徐州今年将实施重大产业项目300个\n其中，徐州经开区、徐州高新区、邳州市、新沂市的项目均在20个以上。\n", (), ()),
    # the lede says where
    ("“小龙虾”加工厂订单排到年底\n走进新沂市时集镇的加工车间，订单已经排到了年底。\n", ("xinyi",), (("xinyi", "lede"),)),
    # a title about the city: the district of the lede's example is not the scene
    ("徐州：“智改数转”为制造业插上数字翅膀\n在徐州经开区的一家企业，焊接机器人正在作业。徐州市实施项目1200个。\n", (), ()),
    # the dateline says where
    ("银杏产业链年产值突破百亿元\n本报邳州讯（记者 张帆）银杏产业已成为当地的支柱产业。\n", ("pizhou",),
     (("pizhou", "dateline"),)),
    # a place listed among the city's sights is not the scene
    ("国庆假期游客增长\n全市接待游客586万人次，云龙湖、汉文化景区、潘安湖等景区接待量位居前列。\n", (), ()),
])
def test_district_is_where_it_happens(text, districts, evidence):
    draft = one(text)
    assert (draft.districts, draft.district_from) == (districts, evidence)


def test_self_reference_takes_the_county_of_the_page():
    draft = one("睢宁县人民政府\n首页 >> 信息公开 >> 工作动态\n我县召开重点项目建设推进会\n【发布时间：2022-11-03】\n"
                "11月2日，我县召开重点项目建设推进会，全县42个重点项目累计完成投资186亿元。\n")
    assert (draft.title, draft.districts, draft.district_from) == (
        "我县召开重点项目建设推进会", ("suining",), (("suining", "self (我县 = 睢宁县)"),))


def test_traditional_spelling_of_a_district_in_simplified_text():
    # a Simplified page quoting a Traditional name is not converted as a whole: the alias finds it
    draft = one("銅山區一批项目开工建设\n今年以来，全区实施重点项目126个，完成投资218亿元。\n")
    assert draft.districts == ("tongshan",)


# ---- 6. enterprises -------------------------------------------------------------------------------

def names(text: str) -> list[str]:
    draft = one(text)
    return [c.name for c in ingest.review_candidates(draft, CTX)]


def test_short_forms_in_lists_with_known_companies_and_defined_short_forms():
    draft = one("标题\n签约企业中，汉邦智能、恒泰新材料、中科泰宁等企业均为细分领域的“隐形冠军”。徐州安邦矿山装备有限公司"
                "（以下简称“安邦矿装”）也签约落户。安邦矿装、中科泰宁将共建实验室。\n")
    # the short form defined for an unknown company is that company's, not a second candidate
    assert [(c.name, c.short_form) for c in ingest.review_candidates(draft, CTX)] == \
        [("中科泰宁", ""), ("徐州安邦矿山装备有限公司", "安邦矿装")]
    # a short form defined for no company found before it is a candidate of its own
    assert names("标题\n该公司（以下简称“安邦矿装”）也签约落户。\n") == ["安邦矿装"]


def test_the_longest_known_name_wins_and_an_alias_does_not_swallow_a_longer_name():
    draft = one("标题\n高新区还与恒泰科技达成合作意向，恒泰新材料二期项目封顶。\n")
    assert draft.enterprises == ("hengtai-new-materials",)  # from 恒泰新材料, not from the 恒泰 of 恒泰科技
    assert [c.name for c in ingest.review_candidates(draft, CTX)] == ["恒泰科技"]


def test_people_schools_hospitals_government_and_truncated_names_are_not_enterprises():
    assert names("标题\n中国矿业大学、徐州医科大学附属医院、市应急管理局相关负责人与汉邦智能董事长王建军参加活动。"
                 "我市投资兴建的徐州云帆智能装备有限公司投产。此外，高新区正与汉邦智能、江苏晨\n") == ["徐州云帆智能装备有限公司"]


def test_a_short_form_of_a_known_company_is_reported_as_its_alias():
    draft = one("标题\n江苏华耀光伏科技有限公司与我县签约。华耀光伏董事长表示，将加快推进项目落地。\n")
    (candidate,) = ingest.review_candidates(draft, CTX)
    assert (candidate.name, candidate.short_of, draft.enterprises) == ("华耀光伏", "huayao-pv", ("huayao-pv",))


# ---- 7. Traditional text -----------------------------------------------------------------------

def test_traditional_text_is_converted_fully_and_punctuation_normalised():
    text, converted = ingest.to_simplified("隨著高鐵開通﹐沿著運河發展﹐這意味著新機遇﹔著名企業顯著增長﹒")
    assert converted
    assert ingest.normalise(text) == "随着高铁开通，沿着运河发展，这意味着新机遇；著名企业显著增长。"
    assert ingest.normalise("２０２３年ＧＤＰ增长５﹒２％") == "2023年GDP增长5.2%"
    assert ingest.to_simplified("鼓楼区在创新中谋发展。") == ("鼓楼区在创新中谋发展。", False)


def test_big5_and_gbk_bytes_are_told_apart():
    traditional = "銅山區新能源產業集群初具規模，全區已集聚相關企業60餘家。\n"
    simplified = "铜山区新能源产业集群初具规模，全区已集聚相关企业60余家。\n"
    assert ingest.decode(traditional.encode("big5"), "x.txt") == traditional
    assert ingest.decode(simplified.encode("gbk"), "x.txt") == simplified


# ---- 8. industries from evidence ---------------------------------------------------------------

def test_an_incidental_keyword_is_not_an_industry():
    draft = one("丰县：小牛蒡做成大产业\n在江苏丰源食品有限公司的生产车间，工人们正将牛蒡制成牛蒡茶。\n"
                "公司开发了20多个产品，满足消费者多元化的消费需求。\n")
    assert draft.industries == ()


def test_industries_from_title_lede_and_repeated_mentions():
    draft = one("新沂：新型储能电站并网发电\n12月6日，新沂市首座新型储能电站并网发电。\n"
                "项目每年可消纳新能源电量1.5亿千瓦时。\n")
    assert draft.industries == ("batteries",)  # 储能 in the title; 新能源 once is not an industry
    # a district name is not evidence: the 高新区 of 徐州高新区 is a place, not high tech
    draft = one("徐州高新区安全应急产业加速壮大\n徐州高新区举行签约活动。高新区还与多家企业达成合作。高新区将建设研发中心。\n")
    assert draft.industries == ()


# ---- saved web pages ---------------------------------------------------------------------------------

GB_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>贾汪区潘安湖生态修复经验入选全国典型案例-中国徐州网</title></head><body>
<div><a href="/">中国徐州网</a> | <a href="/news">新闻</a> | <a href="/xq">县区</a></div>
<div class="title">贾汪区潘安湖生态修复经验入选全国典型案例</div>
<div class="time">2023-04-12 10:05:32　来源：彭城晚报</div>
<div id="zoom"><p>本报讯（记者 苗青）近日，自然资源部公布第四批生态产品价值实现典型案例，贾汪区潘安湖采煤塌陷地生态修复案例成功入选。</p>
<p>潘安湖曾是徐州最大的采煤塌陷区，如今已成为国家湿地公园和4A级旅游景区。</p></div>
<div>Copyright &copy; 中国徐州网 版权所有</div></body></html>
"""


def test_saved_web_pages_htm_and_html_in_their_declared_charset(project):
    (project / "seeds" / "pancheng.htm").write_bytes(GB_PAGE.encode("gb2312"))
    (project / "seeds" / "utf8.html").write_text(GB_PAGE.replace("gb2312", "utf-8").replace("贾汪区潘安湖生态", "贾汪区潘安湖湿地生态"),
                                                 encoding="utf-8")
    report = ingest.ingest_all(load_config(project))
    assert not report.problems
    assert "seeds/pancheng.htm: 1 article" in report.files and "seeds/utf8.html: 1 article" in report.files
    pages = {b.source.file: b for b in load_site(load_config(project)).briefings}
    page = pages["seeds/pancheng.htm"]
    assert (page.title.zh, page.districts, page.authors, page.date) == (
        "贾汪区潘安湖生态修复经验入选全国典型案例", ("jiawang",), ("苗青",), "2023-04-12")
    assert page.source.publication == "彭城晚报" and page.dateline.zh == "本报讯"
    assert [p.zh for s in page.sections for p in s.paragraphs][1] == "潘安湖曾是徐州最大的采煤塌陷区，如今已成为国家湿地公园和4A级旅游景区。"
    meta, _, _ = frontmatter.parse((project / page.path).read_text(encoding="utf-8"), page.path)
    data = (project / "seeds/pancheng.htm").read_bytes()
    assert meta["source"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert meta["source"]["date_from"] == "seeds/pancheng.htm:5: 2023-04-12 10:05:32　来源：彭城晚报"


def test_a_group_word_after_a_short_form_is_the_same_company_when_its_full_name_says_so():
    glossary = parse_glossary("""
- {id: xcmg, name_zh: 徐州工程机械集团有限公司, aliases_zh: [徐工], name_en: XCMG}
- {id: hengtai, name_zh: 徐州恒泰新材料科技有限公司, aliases_zh: [恒泰], name_en: Hengtai}
""", "g")
    ctx = ingest.Context(DISTRICTS, INDUSTRIES, glossary)
    (draft,) = ingest.ingest_source("标题\n徐工集团、恒泰科技等企业参加招聘会，恒泰集团也到场。\n".encode(), "x.txt", ctx).drafts
    assert draft.enterprises == ("xcmg",)  # 徐工集团 is XCMG; 恒泰科技 and 恒泰集团 are other companies
    assert [c.name for c in ingest.review_candidates(draft, ctx)] == ["恒泰科技", "恒泰集团"]


def test_a_verb_before_a_company_name_is_not_part_of_it():
    assert names("标题\n会议指出，要紧盯徐州云帆智能装备有限公司二期等重大项目，推进江苏晨阳科技有限公司落户。\n") == [
        "徐州云帆智能装备有限公司", "江苏晨阳科技有限公司"]


# ---- the second hold-out: five more classes ----------------------------------------------------

@pytest.mark.parametrize("text", ["要闻", "综合", "本版", "经济", "区县新闻", "第A2版", "A03 经济", "要闻·综合", "丰县·要闻",
                                  "A2版：县域经济"])
def test_page_and_column_labels_have_the_shape_of_one(text):
    assert L.is_section_label(text)


@pytest.mark.parametrize("text", ["鼓楼区", "邳州银杏产业链延伸", "新沂推进城市更新", "徐州发布", "坚持项目为王 奋力争先进位"])
def test_headlines_and_names_are_not_column_labels(text):
    assert not L.is_section_label(text)


def test_a_column_label_over_a_district_headline_is_chrome_and_the_headline_stays_whole():
    draft = one("城事\n云龙区：“口袋公园”扮靓老城区\n本报记者 田甜\n今年以来，云龙区新建口袋公园16个。\n")
    assert (draft.title, draft.subtitle, draft.sections[0].heading) == ("云龙区：“口袋公园”扮靓老城区", None, None)


def test_a_roundup_keeps_its_column_as_title_and_its_districts_as_headings():
    draft = one("县区动态\n鼓楼区：老旧小区改造惠及万户\n今年以来，鼓楼区完成改造18个。\n"
                "云龙区：大龙湖畔新添公园\n近日，云龙区大龙湖文体公园建成开放。\n")
    assert draft.title == "县区动态" and [s.heading for s in draft.sections] == [None, "鼓楼区", "云龙区"]


@pytest.mark.parametrize("brand", ["新华日报·交汇点", "现代快报+", "江苏广电总台·荔枝新闻", "人民网·江苏频道"])
def test_a_brand_line_is_never_a_kicker(brand):
    draft = one(f"{brand}\n睢宁县新增高标准农田5万亩\n记者 孙悦\n今年以来，睢宁县新建高标准农田5万亩。\n")
    assert (draft.title, draft.subtitle) == ("睢宁县新增高标准农田5万亩", None)


def test_a_kicker_named_again_as_the_source_is_the_source_not_a_kicker():
    draft = one("淮海观察工作室\n睢宁县新增高标准农田5万亩\n来源：淮海观察工作室 2024-05-06\n今年以来，睢宁县新建高标准农田5万亩。\n")
    assert (draft.title, draft.subtitle, draft.publication) == ("睢宁县新增高标准农田5万亩", None, "淮海观察工作室")


def test_a_slogan_kicker_joined_by_a_dot_is_kept():
    draft = one("奋进新征程·建功新时代\n睢宁县新增高标准农田5万亩\n记者 孙悦\n今年以来，睢宁县新建高标准农田5万亩。\n")
    assert (draft.title, draft.subtitle) == ("睢宁县新增高标准农田5万亩", "奋进新征程·建功新时代")


@pytest.mark.parametrize("line", ["点个“在看”，分享给更多人", "长按识别二维码关注", "喜欢就点赞", "转发朋友圈", "扫码下载客户端",
                                  "更多精彩内容，请关注徐州发布。", "一键三连↓↓↓"])
def test_calls_to_action_after_the_body_are_dropped(line):
    draft = one(f"邳州板材企业超两千家\n今年以来，邳州市新增板材企业120家。\n{line}\n")
    assert body(draft) == ["今年以来，邳州市新增板材企业120家。"]


def test_the_same_words_inside_the_text_are_the_articles():
    draft = one("邳州板材产业园开放参观\n即日起，邳州板材产业园向市民开放。\n市民可扫码预约参观。\n")
    assert body(draft) == ["即日起，邳州板材产业园向市民开放。", "市民可扫码预约参观。"]


@pytest.mark.parametrize("before", ["其中", "据", "另外，经", "目前", "龙头企业", "由于"])
def test_a_candidate_starts_at_the_name_not_at_a_function_word(before):
    assert names(f"标题\n今年以来，丰县新增企业12家，{before}江苏宗申车业有限公司新增产能20万辆。\n") == ["江苏宗申车业有限公司"]


def test_a_known_short_form_inside_a_longer_company_name_does_not_tag_the_known_company():
    draft = one("标题\n徐州徐工液压件有限公司、徐州恒泰机电设备有限公司等企业参会。\n")
    assert draft.enterprises == ()
    found = {c.name: c.related for c in ingest.review_candidates(draft, CTX)}
    assert found == {"徐州徐工液压件有限公司": ("徐工", "xcmg"), "徐州恒泰机电设备有限公司": ("恒泰", "hengtai-new-materials")}
    # the company's own longer names still tag it
    assert one("标题\n恒泰新材料科技有限公司、徐工集团董事长出席。\n").enterprises == ("hengtai-new-materials", "xcmg")


# ---- a page of articles told apart only by their headlines ----------------------------------

def test_on_a_dated_page_a_headline_over_a_dated_lede_starts_the_next_article():
    page = ("彭城晚报　2025年5月6日　A06　城事\n云龙湖畔新增夜跑步道\n记者 石磊\n5月5日，云龙湖畔夜跑步道全线亮灯。\n"
            "步道全长8.6公里，沿线设有补水点6处。\n泉山区二手车交易市场搬迁新址\n5月4日，泉山区二手车交易市场完成搬迁。\n"
            "新址位于城西，可容纳车辆2000台。\n")
    result = ingest.ingest_source(page.encode("utf-8"), "seeds/p.txt", CTX)
    assert [d.title for d in result.drafts] == ["云龙湖畔新增夜跑步道", "泉山区二手车交易市场搬迁新址"]
    assert result.drafts[1].authors == ()


def test_without_a_page_header_a_heading_over_a_dated_lede_stays_a_section_heading():
    draft = one("云龙湖景区提档升级\n今年以来，云龙湖景区实施提档升级工程。\n南岸新建游客服务中心\n"
                "5月5日，南岸游客服务中心投入使用。\n北岸湿地公园扩容改造\n5月6日，北岸湿地公园扩容工程开工。\n")
    assert draft.title == "云龙湖景区提档升级"
    assert [s.heading for s in draft.sections] == [None, "南岸新建游客服务中心", "北岸湿地公园扩容改造"]


def test_a_known_name_after_a_known_short_form_is_two_companies_not_one_longer_name():
    draft = one("恒泰新材料旗下江苏恒通晶材科技有限公司扩产\n4月2日，恒泰新材料旗下江苏恒通晶材科技有限公司新建产线投产。\n")
    assert set(draft.enterprises) == {"hengtai-new-materials", "hengtong-crystal"}
    assert ingest.review_candidates(draft, CTX) == []


# ---- slugs: words first, then pinyin ----------------------------------------------------------

@pytest.mark.parametrize("title, slug", [
    ("沛县电商年销售额突破50亿元", "peixian-dianshang-xiaoshoue-tupo"),  # 销售额, not 年销 + 售额
    ("云龙区举办新材料产业论坛", "yunlong-juban-xincailiao-chanye"),  # an industry word is one word
    ("泉山区重点项目集中开工", "quanshan-zhongdian-xiangmu-jizhong"),
])
def test_slug_words_are_dictionary_words_before_pinyin(title, slug):
    assert one(f"{title}\n今年以来，各项工作有序推进。\n").slug == slug


@pytest.mark.parametrize("author", ["管理员", "小编", "本站", "佚名", "网站编辑"])
def test_a_site_account_in_the_author_field_is_not_an_author(author):
    draft = one(f"云龙湖景区国庆迎客高峰\n发布时间：2024-10-08  作者：{author}  来源：云龙区\n"
                "国庆假期，云龙湖景区累计接待游客120万人次。\n")
    assert draft.authors == ()


def test_words_of_another_industry_in_sentences_about_the_titles_industry_are_not_evidence():
    draft = one("云龙湖景区国庆迎客高峰\n国庆假期，云龙湖景区累计接待游客120万人次，景区客流同比增长18%。\n"
                "景区新增夜游项目，带动周边餐饮消费。\n")
    assert draft.industries == ("culture-tourism",)
    # the same words in sentences of their own are evidence: a shopping-district article stays commerce
    mall = one("云龙湖畔商圈国庆迎客高峰\n国庆假期，云龙湖畔商圈客流同比增长18%。\n商圈销售额突破3亿元，消费持续升温。\n")
    assert "commerce" in mall.industries


def test_an_industry_word_in_a_company_name_is_evidence_even_next_to_the_titles_industry():
    draft = one("云龙区举行光伏产业链对接会\n6月3日，云龙区光伏产业链对接会举行，徐州晶芯半导体材料有限公司等企业参加光伏项目洽谈。\n"
                "会上，多家企业就芯片封装材料开展合作。\n")
    assert draft.industries == ("photovoltaics", "semiconductors")


# ---- half-converted text, hard line breaks, derived titles -------------------------------------

def test_a_simplified_page_with_the_traditional_particle_gets_it_converted_but_keeps_words_with_zhu():
    draft = one("贾汪：沿著潘安湖建设绿道\n随著绿道建成，这座著名湿地公园的客流显著增加，意味著周边乡村迎来新机遇。\n")
    assert draft.title == "贾汪：沿着潘安湖建设绿道"
    assert body(draft) == ["随着绿道建成，这座著名湿地公园的客流显著增加，意味着周边乡村迎来新机遇。"]


def test_a_line_broken_after_a_finished_sentence_is_joined_not_taken_for_a_heading():
    draft = one("沛县新建口袋公园12个\n　　沛县见缝插绿建设口袋公园。截至目前，全县已建成\n口袋公园12个，"
                "新增绿地面积3.5万平方米。\n　　公园内，健身器材、休闲座椅一应俱全，周边居民\n可就近休闲。\n")
    assert [s.heading for s in draft.sections] == [None]
    assert body(draft) == ["沛县见缝插绿建设口袋公园。截至目前，全县已建成口袋公园12个，新增绿地面积3.5万平方米。",
                           "公园内，健身器材、休闲座椅一应俱全，周边居民可就近休闲。"]


def test_a_derived_title_starts_after_who_said_it_and_the_period_it_covers():
    assert ingest.derive_title("记者5日从市统计局获悉，今年前4个月，全市规上工业增加值同比增长8.2%。") == \
        "全市规上工业增加值同比增长8.2%"


def test_a_person_with_a_title_in_a_list_after_a_company_is_not_a_candidate():
    text = ("标题\n近日，恒泰新材料旗下徐州恒泰精密部件有限公司（简称“恒泰精密”）新厂投产。"
            "恒泰精密党委书记、董事长孙伟介绍，新厂年产精密部件50万件。\n")
    assert names(text) == ["徐州恒泰精密部件有限公司"]
    lines = ingest.ingest_source(text.encode("utf-8"), "seeds/x.txt", CTX).review
    assert any("the text calls it '恒泰精密'" in line for line in lines)


def test_a_place_whose_example_is_learned_from_is_not_where_it_happens():
    draft = one("睢宁县学习借鉴沛县经验推进农村电商\n6月2日，睢宁县召开农村电商工作推进会，要求各镇借鉴沛县的经验做法，"
                "培育电商带头人。\n")
    assert draft.districts == ("suining",)


# ---- bylines above the headline, after a dateline; brackets in company names ------------------

@pytest.mark.parametrize("byline, names", [
    ("文/本报记者 高远 图/通讯员 陆明", ("高远", "陆明")),
    ("记者 高远 摄", ("高远",)),
])
def test_a_byline_above_the_headline_is_the_articles_byline(byline, names):
    draft = one(f"{byline}\n云龙区新建社区食堂8家\n6月1日，云龙区第8家社区食堂在彭城街道开张。\n")
    assert (draft.title, draft.authors, draft.review) == ("云龙区新建社区食堂8家", names, ())
    assert [s.heading for s in draft.sections] == [None]


def test_names_alone_in_parentheses_after_a_dateline_are_its_byline():
    assert L.split_dateline("中新网徐州5月6日电 （宋佳宁）记者从徐州市获悉，…") == \
        ("中新网徐州5月6日电", ("宋佳宁",), "记者从徐州市获悉，…")
    # without a dateline, a parenthesis of names opening a paragraph stays text
    assert L.split_dateline("（宋佳宁）记者从徐州市获悉，…") == (None, (), "（宋佳宁）记者从徐州市获悉，…")


def test_a_company_name_matches_the_glossary_whichever_brackets_it_is_written_with():
    glossary = parse_glossary("- id: caterpillar-xuzhou\n  name_zh: 卡特彼勒(徐州)有限公司\n  aliases_zh: []\n"
                              "  name_en: Caterpillar (Xuzhou) Ltd.\n  short_en: Caterpillar Xuzhou\n  district: jingkai\n"
                              "  industries: []\n", "g")
    ctx = ingest.Context(DISTRICTS, INDUSTRIES, glossary)
    text = "卡特彼勒（徐州）有限公司新产线投产\n5月8日，卡特彼勒（徐州）有限公司新产线投产，江苏恒锐（徐州）机械有限公司配套。\n"
    result = ingest.ingest_source(text.encode("utf-8"), "seeds/x.txt", ctx)
    assert result.drafts[0].enterprises == ("caterpillar-xuzhou",)
    assert [c.name for c in ingest.review_candidates(result.drafts[0], ctx)] == ["江苏恒锐（徐州）机械有限公司"]


def test_a_countys_own_zone_is_a_place_not_evidence_of_high_tech():
    draft = one("邳州高新区半导体产业园二期开工\n4月15日，邳州高新区半导体产业园二期项目开工建设。\n"
                "目前，邳州高新区已集聚半导体企业35家。\n")
    assert draft.industries == ("semiconductors",)


@pytest.mark.parametrize("text", [
    "南京市鼓楼区举办人才峰会\n6月8日，人才峰会在南京市鼓楼区开幕。\n",  # another city's 鼓楼区
    "新沂河嶂山段清淤工程完工\n5月30日，新沂河嶂山段清淤工程通过验收。\n",  # a river named after the place
    "徐州企业亮相上海车展\n4月25日，徐工集团、江苏汉邦智能装备股份有限公司等徐州企业亮相上海车展。\n",  # not all of one district
])
def test_names_that_are_not_the_district_give_no_district(text):
    assert one(text).districts == ()


def test_a_district_said_once_where_the_project_is_located_is_the_scene():
    draft = one("恒泰新材料碳纤维项目投产\n3月2日，恒泰新材料年产5000吨碳纤维项目投产。\n该项目位于邳州市，总投资20亿元。\n")
    assert draft.districts == ("pizhou",)
    # said once in passing: no district
    assert one("年产5000吨碳纤维项目投产\n3月2日，年产5000吨碳纤维项目投产。\n产品将销往邳州市等地。\n").districts == ()

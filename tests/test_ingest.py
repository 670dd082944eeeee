"""Ingest on the real seed and on the shapes a user will feed it; every run goes into a tmp_path
copy of a project (pyproject.toml with [tool.briefing], seeds/, content/), never into the repo."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from builder import cli, frontmatter, ingest
from builder.config import load_config
from builder.content import load_site
from builder.errors import BuildError, BuildErrors

REPO = Path(__file__).parent.parent
SEED = "000_ba374b0bc59d2438.txt"
GULOU = "content/briefings/gulou-siqu-tongjian-chuangxin.md"
JINGKAI = "content/briefings/jingkai-longtou-qiye-jiju.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(REPO / "seeds" / SEED, tmp_path / "seeds" / SEED)
    (tmp_path / "content" / "glossary").mkdir(parents=True)
    shutil.copy(REPO / "content/taxonomy.yaml", tmp_path / "content/taxonomy.yaml")
    shutil.copy(REPO / "content/glossary/enterprises.yaml", tmp_path / "content/glossary/enterprises.yaml")
    return tmp_path


def run(project: Path) -> list[str]:
    return ingest.ingest_all(load_config(project)).lines()


def meta_of(project: Path, rel: str) -> dict:
    meta, _, _ = frontmatter.parse((project / rel).read_text(encoding="utf-8"), rel)
    return meta


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted((project / "content").rglob("*")) if p.is_file()}


# ---- the seed ----------------------------------------------------------------

def test_seed_gives_exactly_the_two_briefings(project):
    lines = run(project)
    assert sorted(p.name for p in (project / "content/briefings").glob("*.md")) == [
        "gulou-siqu-tongjian-chuangxin.md", "jingkai-longtou-qiye-jiju.md"]
    assert lines[-1] == ("ingest: 2 briefings: 2 written, 0 unchanged, 0 edited by hand (left as they are); "
                         "0 unknown enterprise names to review")
    assert not any(line.startswith("review:") for line in lines)
    site = load_site(load_config(project))  # loads and passes the site-wide checks
    gulou, jingkai = sorted(site.briefings, key=lambda b: b.slug)
    assert gulou.title.zh == "鼓楼：“四区”同建，在创新中谋发展"
    assert (gulou.series.name.zh, gulou.series.part) == ("“拼”出中国式现代化徐州新图景", 3)
    assert gulou.authors == ("马壮壮", "梅屹寒", "刘贺")
    assert gulou.districts == ("gulou",)
    assert jingkai.title.zh == "龙头企业集聚徐州经开区，大项目舒展新姿态"
    assert jingkai.series is None
    assert jingkai.authors == ("张晓培", "潘凤萍", "张双琳", "经开轩")
    assert jingkai.districts == ("jingkai",)
    assert [(s.heading.zh, s.subheading.zh) for s in gulou.sections[1:]] == [
        ("高端商贸商务核心", "潮玩佳地闪耀淮海经济区"),
        ("高新技术产业标杆", "创新引领发展，跑出“加速度”"),
        ("产城融合发展示范", "产城互促、宜居宜业"),
        ("社会治理创新先行", "透过鼓楼之“智”看智慧社区建设"),
    ]
    assert [(s.heading.zh, s.subheading.zh) for s in jingkai.sections[1:]] == [
        ("引龙头，铸链条", "光伏能源核心材料(组件)技术规模全球领跑"),
        ("强研发，破瓶颈", "多类半导体关键材料(器件)填补空白"),
        ("迎风口，上产能", "新能源动力电池项目加快集聚"),
        ("拓赛道，抢先机", "光通信、智能穿戴材料谋求突破"),
    ]
    assert [len(s.paragraphs) for s in gulou.sections] == [1, 3, 4, 4, 4]
    assert [len(s.paragraphs) for s in jingkai.sections] == [2, 3, 3, 3, 2]


def test_seed_layout_damage_is_repaired(project):
    run(project)
    gulou = (project / GULOU).read_text(encoding="utf-8")
    jingkai = (project / JINGKAI).read_text(encoding="utf-8")
    body_g = gulou.split("\n---\n", 1)[1]
    body_j = jingkai.split("\n---\n", 1)[1]
    # captions cut paragraphs in two: joined again, caption out of the body
    assert "\n突出特色，细分领域、错位发展……以科技创新引领产业发展，打造高新技术产业标杆区" in body_g
    assert "\n硅料、硅片，再到电池片，是光伏能源产业的重要原材料及组件。江苏华恒新能源有限公司内" in body_j
    # a paragraph split across columns
    assert "计划年底部分产线投产运营。" in body_j
    for text in ("鼓楼区美景", "通讯员供图", "马壮壮", "经开轩", "张晓培"):
        assert text not in body_g and text not in body_j
    assert body_j.rstrip().endswith("推动产业链高端攀升。")
    # clean Markdown: no empty paragraphs, no stray whitespace
    for body in (body_g, body_j):
        assert "\n\n\n" not in body and not re.search(r"[ \t\u3000]\n|\n[ \t\u3000]", body)
        assert not re.search(r"[\u4e00-\u9fff，。] |\u3000", body)
    assert "\n## 引龙头，铸链条\n\n### 光伏能源核心材料(组件)技术规模全球领跑\n\n初夏时节" in body_j
    assert "\n## 强研发，破瓶颈\n\n### 多类半导体关键材料(器件)填补空白\n\n本月初" in body_j
    assert "\n## 高端商贸商务核心\n\n### 潮玩佳地闪耀淮海经济区\n\n“周末去哪儿？”" in body_g
    assert meta_of(project, GULOU)["figures"] == [
        {"caption": "鼓楼区美景", "credit": "通讯员供图", "section": "s2", "after_paragraph": 1}]
    assert meta_of(project, JINGKAI)["figures"] == [
        {"caption": "徐州经开区美景", "credit": "通讯员供图", "section": "s1", "after_paragraph": 3}]


def test_seed_chinese_text_is_kept_character_for_character(project):
    """Everything ingest keeps is the seed's own text: only captions, bylines, layout whitespace and
    the heading/sub-heading colons are gone (the translation memory is keyed on this text)."""
    run(project)
    seed = (project / "seeds" / SEED).read_text(encoding="utf-8")
    removed = ["鼓楼区美景 通讯员供图", "徐州经开区美景 通讯员供图", "马壮壮 梅屹寒 刘贺", "张晓培 潘凤萍 张双琳 经开轩"]
    for text in removed:
        seed = seed.replace(text, "")
    for heading in ("高端商贸商务核心：", "高新技术产业标杆：", "产城融合发展示范：", "社会治理创新先行："):
        seed = seed.replace(heading, heading[:-1])
    expected = re.sub(r"\s", "", seed)
    site = load_site(load_config(project))
    got = ""
    for b in sorted(site.briefings, key=lambda b: b.source.lines[0]):
        if b.series:
            got += b.series.name.zh + "③"
        got += b.title.zh
        for s in b.sections:
            got += (s.heading.zh if s.heading else "") + (s.subheading.zh if s.subheading else "")
            got += "".join(p.zh for p in s.paragraphs)
    assert got == expected


def test_seed_enterprises_and_industries(project):
    run(project)
    gulou, jingkai = meta_of(project, GULOU), meta_of(project, JINGKAI)
    assert gulou["enterprises"] == ["golden-eagle-international", "suning-plaza", "jindi-shangdu"]
    assert set(jingkai["enterprises"]) == {
        "xinhua-semiconductor", "huaihai-holding", "findreams-battery", "byd", "jinyang-silicon",
        "tiantong-new-materials", "hongyuan-new-materials", "zhongneng-silicon", "tcl-zhonghuan",
        "golden-solar-new-energy", "huaheng-new-energy", "cnbm-new-materials-fund", "crrc-transformation-fund",
        "xuzhou-xinjing", "zhonghuan-advanced", "xinxin-semiconductor", "zhonghuan-advanced-xuzhou",
        "weineng", "xcmg", "tiantong-kaiju"}
    assert {"commerce", "high-tech", "urban-development", "governance"} <= set(gulou["industries"])
    assert {"photovoltaics", "semiconductors", "batteries", "new-materials", "optical-communications",
            "green-energy"} <= set(jingkai["industries"])
    assert not {"photovoltaics", "semiconductors"} & set(gulou["industries"])


def test_source_hash_line_range_and_no_invented_date(project):
    run(project)
    sha = hashlib.sha256((project / "seeds" / SEED).read_bytes()).hexdigest()
    gulou, jingkai = meta_of(project, GULOU), meta_of(project, JINGKAI)
    assert gulou["source"] == {"file": f"seeds/{SEED}", "sha256": sha, "lines": [5, 55]}
    assert jingkai["source"] == {"file": f"seeds/{SEED}", "sha256": sha, "lines": [57, 101]}
    assert "date" not in gulou and "date" not in jingkai
    assert all(b.date is None for b in load_site(load_config(project)).briefings)


def test_sidecar_gives_publication_date_and_page(project):
    (project / "seeds" / SEED.replace(".txt", ".yaml")).write_text(
        "publication: 徐州日报\ndate: 2023-06-14\npage: A2\n", encoding="utf-8")
    run(project)
    source = meta_of(project, GULOU)["source"]
    assert (source["publication"], source["date"], source["page"]) == ("徐州日报", "2023-06-14", "A2")
    assert {b.date for b in load_site(load_config(project)).briefings} == {"2023-06-14"}


@pytest.mark.parametrize("sidecar,message", [
    ("publication: 徐州日报\nday: 2023-06-14\n", "seeds/000_ba374b0bc59d2438.yaml:2: unknown sidecar key 'day'; "
                                               "known: publication, date, page, url"),
    ("date: 14.6.2023\n", "seeds/000_ba374b0bc59d2438.yaml:1: date '14.6.2023' must be written YYYY-MM-DD"),
])
def test_bad_sidecar_is_one_clear_error_and_nothing_written(project, sidecar, message):
    (project / "seeds" / SEED.replace(".txt", ".yaml")).write_text(sidecar, encoding="utf-8")
    report = ingest.ingest_all(load_config(project))
    assert [str(p) for p in report.problems] == [message]
    with pytest.raises(BuildError) as info:
        report.raise_problems()
    assert str(info.value) == message
    assert not (project / "content/briefings").exists()


# ---- safety ------------------------------------------------------------------------

def test_rerun_is_byte_identical(project):
    run(project)
    first = snapshot(project)
    lines = run(project)
    assert snapshot(project) == first
    assert f"unchanged {GULOU}" in lines and f"unchanged {JINGKAI}" in lines
    state = json.loads((project / "content/.ingest-state.json").read_text(encoding="utf-8"))
    assert state["pages"][GULOU]["sha256"] == hashlib.sha256(first[GULOU]).hexdigest()


def test_edited_page_is_left_alone_and_reported(project):
    run(project)
    page = project / GULOU
    edited = page.read_text(encoding="utf-8").replace("districts:\n- gulou", "districts:\n- gulou\n- yunlong")
    page.write_text(edited, encoding="utf-8")
    lines = run(project)
    assert page.read_text(encoding="utf-8") == edited  # the person's change wins
    assert (f"kept your edits to {GULOU}; ingest will not touch it again (briefing ingest --force {GULOU} "
            f"re-ingests it from seeds/{SEED}, keeping a backup)") in lines
    assert f"unchanged {JINGKAI}" in lines
    assert lines[-1].startswith("ingest: 2 briefings: 0 written, 1 unchanged, 1 edited by hand")
    gulou = next(b for b in load_site(load_config(project)).briefings if b.slug.startswith("gulou"))
    assert gulou.districts == ("gulou", "yunlong")


def test_deleted_page_is_recreated_with_its_slug(project, monkeypatch):
    run(project)
    before = snapshot(project)
    (project / GULOU).unlink()
    # the slug is written once: a changed slug recipe does not rename existing pages
    monkeypatch.setattr(ingest.files, "slug_for", lambda *a, **k: "something-else")
    assert f"wrote {GULOU}" in run(project)
    assert snapshot(project) == before


def test_page_without_a_record_is_not_overwritten(project):
    """A page ingest has no record of (state file lost, or written by a person) is never replaced."""
    page = project / GULOU
    page.parent.mkdir(parents=True)
    page.write_text(f"---\ntitle: 鼓楼：“四区”同建，在创新中谋发展\nslug: gulou-siqu-tongjian-chuangxin\n"
                    f"source:\n  file: seeds/{SEED}\n---\n\n手写的内容。\n", encoding="utf-8")
    lines = run(project)
    assert page.read_text(encoding="utf-8").endswith("手写的内容。\n")
    assert f"kept {GULOU} as it is (ingest has no record of writing it, so it is yours); ingest will not touch " \
           f"it again (briefing ingest --force {GULOU} re-ingests it from seeds/{SEED}, keeping a backup)" in lines


def test_slug_taken_by_another_page_gets_a_suffix(project):
    page = project / GULOU
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 别的文章\nslug: gulou-siqu-tongjian-chuangxin\n---\n\n别的内容。\n", encoding="utf-8")
    lines = run(project)
    assert page.read_text(encoding="utf-8").endswith("别的内容。\n")
    assert "wrote content/briefings/gulou-siqu-tongjian-chuangxin-2.md" in lines


# ---- decoding --------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_other_encodings_give_the_same_briefings(project, encoding):
    run(project)
    expected = {k: v for k, v in snapshot(project).items() if k.endswith(".md")}
    shutil.rmtree(project / "content/briefings")
    (project / "content/.ingest-state.json").unlink()
    seed = project / "seeds" / SEED
    data = seed.read_text(encoding="utf-8").encode(encoding)
    seed.write_bytes(data)
    run(project)
    got = {k: v for k, v in snapshot(project).items() if k.endswith(".md")}
    old_sha = hashlib.sha256((REPO / "seeds" / SEED).read_bytes()).hexdigest()
    new_sha = hashlib.sha256(data).hexdigest()
    assert got == {k: v.replace(old_sha.encode(), new_sha.encode()) for k, v in expected.items()}


def test_undecodable_file_names_file_and_line_and_the_others_are_written(project):
    (project / "seeds" / "bad.txt").write_bytes("标题\n\n正文。\n".encode() + b"\x81\xff\xfe\n")
    report = ingest.ingest_all(load_config(project))
    assert [str(p) for p in report.problems] == [
        "seeds/bad.txt:4: cannot be decoded: byte 0x81 at offset 18 is neither UTF-8 nor GB18030/GBK; save the file as UTF-8"]
    assert sorted(report.written) == [GULOU, JINGKAI]  # one bad file does not stop the others


def test_empty_file_is_a_clear_error(project):
    (project / "seeds" / "empty.txt").write_bytes(b"\n \n")
    (project / "seeds" / "bad.txt").write_bytes(b"\xff\xff\xff")
    report = ingest.ingest_all(load_config(project))
    assert [str(p) for p in report.problems] == [
        "seeds/bad.txt:1: cannot be decoded: byte 0xff at offset 0 is neither UTF-8 nor GB18030/GBK; save the file as UTF-8",
        "seeds/empty.txt: is empty: there is no article text in it",
    ]
    with pytest.raises(BuildErrors) as info:
        report.raise_problems()
    assert info.value.note == "the other articles were ingested"
    assert len(report.written) == 2


def test_cli_prints_one_line_per_problem_and_exits_1(project, capsys):
    (project / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    assert cli.main(["-C", str(project), "ingest"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "error: seeds/empty.txt: is empty: there is no article text in it\n"
    assert f"wrote {GULOU}" in captured.out.splitlines()
    assert captured.out.splitlines()[-1].endswith("; 1 not ingested (see the errors)")


def test_cli_ingest_reports_what_it_wrote(project, capsys):
    assert cli.main(["-C", str(project), "ingest"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"seeds/{SEED}: 2 articles"
    assert f"wrote {GULOU}" in out


# ---- unknown enterprises --------------------------------------------------------------

def test_unknown_enterprise_names_are_reported_for_review(project):
    raw = (REPO / "tests/ingest_cases/unknown_enterprise_names.txt").read_text(encoding="utf-8")
    (project / "seeds" / "100_new.txt").write_text(raw.split("\n----- expected -----\n")[0] + "\n", encoding="utf-8")
    lines = run(project)
    review = [line for line in lines if line.startswith("review:")]
    assert review == [
        "review: seeds/100_new.txt:2: unknown enterprise name '江苏星河智能装备有限公司' (not in content/glossary/; "
        "the text calls it '星河智能'): add it to the glossary, with '星河智能' in its aliases_zh",
        "review: seeds/100_new.txt:4: unknown enterprise name '徐州云帆集团' (not in content/glossary/): add it to the glossary",
    ]
    assert lines[-1].endswith("2 unknown enterprise names to review")


def test_glossary_names_and_non_enterprises_are_not_reported():
    from builder.content import parse_glossary

    ctx = ingest.Context(enterprises=parse_glossary(
        (REPO / "content/glossary/enterprises.yaml").read_text(encoding="utf-8"), "g"))
    result = ingest.ingest_source("标题\n\n协鑫大道上的云创科技园内，比亚迪全资子公司与香港上市公司签约，科技创新加快。\n"
                                  .encode(), "x.txt", ctx)
    assert result.review == []


# ---- units on strings ---------------------------------------------------------------------

@pytest.mark.parametrize("text,names", [
    ("马壮壮 梅屹寒 刘贺", ("马壮壮", "梅屹寒", "刘贺")),
    ("本报记者 冯雪 通讯员 蒋涛", ("冯雪", "蒋涛")),
    ("（记者 孙立）", ("孙立",)),
    ("欧阳明月 张三", ("欧阳明月", "张三")),
    ("引龙头，铸链条", None),
    ("产城互促 宜居宜业", None),
    ("马壮壮梅屹寒", None),
    ("城区向北，越变越美。", None),
])
def test_parse_byline(text, names):
    assert ingest.parse_byline(text) == names


@pytest.mark.parametrize("text,split", [
    ("高端商贸商务核心： 潮玩佳地闪耀淮海经济区", ("高端商贸商务核心", "潮玩佳地闪耀淮海经济区")),
    ("强研发，破瓶颈 多类半导体关键材料(器件)填补空白", ("强研发，破瓶颈", "多类半导体关键材料(器件)填补空白")),
    ("【亮点一】", ("亮点一", None)),
    ("一、完善基础设施", ("一、完善基础设施", None)),
    ("引龙头，铸链条", ("引龙头，铸链条", None)),
])
def test_split_heading(text, split):
    assert ingest.split_heading(text) == split


def test_glued_byline_is_cut_from_the_paragraph():
    assert ingest.split_glued_byline("推动产业链高端攀升。张晓培 潘凤萍 张双琳 经开轩") == (
        "推动产业链高端攀升。", ("张晓培", "潘凤萍", "张双琳", "经开轩"))
    assert ingest.split_glued_byline("他说：“好。”然后 离开") is None


def test_slugs_are_ascii_pinyin_and_deterministic():
    assert ingest.make_slug("没有区名的标题：测试") == "meiyou-quming-biaoti"
    assert ingest.make_slug("TCL中环落户徐州") == "tcl-zhonghuan-luohu"
    assert ingest.make_slug("“”") == "briefing"


def test_slugs_are_cut_into_words_before_pinyin():
    from builder.content import parse_taxonomy

    districts, _ = parse_taxonomy((REPO / "content/taxonomy.yaml").read_text(encoding="utf-8"), "t")
    tongshan = next(d for d in districts if d.id == "tongshan")
    # words, not syllables paired across words (重点|项目, not 点项)
    assert ingest.make_slug("铜山推进重点项目建设", tongshan) == "tongshan-tuijin-zhongdian-xiangmu"
    assert ingest.make_slug("邳州银杏产业链延伸") == "pizhou-yinxing-chanyelian"  # no district given: its name stays
    assert ingest.make_slug("总投资25亿元的新项目开工") == "touzi-xiangmu-kaigong"  # numbers and units left out


def test_date_in_page_meta_is_used_with_its_source():
    page = "首页 > 新闻\n标题在这里\n2023年7月5日 08:00 来源：徐州日报\n正文第一段。\n"
    (draft,) = ingest.parse_page(page, "seeds/w.txt").drafts
    assert (draft.date, draft.publication) == ("2023-07-05", "徐州日报")
    assert draft.date_from == "seeds/w.txt:3: 2023年7月5日 08:00 来源：徐州日报"
    # a date inside the article's own sentences is an event date, not a publication date
    (draft,) = ingest.parse_page("标题\n2023年7月5日，项目开工。\n", "seeds/w.txt").drafts
    assert draft.date is None
    # an empty 来源： does not take the next label as the publication
    (draft,) = ingest.parse_page("标题\n来源：  作者：  时间：2023-12-05  点击：\n正文第一段。\n", "seeds/w.txt").drafts
    assert (draft.publication, draft.authors, draft.date) == (None, (), "2023-12-05")


def test_labelled_lines_inside_the_article_are_kept():
    (draft,) = ingest.parse_page("标题\n活动安排如下。\n活动时间：7月1日至7月5日\n活动地点：市民广场\n",
                                 "seeds/w.txt").drafts
    assert [p for p, _ in draft.sections[0].paragraphs][1:] == ["活动时间：7月1日至7月5日", "活动地点：市民广场"]


def test_page_without_a_headline_gets_a_derived_title_marked_for_review():
    text = ("本报讯（记者 孙婷）12月18日，总投资25亿元的徐州恒泰新材料产业园项目在铜山区开工建设，项目建成后"
            "可实现年产值40亿元，带动上下游配套企业20余家落户。\n第二段。\n")
    (draft,) = ingest.parse_page(text, "seeds/p.txt").drafts
    # the first sentence, without its time phrase, shortened at its last comma before 30 characters
    assert draft.title == "总投资25亿元的徐州恒泰新材料产业园项目在铜山区开工建设"
    assert draft.review == ("title",)
    assert (draft.dateline, draft.authors) == ("本报讯", ("孙婷",))
    assert draft.sections[0].paragraphs[0][0].startswith("12月18日，总投资25亿元")  # nothing dropped from the text


def test_windows_line_endings_and_indentation_are_layout_only():
    unix = ingest.parse_page("标题\n\n\u3000\u3000第一段。\n\n小标题\n第二段。\n", "seeds/a.txt").drafts
    windows = ingest.parse_page("标题\r\n\r\n\u3000\u3000第一段。\r\n\r\n小标题\r\n第二段。\r\n", "seeds/a.txt").drafts
    assert unix == windows
    assert [s.heading for s in unix[0].sections] == [None, "小标题"]

"""Ingest and the pages a person owns: the state file (content/.ingest-state.json) checked before
any write (issue 14 #2), sidecars and raw text made safe (issue 14, low), hand edits kept and said
once, `ingest --force`, renames followed (issue 12 part 4), first_seen (issue 12 part 2)."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import pytest

from builder import cli, ingest
from builder.config import load_config
from builder.content import load_site
from builder.errors import BuildError, BuildErrors

REPO = Path(__file__).parent.parent
SEED = "000_ba374b0bc59d2438.txt"
GULOU = "content/briefings/gulou-siqu-tongjian-chuangxin.md"
JINGKAI = "content/briefings/jingkai-longtou-qiye-jiju.md"
STATE = "content/.ingest-state.json"


def epoch(year: int, month: int, day: int) -> str:
    return str(int(datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC).timestamp()))


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "seeds" / SEED, root / "seeds" / SEED)
    (root / "content" / "glossary").mkdir(parents=True)
    shutil.copy(REPO / "content/taxonomy.yaml", root / "content/taxonomy.yaml")
    shutil.copy(REPO / "content/glossary/enterprises.yaml", root / "content/glossary/enterprises.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2025, 3, 1))
    monkeypatch.chdir(root)
    return root


def run(project: Path, force=()) -> list[str]:
    return ingest.ingest_all(load_config(project), force=force).lines()


def state(project: Path) -> dict:
    return json.loads((project / STATE).read_text(encoding="utf-8"))["pages"]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of the project but the build cache's (the project lock lives there)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != ".briefing-cache"}


# ---- issue 14 #2: nothing is written outside the project ---------------------------------------

@pytest.mark.parametrize("key", ["../../outside/x.md", "content/briefings/../../../outside/x.md",
                                 "{absolute}/x.md", "content/briefings/sub/x.md",
                                 "content/briefings/.hidden.md", "content/briefings/x.txt"])
def test_a_state_key_outside_the_briefings_folder_stops_ingest_before_any_write(project, key):
    key = key.format(absolute=project.parent / "outside")
    record = {"source": f"seeds/{SEED}", "article": 1, "title": "鼓楼：“四区”同建，在创新中谋发展",
              "slug": "gulou-siqu-tongjian-chuangxin"}
    (project / STATE).write_text(json.dumps({"pages": {key: record}}, ensure_ascii=False, indent=2), encoding="utf-8")
    before = tree(project.parent)
    with pytest.raises(BuildError) as info:
        run(project)
    assert str(info.value) == (f"{STATE}:3: page {key!r} is not a page directly inside content/briefings/; "
                               "refusing to write there")
    assert tree(project.parent) == before  # not a byte written, inside the project or outside it


def test_a_bad_slug_or_field_in_the_state_is_an_error_with_its_line(project):
    (project / STATE).write_text(json.dumps({"pages": {
        GULOU: {"source": f"seeds/{SEED}", "slug": "../../../../x", "article": "1"},
        JINGKAI: {"source": f"seeds/{SEED}", "first_seen": "2024-02-30", "owner": "root"}}}, indent=2),
        encoding="utf-8")
    with pytest.raises(BuildErrors) as info:
        run(project)
    assert [str(p) for p in info.value.problems] == [
        f"{STATE}:3: {GULOU}: article must be a int, not '1'",
        f"{STATE}:3: {GULOU}: slug '../../../../x' must be lower-case ASCII letters, digits and single hyphens "
        "(no '/', '..', spaces or Chinese)",
        f"{STATE}:8: {JINGKAI}: first_seen: date '2024-02-30' is not a day of the calendar",
        f"{STATE}:8: {JINGKAI}: owner must be 'editor' (a person edited the page) or absent",
    ]
    assert not (project / "content/briefings").exists()


def test_a_page_slug_with_dot_dots_and_no_state_writes_nothing_outside(project):
    """The state file is missing and a page for the seed's article has `slug: ../../../../x`: the
    page is adopted as the editor's under its own file name; nothing is written anywhere else."""
    page = project / "content/briefings/evil.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 鼓楼：“四区”同建，在创新中谋发展\nslug: ../../../../x\n"
                    f"source:\n  file: seeds/{SEED}\n---\n\n正文。\n", encoding="utf-8")
    outside = tree(project.parent)
    lines = run(project)
    assert page.read_text(encoding="utf-8").endswith("正文。\n")
    assert {k for k in tree(project.parent) if k not in outside} == {
        f"project/{JINGKAI}", f"project/{STATE}"}
    assert any(line.startswith("kept content/briefings/evil.md as it is") for line in lines)
    assert not (project.parent / "x.md").exists() and not Path("/x.md").exists()


def test_a_page_that_is_a_link_out_of_the_folder_is_never_written_through(project, tmp_path):
    run(project)
    target = tmp_path / "outside.md"
    target.write_text("outside\n", encoding="utf-8")
    (project / GULOU).unlink()
    (project / GULOU).symlink_to(target)
    with pytest.raises(BuildError) as info:
        run(project)
    assert str(info.value) == f"{GULOU}: is a link out of content/briefings/; refusing to write through it"
    assert target.read_text(encoding="utf-8") == "outside\n"


def test_a_briefings_folder_that_links_out_of_the_project_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "content/briefings").symlink_to(elsewhere)
    with pytest.raises(BuildError) as info:
        run(project)
    assert str(info.value) == "content/briefings: is a link out of the project; refusing to write there"
    assert list(elsewhere.iterdir()) == []


# ---- issue 14, low: sidecars, raw text, dates ----------------------------------------------------

def test_a_sidecar_that_links_out_of_the_project_is_not_read(project, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("publication: 机密\n", encoding="utf-8")
    (project / "seeds" / SEED.replace(".txt", ".yaml")).symlink_to(secret)
    report = ingest.ingest_all(load_config(project))
    assert [str(p) for p in report.problems] == [
        "seeds/000_ba374b0bc59d2438.yaml: is a link to a file outside the project; refusing to read it"]
    assert not report.written


def test_an_impossible_sidecar_date_is_an_error_with_its_line(project):
    (project / "seeds" / SEED.replace(".txt", ".yaml")).write_text("publication: 徐州日报\ndate: 2024-02-30\n",
                                                                   encoding="utf-8")
    report = ingest.ingest_all(load_config(project))
    assert [str(p) for p in report.problems] == [
        "seeds/000_ba374b0bc59d2438.yaml:2: date '2024-02-30' is not a day of the calendar"]


@pytest.mark.parametrize("written", ["2024年2月30日", "2024-13-45", "2023-02-29"])
def test_an_impossible_date_in_a_page_is_never_the_briefings_date(project, written):
    (project / "seeds" / "100_gov.txt").write_text(
        f"沛县新建口袋公园12个\n发布时间：{written} 10:00  来源：沛县人民政府\n"
        "今年以来，沛县新建口袋公园12个，新增绿地面积8万平方米。\n", encoding="utf-8")
    lines = run(project)
    page = next((project / "content/briefings").glob("peixian-*.md"))
    assert "\ndate:" not in page.read_text(encoding="utf-8")
    assert (f"review: seeds/100_gov.txt:2: the page's date '{written}' is not a day of the calendar; "
            "not used as the briefing's date") in lines


def test_an_impossible_date_on_a_web_page_is_not_replaced_by_a_guess(project):
    """trafilatura reads 发布时间：2024-02-30 as 2024-02-01: neither is the briefing's date."""
    html = ("<html><head><meta charset=\"gb2312\"><title>沛县“四季村晚”开演</title></head><body>"
            "<div>首页 | 政务公开 | 政务服务</div><h1>沛县“四季村晚”开演</h1>"
            "<div>发布时间：2024-02-30 09:12  来源：沛县文体广电和旅游局</div>"
            "<p>近日，沛县2024年“四季村晚”春季示范展演在安国镇举行，12个村的文艺队伍带来歌舞、戏曲等节目。</p>"
            "<p>今年，沛县计划举办“四季村晚”活动60场，覆盖全县13个镇（街道）。</p></body></html>")
    (project / "seeds" / "100_gov.html").write_bytes(html.encode("gb2312"))
    lines = run(project)
    page = next((project / "content/briefings").glob("peixian-*.md"))
    assert "date:" not in page.read_text(encoding="utf-8")
    assert ("review: seeds/100_gov.html:1: the page's date '2024-02-30' is not a day of the calendar; "
            "not used as the briefing's date") in lines


def test_separators_and_controls_in_raw_text_never_reach_a_page(project):
    (project / "seeds" / "100_sep.txt").write_text(
        "铜山区新增\u2028专精特新企业\n\n今年以来，铜山区新增省级\u0085专精特新企业18家，\u2029同比增长20%。\x07\n",
        encoding="utf-8")
    run(project)
    page = next(p for p in (project / "content/briefings").glob("*.md") if "tongshan" in p.name)
    text = page.read_text(encoding="utf-8")
    assert not any(c in text for c in "\u2028\u2029\u0085\x07")
    assert "今年以来，铜山区新增省级专精特新企业18家，同比增长20%。" in text
    load_site(load_config(project))  # and the page reads back


# ---- issue 12 part 4: hand edits are the normal workflow --------------------------------------

def edit(project: Path, rel: str = GULOU) -> str:
    page = project / rel
    text = page.read_text(encoding="utf-8").replace("districts:\n- gulou", "districts:\n- gulou\n- yunlong")
    page.write_text(text, encoding="utf-8")
    return text


def test_an_edit_is_announced_once_then_the_page_is_the_editors(project):
    run(project)
    edited = edit(project)
    first = run(project)
    assert [line for line in first if GULOU in line] == [
        f"kept your edits to {GULOU}; ingest will not touch it again (briefing ingest --force {GULOU} "
        f"re-ingests it from seeds/{SEED}, keeping a backup)"]
    assert state(project)[GULOU]["owner"] == "editor"
    second = run(project)
    assert not [line for line in second if GULOU in line]  # quiet from now on
    assert second[-1] == ("ingest: 2 briefings: 0 written, 1 unchanged, 1 edited by hand (left as they are); "
                          "0 unknown enterprise names to review")
    assert (project / GULOU).read_text(encoding="utf-8") == edited


def test_force_reingests_one_page_and_keeps_a_backup_the_build_does_not_read(project, capsys):
    run(project)
    pristine = (project / GULOU).read_bytes()
    edited = edit(project)
    run(project)
    assert cli.main(["-C", str(project), "ingest", "--force", GULOU]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"re-ingested {GULOU} from seeds/{SEED} (--force); the page as it was is kept in " \
           ".briefing-backup/gulou-siqu-tongjian-chuangxin.md.bak-1" in out
    assert f"wrote {GULOU}" in out and f"unchanged {JINGKAI}" in out
    assert (project / GULOU).read_bytes() == pristine
    assert (project / ".briefing-backup/gulou-siqu-tongjian-chuangxin.md.bak-1").read_text(encoding="utf-8") == edited
    assert "owner" not in state(project)[GULOU]
    # a second forced run backs up nothing (the page is ingest's again) and keeps backup 1
    edit(project)
    assert cli.main(["-C", str(project), "ingest", "--force", f"seeds/{SEED}"]) == 0
    assert sorted(p.name for p in (project / ".briefing-backup").iterdir()) == [
        "gulou-siqu-tongjian-chuangxin.md.bak-1", "gulou-siqu-tongjian-chuangxin.md.bak-2"]
    assert len(load_site(load_config(project)).briefings) == 2  # backups are not briefings


def test_force_of_something_ingest_does_not_know_writes_nothing(project, capsys):
    run(project)
    edit(project)
    before = tree(project)
    assert cli.main(["-C", str(project), "ingest", "--force", "README.md", "--force", "content/briefings/nope.md"]) == 1
    err = capsys.readouterr().err
    assert ("README.md: --force: is neither a raw article in seeds/ nor a briefing page in content/briefings/ "
            "(give the page ingest wrote, or its raw file)") in err
    assert "content/briefings/nope.md: --force: is neither" in err
    assert tree(project) == before


def test_a_page_renamed_by_hand_is_not_written_again_under_its_old_name(project):
    run(project)
    old = project / GULOU
    new = project / "content/briefings/gulou-innovation.md"
    text = old.read_text(encoding="utf-8").replace("slug: gulou-siqu-tongjian-chuangxin",
                                                   "slug: gulou-innovation\naliases:\n- gulou-siqu-tongjian-chuangxin")
    new.write_text(text, encoding="utf-8")
    old.unlink()
    lines = run(project)
    assert not old.exists()
    assert new.read_text(encoding="utf-8") == text
    assert f"renamed: {GULOU} is now content/briefings/gulou-innovation.md; ingest follows it there " \
           "(and will not write the old name again)" in lines
    records = state(project)
    assert GULOU not in records and records["content/briefings/gulou-innovation.md"]["owner"] == "editor"
    assert records["content/briefings/gulou-innovation.md"]["first_seen"] == "2025-03-01"
    again = run(project)
    assert not old.exists() and not [line for line in again if "gulou" in line]


def test_force_on_a_renamed_page_keeps_its_new_slug_and_its_redirects(project):
    run(project)
    page = project / GULOU
    page.write_text(page.read_text(encoding="utf-8").replace(
        "slug: gulou-siqu-tongjian-chuangxin", "slug: gulou-innovation\naliases:\n- gulou-siqu-tongjian-chuangxin")
        .replace("在创新中谋发展", "在创新中谋发展（编辑改写）"), encoding="utf-8")
    run(project)
    lines = run(project, force=[GULOU])
    assert any(line.startswith(f"re-ingested {GULOU}") for line in lines)
    text = page.read_text(encoding="utf-8")
    assert "slug: gulou-innovation\naliases:\n- gulou-siqu-tongjian-chuangxin\n" in text and "编辑改写" not in text
    briefing = next(b for b in load_site(load_config(project)).briefings if b.slug == "gulou-innovation")
    assert briefing.aliases == ("gulou-siqu-tongjian-chuangxin",)


def test_a_file_renamed_without_other_changes_is_followed(project):
    run(project)
    (project / GULOU).rename(project / "content/briefings/renamed.md")
    lines = run(project)
    assert not (project / GULOU).exists()
    assert "unchanged content/briefings/renamed.md" in lines
    assert "content/briefings/renamed.md" in state(project) and GULOU not in state(project)


def test_a_deleted_page_is_written_again(project):
    run(project)
    (project / GULOU).unlink()
    assert f"wrote {GULOU}" in run(project)


# ---- issue 12 part 2: first_seen ------------------------------------------------------------------

def test_first_seen_is_written_once_and_never_changed(project, monkeypatch):
    run(project)
    assert {k: r["first_seen"] for k, r in state(project).items()} == {GULOU: "2025-03-01", JINGKAI: "2025-03-01"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2025, 4, 2))
    (project / "seeds" / SEED).write_text((project / "seeds" / SEED).read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")  # the raw file changed: pages rewritten
    edit(project, JINGKAI)
    run(project)
    assert {k: r["first_seen"] for k, r in state(project).items()} == {GULOU: "2025-03-01", JINGKAI: "2025-03-01"}
    assert ingest.first_seen(load_config(project)) == {GULOU: datetime.date(2025, 3, 1),
                                                       JINGKAI: datetime.date(2025, 3, 1)}


def test_old_entries_without_first_seen_get_it_once(project, monkeypatch):
    run(project)
    records = state(project)
    for record in records.values():
        del record["first_seen"]
    (project / STATE).write_text(json.dumps({"pages": records}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2025, 5, 6))
    run(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2025, 6, 7))
    run(project)
    assert {r["first_seen"] for r in state(project).values()} == {"2025-05-06"}


def test_first_seen_reads_without_writing(project):
    config = load_config(project)
    assert ingest.first_seen(config) == {}
    assert not (project / STATE).exists()
    run(project)
    before = (project / STATE).stat().st_mtime_ns, (project / STATE).read_bytes()
    assert set(ingest.first_seen(config)) == {GULOU, JINGKAI}
    assert ((project / STATE).stat().st_mtime_ns, (project / STATE).read_bytes()) == before


def test_without_source_date_epoch_first_seen_is_today(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    run(project)
    assert set(ingest.first_seen(load_config(project)).values()) == {datetime.date.today()}


def test_the_repository_state_has_a_first_seen_for_every_page():
    records = json.loads((REPO / STATE).read_text(encoding="utf-8"))["pages"]
    assert sorted(records) == sorted(f"content/briefings/{p.name}" for p in (REPO / "content/briefings").glob("*.md"))
    assert all(datetime.date.fromisoformat(r["first_seen"]) for r in records.values())
    assert os.path.basename(STATE) == ingest.STATE_FILE

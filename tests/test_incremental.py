"""Incremental and parallel builds give the same bytes as a cold serial build.

A small synthetic archive (bench/generate.py, 20 briefings, 300 enterprises) is built cold,
then edited the way writers edit (one briefing's text, one glossary entry's description, a
new alias that creates mentions in other briefings, one reviewed translation, a removed
briefing) and rebuilt from the build cache after each edit. Every result is compared file by
file with a cold build of the same input without cache, with one process or with two (the
references alternate, so a parallel cold build is also checked against a serial one)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench import generate
from builder import cli
from fixture_site import REPO

N = 20


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(project: Path, *extra: str) -> None:
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress", *extra]) == 0


def _cold(project: Path, tmp: Path, jobs: int) -> dict[str, bytes]:
    """A cold build of a copy of `project` (no site, no cache)."""
    copy = tmp / f"cold-{jobs}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "content", copy / "content")
    shutil.copy(project / "pyproject.toml", copy / "pyproject.toml")
    if (project / "themes").is_dir():
        shutil.copytree(project / "themes", copy / "themes")
    _build(copy, "--jobs", str(jobs), "--no-cache")
    return _files(copy / "site")


def _same(built: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    generate.generate(N, root, only="ours")
    return root / "ours"


@pytest.fixture
def project(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_NO_FSYNC", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    shutil.copytree(archive, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_rebuilds_equal_cold_builds(project, tmp_path, capsys):
    _build(project)
    site = project / "site"
    capsys.readouterr()

    # nothing changed: nothing is done, the site folder is the same folder
    inode = os.stat(site).st_ino
    _build(project)
    assert "site/ is up to date" in capsys.readouterr().out
    assert os.stat(site).st_ino == inode

    briefings = sorted((project / "content/briefings").glob("*.md"))
    glossary = project / "content/glossary/enterprises.yaml"

    # one briefing's text: its pages change, most of the site is reused
    with briefings[7].open("a", encoding="utf-8") as handle:
        handle.write("\n此外，相关负责人表示，项目建设正在按计划稳步推进。\n")
    _build(project, "--jobs", "1")
    out = capsys.readouterr().out
    assert "unchanged" in out
    _same(_files(site), _cold(project, tmp_path, 1))
    assert "项目建设正在按计划稳步推进" in (site / f"zh/briefings/{briefings[7].stem}/index.html").read_text(encoding="utf-8")

    # one glossary entry: its description, and a new alias that makes other briefings (whose
    # files did not change) link it; and one reviewed translation
    page = site / f"zh/briefings/{briefings[7].stem}/index.html"
    assert "/zh/enterprises/antai-capital/" not in page.read_text(encoding="utf-8")
    _edit(glossary, "description_en: Subei Antai Capital", "description_en: Revised. Subei Antai Capital")
    _edit(glossary, "  aliases_zh:\n  - 安泰资本\n", "  aliases_zh:\n  - 安泰资本\n  - 项目建设\n")
    po = project / "content/translations/en" / f"{briefings[5].stem}.po"
    text = po.read_text(encoding="utf-8")
    at = text.index('msgstr "', text.index("msgctxt")) + len('msgstr "')
    po.write_text(text[:at] + "Edited. " + text[at:], encoding="utf-8")
    _build(project, "--jobs", "2")
    _same(_files(site), _cold(project, tmp_path, 2))
    assert "/zh/enterprises/antai-capital/" in page.read_text(encoding="utf-8")

    # a briefing removed
    briefings[9].unlink()
    (project / "content/translations/en" / f"{briefings[9].stem}.po").unlink()
    _build(project)
    _same(_files(site), _cold(project, tmp_path, 1))
    assert not (site / f"en/briefings/{briefings[9].stem}").exists()


def test_a_cache_for_another_site_folder_is_not_trusted(project, tmp_path, capsys):
    _build(project)
    shutil.rmtree(project / "site")
    (project / "site").mkdir()
    (project / "site" / "stray.html").write_text("not ours", encoding="utf-8")
    _build(project)
    assert "up to date" not in capsys.readouterr().out
    assert not (project / "site" / "stray.html").exists()
    assert (project / "site" / "en" / "index.html").is_file()


def test_a_failed_incremental_build_keeps_the_site_and_the_next_one_is_right(project, tmp_path, capsys):
    shutil.copytree(REPO / "themes", project / "themes")
    _build(project)
    briefing = sorted((project / "content/briefings").glob("*.md"))[1]
    with briefing.open("a", encoding="utf-8") as handle:
        handle.write("\n第一次修改。\n")
    _build(project)  # the replaced site is kept as the spare folder for the next build
    before = _files(project / "site")
    strings = project / "themes/default/i18n/en.yaml"
    good = strings.read_text(encoding="utf-8")
    # every page changes (the theme did), and English pages fail half way through rendering
    strings.write_text("\n".join(l for l in good.splitlines() if not l.startswith("nav.search:")), encoding="utf-8")
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 1
    assert "missing UI string 'nav.search'" in capsys.readouterr().err
    assert _files(project / "site") == before
    strings.write_text(good, encoding="utf-8")
    with briefing.open("a", encoding="utf-8") as handle:
        handle.write("\n第二次修改。\n")
    _build(project)
    _same(_files(project / "site"), _cold(project, tmp_path, 1))


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(project, tmp_path):
    from builder import render

    shutil.copytree(REPO / "themes", project / "themes")
    _build(project)
    assert list((project / ".briefing-cache" / "jinja").glob("*.cache"))
    render._ENVS.clear()  # as a new process: templates come from the bytecode cache
    _build(project, "--no-cache")  # a build without the cache neither reads nor writes it
    render._ENVS.clear()
    _edit(project / "themes" / "default" / "templates" / "search.html",
          '<h1 class="page-title">', '<h1 class="page-title" data-edited>')
    _build(project)
    assert b"data-edited" in (project / "site" / "en" / "search" / "index.html").read_bytes()
    render._ENVS.clear()
    _same(_files(project / "site"), _cold(project, tmp_path, 1))

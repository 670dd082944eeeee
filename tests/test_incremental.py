"""Incremental and parallel builds give the same bytes as a cold serial build.

A small synthetic archive (bench/generate.py, 20 briefings, 300 enterprises) is built cold,
then edited the way writers edit (one briefing's text, one glossary entry's description, a
new alias that creates mentions in other briefings, one reviewed translation, a removed
briefing) and rebuilt from the build cache after each edit. Every result is compared file by
file with a cold build of the same input without cache, with one process or with two (the
references alternate, so a parallel cold build is also checked against a serial one)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from fixture_site import REPO

from bench import generate
from builder import cli

N = 20
# the archive's builds take most of a minute; tests/test_golden.py covers every kind of edit
# in the default run
pytestmark = pytest.mark.slow


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


def _english(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("English: "))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _summary(out: str) -> tuple[int, int]:
    """The build's last line, `built 172 pages (4 changed) in 0.4 s`: (pages, changed)."""
    last = out.strip().splitlines()[-1]
    m = re.fullmatch(r"built (\d+) pages? \((\d+) changed\) in \d+\.\d s", last)
    assert m, last
    return int(m.group(1)), int(m.group(2))


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
    pages, changed = _summary(out)
    assert 0 < changed < pages / 4  # its own pages (and those that quote it), not the site
    _same(_files(site), _cold(project, tmp_path, 1))
    # the coverage line is summed from per-briefing counts kept in the cache: same as cold
    assert _english(out) == _english(capsys.readouterr().out)
    assert " 1 missing" in _english(out)
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

    # the lead paragraph of another briefing (what cards in lists, term pages and feeds show),
    # and the last paragraph of a third (only its own pages show it)
    for target, pick in ((briefings[11], 0), (briefings[12], -1)):
        text = target.read_text(encoding="utf-8")
        head, body = text.split("\n---\n", 1)
        lines = body.split("\n")
        paragraphs = [i for i, line in enumerate(lines) if line and not line.startswith(("#", "!", "<", "["))]
        lines[paragraphs[pick]] = "改写：" + lines[paragraphs[pick]]
        target.write_text(head + "\n---\n" + "\n".join(lines), encoding="utf-8")
    _build(project)
    pages, changed = _summary(capsys.readouterr().out)
    assert 0 < changed < pages
    _same(_files(site), _cold(project, tmp_path, 2))
    lead_page = (site / f"zh/briefings/{briefings[11].stem}/index.html").read_text(encoding="utf-8")
    assert "改写：" in lead_page
    assert "改写：" in (site / "zh/feed.xml").read_text(encoding="utf-8") or \
        briefings[11].stem not in (site / "zh/feed.xml").read_text(encoding="utf-8")

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
    # a site folder of this build (its marker, builder/guard.py) that the cache never saw
    from builder import guard

    (project / "site" / guard.MARKER).write_bytes(guard.MARKER_TEXT)
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
    strings.write_text("\n".join(line for line in good.splitlines() if not line.startswith("nav.search:")), encoding="utf-8")
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 1
    assert "missing UI string 'nav.search'" in capsys.readouterr().err
    assert _files(project / "site") == before
    strings.write_text(good, encoding="utf-8")
    with briefing.open("a", encoding="utf-8") as handle:
        handle.write("\n第二次修改。\n")
    _build(project)
    _same(_files(project / "site"), _cold(project, tmp_path, 1))


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(project, tmp_path, capsys, monkeypatch):
    """The build cache remembers each input's stat to skip hashing it; a same-size edit whose
    mtime was put back (an editor or a `touch -r`) still changes ctime, so it is seen."""
    import time

    real = time.time_ns
    # files younger than 2 s are never trusted by stat: let this build see them as older
    monkeypatch.setattr(time, "time_ns", lambda: real() + 10_000_000_000)
    _build(project)
    monkeypatch.setattr(time, "time_ns", real)
    briefing = sorted((project / "content/briefings").glob("*.md"))[3]
    st = briefing.stat()
    text = briefing.read_text(encoding="utf-8")
    first = next(ch for ch in text.split("---", 2)[2] if "\u4e00" <= ch <= "\u9fff")
    swapped = "鑫" if first != "鑫" else "华"
    briefing.write_text(text.replace(first, swapped, 1), encoding="utf-8")
    assert briefing.stat().st_size == st.st_size
    os.utime(briefing, ns=(st.st_atime_ns, st.st_mtime_ns))
    capsys.readouterr()
    _build(project)
    assert "up to date" not in capsys.readouterr().out
    _same(_files(project / "site"), _cold(project, tmp_path, 1))


@pytest.mark.parametrize("damage", ["truncated", "pack truncated", "blob", "pack missing"])
def test_a_damaged_cache_only_costs_a_cold_build(project, tmp_path, capsys, damage):
    _build(project)
    capsys.readouterr()
    # a new title: every list page shows it, so the rebuild reads every cached briefing and table
    _edit(sorted((project / "content/briefings").glob("*.md"))[2], "title: ", "title: 缓存损坏之后")
    state = project / ".briefing-cache" / "state.pickle"
    [pack] = (project / ".briefing-cache").glob("blobs-*.pack")
    data = state.read_bytes()
    blobs = pack.read_bytes()
    if damage == "truncated":
        state.write_bytes(data[: len(data) // 2])
    elif damage == "pack truncated":
        pack.write_bytes(blobs[: len(blobs) // 2])
    elif damage == "blob":
        # one byte changed in every pickled briefing and table: the state loads, and the rebuild
        # finds out only when it first reads one
        assert blobs.count(b"\x80\x05\x95") >= 2 * N
        pack.write_bytes(blobs.replace(b"\x80\x05\x95", b"\x80\x05\x96"))
    else:
        pack.unlink()
    assert cli.main(["--debug", "-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    pages, changed = _summary(out)
    assert changed == pages  # everything rendered again
    assert "build cache: " in err  # and --debug says why
    _same(_files(project / "site"), _cold(project, tmp_path, 1))


def test_stray_files_in_a_reused_site_folder_are_pruned(project, tmp_path, capsys):
    """The replaced site is updated into the next one (`.site.spare`); whatever else was in
    it (something dropped into a folder of site/, Pagefind's index) is removed, folders and
    all. (A file added at the top of site/ changes the folder's identity, and the next build
    is a cold one.)"""
    briefing = sorted((project / "content/briefings").glob("*.md"))[4]
    _build(project)
    capsys.readouterr()
    (project / "site/zh/stray-folder/deeper").mkdir(parents=True)
    (project / "site/zh/stray-folder/deeper/x.txt").write_text("x", encoding="utf-8")
    (project / "site/en/briefings/stray.html").write_text("not ours", encoding="utf-8")
    os.symlink("/etc", project / "site/zh/stray-link")
    # round 0 makes the folder with the strays the spare; round 1 updates it into the site
    for round_ in range(2):
        with briefing.open("a", encoding="utf-8") as handle:
            handle.write(f"\n第{round_}次修改。\n")
        _build(project)
        pages, changed = _summary(capsys.readouterr().out)
        assert changed < pages  # incremental, through the spare folder
    _same(_files(project / "site"), _cold(project, tmp_path, 1))
    assert not os.path.lexists(project / "site/zh/stray-link")
    assert not (project / "site/zh/stray-folder").exists()


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(project, tmp_path):
    # each cli.main is a new Session, as a new process: templates come from the bytecode cache
    shutil.copytree(REPO / "themes", project / "themes")
    _build(project)
    compiled = sorted((project / ".briefing-cache" / "jinja").glob("*.cache"))
    assert compiled
    _build(project, "--no-cache")  # a build without the cache neither reads nor writes it
    assert sorted((project / ".briefing-cache" / "jinja").glob("*.cache")) == compiled
    _edit(project / "themes" / "default" / "templates" / "search.html",
          '<h1 class="page-title">', '<h1 class="page-title" data-edited>')
    _build(project)
    assert b"data-edited" in (project / "site" / "en" / "search" / "index.html").read_bytes()
    _same(_files(project / "site"), _cold(project, tmp_path, 1))


def test_saves_append_to_the_pack_and_a_mostly_dead_pack_is_written_anew(project, tmp_path, capsys):
    """The parsed briefings and tables live in an append-only pack: an edit appends its new
    blobs (the rest is not written again), and once most of the pack is dead it is replaced."""
    _build(project)
    cache = project / ".briefing-cache"
    [pack] = cache.glob("blobs-*.pack")
    size = pack.stat().st_size
    briefing = sorted((project / "content/briefings").glob("*.md"))[6]
    with briefing.open("a", encoding="utf-8") as handle:
        handle.write("\n追加的一句话。\n")
    _build(project)
    assert [p.name for p in cache.glob("blobs-*.pack")] == [pack.name]
    assert size < pack.stat().st_size < size * 1.5
    for round_ in range(60):  # every briefing edited: the pack would be mostly dead blobs
        path = sorted((project / "content/briefings").glob("*.md"))[round_ % N]
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n第{round_}句。\n")
        if round_ % 10 == 9:
            _build(project)
    [new_pack] = cache.glob("blobs-*.pack")
    assert new_pack.name != pack.name
    _same(_files(project / "site"), _cold(project, tmp_path, 1))


def test_an_edit_unpickles_only_the_briefings_it_renders(project, capsys):
    """Planning a rebuild needs each cached briefing's slug, date, aliases and terms, kept
    beside it; the rest of a briefing is unpickled only when one of its pages is rendered."""
    from builder.cache.store import CachedBriefing
    from builder.session import Session

    # the new sentence has no English: under the default publish_en rule the briefing's English
    # would move to "Awaiting translation" and every list showing it would be rendered again
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        "[tool.briefing]\n", '[tool.briefing]\npublish_en = "always"\n', 1), encoding="utf-8")
    _build(project)
    briefing = sorted((project / "content/briefings").glob("*.md"))[8]
    with briefing.open("a", encoding="utf-8") as handle:
        handle.write("\n只改最后一段。\n")
    session = Session()  # a new process: the state comes from the cache files
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"], session) == 0
    state = session.memos[str(project / ".briefing-cache")][1]
    cached = [b for b in state.values["briefing"].values() if isinstance(b, CachedBriefing)]
    assert len(cached) == N - 1  # the edited one was parsed again
    assert sum(b._full is not None for b in cached) <= 2
    assert "unchanged" in capsys.readouterr().out

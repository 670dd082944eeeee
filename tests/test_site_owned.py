"""The build owns site/: a file changed or added there by hand does not survive the next
build, whether that build has nothing to do, renders a few pages, or links the unchanged ones
from the folder it reuses (write.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import tree_digest

from builder import cli


def _build(project: Path, capsys, *extra: str) -> str:
    assert cli.main(["-C", str(project), "build", "--no-translate", "--no-progress", "--no-search", *extra]) == 0
    return capsys.readouterr().out


def _reference(project: Path, tmp_path: Path, capsys) -> dict[str, str]:
    """site/ as a cold build of the same content makes it."""
    alone = tmp_path / "alone"
    shutil.rmtree(alone, ignore_errors=True)
    shutil.copytree(project, alone, ignore=shutil.ignore_patterns("site", ".site.*", ".briefing-cache"))
    _build(alone, capsys, "--no-cache")
    return tree_digest(alone / "site")


def _tamper(site: Path) -> None:
    with open(site / "static" / "style.css", "a", encoding="utf-8") as handle:  # in place: a shared inode
        handle.write("body{display:none}\n")
    (site / "static" / "stray.css").write_text("stray\n", encoding="utf-8")
    (site / "en" / "briefings" / "xinhua-funding" / "evil.html").write_text("<script>1</script>", encoding="utf-8")


@pytest.mark.slow  # three full build cycles; CI runs them
@pytest.mark.parametrize("edits", [0, 1, 3])
def test_hand_changes_in_site_are_undone(project, tmp_path, capsys, edits):
    _build(project, capsys)
    page = project / "content" / "briefings" / "xinhua-funding.md"
    text = page.read_text(encoding="utf-8")
    for n in range(edits):  # a spare folder sharing files with site/ is in play from the 2nd build on
        page.write_text(text.replace("已完成4轮融资", f"已完成{5 + n}轮融资"), encoding="utf-8")
        _build(project, capsys)
    _tamper(project / "site")
    out = _build(project, capsys)
    assert "up to date" not in out
    assert tree_digest(project / "site") == _reference(project, tmp_path, capsys)
    # and the builds after it (which reuse the folder the tampered site became) stay clean
    for n in range(2):
        page.write_text(text.replace("已完成4轮融资", f"已完成{10 + n}轮融资"), encoding="utf-8")
        _build(project, capsys)
        assert tree_digest(project / "site") == _reference(project, tmp_path, capsys), f"edit {n}"


def test_a_hand_change_during_an_edit_rebuild_is_undone(project, tmp_path, capsys):
    _build(project, capsys)
    page = project / "content" / "briefings" / "xinhua-funding.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("已完成4轮融资", "已完成5轮融资"), encoding="utf-8")
    _build(project, capsys)
    _tamper(project / "site")
    page.write_text(text.replace("已完成4轮融资", "已完成6轮融资"), encoding="utf-8")
    out = _build(project, capsys)
    assert "unchanged" in out  # still an incremental build
    assert tree_digest(project / "site") == _reference(project, tmp_path, capsys)


def test_nothing_touched_is_still_up_to_date(project, capsys):
    _build(project, capsys)
    assert "up to date" in _build(project, capsys)

"""The search index is made in the staged site before the swap (build._search_step): reused
when the pages are exactly the current site's, made again when any page changed."""

from __future__ import annotations

import os
from pathlib import Path

from builder import cli


def _build(project: Path, capsys) -> str:
    assert cli.main(["-C", str(project), "build", "--no-translate", "--no-progress"]) == 0
    return capsys.readouterr().out


def _index(project: Path) -> dict[str, int]:
    root = project / "site" / "pagefind"
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_index_reused_when_no_page_changed_and_made_again_when_one_did(project, capsys):
    out = _build(project, capsys)
    assert "pages indexed" in out
    first = _index(project)
    assert "pagefind.js" in first
    # an input changes, no page does: the index is the same files, linked, not made again
    taxonomy = project / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    out = _build(project, capsys)
    assert "search: index unchanged" in out and "pages indexed" not in out
    assert _index(project) == first
    # a page changes: Pagefind runs over the new site
    page = project / "content" / "briefings" / "xinhua-funding.md"
    page.write_text(page.read_text(encoding="utf-8").replace("已完成4轮融资", "已完成5轮融资"), encoding="utf-8")
    out = _build(project, capsys)
    assert "pages indexed" in out
    second = _index(project)
    assert set(second) != set(first)  # fragment names are content hashes


def test_a_hand_damaged_index_is_not_carried_over(project, capsys):
    _build(project, capsys)
    entry = project / "site" / "pagefind" / "pagefind-entry.json"
    entry.write_text("{}", encoding="utf-8")
    os.utime(entry)  # modified after the build finished
    taxonomy = project / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    out = _build(project, capsys)
    assert "pages indexed" in out
    assert entry.read_text(encoding="utf-8") != "{}"


def test_build_without_pagefind_keeps_the_previous_site(project, capsys, monkeypatch):
    import sys

    _build(project, capsys)
    page = project / "content" / "briefings" / "xinhua-funding.md"
    page.write_text(page.read_text(encoding="utf-8").replace("已完成4轮融资", "已完成5轮融资"), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)
    assert cli.main(["-C", str(project), "build", "--no-translate", "--no-progress"]) == 1
    assert "已完成4轮融资".encode() in (project / "site/zh/briefings/xinhua-funding/index.html").read_bytes()
    assert (project / "site" / "pagefind" / "pagefind.js").is_file()

"""Kill the build at random points (SIGKILL): the previous site/ is intact and complete every time."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import tree_digest

pytestmark = pytest.mark.slow  # real builds killed at random moments: CI runs them (-m '')

BUILD = [sys.executable, "-m", "builder", "build", "--no-search", "--no-translate", "--no-progress"]


def _build(project: Path) -> None:
    result = subprocess.run([*BUILD[:3], "-C", str(project), *BUILD[3:]], capture_output=True, text=True,
                            cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stderr


def test_sigkill_during_build_leaves_a_whole_site(project):
    _build(project)
    old = tree_digest(project / "site")
    assert any(name.endswith("index.html") for name in old)
    # change the content so that a finished build is distinguishable from the old one
    page = project / "content" / "briefings" / "xinhua-funding.md"
    page.write_text(page.read_text(encoding="utf-8").replace("已完成4轮融资", "已完成5轮融资"), encoding="utf-8")
    env = dict(os.environ, BRIEFING_NO_FSYNC="")  # real fsyncs: the slow, realistic path
    rng = random.Random(20261126)
    start = time.monotonic()
    durations = []
    new = None
    for round_ in range(12):
        delay = rng.uniform(0.05, max(0.3, (sum(durations) / len(durations)) if durations else 1.5))
        proc = subprocess.Popen([*BUILD[:3], "-C", str(project), *BUILD[3:]], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[1])
        began = time.monotonic()
        try:
            proc.wait(timeout=delay)
            durations.append(time.monotonic() - began)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        now = tree_digest(project / "site")
        if now != old:
            if new is None:
                new = now  # the first complete new site we see
            assert now == new, f"round {round_}: site/ is neither the old nor the new build"
        assert time.monotonic() - start < 120
    # leftovers of killed builds never pile up as visible folders
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]
    _build(project)
    final = tree_digest(project / "site")
    assert new is None or final == new
    assert final != old


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _is_pagefind(pid: int) -> bool:
    try:
        return b"pagefind" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigkill_during_search_indexing_leaves_the_previous_site_with_its_index(project):
    """The search index is made in the staged site before the swap: a build killed while
    Pagefind runs leaves the previous site, pagefind/ included, and no Pagefind behind."""
    search_build = [a for a in BUILD if a != "--no-search"]

    def build() -> None:
        result = subprocess.run([*search_build[:3], "-C", str(project), *search_build[3:]], capture_output=True,
                                text=True, cwd=Path(__file__).parents[1])
        assert result.returncode == 0, result.stderr

    build()
    old = tree_digest(project / "site")
    assert any(name.startswith("pagefind/") for name in old)
    page = project / "content" / "briefings" / "xinhua-funding.md"
    text = page.read_text(encoding="utf-8")
    killed = 0
    for round_ in range(4):
        page.write_text(text.replace("已完成4轮融资", f"已完成{5 + round_}轮融资"), encoding="utf-8")
        proc = subprocess.Popen([*search_build[:3], "-C", str(project), *search_build[3:]], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[1])
        pagefind = None
        deadline = time.monotonic() + 60
        while pagefind is None and proc.poll() is None and time.monotonic() < deadline:
            pagefind = next((c for c in _children(proc.pid) if _is_pagefind(c)), None)
            time.sleep(0.002)
        if pagefind is None:  # finished before we saw Pagefind: a whole new site
            assert proc.wait() == 0
            old = tree_digest(project / "site")
            continue
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed += 1
        assert tree_digest(project / "site") == old, f"round {round_}: killed while indexing, site/ changed"
        for _ in range(200):  # Pagefind dies with the build (it must not write on into a folder)
            if not _alive(pagefind):
                break
            time.sleep(0.01)
        assert not _alive(pagefind), "Pagefind outlived the killed build"
    assert killed >= 2
    build()
    final = tree_digest(project / "site")
    assert final != old and any(name.startswith("pagefind/") for name in final)
    assert "已完成8轮融资".encode() in (project / "site/zh/briefings/xinhua-funding/index.html").read_bytes()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]

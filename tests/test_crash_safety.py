"""Kill the build at random points (SIGKILL): the previous site/ is intact and complete every time."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import tree_digest

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

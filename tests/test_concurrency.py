"""Two runs on one project at once: the project lock (builder/lock.py) makes the second wait,
so both finish with a complete, correct site and the later edit is in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_digest

pytestmark = pytest.mark.slow  # real processes racing for the lock, with waits: CI runs them (-m '')

ROOT = Path(__file__).parents[1]
BUILD = ["build", "--no-translate", "--no-progress"]


def _run(project: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _site(project: Path) -> dict[str, str]:
    return tree_digest(project / "site")


def test_two_builds_at_once_both_complete_and_the_later_edit_wins(project, tmp_path):
    page = project / "content" / "briefings" / "xinhua-funding.md"
    text = page.read_text(encoding="utf-8")
    first = _run(project, *BUILD)
    assert first.wait(timeout=120) == 0, first.stderr.read()
    for round_ in range(3):
        page.write_text(text.replace("已完成4轮融资", f"已完成{5 + round_}轮融资"), encoding="utf-8")
        a = _run(project, *BUILD)
        b = _run(project, *BUILD)
        outs = [(p.wait(timeout=120), *p.communicate()) for p in (a, b)]
        for code, _out, err in outs:
            assert code == 0, err
        site = _site(project)
        html = (project / "site" / "zh" / "briefings" / "xinhua-funding" / "index.html").read_text(encoding="utf-8")
        assert f"已完成{5 + round_}轮融资" in html, f"round {round_}: the edit is not in the site"
        # the same as one build of the same content, made alone in a fresh copy
        alone = tmp_path / f"alone{round_}"
        subprocess.run(["cp", "-a", str(project), str(alone)], check=True)
        for leftover in ("site", ".site.spare", ".briefing-cache"):
            subprocess.run(["rm", "-rf", str(alone / leftover)], check=True)
        ref = _run(alone, *BUILD)
        assert ref.wait(timeout=120) == 0
        assert site == _site(alone), f"round {round_}: the site differs from a build made alone"
        # nothing of either build is left beside the site
        assert sorted(p.name for p in project.iterdir() if "site" in p.name) == [".site.spare", "site"]
        # and the next build, with nothing changed, is right to say so
        again = _run(project, *BUILD)
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert "up to date" in out
        assert _site(project) == site


def _hold_lock(project: Path):
    folder = project / ".briefing-cache"
    folder.mkdir(exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(folder / 'lock')!r}, os.O_RDWR | os.O_CREAT, 0o644)\n"
         "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
         "os.ftruncate(fd, 0); os.write(fd, f'{os.getpid()} build\\n'.encode())\n"
         "print('held', flush=True); time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_waits_and_names_the_holder(project):
    holder = _hold_lock(project)
    try:
        waiting = _run(project, *BUILD)
        # it waits: still running after a while, and has said who it waits for
        try:
            waiting.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        assert waiting.poll() is None, waiting.communicate()
        assert not (project / "site").exists()
    finally:
        holder.kill()
        holder.wait()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert f"waiting for another briefing run (PID {holder.pid}: build)" in out + err
    assert (project / "site" / "index.html").is_file()


def test_with_a_timeout_it_says_which_process_holds_the_lock(project):
    holder = _hold_lock(project)
    try:
        result = subprocess.run([sys.executable, "-m", "builder", "-C", str(project), "--lock-timeout", "1", *BUILD],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"PID {holder.pid}: build" in result.stderr
    assert "still holds .briefing-cache/lock after 1 s" in result.stderr
    assert not (project / "site").exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(project):
    holder = _hold_lock(project)
    holder.kill()
    holder.wait()
    assert (project / ".briefing-cache" / "lock").read_text().startswith(str(holder.pid))
    result = subprocess.run([sys.executable, "-m", "builder", "-C", str(project), "--lock-timeout", "5", *BUILD],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "waiting for another briefing run" not in result.stdout + result.stderr


def test_ingest_and_translate_take_the_lock_too(project):
    holder = _hold_lock(project)
    try:
        for command in (["ingest"], ["translate", "--no-progress"]):
            result = subprocess.run([sys.executable, "-m", "builder", "-C", str(project), "--lock-timeout", "0.5",
                                     *command], cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert result.returncode == 1, (command, result.stdout, result.stderr)
            assert f"PID {holder.pid}: build" in result.stderr
    finally:
        holder.kill()
        holder.wait()


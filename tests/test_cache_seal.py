"""The build cache holds pickles and compiled templates, which run code when loaded: each is
sealed with a key kept outside the cache folder (builder/cache/seal.py), and a crafted file
put into .briefing-cache/ is never loaded."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import tree_digest

from builder import cli


class _Creates:
    """Unpickling this creates a file: what an attacker's pickle would do (and worse)."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return open, (self.path, "w")


def _build(project: Path, capsys, *pre: str) -> tuple[str, str]:
    assert cli.main([*pre, "-C", str(project), "build", "--no-translate", "--no-progress", "--no-search"]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _edit(project: Path, n: int) -> None:
    page = project / "content" / "briefings" / "xinhua-funding.md"
    page.write_text(page.read_text(encoding="utf-8").replace("已完成4轮融资", f"已完成{n}轮融资"), encoding="utf-8")


def _jinja_header() -> bytes:
    from jinja2.bccache import bc_magic

    return bc_magic


@pytest.mark.parametrize("target", ["state.pickle", "stat.pickle", "jinja"])
def test_a_crafted_cache_file_does_not_run(project, tmp_path, capsys, target):
    _build(project, capsys)
    cache = project / ".briefing-cache"
    pwned = tmp_path / "pwned"
    payload = pickle.dumps(_Creates(pwned), protocol=2)
    if target == "jinja":
        files = sorted((cache / "jinja").glob("*.cache"))
        assert files
        for file in files:  # Jinja reads a magic header, then unpickles the checksum
            file.write_bytes(_jinja_header() + payload)
    else:
        (cache / target).write_bytes(payload)
    _edit(project, 5)
    _out, err = _build(project, capsys, "--debug")
    assert not pwned.exists(), f"a crafted {target} ran"
    assert "is not sealed" in err
    assert "已完成5轮融资".encode() in (project / "site/zh/briefings/xinhua-funding/index.html").read_bytes()


def test_a_cache_from_another_checkout_is_not_loaded(project, tmp_path, capsys, monkeypatch):
    other = tmp_path / "other"
    subprocess.run(["cp", "-a", str(project), str(other)], check=True)
    _build(other, capsys)
    _build(project, capsys)
    # the other checkout's sealed files, with the other checkout's key
    for name in ("state.pickle", "stat.pickle"):
        (project / ".briefing-cache" / name).write_bytes((other / ".briefing-cache" / name).read_bytes())
    _edit(project, 6)
    _out, err = _build(project, capsys, "--debug")
    assert "has a wrong seal" in err
    assert "已完成6轮融资".encode() in (project / "site/zh/briefings/xinhua-funding/index.html").read_bytes()


def test_key_lives_outside_the_cache_folder(project, tmp_path, capsys):
    _build(project, capsys)
    assert not any("key" in p.name for p in (project / ".briefing-cache").rglob("*"))
    keys = list((Path(os.environ["XDG_CACHE_HOME"]) / "xuzhou-briefing" / "keys").glob("*.key"))
    assert len(keys) == 1 and len(keys[0].read_bytes()) == 32
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600
    # in a git checkout: in the git folder, which is never committed or cloned
    repo = tmp_path / "repo"
    subprocess.run(["cp", "-a", str(project), str(repo)], check=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _build(repo, capsys)
    assert len((repo / ".git" / "briefing-cache-key").read_bytes()) == 32


def test_sealed_cache_still_makes_edits_incremental(project, capsys):
    _build(project, capsys)
    _edit(project, 7)
    out, err = _build(project, capsys, "--debug")
    assert "unchanged" in out and "not sealed" not in err and "wrong seal" not in err
    before = tree_digest(project / "site")
    out, _ = _build(project, capsys)
    assert "up to date" in out and tree_digest(project / "site") == before

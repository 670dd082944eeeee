"""Staging: the folder a build writes into before the swap (builder/write.py)."""

import os

import pytest

from builder import write
from builder.errors import BuildError


def test_staging_writes_nested_pages_and_commits_them(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFING_NO_FSYNC", raising=False)
    target = tmp_path / "site"
    staging = write.Staging(target)
    pages = {"index.html": b"root", "en/briefings/a/index.html": b"a" * 100_000,
             "en/briefings/a/parallel/index.html": b"p", "en/briefings/b/index.html": "中".encode()}
    for rel, data in pages.items():
        staging.write(rel, data)
    staging.commit(list(pages))
    for rel, data in pages.items():
        assert (target / rel).read_bytes() == data


# (check_outputs in write_site catches these before any write, with clearer messages; this is
# the last line of defence for workers writing into the same folder)
@pytest.mark.parametrize("first, second, message", [
    ("a/index.html", "a/index.html", "two pages would be written to the same path"),
    ("a/index.html", "a/index.html/x.html", "two pages would be written to the same path"),
    ("a/index.html", "a/index.html/y/x.html", "output path is both a file and a folder"),
    ("a/b/index.html", "a/b", "two pages would be written to the same path"),
])
def test_staging_collisions_fail_loudly(tmp_path, first, second, message):
    staging = write.Staging(tmp_path / "site")
    staging.write(first, b"1")
    with pytest.raises(BuildError, match=message):
        staging.write(second, b"2")
    assert (staging.path / first).read_bytes() == b"1"
    staging.abort()


def test_staging_rejects_paths_outside_the_site(tmp_path):
    staging = write.Staging(tmp_path / "site")
    for rel in ("", "/etc/x", "a/../../x"):
        with pytest.raises(BuildError, match="escapes the site folder"):
            staging.write(rel, b"x")
    staging.abort()


def test_many_files_are_flushed_with_one_syncfs_else_one_by_one(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFING_NO_FSYNC", raising=False)
    rels = [f"d{i}/index.html" for i in range(300)]
    for rel in rels:
        os.makedirs(tmp_path / os.path.dirname(rel), exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    calls = []
    monkeypatch.setattr(write, "_syncfs", lambda folder: calls.append(folder) or True)
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync"))
    write._fsync_files(tmp_path, rels)
    assert calls == [tmp_path]
    calls.clear()
    write._fsync_files(tmp_path, rels[:5])  # an edit rebuild: no wait for the whole disk
    assert calls == ["fsync"] * 5
    calls.clear()
    monkeypatch.setattr(write, "_syncfs", lambda folder: False)  # no syncfs (not Linux)
    write._fsync_files(tmp_path, rels)
    assert calls == ["fsync"] * 300
    calls.clear()
    monkeypatch.setenv("BRIEFING_NO_FSYNC", "1")
    write._fsync_files(tmp_path, rels)
    assert calls == []


def test_syncfs_really_runs_on_linux(tmp_path):
    if os.uname().sysname != "Linux":
        pytest.skip("syncfs is Linux only")
    assert write._syncfs(tmp_path) is True

"""Every input of a build and its content hash.

Inputs: each file under content/ (and the hidden ones a build reads, HIDDEN_INPUTS) and the
theme, pyproject.toml, the settings that shape the output, SOURCE_DATE_EPOCH and the builder's
own code (a new version starts from a cold cache).
A file is hashed again only when its stat (mtime, ctime, inode, size) moved since the scan
that hashed it; that table lives in the Session and, between processes, in the cache folder.
A file whose mtime or ctime is within 2 s of the scan is hashed again next time (an edit in
the same clock tick would not move them); any write moves ctime, which no tool can set back.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from builder.config import Config

BUILDER = Path(__file__).resolve().parent.parent
UNREADABLE = "unreadable"
StatTable = dict[str, tuple[int, int, int, int, str]]  # path -> (mtime_ns, ctime_ns, inode, size, hash)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_of(inputs: dict[str, str]) -> str:
    return digest(json.dumps(inputs, sort_keys=True).encode())


def code_fingerprint() -> str:
    """The builder's own source and the Python that runs it."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for path in sorted(BUILDER.rglob("*.py")):
        h.update(str(path.relative_to(BUILDER)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def walk(folder: Path) -> list[str]:
    """Every file under `folder` (no hidden ones), sorted, as path strings (Path objects for a
    few thousand files cost more than the rest of a no-change build)."""
    found: list[str] = []
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [os.path.join(dirpath, name) for name in sorted(filenames) if not name.startswith(".")]
    return found


# hidden files under content/ that a build reads: ingest's state, which records the day it
# first saw each article (feeds use it for undated briefings; content.first_seen)
HIDDEN_INPUTS = (".ingest-state.json",)


def _hidden_inputs(config: Config) -> list[str]:
    return [path for name in HIDDEN_INPUTS if os.path.isfile(path := os.path.join(config.content, name))]


def scan(config: Config, stats: StatTable, code: str) -> dict[str, str]:
    """Input (a file path, or a `~name` for a setting) -> content hash."""
    inputs: dict[str, str] = {}
    recent = time.time_ns() - 2_000_000_000
    for key in walk(config.content) + _hidden_inputs(config) + walk(config.theme_dir):
        try:
            st = os.stat(key)
            known = stats.get(key)
            if known is not None and known[:4] == (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size):
                inputs[key] = known[4]
                continue
            with open(key, "rb") as handle:
                inputs[key] = digest(handle.read())
            if st.st_mtime_ns < recent and st.st_ctime_ns < recent:
                stats[key] = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size, inputs[key])
            else:
                stats.pop(key, None)
        except OSError:
            inputs[key] = UNREADABLE
    pyproject = config.root / "pyproject.toml"
    if pyproject.is_file():
        inputs[str(pyproject)] = digest(pyproject.read_bytes())
    inputs["~config"] = repr(config)
    inputs["~epoch"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    inputs["~code"] = code
    return inputs


def site_identity(folder: Path) -> list[int] | None:
    """Device, inode and ctime of an output folder. The inode alone is not enough: a folder
    made after `rm -rf site` may get the same one; ctime changes with every rename and every
    entry added or removed at the top."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_ctime_ns]


def touched_after(folder: Path, written_at: int) -> str | None:
    """A file or folder under `folder` (the site) changed after `written_at`, when the build
    that wrote it finished: a file edited by hand (its mtime), or added, removed or renamed
    (its folder's mtime); or anything that is not a plain file or folder. None: all as built.
    Linking a file (the next build does, into its staging folder) moves its ctime, not its
    mtime, so the check is on mtimes."""
    if not written_at:
        return str(folder)
    stack = [os.fspath(folder)]
    try:
        if os.stat(stack[0]).st_mtime_ns > written_at:
            return stack[0]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    st = entry.stat(follow_symlinks=False)
                    if st.st_mtime_ns > written_at:
                        return entry.path
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif not entry.is_file(follow_symlinks=False):
                        return entry.path
    except OSError as exc:
        return exc.filename or os.fspath(folder)
    return None

"""Authenticated cache files: what the build unpickles (or unmarshals) must be what it wrote.

A pickle runs code when it is loaded, and so does a compiled template; a crafted file put into
`.briefing-cache/` (from an archive, a shared folder, a restored CI cache) would run on the next
build. Every such file is therefore sealed with HMAC-SHA256 under a random key of this checkout
that is kept *outside* the cache folder, where a copy of the project's files does not bring it:

- in a git checkout, `.git/briefing-cache-key` (for a worktree or submodule, whose `.git` is a
  file, inside the git folder it names): git never commits or clones it;
- otherwise `$XDG_CACHE_HOME/xuzhou-briefing/keys/<hash of the project's real path>.key`
  (default `~/.cache/…`).

The key is made on first use (32 random bytes, mode 0600). A file whose seal is missing or
wrong is treated as absent, never loaded: the build is a cold one (`--debug` says why).
The pack of pickled briefings and tables (store.py) is not sealed blob by blob: the sealed
state records each blob's hash, checked when the blob is first used, so an edit rebuild hashes
only what it reads.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

MAGIC = b"briefing-sealed-1\n"
KEY_NAME = "briefing-cache-key"
_MAC = 32

_keys: dict[str, bytes] = {}  # project (real path) -> key, once read in this process (workers inherit it)


class Unsealed(ValueError):
    """A cache file without a valid seal (not written by this checkout's builds)."""


def key_path(root: Path) -> Path:
    """Where the key of the project at `root` lives (see the module's docstring)."""
    dot_git = Path(root) / ".git"
    if dot_git.is_dir() and not dot_git.is_symlink():
        return dot_git / KEY_NAME
    if dot_git.is_file():
        try:
            line = dot_git.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            line = ""
        if line.startswith("gitdir:"):
            gitdir = Path(line[len("gitdir:"):].strip())
            gitdir = gitdir if gitdir.is_absolute() else Path(root) / gitdir
            if gitdir.is_dir():
                return gitdir / KEY_NAME
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    project = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:32]
    return base / "xuzhou-briefing" / "keys" / f"{project}.key"


def project_key(root: Path) -> bytes:
    """The project's key, made on first use. Raises OSError when it can be neither read nor made."""
    real = os.path.realpath(root)
    key = _keys.get(real)
    if key is not None:
        return key
    path = key_path(Path(root))
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _make_key(path)
    if len(key) != 32:
        raise OSError(f"{path}: not a briefing cache key (remove it: a new one is made)")
    _keys[real] = key
    return key


def _make_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # never replaces a key another process made meanwhile
    except FileExistsError:
        key = path.read_bytes()
    finally:
        os.unlink(tmp)
    return key


def seal(key: bytes, data: bytes) -> bytes:
    return MAGIC + hmac.new(key, data, hashlib.sha256).digest() + data


def unseal(key: bytes, blob: bytes, name: str) -> bytes:
    """The data of a sealed file, or Unsealed (`name` says which file, for --debug)."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _MAC:
        raise Unsealed(f"{name} is not sealed (written by hand or by another version); ignored")
    mac = blob[len(MAGIC):len(MAGIC) + _MAC]
    data = blob[len(MAGIC) + _MAC:]
    if not hmac.compare_digest(mac, hmac.new(key, data, hashlib.sha256).digest()):
        raise Unsealed(f"{name} has a wrong seal (not written by this checkout's builds); ignored")
    return data

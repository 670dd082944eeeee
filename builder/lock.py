"""The project lock: one run at a time writes a project's site, cache and content.

`build`, `translate`, `ingest` and `serve`'s rebuilds each hold an exclusive lock on
`.briefing-cache/lock` (the cache folder is git-ignored by its own `.gitignore`) while they
run. It is a POSIX record lock (`fcntl.lockf`), not a `flock(2)`: a flock belongs to the open
file, which the build's forked worker processes share, so a worker outliving a killed build
would keep the project locked; a record lock belongs to the process that took it alone. Two builds at once would otherwise each swap in a site made from what it read, delete
each other's staging folder, and save a cache that describes the other's site, so that the
next build could say "up to date" about a site that is not.

A second run waits, after one line naming the process that holds the lock (its PID and
command, which the holder writes into the file); with a timeout (`--lock-timeout SECONDS`)
it gives up with that same name instead. The kernel drops the lock when its process dies, so
the lock of a killed run is free at once: there is no stale lock to clean up by hand (the
file may still name the dead process; it is rewritten by the next holder).

A process takes the lock once: nested calls (a build inside `serve`'s rebuild) share it. (A
record lock is dropped when the process closes *any* descriptor of the file: only this module
opens it.)
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import BuildError

LOCK_FILE = ".briefing-cache/lock"

_held: dict[str, int] = {}  # lock path -> nesting depth in this process
_mutex = threading.RLock()  # one thread of a process at a time (serve's builds run in one)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    pid, _, what = text.partition(" ")
    return f"PID {pid}: {what}" if pid.isdigit() else "PID unknown"


@contextmanager
def project_lock(root: Path, what: str, say: Callable[[str], None] | None = None,
                 timeout: float | None = None) -> Iterator[None]:
    """Hold the project's lock while the body runs; `what` names this run for the others
    ("build", "translate", …); `timeout`: seconds to wait at most (None: as long as it takes)."""
    path = os.path.join(root, LOCK_FILE)
    with _mutex:
        if _held.get(path):
            _held[path] += 1
            try:
                yield
            finally:
                _held[path] -= 1
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        gitignore = os.path.join(os.path.dirname(path), ".gitignore")
        if not os.path.exists(gitignore):
            with open(gitignore, "w", encoding="utf-8") as handle:
                handle.write("*\n")
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            _acquire(fd, say, timeout)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {what}\n".encode(), 0)
            _held[path] = 1
            try:
                yield
            finally:
                _held.pop(path, None)
                fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _try(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def _acquire(fd: int, say: Callable[[str], None] | None, timeout: float | None) -> None:
    if _try(fd):
        return
    holder = _holder(fd)
    if timeout is not None and timeout <= 0:
        raise BuildError(LOCK_FILE, None, f"another briefing run ({holder}) still holds {LOCK_FILE} after 0 s")
    if say is not None:
        limit = f" (at most {timeout:g} s)" if timeout is not None else ""
        say(f"waiting for another briefing run ({holder}) to finish{limit}")
    deadline = None if timeout is None else time.monotonic() + timeout
    if deadline is None:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        return
    while not _try(fd):
        if time.monotonic() >= deadline:
            raise BuildError(LOCK_FILE, None, f"another briefing run ({_holder(fd)}) still holds "
                                              f"{LOCK_FILE} after {timeout:g} s")
        time.sleep(0.05)

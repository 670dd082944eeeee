"""Writing the built site: collision-checked, atomic.

`write_site` writes every output into a fresh temporary folder beside the target, then
swaps it in with renames, so a failed or killed build leaves the previous site whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from builder.errors import BuildError, Collector


def check_outputs(outputs: list[tuple[str, bytes]]) -> None:
    problems = Collector()
    seen: set[str] = set()
    dirs: set[str] = set()
    for rel, _ in outputs:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not rel:
            problems.add(rel, None, "output path escapes the site folder")
            continue
        if rel in seen:
            problems.add(rel, None, "two pages would be written to the same path")
        seen.add(rel)
        dirs.update(str(p) for p in pure.parents if str(p) != ".")
    for rel in sorted(seen & dirs):
        problems.add(rel, None, "output path is both a file and a folder")
    problems.raise_if_any()


def write_site(outputs: list[tuple[str, bytes]], target: Path) -> None:
    """Replace `target` with exactly `outputs`, atomically (old site kept until the swap)."""
    check_outputs(outputs)
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    try:
        for rel, data in outputs:
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        _fsync_tree(staging)
        os.chmod(staging, 0o755)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for leftover in parent.glob(f".{target.name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{target.name}.new-*"):
        # staging folders of builds that were killed earlier
        if leftover != staging:
            shutil.rmtree(leftover, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Move `staging` to `target`; the old target survives until the new one is in place."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise BuildError(str(target), None, "output folder is not a plain folder; refusing to replace it")
    if target.exists():
        if _exchange(staging, target):
            # staging now holds the old site
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE): no moment without a site."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _fsync_tree(root: Path) -> None:
    if os.environ.get("BRIEFING_NO_FSYNC"):
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    """Write one file so that readers see the old or the new content, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

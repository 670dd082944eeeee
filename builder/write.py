"""Write stage: the rendered pages into site/, collision-checked and atomic.

`write_site` writes every page into a fresh folder beside the target (or, in an incremental
build, updates the spare folder kept there), then swaps it in with renames, so a failed or
killed build leaves the previous site whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from builder import guard
from builder.cache.plan import PageRecord
from builder.cache.pool import WorkerPool
from builder.errors import BuildError, BuildErrors, Collector

if TYPE_CHECKING:
    from builder.cache.memo import Memo

_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def check_outputs(outputs: list[tuple[str, bytes]]) -> None:
    problems = Collector()
    seen: set[str] = set()
    dirs: set[str] = set()
    for rel, _ in outputs:
        parts = rel.split("/")
        if not rel or rel.startswith("/") or ".." in parts:
            problems.add(rel, None, "output path escapes the site folder")
            continue
        if rel in seen:
            problems.add(rel, None, "two pages would be written to the same path")
        seen.add(rel)
        # plain string work: a PurePosixPath per output path costs more than the check itself
        normal = "/".join(p for p in parts if p not in ("", "."))
        if normal != rel:
            seen.add(normal)
        parts = normal.split("/")
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for rel in sorted(seen & dirs):
        problems.add(rel, None, "output path is both a file and a folder")
    problems.raise_if_any()


class PageSet(Protocol):
    """What the write stage needs of the render stage's result (render.Pages)."""

    @property
    def specs(self) -> Sequence[Any]: ...  # each with a `key`

    def render(self, spec: Any) -> list[tuple[str, bytes]]: ...

    def signature(self, spec: Any) -> str | None: ...

    def warm(self) -> None: ...


@dataclass
class WriteReport:
    files: int  # files in the new site
    written: int  # of them written in this build (the others were kept from the previous site)
    pages: int = 0  # HTML pages in the new site
    pages_written: int = 0  # of them written in this build (new, or their bytes changed)


# Fewer pages than this are rendered in this process: starting workers costs more.
PARALLEL_MIN_PAGES = 200
# A render worker is replaced after this many pages: a worker copies every page of the
# parent's memory whose objects it touches (reference counts), and a new one starts from the
# shared pages again, which keeps the peak memory of a large cold build down; each new worker
# costs a fork. (Measurements in bench/README.md.)
PAGES_PER_WORKER = 1200


# Run on the staged site before it is swapped in (the search index): given the folder and
# whether its files are exactly the current site's, it returns the files it added there.
BeforeSwap = Callable[[Path, bool], list[str]]


def write_site(pages: PageSet, target: Path, memo: Memo | None = None, pool: WorkerPool | None = None,
               before_swap: BeforeSwap | None = None) -> WriteReport:
    """Replace `target` with exactly the files of `pages`, atomically: the new site is made in
    a folder beside it and swapped in, so a failed or killed build leaves the previous site whole.

    With `memo`, a page whose signature equals the one it had in the current site is not
    rendered again: its files are hard-linked from the current site (which is only read). The
    folder the new site is made in is then the spare one the last build kept beside the site
    (`.site.spare`, the generation before it) when the memo knows what it holds: only files
    that differ are written into it, and the replaced site becomes the next spare. A build
    with a memo but no previous site (a cold one) hard-links each new page into a mirror folder
    as it writes it, which becomes the spare. Pages are rendered in `pool`'s workers.

    `before_swap` runs on the complete staged site right before the swap (build.py: the search
    index), so what it adds is swapped in with the pages, or not at all."""
    target = Path(target)
    pool = pool or WorkerPool()
    spare_path = target.parent / f".{target.name}.spare"
    plan = []  # (spec, signature, record of the current site's page or None)
    for spec in pages.specs:
        signature = pages.signature(spec) if memo is not None else None
        plan.append((spec, signature, memo.page(spec.key, signature) if memo is not None and signature else None))
    known = memo is not None and memo.knows_site()
    spare: dict[str, str] = {}
    spare_written_at = 0
    found = memo.spare(spare_path) if memo is not None and known else None
    if found is not None:
        spare, spare_written_at = found
        assert memo is not None
        memo.forget_spare()  # from here on the folder's content is unknown until the swap
        staging = Staging(target, reuse=spare_path)
    else:
        staging = Staging(target)
    mirror = Staging(target, kind="mirror") if memo is not None and not known else None
    results: dict[int, tuple[tuple[str, str], ...]] = {}
    written: list[str] = []
    try:
        todo = []
        # a file kept from the current site or the spare folder (which shares the inodes of
        # the files unchanged between them) must be as the build that wrote it left it: one
        # modified by hand since has a later mtime (linking does not move it), and its page is
        # rendered again
        trusted = memo.site_written_at() if memo is not None and known else 0
        for index, (_spec, _signature, old) in enumerate(plan):
            if old is None:
                todo.append(index)
                continue
            try:
                for rel, digest in old.files:
                    if spare.get(rel) != digest:
                        staging.link(rel, target)
                        limit = trusted
                    else:  # the spare's own file: as the build that wrote the spare left it
                        limit = spare_written_at
                    if staging.mtime_ns(rel) > limit:
                        raise FileNotFoundError(rel)
                results[index] = old.files
            except FileNotFoundError:  # removed or changed in site/ by hand: render it again
                for rel, _digest in old.files:
                    staging.remove(rel)
                    spare.pop(rel, None)
                todo.append(index)
        if len(todo) < PARALLEL_MIN_PAGES or pool.jobs <= 1:
            chunks, pool = [todo], WorkerPool(1)
        else:
            pages.warm()
            # small chunks, handed out as workers free up: pages differ a lot in cost
            size = max(1, min(64, len(todo) // (pool.jobs * 8)))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        context = _Render(pages, [spec for spec, _s, _o in plan], staging, spare, mirror, memo is not None)
        problems = Collector()
        per_worker = max(1, PAGES_PER_WORKER // max(1, len(chunks[0])))
        with pool.run(_render_chunk, context, chunks, ordered=False, min_items=2, tasks_per_worker=per_worker) as done:
            for failed, payload in done:
                if failed:
                    problems.problems.extend(payload)
                    continue
                for index, files, wrote in payload:
                    results[index] = files
                    written += wrote
        problems.raise_if_any()
        paths = [rel for index in sorted(results) for rel, _d in results[index]]
        if staging.reused:
            # pages gone since, Pagefind's index, anything stray
            staging.prune(set(paths), spare, spare_written_at)
        keep = spare_path if known else None
        added: list[str] = []
        if before_swap is not None:
            same = False
            if memo is not None and known:
                new_files = {rel: d for files in results.values() for rel, d in files}
                same = new_files == memo.site_files()[0]
            added = before_swap(staging.path, same)
        staging.commit(paths, [*written, *added], keep=keep)
    except BaseException:
        staging.abort()
        if mirror is not None:
            mirror.abort()
        raise
    mirrored = False
    if mirror is not None:
        try:
            replace_folder(mirror.path, spare_path)
            mirrored = True
        except OSError:
            mirror.abort()  # no spare: the next build links its unchanged pages instead
    written_at = time.time_ns()  # nothing of ours writes into the new site after this
    if memo is not None:
        records = {plan[index][0].key: PageRecord(plan[index][1] or "", files) for index, files in results.items()}
        if mirrored:  # the spare holds the same files as the new site
            new_spare = (spare_path, {rel: d for files in results.values() for rel, d in files}, written_at)
        elif keep is not None:  # the replaced site is the spare now
            files, site_written_at = memo.site_files()
            new_spare = (spare_path, files, site_written_at)
        else:
            new_spare = None
        memo.record_site(records, written_at, new_spare)
    return WriteReport(len(paths), len(written), sum(1 for rel in paths if rel.endswith(".html")),
                       sum(1 for rel in written if rel.endswith(".html")))


@dataclass
class _Render:
    """What a render worker gets through its initializer."""

    pages: PageSet
    specs: list[Any]
    staging: Staging
    spare: dict[str, str]  # what the folder being updated already holds: path -> content hash
    mirror: Staging | None
    record: bool  # hash every file (for the build cache)


def _render_chunk(ctx: _Render, indices: list[int], remote: bool) -> tuple[bool, list]:
    """Render some specs into the staging folder, in a worker or here: (failed, problems) or
    (False, [(spec index, files with their hashes, files written)]). A file whose bytes the
    reused folder already holds is not written again."""
    done = []
    try:
        for index in indices:
            files = []
            wrote = []
            for rel, data in ctx.pages.render(ctx.specs[index]):
                digest = hashlib.blake2b(data, digest_size=16).hexdigest() if ctx.record else ""
                if not digest or ctx.spare.get(rel) != digest:
                    ctx.staging.replace(rel, data)
                    wrote.append(rel)
                    if ctx.mirror is not None:
                        ctx.mirror.link(rel, ctx.staging.path)
                files.append((rel, digest))
            done.append((index, tuple(files), wrote))
    except (BuildError, BuildErrors) as exc:
        return True, list(exc.problems)
    return False, done


class Staging:
    """A fresh folder beside `target` that becomes the new site in one swap.

    Pages are written (`write`) or, when an incremental build knows they did not change,
    hard-linked from the current site (`link`: no copy, and the current site's file is never
    modified, so the old site stays whole until the swap). `commit` checks the full list of
    paths, makes the new files durable and swaps; on any failure `abort` removes the folder
    and the previous site is untouched. Worker processes may `write` into the same folder.
    """

    def __init__(self, target: Path, reuse: Path | None = None, kind: str = "new"):
        """A new empty folder, or with `reuse` an existing one (the previous generation kept by
        an incremental build, see `commit(keep=…)`) that the caller updates file by file.
        `kind` names the new folder (`.site.<kind>-…`); "mirror" is a copy of hard links
        that becomes the spare folder, and a new one removes those of killed builds."""
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        if reuse is not None:
            self.path = Path(reuse)
        else:
            if kind != "new":
                for leftover in self.target.parent.glob(f".{self.target.name}.{kind}-*"):
                    shutil.rmtree(leftover, ignore_errors=True)
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.{kind}-", dir=self.target.parent))
        self.reused = reuse is not None
        self.root = str(self.path)
        self._dirs: set[str] = {""}

    def _place(self, rel: str) -> str:
        # plain string checks: PurePosixPath per file costs more than the check is worth
        if not rel or rel.startswith("/") or ".." in rel.split("/"):
            raise BuildError(rel, None, "output path escapes the site folder")
        folder = os.path.dirname(rel)
        if folder not in self._dirs:
            self._make_dir(folder)
        return os.path.join(self.root, rel)

    def _make_dir(self, folder: str) -> None:
        """Create `folder` (relative) and its missing parents: one mkdir per new folder, each
        parent known to exist (os.makedirs stats every level of every path first)."""
        missing = []
        while folder not in self._dirs:
            missing.append(folder)
            folder = os.path.dirname(folder)
        try:
            for new in reversed(missing):
                os.mkdir(os.path.join(self.root, new))
        except OSError:
            # there already (a reused folder, another worker) or in the way: makedirs of the
            # whole path decides, so the errors are exactly those of the plain path
            os.makedirs(os.path.join(self.root, missing[0]), exist_ok=True)
        self._dirs.update(missing)

    def write(self, rel: str, data: bytes) -> None:
        try:
            # O_EXCL: two pages on one path fail loudly. os.open/os.write: no buffered file
            # object for a file written in one call.
            fd = os.open(self._place(rel), _WRITE_FLAGS, 0o666)
        except FileExistsError:
            raise BuildError(rel, None, "two pages would be written to the same path") from None
        except (IsADirectoryError, NotADirectoryError):
            raise BuildError(rel, None, "output path is both a file and a folder") from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def replace(self, rel: str, data: bytes) -> None:
        """`write` over a file a reused folder may hold. Unlink first: the old file may be a
        hard link shared with the live site, which must never change in place."""
        if self.reused:
            self.remove(rel)
        self.write(rel, data)

    def link(self, rel: str, source_root: Path) -> None:
        """Reuse the current site's file for `rel` (raises FileNotFoundError if it is gone)."""
        if self.reused:
            self.remove(rel)
        os.link(os.path.join(source_root, rel), self._place(rel))

    def mtime_ns(self, rel: str) -> int:
        return os.stat(os.path.join(self.root, rel)).st_mtime_ns

    def remove(self, rel: str) -> None:
        try:
            os.unlink(os.path.join(self.root, rel))
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            shutil.rmtree(os.path.join(self.root, rel))

    def prune(self, keep: set[str], known=(), since_ns: int = 0) -> None:
        """Delete every file (and then folder) of a reused folder that is not in `keep`.

        `known`: the files the build that wrote the folder wrote; `since_ns`: when that build
        finished (0: unknown). Known files not kept are deleted by name, folders no kept file
        is in are removed whole, and a kept folder is read only when its mtime says an entry
        was added or removed since (the top folder, where Pagefind writes its index, always):
        one stat per folder instead of reading every folder of the site. Without `since_ns`
        every folder is read."""
        threshold = since_ns - 50_000_000  # file times come from a clock that may lag by a tick
        root = self.root

        def folders_of(paths) -> set[str]:
            found = {""}
            for rel in paths:
                folder = rel.rpartition("/")[0]
                while folder not in found:
                    found.add(folder)
                    folder = folder.rpartition("/")[0]
            return found

        kept = folders_of(keep)
        for folder in sorted(folders_of(known) - kept):
            shutil.rmtree(os.path.join(root, folder), ignore_errors=True)
            self._dirs.discard(folder)
        for rel in known:
            if rel not in keep:
                self.remove(rel)
        for folder in sorted(kept):
            path = os.path.join(root, folder)
            try:
                if folder and since_ns and os.stat(path).st_mtime_ns < threshold:
                    continue
                with os.scandir(path) as found:
                    entries = list(found)
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if rel not in kept:
                        shutil.rmtree(entry.path)
                        self._dirs.discard(rel)
                elif rel not in keep:
                    os.unlink(entry.path)

    def commit(self, paths: list[str], written: list[str] | None = None, keep: Path | None = None) -> None:
        """Check `paths` (every output), flush the files written in this build, swap in.
        With `keep`, the replaced site is moved there instead of deleted (an incremental
        build updates it into the next site: deleting and re-creating thousands of folders
        costs more than rendering the pages that changed)."""
        check_outputs([(rel, b"") for rel in paths])
        _fsync_files(self.path, paths if written is None else written)
        os.chmod(self.path, 0o755)
        guard.mark(self.path)  # the next build's proof that this folder is its own (builder/guard.py)
        swap_in(self.path, self.target, keep=keep)
        parent = self.target.parent
        for leftover in [*parent.glob(f".{self.target.name}.old-*"), *parent.glob(f".{self.target.name}.spare.old-*")]:
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in parent.glob(f".{self.target.name}.new-*"):
            # staging folders of builds that were killed earlier
            if leftover != self.path:
                shutil.rmtree(leftover, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def swap_in(staging: Path, target: Path, keep: Path | None = None) -> None:
    """Move `staging` to `target`; the old target survives until the new one is in place
    (then it is deleted, or moved to `keep`)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise BuildError(str(target), None, "output folder is not a plain folder; refusing to replace it")
    if target.exists():
        if _exchange(staging, target):
            # staging now holds the old site
            if keep is None:
                shutil.rmtree(staging, ignore_errors=True)
            elif Path(staging) != Path(keep):
                _discard(keep)
                os.rename(staging, keep)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
        if keep is None:
            shutil.rmtree(old, ignore_errors=True)
        else:
            _discard(keep)
            os.rename(old, keep)
    else:
        os.rename(staging, target)


def link_tree(source: Path, dest: Path, not_after_ns: int) -> list[str] | None:
    """Hard-link every file under `source` into `dest` (a new folder); the files' relative
    paths, or None (and no `dest`) when `source` is missing or a file in it was modified after
    `not_after_ns` (by hand: the build that wrote it had finished), so it must be made anew."""
    linked: list[str] = []
    try:
        for folder, _dirs, files in os.walk(source, onerror=_raise):
            rel_folder = os.path.relpath(folder, source)
            os.makedirs(os.path.join(dest, rel_folder), exist_ok=True)
            for name in files:
                path = os.path.join(folder, name)
                if os.lstat(path).st_mtime_ns > not_after_ns or os.path.islink(path):
                    raise FileNotFoundError(path)
                rel = name if rel_folder == "." else f"{rel_folder}/{name}"
                os.link(path, os.path.join(dest, rel))
                linked.append(rel)
    except OSError:
        shutil.rmtree(dest, ignore_errors=True)
        return None
    return sorted(linked) if linked else None


def _raise(exc: OSError) -> None:
    raise exc


def replace_folder(source: Path, target: Path) -> None:
    """Move the folder `source` to `target`, removing whatever `target` was."""
    _discard(target)
    os.rename(source, target)


def _discard(folder: Path) -> None:
    """Remove a folder by first renaming it aside (so its name is free at once)."""
    if os.path.lexists(folder):
        aside = Path(tempfile.mkdtemp(prefix=f"{Path(folder).name}.old-", dir=Path(folder).parent))
        os.rmdir(aside)
        os.rename(folder, aside)
        shutil.rmtree(aside, ignore_errors=True)


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


def _fsync_files(root: Path, rels) -> None:
    """Make new files durable before the rename that publishes them (a power cut must not
    leave a swapped-in site of empty files). Hard-linked files were flushed by the build that
    wrote them. Many files: one syncfs(2) of the folder's file system instead of one fsync per
    file (bench/README.md); a few files (an edit rebuild): fsync each, which does not wait for
    unrelated writes elsewhere on the disk."""
    if os.environ.get("BRIEFING_NO_FSYNC"):
        return
    rels = list(rels)
    if len(rels) >= SYNCFS_MIN_FILES and _syncfs(root):
        return

    def sync(rel: str) -> None:
        fd = os.open(os.path.join(root, rel), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    if len(rels) < 64:
        for rel in rels:
            sync(rel)
        return
    from concurrent.futures import ThreadPoolExecutor

    # fsync waits on the disk, not the CPU, so a few threads keep it busy
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(sync, rels, chunksize=64):
            pass


SYNCFS_MIN_FILES = 256


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding `folder` (Linux syncfs(2), which reports write-back
    errors since 5.8); False where there is no syncfs, so the caller fsyncs file by file."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if syncfs(fd) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"syncfs: {os.strerror(errno)}", str(folder))
    finally:
        os.close(fd)
    return True


def write_bytes_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write one file so that readers see the old or the new content, never half of it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write one UTF-8 text file (LF line ends) atomically and durably."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, text.encode("utf-8"), sync=True)

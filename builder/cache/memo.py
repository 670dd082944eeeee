"""The build cache as the stages see it: one `Memo` per build.

    memo.scan() / memo.fingerprint(path)     inputs and their content hashes
    memo.up_to_date(search)                  did anything change since the last build?
    memo.get(kind, key) / memo.put(...)      values by content key (a parsed file, a table)
    memo.note_source(slug, role, hash)       what a briefing's pages are made of (its .md, .po)
    memo.page(key, signature)                what a page of the current site was made from
    memo.spare(folder) / memo.record_site()  the site folder and the spare kept beside it
    memo.commit(report)                      save it all, after the new site is in place

A stage given no memo computes everything (a cold build); given one, it reuses what the memo
holds under the same content key. Keys name the content they were made from (a file's hash),
never a time, so a value is either right or not found. Values a build does not ask for are
dropped when it commits. How and where this is kept is store.py's business alone.

The cache is only trusted for the site folder it was written for: the manifest records that
folder's identity (inputs.site_identity), which changes with every swap. A cache that does not
match (site/ deleted or replaced, a build killed between the swap and the commit, another
version of the builder) is not used for pages, and the build renders every page again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from builder.cache import inputs, seal, store
from builder.cache.plan import PageRecord
from builder.cache.store import LAZY_KINDS, State
from builder.config import Config
from builder.session import Session

CACHE_DIR = ".briefing-cache"


class Memo:
    def __init__(self, config: Config, session: Session, cold: bool = False):
        """`cold`: do not use what the cache holds (it was found damaged), only write it anew."""
        session.wait_for_saving()
        if cold:
            session.memos.clear()
        self.config = config
        self.session = session
        self.folder = config.root / CACHE_DIR
        self.manifest, why = store.read_manifest(self.folder)
        if why:
            session.note(why)
        try:
            # seals the pickles (cache/seal.py): a crafted one in the cache folder never runs
            self.key: bytes | None = seal.project_key(config.root)
        except OSError as exc:
            self.key = None
            session.note(f"no cache key ({exc}); the cache is neither read nor saved")
        if not session.stats:
            try:
                session.stats.update(store.read_stats(self.folder, self.key))
            except FileNotFoundError:
                pass
            except seal.Unsealed as exc:
                session.note(f"{exc}; hashing every input")
            except Exception as exc:  # damaged: every input is hashed again
                session.note(f"stat.pickle unreadable ({exc}); hashing every input")
        self.inputs: dict[str, str] = {}
        self._state: State | None = None
        self._used: dict[str, set[Any]] = {}
        self._sources: dict[str, dict[str, str | None]] = {}
        self._spare_id: list[int] | None = None
        self._site_ok: bool | None = None
        self._cold = cold

    # -- inputs --------------------------------------------------------------------------
    def scan(self) -> None:
        """Hash every input (again: after the translate stage wrote the memory)."""
        self.inputs = inputs.scan(self.config, self.session.stats, self.session.code)

    def fingerprint(self, path: str | os.PathLike[str]) -> str | None:
        """Content hash of an input file as scanned (None: not an input, or missing)."""
        return self.inputs.get(os.fspath(path))

    def site_matches(self) -> bool:
        """Is site/ the folder this cache describes? (Asked before this build swaps it.)"""
        if self._site_ok is None:
            self._site_ok = bool(self.manifest) and \
                self.manifest.get("site") == inputs.site_identity(self.config.output)
            if self.manifest and not self._site_ok:
                self.session.note(f"{self.config.output_dir}/ is not the folder the cache describes (deleted, "
                                  "replaced, or a build stopped before saving the cache); every page is rendered")
        return self._site_ok

    def up_to_date(self, search: bool) -> bool:
        """Nothing changed since the last build, and site/ is what it wrote."""
        self.scan()
        if not self.site_matches():
            return False
        if self.manifest.get("inputs") != inputs.digest_of(self.inputs) or \
                (search and self.manifest.get("search") is not True):
            return False
        touched = inputs.touched_after(self.config.output, self.manifest.get("written_at", 0))
        if touched is not None:
            self.session.note(f"{touched} changed after the build that wrote it; building again")
            return False
        return True

    @property
    def last_report(self) -> list[str]:
        return list(self.manifest.get("report", []))

    # -- the state -----------------------------------------------------------------------
    @property
    def state(self) -> State:
        if self._state is None:
            self._state = self._load_state()
        return self._state

    def _load_state(self) -> State:
        code = self.session.code
        if self._cold:
            return State(code=code)
        live = self.session.memos.get(str(self.folder))
        if live is not None and live[0] == self.manifest and live[1].code == code:
            self.session.pinyin.table.update(live[1].pinyin)
            return live[1]  # the same process built last (`serve`): it is what the files hold
        state = State(code=code)
        if self.manifest:
            try:
                found = store.read_state(self.folder, self.key)
            except seal.Unsealed as exc:
                self.session.note(f"{exc}; rebuilding everything")
            except Exception as exc:  # damaged or truncated: a cold build
                self.session.note(f"state unreadable ({type(exc).__name__}: {exc}); rebuilding everything")
            else:
                if found.code == code:
                    state = found
                else:
                    self.session.note("state written by another version of the builder; rebuilding everything")
        self.session.pinyin.table.update(state.pinyin)
        return state

    # -- values by content key -----------------------------------------------------------
    def get(self, kind: str, key: Any) -> Any:
        """The value kept under `key`, or None."""
        entries = self.state.values.get(kind)
        value = entries.get(key) if entries is not None else None
        if value is not None:
            self._used.setdefault(kind, set()).add(key)
        return value

    def put(self, kind: str, key: Any, value: Any, pickled: bytes | None = None) -> Any:
        """Keep `value` under `key` (`pickled`: its pickle, when a worker made one) and return it."""
        self.state.values.setdefault(kind, {})[key] = value
        self._used.setdefault(kind, set()).add(key)
        if pickled is not None and kind in LAZY_KINDS:
            self.state.keep_blob(self.folder, kind, key, pickled)
        return value

    # -- what each briefing's pages are made of ------------------------------------------
    def note_source(self, slug: str, role: str, digest: str | None) -> None:
        """One of the files a briefing's pages are made of (`role` "md": its text, by
        load_site; "po": its translation memory, by attach_translations)."""
        self._sources.setdefault(slug, {})[role] = digest

    def source(self, slug: str) -> tuple[tuple[str, str | None], ...]:
        """The files `slug`'s pages are made of, with their hashes (a content key)."""
        return tuple(sorted(self._sources.get(slug, {}).items()))

    # -- the site folder -----------------------------------------------------------------
    def knows_site(self) -> bool:
        """Does the cache know what every page of the current site was made from?"""
        return self.site_matches() and bool(self.state.pages)

    def site_files(self) -> tuple[dict[str, str], int]:
        """Every file of the current site (path -> content hash) and when it was written."""
        files = {rel: digest for record in self.state.pages.values() for rel, digest in record.files}
        return files, self.state.folders.site_written_at

    def page(self, key: str, signature: str) -> PageRecord | None:
        """What page `key` of the current site was made from, if its signature is `signature`."""
        if not self.site_matches():
            return None
        record = self.state.pages.get(key)
        return record if record is not None and record.signature == signature else None

    def spare(self, folder: Path) -> tuple[dict[str, str], int] | None:
        """What the spare folder holds (path -> hash) and when it was written, if known."""
        folders = self.state.folders
        if not (self.site_matches() and self.state.pages and folders.spare is not None):
            return None
        identity = inputs.site_identity(folder)
        if identity is None or self.manifest.get("spare") != identity:
            self.session.note(f"{folder.name} is not the spare folder the cache describes; not reused")
            return None
        return folders.spare, folders.spare_written_at

    def forget_spare(self) -> None:
        """Before the spare folder is changed: the manifest must not vouch for it any more."""
        self.manifest = {k: v for k, v in self.manifest.items() if k != "spare"}
        live = self.session.memos.get(str(self.folder))
        if live is not None:
            self.session.memos[str(self.folder)] = (self.manifest, live[1])
        self._write_manifest(self.manifest)

    def record_site(self, pages: dict[str, PageRecord], written_at: int,
                    spare: tuple[Path, dict[str, str], int] | None) -> None:
        """The pages of the site just swapped in, when it was written, and the spare folder
        beside it with its files and their write time (None: there is none)."""
        state = self.state
        state.pages = pages
        state.folders.site_written_at = written_at
        if spare is None:
            state.folders.spare, state.folders.spare_written_at = None, 0
            self._spare_id = None
        else:
            folder, files, spare_written_at = spare
            state.folders.spare, state.folders.spare_written_at = files, spare_written_at
            self._spare_id = inputs.site_identity(folder)

    # -- saving --------------------------------------------------------------------------
    @property
    def last_pages(self) -> int:
        """How many HTML pages the last build's site has."""
        return int(self.manifest.get("pages", 0))

    def commit(self, report: list[str], search: bool = False, pages: int = 0) -> None:
        """Save the cache for the site now in place (a build stopped before this is cold next
        time); `search`: the site has its search index (made before the swap)."""
        state = self.state
        for kind in list(state.values):
            used = self._used.get(kind, set())
            state.values[kind] = {k: v for k, v in state.values[kind].items() if k in used}
        state.pinyin = dict(self.session.pinyin.table)
        manifest = {"format": store.FORMAT, "inputs": inputs.digest_of(self.inputs),
                    "site": inputs.site_identity(self.config.output), "search": bool(search),
                    "report": list(report), "pages": pages, "spare": self._spare_id,
                    "written_at": state.folders.site_written_at}
        self.manifest = manifest
        self._site_ok = None
        self.session.memos.clear()
        self.session.memos[str(self.folder)] = (manifest, state)
        key = self.key
        if key is None:
            return  # nothing can be sealed: the next build is a cold one
        try:
            store.ensure_folder(self.folder)
            stats = {k: v for k, v in self.session.stats.items() if self.inputs.get(k) == v[4]}
            store.write_stats(self.folder, stats, key)
            # "no site" first, so a stop between the writes cannot pair a new state with an old manifest
            store.write_manifest(self.folder, {"format": store.FORMAT})
        except OSError as exc:
            self.session.note(f"cannot write {self.folder} ({exc}); the next build is a cold one")
            return
        folder = self.folder

        def finish() -> None:
            try:
                store.write_state(folder, state, key)
                store.write_manifest(folder, manifest)
            except OSError as exc:
                self.session.note(f"cannot write {folder} ({exc}); the next build is a cold one")

        self.session.save(finish)

    def has_search_index(self) -> bool:
        """Does the current site (the one this cache describes) hold its whole search index?"""
        return self.site_matches() and self.manifest.get("search") is True

    def site_written_at(self) -> int:
        """When the build that wrote the current site finished (time.time_ns(); 0: unknown)."""
        return self.state.folders.site_written_at

    def site_identity(self) -> list[int] | None:
        return inputs.site_identity(self.config.output)

    def _write_manifest(self, manifest: dict) -> None:
        try:
            store.ensure_folder(self.folder)
            store.write_manifest(self.folder, manifest)
        except OSError as exc:
            self.session.note(f"cannot write {self.folder}/manifest.json ({exc})")

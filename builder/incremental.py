"""Incremental builds: content hashes and a build cache decide what to redo.

The cache lives in `.briefing-cache/` at the project root (git-ignored; deleting it only
makes the next build a cold one). It holds

- `manifest.json`: a hash of every input (content/, the theme, pyproject.toml, the builder's
  own code, SOURCE_DATE_EPOCH, the effective config) and the identity of the site folder it
  describes. When nothing changed and site/ is that folder, a build does nothing at all.
- `stat.pickle`: each input file's stat (mtime, ctime, inode, size) and hash, so a build
  hashes only files whose stat moved (files younger than 2 s are always hashed again).
- `state.pickle`: parsed briefings and their translation tables by content hash, each
  pickled on its own (saving pickles only new ones; a table is unpickled only when a page
  shows it), which enterprises each briefing names with the fingerprints of its card and
  quoted sentences, per-briefing translation counts, pinyin, and for every render job its
  signature (a hash of what its pages show) and the files it wrote.
- `jinja/`: compiled templates.

A rebuild re-renders only jobs whose signature changed. The new site is made in the spare
folder `.site.spare`, the previous generation of the site that the last build kept beside
it: only the files that differ are written there (never in place: a file may be a hard link
shared with the live site), then it is swapped in as in a cold build and the replaced site
becomes the next spare. A cold build makes the spare by hard-linking each page into a
mirror folder as it writes it. Without a usable spare, unchanged pages are hard-linked from
the current site into a new folder. So a failed build still leaves the previous site whole,
a killed one leaves the old or the new site, and output is byte-identical to a cold build
(tests/test_incremental.py checks it).

The cache is only trusted for the site folder it was written for: the manifest records that
folder's device, inode and ctime, which change with every swap. A cache that does not match (site/
deleted or replaced, a build killed between the swap and saving the cache, a different
builder version) is ignored and the build is a cold one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector
from builder.model import Site

CACHE_DIR = ".briefing-cache"
# cache folder -> (manifest, State) of the last build in this process, so `serve` does not
# read back the state it has just written
_LIVE: dict[str, tuple[dict, State]] = {}
# `serve` sets this: the state file is written in a thread while the browser already reloads
BACKGROUND_SAVE = False
_SAVING: list = []


def wait_for_saving() -> None:
    while _SAVING:
        _SAVING.pop().join()
FORMAT = 2
BUILDER = Path(__file__).resolve().parent


def tune_gc() -> None:
    """A build allocates millions of small, long-lived objects (parsed briefings, translations,
    the cached state): with the default thresholds the collector walks them over and over
    (about a third of an edit rebuild at N=1000). Collect far less often; the garbage the
    build makes is almost all freed by reference counting anyway."""
    import gc

    gc.set_threshold(100_000, 50, 100)


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def code_fingerprint() -> str:
    """The builder's own source: a new version of the code starts from a cold cache."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    for path in sorted(BUILDER.rglob("*.py")):
        digest.update(str(path.relative_to(BUILDER)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _walk(folder: Path) -> list[str]:
    """Every file under `folder` (no hidden ones), sorted, as path strings (Path objects for
    a few thousand files cost more than the rest of a no-change build)."""
    found = []
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [os.path.join(dirpath, name) for name in sorted(filenames) if not name.startswith(".")]
    return found


# path -> (mtime_ns, ctime_ns, inode, size, hash) from earlier scans: in this process
# (`serve`) and, through `.briefing-cache/stat.pickle`, from the last build. A file whose
# mtime or ctime is within 2 s of the scan that hashed it is hashed again next time (an edit
# in the same clock tick would not move them); any write moves ctime, which no tool can set.
_SCANNED: dict[str, tuple[int, int, int, int, str]] = {}


def scan_inputs(config: Config) -> dict[str, str]:
    """Input file -> content hash, plus the settings that shape the output."""
    inputs: dict[str, str] = {}
    recent = time.time_ns() - 2_000_000_000
    for key in _walk(config.content) + _walk(config.theme_dir):
        try:
            st = os.stat(key)
            known = _SCANNED.get(key)
            if known is not None and known[:4] == (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size):
                inputs[key] = known[4]
                continue
            with open(key, "rb") as handle:
                inputs[key] = _hash(handle.read())
            if st.st_mtime_ns < recent and st.st_ctime_ns < recent:
                _SCANNED[key] = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size, inputs[key])
            else:
                _SCANNED.pop(key, None)
        except OSError:
            inputs[key] = "unreadable"
    pyproject = config.root / "pyproject.toml"
    if pyproject.is_file():
        inputs[str(pyproject)] = _hash(pyproject.read_bytes())
    inputs["~config"] = repr(config)
    inputs["~epoch"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    inputs["~code"] = code_fingerprint()
    return inputs


def _load_stats(folder: Path) -> None:
    if _SCANNED:
        return
    try:
        with open(folder / "stat.pickle", "rb") as handle:
            data = pickle.load(handle)
        if isinstance(data, dict):
            _SCANNED.update(data)
    except Exception:
        pass


def _save_stats(folder: Path, inputs: dict[str, str]) -> None:
    from builder.write import write_bytes_atomic

    data = {k: v for k, v in _SCANNED.items() if inputs.get(k) == v[4]}
    try:
        write_bytes_atomic(folder / "stat.pickle", pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL),
                           sync=False)
    except OSError:
        pass


def _digest_of(inputs: dict[str, str]) -> str:
    return _hash(json.dumps(inputs, sort_keys=True).encode())


def _site_id(target: Path) -> list[int] | None:
    try:
        st = os.stat(target)
    except OSError:
        return None
    # the inode alone is not enough: a folder made after `rm -rf site` may get the same one;
    # ctime changes with every rename and every entry added or removed at the top
    return [st.st_dev, st.st_ino, st.st_ctime_ns]


@dataclass
class State:
    code: str = ""
    briefings: dict = field(default_factory=dict)  # rel path -> (md hash, Briefing)
    glossary: dict = field(default_factory=dict)  # glossary file -> (hash, (Enterprise, ...))
    taxonomy: tuple = ()  # (hash, (districts, industries)) of content/taxonomy.yaml
    translations: dict = field(default_factory=dict)  # slug -> ((md hash, po hash), {seg id: Translation}, fp)
    analysis: dict = field(default_factory=dict)  # see render.Renderer._analyse
    pinyin: dict = field(default_factory=dict)
    jobs: dict = field(default_factory=dict)  # job key -> (signature, [(path, hash, _)], [sitemap tails])
    site_files: dict = field(default_factory=dict)  # files of the site outside jobs (the sitemap) -> hash
    spare: dict | None = None  # path -> hash of the previous site, kept as .site.spare
    coverage: dict = field(default_factory=dict)  # slug -> (translation key, Counts of that briefing)
    # when the build that wrote the current site and the spare finished (time.time_ns; 0:
    # unknown): a folder of theirs whose mtime is older has had nothing added since
    site_written_at: int = 0
    spare_written_at: int = 0
    # the parsed briefings and translation tables, each pickled on its own: saving the state
    # pickles only what changed, and a translation table is unpickled only when a page needs
    # it (LazyTable). On disk they live in an append-only pack file beside the state, so a
    # save appends the few new ones instead of writing them all again.
    blobs: dict = field(default_factory=dict)  # blob key -> pickled object
    pack_name: str = ""  # the pack file in the cache folder
    pack_index: dict = field(default_factory=dict)  # blob key -> (offset, length) in it

    def __getstate__(self) -> dict:
        """Pickled form: briefings and tables by blob key; the blobs are in the pack file
        (`write_pack` first)."""
        data = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        data["blobs"] = {}
        data["briefings"] = {rel: (h, _card_fields(b)) for rel, (h, b) in self.briefings.items()}
        data["translations"] = {slug: (key, None, fp) for slug, (key, _t, fp) in self.translations.items()}
        return data

    def read_pack(self, folder: Path) -> None:
        """After unpickling: the blobs from the pack, and the objects made from them, each
        unpickled when first used (CachedBriefing, LazyTable)."""
        with open(folder / self.pack_name, "rb") as handle:
            data = memoryview(handle.read())
        blobs = {}
        for key, (offset, length) in self.pack_index.items():
            if offset + length > len(data):
                raise ValueError(f"{self.pack_name} is shorter than the state says")
            blobs[key] = data[offset:offset + length]
        self.briefings = {rel: (h, CachedBriefing(blobs[_bkey(rel, h)], fields))
                          for rel, (h, fields) in self.briefings.items()}
        self.translations = {slug: (key, LazyTable(blobs[_tkey(slug, key)]), fp)
                             for slug, (key, _n, fp) in self.translations.items()}
        self.blobs = {}  # the tables keep their own bytes; the rest is on disk

    def keep_blob(self, folder: Path | None, key: str, blob) -> None:
        """A new blob (a worker's pickle): appended to the pack at once when there is a
        cache folder, so the build does not hold every pickle in memory until it saves
        (~85 MB at N=4000); the state on disk only ever points at what came before."""
        if folder is None:
            return
        if key in self.pack_index:
            return
        try:
            stream = self.__dict__.get("_stream")
            if stream is None:
                folder.mkdir(exist_ok=True)
                if not self.pack_name or not (folder / self.pack_name).is_file():
                    self.pack_name, self.pack_index = f"blobs-{os.urandom(6).hex()}.pack", {}
                stream = self._stream = open(folder / self.pack_name, "ab", buffering=0)
                self._stream_end = stream.seek(0, os.SEEK_END)
            stream.write(blob)
            self.pack_index[key] = (self._stream_end, len(blob))
            self._stream_end += len(blob)
        except OSError:
            self.blobs[key] = blob  # written with the state, or not at all

    def close_stream(self) -> None:
        stream = self.__dict__.pop("_stream", None)
        if stream is not None:
            stream.close()

    def current_keys(self) -> dict:
        """Blob key -> object for every briefing and table the state holds now."""
        keys = {_bkey(rel, h): briefing for rel, (h, briefing) in self.briefings.items()}
        keys.update({_tkey(slug, tkey): table for slug, (tkey, table, _fp) in self.translations.items()})
        return keys

    def write_pack(self, folder: Path) -> None:
        """Append the blobs the pack does not hold yet; when more than half of it is dead,
        write a new pack instead (under a new name: the state on disk still points into
        the old one until the new state replaces it)."""
        self.close_stream()
        current = self.current_keys()
        path = folder / self.pack_name if self.pack_name else None
        size = path.stat().st_size if path is not None and path.is_file() else None
        # (a pack deleted under a running `serve`: everything is pickled again from memory)
        index = {k: v for k, v in self.pack_index.items() if k in current} if size is not None else {}
        new = {}
        for key, obj in current.items():
            if key in index:
                continue
            blob = self.blobs.get(key)
            if blob is None:
                if isinstance(obj, LazyTable):
                    blob = obj.blob
                elif isinstance(obj, CachedBriefing):
                    blob = obj._blob
                else:
                    blob = pickle.dumps(obj if not isinstance(obj, Mapping) else dict(obj), protocol=pickle.HIGHEST_PROTOCOL)
            new[key] = blob
        live = sum(length for _o, length in index.values()) + sum(len(blob) for blob in new.values())
        if size is None or size > 2 * live + (1 << 16):
            old = open(path, "rb") if size is not None else None
            name = f"blobs-{os.urandom(6).hex()}.pack"
            fresh, offset = {}, 0
            try:
                with open(folder / name, "wb") as handle:
                    for key in current:
                        if key in new:
                            blob = new[key]
                        else:
                            old.seek(index[key][0])
                            blob = old.read(index[key][1])
                        handle.write(blob)
                        fresh[key] = (offset, len(blob))
                        offset += len(blob)
            finally:
                if old is not None:
                    old.close()
            self.pack_name, index = name, fresh
        else:
            with open(path, "ab") as handle:
                offset = handle.seek(0, os.SEEK_END)
                for key, blob in new.items():
                    handle.write(blob)
                    index[key] = (offset, len(blob))
                    offset += len(blob)
        self.pack_index = index
        self.blobs = {}


_CARD_FIELDS = ("slug", "path", "date", "aliases", "districts", "industries", "enterprises")


class CachedBriefing:
    """A parsed briefing from the cache: what planning a rebuild reads (slug, date, aliases,
    terms, enterprises) at once, everything else unpickled on first use. An edit rebuild at
    N=1000 then unpickles the briefings whose pages it renders, not all 1,000 (0.08 s)."""

    checked = True  # it passed check_site's per-briefing checks in the build that cached it

    def __init__(self, blob, fields: tuple):
        self.__dict__["_blob"] = blob
        self.__dict__["_full"] = None
        self.__dict__.update(zip(_CARD_FIELDS, fields))

    def full(self):
        if self._full is None:
            self.__dict__["_full"] = pickle.loads(self._blob)
        return self._full

    def __getattr__(self, name: str):  # only for what is not set above
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __setattr__(self, name, value):
        raise AttributeError("a briefing is read-only")

    def __reduce__(self):
        return pickle.loads, (bytes(self._blob),)


def _card_fields(briefing) -> tuple:
    return tuple(getattr(briefing, name) for name in _CARD_FIELDS)


def _bkey(rel: str, md_hash: str) -> str:
    return f"b:{rel}:{md_hash}"


def _tkey(slug: str, key: tuple) -> str:
    return f"t:{slug}:{key[0]}:{key[1]}"


class LazyTable(Mapping):
    """A briefing's translation table (segment id -> Translation), unpickled on first use."""

    __slots__ = ("_data", "blob")

    def __init__(self, blob: bytes, data: dict | None = None):
        self.blob = blob
        self._data = data

    def _load(self) -> dict:
        if self._data is None:
            self._data = pickle.loads(self.blob)
        return self._data

    def __getitem__(self, key):
        return self._load()[key]

    def get(self, key, default=None):
        return self._load().get(key, default)

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __reduce__(self):
        return LazyTable, (bytes(self.blob),)


class BuildCache:
    def __init__(self, config: Config, enabled: bool = True):
        wait_for_saving()
        self.config = config
        self.folder = config.root / CACHE_DIR
        self.enabled = enabled
        self.manifest = self._read_manifest() if enabled else {}
        if enabled:
            _load_stats(self.folder)
        self.inputs: dict[str, str] = {}
        self._state: State | None = None
        self.spare_id: list[int] | None = None

    # -- manifest --------------------------------------------------------------------
    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("format") == FORMAT else {}

    def site_matches(self) -> bool:
        """Is site/ the folder the cache describes?"""
        return bool(self.manifest) and self.manifest.get("site") == _site_id(self.config.output)

    def up_to_date(self, search: bool) -> bool:
        self.inputs = scan_inputs(self.config)
        return (self.site_matches() and self.manifest.get("inputs") == _digest_of(self.inputs)
                and (not search or self.manifest.get("search") is True))

    def forget_spare(self) -> None:
        """Before the spare folder is changed: the manifest must not vouch for it any more."""
        from builder.write import write_bytes_atomic

        self.manifest = {k: v for k, v in self.manifest.items() if k != "spare"}
        live = _LIVE.get(str(self.folder))
        if live is not None:
            _LIVE[str(self.folder)] = (self.manifest, live[1])
        try:
            write_bytes_atomic(self.folder / "manifest.json", json.dumps(self.manifest).encode())
        except OSError:
            pass

    def rescan(self) -> None:
        self.inputs = scan_inputs(self.config)

    # -- state -----------------------------------------------------------------------
    @property
    def state(self) -> State:
        if self._state is None:
            self._state = self._load_state()
        return self._state

    def _load_state(self) -> State:
        code = self.inputs.get("~code") or code_fingerprint()
        live = _LIVE.get(str(self.folder))
        if self.enabled and live is not None and live[0] == self.manifest and live[1].code == code:
            # the same process built last (`serve`): its state is what the file holds
            state = live[1]
            if not self.site_matches():
                state.jobs = {}
            return state
        if self.enabled and self.manifest:
            try:
                import gc

                gc.disable()  # a million objects are made here, none of them garbage
                try:
                    with open(self.folder / "state.pickle", "rb") as handle:
                        state = pickle.load(handle)
                    if isinstance(state, State):
                        state.read_pack(self.folder)
                finally:
                    gc.enable()
                gc.freeze()  # and later collections need not walk them
                if isinstance(state, State) and state.code == code:
                    if not self.site_matches():
                        state.jobs = {}  # parsed files are still good; pages must be rendered
                    return state
            except Exception:
                pass
        return State(code=code)

    def save(self, search: bool, report: list[str], state: bool = True) -> None:
        """Record the new site (call after the swap; a build killed before this is cold next time)."""
        if not self.enabled:
            return
        from builder.write import write_bytes_atomic

        try:
            self.folder.mkdir(exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
            wait_for_saving()
            _save_stats(self.folder, self.inputs)
            manifest = {"format": FORMAT, "inputs": _digest_of(self.inputs),
                        "site": _site_id(self.config.output), "search": search, "report": list(report),
                        "spare": self.spare_id if state else self.manifest.get("spare")}
            self.manifest = manifest
            _LIVE.clear()
            _LIVE[str(self.folder)] = (manifest, self.state)
            if not state:
                write_bytes_atomic(self.folder / "manifest.json", json.dumps(manifest).encode())
                return
            # the manifest goes first as "no site", so a kill between the writes cannot pair
            # a new state with an old manifest
            write_bytes_atomic(self.folder / "manifest.json", json.dumps({"format": FORMAT}).encode())
            folder, data = self.folder, self.state

            def finish() -> None:
                try:
                    # not fsynced: the state only saves work, and a damaged one fails to
                    # unpickle (each blob on its own too), which makes the build a cold one
                    data.write_pack(folder)
                    write_bytes_atomic(folder / "state.pickle", pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL),
                                       sync=False)
                    for old_pack in folder.glob("blobs-*.pack"):
                        if old_pack.name != data.pack_name:
                            old_pack.unlink()
                    write_bytes_atomic(folder / "manifest.json", json.dumps(manifest).encode())
                except OSError:
                    pass

            if BACKGROUND_SAVE:
                import threading

                # not a daemon: the process finishes the write before it exits
                _SAVING.append(threading.Thread(target=finish, name="build-cache-save"))
                _SAVING[-1].start()
            else:
                finish()
        except OSError:
            pass  # an unwritable cache folder costs speed, not correctness


def site_identity(config: Config) -> list[int] | None:
    return _site_id(config.output)


def note_search_index(config: Config, before: list[int] | None) -> None:
    """After Pagefind wrote into the site folder the cache last recorded (`before`: its
    identity before indexing): record the folder again (its ctime moved), so the next build
    is still incremental."""
    cache = BuildCache(config)
    if before is None or cache.manifest.get("site") != before:
        return
    from builder.write import write_bytes_atomic

    old = dict(cache.manifest)
    cache.manifest.update(site=_site_id(config.output), search=True)
    live = _LIVE.get(str(cache.folder))
    if live is not None and live[0] == old:
        _LIVE[str(cache.folder)] = (cache.manifest, live[1])
    try:
        write_bytes_atomic(cache.folder / "manifest.json", json.dumps(cache.manifest).encode())
    except OSError:
        pass


# ---- loading with the cache -----------------------------------------------------------

def _parse_one(config: Config, path: Path):
    """(rel, md hash, Briefing or problems) for one briefing file (runs in workers too)."""
    from builder import content

    rel = content._rel(config, path)
    try:
        text = content.read_text(config, path)
    except (BuildError, BuildErrors) as exc:
        return rel, None, list(exc.problems)
    md_hash = _hash(text.encode("utf-8"))
    try:
        return rel, md_hash, content.parse_briefing(text, rel)
    except (BuildError, BuildErrors) as exc:
        return rel, md_hash, list(exc.problems)


def _po_key(config: Config, inputs: dict[str, str], slug: str, md_hash: str) -> tuple:
    """What a briefing's translation table is made from: its text and its memory file."""
    # translate/memory.memory_path; not imported, so a stood-in translate stage works too
    return (md_hash, inputs.get(os.path.join(config.content, "translations", "en", f"{slug}.po")))


def _pool_map(func: Callable, items: list, jobs: int) -> list:
    """`func` over `items` in `jobs` forked processes, results in input order."""
    with _Pool(func, items, jobs) as results:
        return list(results)


class _Pool:
    """`func` over `items` in `jobs` forked processes, started at once; iterating gives the
    results in input order as they come, so the caller can work meanwhile and on each result.
    Small inputs run in this process. `_WORK["forked"]` tells `func` whether its results cross
    a process boundary."""

    def __init__(self, func: Callable, items: list, jobs: int):
        self.pool = None
        if jobs <= 1 or len(items) < 2 * jobs:
            _WORK["forked"] = False
            self.results = map(func, items)
            return
        import multiprocessing

        _WORK["forked"] = True
        _freeze()
        self.pool = multiprocessing.get_context("fork").Pool(jobs)
        # small chunks: a worker holds one chunk's parsed files (polib objects are big) at a time
        self.results = self.pool.imap(func, items, chunksize=max(1, min(32, len(items) // (jobs * 4))))

    def __iter__(self):
        return iter(self.results)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def _freeze() -> None:
    """Before forking: move every object to the GC's permanent generation, so the workers'
    garbage collections do not write to (and so copy) the parent's memory pages. No
    collection first (as the gc docs advise): it walked ~2 million objects each time (~0.1 s),
    and the little cyclic garbage a build makes may as well stay."""
    import gc

    gc.freeze()


_WORK: dict = {}  # what forked workers need (inherited, never pickled)
_PICKLE = pickle.HIGHEST_PROTOCOL


def _ship(obj):
    """What a worker returns: the object itself in this process, else its pickle, which the
    parent unpickles once and also keeps as the cache's blob (no second pickling on save)."""
    return pickle.dumps(obj, protocol=_PICKLE) if _WORK.get("forked") else obj


def _table_fp(key: tuple) -> str:
    """Fingerprint of what a briefing's pages show of it: its text and translation table,
    which are a function of the .md and .po files (the code is in every signature anyway),
    so their hashes stand for them (hashing the repr of 54 Translations cost more)."""
    return _hash(repr(key).encode())


def _attach_one(briefing, md_hash: str):
    """(key, table or its pickle, fingerprint) of one briefing, or the problems found,
    through translate.attach_translations (the stage's own contract)."""
    config = _WORK["config"]
    key = _po_key(config, _WORK["inputs"], briefing.slug, md_hash)
    try:
        part = _WORK["attach"](config, Site((briefing,), (), (), ()))
    except (BuildError, BuildErrors) as exc:
        return list(exc.problems)
    table = part.translations.get(briefing.slug, {})
    return key, _ship(table), _table_fp(key)


def _load_worker(path):
    """Parse one briefing; in a build without the engine also attach its translations now,
    while its text is at hand (one pass over the files instead of two)."""
    rel, md_hash, result = _parse_one(_WORK["config"], path)
    if isinstance(result, list):
        return rel, md_hash, result, None
    table = None
    if _WORK.get("attach") is not None:
        key = _po_key(_WORK["config"], _WORK["inputs"], result.slug, md_hash)
        if _WORK["known"].get(result.slug) != key:
            table = _attach_one(result, md_hash)
    return rel, md_hash, _ship(result), table


def _unship(state: State, key: str, payload, folder: Path | None):
    if isinstance(payload, bytes):
        state.keep_blob(folder, key, payload)
        return pickle.loads(payload)
    return payload


def load_site(config: Config, cache: BuildCache, jobs: int,
              attach: Callable | None = None) -> tuple[Site, dict[str, str]]:
    """Like content.load_site, reusing parsed briefings whose file did not change.
    With `attach` (translate.attach_translations; only when no engine will change the
    memory before rendering), the translations of the briefings parsed now are read in the
    same pass (`attach_translations` then finds them in the cache).
    Returns the site and slug -> md hash."""
    from builder import content

    problems = Collector()
    state = cache.state
    taxonomy_path = config.content / "taxonomy.yaml"
    districts, industries = (), ()
    taxonomy_hash = cache.inputs.get(str(taxonomy_path))
    try:
        if taxonomy_hash is not None and state.taxonomy and state.taxonomy[0] == taxonomy_hash:
            districts, industries = state.taxonomy[1]
        elif taxonomy_path.exists():
            districts, industries = content.parse_taxonomy(content.read_text(config, taxonomy_path),
                                                           content._rel(config, taxonomy_path))
            if taxonomy_hash is not None:
                state.taxonomy = (taxonomy_hash, (districts, industries))
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
    paths = sorted((config.content / "briefings").glob("*.md"))
    root = str(config.root) + os.sep
    rels = {path: (text[len(root):] if (text := str(path)).startswith(root) else content._rel(config, path))
            for path in paths}  # content._rel, without a Path per file
    known = {}
    todo = []
    for path in paths:
        rel = rels[path]
        entry = state.briefings.get(rel)
        h = cache.inputs.get(str(path))
        if entry is not None and h is not None and entry[0] == h:
            known[rel] = (rel, h, entry[1], None)
        else:
            todo.append(path)
    _WORK.update(config=config, inputs=cache.inputs, attach=attach,
                 known={slug: entry[0] for slug, entry in state.translations.items()})
    cache.pending = {}
    parsed = {}
    folder = cache.folder if cache.enabled else None
    try:
        with _Pool(_load_worker, todo, jobs) as results:
            # the workers parse briefings; meanwhile this process reads the glossary
            enterprises = []
            glossary = {}
            for path in sorted((config.content / "glossary").glob("*.yaml")):
                # parsed again only when it changed (YAML is slow: ~0.2 s for 300 entries)
                h = cache.inputs.get(str(path))
                cached = state.glossary.get(str(path))
                if h is not None and cached is not None and cached[0] == h:
                    entries = cached[1]
                else:
                    try:
                        entries = content.parse_glossary(content.read_text(config, path), content._rel(config, path))
                    except (BuildError, BuildErrors) as exc:
                        problems.extend(exc)
                        continue
                enterprises.extend(entries)
                if h is not None:
                    glossary[str(path)] = (h, tuple(entries))
            state.glossary = glossary
            analyser = _Analyser(enterprises, state) if attach is not None and todo else None
            for rel, md_hash, result, table in results:
                if not isinstance(result, list):
                    result = _unship(state, _bkey(rel, md_hash), result, folder)
                    if isinstance(table, list):
                        cache.pending[result.slug] = table  # reported by attach_translations, in order
                    elif table is not None:
                        key, payload, fp = table
                        entry = state.translations[result.slug] = (key, _unship(state, _tkey(result.slug, key), payload, folder), fp)
                        if analyser is not None:
                            analyser.analyse(result, entry)
                parsed[rel] = (rel, md_hash, result, None)
    finally:
        _WORK.clear()
    briefings = []
    hashes: dict[str, str] = {}
    fresh = {}
    for path in paths:
        rel, md_hash, result, _table = known.get(rels[path]) or parsed[rels[path]]
        if isinstance(result, list):
            for problem in result:
                problems.problems.append(problem)
            continue
        briefings.append(result)
        hashes[result.slug] = md_hash
        fresh[rel] = (md_hash, result)
    state.briefings = fresh
    problems.raise_if_any()
    site = Site(tuple(briefings), tuple(districts), tuple(industries), tuple(sorted(enterprises, key=lambda e: e.id)))
    content.check_site(site)
    return site, hashes


class _Analyser:
    """Which enterprises each freshly parsed briefing names (render.analyse), worked out in
    this process while the workers parse the next files, and kept in the cache's analyses
    under the key the renderer looks for."""

    def __init__(self, enterprises, state: State):
        from builder import render

        self.render = render
        self.finders = render._finders(sorted(enterprises, key=lambda e: e.id))
        self.forms_fp = render.forms_fingerprint(self.finders)
        self.state = state

    def analyse(self, briefing, entry) -> None:
        _tkey, table, fp = entry
        self.render.cached_analysis(self.state.analysis, briefing, fp, table, self.finders, self.forms_fp)


def _translate_worker(chunk):
    return [_attach_one(b, md_hash) for b, md_hash in chunk]


def attach_translations(config: Config, site: Site, cache: BuildCache, hashes: dict[str, str],
                        jobs: int, attach: Callable) -> tuple[Site, dict[str, str]]:
    """`attach` (translate.attach_translations) for the briefings whose .md or .po changed;
    the others' tables come from the cache. Returns the site and slug -> fingerprint of
    everything a briefing's pages show of it (text and translations)."""
    state = cache.state
    folder = cache.folder if cache.enabled else None
    pending = getattr(cache, "pending", {})
    entries, todo = {}, []
    for b in site.briefings:
        key = _po_key(config, cache.inputs, b.slug, hashes[b.slug])
        cached = state.translations.get(b.slug)
        if b.slug in pending:
            continue
        if cached is not None and cached[0] == key:
            entries[b.slug] = cached
        else:
            todo.append(b)
    if todo:
        _WORK.update(config=config, inputs=cache.inputs, attach=attach)
        size = max(1, min(32, len(todo) // (jobs * 4))) if jobs > 1 and len(todo) >= 2 * jobs else len(todo)
        chunks = [[(b, hashes[b.slug]) for b in todo[i:i + size]] for i in range(0, len(todo), size)]
        try:
            done = [r for part in _pool_map(_translate_worker, chunks, jobs if len(chunks) > 1 else 1) for r in part]
        finally:
            _WORK.clear()
        for b, result in zip(todo, done):
            if isinstance(result, list):
                pending[b.slug] = result
                continue
            key, payload, fp = result
            entries[b.slug] = (key, _unship(state, _tkey(b.slug, key), payload, folder), fp)
    problems = Collector()
    for b in site.briefings:
        problems.problems.extend(pending.get(b.slug, ()))
    cache.pending = {}
    problems.raise_if_any()
    state.translations = {slug: entries[slug] for slug in sorted(entries)}
    table = {slug: entry[1] for slug, entry in state.translations.items()}
    return dataclasses.replace(site, translations=table), {slug: entry[2] for slug, entry in entries.items()}


def coverage(site: Site, cache: BuildCache, count: Callable):
    """`count` (translate.coverage) of the whole site, from per-briefing counts kept in the
    cache: an edit does not unpickle every translation table just to count it again."""
    state = cache.state
    total = None
    fresh = {}
    for b in site.briefings:
        key = state.translations[b.slug][0] if b.slug in state.translations else None
        known = state.coverage.get(b.slug)
        if key is not None and known is not None and known[0] == key:
            report = known[1]
        else:
            report = count(dataclasses.replace(site, briefings=(b,),
                                               translations={b.slug: site.translations.get(b.slug, {})}))
        if not dataclasses.is_dataclass(report):
            return count(site)  # a stage that does not report per field: count the whole site
        if key is not None:
            fresh[b.slug] = (key, report)
        total = report if total is None else _add(total, report)
    state.coverage = fresh
    return total if total is not None else count(site)


def _add(a, b):
    """Field-wise sum of two reports (numbers added, lists joined, nested reports summed)."""
    if dataclasses.is_dataclass(a):
        return dataclasses.replace(a, **{f.name: _add(getattr(a, f.name), getattr(b, f.name))
                                         for f in dataclasses.fields(a) if f.init})
    return a + b


# ---- rendering and writing only what changed ---------------------------------------------

def _global_fp(config: Config, inputs: dict[str, str]) -> str:
    """Theme, code, settings: what every page depends on (content has finer keys)."""
    theme = str(config.theme_dir)
    picked = {k: v for k, v in inputs.items()
              if k.startswith("~") or k.startswith(theme + os.sep) or k == str(config.root / "pyproject.toml")}
    return _digest_of(picked)


def _template_problem(exc) -> BuildError:
    line = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
    return BuildError(str(name), line, f"template error: {exc}")


def _render_worker(indices: list[int]):
    """Render some jobs into the staging folder (in a forked worker, or in the main process).
    A page whose bytes equal what the reused folder already holds is not written again."""
    import jinja2

    renderer, plan, staging, spare = _WORK["renderer"], _WORK["plan"], _WORK["staging"], _WORK["spare"]
    mirror = _WORK.get("mirror")
    done = []
    try:
        for index in indices:
            _key, _sig, fn, _old = plan[index]
            outputs, tails = renderer.run_job(fn)
            files = []
            for rel, data in outputs:
                digest = _hash(data)
                wrote = spare.get(rel) != digest
                if wrote:
                    staging.replace(rel, data)
                    if mirror is not None:
                        mirror.link(rel, staging.root)
                files.append((rel, digest, wrote))
            done.append((index, files, tails))
    except jinja2.TemplateError as exc:
        return "error", list(_template_problem(exc).problems)
    except (BuildError, BuildErrors) as exc:
        return "error", list(exc.problems)
    return "ok", done


def render_and_write(config: Config, site: Site, cache: BuildCache, fingerprints: dict[str, str],
                     jobs: int) -> tuple[int, int]:
    """Render the jobs whose signature changed, and swap in the new site.

    The staging folder is the previous generation of the site, kept beside it as
    `.site.spare` by the last build, when the cache knows its content: then only files that
    differ are written (or hard-linked from the current site). Otherwise it is a new folder
    and every reused page is hard-linked. Either way the current site is only read, and the
    swap is the same atomic exchange as in a cold build. Returns (files, files written)."""
    import jinja2

    from builder import render, write

    state = cache.state
    render.PINYIN.update(state.pinyin)
    try:
        renderer = render.Renderer(site, config, fingerprints, state.analysis, _global_fp(config, cache.inputs),
                                   bytecode_dir=cache.folder / "jinja" if cache.enabled else None)
        all_jobs = renderer.jobs()
        # the cache describes site/ and knows what its jobs wrote (after a code change it
        # describes the folder but knows nothing of its pages: then it is like a cold build)
        site_ok = cache.site_matches() and bool(state.jobs)
        old_jobs = state.jobs if site_ok else {}
        plan = []
        for key, deps, fn in all_jobs:
            sig = renderer.signature(deps)
            old = old_jobs.get(key)
            plan.append((key, sig, fn, old if old is not None and old[0] == sig else None))
    except jinja2.TemplateError as exc:
        raise _template_problem(exc) from None
    spare_path = config.output.parent / f".{config.output.name}.spare"
    spare: dict[str, str] = {}
    if cache.enabled and site_ok and state.spare is not None and \
            cache.manifest.get("spare") == _site_id(spare_path) is not None:
        spare = state.spare
        cache.forget_spare()  # from here on the folder's content is unknown until the swap
        staging = write.Staging(config.output, reuse=spare_path)
    else:
        staging = write.Staging(config.output)
    # a build with no previous site to keep (a cold one) hard-links each new page into a
    # second folder as it writes it (in the workers, so the cost is shared): that becomes
    # the spare, and the first edit after a cold build updates it like any other, instead of
    # hard-linking thousands of unchanged pages into a new folder (~0.25 s at N=1000)
    mirror = write.Staging(config.output, kind="mirror") if cache.enabled and not site_ok else None
    mirrored = False
    try:
        results: dict[int, tuple[list, list[str]]] = {}
        written: list[str] = []
        todo = []
        for index, (_key, _sig, _fn, old) in enumerate(plan):
            if old is None:
                todo.append(index)
                continue
            try:
                for rel, digest, _wrote in old[1]:
                    if spare.get(rel) != digest:
                        staging.link(rel, config.output)
                results[index] = ([(rel, digest, False) for rel, digest, _w in old[1]], old[2])
            except FileNotFoundError:  # someone removed a page from site/: render it again
                todo.append(index)
        _WORK.update(renderer=renderer, plan=plan, staging=staging, spare=spare, mirror=mirror)
        problems = Collector()
        for status, payload in _render_parallel(sorted(todo), jobs):
            if status == "error":
                problems.problems.extend(payload)
                continue
            for index, files, tails in payload:
                results[index] = (files, tails)
        problems.raise_if_any()
        written += [rel for index in todo for rel, _d, wrote in results[index][0] if wrote]
        tails = [tail for index in sorted(results) for tail in results[index][1]]
        name = "sitemap.xml"
        tails_sig = _hash(repr((renderer.global_fp, sorted(tails))).encode())
        if site_ok and state.site_files.get("~tails") == tails_sig and name in state.site_files:
            sitemap = (name, state.site_files[name], False)
            if spare.get(name) != sitemap[1]:
                staging.link(name, config.output)
        else:
            try:
                name, data = renderer.sitemap(tails)
            except jinja2.TemplateError as exc:
                raise _template_problem(exc) from None
            sitemap = (name, _hash(data), spare.get(name) != _hash(data))
            if sitemap[2]:
                staging.replace(name, data)
                written.append(name)
                if mirror is not None:
                    mirror.link(name, staging.root)
        paths = [rel for index in sorted(results) for rel, _d, _w in results[index][0]] + [name]
        if staging.reused:
            # pages gone since, Pagefind's index, anything stray
            staging.prune(set(paths), spare, state.spare_written_at)
        keep = spare_path if cache.enabled and site_ok else None
        staging.commit(paths, written, keep=keep)
    except BaseException:
        staging.abort()
        if mirror is not None:
            mirror.abort()
        raise
    finally:
        _WORK.clear()
    if mirror is not None:
        try:
            write.replace_folder(mirror.path, spare_path)
            mirrored = True
        except OSError:
            mirror.abort()  # no spare: the next build links its unchanged pages instead
    written_at = time.time_ns()  # nothing of ours writes into the new site after this
    if mirrored:
        # the spare holds the same files as the new site
        state.spare = {rel: digest for index in results for rel, digest, _w in results[index][0]}
        state.spare[name] = sitemap[1]
        state.spare_written_at = written_at
    elif keep is not None:
        # the replaced site is now the spare: its files are what the old jobs wrote
        state.spare = {rel: digest for _sig, files, _t in old_jobs.values() for rel, digest, _w in files}
        if "sitemap.xml" in state.site_files:
            state.spare["sitemap.xml"] = state.site_files["sitemap.xml"]
        state.spare_written_at = state.site_written_at
    else:
        state.spare = None
        state.spare_written_at = 0
    state.site_written_at = written_at
    state.jobs = {plan[index][0]: (plan[index][1], results[index][0], results[index][1]) for index in results}
    state.site_files = {"sitemap.xml": sitemap[1], "~tails": tails_sig}
    state.analysis = {k: v for k, v in renderer.analysis.items() if k[0] in fingerprints and k[1] == fingerprints[k[0]]}
    state.pinyin = dict(render.PINYIN)
    cache.spare_id = _site_id(spare_path) if state.spare is not None else None
    return len(paths), len(written)


RECYCLE_JOBS = 1200


def _render_parallel(todo: list[int], jobs: int):
    if jobs <= 1 or len(todo) < 200:
        # forking a pool costs more than it saves for a handful of pages
        yield _render_worker(todo)
        return
    import multiprocessing

    # compile every template and work out pinyin once, before the workers are forked (the
    # pinyin also goes into the cache, so a later build need not even import pypinyin)
    renderer = _WORK["renderer"]
    for name in renderer.env.list_templates():
        if not name.startswith("."):
            renderer.env.get_template(name)
    renderer.warm_pinyin()

    # small chunks, handed out as workers free up: jobs differ a lot in cost
    size = max(1, min(64, len(todo) // (jobs * 8)))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    _freeze()
    ctx = multiprocessing.get_context("fork")
    # a worker copies every page of the parent's heap whose objects it touches (reference
    # counts); replacing it after some chunks frees those copies (N=4000 cold build: peak
    # PSS of the process tree 1029 -> 827 MiB with a new worker every 384 jobs). Each fork
    # costs system time, so a worker lives for RECYCLE_JOBS jobs: at N=1000 that is one or
    # two forks per worker instead of six.
    with ctx.Pool(jobs, maxtasksperchild=max(1, RECYCLE_JOBS // size)) as pool:
        yield from pool.imap_unordered(_render_worker, chunks)

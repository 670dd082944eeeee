"""How the build cache is kept on disk: only this module knows.

The cache folder (`.briefing-cache/` at the project root, git-ignored) holds

- `manifest.json`: the digest of every input, the identity of the site folder (and of the spare
  folder beside it) the cache describes, whether the search index is in it, and the last
  build's report lines. It is written last: a build killed before that is a cold one next time.
`state.pickle` and `stat.pickle` are sealed (seal.py: HMAC-SHA256 under a key kept outside
this folder); one without a valid seal is never unpickled.

- `stat.pickle`: each input file's stat and hash (inputs.py), so a build hashes only files
  whose stat moved.
- `state.pickle`: a `State`: values by content key (parsed glossary and taxonomy, mention
  analyses, translation counts), what every page of the site was made from (its signature and
  the files it wrote), what the spare folder holds, the pinyin table.
- `blobs-<random>.pack`: the parsed briefings and translation tables, each pickled on its own
  in an append-only pack file beside the state. Saving appends only what is new, and an object
  is unpickled only when a build first uses it (`CachedBriefing`, `LazyTable`); a briefing's
  slug, date, aliases and terms are kept in the state, so planning a rebuild reads them
  without unpickling the briefing.
- `jinja/`: compiled templates (render/env.py).

A state that cannot be read (damaged, truncated, from another version of the builder) is
ignored, and the build is a cold one.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.cache import seal
from builder.cache.plan import PageRecord
from builder.write import write_bytes_atomic

__all__ = ["Damaged", "PageRecord", "State"]

FORMAT = 4  # 4: a briefing card carries its images
PICKLE = pickle.HIGHEST_PROTOCOL
# values of these kinds are pickled one by one into the pack and unpickled when first used
LAZY_KINDS = ("briefing", "table")


@dataclass
class Folders:
    """What is known of the site folder and of the spare folder kept beside it."""

    spare: dict[str, str] | None = None  # path -> content hash of every file in the spare folder
    # when the build that wrote the site (and the spare) finished, time.time_ns(); 0: unknown.
    # A folder of theirs whose mtime is older has had nothing added since.
    site_written_at: int = 0
    spare_written_at: int = 0


@dataclass
class State:
    code: str = ""  # the builder's code fingerprint: another version starts cold
    values: dict[str, dict[Any, Any]] = field(default_factory=dict)  # kind -> content key -> value
    pages: dict[str, PageRecord] = field(default_factory=dict)  # page key -> record
    folders: Folders = field(default_factory=Folders)
    pinyin: dict = field(default_factory=dict)
    pack_name: str = ""
    # (kind, key) -> (offset, length, hash) of its blob in the pack
    pack_index: dict[tuple[str, Any], tuple[int, int, str]] = field(default_factory=dict)
    # pickles made by worker processes, not yet in the pack (appended at once where possible)
    blobs: dict[tuple[str, Any], bytes] = field(default_factory=dict)

    def __getstate__(self) -> dict:
        """Pickled form: lazy values by key only (the pack holds them; `write_pack` first),
        a briefing with the fields planning reads."""
        data = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        data["blobs"] = {}
        data["values"] = {kind: ({key: _card_of(value) for key, value in entries.items()} if kind in LAZY_KINDS
                                 else entries)
                          for kind, entries in self.values.items()}
        return data

    # -- the pack --------------------------------------------------------------------------
    def read_pack(self, folder: Path) -> None:
        """After unpickling: lazy values from the pack, each unpickled when first used.
        The pack is mapped, not read: a build reads only the blobs it uses. (It is never
        truncated or rewritten in place: a save appends, or writes a new pack.)"""
        with open(folder / self.pack_name, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = memoryview(mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ) if size else b"")
        for kind in LAZY_KINDS:
            entries = self.values.get(kind, {})
            for key, card in entries.items():
                offset, length, digest = self.pack_index[(kind, key)]
                if offset + length > len(data):
                    raise ValueError(f"{self.pack_name} is shorter than the state says")
                blob = data[offset:offset + length]
                entries[key] = CachedBriefing(blob, card, digest) if kind == "briefing" else LazyTable(blob, digest)

    def keep_blob(self, folder: Path | None, kind: str, key: Any, blob: bytes) -> None:
        """A pickle a worker made: appended to the pack at once when there is a cache folder,
        so a cold build does not hold every pickle in memory until it saves; the state on disk
        only ever points at what came before."""
        if folder is None or (kind, key) in self.pack_index:
            return
        try:
            stream = self.__dict__.get("_stream")
            if stream is None:
                folder.mkdir(exist_ok=True)
                if not self.pack_name or not (folder / self.pack_name).is_file():
                    self.pack_name, self.pack_index = _pack_name(), {}
                # kept open for the whole build (closed by close_stream or write_pack)
                stream = self._stream = open(folder / self.pack_name, "ab", buffering=0)  # noqa: SIM115
                self._stream_end = stream.seek(0, os.SEEK_END)
            stream.write(blob)
            self.pack_index[(kind, key)] = (self._stream_end, len(blob), blob_digest(blob))
            self._stream_end += len(blob)
        except OSError:
            self.blobs[(kind, key)] = blob  # written with the state, or not at all

    def close_stream(self) -> None:
        stream = self.__dict__.pop("_stream", None)
        if stream is not None:
            stream.close()

    def _lazy_values(self) -> Iterator[tuple[tuple[str, Any], Any]]:
        for kind in LAZY_KINDS:
            for key, value in self.values.get(kind, {}).items():
                yield (kind, key), value

    def write_pack(self, folder: Path) -> None:
        """Append the blobs the pack does not hold yet; when more than half of it is dead,
        write a new pack instead (under a new name: the state on disk still points into the
        old one until the new state replaces it)."""
        self.close_stream()
        current = dict(self._lazy_values())
        path = folder / self.pack_name if self.pack_name else None
        size = path.stat().st_size if path is not None and path.is_file() else None
        # (a pack deleted under a running `serve`: everything is pickled again from memory)
        index = {k: v for k, v in self.pack_index.items() if k in current} if size is not None else {}
        new = {}
        for key, obj in current.items():
            if key not in index:
                new[key] = self.blobs.get(key) or _pickled(obj)
        live = sum(length for _o, length, _d in index.values()) + sum(len(blob) for blob in new.values())
        if path is None or size is None or size > 2 * live + (1 << 16):
            name = _pack_name()
            fresh, offset = {}, 0
            old = open(path, "rb") if path is not None and size is not None else None  # noqa: SIM115
            try:  # (closed in finally)
                with open(folder / name, "wb") as handle:
                    for key in current:
                        if key in new:
                            blob, digest = new[key], blob_digest(new[key])
                        else:
                            assert old is not None
                            old.seek(index[key][0])
                            blob, digest = old.read(index[key][1]), index[key][2]
                        handle.write(blob)
                        fresh[key] = (offset, len(blob), digest)
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
                    index[key] = (offset, len(blob), blob_digest(blob))
                    offset += len(blob)
        self.pack_index = index
        self.blobs = {}


def blob_digest(blob: bytes | memoryview) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def _pack_name() -> str:
    return f"blobs-{os.urandom(6).hex()}.pack"


def _pickled(obj: Any) -> bytes:
    if isinstance(obj, LazyTable):
        return bytes(obj.blob)
    if isinstance(obj, CachedBriefing):
        return bytes(obj.blob)
    return pickle.dumps(dict(obj) if isinstance(obj, Mapping) else obj, protocol=PICKLE)


# ---- values unpickled when first used --------------------------------------------------

class Damaged(Exception):
    """A value kept in the cache cannot be read back (the pack was damaged after it was
    written). Found when the value is first used; the build then starts again without the cache."""


def _loads(blob: bytes | memoryview, digest: str) -> Any:
    """A blob's value, if the blob is still what was written (a damaged pickle may well load)."""
    if blob_digest(blob) != digest:
        raise Damaged("a cached value is not what was written (the pack was damaged)")
    try:
        return pickle.loads(blob)
    except Exception as exc:
        raise Damaged(f"a cached value cannot be read back ({type(exc).__name__}: {exc})") from None


# images: every build looks up each briefing's media sizes, so they travel on the card
CARD_FIELDS = ("slug", "path", "date", "aliases", "districts", "industries", "enterprises", "images")


def _card_of(value: Any) -> tuple | None:
    """What the state keeps beside a lazy value: a briefing's card fields, nothing for a table."""
    if isinstance(value, Mapping):
        return None
    return tuple(getattr(value, name) for name in CARD_FIELDS)


class CachedBriefing:
    """A parsed briefing from the cache: slug, date, aliases, terms, enterprises and images at once,
    everything else unpickled on first use, so a rebuild unpickles only the briefings whose
    pages it renders. Reads like the `Briefing` it stands for."""

    def __init__(self, blob: bytes | memoryview, card: tuple, digest: str):
        self.__dict__["blob"] = blob
        self.__dict__["digest"] = digest
        self.__dict__["_full"] = None
        self.__dict__.update(zip(CARD_FIELDS, card, strict=True))

    def full(self) -> Any:
        if self._full is None:
            self.__dict__["_full"] = _loads(self.blob, self.digest)
        return self._full

    def __getattr__(self, name: str) -> Any:  # only for what is not set above
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a briefing is read-only")

    def __reduce__(self) -> tuple:
        return pickle.loads, (bytes(self.blob),)


class LazyTable(Mapping):
    """A briefing's translation table (segment id -> Translation), unpickled on first use."""

    __slots__ = ("_data", "blob", "digest")

    def __init__(self, blob: bytes | memoryview, digest: str):
        self.blob = blob
        self.digest = digest
        self._data: dict | None = None

    def _load(self) -> dict:
        if self._data is None:
            self._data = _loads(self.blob, self.digest)
        return self._data

    def __getitem__(self, key: Any) -> Any:
        return self._load()[key]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._load().get(key, default)

    def __iter__(self) -> Iterator:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __reduce__(self) -> tuple:
        return LazyTable, (bytes(self.blob), self.digest)


# ---- files of the cache folder ----------------------------------------------------------

def read_manifest(folder: Path) -> tuple[dict, str | None]:
    """(manifest, why it cannot be used or None)."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, "no manifest yet (first build with this cache folder)"
    except (OSError, ValueError) as exc:
        return {}, f"manifest.json unreadable: {exc}"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}, "manifest.json is of another cache format"
    return data, None


def write_manifest(folder: Path, manifest: dict) -> None:
    write_bytes_atomic(folder / "manifest.json", json.dumps(manifest).encode())


def read_state(folder: Path, key: bytes | None) -> State:
    """The saved state with its pack (raises on anything damaged, seal.Unsealed on a file
    this checkout's builds did not write: it is never unpickled)."""
    with open(folder / "state.pickle", "rb") as handle:
        data = handle.read()
    state = pickle.loads(_unseal(key, data, "state.pickle"))
    if not isinstance(state, State):
        raise ValueError("state.pickle holds something else")
    state.read_pack(folder)
    return state


def write_state(folder: Path, state: State, key: bytes) -> None:
    """The pack, then the state that points into it (sealed), then old packs go. Not fsynced:
    the state only saves work, and a damaged one fails its seal, which makes a cold build."""
    state.write_pack(folder)
    write_bytes_atomic(folder / "state.pickle", seal.seal(key, pickle.dumps(state, protocol=PICKLE)), sync=False)
    for old_pack in folder.glob("blobs-*.pack"):
        if old_pack.name != state.pack_name:
            old_pack.unlink()


def read_stats(folder: Path, key: bytes | None) -> dict:
    with open(folder / "stat.pickle", "rb") as handle:
        blob = handle.read()
    data = pickle.loads(_unseal(key, blob, "stat.pickle"))
    if not isinstance(data, dict):
        raise ValueError("stat.pickle holds something else")
    return data


def write_stats(folder: Path, stats: dict, key: bytes) -> None:
    write_bytes_atomic(folder / "stat.pickle", seal.seal(key, pickle.dumps(stats, protocol=PICKLE)), sync=False)


def _unseal(key: bytes | None, blob: bytes, name: str) -> bytes:
    if key is None:
        raise seal.Unsealed(f"{name} not read: no cache key (see builder/cache/seal.py)")
    return seal.unseal(key, blob, name)


def ensure_folder(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")

"""Incremental builds: content hashes and a build cache decide what to redo.

The cache lives in `.briefing-cache/` at the project root (git-ignored; deleting it only
makes the next build a cold one). It holds

- `manifest.json`: a hash of every input (content/, the theme, pyproject.toml, the builder's
  own code, SOURCE_DATE_EPOCH, the effective config) and the identity of the site folder it
  describes. When nothing changed and site/ is that folder, a build does nothing at all.
- `state.pickle`: parsed briefings and their translations by content hash, which enterprises
  each briefing names, pinyin, and for every render job its signature (a hash of what its
  pages show) and the files it wrote.

A rebuild re-renders only jobs whose signature changed; every other page is hard-linked from
the current site into the staging folder (no copy, and the current site is never modified),
then the staging folder is swapped in as in a cold build. So a failed build still leaves the
previous site whole, a killed one leaves the old or the new site, and output is byte-identical
to a cold build (tests/test_incremental.py checks it).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector
from builder.model import Site

CACHE_DIR = ".briefing-cache"
# cache folder -> (manifest, State) of the last build in this process, so `serve` does not
# read back the state it has just written
_LIVE: dict[str, tuple[dict, "State"]] = {}
# `serve` sets this: the state file is written in a thread while the browser already reloads
BACKGROUND_SAVE = False
_SAVING: list = []


def wait_for_saving() -> None:
    while _SAVING:
        _SAVING.pop().join()
FORMAT = 1
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


def _walk(folder: Path) -> list[Path]:
    found = []
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [Path(dirpath) / name for name in sorted(filenames) if not name.startswith(".")]
    return found


# path -> (mtime_ns, size, hash) from earlier scans in this process (`serve`); a file whose
# mtime is within the last 2 s is hashed again anyway (an edit in the same clock tick)
_SCANNED: dict[str, tuple[int, int, str]] = {}


def scan_inputs(config: Config) -> dict[str, str]:
    """Input file -> content hash, plus the settings that shape the output."""
    import time

    inputs: dict[str, str] = {}
    recent = time.time_ns() - 2_000_000_000
    for path in _walk(config.content) + _walk(config.theme_dir):
        key = str(path)
        try:
            st = os.stat(path)
            known = _SCANNED.get(key)
            if known is not None and known[0] == st.st_mtime_ns and known[1] == st.st_size and st.st_mtime_ns < recent:
                inputs[key] = known[2]
                continue
            inputs[key] = _hash(path.read_bytes())
            _SCANNED[key] = (st.st_mtime_ns, st.st_size, inputs[key])
        except OSError:
            inputs[key] = "unreadable"
    pyproject = config.root / "pyproject.toml"
    if pyproject.is_file():
        inputs[str(pyproject)] = _hash(pyproject.read_bytes())
    inputs["~config"] = repr(config)
    inputs["~epoch"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    inputs["~code"] = code_fingerprint()
    return inputs


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
    translations: dict = field(default_factory=dict)  # slug -> ((md hash, po hash), {seg id: Translation}, fp)
    analysis: dict = field(default_factory=dict)  # see render.Renderer._analyse
    pinyin: dict = field(default_factory=dict)
    jobs: dict = field(default_factory=dict)  # job key -> (signature, [(path, hash, _)], [sitemap tails])
    site_files: dict = field(default_factory=dict)  # files of the site outside jobs (the sitemap) -> hash
    spare: dict | None = None  # path -> hash of the previous site, kept as .site.spare


class BuildCache:
    def __init__(self, config: Config, enabled: bool = True):
        wait_for_saving()
        self.config = config
        self.folder = config.root / CACHE_DIR
        self.enabled = enabled
        self.manifest = self._read_manifest() if enabled else {}
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
                finally:
                    gc.enable()
                gc.freeze()  # and later collections need not walk them
                if isinstance(state, State) and state.code == code:
                    if not self.site_matches():
                        state.jobs = {}  # parsed files are still good; pages must be rendered
                    return state
            except Exception:  # noqa: BLE001 - a damaged cache is only a slower build
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
                    write_bytes_atomic(folder / "state.pickle", pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
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


def _po_key(config: Config, cache: "BuildCache", briefing, md_hash: str) -> tuple:
    # translate/memory.memory_path; not imported, so a stood-in translate stage works too
    po = config.content / "translations" / "en" / f"{briefing.slug}.po"
    return (md_hash, cache.inputs.get(str(po)) if po.exists() else None)


def _pool_map(func: Callable, items: list, jobs: int, chunksize: int | None = None) -> list:
    """`func` over `items` in `jobs` forked processes, results in input order."""
    if jobs <= 1 or len(items) < 2 * jobs:
        return [func(item) for item in items]
    import multiprocessing

    _freeze()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        # small chunks: a worker holds one chunk's parsed files (polib objects are big) at a time
        return pool.map(func, items, chunksize=chunksize or max(1, min(32, len(items) // (jobs * 4))))


def _freeze() -> None:
    """Before forking: move every object to the GC's permanent generation, so the workers'
    garbage collections do not write to (and so copy) the parent's memory pages."""
    import gc

    gc.collect()
    gc.freeze()


_WORK: dict = {}  # what forked workers need (inherited, never pickled)


def _parse_worker(path):
    return _parse_one(_WORK["config"], path)


def _translate_worker(chunk):
    """Translations of a few briefings through translate.attach_translations (the stage's own
    contract), or the problems it found."""
    site = _WORK["site"]
    try:
        part = _WORK["attach"](_WORK["config"], dataclasses.replace(site, briefings=tuple(chunk)))
    except (BuildError, BuildErrors) as exc:
        return list(exc.problems)
    return {b.slug: part.translations.get(b.slug, {}) for b in chunk}


def load_site(config: Config, cache: BuildCache, jobs: int) -> tuple[Site, dict[str, str]]:
    """Like content.load_site, reusing parsed briefings whose file did not change.
    Returns the site and slug -> md hash."""
    from builder import content

    problems = Collector()
    state = cache.state
    taxonomy_path = config.content / "taxonomy.yaml"
    districts, industries = (), ()
    try:
        if taxonomy_path.exists():
            districts, industries = content.parse_taxonomy(content.read_text(config, taxonomy_path),
                                                           content._rel(config, taxonomy_path))
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
    enterprises = []
    glossary = {}
    for path in sorted((config.content / "glossary").glob("*.yaml")):
        # a glossary file is parsed again only when it changed (YAML is slow: ~0.2 s for 300 entries)
        h = cache.inputs.get(str(path))
        known = state.glossary.get(str(path))
        if h is not None and known is not None and known[0] == h:
            entries = known[1]
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
    paths = sorted((config.content / "briefings").glob("*.md"))
    known = {}
    todo = []
    for path in paths:
        rel = content._rel(config, path)
        entry = state.briefings.get(rel)
        h = cache.inputs.get(str(path))
        if entry is not None and h is not None and entry[0] == h:
            known[rel] = (rel, h, entry[1])
        else:
            todo.append(path)
    _WORK["config"] = config
    parsed = {r[0]: r for r in _pool_map(_parse_worker, todo, jobs)}
    briefings = []
    hashes: dict[str, str] = {}
    fresh = {}
    for path in paths:
        rel = content._rel(config, path)
        rel, md_hash, result = known.get(rel) or parsed[rel]
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


def attach_translations(config: Config, site: Site, cache: BuildCache, hashes: dict[str, str],
                        jobs: int, attach: Callable) -> tuple[Site, dict[str, str]]:
    """`attach` (translate.attach_translations) for the briefings whose .md or .po changed;
    the others' tables come from the cache. Returns the site and slug -> fingerprint of
    everything a briefing's pages show of it (text and translations)."""
    state = cache.state
    table, fps, keys, todo = {}, {}, {}, []
    for b in site.briefings:
        key = keys[b.slug] = _po_key(config, cache, b, hashes[b.slug])
        cached = state.translations.get(b.slug)
        if cached is not None and cached[0] == key:
            table[b.slug], fps[b.slug] = cached[1], cached[2]
        else:
            todo.append(b)
    if todo:
        _WORK.update(config=config, site=site, attach=attach)
        size = max(1, min(32, len(todo) // (jobs * 4))) if jobs > 1 and len(todo) >= 2 * jobs else len(todo)
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        problems = Collector()
        for result in _pool_map(_translate_worker, chunks, jobs if len(chunks) > 1 else 1):
            if isinstance(result, list):
                problems.problems.extend(result)
                continue
            for slug, tr in result.items():
                table[slug] = tr
                fps[slug] = _hash(repr((hashes[slug], sorted(tr.items()))).encode())
        _WORK.clear()
        problems.raise_if_any()
    state.translations = {slug: (keys[slug], table[slug], fps[slug]) for slug in sorted(table)}
    return dataclasses.replace(site, translations=dict(sorted(table.items()))), fps


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
        site_ok = cache.site_matches()
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
        _WORK.update(renderer=renderer, plan=plan, staging=staging, spare=spare)
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
        paths = [rel for index in sorted(results) for rel, _d, _w in results[index][0]] + [name]
        if staging.reused:
            staging.prune(set(paths))  # pages gone since, Pagefind's index, anything stray
        keep = spare_path if cache.enabled and site_ok else None
        staging.commit(paths, written, keep=keep)
    except BaseException:
        staging.abort()
        raise
    finally:
        _WORK.clear()
    # the replaced site is now the spare: its files are what the old jobs wrote
    state.spare = {rel: digest for _sig, files, _t in old_jobs.values() for rel, digest, _w in files} \
        if keep is not None else None
    if state.spare is not None and "sitemap.xml" in state.site_files:
        state.spare["sitemap.xml"] = state.site_files["sitemap.xml"]
    state.jobs = {plan[index][0]: (plan[index][1], results[index][0], results[index][1]) for index in results}
    state.site_files = {"sitemap.xml": sitemap[1], "~tails": tails_sig}
    state.analysis = {k: v for k, v in renderer.analysis.items() if k[0] in fingerprints and k[1] == fingerprints[k[0]]}
    state.pinyin = dict(render.PINYIN)
    cache.spare_id = _site_id(spare_path) if keep is not None else None
    return len(paths), len(written)


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
    # counts); replacing it after a few chunks frees those copies (N=4000 cold build: peak
    # PSS of the process tree 1029 -> 827 MiB), at the cost of a fork every few hundred pages
    with ctx.Pool(jobs, maxtasksperchild=6) as pool:
        yield from pool.imap_unordered(_render_worker, chunks)

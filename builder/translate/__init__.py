"""Translate stage: fill the English translation memory, and read it back for rendering.

    translate_site(config, site)     merge every briefing's memory with its segments, send the
                                     missing ones (and stale machine output) to the engine in
                                     large batches, write each PO file after every batch
    engine_available(config)         is a zh→en Argos package installed?
    attach_translations(config, site)  Site with .translations read from the memory
    coverage(site)                   counts of reviewed / machine / stale / missing / flagged
    import_reviewed(yaml, site)      reviewed English from a YAML list of {zh, en, note?}
    show_masked(config, site, query)  what the engine is sent for a segment, and the slot table

Modules: memory (PO files), engine (argostranslate's model, driven directly), terms
(placeholders for names, terms and figures), numbers (exact figures), quality (flags on
machine output), models (install / list packages).
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from builder.cache.pool import WorkerPool
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector
from builder.model import Briefing, Site
from builder.translate import memory

if TYPE_CHECKING:
    import polib

    from builder.cache.memo import Memo
    from builder.translate.engine import Translator
    from builder.translate.terms import Protector

INSTALL_HINT = ("install a zh→en model with `briefing models install FILE.argosmodel` "
                "(or `briefing models install --download` where the network allows)")


def _rel(config: Config, path: Path) -> str:
    return config.rel(path)


@dataclass
class Flagged:
    path: str
    line: int
    segment: str
    flags: tuple[str, ...]

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        from builder.translate.quality import describe

        return f"{where}: [{describe(self.flags)}] {self.segment}"


@dataclass
class Counts:
    reviewed: int = 0
    machine: int = 0
    stale: int = 0
    missing: int = 0
    flagged_list: list[Flagged] = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return len(self.flagged_list)

    @property
    def total(self) -> int:
        return self.reviewed + self.machine + self.stale + self.missing


def _count(site: Site) -> Counts:
    counts = Counts()
    for briefing in site.briefings:
        table = site.translations.get(briefing.slug, {})
        for seg in briefing.segments():
            tr = table.get(seg.id)
            status = tr.status if tr else "missing"
            setattr(counts, status, getattr(counts, status) + 1)
            if tr and tr.flags:
                counts.flagged_list.append(Flagged(briefing.path, seg.line, seg.id, tr.flags))
    return counts


@dataclass
class TranslateReport:
    engine: str = ""
    translated: int = 0
    reused: int = 0  # machine output already in the memory, kept
    reviewed: int = 0
    stale: int = 0  # reviewed English of an earlier source text, waiting for review
    missing: int = 0
    seconds: float = 0.0
    obsoleted: int = 0
    moved: int = 0
    flagged_list: list[Flagged] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return len(self.flagged_list)

    def lines(self) -> list[str]:
        out = []
        if self.translated:
            rate = self.translated / self.seconds if self.seconds else 0.0
            out.append(f"translated {self.translated} segments with {self.engine} "
                       f"in {self.seconds:.1f} s ({rate:.1f} segments/s)")
        else:
            out.append("translated 0 segments (nothing new or changed)" if not self.missing
                       else "translated 0 segments (no zh→en model installed)")
        out.append(f"memory: {self.reused} reused, {self.reviewed} reviewed, {self.stale} stale, "
                   f"{self.flagged} flagged, {self.missing} missing")
        if self.moved or self.obsoleted:
            out.append(f"memory: {self.moved} entries moved to new segment ids, "
                       f"{self.obsoleted} kept as obsolete (#~) because their segment is gone")
        out.extend(str(f) for f in self.flagged_list)
        if self.missing:
            out.append(f"{self.missing} segments have no English yet; {INSTALL_HINT}")
        return out


@dataclass
class CoverageReport:
    counts: Counts

    @property
    def missing(self) -> int:
        return self.counts.missing

    @property
    def flagged(self) -> int:
        return self.counts.flagged

    def lines(self) -> list[str]:
        c = self.counts
        out = [f"English: {c.reviewed} reviewed, {c.machine} machine (needs review), "
               f"{c.stale} stale, {c.missing} missing, {c.flagged} flagged, of {c.total} segments"]
        out.extend(str(f) for f in c.flagged_list)
        if c.missing:
            out.append(f"{c.missing} segments are shown in Chinese, marked as not yet translated; {INSTALL_HINT}")
        return out


# ---- progress -----------------------------------------------------------------

class Progress:
    """segments done / total and rate on stderr: a live bar on a terminal, one line per
    batch otherwise (CI logs), nothing when disabled."""

    def __init__(self, total: int, enabled: bool, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = done / elapsed
        if self.tty:
            width = 30
            filled = int(width * done / self.total)
            self.stream.write(f"\rtranslating [{'#' * filled}{'.' * (width - filled)}] "
                              f"{done}/{self.total} segments, {rate:.1f}/s")
        else:
            self.stream.write(f"translating: {done}/{self.total} segments, {rate:.1f}/s\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()


# ---- the stage ----------------------------------------------------------------

def engine_available(config: Config) -> bool:
    from builder.translate import engine

    return engine.find_model() is not None


def follow_renames(config: Config, site: Site) -> list[str]:
    """Move the memory of each renamed briefing to its new slug (memory.follow_renames), before
    it is read: the reviewed English shows on the renamed page in the same run."""
    return memory.follow_renames(config.content, site.briefings, lambda p: _rel(config, p))


def _load_merged(config: Config, site: Site) -> dict[str, tuple[Briefing, Path, polib.POFile, memory.MergeReport,
                                                                  str | None]]:
    """slug -> (briefing, po path, merged POFile, MergeReport, text on disk or None)."""
    problems = Collector()
    result = {}
    for briefing in site.briefings:
        path = memory.memory_path(config.content, briefing.slug)
        rel = _rel(config, path)
        try:
            old = memory.load_po(path, rel, root=config.root)
        except BuildError as exc:
            problems.extend(exc)
            continue
        merged, report = memory.merge(old, briefing)
        on_disk = path.read_text(encoding="utf-8") if old is not None else None
        result[briefing.slug] = (briefing, path, merged, report, on_disk)
    problems.raise_if_any()
    return result


def _save_if_changed(path: Path, po, on_disk: str | None) -> bool:
    text = memory.render_po(po)
    if text == on_disk:
        return False
    memory.write_po_text(path, text)  # read back before it replaces the old file
    return True


def _remove_leftover_temp_files(config: Config) -> None:
    """A killed run can leave the hidden temp file of an atomic write behind
    (builder/write.write_text_atomic: `.<slug>.po.<random>.tmp`); the PO file itself is whole."""
    folder = config.content / "translations" / "en"
    for leftover in sorted(folder.glob(".*.po.*.tmp")) if folder.is_dir() else ():
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink()


def protector(config: Config, site: Site) -> Protector:
    """The masker for this project: glossary, taxonomy names and the terminology list
    (Site.terms, read by content.load_site)."""
    from builder.translate import terms

    return terms.Protector(site, site.terms)


def translate_site(config: Config, site: Site, progress: bool = True, stream=None,
                   engine: Translator | None = None) -> TranslateReport:
    """`engine`: anything with `label` and `translate_in_batches` (engine.Translator); by
    default the installed Argos model, when there is one."""
    from builder.translate import engine as engines
    from builder.translate import quality, terms

    started = time.monotonic()
    _remove_leftover_temp_files(config)
    memories = _load_merged(config, site)
    report = TranslateReport()
    todo = []  # (slug, entry)
    translated_now: set[tuple[str, str]] = set()
    for slug, (_briefing, _path, po, merge_report, _on_disk) in sorted(memories.items()):
        report.moved += len(merge_report.moved)
        report.obsoleted += len(merge_report.obsoleted)
        for entry in po:
            if not entry.obsolete and memory.needs_machine(entry):
                todo.append((slug, entry))
    if todo and engine is None:
        model = engines.find_model()
        if model is not None:
            from builder.translate import models

            models.check_model(model.path)  # a half-installed model: a clear error naming its folder
            try:
                engine = engines.Engine(model, config)
            except (RuntimeError, OSError, ValueError) as exc:  # ctranslate2 / sentencepiece cannot read it
                raise BuildError(str(model.path), None, f"cannot load the installed model ({exc}): remove this "
                                                        "folder and install the model again") from None
    if todo and engine is not None:
        eng = engine
        limit = getattr(eng, "max_decoding_length", 0)
        report.engine = eng.label
        masker = protector(config, site)
        # one engine call per distinct masked sentence, shortest first (Engine.translate_in_batches)
        masked: dict[str, terms.Masked] = {}
        for _slug, entry in todo:
            masked.setdefault(entry.msgid, masker.mask(entry.msgid))
        sources = sorted(masked)
        waiting: dict[str, list] = {}
        for slug, entry in todo:
            waiting.setdefault(entry.msgid, []).append((slug, entry))
        bar = Progress(len(todo), progress, stream)
        done = 0
        try:
            for indices, outputs in eng.translate_in_batches([masked[zh].source for zh in sources]):
                touched = set()
                for zh, output in zip((sources[i] for i in indices), outputs):
                    en, lost = terms.restore(masked[zh], output.text)
                    q = quality.assess(masked[zh], output.text, en, score=output.mean_logprob,
                                       pieces=output.tokens, limit=limit, placeholder="placeholder" in lost,
                                       markup="markup" in lost)
                    for slug, entry in waiting[zh]:
                        memory.set_machine(entry, en, eng.label, q.score, q.flags)
                        if q.ratio is not None:  # the value the omission / addition flags compare
                            entry.comment += f"\nratio: {q.ratio:.2f}"
                        touched.add(slug)
                        translated_now.add((slug, entry.msgctxt))
                        done += 1
                        report.translated += 1
                # write after every batch: a killed run keeps everything translated so far
                for slug in sorted(touched):
                    _b, path, po, _r, on_disk = memories[slug]
                    if _save_if_changed(path, po, on_disk):
                        memories[slug] = (_b, path, po, _r, memory.render_po(po))
                bar.update(done)
        finally:
            bar.close()
    for _slug, (_briefing, path, po, _r, on_disk) in sorted(memories.items()):
        if _save_if_changed(path, po, on_disk):
            report.written.append(_rel(config, path))
    # the report counts the memory as it now stands
    for slug, (briefing, _path, po, _r, _d) in sorted(memories.items()):
        table = memory.translations(po, briefing)
        for seg in briefing.segments():
            tr = table[seg.id]
            if tr.status == "reviewed":
                report.reviewed += 1
            elif tr.status == "missing":
                report.missing += 1
            elif tr.status == "stale":
                report.stale += 1
            elif (slug, seg.id) not in translated_now:
                report.reused += 1
            if tr.flags:
                report.flagged_list.append(Flagged(briefing.path, seg.line, seg.id, tr.flags))
    report.seconds = time.monotonic() - started
    return report


_SEGMENT_QUERY = re.compile(r"^(?:(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)[:/])?"
                            r"(?P<id>meta\.[a-z]+|s\d+(?:\.(?:h|sub|p\d+\.\d+))|fig\d+\.[a-z]+)$")


def show_masked(config: Config, site: Site, query: str) -> list[str]:
    """What the engine is sent for a segment, and the placeholder table: `query` is a
    segment id (s1.p2.1, in every briefing that has it, or slug:s1.p2.1) or Chinese text."""
    masker = protector(config, site)
    found = []  # (where, label, Chinese)
    m = _SEGMENT_QUERY.match(query.strip())
    if m:
        for briefing in site.briefings:
            if m.group("slug") and briefing.slug != m.group("slug"):
                continue
            for seg in briefing.segments():
                if seg.id == m.group("id"):
                    found.append((f"{briefing.path}:{seg.line}", f"{briefing.slug}:{seg.id}", seg.zh))
        if not found:
            raise BuildError(None, None, f"no briefing has a segment '{query.strip()}'")
    else:
        found.append(("", "text", query.strip()))
    lines = []
    for where, label, zh in found:
        masked = masker.mask(zh)
        lines.append(f"{where}  {label}".strip())
        lines.append(f"  Chinese: {zh}")
        lines.append(f"  sent:    {masked.source}")
        for slot in masked.slots:
            ref = f"  ({slot.ref})" if slot.ref else ""
            lines.append(f"  {slot.token}  {slot.kind:<10}  {slot.zh} → {slot.en}{ref}")
        if not masked.slots:
            lines.append("  (nothing masked: no name, term or figure to protect)")
    return lines


def attach_translations(config: Config, site: Site, memo: Memo | None = None,
                        pool: WorkerPool | None = None) -> Site:
    """The site with .translations filled from the memory (merged in memory, nothing written).

    Each file is read once. When every segment already has an active entry with its id and
    its Chinese, merging would only copy those entries (memory.in_step), so the table is read
    from the file as it stands; otherwise (moved, changed or new segments) it is merged first.
    With `memo`, a briefing whose text and memory file are unchanged keeps the table read
    before; the others are read in `pool`'s workers."""
    problems = Collector()
    tables = {}
    todo = []
    for briefing in site.briefings:
        key = None
        if memo is not None:
            memo.note_source(briefing.slug, "po", memo.fingerprint(memory.memory_path(config.content, briefing.slug)))
            key = (briefing.slug, memo.source(briefing.slug))
            cached = memo.get("table", key)
            if cached is not None:
                tables[briefing.slug] = cached
                continue
        todo.append((briefing, key))
    jobs = pool.jobs if pool is not None else 1
    chunk = max(1, min(32, len(todo) // (jobs * 4)))
    results = (pool or WorkerPool()).map(_read_table, config, [b for b, _key in todo], chunksize=chunk)
    for (briefing, key), (result, found) in zip(todo, results, strict=True):
        if found:
            problems.problems.extend(found)
            continue
        pickled = result if isinstance(result, bytes) else None
        table = pickle.loads(pickled) if pickled is not None else result
        if memo is not None:
            memo.put("table", key, table, pickled=pickled)
        tables[briefing.slug] = table
    problems.raise_if_any()
    return dataclasses.replace(site, translations=dict(sorted(tables.items())))


def _read_table(config: Config, briefing: Briefing, remote: bool) -> tuple[object, list]:
    """(segment id -> Translation of one briefing, pickled when `remote`; problems)."""
    path = memory.memory_path(config.content, briefing.slug)
    try:
        po = memory.load_po(path, config.rel(path), root=config.root)
    except BuildError as exc:
        return None, list(exc.problems)
    if not memory.in_step(po, briefing):
        po, _report = memory.merge(po, briefing)
    table = memory.translations(po, briefing)
    return (pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL) if remote else table), []


def coverage(site: Site, memo: Memo | None = None) -> CoverageReport:
    """Counts of the whole site; with `memo`, each briefing's counts are kept by what its
    text and memory are, so an edit does not unpickle every table just to count it again."""
    if memo is None:
        return CoverageReport(_count(site))
    total = Counts()
    for briefing in site.briefings:
        key = (briefing.slug, memo.source(briefing.slug))
        counts = memo.get("coverage", key)
        if counts is None:
            counts = memo.put("coverage", key, _count(dataclasses.replace(site, briefings=(briefing,))))
        total = Counts(total.reviewed + counts.reviewed, total.machine + counts.machine, total.stale + counts.stale,
                       total.missing + counts.missing, total.flagged_list + counts.flagged_list)
    return CoverageReport(total)


# ---- reviewed English from a file ------------------------------------------------

@dataclass
class ImportReport:
    filled: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"imported reviewed English: {self.filled} segments filled, {self.unchanged} already "
               f"reviewed the same, {len(self.conflicts)} conflicts, {len(self.unused)} unused items"]
        out.extend(self.conflicts)
        out.extend(self.unused)
        out.extend(f"wrote {w}" for w in self.written)
        return out


def parse_reviewed(text: str, path: str) -> list[tuple[int, str, str, str]]:
    """YAML list of {zh, en, note?} -> [(line, zh, en, note)]; every problem reported."""
    from builder import frontmatter

    data = frontmatter.load_yaml(text, path)
    if not isinstance(data, frontmatter.LineList):  # (every YAML list it gives is one)
        raise BuildError(path, 1, "must be a YAML list of {zh, en, note} items")
    problems = Collector()
    items = []
    for index, raw in enumerate(data):
        line = data.lines[index]
        if not isinstance(raw, dict):
            problems.add(path, line, "each item must be a mapping with zh and en")
            continue
        unknown = sorted(set(raw) - {"zh", "en", "note", "id"})
        if unknown:
            problems.add(path, line, f"unknown key '{unknown[0]}'; known: en, id, note, zh")
            continue
        zh, en, note = raw.get("zh"), raw.get("en"), raw.get("note") or ""
        if not isinstance(zh, str) or not zh.strip() or not isinstance(en, str) or not en.strip():
            problems.add(path, line, "item needs non-empty text for both zh and en")
            continue
        items.append((line, zh.strip(), " ".join(en.split()), " ".join(str(note).split())))
    problems.raise_if_any()
    return items


def import_reviewed(yaml_path, site: Site, config: Config | None = None) -> ImportReport:
    """Fill every segment whose Chinese equals an item's zh as reviewed (not fuzzy).

    A reviewed entry (or a stale one a person wrote) whose English differs is never
    overwritten: it is reported as a conflict instead."""
    from builder.config import load_config

    config = config or load_config()
    yaml_path = Path(yaml_path)
    rel = _rel(config, yaml_path.resolve()) if yaml_path.is_absolute() else str(yaml_path)
    try:
        text = yaml_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildError(rel, None, "no such file") from None
    items = parse_reviewed(text, rel)
    memories = _load_merged(config, site)
    report = ImportReport()
    used = set()
    for _slug, (briefing, path, po, _r, on_disk) in sorted(memories.items()):
        for entry in po:
            if entry.obsolete:
                continue
            for line, zh, en, note in items:
                if entry.msgid.strip() != zh:
                    continue
                used.add(line)
                status = memory.status_of(entry)
                person_wrote = status == "reviewed" or (status == "stale" and not memory.is_machine_origin(entry))
                if person_wrote and entry.msgstr != en:
                    report.conflicts.append(
                        f"{rel}:{line}: {briefing.path} {entry.msgctxt} already has reviewed English "
                        f"that differs; kept it: {entry.msgstr[:60]!r}")
                elif status == "reviewed":
                    if note and memory.note_of(entry) != note:
                        memory.set_note(entry, note)
                        report.filled += 1
                    else:
                        report.unchanged += 1
                else:
                    memory.set_reviewed(entry, en, note or memory.note_of(entry))
                    report.filled += 1
                break
        if _save_if_changed(path, po, on_disk):
            report.written.append(_rel(config, path))
    for line, zh, _en, _note in items:
        if line not in used:
            report.unused.append(f"{rel}:{line}: no segment has this Chinese: {zh[:30]}")
    return report


__all__ = [
    "BuildErrors",
    "CoverageReport",
    "ImportReport",
    "TranslateReport",
    "attach_translations",
    "coverage",
    "engine_available",
    "follow_renames",
    "import_reviewed",
    "show_masked",
    "translate_site",
]

"""The translation memory: one gettext PO file per briefing, content/translations/en/<slug>.po.

    msgctxt  the stable segment id (builder/model.py)     msgid   the Chinese
    msgstr   the English                                  #, fuzzy  machine output / stale
    #.       engine, model version, score, quality flags  # note:  a translator's note
    #| msgid the Chinese an entry was translated from, when the source has changed since
    #~       obsolete: the segment is gone from the briefing (kept, never deleted silently)

Status of an entry (what the renderer and the reports see):
    reviewed  msgstr set, not fuzzy (a person wrote or approved it)
    machine   msgstr set, fuzzy, translated from the current Chinese by an engine
    stale     msgstr set, fuzzy, with `#| msgid`: it translates an earlier version of the
              Chinese. A stale machine entry is re-translated by the next run; a stale entry
              that a person reviewed is never overwritten by a machine: it waits for review.
    missing   no msgstr

Merge rules (`merge`), when a briefing's segments are compared with its memory:
  1. same id, same Chinese                     → kept as it is
  2. same Chinese under another id (a paragraph was inserted and ids shifted, or a segment
     moved)                                     → the entry moves to the new id, status kept
  3. same id, Chinese changed                   → old Chinese kept as `#| msgid`, fuzzy (stale)
  4. an id that disappeared                     → obsolete (`#~`), not deleted
The file is written in reading order with a header that has no timestamps, so the same
memory always produces the same bytes.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from builder.errors import BuildError
from builder.model import Briefing, Segment, Translation
from builder.write import write_text_atomic

ENGINE_KEY = "engine"
SCORE_KEY = "score"
FLAGS_KEY = "flags"
NOTE_PREFIX = "note:"
STALE_REVIEWED = "stale: reviewed English of an earlier Chinese text; a machine will not overwrite it"


def memory_dir(content: Path) -> Path:
    return Path(content) / "translations" / "en"


def memory_path(content: Path, slug: str) -> Path:
    return memory_dir(content) / f"{slug}.po"


# ---- reading ------------------------------------------------------------------

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"((?:[^"\\]|\\.)*)"\s*$')
_CONTINUATION = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')


@functools.cache
def fast_po_pattern() -> re.Pattern:
    """The PO files this project writes (and Poedit's wrapped ones), as one regex over the
    whole text: every line ends in \n; comments `#…` (not `#~`), `#~|…`; blocks of
    [msgctxt] msgid [msgid_plural msgstr[0] msgstr[1]…] | msgstr, each keyword once and
    followed by its continuation strings, either plain or all `#~ ` (obsolete).

    It accepts only texts the line check accepts (tests/translate/test_memory.py mutates
    real files to check that): lines are split where str.splitlines splits, no blank line
    or comment inside a block, every block complete, so the line check sees the same
    entries, each with its msgid and msgstr and no keyword twice."""
    sep = r"\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks at each of these
    string = rf'"[^"\\{sep}]*(?:\\[^{sep}][^"\\{sep}]*)*"'

    def block(prefix: str) -> str:
        def field(keyword: str) -> str:
            return rf"{prefix}{keyword} {string}\n(?:{prefix}{string}\n)*"
        forms = [field(rf"msgstr\[{n}\]") for n in range(10)]  # in order, so none twice
        plural = forms[0] + "".join(f"(?:{form}" for form in forms[1:]) + ")?" * (len(forms) - 1)
        return (f"(?:{field('msgctxt')})?{field('msgid')}"
                f"(?:{field('msgid_plural')}{plural}|{field('msgstr')})")

    comment = rf"#(?:[^~{sep}][^{sep}]*)?\n|#~ ?\|[^{sep}]*\n"
    return re.compile(rf"(?:\n|{comment}|{block('')}|{block('#~ ')})*")


_CHECKED = [0]  # files this process has checked
FAST_AFTER = 8  # compiling the pattern (~25 ms) costs as much as walking a dozen files


def validate_po(text: str, path: str) -> None:
    """Strict line check before polib (which silently accepts truncated or mangled files).

    Raises BuildError(path, line, …) at the first line that is not PO, and when an entry
    ends without its msgid or msgstr (a file cut off mid-entry). A text the whole-file
    pattern accepts is valid without the line-by-line walk (which finds the line otherwise);
    the pattern is compiled once a process has more than a few files to check."""
    _CHECKED[0] += 1
    if not (_CHECKED[0] > FAST_AFTER and fast_po_pattern().fullmatch(text)):
        _validate_lines(text, path)


def _validate_lines(text: str, path: str) -> None:
    seen: list[str] = []
    start = 0

    def close(line: int) -> None:
        if not seen:
            return
        if "msgid" not in seen:
            raise BuildError(path, start, "entry has no msgid (file damaged or cut off?)")
        if not any(k.startswith("msgstr") for k in seen):
            raise BuildError(path, start, "entry has no msgstr (file damaged or cut off?)")

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            line = line[2:].strip()
            if line.startswith("|"):
                continue
        elif line.startswith("#"):
            if seen and any(k.startswith("msgstr") for k in seen):
                close(number)
                seen = []
            continue
        if not line:
            close(number)
            seen = []
            continue
        m = _KEYWORD.match(line)
        if m:
            keyword = m.group(1)
            if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in seen):
                close(number)
                seen = []
            if not seen:
                start = number
            if keyword in seen:
                raise BuildError(path, number, f"'{keyword}' twice in one entry")
            seen.append(keyword)
            continue
        if _CONTINUATION.match(line) and seen:
            continue
        if line.startswith(('msg', '"')):
            raise BuildError(path, number, "unterminated or malformed string (file damaged or cut off?)")
        raise BuildError(path, number, f"not a PO line: {raw.strip()[:40]!r}")
    close(len(text.splitlines()))


def parse_po(text: str, path: str) -> polib.POFile:
    validate_po(text, path)
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise BuildError(path, int(m.group(1)) if m else None, f"invalid PO file: {exc}") from None
    seen: dict[str, int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgctxt:
            raise BuildError(path, entry.linenum, "entry has no msgctxt (segment id)")
        if entry.msgctxt in seen:
            raise BuildError(path, entry.linenum,
                             f"segment id '{entry.msgctxt}' appears twice (first at line {seen[entry.msgctxt]})")
        seen[entry.msgctxt] = entry.linenum
    return po


def load_po(path: Path, rel: str, root: Path | None = None) -> polib.POFile | None:
    """The memory file, or None when there is none yet. With `root`, a link that leads
    outside that folder is refused rather than read (its first line would end up in an error)."""
    path = Path(path)
    if root is not None and (path.is_symlink() or path.exists()):
        if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
            raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(rel, None, f"is not valid UTF-8 (byte {exc.start})") from None
    return parse_po(text, rel)


# ---- entry status -------------------------------------------------------------

def _comment_lines(entry: polib.POEntry) -> list[str]:
    return [line for line in (entry.comment or "").splitlines() if line.strip()]


def comment_value(entry: polib.POEntry, key: str) -> str:
    for line in _comment_lines(entry):
        if line.startswith(f"{key}:"):
            return line[len(key) + 1:].strip()
    return ""


def note_of(entry: polib.POEntry) -> str:
    notes = [line.strip()[len(NOTE_PREFIX):].strip() for line in (entry.tcomment or "").splitlines()
             if line.strip().startswith(NOTE_PREFIX)]
    return " ".join(notes)


def is_machine_origin(entry: polib.POEntry) -> bool:
    return bool(comment_value(entry, ENGINE_KEY))


def status_of(entry: polib.POEntry) -> str:
    if not entry.msgstr:
        return "missing"
    if "fuzzy" not in entry.flags:
        return "reviewed"
    if entry.previous_msgid:
        return "stale"
    return "machine" if is_machine_origin(entry) else "stale"


def needs_machine(entry: polib.POEntry) -> bool:
    """Missing, or stale machine output. Never a translation a person reviewed."""
    status = status_of(entry)
    return status == "missing" or (status == "stale" and is_machine_origin(entry))


def translation_of(entry: polib.POEntry) -> Translation:
    """What the renderer sees of an entry (status_of, comment_value and note_of in one pass
    over the comments: this runs for every segment of every build)."""
    values: dict[str, str] = {}
    for line in (entry.comment.splitlines() if entry.comment else ()):
        key, colon, value = line.partition(":")
        if colon and line.strip():
            values.setdefault(key, value.strip())
    engine = values.get(ENGINE_KEY, "")
    if not entry.msgstr:
        status = "missing"
    elif "fuzzy" not in entry.flags:
        status = "reviewed"
    else:
        status = "stale" if entry.previous_msgid or not engine else "machine"
    flags = ()
    if status in ("machine", "stale") and values.get(FLAGS_KEY):
        flags = tuple(f.strip() for f in values[FLAGS_KEY].split(",") if f.strip())
    return Translation(
        segment_id=entry.msgctxt, en=entry.msgstr or None, status=status, flags=flags,
        note=note_of(entry) if entry.tcomment else "", engine=engine,
    )


def set_machine(entry: polib.POEntry, en: str, engine: str, score: float | None,
                flags: tuple[str, ...] = ()) -> None:
    """Store engine output: fuzzy, with engine/score/flags comments; the note stays."""
    if status_of(entry) == "reviewed" or (status_of(entry) == "stale" and not is_machine_origin(entry)):
        raise ValueError(f"refusing to overwrite reviewed translation of {entry.msgctxt}")
    entry.msgstr = en
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    entry.previous_msgid = None
    lines = [f"{ENGINE_KEY}: {engine}"]
    if score is not None:
        lines.append(f"{SCORE_KEY}: {score:.4f}")
    if flags:
        lines.append(f"{FLAGS_KEY}: {', '.join(flags)}")
    entry.comment = "\n".join(lines)


def set_reviewed(entry: polib.POEntry, en: str, note: str = "") -> None:
    entry.msgstr = en
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.previous_msgid = None
    entry.comment = ""
    set_note(entry, note)


def set_note(entry: polib.POEntry, note: str) -> None:
    others = [line for line in (entry.tcomment or "").splitlines()
              if line.strip() and not line.strip().startswith(NOTE_PREFIX)]
    if note:
        others.append(f"{NOTE_PREFIX} {' '.join(note.split())}")
    entry.tcomment = "\n".join(others)


# ---- merging ------------------------------------------------------------------

@dataclass
class MergeReport:
    kept: int = 0
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    changed: list[str] = field(default_factory=list)  # ids whose Chinese changed
    obsoleted: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


def _copy(entry: polib.POEntry, segment: Segment) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=segment.id, msgid=segment.zh, msgstr=entry.msgstr, flags=list(entry.flags),
        comment=entry.comment, tcomment=entry.tcomment, previous_msgid=entry.previous_msgid,
    )


def _rank(entry: polib.POEntry) -> tuple:
    order = {"reviewed": 0, "machine": 1, "stale": 2, "missing": 3}
    return (order[status_of(entry)], entry.obsolete, entry.msgctxt or "")


def new_po(slug: str, source: str = "") -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = header(slug, source)
    return po


def header(slug: str, source: str = "", existing: dict | None = None) -> dict:
    meta = {k: v for k, v in (existing or {}).items()
            if k not in ("POT-Creation-Date", "PO-Revision-Date")}  # no wall-clock time in the memory
    meta.update({
        "Project-Id-Version": f"xuzhou-briefing {slug}",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": "zh",
    })
    if source:
        meta["X-Source-File"] = source
    return meta


def merge(po: polib.POFile | None, briefing: Briefing) -> tuple[polib.POFile, MergeReport]:
    """A new POFile holding one entry per segment of `briefing`, in reading order (pure)."""
    report = MergeReport()
    segments = list(briefing.segments())
    old_active = [e for e in po if not e.obsolete] if po else []
    old_obsolete = [e for e in po if e.obsolete] if po else []
    by_id = {e.msgctxt: e for e in old_active}
    claimed: set[int] = set()
    result: dict[str, polib.POEntry] = {}

    # 1. exact (id, Chinese) matches
    for seg in segments:
        entry = by_id.get(seg.id)
        if entry is not None and entry.msgid == seg.zh:
            result[seg.id] = _copy(entry, seg)
            claimed.add(id(entry))
            report.kept += 1
    # 2. the same Chinese under another id (ids shifted): move it, status and all
    by_msgid: dict[str, list[polib.POEntry]] = {}
    for entry in old_active + old_obsolete:
        by_msgid.setdefault(entry.msgid, []).append(entry)
    for seg in segments:
        if seg.id in result or seg.zh not in by_msgid:
            continue
        candidates = [e for e in by_msgid[seg.zh] if e.msgstr]
        if not candidates:
            continue
        free = [e for e in candidates if id(e) not in claimed]
        # an entry still claimed by its own id is copied (the sentence occurs twice)
        source = min(free or candidates, key=_rank)
        claimed.add(id(source))
        result[seg.id] = _copy(source, seg)
        report.moved.append((source.msgctxt or "", seg.id))
    # 3. same id, changed Chinese: keep the old text as previous, mark stale
    for seg in segments:
        if seg.id in result:
            continue
        entry = by_id.get(seg.id)
        if entry is not None and id(entry) not in claimed and entry.msgstr:
            claimed.add(id(entry))
            fresh = _copy(entry, seg)
            fresh.previous_msgid = entry.previous_msgid or entry.msgid
            if "fuzzy" not in fresh.flags:
                fresh.flags.append("fuzzy")
            if status_of(entry) == "reviewed" or not is_machine_origin(entry):
                # a person's English (Poedit keeps the engine comments when un-fuzzying)
                fresh.comment = STALE_REVIEWED
            result[seg.id] = fresh
            report.changed.append(seg.id)
            continue
        if entry is not None:
            claimed.add(id(entry))
        result[seg.id] = polib.POEntry(msgctxt=seg.id, msgid=seg.zh, msgstr="")
        report.new.append(seg.id)

    out = polib.POFile(wrapwidth=0)
    out.header = (f"Translation memory (Chinese → English) for the briefing '{briefing.slug}'.\n"
                  "Machine output is fuzzy; remove the fuzzy flag once you have reviewed an entry.")
    out.metadata = header(briefing.slug, briefing.path, po.metadata if po else None)
    for seg in segments:
        out.append(result[seg.id])
    # 4. nothing is deleted silently: what no segment uses any more becomes obsolete
    active_keys = {(e.msgctxt, e.msgid) for e in out}
    gone = []
    for entry in old_active:
        if id(entry) not in claimed and entry.msgstr:
            report.obsoleted.append(entry.msgctxt)
            gone.append(entry)
    for entry in old_obsolete:
        if id(entry) not in claimed:
            gone.append(entry)
    seen_keys = set()
    for entry in sorted(gone, key=lambda e: (e.msgctxt or "", e.msgid)):
        key = (entry.msgctxt, entry.msgid)
        if key in active_keys or key in seen_keys:
            continue
        seen_keys.add(key)
        obsolete = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                 flags=list(entry.flags), comment=entry.comment, tcomment=entry.tcomment,
                                 previous_msgid=entry.previous_msgid)
        obsolete.obsolete = True
        out.append(obsolete)
    return out, report


def render_po(po: polib.POFile) -> str:
    po.wrapwidth = 0
    return str(po).rstrip("\n") + "\n"


def save_po(path: Path, po: polib.POFile) -> None:
    """Atomic: a reader (or a killed run) sees the old file or the new one, never half."""
    write_text_atomic(Path(path), render_po(po))


def in_step(po: polib.POFile | None, briefing: Briefing) -> bool:
    """Does every segment have an active entry with its id and its Chinese? Then `merge`
    would keep each of those entries as it is (rule 1), and `translations` gives the same
    table for the file as read as for the merged one (other entries are not looked at)."""
    if po is None:
        return False
    by_id = {e.msgctxt: e.msgid for e in po if not e.obsolete}
    return all(by_id.get(seg.id) == seg.zh for seg in briefing.segments())


def translations(po: polib.POFile | None, briefing: Briefing) -> dict[str, Translation]:
    """segment id -> Translation for every segment; entries whose Chinese differs from the
    briefing's (the memory was not merged yet) count as stale."""
    by_id = {e.msgctxt: e for e in po if not e.obsolete} if po else {}
    result = {}
    for seg in briefing.segments():
        entry = by_id.get(seg.id)
        if entry is None:
            result[seg.id] = Translation(seg.id, None, "missing")
            continue
        tr = translation_of(entry)
        if entry.msgid != seg.zh and tr.en:
            tr = Translation(tr.segment_id, tr.en, "stale", tr.flags, tr.note, tr.engine)
        elif entry.msgid != seg.zh:
            tr = Translation(seg.id, None, "missing")
        result[seg.id] = tr
    return result

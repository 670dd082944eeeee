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
from builder.text import normalise_text
from builder.write import write_text_atomic

ENGINE_KEY = "engine"
SCORE_KEY = "score"
FLAGS_KEY = "flags"
NOTE_PREFIX = "note:"
# a translator comment holding a person's English that another entry for the same sentence had
OTHER_ENGLISH_PREFIX = "other reviewed English:"
STALE_REVIEWED = "stale: reviewed English of an earlier Chinese text; a machine will not overwrite it"


def memory_dir(content: Path) -> Path:
    return Path(content) / "translations" / "en"


def memory_path(content: Path, slug: str) -> Path:
    return memory_dir(content) / f"{slug}.po"


# ---- reading ------------------------------------------------------------------

_SEP = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines (and PO tools) break lines
_CONTROL = "\x00-\x08\x0e-\x1f\x7f"  # invisible in an editor; never written by this tool
_STRING = rf'"[^"\\{_SEP}{_CONTROL}]*(?:\\[^{_SEP}{_CONTROL}][^"\\{_SEP}{_CONTROL}]*)*"'


@functools.cache
def po_pattern() -> re.Pattern:
    """The PO files this project reads, as one regex over the whole text (LF line ends):
    comments `#…` (not `#~`) and `#~|…`; entries of [msgctxt] msgid msgstr, each keyword
    once, in that order, followed by its continuation strings, either plain or all `#~ `
    (obsolete); blank lines between them. No blank line or comment inside an entry, no
    plural forms (one entry is one sentence), no line separator inside a string.

    Whole-file and in C: a build with 4,000 memory files checks them all."""
    def block(prefix: str) -> str:
        def field(keyword: str) -> str:
            return rf"{prefix}{keyword} {_STRING}\n(?:{prefix}{_STRING}\n)*"
        return f"(?:{field('msgctxt')})?{field('msgid')}{field('msgstr')}"

    comment = rf"#(?:[^~{_SEP}][^{_SEP}]*)?\n|#~ ?\|[^{_SEP}]*\n"
    return re.compile(rf"(?:\n|{comment}|{block('')}|{block('#~ ')})*")


_KEYWORD = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) {_STRING}$")
_CONTINUATION = re.compile(rf"^{_STRING}$")
_ORDER = ("msgctxt", "msgid", "msgstr")


def validate_po(text: str, path: str) -> None:
    """Strict check before polib (which silently accepts truncated or mangled files): the
    text must be what `po_pattern` describes. Raises BuildError(path, line, …) naming the
    first line that is not, and why. (`text` has LF line ends: see `parse_po`.)"""
    end = po_pattern().match(text).end()  # type: ignore[union-attr]  # (?:…)* always matches
    if end != len(text):
        line, message = _explain(text, end)
        raise BuildError(path, line, message)


def _explain(text: str, offset: int) -> tuple[int, str]:
    """Why the pattern stops at `offset` (a line start): read the entry that line belongs to,
    from where the entry begins, up to the line that breaks it. Runs only on a bad file."""
    lines = text.split("\n")
    bad = text.count("\n", 0, offset)  # 0-based index of the line the pattern stopped at
    first = bad
    while first > 0 and lines[first - 1].strip() and not _comment(lines[first - 1]):
        first -= 1
    seen: list[str] = []
    obsolete: bool | None = None
    for index in range(first, len(lines)):
        raw, number = lines[index], index + 1
        if not raw.strip() or _comment(raw):
            if seen and seen[-1] != "msgstr":
                return first + 1, "entry has no msgstr (file damaged or cut off?)"
            if index >= bad:
                break
            seen, first, obsolete = [], index + 1, None
            continue
        is_obsolete = raw.startswith("#~")
        if obsolete is None:
            obsolete = is_obsolete
        elif obsolete != is_obsolete:
            return number, ("an obsolete (#~) line inside an active entry" if is_obsolete
                            else "an active line inside an obsolete (#~) entry")
        line = raw[2:].lstrip(" ") if is_obsolete else raw
        found = next((c for c in line if c in _SEP), None)
        if found is not None:
            return number, (f"character U+{ord(found):04X} (a line or paragraph separator) in a string; "
                            "replace it with a space")
        found = next((c for c in line if (c < " " and c != "\t") or c == "\x7f"), None)
        if found is not None:
            return number, f"control character U+{ord(found):04X} in a string; remove it"
        keyword = _KEYWORD.match(line)
        if keyword:
            name = keyword.group(1)
            if name == "msgid_plural" or name.startswith("msgstr["):
                return number, ("plural forms (msgid_plural, msgstr[N]) are not used in this memory: "
                                "one entry per sentence, with msgctxt, msgid and msgstr")
            if seen and seen[-1] == "msgstr" and name != "msgstr":
                seen, first = [], index  # entries may follow each other without a blank line
            if name in seen:
                return number, f"'{name}' twice in one entry"
            if name == "msgstr" and "msgid" not in seen:
                return first + 1, "entry has no msgid (file damaged or cut off?)"
            if name == "msgctxt" and seen:
                return number, "'msgctxt' after the msgid (msgctxt, msgid, msgstr is the order)"
            seen.append(name)
            continue
        if _CONTINUATION.match(line) and seen:
            continue
        if line.startswith(("msg", '"')):
            return number, "unterminated or malformed string (file damaged or cut off?)"
        return number, f"not a PO line: {raw.strip()[:40]!r}"
    return bad + 1, "malformed entry (file damaged?)"


def _comment(raw: str) -> bool:
    return raw.startswith("#") and not (raw.startswith("#~") and not raw[2:].lstrip(" ").startswith("|"))


def parse_po(text: str, path: str) -> polib.POFile:
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a file saved with Windows line ends is still whole
    if text and not text.endswith("\n"):
        text += "\n"  # nor is one whose editor left out the last line end
    validate_po(text, path)
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise BuildError(path, int(m.group(1)) if m else None, f"invalid PO file: {exc}") from None
    if "#~|" in text:
        _read_obsolete_previous(text, po)
    seen: dict[str, int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgctxt:
            raise BuildError(path, entry.linenum or 1, "entry has no msgctxt (segment id)")
        if entry.msgctxt in seen:
            raise BuildError(path, entry.linenum,
                             f"segment id '{entry.msgctxt}' appears twice (first at line {seen[entry.msgctxt]})")
        seen[entry.msgctxt] = entry.linenum
    return po


def _read_obsolete_previous(text: str, po: polib.POFile) -> None:
    """polib writes an obsolete entry's earlier Chinese (`#~| msgid`) but does not read it back:
    without it a person's English of an edited, then deleted sentence could not be found when
    the sentence is restored. The file is valid here, so each obsolete entry has one msgid line."""
    obsolete = iter([e for e in po if e.obsolete])
    previous: list[str] | None = None
    for line in text.split("\n"):
        if line.startswith("#~|"):
            rest = line[3:].strip()
            if rest.startswith("msgid "):
                previous = []
                rest = rest[6:]
            if previous is not None and rest.startswith('"'):
                previous.append(polib.unescape(rest[1:-1]))
        elif line.startswith("#~ msgid ") or line.startswith("#~msgid "):
            entry = next(obsolete, None)
            if entry is not None and previous is not None:
                entry.previous_msgid = "".join(previous)
            previous = None


class _ObsoleteEntry(polib.POEntry):
    """polib leaves out the extracted comments (`#.`: engine, score, the stale note) of an
    obsolete entry when writing, though it reads them: written here, where an active entry has them."""

    def __unicode__(self, wrapwidth=78):
        text = super().__unicode__(wrapwidth)
        if not self.comment:
            return text
        lines = text.split("\n")
        at = len(self.tcomment.split("\n")) if self.tcomment else 0
        return "\n".join(lines[:at] + [f"#. {line}" for line in self.comment.split("\n")] + lines[at:])


def load_po(path: Path, rel: str, root: Path | None = None) -> polib.POFile | None:
    """The memory file, or None when there is none yet. With `root`, a link that leads
    outside that folder is refused rather than read (its first line would end up in an error)."""
    path = Path(path)
    if root is not None and (path.is_symlink() or path.exists()) \
            and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
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
    flags: tuple[str, ...] = ()
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
    entry.msgstr = normalise_text(en)
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
    entry.msgstr = normalise_text(en)
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.previous_msgid = None
    entry.comment = ""
    set_note(entry, note)


def set_note(entry: polib.POEntry, note: str) -> None:
    others = [line for line in (entry.tcomment or "").splitlines()
              if line.strip() and not line.strip().startswith(NOTE_PREFIX)]
    if note:
        others.append(f"{NOTE_PREFIX} {' '.join(normalise_text(note).split())}")
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


def header_comment(slug: str) -> str:
    return (f"Translation memory (Chinese → English) for the briefing '{slug}'.\n"
            "Machine output is fuzzy; remove the fuzzy flag once you have reviewed an entry.")


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


def _persons(entry: polib.POEntry) -> bool:
    """Is the English a person's: reviewed, or reviewed once and stale since?"""
    status = status_of(entry)
    return status == "reviewed" or (status == "stale" and not is_machine_origin(entry))


def _restored(entry: polib.POEntry, segment: Segment) -> polib.POEntry:
    """A stale entry whose earlier Chinese (`#| msgid`) is the segment's again: its English was
    written for exactly this Chinese, so it is what it was before the edit (reviewed, when it
    was reviewed; otherwise still waiting for review)."""
    fresh = _copy(entry, segment)
    fresh.previous_msgid = None
    if entry.comment == STALE_REVIEWED:
        fresh.flags = [f for f in fresh.flags if f != "fuzzy"]
        fresh.comment = ""
    return fresh


def _keep_other_english(target: polib.POEntry, others: list[polib.POEntry]) -> None:
    """Two entries for one (id, Chinese) become one: a person's English that differs from the
    one kept stays in the file as a translator comment, for the reviewer to see and choose."""
    lines = [line for line in (target.tcomment or "").splitlines() if line.strip()]
    for other in others:
        english = " ".join(other.msgstr.split())
        if english and english != " ".join(target.msgstr.split()) and _persons(other):
            lines.append(f"{OTHER_ENGLISH_PREFIX} {english}")
        for line in (other.tcomment or "").splitlines():
            if line.strip().startswith(NOTE_PREFIX) and target.obsolete is False:
                line = f"{OTHER_ENGLISH_PREFIX} ({line.strip()})"  # a note is shown to readers: not on a live entry
            lines.append(line)
    target.tcomment = "\n".join(dict.fromkeys(line for line in lines if line.strip()))


def merge(po: polib.POFile | None, briefing: Briefing) -> tuple[polib.POFile, MergeReport]:
    """A new POFile holding one entry per segment of `briefing`, in reading order (pure)."""
    report = MergeReport()
    segments = list(briefing.segments())
    old_active = [e for e in po if not e.obsolete] if po else []
    old_obsolete = [e for e in po if e.obsolete] if po else []
    by_id = {e.msgctxt: e for e in old_active}
    claimed: set[int] = set()
    result: dict[str, polib.POEntry] = {}
    by_msgid: dict[str, list[polib.POEntry]] = {}
    # a person's English of a sentence edited since: found again when the edit is undone
    by_previous: dict[str, list[polib.POEntry]] = {}
    for entry in old_active + old_obsolete:
        by_msgid.setdefault(entry.msgid, []).append(entry)
        if entry.previous_msgid and entry.msgstr and _persons(entry):
            by_previous.setdefault(entry.previous_msgid, []).append(entry)

    def restorable(seg: Segment) -> polib.POEntry | None:
        candidates = by_previous.get(seg.zh)
        if not candidates:
            return None
        return min(candidates, key=lambda e: (id(e) in claimed, e.comment != STALE_REVIEWED, e.obsolete,
                                              e.msgctxt != seg.id, e.msgctxt or ""))

    # 1. exact (id, Chinese) matches; a person's English for the same Chinese beats a machine's
    for seg in segments:
        entry = by_id.get(seg.id)
        if entry is None or entry.msgid != seg.zh:
            continue
        claimed.add(id(entry))
        if not _persons(entry):
            reviewed = [e for e in by_msgid[seg.zh] if e.msgstr and status_of(e) == "reviewed"]
            earlier = restorable(seg)
            if reviewed:
                source = min(reviewed, key=lambda e: (id(e) in claimed, e.obsolete, e.msgctxt or ""))
                claimed.add(id(source))
                result[seg.id] = _copy(source, seg)
                report.moved.append((source.msgctxt or "", seg.id))
                continue
            if earlier is not None:
                claimed.add(id(earlier))
                result[seg.id] = _restored(earlier, seg)
                report.moved.append((earlier.msgctxt or "", seg.id))
                continue
        result[seg.id] = _copy(entry, seg)
        report.kept += 1
    # 2. the same Chinese under another id (ids shifted), or a stale entry whose earlier
    # Chinese this is again (an edit undone): move it, status and all
    for seg in segments:
        if seg.id in result:
            continue
        candidates = [e for e in by_msgid.get(seg.zh, ()) if e.msgstr]
        earlier = restorable(seg)
        if candidates:
            free = [e for e in candidates if id(e) not in claimed]
            # an entry still claimed by its own id is copied (the sentence occurs twice)
            source = min(free or candidates, key=lambda e: (*_rank(e)[:2], e.msgctxt != seg.id, e.msgctxt or ""))
            if not _persons(source) and earlier is not None:
                claimed.add(id(earlier))
                result[seg.id] = _restored(earlier, seg)
                report.moved.append((earlier.msgctxt or "", seg.id))
                continue
            claimed.add(id(source))
            result[seg.id] = _copy(source, seg)
            report.moved.append((source.msgctxt or "", seg.id))
        elif earlier is not None:
            claimed.add(id(earlier))
            result[seg.id] = _restored(earlier, seg)
            report.moved.append((earlier.msgctxt or "", seg.id))
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
    out.header = header_comment(briefing.slug)
    out.metadata = header(briefing.slug, briefing.path, po.metadata if po else None)
    for seg in segments:
        out.append(result[seg.id])
    # 4. nothing is deleted silently: what no segment uses any more becomes obsolete; two
    # entries for one (id, Chinese) become one, every person's English kept in it
    active = {(e.msgctxt, e.msgid): e for e in out}
    gone: dict[tuple, list[polib.POEntry]] = {}
    for entry in old_active:
        if id(entry) not in claimed and entry.msgstr:
            report.obsoleted.append(entry.msgctxt)
            gone.setdefault((entry.msgctxt, entry.msgid), []).append(entry)
    for entry in old_obsolete:
        if id(entry) not in claimed:
            gone.setdefault((entry.msgctxt, entry.msgid), []).append(entry)
    for key in sorted(gone, key=lambda k: (k[0] or "", k[1])):
        entries = gone[key]
        if key in active:
            _keep_other_english(active[key], entries)
            continue
        best = min(entries, key=_rank)
        obsolete = polib.POEntry(msgctxt=best.msgctxt, msgid=best.msgid, msgstr=best.msgstr,
                                 flags=list(best.flags), comment=best.comment, tcomment=best.tcomment,
                                 previous_msgid=best.previous_msgid)
        obsolete.obsolete = True
        _keep_other_english(obsolete, [e for e in entries if e is not best])
        out.append(obsolete)
    return out, report


def render_po(po: polib.POFile) -> str:
    po.wrapwidth = 0
    for entry in po:
        if entry.obsolete and entry.comment and type(entry) is polib.POEntry:
            entry.__class__ = _ObsoleteEntry
    return str(po).rstrip("\n") + "\n"


def save_po(path: Path, po: polib.POFile) -> None:
    """Atomic: a reader (or a killed run) sees the old file or the new one, never half."""
    write_po_text(Path(path), render_po(po))


def write_po_text(path: Path, text: str) -> None:
    """Write a rendered memory atomically, after reading it back with the reader every
    build uses: a file the tool would then reject (every later build failing until someone
    repairs it by hand) is never written; the old file stays."""
    try:
        text.encode("utf-8")
        parse_po(text, str(path))
    except (BuildError, UnicodeEncodeError) as exc:
        raise BuildError(str(path), None, f"not written: the translation memory would not read back ({exc})") from None
    write_text_atomic(Path(path), text)


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


def follow_renames(content: Path, briefings, rel) -> list[str]:
    """A renamed briefing (its old slug in `aliases:`) takes its memory along: the PO file of
    an alias moves to the new slug when the new slug has none (read and written as every
    memory is, so a file the reader refuses is reported, never copied; then the old one is
    removed). When both exist neither is touched and the conflict is reported: reviewed
    English is never dropped. Returns one line per move or conflict."""
    lines = []
    for briefing in briefings:
        new = memory_path(content, briefing.slug)
        for alias in briefing.aliases:
            old = memory_path(content, alias)
            if alias == briefing.slug or not old.is_file():
                continue
            if new.exists():
                lines.append(f"memory conflict: {rel(old)} and {rel(new)} both exist for briefing "
                             f"'{briefing.slug}' (renamed from '{alias}'); {rel(old)} is not used until "
                             "its entries are merged by hand")
                continue
            po = load_po(old, rel(old), root=content)
            if po is None:
                continue
            # the header names the briefing: it names the one the memory now belongs to
            po.header = header_comment(briefing.slug)
            po.metadata = header(briefing.slug, briefing.path, po.metadata)
            save_po(new, po)
            old.unlink()
            lines.append(f"memory moved: {rel(old)} -> {rel(new)} (renamed briefing)")
    return lines

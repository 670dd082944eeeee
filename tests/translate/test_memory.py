from pathlib import Path

import pytest

from builder.content import parse_briefing
from builder.errors import BuildError
from builder.model import Translation
from builder.translate import memory

HEAD = "---\ntitle: 标题\nslug: demo\n---\n"


def briefing(body: str):
    return parse_briefing(HEAD + body, "content/briefings/demo.md")


def machine(po, ctxt, en="machine english"):
    entry = next(e for e in po if e.msgctxt == ctxt)
    memory.set_machine(entry, en, "argos translate-zh_en 1.9", -0.5)
    return entry


def reviewed(po, ctxt, en="reviewed english", note=""):
    entry = next(e for e in po if e.msgctxt == ctxt)
    memory.set_reviewed(entry, en, note)
    return entry


def roundtrip(po):
    return memory.parse_po(memory.render_po(po), "x.po")


def entry(po, ctxt):
    return next(e for e in po if e.msgctxt == ctxt and not e.obsolete)


def test_new_memory_has_every_segment_missing_in_reading_order():
    po, _report = memory.merge(None, briefing("第一句。第二句。\n\n## 小标题\n\n第三句。\n"))
    assert [e.msgctxt for e in po] == ["meta.title", "s0.p1.1", "s0.p1.2", "s1.h", "s1.p1.1"]
    assert all(memory.status_of(e) == "missing" for e in po)


def test_exact_match_is_kept_with_its_status():
    b = briefing("第一句。第二句。\n")
    po, _ = memory.merge(None, b)
    reviewed(po, "s0.p1.1", "First.")
    machine(po, "s0.p1.2", "Second.")
    again, report = memory.merge(roundtrip(po), b)
    assert memory.status_of(entry(again, "s0.p1.1")) == "reviewed"
    assert memory.status_of(entry(again, "s0.p1.2")) == "machine"
    assert report.kept == 3 and not report.moved and not report.changed


def test_inserted_paragraph_moves_entries_to_shifted_ids():
    po, _ = memory.merge(None, briefing("甲句。\n\n乙句。\n"))
    reviewed(po, "s0.p1.1", "A.")
    machine(po, "s0.p2.1", "B.")
    new, _report = memory.merge(roundtrip(po), briefing("新句。\n\n甲句。\n\n乙句。\n"))
    assert entry(new, "s0.p2.1").msgstr == "A." and memory.status_of(entry(new, "s0.p2.1")) == "reviewed"
    assert entry(new, "s0.p3.1").msgstr == "B." and memory.status_of(entry(new, "s0.p3.1")) == "machine"
    assert memory.status_of(entry(new, "s0.p1.1")) == "missing"  # not stale with A's English
    assert not [e for e in new if e.obsolete]


def test_changed_machine_source_keeps_previous_and_is_retranslated():
    po, _ = memory.merge(None, briefing("旧的句子。\n"))
    machine(po, "s0.p1.1", "Old sentence.")
    new, report = memory.merge(roundtrip(po), briefing("新的句子。\n"))
    e = entry(new, "s0.p1.1")
    assert e.previous_msgid == "旧的句子。" and "fuzzy" in e.flags
    assert memory.status_of(e) == "stale" and memory.needs_machine(e)
    memory.set_machine(e, "New sentence.", "argos x 1", -0.1)
    assert memory.status_of(e) == "machine" and e.previous_msgid is None
    assert report.changed == ["s0.p1.1"]


def test_changed_reviewed_source_stays_stale_and_machine_may_not_overwrite():
    po, _ = memory.merge(None, briefing("旧的句子。\n"))
    reviewed(po, "s0.p1.1", "Old sentence, reviewed.")
    new, _ = memory.merge(roundtrip(po), briefing("新的句子。\n"))
    e = entry(roundtrip(new), "s0.p1.1")
    assert e.msgstr == "Old sentence, reviewed." and e.previous_msgid == "旧的句子。"
    assert memory.status_of(e) == "stale" and not memory.needs_machine(e)
    with pytest.raises(ValueError):
        memory.set_machine(e, "machine", "argos", -0.1)
    text = memory.render_po(new)
    assert '#| msgid "旧的句子。"' in text and "#, fuzzy" in text


def test_removed_segment_becomes_obsolete_not_deleted():
    po, _ = memory.merge(None, briefing("甲句。乙句。\n"))
    reviewed(po, "s0.p1.2", "B.")
    new, report = memory.merge(roundtrip(po), briefing("甲句。\n"))
    text = memory.render_po(new)
    assert '#~ msgctxt "s0.p1.2"' in text and '#~ msgstr "B."' in text
    assert report.obsoleted == ["s0.p1.2"]
    # and it comes back, reviewed, when the sentence returns
    back, _ = memory.merge(roundtrip(new), briefing("甲句。乙句。\n"))
    assert memory.status_of(entry(back, "s0.p1.2")) == "reviewed"
    assert not [e for e in back if e.obsolete]


def test_note_is_a_translator_comment_and_surfaces():
    po, _ = memory.merge(None, briefing("砷酸锂晶片。\n"))
    reviewed(po, "s0.p1.1", "Lithium tantalate wafers.", note="The source says 砷酸锂 (lithium arsenate).")
    text = memory.render_po(po)
    assert "# note: The source says 砷酸锂 (lithium arsenate)." in text
    tr = memory.translations(roundtrip(po), briefing("砷酸锂晶片。\n"))["s0.p1.1"]
    assert tr.status == "reviewed" and tr.note.startswith("The source says")


def test_machine_entry_carries_engine_score_and_flags():
    po, _ = memory.merge(None, briefing("句子。\n"))
    e = entry(po, "s0.p1.1")
    memory.set_machine(e, "Sentence.", "argos translate-zh_en 1.9", -0.25, ("repetition",))
    text = memory.render_po(po)
    assert "#. engine: argos translate-zh_en 1.9\n#. score: -0.2500\n#. flags: repetition\n#, fuzzy" in text
    tr = memory.translations(roundtrip(po), briefing("句子。\n"))["s0.p1.1"]
    assert (tr.status, tr.flags, tr.engine) == ("machine", ("repetition",), "argos translate-zh_en 1.9")


def test_output_is_deterministic_and_has_no_dates():
    b = briefing("第一句。\n")
    one = memory.render_po(memory.merge(None, b)[0])
    two = memory.render_po(memory.merge(memory.parse_po(one, "x.po"), b)[0])
    assert one == two
    assert "Date" not in one


@pytest.mark.parametrize("damage, line, message", [
    (lambda t: t[: t.index('msgstr "First."') + 10], 19, "unterminated or malformed string"),
    (lambda t: t.replace('msgctxt "s0.p1.1"', 'msgctxt s0.p1.1"'), 17, "unterminated or malformed string"),
    (lambda t: t[: t.index('msgstr "First."')], 17, "entry has no msgstr"),
    (lambda t: t + "\n<<<<<<< HEAD\n", 21, "not a PO line"),
])
def test_corrupt_po_is_a_clear_error(damage, line, message):
    po, _ = memory.merge(None, briefing("第一句。\n"))
    reviewed(po, "s0.p1.1", "First.")
    text = memory.render_po(po)
    with pytest.raises(BuildError) as info:
        memory.parse_po(damage(text), "content/translations/en/demo.po")
    assert str(info.value).startswith(f"content/translations/en/demo.po:{line}: {message}")


def test_duplicate_segment_id_is_an_error():
    text = 'msgid ""\nmsgstr ""\n\nmsgctxt "a"\nmsgid "x"\nmsgstr ""\n\nmsgctxt "a"\nmsgid "y"\nmsgstr ""\n'
    with pytest.raises(BuildError, match=r"x.po:8: segment id 'a' appears twice \(first at line 4\)"):
        memory.parse_po(text, "x.po")


def test_reviewed_entry_with_leftover_engine_comments_stays_a_persons_work():
    po, _ = memory.merge(None, briefing("旧的句子。\n"))
    e = machine(po, "s0.p1.1", "Old sentence.")
    e.flags.remove("fuzzy")  # Poedit un-fuzzies but keeps the #. comments
    new, _ = memory.merge(roundtrip(po), briefing("新的句子。\n"))
    assert not memory.needs_machine(entry(new, "s0.p1.1"))


def test_memory_in_step_reads_the_same_as_merged_and_shifted_ids_need_the_merge():
    """attach_translations skips the merge when the file is in step with the briefing."""
    b = briefing("甲句。\n\n乙句。\n")
    po, _ = memory.merge(None, b)
    reviewed(po, "s0.p1.1", "A.", note="a note")
    machine(po, "s0.p2.1", "B.")
    on_disk = roundtrip(po)
    assert memory.in_step(on_disk, b)
    assert memory.translations(on_disk, b) == memory.translations(memory.merge(on_disk, b)[0], b)
    shifted = briefing("新句。\n\n甲句。\n\n乙句。\n")  # ids moved: only the merge finds "A." at s0.p2.1
    assert not memory.in_step(on_disk, shifted)
    merged = memory.translations(memory.merge(on_disk, shifted)[0], shifted)
    assert merged["s0.p2.1"].en == "A." and merged["s0.p2.1"].status == "reviewed"
    assert memory.translations(on_disk, shifted)["s0.p2.1"].en != "A."
    assert not memory.in_step(None, b)
    assert not memory.in_step(on_disk, briefing("甲句。\n\n丙句。\n"))  # changed Chinese
    assert not memory.in_step(on_disk, briefing("甲句。\n\n乙句。\n\n丁句。\n"))  # new segment


# ---- one validator: damage is refused at its line, anything accepted reads back whole ----

_ROOT = Path(__file__).resolve().parents[2]
_PLURAL = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#, fuzzy\nmsgctxt "p"\nmsgid "一个"\n'
           'msgid_plural "多个"\nmsgstr[0] "one"\nmsgstr[1] "many"\n"\\"more\\""\n')


def _generated_po() -> str:
    """A memory with every kind of entry: reviewed with a note, machine with flags, stale
    (`#| msgid`), missing, obsolete (`#~`, with `#~| msgid`), escapes and a wrapped string."""
    po, _ = memory.merge(None, briefing("甲句。\n\n乙句“引号”。\n\n丙句。\n\n丁句。\n"))
    reviewed(po, "s0.p1.1", 'A "quoted" \\ back\\slash.', note="a note")
    e = machine(po, "s0.p2.1", "B.")
    memory.set_machine(e, "B.", "argos x 1", -0.5, ("repetition", "numbers"))
    machine(po, "s0.p3.1", "C.")
    machine(po, "s0.p4.1", "D.")
    changed = memory.merge(roundtrip(po), briefing("甲句。\n\n乙句“引号”。\n\n丙句改了。\n\n丁句改了。\n"))[0]
    text = memory.render_po(memory.merge(changed, briefing("甲句。\n\n乙句“引号”。\n\n丙句改了。\n"))[0])
    assert "#| msgid" in text and "#~| msgid" in text and "#~ msgid" in text and '\\"' in text
    return text.replace('msgstr "B."', 'msgstr ""\n"B, "\n"wrapped."')


def _mutants(text: str, rng) -> list[str]:
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        rest = lines[i + 1:]
        out += ["\n".join(lines[:i] + rest),  # dropped
                "\n".join(lines[:i] + [line, line] + rest),  # duplicated
                "\n".join(lines[:i] + rest[:1] + [line] + rest[1:]),  # swapped with the next
                "\n".join(lines[:i] + [""] + [line] + rest)]  # blank line before
        cut = rng.randrange(len(line) + 1)
        out.append("\n".join(lines[:i] + [line[:cut]] + rest))  # cut mid-line
        out.append("\n".join(lines[:i] + [line[:cut]]))  # file cut off there
        for old, new in (('"', ""), ('"', "'"), ("msgstr", "msgid"), ("msgid", "msgstr"),
                         ("msgctxt", "msgid"), ("msgid", "msgctxt"), ("msgstr", "msgstr[0]"),
                         ("#~ ", ""), ("msgid", "#~ msgid"), ("msgstr", "#~ msgstr"), (' "', ""),
                         ('"', '\\"'), ("#", ""), ("#,", "#~"), ("msgstr", "msgstr[1]"), ("msgid", "msgid_plural")):
            if old in line:
                out.append("\n".join(lines[:i] + [line.replace(old, new, 1)] + rest))
                out.append("\n".join(lines[:i] + [new.join(line.rsplit(old, 1))] + rest))
        for junk in (" ", "\r", "\u2028", "\x0c", "\x85", "\\", "~", "|", "\t"):
            at = rng.randrange(len(line) + 1)
            out.append("\n".join(lines[:i] + [line[:at] + junk + line[at:]] + rest))
        if line.startswith(("msgstr", "#~ msgstr")):
            keyword_line = line.split(" ", 1)[0] if not line.startswith("#~") else "#~ " + line[3:].split(" ", 1)[0]
            out.append("\n".join(lines[:i] + [line, keyword_line + ' "again"'] + rest))  # keyword twice
    out.append(text.rstrip("\n"))  # no newline at the end
    out.append(text.replace("\n", "\r\n"))
    return out


def _entries(po) -> list[tuple]:
    return [(e.msgctxt, e.msgid, e.msgstr, tuple(e.flags), e.obsolete, e.previous_msgid or "", e.tcomment, e.comment)
            for e in po]


@pytest.mark.parametrize("source", ["generated", "gulou-siqu-tongjian-chuangxin.po", "jingkai-longtou-qiye-jiju.po"])
def test_damaged_memory_is_refused_at_a_line_or_reads_back_the_same(source):
    """Every mutant of a real memory file (lines dropped, doubled, swapped, cut, keywords
    changed, junk and separators inserted) is either refused with a line inside the file, or
    read without loss: what polib made of it renders and reads back to the same entries."""
    import random

    if source == "generated":
        text = _generated_po()
    else:
        text = (_ROOT / "content" / "translations" / "en" / source).read_text(encoding="utf-8")
    memory.parse_po(text, "x.po")
    rng = random.Random(source)
    mutants = _mutants(text, rng)
    if len(mutants) > 1000:  # keep the suite fast: a sample of the real files' mutants
        mutants = rng.sample(mutants, 1000)
    refused = 0
    for mutant in mutants:
        try:
            po = memory.parse_po(mutant, "x.po")
        except BuildError as exc:
            refused += 1
            assert exc.problem.line and 1 <= exc.problem.line <= mutant.count("\n") + 1, (str(exc), mutant)
            continue
        again = memory.parse_po(memory.render_po(po), "x.po")
        assert _entries(again) == _entries(po), mutant
    # plenty of damage is seen, and harmless edits (a space, a blank line) are still accepted
    assert len(mutants) // 10 < refused < len(mutants) - 10


def test_plural_entries_are_refused_with_their_line():
    with pytest.raises(BuildError) as info:
        memory.parse_po(_PLURAL, "x.po")
    assert str(info.value) == ("x.po:8: plural forms (msgid_plural, msgstr[N]) are not used in this memory: "
                               "one entry per sentence, with msgctxt, msgid and msgstr")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"])
def test_a_separator_inside_a_string_is_named_with_its_line(char):
    po, _ = memory.merge(None, briefing("第一句。\n"))
    reviewed(po, "s0.p1.1", "First.")
    text = memory.render_po(po).replace('msgstr "First."', f'msgstr "Fi{char}rst."')
    line = text[: text.index("Fi" + char)].count("\n") + 1
    with pytest.raises(BuildError) as info:
        memory.parse_po(text, "x.po")
    assert str(info.value) == (f"x.po:{line}: character U+{ord(char):04X} (a line or paragraph separator) "
                               "in a string; replace it with a space")


def test_windows_line_ends_and_a_missing_last_line_end_are_read():
    po, _ = memory.merge(None, briefing("第一句。\n"))
    reviewed(po, "s0.p1.1", "First.")
    text = memory.render_po(po)
    for variant in (text.replace("\n", "\r\n"), text.rstrip("\n")):
        assert _entries(memory.parse_po(variant, "x.po")) == _entries(memory.parse_po(text, "x.po"))


@pytest.mark.parametrize("bad", ["\u2028", "\u2029", "\x85", "\x1c", "\x01", "\x7f", "\x9b", "\ud800"])
def test_english_entering_the_memory_is_normalised_and_the_file_reads_back(bad, tmp_path):
    po, _ = memory.merge(None, briefing("第一句。第二句。\n"))
    reviewed(po, "s0.p1.1", f"First{bad}line.", note=f"a{bad}note")
    machine(po, "s0.p1.2", f"Second{bad}one.")
    path = tmp_path / "demo.po"
    memory.save_po(path, po)
    back = memory.load_po(path, "demo.po")
    assert entry(back, "s0.p1.1").msgstr in ("First line.", "Firstline.", "First\ufffdline.")
    assert memory.note_of(entry(back, "s0.p1.1")) in ("a note", "anote", "a\ufffdnote")


def test_a_memory_that_would_not_read_back_is_never_written(tmp_path):
    po, _ = memory.merge(None, briefing("第一句。\n"))
    reviewed(po, "s0.p1.1", "First.")
    path = tmp_path / "demo.po"
    memory.save_po(path, po)
    before = path.read_bytes()
    entry(po, "s0.p1.1").msgstr = "First\u2028line."  # behind the memory's back
    with pytest.raises(BuildError, match=r"demo.po: not written: the translation memory would not read back "
                                         r"\(.*demo.po:\d+: character U\+2028"):
        memory.save_po(path, po)
    entry(po, "s0.p1.1").msgstr = "First\ud800."
    with pytest.raises(BuildError, match="not written"):
        memory.save_po(path, po)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name != "demo.po"]  # no temp file left


def test_po_errors_keep_their_line_numbers():
    text = _generated_po()
    cut = text[: text.index('msgstr "C."') + 9]
    with pytest.raises(BuildError, match=r"^x\.po:\d+: unterminated or malformed string"):
        memory.validate_po(cut, "x.po")


def test_translation_of_agrees_with_the_status_and_comment_helpers():
    text = _generated_po() + ('\n#. engine:\n#. engine: second\n#.  flags: x\n#, fuzzy\nmsgctxt "odd"\n'
                              'msgid "奇"\nmsgstr "Odd."\n\n# other\n#  note: spaced\n#. flags: a,, b\n'
                              '#, fuzzy\nmsgctxt "noengine"\nmsgid "无"\nmsgstr "None."\n')
    entries = [e for e in memory.parse_po(text, "x.po")]
    assert len(entries) > 6
    for e in entries:
        status = memory.status_of(e)
        flags = tuple(f.strip() for f in memory.comment_value(e, "flags").split(",") if f.strip())
        assert memory.translation_of(e) == Translation(
            e.msgctxt, e.msgstr or None, status, flags if status in ("machine", "stale") else (),
            memory.note_of(e), memory.comment_value(e, "engine")), e.msgctxt


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x7f"])
def test_a_control_character_inside_a_string_is_named_with_its_line(char):
    po, _ = memory.merge(None, briefing("第一句。\n"))
    reviewed(po, "s0.p1.1", "First.")
    text = memory.render_po(po).replace('msgstr "First."', f'msgstr "Fi{char}rst."')
    line = text[: text.index("Fi" + char)].count("\n") + 1
    with pytest.raises(BuildError) as info:
        memory.parse_po(text, "x.po")
    assert str(info.value) == f"x.po:{line}: control character U+{ord(char):04X} in a string; remove it"

"""Issue 14, item 8: reviewed English is never lost, whatever a writer does to the sentences.

A briefing whose sentences all have reviewed English goes through random sequences of edits,
deletions, restorations of the original sentence, insertions, machine translation (of what
needs it) and reviews, each step merged and written as `translate` does. After every step:
every English a person ever wrote is still in the file (as an entry's English or, when two
entries for one sentence met, in a translator comment), and a sentence whose Chinese a person
has translated shows that reviewed English.
"""

from __future__ import annotations

import os
import random

import pytest

from builder.content import parse_briefing
from builder.translate import memory

HEAD = "---\ntitle: 标题\nslug: demo\n---\n\n"
ORIGINAL = [f"第{n}句原文内容。" for n in range(1, 9)]
ROUNDS = int(os.environ.get("MEMORY_HISTORY_ROUNDS", "60"))


def _briefing(sentences: list[str]):
    return parse_briefing(HEAD + "\n\n".join(sentences) + "\n", "content/briefings/demo.md")


def _english_in(po) -> set[str]:
    found = set()
    for entry in po:
        if entry.msgstr:
            found.add(" ".join(entry.msgstr.split()))
        for line in (entry.tcomment or "").splitlines():
            if line.startswith(memory.OTHER_ENGLISH_PREFIX):
                found.add(line[len(memory.OTHER_ENGLISH_PREFIX):].strip())
    return found


def _step(po, sentences):
    """merge, write and read back, as `translate` does without an engine"""
    merged, _ = memory.merge(po, _briefing(sentences))
    return memory.parse_po(memory.render_po(merged), "demo.po")


def _check(po, sentences, reviewed: dict[str, set[str]], seed, history):
    english = _english_in(po)
    lost = {en for texts in reviewed.values() for en in texts} - english
    assert not lost, (seed, history, lost)
    briefing = _briefing(sentences)
    table = memory.translations(po, briefing)
    for seg in briefing.segments():
        if seg.zh in reviewed:
            tr = table[seg.id]
            assert tr.status == "reviewed" and tr.en in reviewed[seg.zh], (seed, history, seg, tr)


@pytest.mark.parametrize("seed", range(ROUNDS))
def test_random_edit_delete_restore_never_loses_or_hides_reviewed_english(seed):
    rng = random.Random(seed)
    sentences = list(ORIGINAL)
    po = _step(None, sentences)
    reviewed: dict[str, set[str]] = {}  # Chinese -> the English people wrote for exactly it
    for entry in po:
        memory.set_reviewed(entry, f"Reviewed {entry.msgid}")
        reviewed.setdefault(entry.msgid, set()).add(f"Reviewed {entry.msgid}")
    po = _step(po, sentences)
    history: list[str] = []
    for counter in range(1, 15):
        op = rng.choice(["edit", "edit", "delete", "restore", "restore", "insert", "machine", "review"])
        if op == "edit" and sentences:
            i = rng.randrange(len(sentences))
            sentences[i] = sentences[i].rstrip("。") + f"改{counter}。"
        elif op == "delete" and sentences:
            del sentences[rng.randrange(len(sentences))]
        elif op == "restore":
            original = rng.choice(ORIGINAL)
            if original not in sentences:
                i = ORIGINAL.index(original)
                sentences.insert(min(i, len(sentences)), original)
        elif op == "insert":
            sentences.insert(rng.randrange(len(sentences) + 1), f"新增第{counter}句。")
        elif op == "machine":
            for entry in po:
                if not entry.obsolete and memory.needs_machine(entry):
                    memory.set_machine(entry, f"MT {entry.msgid}", "argos test 1", -0.5)
        elif op == "review":
            open_ = [e for e in po if not e.obsolete and memory.status_of(e) in ("missing", "machine")]
            if open_:
                entry = rng.choice(open_)
                memory.set_reviewed(entry, f"Person {counter} {entry.msgid}")
                reviewed.setdefault(entry.msgid, set()).add(f"Person {counter} {entry.msgid}")
        history.append(op)
        po = _step(po, sentences)
        _check(po, sentences, reviewed, seed, history)


def test_edit_delete_restore_gives_the_reviewed_english_back():
    po = _step(None, ORIGINAL[:3])
    for entry in po:
        memory.set_reviewed(entry, f"Reviewed {entry.msgid}")
    po = _step(po, ORIGINAL[:3])
    po = _step(po, [ORIGINAL[0], "第2句改过了。", ORIGINAL[2]])  # edited: stale, keeps the English
    po = _step(po, [ORIGINAL[0], ORIGINAL[2]])  # deleted: the stale entry is obsolete
    po = _step(po, ORIGINAL[:3])  # restored
    entry = next(e for e in po if e.msgctxt == "s0.p2.1" and not e.obsolete)
    assert (entry.msgid, entry.msgstr, memory.status_of(entry)) == (ORIGINAL[1], f"Reviewed {ORIGINAL[1]}", "reviewed")
    assert not [e for e in po if e.obsolete and e.msgstr == f"Reviewed {ORIGINAL[1]}"]


def test_a_machine_entry_gives_way_to_reviewed_english_kept_for_the_same_chinese():
    """A memory written by the old merge: machine output shown while the reviewed English of the
    same sentence waits in an obsolete entry (with `#| msgid` of that sentence)."""
    text = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
            '#. engine: argos test 1\n#, fuzzy\nmsgctxt "meta.title"\nmsgid "标题"\nmsgstr "MT title"\n\n'
            '#. engine: argos test 1\n#, fuzzy\nmsgctxt "s0.p1.1"\nmsgid "第1句原文内容。"\nmsgstr "MT one"\n\n'
            f'#. {memory.STALE_REVIEWED}\n#, fuzzy\n#~| msgid "第1句原文内容。"\n'
            '#~ msgctxt "s0.p1.1"\n#~ msgid "第1句改了。"\n#~ msgstr "Reviewed one"\n')
    po = _step(memory.parse_po(text, "demo.po"), ORIGINAL[:1])
    assert memory.translations(po, _briefing(ORIGINAL[:1]))["s0.p1.1"].en == "Reviewed one"


def test_two_obsolete_entries_for_one_sentence_keep_both_reviewed_english():
    text = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
            'msgctxt "meta.title"\nmsgid "标题"\nmsgstr "Title"\n\n'
            '# note: first note\n#~ msgctxt "s0.p9.1"\n#~ msgid "旧句。"\n#~ msgstr "First English"\n\n'
            '#~ msgctxt "s0.p9.1"\n#~ msgid "旧句。"\n#~ msgstr "Second English"\n')
    po = _step(memory.parse_po(text, "demo.po"), [])
    obsolete = [e for e in po if e.obsolete]
    assert len(obsolete) == 1
    assert {"First English", "Second English"} <= _english_in(po)
    assert "note: first note" in obsolete[0].tcomment
    # and when the sentence comes back, one English is shown, the other is beside it
    po = _step(po, ["旧句。"])
    active = next(e for e in po if e.msgid == "旧句。")
    assert active.msgstr in ("First English", "Second English") and memory.status_of(active) == "reviewed"
    assert {"First English", "Second English"} <= _english_in(po)

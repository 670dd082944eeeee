"""Issue 14, item 5: a line or paragraph separator (or another control character) typed or
pasted into a briefing never makes `translate` write a memory file the tool then rejects."""

from __future__ import annotations

import pytest

from builder import cli
from builder.content import parse_briefing
from builder.text import normalise_text
from builder.translate import memory

BAD = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\x01", "\x7f", "\x9f"]


@pytest.mark.parametrize("char", BAD)
def test_normalise_text(char):
    assert normalise_text(f"鑫华{char}半导体") == "鑫华半导体"
    assert normalise_text(f"Xinhua{char}Semiconductor") in ("Xinhua Semiconductor", "XinhuaSemiconductor")
    assert normalise_text(normalise_text(f"a{char}b")) == normalise_text(f"a{char}b")
    assert normalise_text("a\r\nb\rc\td") == "a\nb\nc\td"
    assert normalise_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    plain = "普通的句子。\n\n## 标题\n"
    assert normalise_text(plain) is plain


@pytest.mark.parametrize("char", BAD)
def test_a_briefing_with_separators_parses_to_clean_segments(char):
    text = (f'---\ntitle: "标题{char}一"\nslug: demo\nseries: {{name: "系列\\u2028二"}}\n---\n\n'
            f"第一句{char}接着写。第二句。\n\nEnglish{char}words here.\n")
    briefing = parse_briefing(text, "content/briefings/demo.md")
    for seg in briefing.segments():
        assert normalise_text(seg.zh) == seg.zh, seg
    assert briefing.title.zh == "标题一"
    assert briefing.sections[0].paragraphs[0].sentences[0].line == 7  # line numbers unchanged


def test_translate_writes_a_memory_the_build_reads_back(project, capsys):
    page = project / "content" / "briefings" / "xinhua-funding.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("本月初，", "本月初\u2028，").replace("成立以来", "成立\x85以来\u2029")
                    .replace("title: 鑫华半导体完成融资", 'title: "鑫华半导体\\u2028完成\\x1c融资\\ud800"'),
                    encoding="utf-8")
    assert cli.main(["-C", str(project), "translate", "--no-progress"]) == 0, capsys.readouterr().err
    po = project / "content" / "translations" / "en" / "xinhua-funding.po"
    memory.parse_po(po.read_text(encoding="utf-8"), "x.po")
    capsys.readouterr()
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_reviewed_english_imported_with_separators_is_stored_clean(project, capsys, tmp_path):
    assert cli.main(["-C", str(project), "translate", "--no-progress"]) == 0
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text('- zh: 鑫华半导体完成融资\n  en: "Xinhua\\u2028Semiconductor\\x85 completes\\u2029 funding"\n'
                        '  note: "a\\x0bnote"\n', encoding="utf-8")
    assert cli.main(["-C", str(project), "translate", "--import", str(reviewed)]) == 0, capsys.readouterr().err
    po = memory.parse_po((project / "content/translations/en/xinhua-funding.po").read_text(encoding="utf-8"), "x.po")
    title = next(e for e in po if e.msgctxt == "meta.title")
    assert title.msgstr == "Xinhua Semiconductor completes funding"

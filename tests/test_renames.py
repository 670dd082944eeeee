"""Renames keep everything (issue 12, part 3): translation memory that no briefing owns is
reported by `briefing check`, with its path."""

from __future__ import annotations

import shutil

from fixture_site import copy_fixture

from builder import cli


def test_check_reports_orphaned_memory_with_its_path(tmp_path, capsys):
    project = copy_fixture(tmp_path / "project")
    po = project / "content" / "translations" / "en"
    shutil.copy(po / "gulou-shopping.po", po / "foo.po")
    cli.main(["-C", str(project), "check"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert ("content/translations/en/foo.po: warning: no briefing has slug 'foo' (orphaned translation memory; "
            "rename it or add 'foo' to a briefing's aliases)") in text
    # the briefings' own memory files are not reported
    assert "gulou-shopping.po: warning" not in text
    assert "jingkai-chips.po: warning" not in text


def test_renamed_briefing_keeps_its_reviewed_english(tmp_path, capsys):
    """The editor renames the slug and keeps the old one as an alias: the memory follows,
    the reviewed English is on the new page in the same build, and a second build agrees."""
    project = copy_fixture(tmp_path / "project")
    md = project / "content" / "briefings" / "jingkai-chips.md"
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("slug: jingkai-chips\n", "slug: jingkai-semis\naliases: [jingkai-chips]\n", 1),
                  encoding="utf-8")
    po = project / "content" / "translations" / "en"
    before = (po / "jingkai-chips.po").read_text(encoding="utf-8")
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert ("memory moved: content/translations/en/jingkai-chips.po -> content/translations/en/jingkai-semis.po "
            "(renamed briefing)") in out
    assert not (po / "jingkai-chips.po").exists()
    after = (po / "jingkai-semis.po").read_text(encoding="utf-8")
    assert after.count("msgstr") == before.count("msgstr")
    assert "'jingkai-semis'" in after and "xuzhou-briefing jingkai-semis\\n" in after
    sentence = "Zhongneng Polysilicon works with Xinhua Semiconductor."
    page = project / "site" / "en" / "briefings" / "jingkai-semis" / "parallel" / "index.html"
    assert sentence in page.read_text(encoding="utf-8")
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"]) == 0
    assert "memory moved" not in capsys.readouterr().out
    assert sentence in page.read_text(encoding="utf-8")


def test_both_memories_kept_when_both_exist(tmp_path, capsys):
    project = copy_fixture(tmp_path / "project")
    md = project / "content" / "briefings" / "jingkai-chips.md"
    md.write_text(md.read_text(encoding="utf-8").replace("slug: jingkai-chips\n",
                                                         "slug: jingkai-semis\naliases: [jingkai-chips]\n", 1),
                  encoding="utf-8")
    po = project / "content" / "translations" / "en"
    shutil.copy(po / "jingkai-chips.po", po / "jingkai-semis.po")
    cli.main(["-C", str(project), "build", "--no-search", "--no-translate", "--no-progress"])
    out = capsys.readouterr().out
    assert "memory conflict: content/translations/en/jingkai-chips.po and content/translations/en/jingkai-semis.po" \
        in out
    assert (po / "jingkai-chips.po").exists() and (po / "jingkai-semis.po").exists()

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

"""The benchmark's synthetic archive: loads as a real project, and is the same every time."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from bench import generate
from builder.config import load_config
from builder.content import load_site
from builder.glossary import MentionFinder

pytestmark = pytest.mark.slow  # benchmark archives generated twice: CI runs them (-m '')


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_generations_are_byte_identical(tmp_path):
    generate.generate(5, tmp_path / "a")
    generate.generate(5, tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    assert "ours/content/glossary/enterprises.yaml" in a and "hugo/config.toml" in a


def test_archive_loads_and_memory_covers_every_segment(tmp_path):
    generate.generate(5, tmp_path)
    site = load_site(load_config(tmp_path / "ours"))
    assert (len(site.briefings), len(site.districts), len(site.industries), len(site.enterprises)) == (5, 8, 12, 300)
    finder = MentionFinder(site.enterprises)
    for briefing in site.briefings:
        text = "".join(s.zh for s in briefing.segments())
        assert 2_000 <= len(text) <= 3_000
        assert sum(len(s.paragraphs) for s in briefing.sections) == 12
        assert 2 <= len(briefing.enterprises) <= 6
        # every enterprise in the front matter is named in the Chinese text, and no other
        assert set(finder.ids(text)) == set(briefing.enterprises)
        po = polib.pofile(str(tmp_path / "ours" / "content" / "translations" / "en" / f"{briefing.slug}.po"))
        assert [(e.msgctxt, e.msgid) for e in po] == [(s.id, s.zh) for s in briefing.segments()]
        assert all(e.msgstr and not e.fuzzy for e in po)
        # the Hugo side has the same briefing in both languages
        for lang in ("zh", "en"):
            assert (tmp_path / "hugo" / "content" / lang / "briefings" / f"{briefing.slug}.md").is_file()

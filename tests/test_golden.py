"""Golden site: the fixture project (tests/fixtures/site/) built at / through the CLI must match
tests/golden/ byte for byte: cold, with and without the build cache, in one process and with
two workers, and incrementally after every kind of edit once the edit is undone. Each edited
build also equals a cold build of the edited project.

When output changes on purpose, regenerate and review the diff in the commit:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_site import REPO, build, copy_fixture, files

from builder import write
from builder.cache import pool

GOLDEN = Path(__file__).parent / "golden"
# theme assets are not part of the golden output: CSS tweaks should not churn it
SKIP = ("static/",)


def _site(project: Path) -> dict[str, bytes]:
    return {path: data for path, data in files(project / "site").items() if not path.startswith(SKIP)}


def _golden() -> dict[str, bytes]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}


def _same(built: dict[str, bytes], expected: dict[str, bytes], what: str) -> None:
    assert sorted(built) == sorted(expected), f"{what}: pages added or removed"
    changed = [path for path in expected if built[path] != expected[path]]
    assert not changed, f"{what}: output differs in {changed}"


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # let two briefings and a few dozen pages go to worker processes, as a large site's do
    monkeypatch.setattr(write, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(pool, "MIN_ITEMS_PER_WORKER", 1)


@pytest.fixture
def project(tmp_path) -> Path:
    root = copy_fixture(tmp_path / "project")
    shutil.copytree(REPO / "themes", root / "themes")  # the theme is edited too
    return root


@pytest.mark.parametrize("options", [["--jobs", "1", "--no-cache"], ["--jobs", "2", "--no-cache"],
                                     ["--jobs", "1"], ["--jobs", "2"]],
                         ids=["serial", "parallel", "serial-cache", "parallel-cache"])
def test_a_cold_build_matches_golden(project, options):
    build(project, *options)
    built = _site(project)
    if os.environ.get("UPDATE_GOLDEN") and options == ["--jobs", "1", "--no-cache"]:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in built.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    _same(built, _golden(), "cold build (if intended, UPDATE_GOLDEN=1)")


# ---- edits, each one a kind of change a writer or a translator makes ------------------------

def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def briefing_body(root: Path) -> None:
    with (root / "content/briefings/gulou-shopping.md").open("a", encoding="utf-8") as handle:
        handle.write("\n商圈夜间客流同样可观。\n")


def title_and_lead(root: Path) -> None:
    _replace(root / "content/briefings/jingkai-chips.md", "title: 经开区半导体材料", "title: 经开区半导体材料产业")
    _replace(root / "content/briefings/jingkai-chips.md", "鑫华半导体扩产。", "鑫华半导体扩产，产能翻番。")


def glossary_entry(root: Path) -> None:
    glossary = root / "content/glossary/enterprises.yaml"
    _replace(glossary, "  district: gulou\n", "  district: gulou\n  description_en: A shopping centre.\n")
    _replace(glossary, "aliases_zh: [中能硅业]", "aliases_zh: [中能硅业, 金鹰国际销售额]")  # a new mention


def taxonomy(root: Path) -> None:
    _replace(root / "content/taxonomy.yaml", "en: Solar photovoltaics", "en: Photovoltaics")


def theme_template(root: Path) -> None:
    _replace(root / "themes/default/templates/term.html", "{% block main %}", "{% block main %}<!-- edited -->")


def po_file(root: Path) -> None:
    _replace(root / "content/translations/en/gulou-shopping.po",
             'msgstr "Gulou shopping district draws crowds"', 'msgstr "Crowds flock to Gulou\'s shops"')


def rename_with_alias(root: Path) -> None:
    old = root / "content/briefings/jingkai-chips.md"
    text = old.read_text(encoding="utf-8").replace("slug: jingkai-chips\n", "slug: jingkai-materials\naliases: [jingkai-chips]\n")
    old.unlink()
    (root / "content/briefings/jingkai-materials.md").write_text(text, encoding="utf-8")
    po = root / "content/translations/en"
    (po / "jingkai-chips.po").rename(po / "jingkai-materials.po")


def delete_briefing(root: Path) -> None:
    (root / "content/briefings/jingkai-chips.md").unlink()
    (root / "content/translations/en/jingkai-chips.po").unlink()


def translation_completes(root: Path) -> None:
    """The last untranslated and stale segments of jingkai-chips get reviewed English: its
    English page is published (home, lists, feeds, sitemap, hreflang all change)."""
    po = root / "content/translations/en/jingkai-chips.po"
    _replace(po, '#, fuzzy\n#| msgid "产业链条"\n', "")
    _replace(po, 'msgid "金鹰国际不在本文。"\nmsgstr ""', 'msgid "金鹰国际不在本文。"\nmsgstr "Golden Eagle International is not in this article."')


def first_seen_day(root: Path) -> None:
    """Ingest's state (a hidden file) records another first-seen day: the feeds' time changes."""
    _replace(root / "content/.ingest-state.json", '"first_seen": "2023-06-01"', '"first_seen": "2023-06-02"')


def terminology(root: Path) -> None:
    _replace(root / "content/glossary/terms.yaml", "en: granular silicon", "en: granular polysilicon")


def publish_rule(root: Path) -> None:
    """Every English page published whatever its translation (publish_en = "always")."""
    _replace(root / "pyproject.toml", "[tool.briefing]\n", '[tool.briefing]\npublish_en = "always"\n')


EDITS: list[Callable[[Path], None]] = [briefing_body, title_and_lead, glossary_entry, taxonomy, theme_template,
                                       po_file, rename_with_alias, delete_briefing, translation_completes,
                                       first_seen_day, terminology, publish_rule]


def _sources(root: Path) -> dict[str, bytes]:
    found = {f"{folder}/{rel}": data for folder in ("content", "themes") for rel, data in files(root / folder).items()}
    return {**found, "pyproject.toml": (root / "pyproject.toml").read_bytes()}


def _restore(root: Path, before: dict[str, bytes]) -> None:
    """Put content/, themes/ and pyproject.toml back as they were, touching only what the edit changed."""
    now = _sources(root)
    for rel in sorted(set(now) - set(before)):
        (root / rel).unlink()
    for rel, data in before.items():
        if now.get(rel) != data:
            (root / rel).write_bytes(data)


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_incremental_builds_after_every_kind_of_edit_match_cold_builds_and_golden(project, tmp_path, jobs):
    golden = _golden()
    build(project, "--jobs", jobs)
    _same(_site(project), golden, "first build")
    before = _sources(project)
    for edit in EDITS:
        edit(project)
        build(project, "--jobs", jobs)
        reference = tmp_path / f"cold-{edit.__name__}"
        shutil.copytree(project, reference, ignore=shutil.ignore_patterns("site", ".site*", ".briefing-cache"))
        build(reference, "--jobs", "1", "--no-cache")
        assert _site(project) != golden, f"{edit.__name__} changed nothing"
        _same(_site(project), _site(reference), f"incremental build after {edit.__name__}")
        _restore(project, before)
        build(project, "--jobs", jobs)
        _same(_site(project), golden, f"incremental build after undoing {edit.__name__}")


def test_a_theme_that_owns_the_segment_markup_gets_the_same_site(project):
    """A theme may render segments and side-by-side rows with its own templates instead of
    builder/render/fastpath.py; these give exactly the fast path's markup."""
    for template in (Path(__file__).parent / "fixtures/theme-markup/templates").iterdir():
        shutil.copy(template, project / "themes/default/templates" / template.name)
    build(project, "--jobs", "1", "--no-cache")
    _same(_site(project), _golden(), "the theme's segment.html and parallel_row.html")

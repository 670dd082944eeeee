"""The terminology list (content/glossary/terms.yaml): parsed with file:line errors, never
read as an enterprise list, on the model as Site.terms, and masked like names."""

import shutil

import pytest
from conftest import ROOT
from engines import CopyingEngine
from tiny_project import write_project

from builder import cli, content
from builder.cache.memo import Memo
from builder.config import load_config
from builder.content import parse_glossary, parse_terms
from builder.errors import BuildError, BuildErrors
from builder.model import GlossaryTerm
from builder.session import Session
from builder.translate import translate_site

PATH = "content/glossary/terms.yaml"
GOOD = """\
# a comment
terms:
- zh: 颗粒硅
  en: granular silicon
- zh: 徐州
  en: Xuzhou
  kind: place
  aliases_zh: [徐州市]
  note: the city
"""


def test_parse_terms():
    assert parse_terms(GOOD, PATH) == (
        GlossaryTerm("颗粒硅", "granular silicon", "term", (), "", PATH, 3),
        GlossaryTerm("徐州", "Xuzhou", "place", ("徐州市",), "the city", PATH, 5),
    )


def test_a_terminology_file_is_not_an_enterprise_list():
    assert parse_glossary(GOOD, PATH) == ()


@pytest.mark.parametrize("text, problems", [
    ("terms:\n- zh: 颗粒硅\n", [(2, "a term needs non-empty text for both zh and en")]),
    ("terms:\n- zh: 颗粒硅\n  en: granular silicon\n  colour: red\n",
     [(4, "unknown term key 'colour'; known: zh, en, kind, aliases_zh, note")]),
    ("terms:\n- zh: 颗粒硅\n  en: a\n  kind: brand\n", [(4, "unknown term kind 'brand'; known: term, place, name, pen-name")]),
    ("terms:\n- zh: 颗粒硅\n  en: a\n- zh: 硅\n  en: b\n  aliases_zh: [颗粒硅]\n",
     [(4, "term '颗粒硅' is listed twice (first at line 2)")]),
    ("terms:\n- zh: 颗粒硅\n  en: a\n  aliases_zh: 3\n", [(4, "'aliases_zh' must be a list of Chinese forms")]),
    ("terms:\n- just text\n- zh: 硅\n", [(2, "each term must be a mapping with zh and en"),
                                        (3, "a term needs non-empty text for both zh and en")]),
    ("terms: {zh: a}\n", [(1, "'terms' must be a list of {zh, en} entries")]),
])
def test_every_problem_with_its_line(text, problems):
    with pytest.raises((BuildError, BuildErrors)) as caught:
        parse_terms(text, PATH)
    assert [(p.path, p.line, p.message) for p in caught.value.problems] == [(PATH, line, msg) for line, msg in problems]


def test_the_seed_terms_are_on_the_site():
    site = content.load_site(load_config(ROOT))
    by_zh = {t.zh: t for t in site.terms}
    assert by_zh["颗粒硅"].en == "granular silicon" and by_zh["钠离子电池"].en == "sodium-ion battery"
    assert by_zh["异质结"].en == "heterojunction"
    assert by_zh["经开轩"].kind == "pen-name" and "press office" in by_zh["经开轩"].note
    assert "terms" not in {e.id for e in site.enterprises}


def test_a_broken_terms_file_is_one_line_per_problem_from_check_and_build(tmp_path, capsys):
    root = write_project(tmp_path / "p")
    (root / PATH).write_text("terms:\n- zh: 颗粒硅\n  en: granular silicon\n- zh: 颗粒硅\n  en: again\n",
                             encoding="utf-8")
    for command in (["check"], ["build", "--no-search", "--no-progress"]):
        assert cli.main(["-C", str(root), *command]) == 1
        err = capsys.readouterr().err
        assert err == f"error: {PATH}:4: term '颗粒硅' is listed twice (first at line 2)\n", command


def test_terms_are_masked_whether_the_site_comes_from_the_build_cache_or_not(tmp_path, capsys):
    """`build` hands translate_site a Site loaded through its cache: it carries the same
    terminology as a cold load, so `build` and `translate` mask the same terms."""
    root = tmp_path / "seed"
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("translations"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    config = load_config(root)
    memo = Memo(config, Session())
    memo.scan()
    first = content.load_site(config, memo)
    site = content.load_site(config, memo)  # now from the memo
    assert site.terms == first.terms == content.load_site(config).terms != ()
    translate_site(config, site, progress=False, engine=CopyingEngine())
    po = (root / "content/translations/en/jingkai-longtou-qiye-jiju.po").read_text(encoding="utf-8")
    assert "初夏时节，GCL Avenue 上的 Jiangsu Zhongneng Polysilicon" in po and "的 granular silicon 产线" in po
    assert cli.main(["-C", str(root), "translate", "--show-masked", "jingkai-longtou-qiye-jiju:s1.p1.1"]) == 0
    out = capsys.readouterr().out
    assert "  ZBF  term        颗粒硅 → granular silicon" in out
    assert "  ZBB  place       协鑫大道 → GCL Avenue" in out

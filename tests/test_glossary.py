"""Mention finding: the plain scanning loop (used for a rebuild's first few hundred texts)
finds exactly what the trie regex finds, on real text in both languages and on edge cases."""

from __future__ import annotations

import random

import polib
from fixture_site import REPO

from bench import generate
from builder.config import load_config
from builder.content import load_site, parse_glossary
from builder.glossary import MentionFinder
from builder.model import Enterprise


def _agree(finder: MentionFinder, texts) -> int:
    hits = 0
    for text in texts:
        scanned, matched = finder._scan(text), finder._regex(text)
        assert scanned == matched, text
        hits += len(matched)
    return hits


def test_scan_agrees_with_the_regex_on_the_archive_and_the_seed(tmp_path):
    generate.generate(6, tmp_path)
    site = load_site(load_config(tmp_path / "ours"))
    zh, en = MentionFinder(site.enterprises, "zh"), MentionFinder(site.enterprises, "en")
    texts_zh = [s.zh for b in site.briefings for s in b.segments()]
    texts_en = [e.msgstr for po in sorted((tmp_path / "ours/content/translations/en").glob("*.po"))
                for e in polib.pofile(str(po)) if e.msgstr]
    assert _agree(zh, texts_zh) > 30 and _agree(en, texts_en) > 30
    repo = parse_glossary((REPO / "content/glossary/enterprises.yaml").read_text(encoding="utf-8"), "g")
    seed = next((REPO / "seeds").glob("*.txt")).read_text(encoding="utf-8").splitlines()
    assert _agree(MentionFinder(repo, "zh"), seed) > 10
    repo_en = [e.msgstr for po in sorted((REPO / "content/translations/en").glob("*.po")) for e in polib.pofile(str(po))]
    assert _agree(MentionFinder(repo, "en"), repo_en) > 5


def test_scan_agrees_on_word_edges_case_and_overlapping_forms():
    def ent(i, zh, en, aliases_zh=(), aliases_en=()):
        return Enterprise(id=f"e{i}", name_zh=zh, aliases_zh=tuple(aliases_zh), name_en=en, short_en="",
                          aliases_en=tuple(aliases_en), pinyin="", district=None, industries=(), relations=())

    ents = [ent(1, "中能硅业", "Zhongneng Silicon", ["中能"], ["ZN"]), ent(2, "中能硅业科技", "Zhongneng Silicon Tech"),
            ent(3, "鑫华", "Xinhua", [], ["XH", "Xinhua Semi"]), ent(4, "华", "Hua Co", [], ["BYD"]),
            ent(5, "徐工", "XCMG", ["徐工集团"], ["xcmg group", "X.C.M.G."])]
    zh, en = MentionFinder(ents, "zh"), MentionFinder(ents, "en")
    pieces_zh = ["中能硅业科技", "中能硅业", "中能", "鑫华", "华", "徐工集团", "徐工", "中", "硅", "，", "。", " "]
    pieces_en = ["Zhongneng Silicon Tech", "zhongneng silicon", "ZN", "zn", "XH", "Xinhua Semi", "xinhua",
                 "BYD", "BYDX", "xBYD", "XCMG", "xcmg group", "X.C.M.G.", "X.C.M.G.x", "1BYD", "BYD2", "_BYD_",
                 " ", ", ", ".", "-", "Hua Co", "İstanbul", "K"]
    rng = random.Random(11)
    assert _agree(zh, ["".join(rng.choice(pieces_zh) for _ in range(rng.randint(0, 12))) for _ in range(3000)]) > 1000
    assert _agree(en, ["".join(rng.choice(pieces_en) for _ in range(rng.randint(0, 12))) for _ in range(3000)]) > 1000


def test_a_finder_switches_to_the_regex_after_its_first_texts():
    ents = [Enterprise(id="x", name_zh="鑫华半导体", aliases_zh=("鑫华",), name_en="Xinhua", short_en="",
                       aliases_en=(), pinyin="", district=None, industries=(), relations=())]
    finder = MentionFinder(ents, "zh")
    texts = [f"第{i}次：鑫华半导体与鑫华。" for i in range(MentionFinder.SCAN_LIMIT + 5)]
    results = [finder.find(t) for t in texts]
    assert finder._pattern is not None  # compiled once the limit was passed
    assert all([m.text for m in r] == ["鑫华半导体", "鑫华"] for r in results)

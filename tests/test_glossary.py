"""Mention finding: the glossary's one finder (ingest and render share it) finds, in both
languages, exactly the leftmost-longest, non-overlapping whole-word mentions that a plain
scan by hand finds, on real text and on edge cases."""

from __future__ import annotations

import random

import polib
from fixture_site import REPO

from bench import generate
from builder.config import load_config
from builder.content import load_site, parse_glossary
from builder.glossary import Mention, MentionFinder, fold_case
from builder.model import Enterprise

WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _by_hand(finder: MentionFinder, text: str) -> list[Mention]:
    """The rule spelled out: at each position the longest form that starts there (English:
    whole words, any case), then on after it."""
    english = finder.lang == "en"
    low = fold_case(text) if english else text
    lengths = sorted({len(form) for form in finder.by_form}, reverse=True)
    found, i = [], 0
    while i < len(text):
        if not (english and i and low[i - 1] in WORD):
            for length in lengths:
                end = i + length
                if low[i:end] in finder.by_form and end <= len(text) and not (english and end < len(text) and low[end] in WORD):
                    found.append(Mention(i, end, finder.by_form[low[i:end]], text[i:end]))
                    i = end
                    break
            else:
                i += 1
            continue
        i += 1
    return found


def _agree(finder: MentionFinder, texts) -> int:
    hits = 0
    for text in texts:
        found = finder.find(text)
        assert found == _by_hand(finder, text), text
        hits += len(found)
    return hits


def test_mentions_on_the_archive_and_the_seed(tmp_path):
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


def test_mentions_at_word_edges_in_any_case_and_of_overlapping_forms():
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


def test_a_text_is_scanned_once_and_its_mentions_are_not_shared_between_calls():
    ents = [Enterprise(id="x", name_zh="鑫华半导体", aliases_zh=("鑫华",), name_en="Xinhua", short_en="",
                       aliases_en=(), pinyin="", district=None, industries=(), relations=())]
    finder = MentionFinder(ents, "zh")
    first = finder.find("鑫华半导体与鑫华。")
    assert [m.text for m in first] == ["鑫华半导体", "鑫华"]
    first.clear()  # a caller changing its list does not change what the finder remembers
    assert [m.text for m in finder.find("鑫华半导体与鑫华。")] == ["鑫华半导体", "鑫华"]

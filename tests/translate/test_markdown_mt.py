"""Markdown through machine translation: the engine sees words only, markup comes back as the
writer typed it, and markup an engine loses is flagged and never breaks the page.

The project is the fixture site with the Markdown briefing of tests/fixtures/markdown/, its
translation memory taken away so every segment goes to the stand-in engines."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from engines import CopyingEngine, PerfectEngine

from builder import cli, content
from builder.config import load_config
from builder.translate import memory, protector, translate_site
from builder.translate.terms import restore

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from fixture_site import BUILD, FIXTURE  # noqa: E402

SLUG = "gulou-markdown"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(TESTS / "fixtures" / "markdown" / "content", root / "content", dirs_exist_ok=True)
    (root / "content" / "translations" / "en" / f"{SLUG}.po").unlink()
    return root


class Recording(CopyingEngine):
    def __init__(self):
        self.asked: list[str] = []

    def answer(self, source: str) -> str:
        self.asked.append(source)
        return source


def results(config, site) -> dict:
    briefing = next(b for b in site.briefings if b.slug == SLUG)
    po = memory.load_po(memory.memory_path(config.content, SLUG), SLUG)
    return memory.translations(po, briefing)


def test_no_url_or_markup_reaches_the_engine_and_a_copy_comes_back_whole(tmp_path):
    config = load_config(project(tmp_path))
    site = content.load_site(config)
    engine = Recording()
    translate_site(config, site, progress=False, engine=engine)
    sent = "\n".join(engine.asked)
    assert "活动页面" in sent and "限时" in sent  # the words are sent
    for leak in ("http", "example.org", "mailto", "**", "`", "](", "![", "javascript", "media/"):
        assert leak not in sent
    table = results(config, site)
    # a copying engine gives every piece of markup back where it stood
    en = table["s0.p1.1"].en
    assert "**会员日**" in en and "[活动页面](https://example.org/events?id=1)" in en
    assert "`VIP-2023`" in table["s0.p1.2"].en
    assert table["s1.p3.1"].en == "![平面图](../media/plan.svg)"
    assert not any("markup" in tr.flags or "placeholder" in tr.flags for tr in table.values())


def test_a_perfect_engine_gives_markdown_english_exactly():
    from builder.model import Site
    from builder.translate.terms import Protector

    masker = Protector(Site((), (), (), ()))
    zh = "徐州推出**会员日**活动，详见[活动页面](https://example.org/events?id=1)，代码`VIP`。"
    masked = masker.mask(zh)
    assert masked.source == "徐州推出 ZBB 会员日 ZBC 活动，详见 ZBD 活动页面 ZBF，代码 ZBG。"
    english = "Xuzhou launches a **member day**; see the [event page](https://example.org/events?id=1), code `VIP`."
    ideal = "Xuzhou launches a ZBB member day ZBC; see the ZBD event page ZBF, code ZBG."
    engine = PerfectEngine({masked.source: ideal})
    assert restore(masked, engine.answer(masked.source)) == (english, ())


def test_markup_the_engine_loses_is_flagged_and_the_page_still_renders(tmp_path, capsys):
    root = project(tmp_path)
    config = load_config(root)
    site = content.load_site(config)
    masker = protector(config, site)
    closing = {}  # masked sentence -> the tokens of its closing markup
    for seg in next(b for b in site.briefings if b.slug == SLUG).segments():
        masked = masker.mask(seg.zh)
        closing[masked.source] = [s.token for s in masked.slots if s.kind == "markup-close"]

    class Dropping(CopyingEngine):
        label = "dropping test-engine"

        def answer(self, source: str) -> str:  # loses every closing delimiter and link target
            for tok in closing.get(source, []):
                source = re.sub(rf"\s*{tok}", "", source)
            return source

    translate_site(config, site, progress=False, engine=Dropping())
    table = results(config, site)
    tr = table["s0.p1.1"]
    assert "markup" in tr.flags and tr.status == "machine"  # (and the copied Chinese is flagged too)
    # the pair is left out whole: the words plain, no stray ** or [
    assert "会员日" in tr.en and "活动页面" in tr.en and "*" not in tr.en and "[" not in tr.en
    assert "markup" not in table["s0.p1.2"].flags  # a code span is one token: it came back
    po = (root / "content" / "translations" / "en" / f"{SLUG}.po").read_text(encoding="utf-8")
    assert "#. flags: markup" in po or "flags: markup" in po

    capsys.readouterr()
    assert cli.main(["-C", str(root), *BUILD]) == 0
    html = (root / "site" / "en" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    seg = html[html.index('id="s0-p1-1"') - 40:]
    seg = seg[:seg.index("</p>")]
    assert "flagged" in seg and "**" not in seg and "](" not in seg
    assert "the engine lost or moved formatting of the Chinese" in seg  # the flag in words
    assert cli.main(["-C", str(root), "check"]) == 1
    assert "[flagged: markup (the engine lost or moved formatting" in capsys.readouterr().err

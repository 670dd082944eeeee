"""install → translate (CLI) → memory written → second run reuses everything → attach."""

import io
import socket
import time

from builder import cli, content
from builder.config import load_config
from builder.translate import attach_translations, coverage, engine_available, translate_site

PO = "content/translations/en/gulou-four-zones.po"


def run(project, *args):
    return cli.main(["-C", str(project), *args])


def test_install_translate_reuse_attach(installed, project, capsys):
    assert run(project, "models", "list") == 0
    assert "translate-zh_en 0.0.1-tiny  zh → en" in capsys.readouterr().out

    assert run(project, "translate", "--no-progress") == 0
    out = capsys.readouterr().out
    assert "translated 8 segments with argos translate-zh_en 0.0.1-tiny" in out
    po = (project / PO).read_text(encoding="utf-8")
    assert po.count("#, fuzzy") == 8
    assert po.count("#. engine: argos translate-zh_en 0.0.1-tiny") == 8
    assert "#. score: -" in po
    # random weights: the engine never gives the placeholders back, so nothing passes as fine
    assert "placeholder" in po and "content/briefings/gulou-four-zones.md:12: [" in out

    assert run(project, "translate", "--no-progress") == 0
    out = capsys.readouterr().out
    assert "translated 0 segments (nothing new or changed)" in out
    assert "memory: 8 reused, 0 reviewed, 0 stale" in out
    assert (project / PO).read_text(encoding="utf-8") == po  # byte-identical

    config = load_config(project)
    site = attach_translations(config, content.load_site(config))
    table = site.translations["gulou-four-zones"]
    assert {t.status for t in table.values()} == {"machine"}
    assert all(t.engine == "argos translate-zh_en 0.0.1-tiny" for t in table.values())
    assert coverage(site).missing == 0


def test_strict_translate_fails_on_flagged(installed, project, capsys):
    assert run(project, "translate", "--no-progress", "--strict") == 1
    assert "--strict: 0 segments untranslated, 8 flagged" in capsys.readouterr().err


def test_no_network_during_translate(installed, project, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access during translate")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    config = load_config(project)
    report = translate_site(config, content.load_site(config), progress=False)
    assert report.translated == 8 and report.missing == 0


def test_without_model_memory_is_kept_and_missing_reported(argos_env, project, capsys):
    config = load_config(project)
    assert not engine_available(config)
    report = translate_site(config, content.load_site(config), progress=False)
    assert report.missing == 8
    assert "8 segments have no English yet; install a zh→en model with `briefing models install FILE.argosmodel`" \
        in "\n".join(report.lines())
    cov = coverage(attach_translations(config, content.load_site(config)))
    assert cov.missing == 8 and "briefing models install FILE.argosmodel" in cov.lines()[-1]


def test_changed_sentence_is_retranslated_and_reviewed_kept(installed, project, capsys):
    config = load_config(project)
    translate_site(config, content.load_site(config), progress=False)
    po_path = project / PO
    text = po_path.read_text(encoding="utf-8")
    # a person reviews the heading (removes fuzzy, writes English)
    block_start = text.index('msgctxt "s1.h"')
    fuzzy_at = text.rindex("#, fuzzy\n", 0, block_start)
    text = text[:fuzzy_at] + text[fuzzy_at + len("#, fuzzy\n"):]
    start = text.index('msgstr "', text.index('msgctxt "s1.h"'))
    end = text.index("\n", start)
    text = text[:start] + 'msgstr "A core for high-end commerce"' + text[end:]
    po_path.write_text(text, encoding="utf-8")
    md = project / "content/briefings/gulou-four-zones.md"
    md.write_text(md.read_text(encoding="utf-8").replace("## 高端商贸商务核心", "## 高端商贸商务核心区")
                  .replace("累计客流量超150万人次。", "累计客流量超160万人次。"), encoding="utf-8")
    report = translate_site(config, content.load_site(config), progress=False)
    assert report.translated == 1  # the changed machine sentence only
    after = po_path.read_text(encoding="utf-8")
    assert 'msgstr "A core for high-end commerce"' in after  # reviewed English not overwritten
    assert '#| msgid "高端商贸商务核心"' in after
    assert report.stale == 1


def test_progress_bar_on_a_terminal(installed, project):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    config = load_config(project)
    translate_site(config, content.load_site(config), progress=True, stream=stream)
    assert "\rtranslating [" in stream.getvalue() and "8/8 segments" in stream.getvalue()


def test_corrupt_memory_is_one_clear_line(project, capsys):
    po = project / PO
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n\nmsgctxt "meta.title"\nmsgid "标题\n', encoding="utf-8")
    assert run(project, "translate", "--no-progress") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {PO}:5: unterminated or malformed string")
    assert "Traceback" not in err
    assert po.read_text(encoding="utf-8").endswith('msgid "标题\n')  # untouched


def test_models_install_rejects_non_models(tmp_path, argos_env, project, capsys):
    bogus = tmp_path / "x.argosmodel"
    bogus.write_text("not a zip", encoding="utf-8")
    assert run(project, "models", "install", str(bogus)) == 1
    assert "not an Argos model" in capsys.readouterr().err


def test_download_fails_cleanly_offline(argos_env, project, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://127.0.0.1:9/")
    started = time.monotonic()
    assert run(project, "models", "install", "--download") == 1
    err = capsys.readouterr().err
    assert time.monotonic() - started < 10
    assert err.count("\n") == 1 and "could not reach the Argos package index" in err
    assert "Traceback" not in err


def test_show_masked_prints_what_the_engine_is_sent(project, capsys):
    assert run(project, "translate", "--show-masked", "s1.p1.1") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "content/briefings/gulou-four-zones.md:12  gulou-four-zones:s1.p1.1"
    assert "  sent:    据统计，ZBB、ZBC 等6家企业“五一”期间共实现销售额 ZBD，同比增长46.9%。" in out
    assert "  ZBB  enterprise  金鹰国际 → Golden Eagle International  (golden-eagle-international)" in out
    assert "  ZBD  figure      14224.4万元 → CNY 142.244 million" in out
    # free text, and a segment id that does not exist (one line, exit 1, nothing written)
    assert run(project, "translate", "--show-masked", "鼓楼区超150万人次") == 0
    assert "  sent:    ZBB ZBC" in capsys.readouterr().out
    assert run(project, "translate", "--show-masked", "gulou-four-zones:s7.h") == 1
    assert capsys.readouterr().err == "error: no briefing has a segment 'gulou-four-zones:s7.h'\n"
    assert not (project / PO).exists()


IMPORT = """\
- zh: 高端商贸商务核心
  en: A core for high-end commerce
- zh: 累计客流量超150万人次。
  en: Visitor numbers exceeded 1.5 million.
  note: Cumulative over the May Day holiday.
- zh: 不存在的句子。
  en: Nowhere.
"""


def test_import_reviewed(project, argos_env, capsys):
    (project / "human.yaml").write_text(IMPORT, encoding="utf-8")
    assert run(project, "translate", "--import", str(project / "human.yaml")) == 0
    out = capsys.readouterr().out
    assert "2 segments filled" in out and "human.yaml:6: no segment has this Chinese" in out
    po = (project / PO).read_text(encoding="utf-8")
    assert "# note: Cumulative over the May Day holiday." in po
    config = load_config(project)
    table = attach_translations(config, content.load_site(config)).translations["gulou-four-zones"]
    assert table["s1.h"].status == "reviewed" and table["s1.p1.2"].note
    # a second import with different English never overwrites the reviewed entry
    (project / "human.yaml").write_text(IMPORT.replace("A core for", "The core of"), encoding="utf-8")
    assert run(project, "translate", "--import", str(project / "human.yaml")) == 0
    assert "1 conflicts" in capsys.readouterr().out
    assert 'msgstr "A core for high-end commerce"' in (project / PO).read_text(encoding="utf-8")


def test_cli_install_then_build_shows_machine_label(tiny_model, argos_env, project, capsys):
    """The whole real pipeline from the command line: install a .argosmodel file, build (which
    translates because a model is installed), and the English page labels machine output."""
    assert run(project, "models", "install", str(tiny_model)) == 0
    assert run(project, "build", "--no-search", "--no-progress") == 0
    out = capsys.readouterr().out
    assert "translated 8 segments with argos translate-zh_en 0.0.1-tiny" in out
    page = (project / "site" / "en" / "briefings" / "gulou-four-zones" / "index.html").read_text(encoding="utf-8")
    assert "8 machine-translated (marked MT, not yet reviewed)" in page
    assert page.count('class="tag tag-mt"') >= 1 and "8 flagged as doubtful" in page
    # a second build sends nothing to the engine
    assert run(project, "build", "--no-search", "--no-progress") == 0
    assert "translated 0 segments (nothing new or changed)" in capsys.readouterr().out


def test_attach_merges_when_ids_shifted(project):
    """A paragraph inserted at the top shifts every id; the page still shows the English."""
    from builder.translate import memory

    config = load_config(project)
    site = content.load_site(config)
    briefing = site.briefings[0]
    po, _ = memory.merge(None, briefing)
    for e in po:
        memory.set_reviewed(e, f"EN {e.msgid}")
    memory.save_po(project / PO, po)
    before = attach_translations(config, site).translations[briefing.slug]
    assert all(tr.status == "reviewed" for tr in before.values())
    md = project / "content" / "briefings" / f"{briefing.slug}.md"
    text = md.read_text(encoding="utf-8")
    head, sep, body = text.partition("---\n")[2].partition("---\n")
    md.write_text("---\n" + head + sep + "新加的一句。\n\n" + body, encoding="utf-8")
    site = content.load_site(config)
    after = attach_translations(config, site).translations[briefing.slug]
    assert after["s0.p1.1"].status == "missing"
    lead = before["s0.p1.1"]
    assert after["s0.p2.1"].en == lead.en and after["s0.p2.1"].status == "reviewed"
    assert (project / PO).read_text(encoding="utf-8") == memory.render_po(po)  # nothing written

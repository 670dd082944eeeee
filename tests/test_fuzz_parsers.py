"""Issue 14: every parser of what people write (front matter, PO, glossary, taxonomy, settings)
gives a clean BuildError or BuildErrors, or succeeds: never another exception (a traceback).

Hypothesis generates both structured inputs (the right keys with values of every YAML type,
nested) and raw text around the syntax each format uses. The default run is short; set
FUZZ_EXAMPLES=5000 for a long one.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import content
from builder.config import parse_config
from builder.errors import BuildError, BuildErrors
from builder.translate import memory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_EXAMPLES"), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# characters that matter to YAML, TOML, PO and Markdown, Chinese, and the separators
ALPHABET = st.sampled_from(list("abc-_ :#&*!|>'\"[]{},.?\\%@`~=\n\t0129") +
                           ["中", "文", "鑫", "\u2028", "\u2029", "\x85", "\x1c", "\x00", "\ud800", "\ufeff", "\r"])
TEXT = st.text(ALPHABET, max_size=60)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                   st.floats(allow_nan=True), TEXT, st.sampled_from(["2023-02-30", "2024-13-45", "2023-06-14",
                                                                     "s0", "s1", "-5", "x", ""]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.one_of(TEXT, st.sampled_from(
                                                         ["name", "part", "caption", "after_paragraph", "section",
                                                          "lines", "date", "page", "file", "kind", "target"])),
                                                         inner, max_size=4)), max_leaves=12)


def _dump(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeEncodeError, ValueError):
        return "x: 1\n"


def _clean(parse, *args) -> None:
    try:
        parse(*args)
    except (BuildError, BuildErrors) as exc:
        assert str(exc), "an error has a message"


KEYS = st.sampled_from(list(content.BRIEFING_KEYS) + ["unknown"])


@FUZZ
@given(st.dictionaries(KEYS, VALUE, max_size=8), TEXT, st.booleans())
def test_front_matter(meta, body, raw):
    meta.setdefault("title", "标题")
    meta.setdefault("slug", "demo")
    head = body if raw else _dump(meta)
    _clean(content.parse_briefing, f"---\n{head}---\n\n{body}\n", "x.md")


@FUZZ
@given(TEXT)
def test_front_matter_raw(text):
    _clean(content.parse_briefing, f"---\ntitle: 标题\nslug: demo\n{text}\n---\n\n{text}", "x.md")


ENTERPRISE_KEYS = st.sampled_from(list(content.ENTERPRISE_KEYS) + ["unknown"])


@FUZZ
@given(st.lists(st.dictionaries(ENTERPRISE_KEYS, VALUE, max_size=8), max_size=3), TEXT, st.booleans())
def test_glossary(entries, text, raw):
    for entry in entries:
        entry.setdefault("id", "ent")
        entry.setdefault("name_zh", "鑫华公司")
        entry.setdefault("name_en", "Xinhua")
    _clean(content.parse_glossary, text if raw else _dump(entries), "g.yaml")


@FUZZ
@given(st.dictionaries(st.sampled_from(["districts", "industries", "other"]),
                       st.one_of(VALUE, st.lists(st.dictionaries(st.sampled_from(list(content.TERM_KEYS) + ["x"]),
                                                                 VALUE, max_size=6), max_size=3)), max_size=3),
       TEXT, st.booleans())
def test_taxonomy(data, text, raw):
    _clean(content.parse_taxonomy, text if raw else _dump(data), "t.yaml")


PO_LINE = st.one_of(
    st.sampled_from(['msgid ""', 'msgstr ""', 'msgctxt "s0.p1.1"', 'msgid "中文"', 'msgstr "English"', '"more"',
                     "#, fuzzy", "#. engine: x", "# note: n", '#| msgid "旧"', '#~ msgid "旧"', '#~ msgstr "old"',
                     '#~| msgid "更旧"', 'msgid_plural "x"', 'msgstr[0] "a"', "", '"Language: en\\n"']),
    st.builds(lambda k, t: f'{k} "{t}"', st.sampled_from(["msgid", "msgstr", "msgctxt", "#~ msgid", "#| msgid"]),
              TEXT),
    TEXT,
)


@FUZZ
@given(st.lists(PO_LINE, max_size=30))
def test_po(lines):
    text = "\n".join(lines) + "\n"
    try:
        po = memory.parse_po(text, "x.po")
    except (BuildError, BuildErrors):
        return
    # what was accepted reads back the same after the memory writes it
    memory.parse_po(memory.render_po(po), "x.po")


SETTING = st.sampled_from(["title_en", "base_url", "theme", "output_dir", "content_dir", "themes_dir",
                           "translate_batch_size", "translate_device", "unknown", "tool"])
TOML_VALUE = st.one_of(st.integers(min_value=-10**20, max_value=10**20), st.booleans(),
                       TEXT.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
                       st.sampled_from(['"."', '""', '"content"', '".."', '"/etc"', '"javascript:x"', "[1, 2]",
                                        "{a = 1}", '"../../x"']))


@FUZZ
@given(st.lists(st.tuples(SETTING, TOML_VALUE), max_size=6), TEXT, st.booleans())
def test_config(settings_, text, raw):
    body = text if raw else "\n".join(f"{k} = {v}" for k, v in settings_)
    _clean(parse_config, f"[project]\nname = 'x'\n\n[tool.briefing]\n{body}\n", Path("/p"))

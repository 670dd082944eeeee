"""A project for the publishing tests: the fixture site (tests/fixtures/site/, whose two
briefings are both below the default publishing rule) plus three briefings of other shapes:

    mt-published   every segment English, the title and lead machine-translated without a flag,
                   byline 经开轩 (a pen name of the terminology), no date but a first-seen day
    flagged-lead   title and lead machine-translated WITH quality flags (figure, negation)
    undated        every segment reviewed, no date and no first-seen day

Built through the CLI, as a user builds it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fixture_site import REPO, copy_fixture

from builder import cli

PO_HEAD = '''msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

'''

BRIEFINGS = {
    "mt-published": ('''---
title: 新材料产业园开工
slug: mt-published
districts: [jingkai]
industries: [semiconductors]
authors: [经开轩]
---
产业园今天开工。

## 项目

项目总投资10亿元。
''', [("meta.title", "新材料产业园开工", "New materials industrial park breaks ground", "machine", ""),
      ("s0.p1.1", "产业园今天开工。", "The industrial park started construction today.", "machine", ""),
      ("s1.h", "项目", "The project", "reviewed", ""),
      ("s1.p1.1", "项目总投资10亿元。", "The project's total investment is CNY 1 billion.", "reviewed", "")]),
    "flagged-lead": ('''---
title: 光伏企业产值增长20%
slug: flagged-lead
date: 2023-04-01
districts: [jingkai]
industries: [photovoltaics]
authors: [王小明]
---
企业产值没有下降。
''', [("meta.title", "光伏企业产值增长20%", "Photovoltaic firms' output grows", "machine", "figure"),
      ("s0.p1.1", "企业产值没有下降。", "Output of enterprises fell.", "machine", "negation")]),
    "undated": ('''---
title: 鼓楼夜市开张
slug: undated
districts: [gulou]
industries: [commerce]
---
夜市开张了。
''', [("meta.title", "鼓楼夜市开张", "Gulou night market opens", "reviewed", ""),
      ("s0.p1.1", "夜市开张了。", "The night market has opened.", "reviewed", "")]),
}

FIRST_SEEN = {"mt-published": "2023-07-01"}


def po_text(entries) -> str:
    out = [PO_HEAD]
    for ctx, zh, en, status, flags in entries:
        if status == "machine":
            out.append("#. engine: argos translate-zh_en 1.9\n")
            if flags:
                out.append(f"#. flags: {flags}\n")
            out.append("#, fuzzy\n")
        out.append(f'msgctxt "{ctx}"\nmsgid "{zh}"\nmsgstr "{en}"\n\n')
    return "".join(out)


def make_project(root: Path, rule: str | None = None) -> Path:
    copy_fixture(root)
    shutil.copytree(REPO / "themes", root / "themes")
    for slug, (text, entries) in BRIEFINGS.items():
        (root / "content/briefings" / f"{slug}.md").write_text(text, encoding="utf-8")
        (root / "content/translations/en" / f"{slug}.po").write_text(po_text(entries), encoding="utf-8")
    state_path = root / "content/.ingest-state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    for slug, day in FIRST_SEEN.items():
        state["pages"][f"content/briefings/{slug}.md"] = {"first_seen": day, "slug": slug, "source": f"seeds/{slug}.txt"}
    state_path.write_text(json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if rule:
        set_rule(root, rule)
    return root


def set_rule(root: Path, rule: str) -> None:
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("[tool.briefing]\n", f'[tool.briefing]\npublish_en = "{rule}"\n', 1),
                         encoding="utf-8")


def build(root: Path, *options: str) -> int:
    return cli.main(["-C", str(root), "build", "--no-search", "--no-translate", "--no-progress", *options])


def read(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def head(page: str) -> str:
    return page.split("</head>")[0]

"""A tiny project (taxonomy, glossary, one briefing) for the translate tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

TAXONOMY = """\
districts:
  - id: gulou
    zh: 鼓楼区
    en: Gulou District
    short_en: Gulou
    keywords: [鼓楼]
    short_names_zh: [鼓楼]
  - id: jingkai
    zh: 徐州经济技术开发区
    en: Xuzhou Economic and Technological Development Zone
    short_en: the Development Zone
    keywords: [经开区, 徐州经开区]
    names_zh: [徐州经开区]
    generic_names_zh: [经开区]
industries:
  - id: commerce
    zh: 商贸商务
    en: Commerce and retail
  - id: semiconductors
    zh: 半导体
    en: Semiconductors
"""

GLOSSARY = """\
- id: golden-eagle-international
  name_zh: 徐州金鹰国际购物中心
  aliases_zh: [金鹰国际]
  name_en: Golden Eagle International Shopping Center (Xuzhou)
  short_en: Golden Eagle International
- id: suning-plaza
  name_zh: 徐州苏宁广场
  aliases_zh: [苏宁广场]
  name_en: Suning Plaza (Xuzhou)
  short_en: Suning Plaza
- id: xinhua-semiconductor
  name_zh: 江苏鑫华半导体科技股份有限公司
  aliases_zh: [鑫华半导体, 江苏鑫华半导体]
  name_en: Jiangsu Xinhua Semiconductor Technology Co., Ltd.
  short_en: Xinhua Semiconductor
"""

BRIEFING = """\
---
title: 鼓楼：“四区”同建，在创新中谋发展
slug: gulou-four-zones
districts: [gulou]
industries: [commerce]
enterprises: [golden-eagle-international, suning-plaza]
---
为加快推进淮海经济区高端商贸商务核心区建设，徐州市鼓楼区扛起主城担当，在创新中谋发展。

## 高端商贸商务核心

据统计，金鹰国际、苏宁广场等6家企业“五一”期间共实现销售额14224.4万元，同比增长46.9%。累计客流量超150万人次。

## 高新技术产业标杆

鼓楼区打造11.4平方公里的高新区。江苏鑫华半导体科技股份有限公司完成10亿元B轮融资。
"""


def write_project(root: Path, briefing: str = BRIEFING) -> Path:
    (root / "content" / "briefings").mkdir(parents=True, exist_ok=True)
    (root / "content" / "glossary").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.briefing]
        title_en = "Test"
        translate_beam_size = 2
        translate_batch_size = 4
        """), encoding="utf-8")
    (root / "content" / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (root / "content" / "glossary" / "enterprises.yaml").write_text(GLOSSARY, encoding="utf-8")
    (root / "content" / "briefings" / "gulou-four-zones.md").write_text(briefing, encoding="utf-8")
    return root

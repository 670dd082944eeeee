"""Fixtures for the translate stage.

Argos Translate reads and creates folders under HOME / XDG_* as soon as it is imported, so
this file points all of them into a throw-away folder before anything imports it: the
tests never touch the real home directory. Each test that installs a model gets its own
ARGOS_PACKAGES_DIR under tmp_path.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

_HOME = tempfile.mkdtemp(prefix="briefing-test-home-")
for _key, _sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_CACHE_HOME", "cache")):
    os.environ[_key] = str(Path(_HOME) / _sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(Path(_HOME) / "packages")
os.environ.setdefault("BRIEFING_NO_FSYNC", "1")

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_ba374b0bc59d2438.txt"


def pytest_unconfigure(config):
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A real .argosmodel (SentencePiece + random-weight CTranslate2 Transformer), built once."""
    from builder.translate.tinymodel import build_argosmodel

    return build_argosmodel(SEED.read_text(encoding="utf-8"),
                            tmp_path_factory.mktemp("argos") / "translate-zh_en-tiny.argosmodel")


@pytest.fixture
def argos_env(tmp_path, monkeypatch) -> Path:
    """An empty Argos package folder for this test."""
    packages = tmp_path / "argos-packages"
    packages.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return packages


@pytest.fixture
def installed(tiny_model, argos_env) -> Path:
    from builder.translate import models

    models.install_file(tiny_model)
    return argos_env


TAXONOMY = """\
districts:
  - id: gulou
    zh: 鼓楼区
    en: Gulou District
    short_en: Gulou
    keywords: [鼓楼]
  - id: jingkai
    zh: 徐州经济技术开发区
    en: Xuzhou Economic and Technological Development Zone
    short_en: the Development Zone (XETDZ)
    keywords: [经开区, 徐州经开区]
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


@pytest.fixture
def project(tmp_path) -> Path:
    return write_project(tmp_path / "project")

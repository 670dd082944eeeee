"""The fixture project: load it, attach its in-memory translations, render or build it.

The fixture carries its own translation memory as YAML (tests/fixtures/site/translations.yaml)
so the render tests do not depend on the translate stage or on PO files.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from builder import content, render
from builder.config import load_config
from builder.model import Site, Translation
from builder.write import write_site

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "site"


def fixture_config(base_url: str | None = None, root: Path = FIXTURE):
    config = dataclasses.replace(load_config(root), themes_dir=str(REPO / "themes"))
    return config.with_base_url(base_url) if base_url else config


def with_translations(site: Site, path: Path = FIXTURE / "translations.yaml") -> Site:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    translations = {
        slug: {seg_id: Translation(seg_id, entry.get("en"), entry["status"], tuple(entry.get("flags") or ()),
                                   entry.get("note") or "", entry.get("engine") or "")
               for seg_id, entry in segments.items()}
        for slug, segments in data.items()
    }
    return dataclasses.replace(site, translations=translations)


def render_fixture(base_url: str | None = None) -> list[tuple[str, bytes]]:
    config = fixture_config(base_url)
    return render.render_site(with_translations(content.load_site(config)), config)


def build_fixture(target: Path, base_url: str | None = None) -> Path:
    write_site(render_fixture(base_url), target)
    return target

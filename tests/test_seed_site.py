"""The real project (content/ from the seed) rendered and crawled, at / and under /xuzhou-briefing/.

Runs once content/ holds briefings (ingest writes them); until then it skips with a reason.
Translations come from the translate stage when it is present (the committed PO memory).
"""

from __future__ import annotations

import re

import pytest
from crawl import crawl
from fixture_site import REPO

from builder import content, render
from builder.config import load_config
from builder.write import write_site

BASES = ["https://example.github.io/", "https://example.github.io/xuzhou-briefing/"]


def _site(config):
    site = content.load_site(config)
    try:
        from builder import translate
    except ImportError:
        return site
    return translate.attach_translations(config, site)


@pytest.fixture(scope="module", params=BASES, ids=["root", "base-path"])
def built(request, tmp_path_factory):
    if not any((REPO / "content" / "briefings").glob("*.md")):
        pytest.skip("no briefings in content/ yet (run `briefing ingest`)")
    config = load_config(REPO).with_base_url(request.param)
    site = _site(config)
    out = tmp_path_factory.mktemp("seed") / "site"
    pages = render.render_site(site, config)
    write_site(pages, out)
    return site, config, out, dict(pages)


def test_seed_site_links_and_anchors_resolve(built):
    site, config, out, _ = built
    problems, pages = crawl(out, config.base_path, config.origin, skip_prefixes=("pagefind/",))
    assert problems == []
    for b in site.briefings:
        for lang in ("zh", "en"):
            assert f"{config.base_path}{lang}/briefings/{b.slug}/" in pages


def test_seed_briefings_and_enterprises_link_both_ways(built):
    site, config, out, _ = built
    for b in site.briefings:
        for lang in ("zh", "en"):
            page = (out / lang / "briefings" / b.slug / "index.html").read_text(encoding="utf-8")
            for ent in b.enterprises:
                assert f'href="{config.base_path}{lang}/enterprises/{ent}/"' in page, (b.slug, ent)
                back = (out / lang / "enterprises" / ent / "index.html").read_text(encoding="utf-8")
                assert f'href="{config.base_path}{lang}/briefings/{b.slug}/' in back, (ent, b.slug)


def test_seed_term_pages_list_the_right_briefings(built):
    site, config, out, _ = built
    for kind, folder, terms in (("districts", "districts", site.districts), ("industries", "industries", site.industries)):
        for term in terms:
            expected = {b.slug for b in site.briefings if term.id in getattr(b, kind)}
            for lang in ("zh", "en"):
                page = (out / lang / folder / term.id / "index.html").read_text(encoding="utf-8")
                found = set(re.findall(rf'class="card-title"><a href="{re.escape(config.base_path)}{lang}/briefings/([a-z0-9-]+)/"', page))
                assert found == expected, (kind, term.id, lang)


def test_seed_render_is_deterministic(built):
    _site_before, config, _, outputs = built
    assert dict(render.render_site(_site(config), config)) == outputs

"""Deploying: the host of `base_url` in every absolute URL (canonical, hreflang, sitemap, feeds,
JSON-LD, Open Graph), the one-line warning for a loopback host with a deploy-looking base path,
and the Pages workflow passing the Pages URL from configure-pages."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from fixture_site import FIXTURE, REPO

from builder import cli

FULL = "https://example.github.io/xuzhou-briefing/"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setenv("BRIEFING_NO_FSYNC", "1")
    return root


def _texts(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*")) if p.suffix in (".html", ".xml", ".txt")}


def test_a_full_base_url_puts_its_host_everywhere(project, capsys):
    assert cli.main(["-C", str(project), "build", "--base-url", FULL, "--no-search", "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    texts = _texts(project / "site")
    for rel, text in texts.items():
        assert "127.0.0.1" not in text, rel
    page = texts["en/briefings/index.html"]
    assert f'<link rel="canonical" href="{FULL}en/briefings/">' in page
    assert f'<meta property="og:url" content="{FULL}en/briefings/">' in page
    assert f'<meta property="og:image" content="{FULL}og.png">' in page
    locs = re.findall(r"<loc>([^<]+)</loc>", texts["sitemap.xml"])
    assert locs and all(loc.startswith(FULL) for loc in locs)
    feed = texts["zh/feed.xml"]
    links = re.findall(r'<link[^>]*href="([^"]+)"', feed)
    assert links and all(link.startswith(FULL) for link in links)
    assert f"Sitemap: {FULL}sitemap.xml" in texts["robots.txt"]


def _loopback_default(project):
    settings = project / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text("\n".join(line for line in text.splitlines() if not line.startswith("base_url")) + "\n",
                        encoding="utf-8")


def test_a_bare_path_with_the_loopback_default_warns_once(project, capsys):
    _loopback_default(project)
    assert cli.main(["-C", str(project), "build", "--base-url", "/xuzhou-briefing/", "--no-search",
                     "--no-progress"]) == 0
    err = capsys.readouterr().err.splitlines()
    warnings = [line for line in err if line.startswith("warning:")]
    assert warnings == ["warning: base URL http://127.0.0.1:8000/xuzhou-briefing/ has a loopback host: canonical "
                        "URLs, the sitemap, the feeds and Open Graph point at this machine; to deploy, give the full "
                        "URL, e.g. --base-url https://<user>.github.io/xuzhou-briefing/"]
    # it still builds what was asked for: the loopback host, under the base path
    page = (project / "site/en/briefings/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http://127.0.0.1:8000/xuzhou-briefing/en/briefings/">' in page


def test_a_local_build_at_the_root_does_not_warn(project, capsys):
    _loopback_default(project)
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-progress"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_the_pages_workflow_builds_for_the_pages_url():
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    pages = next(step for step in steps if str(step.get("uses", "")).startswith("actions/configure-pages"))
    build = next(step for step in steps if "briefing build" in step.get("run", ""))
    assert f"--base-url \"${{{{ steps.{pages['id']}.outputs.base_url }}}}/\"" in build["run"]

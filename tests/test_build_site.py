"""`briefing build` end to end on the fixture project (ingest, the translation memory, render,
atomic write, Pagefind), through the CLI."""

from __future__ import annotations

import re
import shutil
import sys

import pytest
from fixture_site import FIXTURE, REPO

from builder import cli


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "themes", root / "themes")
    monkeypatch.setenv("BRIEFING_NO_FSYNC", "1")
    return root


def test_build_writes_site_and_search_index_under_base_path(project, capsys):
    assert cli.main(["-C", str(project), "build", "--base-url", "/xuzhou-briefing/", "--no-progress"]) == 0
    out = capsys.readouterr().out
    # both briefings' English is below the publishing rule: out of English search (tests/test_publish.py)
    assert "search: 8 pages indexed (en, zh-hans)" in out
    site = project / "site"
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    page = (site / "en/search/index.html").read_text(encoding="utf-8")
    # the UI loads the bundle through the names-first module, which imports Pagefind relatively
    assert 'data-bundle="/xuzhou-briefing/static/search/"' in page
    assert '"../../pagefind/pagefind.js"' in (site / "static/search/pagefind.js").read_text(encoding="utf-8")
    assert 'src="/xuzhou-briefing/pagefind/pagefind-ui.js"' in page


def test_build_says_what_it_did_in_one_line(project, capsys):
    """The last line: pages in the site, how many this build changed, how long it took; ingest
    lists no unchanged page, and a build with nothing to do says so in one line too."""
    build = ["-C", str(project), "build", "--no-search", "--no-progress"]
    assert cli.main(build) == 0
    out = capsys.readouterr().out.splitlines()
    pages = sum(1 for p in (project / "site").rglob("*.html"))
    assert re.fullmatch(rf"built {pages} pages \({pages} changed\) in \d+\.\d s", out[-1]), out[-1]
    assert not [line for line in out if line.startswith("unchanged ")]
    assert cli.main(build) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"site/ is up to date ({pages} pages; no input changed since the last build)"
    briefing = next((project / "content/briefings").glob("*.md"))
    briefing.write_text(briefing.read_text(encoding="utf-8").rstrip() + "\n\n新增的一句话。\n", encoding="utf-8")
    assert cli.main(build) == 0
    out = capsys.readouterr().out.splitlines()
    m = re.fullmatch(rf"built {pages} pages \((\d+) changed\) in \d+\.\d s", out[-1])
    assert m and 0 < int(m.group(1)) < pages, out[-1]


def test_a_failed_build_leaves_the_old_site(project, capsys):
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-progress"]) == 0
    before = (project / "site/en/index.html").read_bytes()
    strings = project / "themes/default/i18n/en.yaml"
    strings.write_text("\n".join(line for line in strings.read_text(encoding="utf-8").splitlines()
                                 if not line.startswith("nav.search:")), encoding="utf-8")
    assert cli.main(["-C", str(project), "build", "--no-search", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "missing UI string 'nav.search'" in err and "Traceback" not in err
    assert (project / "site/en/index.html").read_bytes() == before


def test_search_without_pagefind_fails_with_a_clear_message(project, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)
    assert cli.main(["-C", str(project), "build", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "extended Pagefind binary is not installed" in err and "pip install 'pagefind[extended]'" in err


def test_serve_rebuilds_on_change_and_bumps_reload(project):
    import http.client
    import re
    import threading
    import time

    from builder import serve
    from builder.config import load_config

    lines: list[str] = []
    stop = threading.Event()
    config = load_config(project).with_base_url("/xuzhou-briefing/")
    thread = threading.Thread(target=serve.serve, kwargs=dict(
        config=config, say=lines.append, host="127.0.0.1", port=0, build=True, search=False,
        poll_seconds=0.1, stop=stop), daemon=True)
    thread.start()

    def get(path):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        response = conn.getresponse()
        return response.read().decode("utf-8")

    deadline = time.time() + 20
    while not any(line.startswith("serving") for line in lines) and time.time() < deadline:
        time.sleep(0.05)
    port = int(re.search(r":(\d+)/", next(line for line in lines if line.startswith("serving"))).group(1))
    assert get("/xuzhou-briefing/__reload") == "0"
    page = project / "content/briefings/gulou-shopping.md"
    page.write_text(page.read_text(encoding="utf-8").replace("鼓楼商圈人气旺", "鼓楼商圈人气更旺"), encoding="utf-8")
    while get("/xuzhou-briefing/__reload") == "0" and time.time() < deadline:
        time.sleep(0.1)
    assert "鼓楼商圈人气更旺" in get("/xuzhou-briefing/zh/briefings/gulou-shopping/")
    assert "__reload" not in (project / "site/zh/briefings/gulou-shopping/index.html").read_text(encoding="utf-8")
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_a_cache_that_cannot_be_used_says_why_under_debug(project, capsys):
    build = ["-C", str(project), "build", "--no-search", "--no-progress"]
    assert cli.main(build) == 0
    (project / ".briefing-cache" / "state.pickle").write_bytes(b"not a pickle")
    page = project / "content/briefings/gulou-shopping.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n又一句。\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--debug", *build]) == 0
    err = capsys.readouterr().err
    assert "build cache: state.pickle is not sealed" in err  # never unpickled (builder/cache/seal.py)
    assert "又一句" in (project / "site/zh/briefings/gulou-shopping/index.html").read_text(encoding="utf-8")
    shutil.rmtree(project / "site")
    assert cli.main(["--debug", *build]) == 0
    assert "build cache: site/ is not the folder the cache describes" in capsys.readouterr().err
    assert cli.main(build) == 0  # and without --debug the build says nothing of it
    assert "build cache" not in capsys.readouterr().err

"""The development server: serves only files inside site/, under the base path, with charsets."""

from __future__ import annotations

import http.client
import os
import threading

import pytest

from builder import serve
from fixture_site import build_fixture


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("srv")
    site = build_fixture(root / "site", "/xuzhou-briefing/")
    (root / "secret.txt").write_text("top secret")
    os.symlink(root / "secret.txt", site / "leak.txt")
    generation = serve.Generation()
    httpd = serve.make_server(site, "/xuzhou-briefing/", "127.0.0.1", 0, generation)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port, generation
    httpd.shutdown()
    httpd.server_close()


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_pages_under_base_path_with_charset_and_injected_reload(server):
    port, _ = server
    status, headers, body = get(port, "/xuzhou-briefing/en/briefings/gulou-shopping/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"__reload" in body and b"injected by briefing serve" in body
    status, headers, _ = get(port, "/xuzhou-briefing/static/style.css")
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    status, headers, _ = get(port, "/xuzhou-briefing/en/feed.xml")
    assert headers["Content-Type"] == "application/xml; charset=utf-8"


def test_redirects_and_not_found(server):
    port, _ = server
    assert get(port, "/")[0] == 302
    status, headers, _ = get(port, "/xuzhou-briefing/en/briefings")
    assert status == 301 and headers["Location"] == "/xuzhou-briefing/en/briefings/"
    status, _, body = get(port, "/xuzhou-briefing/nope/")
    assert status == 404 and b"404" in body


@pytest.mark.parametrize("path", [
    "/xuzhou-briefing/../secret.txt", "/xuzhou-briefing/%2e%2e/secret.txt", "/xuzhou-briefing/%2E%2E%2Fsecret.txt",
    "/xuzhou-briefing/en/..%2f..%2fsecret.txt", "/xuzhou-briefing/leak.txt", "/xuzhou-briefing//etc/passwd",
    "/xuzhou-briefing/..\\secret.txt", "/etc/passwd",
])
def test_never_serves_outside_the_site(server, path):
    port, _ = server
    status, _, body = get(port, path)
    assert status in (403, 404)
    assert b"top secret" not in body and b"root:" not in body


def test_reload_endpoint_reports_generation(server):
    port, generation = server
    before = get(port, "/xuzhou-briefing/__reload")[2]
    generation.bump()
    assert get(port, "/xuzhou-briefing/__reload")[2] != before


def test_site_files_on_disk_have_no_reload_script(tmp_path):
    site = build_fixture(tmp_path / "site")
    assert all(b"__reload" not in p.read_bytes() for p in site.rglob("*.html"))


def test_snapshot_sees_edits(tmp_path):
    from fixture_site import fixture_config
    import dataclasses

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("x")
    config = dataclasses.replace(fixture_config(), root=tmp_path, themes_dir="themes")
    before = serve.snapshot(config)
    os.utime(tmp_path / "content" / "a.md", ns=(1, 1))
    assert serve.snapshot(config) != before

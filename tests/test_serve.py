"""The development server: serves only files inside site/, under the base path, with charsets."""

from __future__ import annotations

import http.client
import os
import threading

import pytest
from fixture_site import build_fixture

from builder import serve


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("srv")
    site = build_fixture(root / "site", "/xuzhou-briefing/")
    (root / "secret.txt").write_text("top secret")
    os.symlink(root / "secret.txt", site / "leak.txt")
    os.symlink(root, site / "outside")  # a linked folder that leads out of site/
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
    import dataclasses

    from fixture_site import fixture_config

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("x")
    config = dataclasses.replace(fixture_config(), root=tmp_path, themes_dir="themes")
    before = serve.snapshot(config)
    os.utime(tmp_path / "content" / "a.md", ns=(1, 1))
    assert serve.snapshot(config) != before


@pytest.mark.parametrize("path", [
    "http://evil.example/xuzhou-briefing/%2e%2e/secret.txt", "/xuzhou-briefing/%252e%252e/secret.txt",
    "/xuzhou-briefing/en/%00/x", "/xuzhou-briefing/.%2e/secret.txt", "/xuzhou-briefing/outside/secret.txt",
])
def test_never_serves_outside_the_site_more_ways(server, path):
    port, _ = server
    status, _, body = get(port, path)
    assert status in (403, 404)
    assert b"top secret" not in body


def test_a_404_page_that_links_outside_is_not_served(tmp_path):
    site = build_fixture(tmp_path / "site", "/")
    (tmp_path / "secret.txt").write_text("top secret")
    (site / "404.html").unlink()
    os.symlink(tmp_path / "secret.txt", site / "404.html")
    httpd = serve.make_server(site, "/", "127.0.0.1", 0, None)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        status, _, body = get(httpd.server_port, "/nope/")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert status == 404 and b"top secret" not in body


@pytest.mark.parametrize("path, kind", [
    ("/xuzhou-briefing/", "text/html; charset=utf-8"),
    ("/xuzhou-briefing/robots.txt", "text/plain; charset=utf-8"),
    ("/xuzhou-briefing/sitemap.xml", "application/xml; charset=utf-8"),
    ("/xuzhou-briefing/static/site.js", "application/javascript; charset=utf-8"),
    ("/xuzhou-briefing/static/favicon.svg", "image/svg+xml; charset=utf-8"),
    ("/xuzhou-briefing/nope", "text/html; charset=utf-8"),
])
def test_content_types_carry_a_charset(server, path, kind):
    port, _ = server
    _status, headers, body = get(port, path)
    assert headers["Content-Type"] == kind
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert int(headers["Content-Length"]) == len(body)


def test_head_sends_no_body(server):
    port, _ = server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("HEAD", "/xuzhou-briefing/static/style.css")
    response = conn.getresponse()
    assert response.status == 200 and int(response.getheader("Content-Length")) > 1000
    assert response.read() == b""


def test_binds_loopback_unless_told_otherwise(tmp_path):
    import dataclasses

    from fixture_site import fixture_config

    from builder.cli import _parser

    assert _parser().parse_args(["serve"]).host == "127.0.0.1"
    build_fixture(tmp_path / "site", "/")
    config = dataclasses.replace(fixture_config(), root=tmp_path, output_dir="site")
    said, stop = [], threading.Event()
    thread = threading.Thread(target=serve.serve, args=(config, said.append),
                              kwargs=dict(port=0, build=False, stop=stop), daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if said:
                break
            threading.Event().wait(0.05)
        assert said and said[0].startswith("serving site/ at http://127.0.0.1:")
        port = int(said[0].split("127.0.0.1:")[1].split("/")[0])
        assert get(port, "/")[0] == 200
    finally:
        stop.set()
        thread.join(5)


def test_keep_alive_serves_several_requests_on_one_connection(server):
    port, _ = server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/xuzhou-briefing/static/style.css")
    first = conn.getresponse()
    assert first.version == 11 and first.status == 200
    first.read()
    sock = conn.sock
    conn.request("GET", "/xuzhou-briefing/en/")
    second = conn.getresponse()
    assert second.status == 200 and b"</html>" in second.read()
    assert conn.sock is sock  # the same connection, not a new one
    conn.close()


def test_range_requests(server):
    port, _ = server
    _status, _headers, whole = get(port, "/xuzhou-briefing/static/style.css")
    size = len(whole)

    def ranged(value):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/xuzhou-briefing/static/style.css", headers={"Range": value})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    status, headers, body = ranged("bytes=10-19")
    assert status == 206 and body == whole[10:20]
    assert headers["Content-Range"] == f"bytes 10-19/{size}" and headers["Content-Length"] == "10"
    status, headers, body = ranged("bytes=-5")
    assert status == 206 and body == whole[-5:]
    status, headers, body = ranged(f"bytes={size - 3}-")
    assert status == 206 and body == whole[-3:]
    status, headers, body = ranged(f"bytes=0-{size + 100}")
    assert status == 206 and body == whole
    status, headers, _ = ranged(f"bytes={size}-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{size}"
    for ignored in ("bytes=0-1,5-6", "items=0-1", "bytes=x-y", "bytes=5-2"):
        status, _, body = ranged(ignored)
        assert (status, body) == (200, whole), ignored
    status, headers, _ = get(port, "/xuzhou-briefing/static/style.css")
    assert headers["Accept-Ranges"] == "bytes"


@pytest.mark.slow  # holds a socket open past the head bound; CI runs it
def test_a_slow_client_is_cut_off(tmp_path):
    import socket
    import time

    site = build_fixture(tmp_path / "site", "/")
    httpd = serve.make_server(site, "/", "127.0.0.1", 0, None)
    httpd.RequestHandlerClass.head_seconds = 1.0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        sock = socket.create_connection(("127.0.0.1", httpd.server_port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\n")
        began = time.monotonic()
        closed = False
        while time.monotonic() - began < 6:
            try:
                sock.sendall(b"X")  # a header that never ends, a byte at a time
                time.sleep(0.2)
            except OSError:
                closed = True
                break
            sock.setblocking(False)
            try:
                if sock.recv(1) == b"":
                    closed = True
                    break
            except BlockingIOError:
                pass
            except OSError:
                closed = True
                break
            finally:
                sock.setblocking(True)
        assert closed, "the server still waits for a client that trickles its headers"
        assert time.monotonic() - began < 4
        # and it still answers others
        conn = http.client.HTTPConnection("127.0.0.1", httpd.server_port, timeout=5)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
    finally:
        httpd.shutdown()
        httpd.server_close()

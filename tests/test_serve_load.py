"""`briefing serve` under load: 200 concurrent clients over loopback for a few seconds, no failed
request; an edit to content during the load rebuilds the site, and every response for the
edited page is byte for byte the whole old page or the whole new page, never a mix or a cut.

The server is the real CLI (`briefing serve --port 0`) in its own process, watching the
project; the clients are threads in this process. Bounded: a fixed number of clients, a hard
deadline, and the server process is ended at the end whatever happens.
"""

from __future__ import annotations

import http.client
import os
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CLIENTS = 200
REPO = Path(__file__).resolve().parents[1]
WATCHED = "/zh/briefings/xinhua-funding/"
PAGES = [(WATCHED, 200), ("/en/briefings/xinhua-funding/", 200), ("/zh/", 200), ("/en/", 200),
         ("/static/style.css", 200), ("/zh/feed.xml", 200), ("/sitemap.xml", 200), ("/nope/", 404)]


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        length = response.getheader("Content-Length")
        if length is None or int(length) != len(body):
            raise AssertionError(f"{path}: Content-Length {length} but {len(body)} bytes")
        return response.status, body
    finally:
        conn.close()


def start_server(project: Path) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project), "serve", "--port", "0",
                             "--no-search"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=dict(os.environ))
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        if line.startswith("serving "):
            return proc, int(line.split("127.0.0.1:")[1].split("/")[0])
    proc.kill()
    raise AssertionError("briefing serve did not start:\n" + "".join(seen))


@pytest.mark.slow
def test_200_clients_and_a_rebuild_under_load(project):
    proc, port = start_server(project)
    try:
        old_status, old = fetch(port, WATCHED)
        generation = fetch(port, "/__reload")[1]
        assert old_status == 200 and "已完成4轮融资".encode() in old

        stop = threading.Event()
        start = threading.Barrier(CLIENTS + 1)
        failures: list[str] = []
        watched_bodies: dict[bytes, int] = {}
        counts = [0] * CLIENTS
        lock = threading.Lock()

        def client(index: int) -> None:
            rng = random.Random(index)
            start.wait()
            while not stop.is_set():
                path, expected = rng.choice(PAGES)
                try:
                    status, body = fetch(port, path)
                    if status != expected:
                        raise AssertionError(f"{path}: status {status}")
                except Exception as exc:
                    with lock:
                        failures.append(f"{path}: {type(exc).__name__}: {exc}")
                    continue
                counts[index] += 1
                if path == WATCHED:
                    with lock:
                        watched_bodies[body] = watched_bodies.get(body, 0) + 1

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        start.wait()
        time.sleep(1.5)
        # an editor saves a change while 200 clients are reading
        page = project / "content" / "briefings" / "xinhua-funding.md"
        page.write_text(page.read_text(encoding="utf-8").replace("已完成4轮融资", "已完成5轮融资"), encoding="utf-8")
        rebuilt = False
        while time.monotonic() - began < 30:
            if fetch(port, "/__reload")[1] != generation:
                rebuilt = True
                break
            time.sleep(0.1)
        time.sleep(1.5)  # keep the load on after the swap
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        elapsed = time.monotonic() - began
        assert not any(thread.is_alive() for thread in threads), "clients did not stop"
        assert rebuilt, "the edit did not trigger a rebuild within 30 s"

        new_status, new = fetch(port, WATCHED)
        assert new_status == 200 and "已完成5轮融资".encode() in new and new != old
        print(f"{sum(counts)} requests in {elapsed:.1f} s, watched page: {sorted(watched_bodies.values())}")
        assert failures == []
        total = sum(counts)
        assert total >= 4 * CLIENTS, f"only {total} requests in {elapsed:.1f} s"
        assert all(counts), "some clients never got an answer"
        unexpected = {len(body): n for body, n in watched_bodies.items() if body not in (old, new)}
        assert unexpected == {}, "responses that are neither the whole old nor the whole new page"
        assert watched_bodies.get(old) and watched_bodies.get(new), "the load did not span the rebuild"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

"""How long after saving one briefing does `briefing serve` show the change?

    python bench/serve_latency.py              # N=1000 archive, 5 edits
    python bench/serve_latency.py --n 200 --edits 3 --search

Starts `python -m builder -C <copy of the archive> serve` on a free port (the first, cold
build is not timed), then for each edit appends one Chinese sentence to a briefing, saves it,
and polls (every 10 ms) the server's /__reload counter and the briefing page until the page
carries the new sentence. It prints, per edit and as the median:

    served   save -> the server returns the new page (watch + incremental build + swap)
    reload   served + the page's reload poll interval (250 ms): the worst case before an
             open browser tab shows the change

The archive comes from bench/generate.py (cached like bench/run.py does).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

RELOAD_POLL = 0.25  # setTimeout in builder/serve.py's RELOAD_SCRIPT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="briefings in the archive (default 1000)")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--search", action="store_true", help="serve with the search index (Pagefind after each build)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "xuzhou-bench")
    args = parser.parse_args(argv)

    from bench import run

    archive = run.archive_for(args.n, args.workdir, print) / "ours"
    project = args.workdir / f"serve-n{args.n}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(archive, project)
    port = _free_port()
    env = dict(os.environ, SOURCE_DATE_EPOCH=run.SOURCE_DATE_EPOCH)
    command = [sys.executable, "-m", "builder", "-C", str(project), "serve", "--port", str(port)]
    if not args.search:
        command.append("--no-search")
    print("run:", " ".join(command))
    started = time.monotonic()
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in server.stdout:
            if line.startswith("serving"):
                break
        else:
            print("serve exited before serving")
            return 1
        print(f"first build and start: {time.monotonic() - started:.1f} s")
        # drain the server's output so it never blocks on a full pipe
        import threading

        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        base = f"http://127.0.0.1:{port}/"
        briefings = sorted((project / "content" / "briefings").glob("*.md"))
        served = []
        for i in range(args.edits):
            target = briefings[(i * 97 + 13) % len(briefings)]
            url = base + f"zh/briefings/{target.stem}/"
            marker = f"基准测试第{i + 1}次修改已经保存"
            assert marker not in _get(url)
            time.sleep(1.0)  # the watcher is idle again
            text = target.read_text(encoding="utf-8")
            t0 = time.monotonic()
            target.write_text(text.rstrip("\n") + f"\n\n{marker}。\n", encoding="utf-8")
            while marker not in _get(url):
                if time.monotonic() - t0 > 60:
                    print("edit did not show within 60 s")
                    return 1
                time.sleep(0.01)
            served.append(time.monotonic() - t0)
            print(f"edit {i + 1}: {target.name}: served after {served[-1]:.2f} s, "
                  f"reload within {served[-1] + RELOAD_POLL:.2f} s")
        median = statistics.median(served)
        print(f"N={args.n}: median served {median:.2f} s, worst-case reload {median + RELOAD_POLL:.2f} s "
              f"({'PASS' if median + RELOAD_POLL < 1 else 'FAIL'} < 1 s); load average {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())

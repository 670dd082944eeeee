"""`briefing serve`: build, serve site/ on 127.0.0.1 under the base path, rebuild and reload.

It binds 127.0.0.1 unless told otherwise (`--host`). The server only ever answers with files
inside the output folder: the request path is decoded, `..` segments (also percent-encoded),
backslashes and NUL bytes are refused, and the resolved file (symlinks followed, the 404 page
too) must still lie inside the folder. A file is opened once and the response comes from that
descriptor, so a rebuild that swaps the folder mid-request cannot mix two versions. Threads
are capped; a burst of clients waits in a large listen queue. The live-reload script is
injected into HTML responses by the server only; it never lands in site/. Watching is plain
mtime polling (no dependency).
"""

from __future__ import annotations

import mimetypes
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.config import Config
from builder.errors import BuildError, BuildErrors
from builder.session import Session

RELOAD_PATH = "__reload"
TEXT_TYPES = {"application/javascript", "application/json", "application/xml", "image/svg+xml",
              "application/atom+xml", "application/manifest+json"}
EXTRA_TYPES = {".js": "application/javascript", ".mjs": "application/javascript", ".css": "text/css",
               ".svg": "image/svg+xml", ".xml": "application/xml", ".json": "application/json",
               ".wasm": "application/wasm", ".pagefind": "application/octet-stream",
               ".pf_meta": "application/octet-stream", ".pf_fragment": "application/octet-stream",
               ".pf_index": "application/octet-stream", ".pf_filter": "application/octet-stream",
               ".txt": "text/plain", ".html": "text/html"}

RELOAD_SCRIPT = """<script>/* injected by briefing serve, not part of the site */
(function(){var v=null;function poll(){fetch(%(url)s,{cache:"no-store"}).then(function(r){return r.text()})
.then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){}).finally(function(){setTimeout(poll,250)})}poll()})();
</script>"""


class Generation:
    """Counts successful builds; the reload endpoint reports it, pages reload when it changes."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


def content_type(path: Path) -> str:
    kind = EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in TEXT_TYPES:
        kind += "; charset=utf-8"
    return kind


def resolve(root: Path, base_path: str, request_path: str) -> tuple[str, Path | None]:
    """Map a request path to ('file'|'redirect'|'missing'|'forbidden', file or None).

    Refuses anything that could leave `root`: '..' (also percent-encoded), backslashes,
    NUL bytes, and symlinks that point outside."""
    path = unquote(urlsplit(request_path).path)
    if "\x00" in path or "\\" in path:
        return "forbidden", None
    if not path.startswith(base_path):
        return "missing", None
    rel = path[len(base_path):]
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return "forbidden", None
    real_root = root.resolve()
    candidate = real_root.joinpath(*parts) if parts else real_root
    try:
        real = candidate.resolve(strict=True)
    except (FileNotFoundError, OSError):
        return "missing", None
    if real != real_root and not real.is_relative_to(real_root):
        return "forbidden", None
    if real.is_dir():
        if not path.endswith("/"):
            return "redirect", None
        index = real / "index.html"
        try:
            real = index.resolve(strict=True)
        except (FileNotFoundError, OSError):
            return "missing", None
        if not real.is_relative_to(real_root):
            return "forbidden", None
    return ("file", real) if real.is_file() else ("missing", None)


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """One `bytes=` range of a file of `size` bytes: (first, last) inclusive; None: answer with
    the whole file (no range, several ranges, another unit, a malformed header: all allowed by
    RFC 9110); "unsatisfiable": a well-formed range that lies past the end (416)."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or first == "") or not (last.isdigit() or last == "") or first == last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return start, end


class SiteHandler(BaseHTTPRequestHandler):
    server_version = "briefing-serve"
    # HTTP/1.1: connections stay open between requests (every response has a Content-Length)
    protocol_version = "HTTP/1.1"
    timeout = 15  # seconds a client may stay silent before its connection (and thread) is dropped
    # seconds a client has to send a whole request line and headers: a slowloris client that
    # trickles a byte now and then is cut off, so it cannot hold one of the server's threads
    head_seconds = 10.0
    root: Path
    base_path: str
    generation: Generation | None

    def log_message(self, format, *args):  # quiet: the CLI reports builds, not every request
        pass

    def handle_one_request(self):
        # the per-read `timeout` does not bound a client that keeps sending a little: a timer
        # shuts the socket down if the request head is not complete in time
        timer = threading.Timer(self.head_seconds, self._cut_off)
        timer.daemon = True
        self._head_timer = timer
        timer.start()
        try:
            super().handle_one_request()
        finally:
            timer.cancel()

    def parse_request(self) -> bool:
        complete = super().parse_request()  # reads the headers
        self._head_timer.cancel()  # the head is in; answering may take as long as it takes
        return complete

    def _cut_off(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def send_head_only(self, status: int, kind: str, length: int, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()

    def send_body(self, status: int, kind: str, body: bytes, head: bool, extra: dict | None = None) -> None:
        self.send_head_only(status, kind, len(body), extra)
        if not head:
            self.wfile.write(body)

    def handle_request(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if self.generation is not None and path == self.base_path + RELOAD_PATH:
            self.send_body(200, "text/plain; charset=utf-8", str(self.generation.value).encode(), head)
            return
        if path == "/" and self.base_path != "/":
            self.send_body(302, "text/plain; charset=utf-8", b"", head, {"Location": self.base_path})
            return
        outcome, file = resolve(self.root, self.base_path, self.path)
        if outcome == "redirect":
            self.send_body(301, "text/plain; charset=utf-8", b"", head, {"Location": path + "/"})
            return
        if outcome == "forbidden":
            self.send_body(403, "text/plain; charset=utf-8", b"forbidden\n", head)
            return
        status = 200
        if outcome == "missing":
            status = 404
            outcome, file = resolve(self.root, self.base_path, self.base_path + "404.html")
            if outcome != "file":
                self.send_body(404, "text/plain; charset=utf-8", b"not found\n", head)
                return
        # Open once and answer from that descriptor only: a rebuild swaps site/ for a new
        # folder (write.py), and an open file keeps the version it was opened as, so a
        # response is always one whole file, old or new, never a mix.
        assert file is not None  # resolve() gives a file with "file"
        try:
            handle = open(file, "rb")  # noqa: SIM115 (closed by the `with` below; a failed open answers 404)
        except OSError:  # gone in a swap between resolving and opening
            self.send_body(404, "text/plain; charset=utf-8", b"not found\n", head)
            return
        with handle:
            kind = content_type(file)
            if kind.startswith("text/html") and self.generation is not None:
                body = inject_reload(handle.read(), self.base_path + RELOAD_PATH)
                self.send_body(status, kind, body, head)
                return
            size = os.fstat(handle.fileno()).st_size
            wanted = parse_range(self.headers.get("Range", ""), size) \
                if status == 200 and "Range" in self.headers and "If-Range" not in self.headers else None
            if wanted == "unsatisfiable":
                self.send_body(416, "text/plain; charset=utf-8", b"range not satisfiable\n", head,
                               {"Content-Range": f"bytes */{size}"})
                return
            if isinstance(wanted, tuple):  # browsers seek in audio and video with ranges
                first, last = wanted
                self.send_head_only(206, kind, last - first + 1,
                                    {"Content-Range": f"bytes {first}-{last}/{size}", "Accept-Ranges": "bytes"})
                if not head:
                    handle.seek(first)
                    _copy(handle, self.wfile, last - first + 1)
                return
            self.send_head_only(status, kind, size, {"Accept-Ranges": "bytes"} if status == 200 else None)
            if not head:
                _copy(handle, self.wfile, size)


def _copy(source, sink, length: int) -> None:
    """Exactly `length` bytes (the Content-Length sent; a file that grew meanwhile in place
    must not run past it on a kept-alive connection)."""
    while length > 0:
        chunk = source.read(min(length, 64 * 1024))
        if not chunk:
            raise ConnectionError("file shrank while being sent")
        sink.write(chunk)
        length -= len(chunk)


def inject_reload(body: bytes, url: str) -> bytes:
    import json

    script = (RELOAD_SCRIPT % {"url": json.dumps(url)}).encode("utf-8")
    marker = body.rfind(b"</body>")
    return body[:marker] + script + body[marker:] if marker >= 0 else body + script


class SiteServer(ThreadingHTTPServer):
    """A thread per connection, but at most `max_threads` at once: further connections wait in
    the listen queue (sized for a burst of clients) instead of each starting a thread."""

    daemon_threads = True
    request_queue_size = 1024
    max_threads = 256

    def __init__(self, address, handler):
        self.slots = threading.BoundedSemaphore(self.max_threads)
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away or went silent: nothing to report
        super().handle_error(request, client_address)


def make_server(root: Path, base_path: str, host: str, port: int, generation: Generation | None) -> ThreadingHTTPServer:
    handler = type("BoundSiteHandler", (SiteHandler,), {"root": Path(root), "base_path": base_path,
                                                        "generation": generation})
    server_class: type[SiteServer] = SiteServer
    if ":" in host:  # an IPv6 address such as ::1
        server_class = type("SiteServer6", (SiteServer,), {"address_family": socket.AF_INET6})
    return server_class((host, port), handler)


def snapshot(config: Config) -> tuple:
    """(path, mtime, size) of every watched file: content/, themes/, seeds/, pyproject.toml."""
    entries = []
    for folder in (config.content, config.root / config.themes_dir, config.seeds):
        if folder.is_dir():
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or name.endswith("~"):
                        continue  # editor temp files
                    path = os.path.join(dirpath, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    entries.append((path, stat.st_mtime_ns, stat.st_size))
    pyproject = config.root / "pyproject.toml"
    if pyproject.is_file():
        stat = pyproject.stat()
        entries.append((str(pyproject), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def serve(config: Config, say: Callable[[str], None], host: str = "127.0.0.1", port: int = 8000,
          build: bool = True, search: bool = True, poll_seconds: float = 0.2,
          stop: threading.Event | None = None, session: Session | None = None,
          lock_timeout: float | None = None) -> None:
    """Serve until Ctrl-C (or until `stop` is set, for tests). Every rebuild runs the one build
    pipeline (builder/build.py) with this server's Session, so it redoes only what the change
    touched."""
    from builder import build as pipeline

    session = session or Session()

    def rebuild(first: bool) -> bool:
        try:
            # one pipeline: the pages and their search index are swapped in together, so the
            # served site never lacks its index; the build takes the project lock, so a
            # `briefing build` started meanwhile waits for it (and it for that build)
            fresh = _reload_config(config)
            pipeline.run_build(fresh, say, session, translate=first, search=search, progress=False,
                               lock_timeout=lock_timeout)
            return True
        except (BuildError, BuildErrors) as exc:
            if first:
                raise
            for problem in exc.problems:
                say(f"error: {problem}")
            say("build failed; still serving the previous site")
            return False

    generation = Generation()
    if build:
        rebuild(first=True)
    elif not (config.output / "index.html").is_file():
        raise BuildError(config.output_dir, None, "no built site to serve; run `briefing build` first")
    try:
        server = make_server(config.output, config.base_path, host, port, generation if build else None)
    except OSError as exc:
        raise BuildError(None, None, f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"note: listening on {host}: other machines can reach this development server")
    shown = f"[{host}]" if ":" in host else host
    say(f"serving {config.output_dir}/ at http://{shown}:{server.server_port}{config.base_path}"
        + (" (watching content/, themes/, seeds/, pyproject.toml; Ctrl-C stops)" if build else ""))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        stop = stop or threading.Event()
        if not build:
            stop.wait()
            return
        session.background_save = True  # the build cache is written while the page reloads
        seen = snapshot(config)
        while not stop.wait(poll_seconds):
            now = snapshot(config)
            if now != seen:
                time.sleep(0.05)  # let an editor finish writing
                seen = snapshot(config)
                say("change detected; rebuilding")
                if rebuild(first=False):
                    generation.bump()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.shutdown()
        server.server_close()
        session.wait_for_saving()
        session.background_save = False


def _reload_config(config: Config) -> Config:
    """Re-read pyproject.toml on each build (titles may change) but keep the served base path."""
    from builder.config import load_config

    try:
        fresh = load_config(config.root)
    except (BuildError, BuildErrors):
        return config
    return fresh.with_base_url(config.base_url)

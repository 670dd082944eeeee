"""A small crawler over a built site folder: every internal link and #anchor must resolve.

Links are checked as a browser at `base_path` would resolve them; a link that leaves the
base path is an error (the site must work at /xuzhou-briefing/ as well as at /).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "form": "action"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attrs)
        self.ids: set[str] = set()
        self.meta_refresh: str | None = None
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.meta_refresh = attrs["content"].split("url=", 1)[1]
        name = LINK_ATTRS.get(tag)
        if name and attrs.get(name):
            self.links.append((tag, attrs[name], attrs))


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def url_of(site: Path, file: Path, base_path: str) -> str:
    rel = file.relative_to(site).as_posix()
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return base_path + rel


def target_file(site: Path, path: str, base_path: str) -> Path | None:
    if not path.startswith(base_path):
        return None
    rel = unquote(path[len(base_path):])
    candidate = site / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    return candidate


def crawl(site: Path, base_path: str, origin: str, skip_prefixes: tuple[str, ...] = ()) -> tuple[list[str], dict]:
    """Return (problems, pages) where pages maps site URL -> parsed Page."""
    problems: list[str] = []
    pages: dict[str, Page] = {}
    files = sorted(site.rglob("*.html"))
    for file in files:
        pages[url_of(site, file, base_path)] = parse(file)
    for page_url, page in pages.items():
        if page_url.endswith("404.html"):
            pass
        links = list(page.links)
        if page.meta_refresh:
            links.append(("meta", page.meta_refresh, {}))
        for tag, link, attrs in links:
            absolute = urljoin(origin + page_url, link)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https"):
                continue
            if origin and not absolute.startswith(origin):
                if tag == "a" and attrs.get("rel") is None:
                    continue  # an outside link a writer added
                problems.append(f"{page_url}: {tag} points off-site: {link}")
                continue
            if not parts.path.startswith(base_path):
                problems.append(f"{page_url}: {link} escapes the base path {base_path}")
                continue
            if any(parts.path.startswith(base_path + p) for p in skip_prefixes):
                continue
            target = target_file(site, parts.path, base_path)
            if target is None or not target.is_file():
                problems.append(f"{page_url}: broken link {link}")
                continue
            if parts.fragment:
                target_url = url_of(site, target, base_path)
                target_page = pages.get(target_url)
                if target_page is None or unquote(parts.fragment) not in target_page.ids:
                    problems.append(f"{page_url}: missing anchor {link}")
    return problems, pages

"""The only part of ingest that touches disk: read seeds/, write content/briefings/.

Every raw file, and every article in it, is ingested or reported on its own: a file that cannot
be decoded or an article without text is a problem of its own (file:line), the others are still
written, and the run ends non-zero (IngestReport.problems; build.py raises them once the report
is printed).

Safety: content/.ingest-state.json records the sha256 of every page ingest wrote. A page whose
bytes differ from that record was edited by a person: ingest leaves it alone and reports a
conflict, so every value a person set in it (districts, enterprises, slug, text) wins. A deleted
page is written again. Re-running ingest on unchanged input changes no byte. A page keeps the slug
it was first written with (the state remembers it even when the page was deleted).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from builder import frontmatter
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector, Problem
from builder.ingest.annotate import Context, annotate, review_candidates, slug_for
from builder.ingest.draft import Draft
from builder.ingest.markdown import render_markdown
from builder.ingest.text import decode
from builder.model import Enterprise, Term

STATE_FILE = ".ingest-state.json"
SEED_PATTERNS = ("*.txt", "*.html", "*.htm")
SIDECAR_KEYS = ("publication", "date", "page", "url")
# A newspaper page is tens of kilobytes; a file far beyond that is the wrong file (a dump, an
# archive renamed .txt), and parsing it would take minutes. Refuse it by name instead.
MAX_SEED_BYTES = 2 * 1024 * 1024


@dataclass
class SourceResult:
    """What one raw file gave: its articles (annotated, slugs not yet settled), the problems of
    the articles that could not be ingested, and what a person should review."""

    filename: str
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        return self.review + [f"error: {p}" for p in self.problems]


def is_web_page(filename: str) -> bool:
    return filename.lower().endswith((".html", ".htm"))


def ingest_source(data: bytes, filename: str, ctx: Context, sidecar: dict | None = None,
                  make_slugs: bool = True, glossary_dir: str = "content/glossary/") -> SourceResult:
    """Bytes of one raw file -> its annotated drafts. Pure: reads and writes nothing."""
    from builder.ingest.page import parse_page

    result = SourceResult(filename)
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = decode(data, filename, html=is_web_page(filename))
    except BuildError as exc:
        result.problems.extend(exc.problems)
        return result
    numbered = None
    meta: dict = {}
    if is_web_page(filename):
        from builder.ingest.html import read_web_page

        web = read_web_page(text)
        numbered = web.lines[web.start:web.end]
        meta["site"] = " ".join(t for _, t in web.lines[:web.start])
        if web.title:
            meta["web_title"] = (web.title, web.title_line)
        if web.date:
            meta["date"] = web.date
            meta["date_from"] = f"{filename}: the page's metadata ({web.date})"
        if web.author:
            from builder.ingest.lines import is_name

            names = tuple(n for n in re.split(r"[\s,，、;；]+", web.author) if is_name(n, strict=False))
            if names:
                meta["authors"] = names
        if not numbered:
            result.problems.append(Problem(filename, None, "has no article text that could be found in the page"))
            return result
    page = parse_page(text, filename, numbered=numbered, meta=meta, names=ctx.names)
    result.problems += page.problems
    for draft in page.drafts:
        draft = annotate(draft, ctx, sha256=sha, sidecar=sidecar, make_slug_now=make_slugs)
        result.drafts.append(draft)
        if "title" in draft.review:
            result.review.append(f"review: {filename}:{draft.title_line}: no headline: title derived from the first "
                                 f"sentence ('{draft.title}'); marked review: [title]")
        for candidate in review_candidates(draft, ctx):
            if candidate.short_of:
                entry = next(e for e in ctx.enterprises if e.id == candidate.short_of)
                result.review.append(f"review: {filename}:{candidate.line}: '{candidate.name}' looks like a short form "
                                     f"of {entry.name_zh} ({entry.id}): add it to its aliases_zh in {glossary_dir}")
            elif candidate.related[0]:
                form, ident = candidate.related
                result.review.append(f"review: {filename}:{candidate.line}: unknown enterprise name '{candidate.name}' "
                                     f"(not in {glossary_dir}; it contains '{form}', a short form of {ident}: may be "
                                     f"related to {ident}, not tagged as it): add it to the glossary")
            else:
                result.review.append(f"review: {filename}:{candidate.line}: unknown enterprise name '{candidate.name}' "
                                     f"(not in {glossary_dir}): add it to the glossary")
    return result


# ---- the report ---------------------------------------------------------------------------

@dataclass
class IngestReport:
    files: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = list(self.files)
        out += [f"wrote {p}" for p in self.written]
        out += [f"unchanged {p}" for p in self.unchanged]
        out += self.conflicts + self.unknown + self.notes
        total = len(self.written) + len(self.unchanged) + len(self.conflicts)
        unknown = sum(1 for line in self.unknown if "enterprise name" in line or "short form" in line)
        summary = (f"ingest: {total} briefings: {len(self.written)} written, {len(self.unchanged)} unchanged, "
                   f"{len(self.conflicts)} conflicts; {unknown} unknown enterprise names to review")
        if self.problems:
            summary += f"; {len(self.problems)} not ingested (see the errors)"
        out.append(summary)
        return out

    def raise_problems(self) -> None:
        """The articles and files that could not be ingested, raised once after the rest was written."""
        if len(self.problems) == 1:
            p = self.problems[0]
            raise BuildError(p.path, p.line, p.message)
        if self.problems:
            raise BuildErrors(self.problems, note="the other articles were ingested")


def parse_sidecar(text: str, path: str) -> dict:
    data: Any = frontmatter.load_yaml(text, path) or {}
    if not isinstance(data, dict):
        raise BuildError(path, 1, "a sidecar must be a mapping: publication, date, page")
    data = cast(Any, data)  # the loaded mapping knows the line of each key (line_of)
    problems = Collector()
    for key in data:
        if key not in SIDECAR_KEYS:
            problems.add(path, data.line_of(key), f"unknown sidecar key '{key}'; known: {', '.join(SIDECAR_KEYS)}")
    date = data.get("date")
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
        problems.add(path, data.line_of("date"), f"date {date!r} must be written YYYY-MM-DD")
    problems.raise_if_any()
    return {k: (str(v) if v is not None else None) for k, v in data.items()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load_state(path: Path, rel: str) -> dict:
    if not path.exists():
        return {"pages": {}}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BuildError(rel, None, f"is not valid JSON ({exc}); delete it and ingest will treat every "
                                    "existing page as edited by hand") from None
    if not isinstance(state, dict) or not isinstance(state.get("pages"), dict):
        raise BuildError(rel, None, "has no 'pages' mapping; delete it to start over")
    return state


def _dump_state(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def load_context(config: Config) -> Context:
    from builder import content

    districts: tuple[Term, ...] = ()
    industries: tuple[Term, ...] = ()
    taxonomy = config.content / "taxonomy.yaml"
    if taxonomy.exists():
        districts, industries = content.parse_taxonomy(content.read_text(config, taxonomy),
                                                       content._rel(config, taxonomy))
    enterprises: list[Enterprise] = []
    for path in sorted((config.content / "glossary").glob("*.yaml")):
        enterprises += content.parse_glossary(content.read_text(config, path), content._rel(config, path))
    return Context(districts, industries, tuple(enterprises))


def _existing_pages(folder: Path) -> dict[str, Any]:
    """Existing briefing pages: relative name -> front matter (best effort; bad pages are for
    `briefing check` to report, ingest only needs their slugs and sources)."""
    pages: dict[str, Any] = {}
    for path in sorted(folder.glob("*.md")):
        meta: Any
        try:
            meta, _, _ = frontmatter.parse(path.read_text(encoding="utf-8"), str(path))
        except (BuildError, UnicodeDecodeError):
            meta = {}
        pages[path.name] = meta
    return pages


def read_seed(path: Path, rel: str, root: Path) -> bytes:
    """The bytes of a raw article file: not a link out of the project, not absurdly large."""
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        raise BuildError(rel, None, f"is {size / 1024 / 1024:.1f} MB; a raw article page is at most "
                                    f"{MAX_SEED_BYTES // 1024 // 1024} MB (is this the right file? split it into pages)")
    with open(path, "rb") as handle:
        data = handle.read(MAX_SEED_BYTES + 1)  # the file may have grown since stat()
    if len(data) > MAX_SEED_BYTES:
        raise BuildError(rel, None, f"grew past {MAX_SEED_BYTES // 1024 // 1024} MB while being read")
    return data


def seed_files(config: Config) -> list[Path]:
    if not config.seeds.is_dir():
        return []
    found = {p for pattern in SEED_PATTERNS for p in config.seeds.glob(pattern) if p.is_file()}
    return sorted(found)


def ingest_all(config: Config) -> IngestReport:
    """Read every seeds/*.txt, *.html and *.htm; write content/briefings/<slug>.md for each
    article in them. A file or an article that cannot be ingested is reported in
    `report.problems`; everything else is written."""
    report = IngestReport()
    root = config.root
    seeds = seed_files(config)
    if not seeds:
        report.notes.append(f"no raw articles (*.txt, *.html) in {config.seeds_dir}/")
    # the glossary's mention regex is only needed to annotate articles
    ctx = load_context(config) if seeds else Context()
    briefings_dir = config.content / "briefings"
    state_path = config.content / STATE_FILE
    state_rel = f"{config.content_dir}/{STATE_FILE}"
    state = _load_state(state_path, state_rel)
    glossary_dir = f"{config.content_dir}/glossary/"

    drafts: list[Draft] = []
    for path in seeds:
        rel = path.relative_to(root).as_posix()
        try:
            data = read_seed(path, rel, root)
            sidecar_path = path.with_suffix(".yaml")
            sidecar = {}
            if sidecar_path.exists():
                sidecar = parse_sidecar(sidecar_path.read_text(encoding="utf-8"),
                                        sidecar_path.relative_to(root).as_posix())
        except (BuildError, BuildErrors) as exc:
            report.problems.extend(exc.problems)
            continue
        result = ingest_source(data, rel, ctx, sidecar=sidecar, make_slugs=False, glossary_dir=glossary_dir)
        report.problems += result.problems
        if result.drafts:
            n = len(result.drafts)
            report.files.append(f"{rel}: {n} article{'s' if n != 1 else ''}")
        report.unknown += result.review
        drafts += result.drafts

    # only drafts need the existing pages (slugs taken, pages to adopt): parsing every page's
    # front matter is the slowest part of a build with nothing to ingest
    pages = _existing_pages(briefings_dir) if drafts else {}
    records: dict = state["pages"]
    taken = {meta.get("slug") for meta in pages.values() if isinstance(meta, dict)}
    taken |= {Path(name).stem for name in pages} | {r.get("slug") for r in records.values()}
    for meta in pages.values():
        taken |= set(meta.get("aliases") or []) if isinstance(meta, dict) else set()
    seen_keys = set()
    for draft in drafts:
        key, record = _find_record(records, draft)
        if key is None or record is None:
            slug = _adoptable_slug(pages, draft) or _unique(slug_for(draft, ctx), taken)
            taken.add(slug)
            key = f"{config.content_dir}/briefings/{slug}.md"
            record = {}
        draft = dataclasses.replace(draft, slug=record.get("slug") or Path(key).stem)
        seen_keys.add(key)
        page_path = root / key
        text = render_markdown(draft)
        new_record = {"source": draft.source_file, "article": draft.index, "title": draft.title,
                      "slug": draft.slug, "sha256": _sha(text.encode("utf-8"))}
        if page_path.exists():
            current = page_path.read_bytes()
            if current == text.encode("utf-8"):
                report.unchanged.append(key)
                records[key] = new_record
                continue
            if not record or _sha(current) != record.get("sha256"):
                why = ("was edited since ingest wrote it" if record else
                       "exists but ingest has no record of writing it")
                report.conflicts.append(f"conflict: {key} {why}; left as it is "
                                        f"(delete it to regenerate it from {draft.source_file})")
                continue
        from builder.write import write_text_atomic

        write_text_atomic(page_path, text)
        records[key] = new_record
        report.written.append(key)
    for key in sorted(set(records) - seen_keys):
        source = records[key].get("source", "")
        if (root / key).exists():
            report.notes.append(f"note: {key}: its article is no longer in {source or 'seeds/'}; left in place")
    new_state = _dump_state({"pages": dict(sorted(records.items()))})
    if (not state_path.exists() or state_path.read_text(encoding="utf-8") != new_state) \
            and (records or state_path.exists()):
        from builder.write import write_text_atomic

        write_text_atomic(state_path, new_state)
    return report


def _find_record(records: dict, draft: Draft) -> tuple[str | None, dict | None]:
    """The state record of a draft: same source file and title, else same position on the page."""
    for by_title in (True, False):
        for key in sorted(records):
            r = records[key]
            if r.get("source") != draft.source_file:
                continue
            if (by_title and r.get("title") == draft.title) or (not by_title and r.get("article") == draft.index
                                                                and not any(o.get("title") == draft.title for o in records.values())):
                return key, r
    return None, None


def _adoptable_slug(pages: dict, draft: Draft) -> str | None:
    """An existing page for the same article (e.g. the state file was lost) keeps its slug."""
    for name, meta in sorted(pages.items()):
        if not isinstance(meta, dict):
            continue
        source: dict = meta["source"] if isinstance(meta.get("source"), dict) else {}
        if source.get("file") == draft.source_file and meta.get("title") == draft.title:
            return str(meta.get("slug") or Path(name).stem)
    return None


def _unique(slug: str, taken: set) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"

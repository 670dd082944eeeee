"""The only part of ingest that touches disk: read seeds/, write content/briefings/.

Every raw file, and every article in it, is ingested or reported on its own: a file that cannot
be decoded or an article without text is a problem of its own (file:line), the others are still
written, and the run ends non-zero (IngestReport.problems; build.py raises them once the report
is printed).

Editing pages by hand is the normal workflow. content/.ingest-state.json (state.py) records the
sha256 of every page ingest wrote. A page whose bytes differ from that record was edited by a
person: ingest says so once ("kept your edits to …; ingest will not touch it again"), records the
page as the editor's, and from then on leaves it alone without a word, so every value a person set
in it (districts, enterprises, slug, text) wins. `briefing ingest --force FILE` (a briefing page or
its raw file in seeds/) re-ingests on purpose: the page as it was is first copied to
.briefing-backup/<name>.bak-<n>, outside content/, so no build reads it as a briefing.

The state follows the page: a page renamed by hand (a new file name, or a new slug with the old
one in `aliases`) is found again by its article (its source file, its lines, its old slug, its
bytes) and never written again under its old name. A deleted page is written again, under the
slug it was first written with. Re-running ingest on unchanged input changes no byte.

Nothing is written before every path is checked: the state's keys, the slugs of existing pages and
of new ones must name a page directly inside content/briefings/ (state.page_path); sidecars and
raw files that are links out of the project are refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from builder import frontmatter
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector, Problem
from builder.ingest.annotate import Context, annotate, review_candidates, slug_for
from builder.ingest.draft import Draft
from builder.ingest.markdown import render_markdown
from builder.ingest.state import STATE_FILE, dump_state, inside, load_state, page_path, state_rel, today
from builder.ingest.text import decode
from builder.model import Enterprise, Term
from builder.text import normalise_text

SEED_PATTERNS = ("*.txt", "*.html", "*.htm")
SIDECAR_KEYS = ("publication", "date", "page", "url")
# A newspaper page is tens of kilobytes; a file far beyond that is the wrong file (a dump, an
# archive renamed .txt), and parsing it would take minutes. Refuse it by name instead.
MAX_SEED_BYTES = 2 * 1024 * 1024
MAX_SIDECAR_BYTES = 64 * 1024
BACKUP_DIR = ".briefing-backup"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    # line and paragraph separators, controls: what YAML, PO files and editors would each read
    # differently never gets into a page
    text = normalise_text(text)
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
            from builder.content import date_problem

            if date_problem(web.date):
                result.review.append(f"review: {filename}: the page's metadata date '{web.date}' is not a day of "
                                     "the calendar; not used as the briefing's date")
            else:
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
    result.review += page.notes
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
                called = f"; the text calls it '{candidate.short_form}'" if candidate.short_form else ""
                result.review.append(f"review: {filename}:{candidate.line}: unknown enterprise name '{candidate.name}' "
                                     f"(not in {glossary_dir}; it contains '{form}', a short form of {ident}: may be "
                                     f"related to {ident}, not tagged as it{called}): add it to the glossary")
            elif candidate.short_form:
                result.review.append(f"review: {filename}:{candidate.line}: unknown enterprise name '{candidate.name}' "
                                     f"(not in {glossary_dir}; the text calls it '{candidate.short_form}'): add it "
                                     f"to the glossary, with '{candidate.short_form}' in its aliases_zh")
            else:
                result.review.append(f"review: {filename}:{candidate.line}: unknown enterprise name '{candidate.name}' "
                                     f"(not in {glossary_dir}): add it to the glossary")
    return result


# ---- the report ---------------------------------------------------------------------------

# ---- the report ---------------------------------------------------------------------------

@dataclass
class IngestReport:
    files: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # pages a person edited: left alone
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = list(self.files)
        out += [f"wrote {p}" for p in self.written]
        out += [f"unchanged {p}" for p in self.unchanged]
        out += self.notes + self.unknown
        total = len(self.written) + len(self.unchanged) + len(self.edited)
        unknown = sum(1 for line in self.unknown if "enterprise name" in line or "short form" in line)
        summary = (f"ingest: {total} briefings: {len(self.written)} written, {len(self.unchanged)} unchanged, "
                   f"{len(self.edited)} edited by hand (left as they are); {unknown} unknown enterprise names to review")
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
    from builder.content import date_problem

    data: Any = frontmatter.load_yaml(normalise_text(text), path) or {}
    if not isinstance(data, dict):
        raise BuildError(path, 1, "a sidecar must be a mapping: publication, date, page")
    data = cast(Any, data)  # the loaded mapping knows the line of each key (line_of)
    problems = Collector()
    for key in data:
        if key not in SIDECAR_KEYS:
            problems.add(path, data.line_of(key), f"unknown sidecar key '{key}'; known: {', '.join(SIDECAR_KEYS)}")
    date = data.get("date")
    if date is not None:
        problem = date_problem(date if isinstance(date, str) else str(date))
        if problem:
            problems.add(path, data.line_of("date"), problem)
    for key in SIDECAR_KEYS:
        value = data.get(key)
        if isinstance(value, (dict, list, bool)):
            problems.add(path, data.line_of(key), f"{key} must be a text, not {type(value).__name__}")
    problems.raise_if_any()
    return {k: (str(v) if v is not None else None) for k, v in data.items()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    """Existing briefing pages: file name -> front matter (best effort; bad pages are for
    `briefing check` to report, ingest only needs their slugs and sources)."""
    pages: dict[str, Any] = {}
    for path in sorted(folder.glob("*.md")):
        meta: Any
        try:
            meta, _, _ = frontmatter.parse(path.read_text(encoding="utf-8"), str(path))
        except (BuildError, UnicodeDecodeError, OSError):
            meta = {}
        pages[path.name] = meta if isinstance(meta, dict) else {}
    return pages


def read_seed(path: Path, rel: str, root: Path, limit: int = MAX_SEED_BYTES) -> bytes:
    """The bytes of a raw article file (or its sidecar): not a link out of the project, not
    absurdly large."""
    if not inside(path, root):
        raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    size = path.stat().st_size
    unit = f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    if size > limit and limit < MAX_SEED_BYTES:
        raise BuildError(rel, None, f"is {size / 1024:.0f} KB; a sidecar is at most {unit}")
    if size > limit:
        raise BuildError(rel, None, f"is {size / 1024 / 1024:.1f} MB; a raw article page is at most "
                                    f"{unit} (is this the right file? split it into pages)")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)  # the file may have grown since stat()
    if len(data) > limit:
        raise BuildError(rel, None, f"grew past {unit} while being read")
    return data


def read_sidecar(path: Path, rel: str, root: Path) -> dict:
    """seeds/<name>.yaml: refused like a raw file when it links out of the project."""
    data = read_seed(path, rel, root, limit=MAX_SIDECAR_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildError(rel, data.count(b"\n", 0, exc.start) + 1, "is not valid UTF-8") from None
    return parse_sidecar(text, rel)


def seed_files(config: Config) -> list[Path]:
    if not config.seeds.is_dir():
        return []
    found = {p for pattern in SEED_PATTERNS for p in config.seeds.glob(pattern) if p.is_file()}
    return sorted(found)


# ---- one run -------------------------------------------------------------------------------

@dataclass
class _Plan:
    draft: Draft
    key: str
    path: Path
    record: dict
    forced: bool


def ingest_all(config: Config, force: Iterable[Path | str] = ()) -> IngestReport:
    """Read every seeds/*.txt, *.html and *.htm; write content/briefings/<slug>.md for each
    article in them. A file or an article that cannot be ingested is reported in
    `report.problems`; everything else is written. `force`: pages (content/briefings/x.md) or
    raw files (seeds/x.txt) to re-ingest even though a person edited them (a backup is kept)."""
    report = IngestReport()
    root = config.root
    prefix = f"{config.content_dir}/briefings/"
    # checked before anything else: a bad state, or a --force target ingest does not know, writes nothing
    state = load_state(config)
    records: dict[str, dict] = state["pages"]
    forced_seeds, forced_pages = _resolve_force(config, force, records)
    seeds = seed_files(config)
    if not seeds:
        report.notes.append(f"no raw articles (*.txt, *.html) in {config.seeds_dir}/")
    # the glossary's mention regex is only needed to annotate articles
    ctx = load_context(config) if seeds else Context()
    briefings_dir = config.content / "briefings"
    glossary_dir = f"{config.content_dir}/glossary/"

    drafts: list[Draft] = []
    for path in seeds:
        rel = path.relative_to(root).as_posix()
        try:
            data = read_seed(path, rel, root)
            sidecar_path = path.with_suffix(".yaml")
            sidecar = {}
            if sidecar_path.exists() or sidecar_path.is_symlink():
                sidecar = read_sidecar(sidecar_path, sidecar_path.relative_to(root).as_posix(), root)
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
    taken = {meta.get("slug") for meta in pages.values()}
    taken |= {Path(name).stem for name in pages} | {r.get("slug") for r in records.values()}
    for meta in pages.values():
        listed = meta.get("aliases")
        taken |= {a for a in listed if isinstance(a, str)} if isinstance(listed, list) else set()

    # 1. plan: every page path is checked before the first write
    plans: list[_Plan] = []
    claimed: set[str] = set()
    for draft in drafts:
        key, record = _find_record(records, draft, claimed)
        if key is not None and record is not None and not (root / key).exists():
            moved = _follow_rename(config, pages, records, key, record, draft, claimed)
            if moved is not None:
                report.notes.append(f"renamed: {key} is now {moved}; ingest follows it there "
                                    "(and will not write the old name again)")
                del records[key]
                record = dict(record, slug=_page_slug(pages[moved[len(prefix):]]) or record.get("slug"))
                records[moved] = record
                key = moved
        if key is None or record is None:
            name = _adoptable(pages, draft, claimed, records, prefix)
            if name is None:
                slug = _unique(slug_for(draft, ctx), taken)
                if not _SLUG.match(slug):
                    report.problems.append(Problem(draft.source_file, draft.title_line,
                                                   f"cannot make a slug from the title ('{draft.title}')"))
                    continue
                taken.add(slug)
                name = f"{slug}.md"
            key, record = prefix + name, {}
        claimed.add(key)
        meta = pages.get(key[len(prefix):], {})
        forced = key in forced_pages or draft.source_file in forced_seeds
        slug = record.get("slug") or _page_slug(meta) or Path(key).stem
        aliases: tuple[str, ...] = ()
        if forced and meta:
            # re-ingested on purpose: the page keeps the name and the redirects its editor gave it
            slug = _page_slug(meta) or slug
            old = meta.get("aliases") if isinstance(meta.get("aliases"), list) else []
            aliases = tuple(dict.fromkeys(a for a in old if isinstance(a, str) and _SLUG.match(a) and a != slug))
        if not _SLUG.match(slug):
            slug = _unique(slug_for(draft, ctx), taken)
        draft = dataclasses.replace(draft, slug=slug, aliases=aliases)
        path = page_path(config, key[len(prefix):], "page", state_rel(config), shown=key)
        plans.append(_Plan(draft, key, path, record, forced))
    unmatched = sorted(forced_pages - {p.key for p in plans})
    if unmatched:
        raise BuildErrors([Problem(k, None, "--force: no article in seeds/ is this page's (its raw file is gone "
                                            "or no longer has its article); nothing was re-ingested")
                           for k in unmatched], note="nothing was written")

    # 2. write
    day = today()
    for plan in plans:
        _apply(config, plan, records, report, day)
    for key in sorted(set(records) - claimed):
        source = records[key].get("source", "")
        if (root / key).exists():
            report.notes.append(f"note: {key}: its article is no longer in {source or 'seeds/'}; left in place")
    for record in records.values():
        record.setdefault("first_seen", day)  # entries written before first_seen existed: filled once
    new_state = dump_state({"pages": dict(sorted(records.items()))})
    state_path = config.content / STATE_FILE
    if not inside(state_path.parent, root):
        raise BuildError(config.content_dir, None, "is a link out of the project; refusing to write there")
    if (not state_path.exists() or state_path.read_text(encoding="utf-8") != new_state) \
            and (records or state_path.exists()):
        from builder.write import write_text_atomic

        write_text_atomic(state_path, new_state)
    return report


def _apply(config: Config, plan: _Plan, records: dict, report: IngestReport, day: str) -> None:
    """Write one planned page, or leave it (unchanged, or the editor's), and record it."""
    from builder.write import write_text_atomic

    draft, key, path, record = plan.draft, plan.key, plan.path, plan.record
    text = render_markdown(draft)
    data = text.encode("utf-8")
    new_record = {"source": draft.source_file, "article": draft.index, "title": draft.title,
                  "slug": draft.slug, "sha256": _sha(data), "first_seen": record.get("first_seen") or day}
    again = f"briefing ingest --force {key} re-ingests it from {draft.source_file}, keeping a backup"
    if path.exists():
        current = path.read_bytes()
        if current == data:
            records[key] = new_record
            report.unchanged.append(key)
            if plan.forced:
                report.notes.append(f"re-ingested {key} from {draft.source_file} (--force): it was already "
                                    "what ingest writes")
            return
        if plan.forced:
            backup = _backup(config, path, current)
            write_text_atomic(path, text)
            records[key] = new_record
            report.written.append(key)
            report.notes.append(f"re-ingested {key} from {draft.source_file} (--force); the page as it was "
                                f"is kept in {backup}")
            return
        if record.get("owner") == "editor":
            records[key] = dict(record, first_seen=record.get("first_seen") or day)
            report.edited.append(key)
            return
        if not record or _sha(current) != record.get("sha256"):
            if record:
                report.notes.append(f"kept your edits to {key}; ingest will not touch it again ({again})")
                records[key] = dict(record, owner="editor", first_seen=record.get("first_seen") or day)
            else:
                report.notes.append(f"kept {key} as it is (ingest has no record of writing it, so it is yours); "
                                    f"ingest will not touch it again ({again})")
                records[key] = dict(new_record, owner="editor")
            report.edited.append(key)
            return
    write_text_atomic(path, text)
    records[key] = new_record
    report.written.append(key)


def _backup(config: Config, path: Path, data: bytes) -> str:
    """Copy a page about to be re-ingested to .briefing-backup/<name>.bak-<n> (never over an
    older backup). Outside content/: no build reads it as a briefing."""
    from builder.write import write_bytes_atomic

    folder = config.root / BACKUP_DIR
    if folder.is_symlink() or not inside(folder, config.root):
        raise BuildError(BACKUP_DIR, None, "is a link; the backup folder must be a plain folder inside the project")
    folder.mkdir(exist_ok=True)
    n = 1
    while (folder / f"{path.name}.bak-{n}").exists():
        n += 1
    target = folder / f"{path.name}.bak-{n}"
    write_bytes_atomic(target, data)
    return f"{BACKUP_DIR}/{target.name}"


def _resolve_force(config: Config, force: Iterable[Path | str], records: dict) -> tuple[set[str], set[str]]:
    """--force FILE arguments -> (raw files, page keys) relative to the project. A FILE that is
    neither a raw file in seeds/ nor a briefing page ingest knows is an error (nothing written)."""
    seeds: set[str] = set()
    pages: set[str] = set()
    problems = Collector()
    root = Path(os.path.realpath(config.root))
    seed_names = {p.relative_to(config.root).as_posix() for p in seed_files(config)}
    prefix = f"{config.content_dir}/briefings/"
    for given in force:
        candidate = Path(given)
        if not candidate.is_absolute():
            here = Path.cwd() / candidate
            candidate = here if here.exists() or not (config.root / candidate).exists() else config.root / candidate
        real = Path(os.path.realpath(candidate))
        if not real.is_relative_to(root):
            problems.add(str(given), None, "--force: is not inside the project")
            continue
        rel = real.relative_to(root).as_posix()
        if rel in seed_names:
            seeds.add(rel)
        elif rel.startswith(prefix) and "/" not in rel[len(prefix):] and rel.endswith(".md") \
                and (rel in records or real.exists()):
            pages.add(rel)
        else:
            problems.add(rel, None, f"--force: is neither a raw article in {config.seeds_dir}/ nor a briefing page "
                                    f"in {prefix} (give the page ingest wrote, or its raw file)")
    if problems:
        raise BuildErrors(problems.problems)
    return seeds, pages


def _find_record(records: dict, draft: Draft, claimed: set[str]) -> tuple[str | None, dict | None]:
    """The state record of a draft: same source file and title, else same position on the page."""
    for by_title in (True, False):
        for key in sorted(records):
            r = records[key]
            if key in claimed or r.get("source") != draft.source_file:
                continue
            if (by_title and r.get("title") == draft.title) or (not by_title and r.get("article") == draft.index
                                                                and not any(o.get("title") == draft.title for o in records.values())):
                return key, r
    return None, None


def _page_slug(meta: dict) -> str | None:
    slug = meta.get("slug")
    return slug if isinstance(slug, str) and _SLUG.match(slug) else None


def _source_of(meta: dict) -> dict:
    return meta["source"] if isinstance(meta.get("source"), dict) else {}


def _follow_rename(config: Config, pages: dict, records: dict, key: str, record: dict, draft: Draft,
                   claimed: set[str]) -> str | None:
    """Where a page whose record names a file that is gone went: the page (no other record's)
    with the same source file and the old slug in its aliases, the same lines of that file, or
    the very bytes ingest wrote."""
    prefix = f"{config.content_dir}/briefings/"
    found = []
    for name, meta in sorted(pages.items()):
        other = prefix + name
        if other in records or other in claimed or _source_of(meta).get("file") != record.get("source"):
            continue
        aliases = meta.get("aliases") if isinstance(meta.get("aliases"), list) else []
        lines = _source_of(meta).get("lines")
        same_bytes = False
        if record.get("sha256"):
            try:
                same_bytes = _sha((config.content / "briefings" / name).read_bytes()) == record["sha256"]
            except OSError:
                pass
        if record.get("slug") in aliases or same_bytes or lines == list(draft.lines):
            found.append(other)
    return found[0] if len(found) == 1 else None


def _adoptable(pages: dict, draft: Draft, claimed: set[str], records: dict, prefix: str) -> str | None:
    """An existing page for the same article that ingest has no record of (the state file was
    lost, or a person wrote it): its file name. Same source file and title, or same lines."""
    for name, meta in sorted(pages.items()):
        key = prefix + name
        if key in claimed or key in records:
            continue
        source = _source_of(meta)
        if source.get("file") == draft.source_file and (meta.get("title") == draft.title
                                                       or source.get("lines") == list(draft.lines)):
            return name
    return None


def _unique(slug: str, taken: set) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"

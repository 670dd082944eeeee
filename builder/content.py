"""Read content/ into the model: briefings (Markdown + front matter), taxonomy, glossary.

Parsing works on strings (`parse_briefing(text, path)`); `load_site(config)` reads the
files and checks the site-wide rules, collecting every problem before raising once.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from builder import frontmatter
from builder.cache.pool import WorkerPool
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector, Problem
from builder.model import (
    RELATION_INVERSE,
    Briefing,
    Enterprise,
    Figure,
    Paragraph,
    Relation,
    Section,
    Segment,
    Series,
    Site,
    SourceRef,
    Term,
)
from builder.segment import paragraph_segment_id, split_sentences

if TYPE_CHECKING:
    from builder.cache.memo import Memo

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = SLUG_RE
BRIEFING_KEYS = (
    "title", "slug", "series", "districts", "industries", "enterprises", "authors",
    "figures", "source", "date", "aliases", "summary",
)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

# CommonMark with raw HTML off: any <script> or tag a writer types is text, not markup.
MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between Chinese characters, one space otherwise."""
    out = ""
    for line in (piece.strip() for piece in lines):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])):
            out += " "
        out += line
    return out


def check_slug(slug, path: str, line: int, what: str = "slug") -> str:
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise BuildError(path, line, f"{what} {slug!r} must be lower-case ASCII letters, digits and "
                                     "single hyphens (no '/', '..', spaces or Chinese)")
    return slug


def _str_list(meta, key: str, path: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise BuildError(path, meta.line_of(key), f"'{key}' must be a list of plain values")
    return tuple(str(v).strip() for v in value)


def _text(value, path: str, line: int, key: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, (str, int, float)) or not str(value).strip():
        raise BuildError(path, line, f"'{key}' must be non-empty text")
    return " ".join(str(value).split())


def parse_body(body: str, path: str, first_line: int) -> tuple[Section, ...]:
    """Markdown body -> sections of paragraphs of sentence segments."""
    tokens = MD.parse(body)
    sections: list[dict] = [dict(anchor="s0", heading=None, subheading=None, paragraphs=[], line=first_line)]
    pending_heading: int | None = None  # heading level just opened
    last_was_heading = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            pending_heading = int(token.tag[1])
            continue
        if token.type != "inline":
            continue
        line = first_line + (token.map[0] if token.map else 0)
        text = join_lines(token.content.split("\n"))
        if not text:
            continue
        if pending_heading is not None:
            level, pending_heading = pending_heading, None
            current = sections[-1]
            if level >= 3 and last_was_heading and current["subheading"] is None and current["heading"]:
                current["subheading"] = (text, line)
            else:
                sections.append(dict(anchor=f"s{len(sections)}", heading=(text, line), subheading=None,
                                     paragraphs=[], line=line))
            last_was_heading = True
            continue
        last_was_heading = False
        sections[-1]["paragraphs"].append((text, line))

    result = []
    for sec in sections:
        anchor = sec["anchor"]
        if anchor == "s0" and not sec["paragraphs"]:
            continue
        heading = Segment(f"{anchor}.h", sec["heading"][0], sec["heading"][1]) if sec["heading"] else None
        sub = Segment(f"{anchor}.sub", sec["subheading"][0], sec["subheading"][1]) if sec["subheading"] else None
        paragraphs = []
        for p_index, (text, line) in enumerate(sec["paragraphs"], 1):
            sentences = tuple(
                Segment(paragraph_segment_id(anchor, p_index, s_index), sentence, line)
                for s_index, sentence in enumerate(split_sentences(text), 1)
            )
            paragraphs.append(Paragraph(sentences, line))
        result.append(Section(anchor, heading, sub, tuple(paragraphs), sec["line"]))
    return tuple(result)


def parse_briefing(text: str, path: str) -> Briefing:
    meta, body, body_line = frontmatter.parse(text, path)
    problems = Collector()
    for key in meta:
        if key not in BRIEFING_KEYS:
            problems.add(path, meta.line_of(key),
                         f"unknown front matter key '{key}'; known: {', '.join(BRIEFING_KEYS)}")
    if "title" not in meta:
        problems.add(path, meta.line, "missing title")
    if "slug" not in meta:
        problems.add(path, meta.line, "missing slug")
    problems.raise_if_any()

    title = Segment("meta.title", _text(meta["title"], path, meta.line_of("title"), "title"), meta.line_of("title"))
    slug = check_slug(meta["slug"], path, meta.line_of("slug"))
    aliases = tuple(check_slug(a, path, meta.line_of("aliases"), "alias") for a in _str_list(meta, "aliases", path))

    series = None
    if meta.get("series"):
        raw = meta["series"]
        line = meta.line_of("series")
        if isinstance(raw, str):
            raw = {"name": raw}
        if not isinstance(raw, dict) or "name" not in raw:
            raise BuildError(path, line, "'series' must have a name (and optionally a part number)")
        part = raw.get("part")
        if part is not None and (not isinstance(part, int) or isinstance(part, bool) or part < 1):
            raise BuildError(path, line, "series part must be a positive whole number")
        series = Series(Segment("meta.series", _text(raw["name"], path, line, "series name"), line), part)

    figures = []
    for f_index, raw in enumerate(meta.get("figures") or [], 1):
        line = meta["figures"].lines[f_index - 1] if hasattr(meta["figures"], "lines") else meta.line_of("figures")
        if not isinstance(raw, dict) or not raw.get("caption"):
            raise BuildError(path, line, "each figure needs a caption")
        credit = raw.get("credit")
        figures.append(Figure(
            caption=Segment(f"fig{f_index}.caption", _text(raw["caption"], path, line, "caption"), line),
            credit=Segment(f"fig{f_index}.credit", _text(credit, path, line, "credit"), line) if credit else None,
            section=str(raw.get("section", "s0")),
            after_paragraph=int(raw.get("after_paragraph", 0) or 0),
            image=raw.get("image"),
        ))

    source = None
    if meta.get("source"):
        raw = meta["source"]
        if not isinstance(raw, dict):
            raise BuildError(path, meta.line_of("source"), "'source' must be a mapping")
        lines = raw.get("lines") or [0, 0]
        source = SourceRef(
            file=str(raw.get("file", "")), sha256=str(raw.get("sha256", "")),
            lines=(int(lines[0]), int(lines[-1])),
            publication=raw.get("publication"), date=_date(raw.get("date"), path, raw.line_of("date")),
            page=None if raw.get("page") is None else str(raw.get("page")), url=raw.get("url"),
            date_from=raw.get("date_from"), original_script=raw.get("original_script"),
        )
    date = _date(meta.get("date"), path, meta.line_of("date"))

    return Briefing(
        slug=slug, path=path, title=title, series=series,
        districts=_str_list(meta, "districts", path), industries=_str_list(meta, "industries", path),
        enterprises=_str_list(meta, "enterprises", path), authors=_str_list(meta, "authors", path),
        figures=tuple(figures), source=source, date=date or (source.date if source else None),
        aliases=aliases, sections=parse_body(body, path, body_line),
        lines=dict(meta.lines),
    )


def _date(value, path: str, line: int) -> str | None:
    if value in (None, ""):
        return None
    value = str(value)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise BuildError(path, line, f"date {value!r} must be written YYYY-MM-DD")
    return value


# ---- taxonomy and glossary -------------------------------------------------

def parse_taxonomy(text: str, path: str) -> tuple[tuple[Term, ...], tuple[Term, ...]]:
    data = frontmatter.load_yaml(text, path) or {}
    if not isinstance(data, dict):
        raise BuildError(path, 1, "taxonomy must be a mapping with 'districts' and 'industries'")
    problems = Collector()
    result = {}
    for key, kind in (("districts", "district"), ("industries", "industry")):
        terms = []
        for index, raw in enumerate(data.get(key) or []):
            line = data[key].lines[index]
            if not isinstance(raw, dict):
                problems.add(path, line, f"each {kind} must be a mapping with id, zh and en")
                continue
            missing = [k for k in ("id", "zh", "en") if not raw.get(k)]
            if missing:
                problems.add(path, line, f"{kind} is missing {', '.join(missing)}")
                continue
            if not ID_RE.match(str(raw["id"])):
                problems.add(path, line, f"{kind} id {raw['id']!r} must be lower-case ASCII with hyphens")
                continue
            terms.append(Term(
                id=str(raw["id"]), kind=kind, zh=str(raw["zh"]), en=str(raw["en"]),
                keywords=tuple(str(k) for k in raw.get("keywords") or ()),
                description_zh=str(raw.get("description_zh") or ""),
                description_en=str(raw.get("description_en") or ""),
                short_en=str(raw.get("short_en") or ""), path=path, line=line,
            ))
        seen = {}
        for term in terms:
            if term.id in seen:
                problems.add(path, term.line, f"duplicate {kind} id '{term.id}' (first at line {seen[term.id]})")
            seen.setdefault(term.id, term.line)
        result[key] = tuple(terms)
    problems.raise_if_any()
    return result["districts"], result["industries"]


ENTERPRISE_KEYS = ("id", "name_zh", "aliases_zh", "name_en", "short_en", "aliases_en", "pinyin",
                   "district", "industries", "relations", "description_zh", "description_en", "note")


def parse_glossary(text: str, path: str) -> tuple[Enterprise, ...]:
    data = frontmatter.load_yaml(text, path) or []
    if isinstance(data, dict) and "enterprises" in data:
        data = data["enterprises"]
    if not isinstance(data, list):
        raise BuildError(path, 1, "a glossary file must be a list of enterprise entries")
    problems = Collector()
    entries = []
    for index, raw in enumerate(data):
        line = data.lines[index]
        if not isinstance(raw, dict):
            problems.add(path, line, "each glossary entry must be a mapping")
            continue
        for key in raw:
            if key not in ENTERPRISE_KEYS:
                problems.add(path, raw.line_of(key), f"unknown glossary key '{key}'; known: {', '.join(ENTERPRISE_KEYS)}")
        missing = [k for k in ("id", "name_zh", "name_en") if not raw.get(k)]
        if missing:
            problems.add(path, line, f"glossary entry is missing {', '.join(missing)}")
            continue
        if not ID_RE.match(str(raw["id"])):
            problems.add(path, raw.line_of("id"), f"enterprise id {raw['id']!r} must be lower-case ASCII with hyphens")
            continue
        relations = []
        for r_index, rel in enumerate(raw.get("relations") or []):
            r_line = raw["relations"].lines[r_index]
            if not isinstance(rel, dict) or not rel.get("kind") or not rel.get("target"):
                problems.add(path, r_line, "a relation needs a kind and a target")
                continue
            if rel["kind"] not in RELATION_INVERSE:
                problems.add(path, r_line, f"unknown relation kind '{rel['kind']}'; known: {', '.join(RELATION_INVERSE)}")
                continue
            relations.append(Relation(str(rel["kind"]), str(rel["target"]), r_line))
        entries.append(Enterprise(
            id=str(raw["id"]), name_zh=str(raw["name_zh"]),
            aliases_zh=tuple(str(a) for a in raw.get("aliases_zh") or ()),
            name_en=str(raw["name_en"]), short_en=str(raw.get("short_en") or raw["name_en"]),
            aliases_en=tuple(str(a) for a in raw.get("aliases_en") or ()),
            pinyin=str(raw.get("pinyin") or ""), district=raw.get("district"),
            industries=tuple(str(i) for i in raw.get("industries") or ()),
            relations=tuple(relations),
            description_zh=str(raw.get("description_zh") or ""),
            description_en=str(raw.get("description_en") or ""),
            path=path, line=line,
        ))
    problems.raise_if_any()
    return tuple(entries)


# ---- loading and site-wide checks ---------------------------------------------

def _rel(config: Config, path: Path) -> str:
    """Old name of `Config.rel`, still imported by ingest.py."""
    return config.rel(path)


def read_text(config: Config, path: Path) -> str:
    """Read a content file, refusing symlinks that lead outside the project."""
    rel = config.rel(path)
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(config.root))):
        raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(rel, None, f"is not valid UTF-8 (byte {exc.start})") from None


def load_site(config: Config, memo: Memo | None = None, pool: WorkerPool | None = None) -> Site:
    """Read content/ into a Site and check the site-wide rules; every problem is collected and
    raised once. With `memo`, a file whose content was parsed before is not parsed again;
    briefings are parsed in `pool`'s workers while this process reads the glossary."""
    problems = Collector()
    districts, industries = _load_taxonomy(config, memo, problems)
    paths = sorted((config.content / "briefings").glob("*.md"))
    found: dict[str, tuple[str, Briefing]] = {}  # rel -> (hash of its text, briefing)
    todo = []
    for path in paths:
        rel = config.rel(path)
        digest = memo.fingerprint(path) if memo is not None else None
        cached = memo.get("briefing", (rel, digest)) if memo is not None and digest is not None else None
        if digest is not None and cached is not None:
            found[rel] = (digest, cached)
        else:
            todo.append(path)
    # small chunks: jobs differ in size, and each result is unpickled as it arrives
    jobs = pool.jobs if pool is not None else 1
    chunk = max(1, min(32, len(todo) // (jobs * 4)))
    checks = Collector()  # a briefing that parsed but breaks a rule of its own
    with (pool or WorkerPool()).run(_parse_briefing_file, config, todo, chunksize=chunk) as results:
        enterprises = _load_glossary(config, memo, problems)  # while the workers parse
        for rel, digest, result, file_problems in results:
            if result is None:
                problems.problems.extend(file_problems)
                continue
            checks.problems.extend(file_problems)
            pickled = result if isinstance(result, bytes) else None
            briefing = pickle.loads(pickled) if pickled is not None else result
            if memo is not None and not file_problems:
                memo.put("briefing", (rel, digest), briefing, pickled=pickled)
            found[rel] = (digest, briefing)
    if problems:  # a file that cannot be read or parsed: the site-wide rules would only add noise
        problems.problems.extend(checks.problems)
        problems.raise_if_any()
    briefings = []
    for path in paths:
        digest, briefing = found[config.rel(path)]
        briefings.append(briefing)
        if memo is not None:
            memo.note_source(briefing.slug, "md", digest)
    site = Site(tuple(briefings), tuple(districts), tuple(industries), tuple(sorted(enterprises, key=lambda e: e.id)))
    check_site(site, checks)
    return site


def _parse_briefing_file(config: Config, path: Path, remote: bool) -> tuple[str, str, object, list[Problem]]:
    """(rel, hash of its text, the Briefing (pickled when `remote`) or None, problems) of one
    briefing file: read, parsed and checked on its own (in a worker, or here)."""
    rel = config.rel(path)
    try:
        text = read_text(config, path)
    except (BuildError, BuildErrors) as exc:
        return rel, "", None, list(exc.problems)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    try:
        briefing = parse_briefing(text, rel)
    except (BuildError, BuildErrors) as exc:
        return rel, digest, None, list(exc.problems)
    checks = Collector()
    check_briefing(briefing, checks)
    return rel, digest, pickle.dumps(briefing, protocol=pickle.HIGHEST_PROTOCOL) if remote else briefing, \
        checks.problems


def _load_taxonomy(config: Config, memo: Memo | None, problems: Collector) -> tuple[tuple[Term, ...], tuple[Term, ...]]:
    path = config.content / "taxonomy.yaml"
    if not path.exists():
        return (), ()
    digest = memo.fingerprint(path) if memo is not None else None
    cached = memo.get("taxonomy", digest) if memo is not None and digest is not None else None
    if cached is not None:
        return cached
    try:
        parsed = parse_taxonomy(read_text(config, path), config.rel(path))
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
        return (), ()
    if memo is not None and digest is not None:
        memo.put("taxonomy", digest, parsed)
    return parsed


def _load_glossary(config: Config, memo: Memo | None, problems: Collector) -> list[Enterprise]:
    enterprises: list[Enterprise] = []
    for path in sorted((config.content / "glossary").glob("*.yaml")):
        # parsed again only when it changed (YAML is slow for a few hundred entries)
        rel = config.rel(path)
        digest = memo.fingerprint(path) if memo is not None else None
        entries = memo.get("glossary", (rel, digest)) if memo is not None and digest is not None else None
        if entries is None:
            try:
                entries = parse_glossary(read_text(config, path), rel)
            except (BuildError, BuildErrors) as exc:
                problems.extend(exc)
                continue
            if memo is not None and digest is not None:
                memo.put("glossary", (rel, digest), entries)
        enterprises.extend(entries)
    return enterprises


def check_briefing(b: Briefing, problems: Collector) -> None:
    """The rules one briefing must follow on its own (checked when it is parsed)."""
    anchors = {s.anchor for s in b.sections}
    for fig in b.figures:
        if fig.section not in anchors:
            problems.add(b.path, fig.caption.line, f"figure placed in unknown section '{fig.section}'; "
                                                   f"known: {', '.join(sorted(anchors)) or '(none)'}")


def check_site(site: Site, problems: Collector | None = None) -> None:
    """Site-wide rules: unique ids and slugs, every reference resolves. Raises every problem
    found, with those already in `problems` (the files' own, from load_site)."""
    problems = problems if problems is not None else Collector()
    district_ids = {t.id for t in site.districts}
    industry_ids = {t.id for t in site.industries}
    enterprise_ids: dict[str, Enterprise] = {}
    for ent in site.enterprises:
        if ent.id in enterprise_ids:
            first = enterprise_ids[ent.id]
            problems.add(ent.path, ent.line, f"duplicate enterprise id '{ent.id}' (first at {first.path}:{first.line})")
        enterprise_ids.setdefault(ent.id, ent)

    def known(ids) -> str:
        return ", ".join(sorted(ids)) or "(none)"

    for ent in site.enterprises:
        if ent.district and ent.district not in district_ids:
            problems.add(ent.path, ent.line, f"unknown district '{ent.district}' for {ent.id}; known: {known(district_ids)}")
        for ind in ent.industries:
            if ind not in industry_ids:
                problems.add(ent.path, ent.line, f"unknown industry '{ind}' for {ent.id}; known: {known(industry_ids)}")
        for rel in ent.relations:
            if rel.target not in enterprise_ids:
                problems.add(ent.path, rel.line, f"relation of {ent.id} points to unknown enterprise '{rel.target}'")

    slugs: dict[str, str] = {}
    for b in site.briefings:
        for name in (b.slug, *b.aliases):
            if name in slugs:
                problems.add(b.path, b.line_of("aliases" if name != b.slug else "slug"),
                             f"slug '{name}' is already used by {slugs[name]}")
            slugs.setdefault(name, b.path)
        for key, ids, valid, what in (("districts", b.districts, district_ids, "district"),
                                      ("industries", b.industries, industry_ids, "industry"),
                                      ("enterprises", b.enterprises, enterprise_ids, "enterprise")):
            for value in ids:
                if value not in valid:
                    problems.add(b.path, b.line_of(key), f"unknown {what} '{value}'; known: {known(valid)}")
    problems.raise_if_any()

"""Read content/ into the model: briefings (Markdown + front matter), taxonomy, glossary.

Parsing works on strings (`parse_briefing(text, path)`); `load_site(config)` reads the
files and checks the site-wide rules, collecting every problem before raising once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from markdown_it import MarkdownIt

from builder import frontmatter
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector
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

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = SLUG_RE
BRIEFING_KEYS = (
    "title", "slug", "series", "districts", "industries", "enterprises", "authors",
    "figures", "source", "date", "aliases", "summary",
    # written by ingest when it has them: a kicker or sub-title, the dateline it took off the lede
    # (本报讯, 新华社南京3月5日电), the fields a person must check (a derived title), and how it knew
    # the districts when the title does not say (title (来丰), lede, headings, enterprises …)
    "subtitle", "dateline", "review", "district_from",
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
    subtitle = Segment("meta.subtitle", _text(meta["subtitle"], path, meta.line_of("subtitle"), "subtitle"),
                       meta.line_of("subtitle")) if meta.get("subtitle") else None
    dateline = Segment("meta.dateline", _text(meta["dateline"], path, meta.line_of("dateline"), "dateline"),
                       meta.line_of("dateline")) if meta.get("dateline") else None
    district_from = meta.get("district_from") or {}
    if not isinstance(district_from, dict):
        raise BuildError(path, meta.line_of("district_from"), "'district_from' must map district ids to evidence")

    return Briefing(
        slug=slug, path=path, title=title, series=series,
        districts=_str_list(meta, "districts", path), industries=_str_list(meta, "industries", path),
        enterprises=_str_list(meta, "enterprises", path), authors=_str_list(meta, "authors", path),
        figures=tuple(figures), source=source, date=date or (source.date if source else None),
        aliases=aliases, sections=parse_body(body, path, body_line),
        lines=dict(meta.lines), subtitle=subtitle, dateline=dateline,
        review=_str_list(meta, "review", path),
        district_from=tuple((str(k), str(v)) for k, v in district_from.items()),
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
                aliases=tuple(str(k) for k in raw.get("aliases") or ()),
                places=tuple(str(k) for k in raw.get("places") or ()), short=str(raw.get("short") or ""),
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
    try:
        return str(path.relative_to(config.root))
    except ValueError:
        return str(path)


def read_text(config: Config, path: Path) -> str:
    """Read a content file, refusing symlinks that lead outside the project."""
    rel = _rel(config, path)
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(config.root))):
        raise BuildError(rel, None, "is a link to a file outside the project; refusing to read it")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(rel, None, f"is not valid UTF-8 (byte {exc.start})") from None


def load_site(config: Config) -> Site:
    problems = Collector()
    content = config.content

    def attempt(func, *args):
        try:
            return func(*args)
        except (BuildError, BuildErrors) as exc:
            problems.extend(exc)
            return None

    taxonomy_path = content / "taxonomy.yaml"
    districts, industries = (), ()
    if taxonomy_path.exists():
        parsed = attempt(lambda: parse_taxonomy(read_text(config, taxonomy_path), _rel(config, taxonomy_path)))
        if parsed:
            districts, industries = parsed
    enterprises: list[Enterprise] = []
    for path in sorted((content / "glossary").glob("*.yaml")):
        parsed = attempt(lambda p=path: parse_glossary(read_text(config, p), _rel(config, p)))
        enterprises.extend(parsed or ())
    briefings = []
    for path in sorted((content / "briefings").glob("*.md")):
        parsed = attempt(lambda p=path: parse_briefing(read_text(config, p), _rel(config, p)))
        if parsed:
            briefings.append(parsed)
    problems.raise_if_any()
    site = Site(tuple(briefings), tuple(districts), tuple(industries), tuple(sorted(enterprises, key=lambda e: e.id)))
    check_site(site)
    return site


def check_site(site: Site) -> None:
    """Site-wide rules: unique ids and slugs, every reference resolves."""
    problems = Collector()
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
        if getattr(b, "checked", False):
            continue  # from the build cache: passed the checks below when it was parsed
        anchors = {s.anchor for s in b.sections}
        for fig in b.figures:
            if fig.section not in anchors:
                problems.add(b.path, fig.caption.line, f"figure placed in unknown section '{fig.section}'; "
                                                       f"known: {known(anchors)}")
    problems.raise_if_any()

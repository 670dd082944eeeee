"""content/.ingest-state.json: what ingest wrote, read and checked before anything is written.

    {"pages": {"content/briefings/<name>.md": {
        "source": "seeds/x.txt",      the raw file the article came from
        "article": 1,                 its position on that page
        "title": "…",                 its headline as ingest read it
        "slug": "…",                  the slug ingest gave it (written once)
        "sha256": "…",                the page's bytes as ingest last wrote them
        "first_seen": "2024-06-02",   the day ingest first saw the article (written once)
        "owner": "editor"             only when a person edited the page: ingest leaves it alone
    }}}

The file is committed content, so a pull request can change it: every key must name a page
directly inside content/briefings/ (no `..`, no absolute path, no link out of the folder), and
every field must have its type. A state that breaks these rules stops ingest before it writes
anything, with the file and the line of the bad entry.

`first_seen(config)` reads the dates without writing (the feeds' `updated` of undated briefings).
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector

STATE_FILE = ".ingest-state.json"
_SHA = re.compile(r"^[0-9a-f]{64}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RECORD_KEYS = {"source": str, "article": int, "title": str, "slug": str, "sha256": str, "first_seen": str,
               "owner": str}


def state_rel(config: Config) -> str:
    return f"{config.content_dir}/{STATE_FILE}"


def briefings_rel(config: Config) -> str:
    return f"{config.content_dir}/briefings"


def today() -> str:
    """The day ingest runs, as an ISO date: SOURCE_DATE_EPOCH when it is set (reproducible
    builds), else the local calendar day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise BuildError(None, None, f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return datetime.date.today().isoformat()


def page_path(config: Config, name: str, what: str, where: str | None = None, line: int | None = None,
              shown: str | None = None) -> Path:
    """content/briefings/<name> for a page name ingest got from the state or from a page: one
    plain file name ending in .md, and once resolved (links followed) still inside
    content/briefings/. Anything else is a BuildError naming where the name came from."""
    folder = config.content / "briefings"
    bad = (not name or "/" in name or "\\" in name or "\x00" in name or name in (".", "..")
           or name.startswith(".") or not name.endswith(".md") or len(name) > 255)
    if not inside(folder, config.root):
        raise BuildError(briefings_rel(config), None, "is a link out of the project; refusing to write there")
    if not bad and Path(os.path.realpath(folder / name)).parent != Path(os.path.realpath(folder)):
        raise BuildError(f"{briefings_rel(config)}/{name}", None,
                         f"is a link out of {briefings_rel(config)}/; refusing to write through it")
    if bad:
        raise BuildError(where, line, f"{what} {shown or name!r} is not a page directly inside {briefings_rel(config)}/; "
                                      "refusing to write there")
    return folder / name


def inside(path: Path, folder: Path) -> bool:
    """`path`, with every link followed, lies inside `folder` (also resolved)."""
    return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(folder)))


def _line_of(text: str, key: str) -> int | None:
    needle = json.dumps(key, ensure_ascii=False)
    at = text.find(needle)
    if at < 0:
        at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def load_state(config: Config) -> dict[str, Any]:
    """The state, checked: {"pages": {key: record}}; no file is an empty state."""
    from builder.content import date_problem

    path = config.content / STATE_FILE
    rel = state_rel(config)
    if not path.exists() and not path.is_symlink():
        return {"pages": {}}
    if path.is_symlink() or not inside(path, config.root):
        raise BuildError(rel, None, "is a link; the ingest state must be a plain file inside the project")
    try:
        text = path.read_text(encoding="utf-8")
        state = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BuildError(rel, None, f"is not valid JSON ({exc}); delete it and ingest will treat every "
                                    "existing page as edited by hand") from None
    if not isinstance(state, dict) or not isinstance(state.get("pages"), dict):
        raise BuildError(rel, None, "has no 'pages' mapping; delete it to start over")
    problems = Collector()
    prefix = briefings_rel(config) + "/"
    for key, record in state["pages"].items():
        line = _line_of(text, key)
        if not key.startswith(prefix):
            problems.add(rel, line, f"page {key!r} is not a page directly inside {prefix}; refusing to write there")
            continue
        try:
            page_path(config, key[len(prefix):], "page", rel, line, shown=key)
        except BuildError as exc:
            problems.extend(exc)
            continue
        if not isinstance(record, dict):
            problems.add(rel, line, f"the entry of {key} must be a mapping (source, article, title, slug, sha256)")
            continue
        for field, value in record.items():
            kind = RECORD_KEYS.get(field)
            if kind is None:
                problems.add(rel, line, f"{key}: unknown field {field!r}; known: {', '.join(RECORD_KEYS)}")
            elif not isinstance(value, kind) or isinstance(value, bool):
                problems.add(rel, line, f"{key}: {field} must be a {kind.__name__}, not {value!r}"[:300])
        if not isinstance(record.get("source"), str):
            problems.add(rel, line, f"{key}: has no source (the raw file its article came from)")
        slug = record.get("slug")
        if isinstance(slug, str) and not _SLUG.match(slug):
            problems.add(rel, line, f"{key}: slug {slug!r} must be lower-case ASCII letters, digits and single "
                                    "hyphens (no '/', '..', spaces or Chinese)"[:300])
        sha = record.get("sha256")
        if isinstance(sha, str) and not _SHA.match(sha):
            problems.add(rel, line, f"{key}: sha256 must be 64 hexadecimal digits")
        seen = record.get("first_seen")
        if isinstance(seen, str) and date_problem(seen):
            problems.add(rel, line, f"{key}: first_seen: {date_problem(seen)}")
        owner = record.get("owner")
        if isinstance(owner, str) and owner != "editor":
            problems.add(rel, line, f"{key}: owner must be 'editor' (a person edited the page) or absent")
    if len(problems.problems) == 1:
        p = problems.problems[0]
        raise BuildError(p.path, p.line, p.message)
    if problems:
        raise BuildErrors(problems.problems)
    return state


def dump_state(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def first_seen(config: Config) -> dict[str, datetime.date]:
    """Briefing page (content/briefings/x.md, as the state names it) -> the day ingest first saw
    its article. Reads the state, writes nothing; a page ingest never wrote is not in it."""
    out: dict[str, datetime.date] = {}
    for key, record in sorted(load_state(config)["pages"].items()):
        value = record.get("first_seen")
        if isinstance(value, str):
            out[key] = datetime.date.fromisoformat(value)
    return out

"""`briefing check`: lint everything a build would read, report every problem, exit non-zero.

It reads content, taxonomy, glossary and the translation memory, and never writes. Besides
what a build refuses (bad front matter, a missing media/ image), it reports what a build
shows but a person should fix: untranslated, stale or flagged English, leftover placeholders
or HTML, and links pages show as plain text (a javascript: or other unsafe target). Usable in CI:
problems are printed as `path:line: message`, one per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from builder import content
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector
from builder.markdown import unsafe_links
from builder.model import Site
from builder.render.publish import readiness
from builder.translate.quality import describe
from builder.translate.terms import PLACEHOLDER

# a tag a translator typed (or pasted) into the English; the renderer escapes it, so readers
# would see the markup itself
MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def collect_problems(config: Config, strict: bool = False) -> tuple[Collector, list[str]]:
    """Return (problems, notes). Notes are informational lines (coverage)."""
    problems = Collector()
    notes: list[str] = []
    try:
        site = content.load_site(config)
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
        return problems, notes
    from builder import translate

    try:
        site = translate.attach_translations(config, site)
    except (BuildError, BuildErrors) as exc:
        problems.extend(exc)
        return problems, notes
    by_id = {}
    for briefing in site.briefings:
        memory = site.translations.get(briefing.slug, {})
        po = f"{config.content_dir}/translations/en/{briefing.slug}.po"
        for segment in briefing.segments():
            by_id[segment.id] = segment
            tr = memory.get(segment.id)
            where = (briefing.path, segment.line or None)
            for why in unsafe_links(segment.zh):
                problems.add(*where, f"[link] {segment.id}: {why}")
            for why in unsafe_links(tr.en or "") if tr is not None else ():
                problems.add(*where, f"[link] {segment.id} (English in {po}): {why}")
            if tr is None or tr.status == "missing":
                problems.add(*where, f"[untranslated] {segment.id} has no English in {po}")
            elif tr.status == "stale":
                problems.add(*where, f"[stale] {segment.id}: the Chinese changed since it was translated; review {po}")
            elif tr.flags:
                problems.add(*where, f"[flagged: {describe(tr.flags)}] {segment.id}: machine output needs review in {po}")
            elif leftover := PLACEHOLDER.search(tr.en or ""):
                problems.add(*where, f"[placeholder] {segment.id}: the English still has the placeholder "
                                     f"'{leftover.group(0)}' where a name or figure belongs; fix it in {po}")
            elif markup := MARKUP.search(tr.en or ""):
                problems.add(*where, f"[markup] {segment.id}: the English contains HTML '{markup.group(0)[:40]}'; "
                                     f"pages show it as plain text; remove it in {po}")
            elif strict and tr.status == "machine":
                problems.add(*where, f"[machine] {segment.id}: machine translation not yet reviewed in {po}")
    notes.extend(_orphaned_memory(config, site))
    notes.extend(translate.coverage(site).lines())
    # briefings whose English page is held back as "translation pending": listed always, a
    # problem with --strict (as `build --strict` fails on them)
    for briefing in site.briefings:
        ready = readiness(briefing, site.translations.get(briefing.slug, {}), config.publish_en)
        if ready.pending:
            line = f"{briefing.path}:{briefing.title.line or briefing.line_of('title')}: [pending] English page " \
                   f"awaiting translation (publish_en = \"{config.publish_en}\": {ready.reasons()}); " \
                   "not in the English feeds, sitemap or search"
            if strict:
                problems.add(briefing.path, briefing.title.line or briefing.line_of("title"), line.split(": ", 1)[1])
            else:
                notes.append(line)
    return problems, notes


def _orphaned_memory(config: Config, site: Site) -> list[str]:
    """A PO file that belongs to no briefing (neither its slug nor an alias): the reviewed
    English in it shows on no page, so it is reported rather than left silently unused."""
    from builder.translate import memory

    known = {b.slug for b in site.briefings} | {a for b in site.briefings for a in b.aliases}
    folder = memory.memory_dir(config.content)
    found: list[str] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.po")):
        slug = path.stem
        if slug not in known:
            found.append(f"{config.rel(path)}: warning: no briefing has slug '{slug}' (orphaned translation memory; rename it or "
                         f"add '{slug}' to a briefing's aliases)")
    return found


def run(config: Config, say: Callable[[str], None], strict: bool = False) -> None:
    problems, notes = collect_problems(config, strict=strict)
    for line in notes:
        say(line)
    if problems:
        raise BuildErrors(problems.problems)
    say("check: no problems")

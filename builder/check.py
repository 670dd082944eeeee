"""`briefing check`: lint everything a build would read, report every problem, exit non-zero.

It reads content, taxonomy, glossary and the translation memory, and never writes. Usable in CI:
problems are printed as `path:line: message`, one per line.
"""

from __future__ import annotations

from typing import Callable

from builder import content
from builder.config import Config
from builder.errors import BuildError, BuildErrors, Collector


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
            if tr is None or tr.status == "missing":
                problems.add(*where, f"[untranslated] {segment.id} has no English in {po}")
            elif tr.status == "stale":
                problems.add(*where, f"[stale] {segment.id}: the Chinese changed since it was translated; review {po}")
            elif tr.flags:
                problems.add(*where, f"[flagged: {', '.join(tr.flags)}] {segment.id}: machine output needs review in {po}")
            elif strict and tr.status == "machine":
                problems.add(*where, f"[machine] {segment.id}: machine translation not yet reviewed in {po}")
    notes.extend(translate.coverage(site).lines())
    return problems, notes


def run(config: Config, say: Callable[[str], None], strict: bool = False) -> int:
    problems, notes = collect_problems(config, strict=strict)
    for line in notes:
        say(line)
    if problems:
        raise BuildErrors(problems.problems)
    say("check: no problems")
    return 0

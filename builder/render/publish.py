"""Whether a briefing's English page is published as English: the `publish_en` rule.

A pure function of the briefing, its translations and the rule (config.PUBLISH_RULES):

    kinds(b, table)          -> how many segments are of each kind (KINDS), in reading order
    Readiness(kinds, rule)   .pending: below the rule; .reasons(): what holds it back

Each segment is one of:
    reviewed   reviewed by a person
    outdated   reviewed English of an earlier version of the Chinese (shown, marked outdated)
    machine    machine output without a quality flag
    flagged    machine output with a quality flag (quality.FLAGS)
    stale      machine output of an earlier version of the Chinese (not shown)
    missing    no English

A briefing below the rule gets a "translation pending" English page (render/compose.py): not
indexed, not in the English feeds, the sitemap or search, listed under "Awaiting translation".
The Chinese page is always published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from builder.model import Briefing, Translation

KINDS = ("reviewed", "outdated", "machine", "flagged", "stale", "missing")

# what each rule accepts as English
ACCEPTS = {
    "always": frozenset(KINDS),
    "translated": frozenset(("reviewed", "outdated", "machine")),
    "reviewed": frozenset(("reviewed",)),
}

# how `briefing check` names what holds a briefing back
_REASON = {"missing": "untranslated", "stale": "stale", "flagged": "flagged", "machine": "machine-translated",
           "outdated": "outdated"}


def kind_of(tr: Translation | None) -> str:
    """The kind (KINDS) of one segment's translation."""
    if tr is None or not tr.en:
        return "missing"
    if tr.status in ("reviewed", "outdated", "stale"):
        return tr.status
    if tr.status == "machine":
        return "flagged" if tr.flags else "machine"
    return "missing"  # a status this module does not know is not English it can vouch for


def kinds(b: Briefing, table: Mapping[str, Translation]) -> tuple[tuple[str, int], ...]:
    """(kind, count) for every kind of KINDS, over every segment of `b`."""
    counts = dict.fromkeys(KINDS, 0)
    for seg in b.segments():
        counts[kind_of(table.get(seg.id))] += 1
    return tuple(counts.items())


@dataclass(frozen=True)
class Readiness:
    counts: tuple[tuple[str, int], ...]  # kinds()
    rule: str  # config.publish_en

    @property
    def pending(self) -> bool:
        accepted = ACCEPTS[self.rule]
        return any(count and kind not in accepted for kind, count in self.counts)

    def count(self, kind: str) -> int:
        return dict(self.counts)[kind]

    @property
    def total(self) -> int:
        return sum(count for _kind, count in self.counts)

    def reasons(self) -> str:
        """What keeps the English back: '2 untranslated, 1 flagged' (empty when published)."""
        accepted = ACCEPTS[self.rule]
        order = ("missing", "stale", "flagged", "machine", "outdated")
        found = dict(self.counts)
        return ", ".join(f"{found[k]} {_REASON[k]}" for k in order if found[k] and k not in accepted)


def readiness(b: Briefing, table: Mapping[str, Translation], rule: str) -> Readiness:
    return Readiness(kinds(b, table), rule)

"""The dependency plan: what each page shows, as typed dependencies, and its signature.

A page spec (render/pages.py) lists its dependencies beyond the theme, the settings and the
code (which every page depends on). Each is a small frozen value naming one thing of the
model; a `Fingerprints` (the render stage's, render/views.py) gives the hash of that thing as
this build sees it. A page's signature is the hash of all of them: equal signatures, equal
output, so an incremental build renders only pages whose signature changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol


@dataclass(frozen=True, slots=True)
class BriefingText:
    """Everything a briefing's own pages show of it: its text, translations and terms."""

    slug: str


@dataclass(frozen=True, slots=True)
class BriefingCard:
    """What a card of the briefing shows in lists, term pages, feeds and enterprise pages:
    title, lead, date, series, authors, terms."""

    slug: str


@dataclass(frozen=True, slots=True)
class QuotedSentence:
    """One sentence of a briefing, as an enterprise page quotes it (Chinese and English)."""

    slug: str
    segment: str


@dataclass(frozen=True, slots=True)
class MentionsIn:
    """Which enterprises a briefing's text names, and where (the links on its pages)."""

    slug: str


@dataclass(frozen=True, slots=True)
class EntryOf:
    """An enterprise's whole glossary entry."""

    enterprise: str


@dataclass(frozen=True, slots=True)
class NamesOf:
    """Only an enterprise's id and names (a link or a chip)."""

    enterprise: str


@dataclass(frozen=True, slots=True)
class Value:
    """A plain value the page shows or is shaped by: counts, how many pages a list has, the
    kinds of an enterprise's relations, the paths the sitemap lists."""

    value: object


Dependency = BriefingText | BriefingCard | QuotedSentence | MentionsIn | EntryOf | NamesOf | Value


class Fingerprints(Protocol):
    def of(self, dep: Dependency) -> str:
        """Hash of what `dep` names, as this build sees it."""
        ...

    @property
    def everywhere(self) -> str:
        """Hash of what every page depends on (theme, settings, code, taxonomy labels)."""
        ...


class Signer:
    """Signatures of many pages over one set of fingerprints; each dependency object is
    resolved once. (Pages share their dependency objects, so the tokens are kept by identity:
    hashing a dataclass for every lookup costs more than resolving it; `_keep` holds each
    object, so an id is never reused while the signer lives.)"""

    def __init__(self, fingerprints: Fingerprints):
        self.fingerprints = fingerprints
        self._tokens: dict[int, str] = {}
        self._keep: list[Dependency] = []

    def signature(self, deps: Iterable[Dependency]) -> str:
        tokens = self._tokens
        parts = [self.fingerprints.everywhere]
        for dep in deps:
            token = tokens.get(id(dep))
            if token is None:
                token = tokens[id(dep)] = f"{type(dep).__name__}:{self.fingerprints.of(dep)}"
                self._keep.append(dep)
            parts.append(token)
        return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=16).hexdigest()


class PageRecord(NamedTuple):
    """What one page spec of the current site was made from, and the files it wrote."""

    signature: str
    files: tuple[tuple[str, str], ...]  # (path in the site, content hash)

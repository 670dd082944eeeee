"""Render stage: the site as pages in memory, Jinja2 over themes/<theme>/, both languages,
feeds and sitemap.

    render_site(site, config, memo=None, session=None) -> Pages

`Pages` is every file of the site as a page spec (pages.py), each rendered on demand
(`pages.render(spec)`, or iterate for every `(path, bytes)`); nothing touches the disk but
reading the theme. The write stage (builder/write.py) decides which specs to render.
With a memo, each spec also has a signature (`pages.signer`): a hash of everything it shows,
so an incremental build renders only specs whose signature changed.

    urls.py      the URL scheme (the one place that knows the base path)
    strings.py   UI strings, `t(key)` raising on a missing key
    views.py     view models: what pages show, from the model alone; fingerprints
    pages.py     page specs with their dependencies
    compose.py   a spec through the templates into files
    fastpath.py  the HTML of segments and side-by-side rows (a theme can override it)
    env.py       the theme's Jinja2 environment (StrictUndefined, autoescape)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import jinja2

from builder.cache.plan import Signer
from builder.config import Config
from builder.model import Site
from builder.render.compose import Composer, Output
from builder.render.env import environment, template_problem
from builder.render.fastpath import markup_for
from builder.render.pages import FEED_SIZE, LIST_PAGE_SIZE, PageSpec, page_specs
from builder.render.strings import Strings
from builder.render.urls import HTML_LANG, LANGS, OTHER, Urls
from builder.render.views import SiteFingerprints, SiteView, analyse_site, finders_for, keep_finders
from builder.session import Session

if TYPE_CHECKING:
    from builder.cache.memo import Memo


class Pages:
    """What render_site returns: the site's page specs and how to render each."""

    def __init__(self, specs: list[PageSpec], composer: Composer, signer: Signer | None, report: list[str] | None = None):
        self.specs = specs
        self.composer = composer
        self.signer = signer  # None without a memo: no signatures, every page is rendered
        self.report = report or []  # lines for the build report: what the site holds back, and why
        view = composer.view
        self.pending = [b for b in view.briefings if b.slug in view.pending_en]  # English awaiting translation

    def render(self, spec: PageSpec) -> list[Output]:
        """The files of one spec (a template error is a BuildError naming the template)."""
        try:
            return self.composer.render(spec.kind, spec.args)
        except jinja2.TemplateError as exc:
            raise template_problem(exc) from None

    def signature(self, spec: PageSpec) -> str | None:
        return self.signer.signature(spec.deps) if self.signer is not None else None

    def warm(self) -> None:
        """Before forking workers: compile the templates and work out pinyin once, shared."""
        try:
            self.composer.warm()
        except jinja2.TemplateError as exc:
            raise template_problem(exc) from None

    def __iter__(self) -> Iterator[Output]:
        for spec in self.specs:
            yield from self.render(spec)


def render_site(site: Site, config: Config, memo: Memo | None = None, session: Session | None = None) -> Pages:
    """The site's pages. `memo`: signatures, and mention analyses reused by content; `session`:
    the compiled theme, mention finders and pinyin of earlier builds in this process."""
    session = session or Session()
    theme = config.theme_dir
    everywhere = _everywhere(config, memo) if memo is not None else None
    env = environment(theme, session, everywhere, memo.folder / "jinja" if memo is not None else None)
    strings = Strings(theme)
    finders = finders_for(site.enterprises, session, memo)
    view = SiteView(site, analyse_site(site, finders, memo), finders, session.pinyin, strings,
                    publish_rule=config.publish_en, epoch=epoch_stamp())
    if memo is not None:
        keep_finders(finders, memo)
    urls = Urls(config.base_path, config.origin)
    try:
        markup = markup_for(view, urls, strings, env)
    except jinja2.TemplateError as exc:
        raise template_problem(exc) from None
    composer = Composer(view, config, env, strings, markup, theme)
    signer = Signer(SiteFingerprints(view, memo, everywhere or "")) if memo is not None else None
    return Pages(page_specs(view), composer, signer, publishing_report(view, config))


def epoch_stamp() -> str | None:
    """SOURCE_DATE_EPOCH as an Atom time, or None when it is not set: the stand-in time of a
    feed entry whose briefing has neither a date nor a first-seen day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def publishing_report(view: SiteView, config: Config) -> list[str]:
    """What the build says about English held back and briefings left out of the feeds."""
    lines = []
    if view.pending_en:
        n = len(view.pending_en)
        lines.append(f"English: {n} briefing{'s' if n != 1 else ''} awaiting translation (publish_en = "
                     f"\"{config.publish_en}\"): shown as \"translation pending\", not in the English feeds, "
                     "sitemap or search; `briefing check` lists them")
    unstamped = view.unstamped()
    if unstamped:
        n = len(unstamped)
        lines.append(f"feeds: {n} briefing{'s' if n != 1 else ''} left out (no date, no first-seen day in "
                     f"{config.content_dir}/.ingest-state.json, SOURCE_DATE_EPOCH not set): "
                     + ", ".join(b.path for b in unstamped[:5]) + (", …" if n > 5 else ""))
    return lines


def _everywhere(config: Config, memo: Memo) -> str:
    """Fingerprint of what every page depends on: the theme's files, the settings, the code."""
    theme = str(config.theme_dir) + os.sep
    pyproject = str(config.root / "pyproject.toml")
    picked = sorted((k, v) for k, v in memo.inputs.items() if k.startswith(("~", theme)) or k == pyproject)
    return SiteFingerprints.digest(picked)


__all__ = ["FEED_SIZE", "HTML_LANG", "LANGS", "LIST_PAGE_SIZE", "OTHER", "PageSpec", "Pages", "Strings", "Urls",
           "render_site"]

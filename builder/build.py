"""The only module that wires the stages together: one pipeline, run the same way by
`briefing build`, by `briefing serve` and by the tests.

    seeds/*.txt --ingest--> content/ --load--> Site --translate--> content/translations/en/*.po
                --attach--> Site with translations --render--> Pages --write--> site/ --> search index

Each stage is a function of the model. Given a memo (the build cache, builder/cache/) a stage
reuses what it holds and computes the rest; given none it computes everything (a cold build,
`--no-cache`). Given a worker pool it spreads its files over worker processes. No stage has a
second implementation for the cached or the parallel case.

Following `--base-url` from the command line to the written file:

    cli.run() -> cli.main(argv)                      parses the arguments, makes the Session
      -> cli._dispatch: config.with_base_url("/x/")  a new frozen Config (builder/config.py)
      -> build.run_build(config, say, session, …)    this module: Memo(config, session) (the
                                                     build cache) and WorkerPool(jobs)
           memo.up_to_date(search)                          nothing changed: done
      -> build._build(config, memo, pool, session, …)
           content.load_site(config, memo, pool)            -> Site
           translate.translate_site(config, site)           (only with a zh→en model installed)
           translate.attach_translations(config, site, memo, pool) -> Site with .translations
           translate.coverage(site, memo)                   -> the "English: …" report
           render.render_site(site, config, memo, session)  -> Pages (render/__init__.py)
             views.SiteView, pages.page_specs(view)          one PageSpec per file, with its deps
             compose.Composer: Urls(config.base_path, …)     render/urls.py: every URL
           write.write_site(pages, config.output, memo, pool, before_swap=search step)
             pages.signature(spec), memo.page(key, sig)      unchanged pages are linked, not rendered
             pages.render(spec) -> Composer.page_<kind>()    the theme's templates -> (path, bytes)
             Staging.replace(path, bytes), Staging.commit()  write.py: the atomic swap into site/
           memo.commit(report)                              cache/memo.py -> .briefing-cache/
             (the search step: search.index_site, Pagefind over the staged site before the swap)

A cached value found damaged on the way (cache/store.Damaged) makes run_build start _build
again with a memo that holds nothing: the cache costs time, never a wrong page.

Each `run_*` function is one CLI command; it reports through `say`. Problems are raised as
BuildError(s) and printed, with the exit code, by cli.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from builder.config import Config
from builder.errors import BuildError, BuildErrors
from builder.session import Session

if TYPE_CHECKING:
    from builder.cache.memo import Memo
    from builder.cache.pool import WorkerPool
    from builder.write import WriteReport

Say = Callable[[str], None]


def _locked(config: Config, what: str, say: Say, timeout: float | None):
    """The project lock (builder/lock.py): one run at a time writes this project."""
    from builder.lock import project_lock

    return project_lock(config.root, what, say, timeout)


def run_ingest(config: Config, say: Say, force: tuple[Path, ...] = (), lock_timeout: float | None = None) -> None:
    from builder import ingest

    with _locked(config, "ingest", say, lock_timeout):
        report = ingest.ingest_all(config, force=force)
    for line in report.lines():
        say(line)
    report.raise_problems()  # the articles that could not be ingested; the others were written


def run_translate(config: Config, say: Say, strict: bool = False, progress: bool = True,
                  lock_timeout: float | None = None) -> None:
    from builder import content, translate

    with _locked(config, "translate", say, lock_timeout):
        site = content.load_site(config)
        moved = translate.follow_renames(config, site)
        report = translate.translate_site(config, site, progress=progress)
    for line in [*moved, *report.lines()]:
        say(line)
    if strict and (report.missing or report.flagged):
        raise BuildError(None, None, f"--strict: {report.missing} segments untranslated, {report.flagged} flagged")


def run_import(config: Config, say: Say, path: Path, lock_timeout: float | None = None) -> None:
    from builder import content, translate

    with _locked(config, "translate --import", say, lock_timeout):
        site = content.load_site(config)
        report = translate.import_reviewed(path, site, config)
    for line in report.lines():
        say(line)


def run_build(config: Config, say: Say, session: Session | None = None, *, strict: bool = False,
              translate: bool = True, search: bool = True, progress: bool = True, jobs: int | None = None,
              cache: bool = True, lock_timeout: float | None = None) -> None:
    """Build site/: ingest, load, translate (when a model is installed and `translate`), attach
    the translations, render, write, index for search. `cache`: use and update the build
    cache; `jobs`: worker processes (default one per core; 1: all in this process). The
    whole run holds the project lock, so a second build waits and then sees this one's site."""
    with _locked(config, "build", say, lock_timeout):
        _run_build(config, say, session, strict=strict, translate=translate, search=search, progress=progress,
                   jobs=jobs, cache=cache)


def _run_build(config: Config, say: Say, session: Session | None, *, strict: bool, translate: bool, search: bool,
               progress: bool, jobs: int | None, cache: bool) -> None:
    from builder import guard, ingest
    from builder import translate as tr
    from builder.cache.memo import Memo
    from builder.cache.pool import WorkerPool
    from builder.cache.store import Damaged

    started = time.perf_counter()
    session = session or Session()
    guard.check_output(config)  # before anything is written: the output folder is the build's own
    guard.check_theme(config)  # and the theme publishes only its own files
    if search:
        from builder.search import pagefind_executable

        pagefind_executable()  # missing: say so before the work, not after it
    ingested = ingest.ingest_all(config)
    for line in _ingest_lines(ingested):
        say(line)
    pool = WorkerPool(jobs or os.cpu_count() or 1)
    memo = Memo(config, session) if cache else None
    use_engine = translate and tr.engine_available(config)
    if memo is not None and not use_engine and not strict and memo.up_to_date(search):
        for line in memo.last_report:
            say(line)
        say(f"{config.output_dir}/ is up to date ({_pages(memo.last_pages)}; no input changed since the last build)")
        _raise_ingest_problems(ingested)
        return
    try:
        report, written = _build(config, memo, pool, session, strict=strict, engine=use_engine, progress=progress,
                                 search=search)
    except Damaged as exc:  # found before anything was swapped in: the previous site is whole
        session.note(f"{exc}; building again without the cache")
        memo = Memo(config, session, cold=True)
        report, written = _build(config, memo, pool, session, strict=strict, engine=use_engine, progress=progress,
                                 search=search)
    for line in report:
        say(line)
    # what the build did, in one line, last: the lines above say only what needs a look
    say(f"built {_pages(written.pages)} ({written.pages_written} changed) in {time.perf_counter() - started:.1f} s")
    _raise_ingest_problems(ingested)


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _ingest_lines(ingested) -> list[str]:
    """What ingest did, as a build reports it: the pages it wrote, its notes and what to review,
    with its summary; nothing when every page was already up to date (a build of a thousand
    unchanged briefings does not list them)."""
    if not (ingested.written or ingested.notes or ingested.unknown or ingested.problems):
        return []
    files = set(ingested.files)
    return [line for line in ingested.lines() if line not in files and not line.startswith("unchanged ")]


def _raise_ingest_problems(ingested) -> None:
    """An article that could not be ingested does not keep the others off the site, but the
    build still fails, so that someone looks at it."""
    if ingested.problems:
        raise BuildErrors(ingested.problems, note="the site was built from the other articles")


def _build(config: Config, memo: Memo | None, pool: WorkerPool, session: Session, *, strict: bool, engine: bool,
           progress: bool, search: bool) -> tuple[list[str], WriteReport]:
    """load -> translate -> attach -> render -> write (with the search index, made in the
    staged site before the swap), then commit the memo; returns the report lines (said once
    the site is in place) and what was written."""
    from builder import content, render, write
    from builder import translate as tr

    report = []
    if memo is not None and not memo.inputs:
        memo.scan()
    site = content.load_site(config, memo, pool)
    moved = tr.follow_renames(config, site)
    report += moved
    if moved and memo is not None:
        memo.scan()  # memory files moved to the renamed briefings' slugs
    if engine:
        report += tr.translate_site(config, site, progress=progress).lines()
        if memo is not None:
            memo.scan()  # the memory files changed
    site = tr.attach_translations(config, site, memo, pool)
    coverage = tr.coverage(site, memo)
    if strict and (coverage.missing or coverage.flagged):
        raise BuildError(None, None, f"--strict: {coverage.missing} segments untranslated, "
                                     f"{coverage.flagged} flagged; nothing was written")
    pages = render.render_site(site, config, memo, session)
    if strict and pages.pending:
        raise BuildError(None, None,
                         f"--strict: {len(pages.pending)} briefing(s) below publish_en = \"{config.publish_en}\" "
                         "(English awaiting translation; `briefing check` lists them); nothing was written")
    searched: list[str] = []
    index = _search_step(config, memo, searched) if search else None
    written = write.write_site(pages, config.output, memo, pool, before_swap=index)
    if memo is not None:
        memo.commit([*coverage.lines(), *pages.report], search=search, pages=written.pages)
    return [*report, *coverage.lines(), *pages.report, *searched], written


def _search_step(config: Config, memo: Memo | None, report: list[str]) -> Callable[[Path, bool], list[str]]:
    """The search stage, run by the write stage on the staged site before it is swapped in
    (so the live site is always one whole build with its own index, and a build killed while
    indexing leaves the previous one). When the staged pages are exactly the current site's
    and that site's index is whole, the index is linked from it instead of made again."""
    from builder import search as search_index
    from builder import write

    def index(staged: Path, same_pages: bool) -> list[str]:
        if same_pages and memo is not None and memo.has_search_index():
            files = write.link_tree(config.output / search_index.BUNDLE, staged / search_index.BUNDLE,
                                    not_after_ns=memo.site_written_at())
            if files is not None:
                report.append(f"search: index unchanged -> {config.output_dir}/{search_index.BUNDLE}/")
                return [f"{search_index.BUNDLE}/{rel}" for rel in files]
        report.extend(search_index.index_site(config, staged))
        return search_index.bundle_files(staged)

    return index


def run_check(config: Config, say: Say, strict: bool = False) -> None:
    from builder import check

    check.run(config, say, strict=strict)


def run_models_install(config: Config, say: Say, path: Path | None = None, download: bool = False) -> None:
    from builder.translate import models

    for line in (models.download_zh_en() if download else models.install_file(path)):
        say(line)


def run_models_list(config: Config, say: Say) -> None:
    from builder.translate import models

    for line in models.list_models():
        say(line)

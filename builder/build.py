"""The only module that wires the stages together.

    seeds/*.txt --ingest--> content/ --translate--> content/translations/en/*.po
                --render--> pages in memory --write--> site/ (atomic swap) --> search index

Each `run_*` function is one CLI command; it returns the exit code and reports through
`say`. Errors are raised as BuildError(s) and printed by cli.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from builder.config import Config
from builder.errors import BuildError

Say = Callable[[str], None]


def run_ingest(config: Config, say: Say, force=()) -> int:
    from builder import ingest

    report = ingest.ingest_all(config, force=force)
    for line in report.lines():
        say(line)
    report.raise_problems()  # the articles that could not be ingested; the others were written
    return 0


def run_translate(config: Config, say: Say, strict: bool = False, progress: bool = True) -> int:
    from builder import content, translate

    site = content.load_site(config)
    report = translate.translate_site(config, site, progress=progress)
    for line in report.lines():
        say(line)
    if strict and (report.missing or report.flagged):
        raise BuildError(None, None, f"--strict: {report.missing} segments untranslated, {report.flagged} flagged")
    return 0


def run_import(config: Config, say: Say, path) -> int:
    from builder import content, translate

    site = content.load_site(config)
    report = translate.import_reviewed(path, site, config)
    for line in report.lines():
        say(line)
    return 0


def run_build(config: Config, say: Say, strict: bool = False, translate: bool = True,
              search: bool = True, progress: bool = True, jobs: int | None = None, cache: bool = True) -> int:
    """Build site/. The build cache (builder/incremental.py) makes a rebuild redo only what
    changed; `jobs` worker processes render (default: one per core; 1 = all in this process)."""
    from builder import guard, incremental, ingest
    from builder import translate as tr

    guard.check_output(config)  # before anything is written: the output folder is the build's own
    incremental.tune_gc()
    ingested = ingest.ingest_all(config)
    for line in ingested.lines():
        say(line)
    ingested.raise_problems()
    jobs = max(1, jobs or os.cpu_count() or 1)
    build_cache = incremental.BuildCache(config, enabled=cache)
    use_engine = translate and tr.engine_available(config)
    if not use_engine and not strict and build_cache.up_to_date(search):
        for line in build_cache.manifest.get("report", []):
            say(line)
        say(f"{config.output_dir}/ is up to date (no input changed since the last build)")
        return 0
    if not build_cache.inputs:
        build_cache.rescan()
    site, hashes = incremental.load_site(config, build_cache, jobs,
                                         attach=None if use_engine else tr.attach_translations)
    if use_engine:
        for line in tr.translate_site(config, site, progress=progress).lines():
            say(line)
        build_cache.rescan()
    site, fingerprints = incremental.attach_translations(config, site, build_cache, hashes, jobs,
                                                         tr.attach_translations)
    coverage = incremental.coverage(site, build_cache, tr.coverage)
    for line in coverage.lines():
        say(line)
    if strict and (coverage.missing or coverage.flagged):
        raise BuildError(None, None, f"--strict: {coverage.missing} segments untranslated, "
                                     f"{coverage.flagged} flagged; nothing was written")
    total, rendered = incremental.render_and_write(config, site, build_cache, fingerprints, jobs)
    build_cache.save(search=False, report=coverage.lines())
    unchanged = f"; {total - rendered} unchanged" if rendered < total else ""
    say(f"wrote {total} files to {config.output_dir}/ (base path {config.base_path}){unchanged}")
    if search:
        from builder import search as search_index

        for line in search_index.index_site(config):
            say(line)
        build_cache.save(search=True, report=coverage.lines(), state=False)
    return 0


def run_check(config: Config, say: Say, strict: bool = False) -> int:
    from builder import check

    return check.run(config, say, strict=strict)


def run_models_install(config: Config, say: Say, path=None, download: bool = False) -> int:
    from builder.translate import models

    for line in (models.download_zh_en() if download else models.install_file(path)):
        say(line)
    return 0


def run_models_list(config: Config, say: Say) -> int:
    from builder.translate import models

    for line in models.list_models():
        say(line)
    return 0

"""The only module that wires the stages together.

    seeds/*.txt --ingest--> content/ --translate--> content/translations/en/*.po
                --render--> pages in memory --write--> site/ (atomic swap) --> search index

Each `run_*` function is one CLI command; it returns the exit code and reports through
`say`. Errors are raised as BuildError(s) and printed by cli.py.
"""

from __future__ import annotations

from typing import Callable

from builder.config import Config
from builder.errors import BuildError

Say = Callable[[str], None]


def run_ingest(config: Config, say: Say) -> int:
    from builder import ingest

    report = ingest.ingest_all(config)
    for line in report.lines():
        say(line)
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
              search: bool = True, progress: bool = True) -> int:
    from builder import content, ingest, render, write
    from builder import translate as tr

    for line in ingest.ingest_all(config).lines():
        say(line)
    site = content.load_site(config)
    if translate and tr.engine_available(config):
        for line in tr.translate_site(config, site, progress=progress).lines():
            say(line)
    site = tr.attach_translations(config, site)
    coverage = tr.coverage(site)
    for line in coverage.lines():
        say(line)
    if strict and (coverage.missing or coverage.flagged):
        raise BuildError(None, None, f"--strict: {coverage.missing} segments untranslated, "
                                     f"{coverage.flagged} flagged; nothing was written")
    outputs = render.render_site(site, config)
    write.write_site(outputs, config.output)
    say(f"wrote {len(outputs)} files to {config.output_dir}/ (base path {config.base_path})")
    if search:
        from builder import search as search_index

        for line in search_index.index_site(config):
            say(line)
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

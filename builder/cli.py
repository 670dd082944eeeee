"""Command line: argument parsing, and the ONLY place that prints errors and picks exit codes.

Tracebacks only with --debug (which also says why a build cache could not be used).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from builder import __version__
from builder.errors import BuildError, BuildErrors
from builder.session import Session

EXIT_OK = 0
EXIT_PROBLEMS = 1  # the input has problems, each printed as `path:line: message`
EXIT_USAGE = 2  # wrong arguments (argparse's own code)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Build the bilingual Xuzhou briefing site: ingest raw articles, translate them "
                    "offline through a translation memory, render a static site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-C", "--project", type=Path, default=None, metavar="DIR",
                        help="project folder (default: the nearest one with pyproject.toml)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--lock-timeout", type=float, default=None, metavar="SECONDS",
                        help="when another run is building this project, give up after SECONDS "
                             "instead of waiting for it")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("ingest", help="turn raw articles in seeds/ into briefing pages under content/")
    p.add_argument("--force", action="append", type=Path, default=[], metavar="FILE",
                   help="re-ingest this briefing page (or raw file in seeds/) even if edited by hand; "
                        "the old page is kept in .briefing-backup/ (repeatable)")

    p = sub.add_parser("translate", help="fill the English translation memory with the installed model")
    p.add_argument("--strict", action="store_true", help="fail if any segment is left untranslated or flagged")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--import", dest="import_file", type=Path, metavar="FILE.yaml",
                   help="store reviewed English from a YAML list of {zh, en, note} instead of translating")
    p.add_argument("--show-masked", metavar="SEGMENT",
                   help="print what the engine is sent for a segment (an id like s1.p2.1 or slug:s1.p2.1, "
                        "or Chinese text) with its placeholder table; translates nothing")

    p = sub.add_parser("build", help="ingest, translate (when a model is installed) and render site/")
    p.add_argument("--base-url", help="URL or path the site is published under, e.g. /xuzhou-briefing/")
    p.add_argument("--strict", action="store_true", help="fail if any English segment is missing or flagged")
    p.add_argument("--no-translate", action="store_true", help="use the translation memory as it is")
    p.add_argument("--no-search", action="store_true", help="skip the search index (Pagefind)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                   help="worker processes for parsing and rendering (default: one per core; 1 = none)")
    p.add_argument("--no-cache", action="store_true",
                   help="ignore and do not update .briefing-cache/ (a full, cold build)")

    p = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload on changes")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--base-url", help="serve under this base path, e.g. /xuzhou-briefing/")
    p.add_argument("--no-build", action="store_true", help="serve site/ as it is, without building or watching")
    p.add_argument("--no-search", action="store_true", help="skip the search index when rebuilding")

    p = sub.add_parser("check", help="lint content, glossary, translation coverage; non-zero on problems")
    p.add_argument("--strict", action="store_true", help="also fail on machine-translated (unreviewed) segments")

    p = sub.add_parser("models", help="install and list Argos Translate models")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    mi = msub.add_parser("install", help="install a .argosmodel file, or --download translate-zh_en")
    mi.add_argument("file", nargs="?", type=Path, help="path to a .argosmodel file")
    mi.add_argument("--download", action="store_true", help="fetch zh→en from the Argos package index")
    msub.add_parser("list", help="show installed models and where they live")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _say(message: str = "") -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run() -> None:
    """The console script (and `python -m builder`): `main`, tuned for a process that builds
    once and exits.

    A build holds a few million small, long-lived objects (the parsed archive and the cache's
    state): with the default thresholds the cyclic collector walks them again and again, while
    almost all the garbage a build makes is freed by reference counting anyway, so it runs far
    less often. At the end the process leaves without tearing the interpreter down (freeing
    those objects one by one costs more than a small rebuild's real work); by then every file
    is written and closed, and a cache save still running in a thread is waited for."""
    gc.set_threshold(100_000, 50, 100)
    session = Session()
    code = main(session=session)
    session.wait_for_saving()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None, session: Session | None = None) -> int:
    args = _parser().parse_args(argv)
    session = session or Session()
    if args.debug:
        session.debug = _err
    try:
        _dispatch(args, session)
        return EXIT_OK
    except (BuildError, BuildErrors) as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            _err(f"error: {problem}")
        if len(exc.problems) > 1:
            _err(f"{len(exc.problems)} problems; {exc.note if isinstance(exc, BuildErrors) else 'nothing was written'}")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:
        if args.debug:
            raise
        where = getattr(exc, "filename", None)
        _err(f"error: {where + ': ' if where else ''}{exc.strerror or exc}")
        return EXIT_PROBLEMS
    finally:
        session.wait_for_saving()


def _dispatch(args: argparse.Namespace, session: Session) -> None:
    from builder import build
    from builder.config import load_config

    config = load_config(args.project)
    if args.command == "ingest":
        build.run_ingest(config, _say, force=tuple(args.force or ()), lock_timeout=args.lock_timeout)
    elif args.command == "translate":
        if args.show_masked:
            from builder import content, translate

            for line in translate.show_masked(config, content.load_site(config), args.show_masked):
                _say(line)
        elif args.import_file:
            build.run_import(config, _say, args.import_file, lock_timeout=args.lock_timeout)
        else:
            build.run_translate(config, _say, strict=args.strict, progress=not args.no_progress,
                                lock_timeout=args.lock_timeout)
    elif args.command == "build":
        from builder.config import loopback_warning

        if args.base_url:
            config = config.with_base_url(args.base_url)
        warning = loopback_warning(config, given=bool(args.base_url))
        if warning:
            _err(warning)
        build.run_build(config, _say, session, strict=args.strict, translate=not args.no_translate,
                        search=not args.no_search, progress=not args.no_progress, jobs=args.jobs,
                        cache=not args.no_cache, lock_timeout=args.lock_timeout)
    elif args.command == "serve":
        from builder import serve

        if args.base_url:
            config = config.with_base_url(args.base_url)
        serve.serve(config, _say, host=args.host, port=args.port, build=not args.no_build,
                    search=not args.no_search, session=session, lock_timeout=args.lock_timeout)
    elif args.command == "check":
        build.run_check(config, _say, strict=args.strict)
    elif args.command == "models":
        if args.models_command == "install":
            if bool(args.file) == bool(args.download):
                raise BuildError(None, None, "give either a .argosmodel file or --download")
            build.run_models_install(config, _say, path=args.file, download=args.download)
        else:
            build.run_models_list(config, _say)
    else:
        raise AssertionError(args.command)

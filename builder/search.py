"""Static search: Pagefind (extended binary, which segments Chinese) over the built site/.

Pagefind reads the pages' `lang` attribute and builds one index per language; pages mark
what to index with `data-pagefind-body` and carry `data-pagefind-filter` for district and
industry. The bundle lands in site/pagefind/, which the search pages load through the
base path (`bundlePath` and `baseUrl` in static/search.js come from the page).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError

BUNDLE = "pagefind"  # the index's folder inside the site
INSTALL_HINT = "install it with: pip install 'pagefind[extended]' (or build with --no-search)"


def pagefind_executable() -> Path:
    """The extended Pagefind binary from the pagefind-bin-extended wheel."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError(None, None, f"search index: the extended Pagefind binary is not installed; {INSTALL_HINT}") from None
    path = Path(get_executable())
    if not path.is_file():
        raise BuildError(str(path), None, f"search index: Pagefind binary missing; {INSTALL_HINT}")
    return path


def _die_with_parent() -> None:
    """In the Pagefind process before it starts (Linux): killed when the build is, so a killed
    build leaves no Pagefind writing into a folder the next build reuses."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def index_site(config: Config, site: Path | None = None) -> Iterator[str]:
    """Index `site` (the staged site of a build; default: the output folder) into its
    pagefind/ folder."""
    site = config.output if site is None else site
    if not (site / "index.html").is_file():
        raise BuildError(config.output_dir, None, "search index: no built site here; run `briefing build` first")
    binary = pagefind_executable()
    try:
        result = subprocess.run([str(binary), "--site", str(site), "--output-subdir", BUNDLE],
                                capture_output=True, text=True, timeout=600,
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    except OSError as exc:
        raise BuildError(str(binary), None, f"search index: cannot run Pagefind: {exc.strerror or exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError(config.output_dir, None, "search index: Pagefind failed: " + (detail[-1] if detail else f"exit {result.returncode}"))
    yield summary(result.stdout, config.output_dir)


def bundle_files(site: Path) -> list[str]:
    """Every file of the index Pagefind wrote into `site` (relative to it)."""
    found = []
    for folder, _dirs, files in os.walk(site / BUNDLE):
        rel = os.path.relpath(folder, site)
        found += [f"{rel}/{name}" for name in files]
    return sorted(found)


def summary(stdout: str, output_dir: str) -> str:
    """One report line from Pagefind's log, e.g. 'search: 38 pages indexed (en, zh-hans), 9000 words, …'."""
    pages = re.search(r"Indexed (\d+) pages?", stdout)
    words = re.search(r"Indexed (\d+) words?", stdout)
    langs = re.search(r"Discovered \d+ languages?: (.+)", stdout)
    filters = re.search(r"Indexed (\d+) filters?", stdout)
    parts = [f"search: {pages.group(1) if pages else '?'} pages indexed"]
    if langs:
        parts[0] += " (" + ", ".join(sorted(lang.strip() for lang in langs.group(1).split(","))) + ")"
    if words:
        parts.append(f"{words.group(1)} words")
    if filters:
        parts.append(f"{filters.group(1)} filters")
    return ", ".join(parts) + f" -> {output_dir}/pagefind/ (Pagefind extended)"

"""The fixture project (tests/fixtures/site/): two briefings, taxonomy, glossary and a
translation memory with every status a reader can see (reviewed, machine, flagged, stale,
missing, a translator's note). Tests build it the way a user does, through the CLI."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from builder import cli
from builder.config import load_config

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "site"
BUILD = ["build", "--no-search", "--no-translate", "--no-progress"]


def fixture_config(base_url: str | None = None, root: Path = FIXTURE):
    config = dataclasses.replace(load_config(root), themes_dir=str(REPO / "themes"))
    return config.with_base_url(base_url) if base_url else config


def copy_fixture(root: Path) -> Path:
    """A copy of the fixture project at `root` (nothing is ever built inside the repository)."""
    shutil.copytree(FIXTURE, root)
    return root


def build(project: Path, *options: str) -> None:
    """`briefing -C project build --no-search --no-translate --no-progress *options`."""
    assert cli.main(["-C", str(project), *BUILD, *options]) == 0


def build_fixture(target: Path, base_url: str | None = None) -> Path:
    """The fixture site built cold through the CLI, moved to `target`."""
    with tempfile.TemporaryDirectory(dir=Path(target).parent) as tmp:
        project = copy_fixture(Path(tmp) / "project")
        build(project, "--no-cache", *(["--base-url", base_url] if base_url else []))
        (project / "site").rename(target)
    return target


def files(root: Path) -> dict[str, bytes]:
    """Every file below `root` by its path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fixture_files(base_url: str | None = None) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        return files(build_fixture(Path(tmp) / "site", base_url))

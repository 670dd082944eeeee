"""Shared fixtures: a small valid project copied into tmp_path, so no test writes into the repo."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Tests never touch the real home directory (argos keeps models and settings there)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("BRIEFING_NO_FSYNC", "1")
    yield


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of tests/fixtures/base: one valid briefing, taxonomy and glossary."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "base", root)
    return root


def tree_digest(root: Path) -> dict[str, str]:
    """Every file below root with its sha256: to prove that nothing was written or lost."""
    result = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                result[str(path.relative_to(root))] = "link:" + os.readlink(path)
            else:
                result[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per browser-test module (tests/chromium.py); skipped where it is missing."""
    from chromium import chromium_driver, require_browser

    require_browser()
    with chromium_driver() as driver:
        yield driver

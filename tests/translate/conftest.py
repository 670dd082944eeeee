"""Fixtures for the translate stage.

Argos Translate reads and creates folders under HOME / XDG_* as soon as it is imported, so
this file points all of them into a throw-away folder before anything imports it: the
tests never touch the real home directory. Each test that installs a model gets its own
ARGOS_PACKAGES_DIR under tmp_path.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_HOME = tempfile.mkdtemp(prefix="briefing-test-home-")
for _key, _sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_CACHE_HOME", "cache")):
    os.environ[_key] = str(Path(_HOME) / _sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(Path(_HOME) / "packages")
os.environ.setdefault("BRIEFING_NO_FSYNC", "1")

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_ba374b0bc59d2438.txt"


def pytest_unconfigure(config):
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A real .argosmodel (SentencePiece + random-weight CTranslate2 Transformer), built once."""
    from bench.tinymodel import build_argosmodel

    return build_argosmodel(SEED.read_text(encoding="utf-8"),
                            tmp_path_factory.mktemp("argos") / "translate-zh_en-tiny.argosmodel")


@pytest.fixture
def argos_env(tmp_path, monkeypatch) -> Path:
    """An empty Argos package folder for this test."""
    packages = tmp_path / "argos-packages"
    packages.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return packages


@pytest.fixture
def installed(tiny_model, argos_env) -> Path:
    from builder.translate import models

    models.install_file(tiny_model)
    return argos_env


from tiny_project import write_project  # noqa: E402


@pytest.fixture
def project(tmp_path) -> Path:
    return write_project(tmp_path / "project")

"""Golden site: the fixture project rendered at / must match tests/golden/ byte for byte.

When output changes on purpose, regenerate and review the diff in the commit:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from fixture_site import render_fixture

GOLDEN = Path(__file__).parent / "golden"
# theme assets are not part of the golden output: CSS tweaks should not churn it
SKIP = ("static/",)


def test_fixture_site_matches_golden(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outputs = {path: data for path, data in render_fixture() if not path.startswith(SKIP)}
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in outputs.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(outputs) == sorted(expected), "pages added or removed; regenerate with UPDATE_GOLDEN=1"
    changed = [path for path in outputs if outputs[path] != expected[path]]
    assert not changed, f"output differs from tests/golden/ in {changed}; if intended, UPDATE_GOLDEN=1"

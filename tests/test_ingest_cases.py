"""Ingest cases: one file per article shape in tests/ingest_cases/.

Each file holds the raw input, then a line `----- expected -----`, then the Markdown ingest must
write for it (several articles on one page are separated by `----- next article -----`).
To add a shape, write a file with the raw input only and run

    INGEST_CASES_REGEN=1 .venv/bin/python -m pytest tests/test_ingest_cases.py

which fills in the expected part; review it by eye before committing (the diff is the review).
The cases are classified with the project's own content/taxonomy.yaml and glossary (read only).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from builder import ingest
from builder.content import parse_briefing, parse_glossary, parse_taxonomy
from builder.glossary import MentionFinder

CASES = Path(__file__).parent / "ingest_cases"
REPO = Path(__file__).parent.parent
EXPECTED = "----- expected -----"
NEXT = "----- next article -----"


def _context():
    districts, industries = parse_taxonomy((REPO / "content/taxonomy.yaml").read_text(encoding="utf-8"), "taxonomy")
    enterprises = parse_glossary((REPO / "content/glossary/enterprises.yaml").read_text(encoding="utf-8"), "glossary")
    return districts, industries, MentionFinder(enterprises)


def render_case(raw: str, name: str) -> list[str]:
    districts, industries, finder = _context()
    filename = f"seeds/{name}.txt"
    sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    drafts = ingest.parse_page(raw, filename)
    return [ingest.render_markdown(ingest.annotate(d, districts=districts, industries=industries,
                                                   finder=finder, sha256=sha)) for d in drafts]


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case(path: Path):
    text = path.read_text(encoding="utf-8")
    raw, _, expected = text.partition("\n" + EXPECTED + "\n")
    raw = raw + "\n" if expected else text.rstrip("\n") + "\n"
    pages = render_case(raw, path.stem)
    if os.environ.get("INGEST_CASES_REGEN") or not expected:
        path.write_text(raw.rstrip("\n") + "\n" + EXPECTED + "\n" + ("\n" + NEXT + "\n").join(pages), encoding="utf-8")
        pytest.skip("expected output (re)written; review the diff")
    assert ("\n" + NEXT + "\n").join(pages) == expected
    for page in pages:  # every page is a valid briefing
        parse_briefing(page, path.name)

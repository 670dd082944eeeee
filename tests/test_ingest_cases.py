"""Ingest cases: one file per article shape in tests/ingest_cases/.

Each file holds the raw input, then a line `----- expected -----`, then the Markdown ingest must
write for it (several articles on one page are separated by `----- next article -----`), then
optionally `----- report -----` and the review and error lines ingest must print for it, and
`----- known misses -----` (see tests/ingest_eval.py): fields an editor would write differently,
as ingest writes them today; the test checks ingest's, the evaluation scores the editor's. A first
line `#case file=seeds/x.html encoding=gbk` feeds the input under that name and in that encoding
(the case file itself is UTF-8). tests/ingest_eval.py reads the same files and scores them field
by field.

To add a shape, write a file with the raw input and the expected Markdown as an editor would
write it (that is the point: the expectation comes from the source, not from the code). For a
change of output on purpose,

    INGEST_CASES_REGEN=1 .venv/bin/python -m pytest tests/test_ingest_cases.py

rewrites every expected part from the code; review the diff before committing.
The cases are classified with content/taxonomy.yaml and the fixture glossary
tests/ingest_cases/glossary.yaml (read only).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_eval import CASES, EXPECTED, KNOWN, NEXT, REPORT, case_context, read_case, run_case

from builder.content import parse_briefing

CONTEXT = case_context()


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case(path: Path):
    case = read_case(path)
    pages, report = run_case(case, CONTEXT)
    if os.environ.get("INGEST_CASES_REGEN") or not case.expected:
        original = path.read_text(encoding="utf-8")
        known = original.partition("\n" + KNOWN + "\n")[2]
        text = original.split("\n" + EXPECTED + "\n")[0].rstrip("\n")
        text += "\n" + EXPECTED + "\n" + ("\n" + NEXT + "\n").join(case.keep_editor(pages))
        if report:
            text += "\n" + REPORT + "\n" + "\n".join(report) + "\n"
        if known:  # the editor's expectations stay; regenerating never hides a known miss
            text = text.rstrip("\n") + "\n" + KNOWN + "\n" + known
        path.write_text(text, encoding="utf-8")
        pytest.skip("expected output (re)written; review the diff")
    assert ("\n" + NEXT + "\n").join(pages) == ("\n" + NEXT + "\n").join(case.expected_of_ingest())
    assert report == case.report
    for page in pages:  # every page is a valid briefing
        parse_briefing(page, path.name)

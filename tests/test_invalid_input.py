"""One fixture per bad input (tests/invalid_cases/*.yaml): the exact error text, a non-zero exit,
and nothing written or lost.

A case file has `files` (path -> text to write over the base fixture project), optionally
`binary` (path -> base64 bytes) and `symlinks` (path -> link target), and `error`: the exact
stderr the user sees. To add a case, drop a new YAML file in tests/invalid_cases/.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
import yaml

from builder import cli
from conftest import tree_digest

CASES = sorted((Path(__file__).parent / "invalid_cases").glob("*.yaml"))


def _apply(case: dict, root: Path) -> None:
    for rel, text in (case.get("files") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel, data in (case.get("binary") or {}).items():
        (root / rel).write_bytes(base64.b64decode(data))
    for rel, target in (case.get("symlinks") or {}).items():
        os.symlink(target, root / rel)


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_check_reports_exact_error(case_path, project, capsys):
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    _apply(case, project)
    before = tree_digest(project)
    code = cli.main(["-C", str(project), "check"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert err.strip() == case["error"].strip()
    assert tree_digest(project) == before  # check never writes

"""One fixture per bad input (tests/invalid_cases/*.yaml): the exact error text, a non-zero exit,
and nothing written or lost.

A case file has `files` (path -> text to write over the base fixture project), optionally
`binary` (path -> base64 bytes), `symlinks` (path -> link target) and `generate`
(path -> {repeat: text, times: n}, for files too big to keep in the repository), and:

  error        the exact stderr of the command (`check` unless `command` says `ingest`)
  build_error  the exact stderr of `build --no-search --no-translate`; defaults to `error`.
               `null` when the build must succeed (translation problems are reported by
               `check`, but do not stop a build that is not --strict)

Before the bad input is applied, the project is built once, so every case also shows that a
failed build leaves the previous site/ exactly as it was, and that no command changed a file
the user wrote (content, translations, seeds). To add a case, drop a new YAML file in
tests/invalid_cases/.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
import yaml
from conftest import tree_digest

from builder import cli

CASES = sorted((Path(__file__).parent / "invalid_cases").glob("*.yaml"))
BUILD = ["build", "--no-search", "--no-translate", "--no-progress"]


def _apply(case: dict, root: Path) -> None:
    for rel, text in (case.get("files") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel, data in (case.get("binary") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(base64.b64decode(data))
    for rel, spec in (case.get("generate") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(spec["repeat"].encode("utf-8") * int(spec["times"]))
    for rel, target in (case.get("symlinks") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)


def _users_files(digest: dict[str, str]) -> dict[str, str]:
    # the build's own outputs: site/, the previous site kept beside it for incremental builds
    # (.site.spare), and the build cache
    return {path: sha for path, sha in digest.items()
            if not path.startswith(("site", ".site.", ".briefing-cache"))}


def _but_lock(digest: dict[str, str]) -> dict[str, str]:
    return {path: sha for path, sha in digest.items() if path != ".briefing-cache/lock"}


def _run(argv: list[str], capsys) -> tuple[int, str]:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip()


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_bad_input_gives_the_exact_error_and_loses_nothing(case_path, project, capsys):
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 0, err
    _apply(case, project)
    before = tree_digest(project)
    assert any(path.startswith("site/") for path in before)

    code, err = _run(["-C", str(project), case.get("command", "check")], capsys)
    assert (code, err) == (1, case["error"].strip())
    # a failed command writes nothing (the project lock records who held it last, nothing else)
    assert _but_lock(tree_digest(project)) == _but_lock(before)

    expected = case.get("build_error", case["error"])
    code, err = _run(["-C", str(project), *BUILD], capsys)
    if expected is None:
        assert code == 0, err
        assert _users_files(tree_digest(project)) == _users_files(before)
    else:
        assert (code, err) == (1, expected.strip())
        assert tree_digest(project) == before  # the previous site/ is untouched

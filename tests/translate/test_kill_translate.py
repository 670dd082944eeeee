"""Kill `briefing translate` mid-run (SIGKILL, at random moments): every PO file still parses,
and nothing translated before the kill is lost.

The project is the real seed content (two briefings, 82 segments) without its memory, the model
is the tiny random-weight one made to decode every sentence to the 256-token limit (the normal
tiny model ends after a few dozen and translates all 82 before a kill can land), and the batch
size is 1 with one worker, so a run writes the memory dozens of times and a kill lands between,
or in the middle of, those writes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.translate import memory

pytestmark = pytest.mark.slow  # a real translate killed mid-run: CI runs them (-m '')

ROOT = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    for name in ("briefings", "glossary"):
        shutil.copytree(ROOT / "content" / name, root / "content" / name)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    (root / "pyproject.toml").write_text('[tool.briefing]\ntitle_en = "Test"\ntranslate_beam_size = 1\n'
                                         'translate_batch_size = 1\ntranslate_inter_threads = 1\n',
                                         encoding="utf-8")
    return root


def _memory(root: Path) -> dict[tuple[str, str], str]:
    """(file, segment id) -> English of every translated entry; every file must parse strictly."""
    entries = {}
    for path in sorted((root / "content" / "translations" / "en").glob("*.po")):
        po = memory.parse_po(path.read_text(encoding="utf-8"), path.name)  # raises if damaged
        for entry in po:
            if entry.msgstr and not entry.obsolete:
                entries[(path.name, entry.msgctxt)] = entry.msgstr
    return entries


def _translate(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "builder", "-C", str(root), "translate", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=dict(os.environ))


@pytest.fixture(scope="module")
def slow_model(tmp_path_factory) -> Path:
    from bench.tinymodel import build_argosmodel

    seed = (ROOT / "seeds" / "000_ba374b0bc59d2438.txt").read_text(encoding="utf-8")
    return build_argosmodel(seed, tmp_path_factory.mktemp("argos-slow") / "translate-zh_en-slow.argosmodel",
                            eos_bias=-1000.0)  # </s> never wins: 256 tokens per sentence


def test_sigkill_during_translate_keeps_every_finished_entry(slow_model, argos_env, tmp_path):
    from builder.translate import models

    models.install_file(slow_model)
    root = _project(tmp_path)
    rng = random.Random(20261126)
    seen: dict[tuple[str, str], str] = {}
    kills = 0
    start = time.monotonic()
    for round_ in range(8):
        proc = _translate(root)
        # wait until this run has added at least one entry (model load takes a moment), then a
        # little more, then kill it wherever it is
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if len(_memory(root)) > len(seen):  # also proves a reader never sees a half-written file
                break
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.15))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        proc.stderr.close()
        after = _memory(root)
        lost = {key: en for key, en in seen.items() if after.get(key) != en}
        assert lost == {}, f"round {round_}: entries translated before the kill are gone or changed"
        seen = after
        assert time.monotonic() - start < 240
        if proc.returncode == 0:
            break
    assert kills >= 3, "the runs finished before they could be killed; use a longer project"
    assert seen, "nothing was translated before the kills"
    # a last, uninterrupted run finishes the job and keeps what the killed runs wrote
    proc = _translate(root)
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err.decode()
    final = _memory(root)
    assert all(final.get(key) == en for key, en in seen.items())
    for path in (root / "content" / "translations" / "en").glob("*.po"):
        po = memory.parse_po(path.read_text(encoding="utf-8"), path.name)
        assert all(entry.msgstr for entry in po if not entry.obsolete), f"{path.name}: left untranslated"
    # temp files of the killed runs' atomic writes are cleaned up by the next run
    assert list((root / "content" / "translations" / "en").glob(".*.tmp")) == []

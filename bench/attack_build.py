"""Attack the build itself, not its inputs (issue 14's build-side figures).

    python bench/attack_build.py                          # the builder of this checkout
    python bench/attack_build.py --code /tmp/main-src     # another checkout (e.g. `git archive main`)

Every case starts from a fresh copy of tests/fixtures/base built once with search, then:

- kills: an edit is made and `briefing build` (with search) is SIGKILLed at a random moment
  of its run (uniform over the measured length of an edit build), and, separately, right when
  its Pagefind process appears (during indexing). After each kill site/ is classified:
  `previous site whole` / `new site whole` (byte for byte the site a build of the old / new
  content makes, search index included), `site without its search index` (the pages of one of
  them, but pagefind/ missing or not the one that belongs to those pages), `partial site`
  (anything else). Then one more build must give the new site whole (`recovered`).
- concurrent: an edit, then two `briefing build`s started at once; `correct` when both exit 0
  and site/ is the site of the final content, else `lost edit` / `failed` / `wrong site`; then
  one more build must say `up to date` and leave site/ as it is (`honest up to date`).
- crafted cache: state.pickle, stat.pickle or a compiled template in .briefing-cache/ replaced
  by a pickle that creates a file, then an edit build: `ran code` or `ignored`.
- hand edits in site/: a file in site/ changed in place, one added, then a build with no
  input change and one with an edit: `survived` or `removed` (site/ equals a cold build).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "base"
PAGE = "content/briefings/xinhua-funding.md"
BUILD = ["build", "--no-translate", "--no-progress"]


def tree(root: Path) -> dict[str, str]:
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def pages_of(site: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in site.items() if not k.startswith("pagefind/")}


class Runner:
    def __init__(self, code: Path, work: Path):
        self.code = code
        self.work = work
        self.env = {**os.environ, "PYTHONPATH": str(code), "BRIEFING_NO_FSYNC": "1",
                    "XDG_CACHE_HOME": str(work / "xdg-cache")}

    def popen(self, project: Path, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project), *args], cwd=self.code,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, project: Path, *args: str) -> tuple[int, str, str]:
        proc = self.popen(project, *args)
        out, err = proc.communicate(timeout=300)
        return proc.returncode, out, err

    def fresh(self, name: str, edit: int | None = None) -> Path:
        project = Path(tempfile.mkdtemp(prefix=name + "-", dir=self.work)) / "p"
        shutil.copytree(FIXTURE, project)
        if edit is not None:
            set_edit(project, edit)
        return project

    def reference(self, edit: int | None, search: bool = True) -> dict[str, str]:
        project = self.fresh("ref", edit)
        code, _out, err = self.run(project, *BUILD, *([] if search else ["--no-search"]))
        assert code == 0, err
        return tree(project / "site")


def set_edit(project: Path, n: int) -> None:
    page = project / PAGE
    text = (FIXTURE / PAGE).read_text(encoding="utf-8")
    page.write_text(text.replace("已完成4轮融资", f"已完成{n}轮融资"), encoding="utf-8")


def classify(site: dict[str, str], old: dict[str, str], new: dict[str, str]) -> str:
    if site == old:
        return "previous site whole"
    if site == new:
        return "new site whole"
    if pages_of(site) in (pages_of(old), pages_of(new)):
        return "site without its search index"
    return "partial site"


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _is_pagefind(pid: int) -> bool:
    try:
        return b"pagefind" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def kills(r: Runner, rounds: int, rng: random.Random, during_index: bool) -> Counter:
    counts: Counter = Counter()
    old, new = r.reference(None), r.reference(5)
    project = r.fresh("kill")
    code, _o, err = r.run(project, *BUILD)
    assert code == 0, err
    # how long an edit build takes here (the window the random kills fall into)
    set_edit(project, 5)
    began = time.monotonic()
    assert r.run(project, *BUILD)[0] == 0
    length = time.monotonic() - began
    for _ in range(rounds):
        shutil.rmtree(project.parent)
        project = r.fresh("kill")
        assert r.run(project, *BUILD)[0] == 0
        set_edit(project, 5)
        proc = r.popen(project, *BUILD)
        if during_index:
            seen = False
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if any(_is_pagefind(c) for c in _children(proc.pid)):
                    seen = True
                    break
                time.sleep(0.002)
            if not seen:
                proc.communicate()
                counts["finished before indexing"] += 1
                continue
        else:
            try:
                proc.wait(timeout=rng.uniform(0.0, length))
            except subprocess.TimeoutExpired:
                pass
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        time.sleep(0.3)  # anything the killed build left running would write on meanwhile
        counts[("not killed: " if finished else "") + classify(tree(project / "site"), old, new)] += 1
        code, _o, _e = r.run(project, *BUILD)
        counts["recovered" if code == 0 and tree(project / "site") == new else "not recovered"] += 1
    shutil.rmtree(project.parent, ignore_errors=True)
    return counts


def concurrent(r: Runner, rounds: int) -> Counter:
    counts: Counter = Counter()
    project = r.fresh("conc")
    assert r.run(project, *BUILD)[0] == 0
    for n in range(rounds):
        set_edit(project, 5 + n)
        a, b = r.popen(project, *BUILD), r.popen(project, *BUILD)
        codes = [p.wait(timeout=300) for p in (a, b)]
        for p in (a, b):
            p.communicate()
        site = tree(project / "site")
        want = r.reference(5 + n)
        if any(codes):
            counts["failed"] += 1
        elif f"已完成{5 + n}轮融资".encode() not in (project / "site/zh/briefings/xinhua-funding/index.html").read_bytes():
            counts["lost edit"] += 1
        elif site != want:
            counts["wrong site"] += 1
        else:
            counts["correct"] += 1
        code, out, _e = r.run(project, *BUILD)
        honest = code == 0 and tree(project / "site") == want
        counts["honest up to date" if honest and "up to date" in out else
               "rebuilt, right site" if honest else "wrong site after next build"] += 1
    return counts


class _Creates:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return open, (self.path, "w")


def crafted_cache(r: Runner) -> Counter:
    counts: Counter = Counter()
    for target in ("state.pickle", "stat.pickle", "jinja"):
        project = r.fresh("cache")
        assert r.run(project, *BUILD, "--no-search")[0] == 0
        pwned = project.parent / "pwned"
        payload = pickle.dumps(_Creates(str(pwned)), protocol=2)
        cache = project / ".briefing-cache"
        if target == "jinja":
            from jinja2.bccache import bc_magic

            for file in (cache / "jinja").glob("*.cache"):
                file.write_bytes(bc_magic + payload)
        else:
            (cache / target).write_bytes(payload)
        set_edit(project, 5)
        code, _o, _e = r.run(project, *BUILD, "--no-search")
        counts[f"{target}: " + ("ran code" if pwned.exists() else "ignored" if code == 0 else "build failed")] += 1
    return counts


def hand_edits(r: Runner) -> Counter:
    counts: Counter = Counter()
    for edits_before in (0, 2):
        project = r.fresh("hand")
        assert r.run(project, *BUILD, "--no-search")[0] == 0
        current = None
        for n in range(edits_before):  # the spare folder is in play
            current = 5 + n
            set_edit(project, current)
            assert r.run(project, *BUILD, "--no-search")[0] == 0
        site = project / "site"
        with open(site / "static" / "style.css", "a", encoding="utf-8") as handle:
            handle.write("body{display:none}\n")
        (site / "en" / "briefings" / "xinhua-funding" / "evil.html").write_text("<script>1</script>", encoding="utf-8")
        for step, edit in (("no input change", None), ("after an edit", 9)):
            if edit is not None:
                current = edit
                set_edit(project, edit)
            r.run(project, *BUILD, "--no-search")
            clean = tree(site) == r.reference(current, search=False)
            counts[f"{step}: " + ("removed" if clean else "survived")] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose builder/ is attacked")
    parser.add_argument("--kills", type=int, default=20, help="random kills (and as many during indexing)")
    parser.add_argument("--pairs", type=int, default=5, help="concurrent build pairs")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rng = random.Random(20261202)
    work = Path(tempfile.mkdtemp(prefix="attack-build-"))
    r = Runner(args.code.resolve(), work)
    results = {}
    try:
        results["kill at a random moment"] = kills(r, args.kills, rng, during_index=False)
        results["kill during search indexing"] = kills(r, args.kills, rng, during_index=True)
        results["two builds at once"] = concurrent(r, args.pairs)
        results["crafted cache file"] = crafted_cache(r)
        results["hand edit in site/"] = hand_edits(r)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for group, counts in results.items():
        print(f"{group}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.json:
        args.json.write_text(json.dumps({g: dict(c) for g, c in results.items()}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

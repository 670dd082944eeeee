"""Benchmark our build against Hugo on the same synthetic archive, side by side, in one run.

    python bench/run.py                       # N=1000, 5 rounds
    python bench/run.py --sizes 200,1000,4000 --rounds 3
    python bench/run.py --only hugo           # one side only
    python bench/run.py --search              # also time search indexing (Pagefind), separately

For each N the archive (our project + the Hugo site) is generated once by bench/generate.py
into <workdir>/archive-n<N>-<fingerprint>/ and reused while the generator, the theme and the
parser it depends on are unchanged. Every round starts from a fresh copy of it (copying is not
timed) and measures, for each side:

    cold      first build: no site/ (public/), no build cache
    nochange  the same command again, nothing edited
    briefing  after appending one sentence to one briefing (its Chinese .md file)
    glossary  after changing one enterprise's English description

Our command:  python -m builder -C <project> build --no-search --no-translate
Hugo command: hugo --quiet -s <site> --cacheDir <fresh folder>

Wall time is the median over rounds; peak memory is ru_maxrss of the build process (from
os.wait4), the largest over rounds. The HTML pages each side wrote are counted after the cold
build (Hugo's `page/1/` and alias redirect stubs are counted separately), and each edit is
checked to have reached the output. Inputs are deterministic (fixed seed, fixed
SOURCE_DATE_EPOCH); the exact commands are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SOURCE_DATE_EPOCH = "1700000000"
STEPS = ("cold", "nochange", "briefing", "glossary")
STEP_LABELS = {
    "cold": "cold build",
    "nochange": "no-change rebuild",
    "briefing": "edit one briefing",
    "glossary": "edit one glossary entry",
}
EDIT_SENTENCE_ZH = "此外，相关负责人表示，项目建设正在按计划稳步推进。"
EDIT_GLOSSARY_EN = " Description revised for the benchmark run."


# ---- archive --------------------------------------------------------------------

def fingerprint() -> str:
    """Changes whenever the generated archive could change."""
    digest = hashlib.sha256()
    files = [BENCH / "generate.py", BENCH / "phrases.py",
             REPO / "builder" / "content.py", REPO / "builder" / "segment.py",
             REPO / "builder" / "frontmatter.py", *sorted((BENCH / "hugo_theme").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def archive_for(n: int, workdir: Path, say) -> Path:
    from bench import generate

    target = workdir / f"archive-n{n}-{fingerprint()}"
    if (target / "done").exists():
        say(f"archive N={n}: cached at {target}")
        return target
    say(f"archive N={n}: generating into {target} ...")
    staging = Path(tempfile.mkdtemp(prefix=f".archive-n{n}-", dir=workdir))
    started = time.perf_counter()
    generate.generate(n, staging)
    (staging / "done").write_text("ok\n")
    if target.exists():
        shutil.rmtree(target)
    os.rename(staging, target)
    say(f"archive N={n}: generated in {time.perf_counter() - started:.1f} s")
    return target


# Folders of earlier rounds are moved here and deleted only after the last measurement: on
# ext4 without a journal (this machine's disk), creating files soon after deleting thousands
# makes the kernel skip the freshly freed inodes one by one (fs/ext4/ialloc.c,
# recently_deleted()), which added seconds of system time to whichever build ran next and
# made every round slower than the one before, for Hugo and for us alike.
TRASH: list[Path] = []


def fresh_copy(archive: Path, run_dir: Path) -> None:
    if run_dir.exists():
        aside = Path(tempfile.mkdtemp(prefix=".trash-", dir=run_dir.parent))
        os.rename(run_dir, aside / "run")
        TRASH.append(aside)
    shutil.copytree(archive, run_dir, symlinks=True)
    themes = REPO / "themes"
    if themes.is_dir():
        shutil.copytree(themes, run_dir / "ours" / "themes")


# ---- edits ----------------------------------------------------------------------

@dataclass(frozen=True)
class EditTargets:
    slug: str
    enterprise: str
    description_en: str


def pick_targets(archive: Path) -> EditTargets:
    """The briefing in the middle of the archive, and its first enterprise (deterministic)."""
    import yaml

    briefings = sorted((archive / "ours" / "content" / "briefings").glob("*.md"))
    path = briefings[len(briefings) // 2]
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    enterprise = meta["enterprises"][0]
    glossary = yaml.safe_load((archive / "ours" / "content" / "glossary" / "enterprises.yaml").read_text(encoding="utf-8"))
    entry = next(e for e in glossary if e["id"] == enterprise)
    return EditTargets(path.stem, enterprise, entry["description_en"])


def _append_to_last_paragraph(path: Path, sentence: str) -> None:
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + sentence + "\n", encoding="utf-8")


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count(old) < 1:
        raise SystemExit(f"bench: {path}: text to edit not found: {old[:60]!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_briefing(side: str, run_dir: Path, t: EditTargets) -> None:
    if side == "ours":
        _append_to_last_paragraph(run_dir / "ours" / "content" / "briefings" / f"{t.slug}.md", EDIT_SENTENCE_ZH)
    else:
        _append_to_last_paragraph(run_dir / "hugo" / "content" / "zh" / "briefings" / f"{t.slug}.md", EDIT_SENTENCE_ZH)


def edit_glossary(side: str, run_dir: Path, t: EditTargets) -> None:
    if side == "ours":
        path = run_dir / "ours" / "content" / "glossary" / "enterprises.yaml"
    else:
        path = run_dir / "hugo" / "content" / "en" / "enterprises" / t.enterprise / "_index.md"
    _replace_once(path, t.description_en, t.description_en + EDIT_GLOSSARY_EN)


def output_contains(out_dir: Path, needle: str, hint: str) -> bool:
    """Did the edit reach the built HTML? Looks at pages whose path contains `hint` first."""
    needle_bytes = needle.encode()
    pages = sorted(out_dir.rglob("*.html"))
    first = [p for p in pages if hint in str(p)]
    return any(needle_bytes in p.read_bytes() for p in first or pages)


# ---- running and measuring --------------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu: float  # user + sys of the process and the children it waited for
    maxrss_kib: int  # ru_maxrss: the largest single process (with worker processes: not their sum)
    code: int
    log: Path
    tree_kib: int = 0  # sampled peak of the summed RSS of the process and its descendants
    pss_kib: int = 0  # sampled peak of their summed PSS (pages shared by forked workers counted once)


def _tree_rss_kib(root: int) -> int:
    """Summed RSS of `root` and its descendants, from /proc (0 where /proc is unavailable)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])  # ppid
        rss[int(entry)] = int(fields[21]) * page_kib  # rss in pages
    total, todo = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def _tree_pss_kib(root: int) -> int:
    """Summed proportional set size of `root` and its descendants (0 without smaps_rollup).
    Forked workers share most of their parent's pages; RSS counts those once per process,
    PSS divides them, so the sum is the memory the build really holds."""
    total, todo = 0, [root]
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return 0
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                children.setdefault(int(handle.read().rsplit(b")", 1)[1].split()[1]), []).append(int(entry))
        except OSError:
            continue
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
        todo.extend(children.get(pid, ()))
    return total


def measure(cmd: list[str], env: dict, log: Path, sample_every: float = 0.25) -> Run:
    """Run `cmd` to completion; wall time, CPU time and peak memory of it (and its workers)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    os.sync()  # the previous step's writes must not be flushed on this step's clock
    peak = [0, 0]
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(sample_every):
                peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
                peak[1] = max(peak[1], _tree_pss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, log,
               max(peak[0], usage.ru_maxrss), peak[1])


def tail(path: Path, lines: int = 6) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").rstrip().splitlines()
    return "\n".join("    | " + line for line in text[-lines:])


def count_pages(out_dir: Path) -> tuple[int, int]:
    """(HTML pages, of which redirect stubs)."""
    pages = redirects = 0
    for page in out_dir.rglob("*.html"):
        pages += 1
        head = page.read_bytes()[:600].lower()
        if b'http-equiv="refresh"' in head or b"http-equiv=refresh" in head:
            redirects += 1
    return pages, redirects


def ours_available() -> str | None:
    """None when our build can run; otherwise why not (e.g. a stage module missing on this branch)."""
    probe = subprocess.run(
        [sys.executable, "-c", "import builder.render, builder.translate, builder.ingest"],
        cwd=REPO, capture_output=True, text=True, env=base_env())
    if probe.returncode == 0:
        return None
    last = (probe.stderr.strip().splitlines() or ["unknown error"])[-1]
    return f"cannot import the build stages on this branch ({last})"


def base_env() -> dict:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass
class SideResult:
    runs: dict = field(default_factory=lambda: {s: [] for s in STEPS})
    pages: tuple[int, int] | None = None
    failed: str | None = None
    edits_seen: dict = field(default_factory=dict)
    search: list = field(default_factory=list)
    search_failed: str | None = None


def commands(side: str, run_dir: Path) -> list[str]:
    if side == "ours":
        return [sys.executable, "-m", "builder", "-C", str(run_dir / "ours"), "build",
                "--no-search", "--no-translate"]
    return ["hugo", "--quiet", "-s", str(run_dir / "hugo"), "--cacheDir", str(run_dir / "hugo-cache")]


def out_dir(side: str, run_dir: Path) -> Path:
    return run_dir / "ours" / "site" if side == "ours" else run_dir / "hugo" / "public"


def run_round(side: str, archive: Path, run_dir: Path, targets: EditTargets, result: SideResult,
              env: dict, round_no: int, search: bool, say) -> None:
    fresh_copy(archive, run_dir)
    env = dict(env)
    # a per-round cache home, so that a cache outside the project cannot survive into a "cold" build
    env["XDG_CACHE_HOME"] = str(run_dir / "xdg-cache")
    cmd = commands(side, run_dir)
    logs = run_dir.parent / "logs" / f"{run_dir.name}-r{round_no}"
    for step in STEPS:
        if step == "briefing":
            edit_briefing(side, run_dir, targets)
        elif step == "glossary":
            edit_glossary(side, run_dir, targets)
        run = measure(cmd, env, logs / f"{step}.log")
        if run.code != 0:
            result.failed = f"{step} build exited with {run.code}; last lines of {run.log}:\n{tail(run.log)}"
            return
        result.runs[step].append(run)
        out = out_dir(side, run_dir)
        if step == "cold" and result.pages is None:
            result.pages = count_pages(out)
        if step == "cold" and search:
            run = measure_search(side, run_dir, env, logs / "search.log")
            if run.code == 0:
                result.search.append(run)
            elif not result.search_failed:
                result.search_failed = f"search indexing exited with {run.code}:\n{tail(run.log)}"
        if round_no == 1 and step == "briefing":
            result.edits_seen["briefing"] = output_contains(out, EDIT_SENTENCE_ZH, targets.slug)
        if round_no == 1 and step == "glossary":
            result.edits_seen["glossary"] = output_contains(out, EDIT_GLOSSARY_EN.strip(), targets.enterprise)


def measure_search(side: str, run_dir: Path, env: dict, log: Path) -> Run:
    """Pagefind over the built output: ours through builder.search, Hugo's public/ directly."""
    if side == "ours":
        code = ("import sys; from pathlib import Path; from builder.config import load_config; "
                "from builder import search; [print(l) for l in search.index_site(load_config(Path(sys.argv[1])))]")
        return measure([sys.executable, "-c", code, str(run_dir / "ours")], env, log)
    code = ("import subprocess, sys; from pagefind_bin_extended import get_executable; "
            "sys.exit(subprocess.call([get_executable(), '--site', sys.argv[1]]))")
    return measure([sys.executable, "-c", code, str(run_dir / "hugo" / "public")], env, log)


# ---- report ----------------------------------------------------------------------

def median(runs: list[Run]) -> float | None:
    return statistics.median(r.seconds for r in runs) if runs else None


def peak_mib(result: SideResult, tree: bool = False, pss: bool = False) -> float | None:
    every = [r.pss_kib if pss else r.tree_kib if tree else r.maxrss_kib for runs in result.runs.values() for r in runs]
    return max(every) / 1024 if every else None


def fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "—"
    return f"{value:.2f} {unit}" if unit == "s" else f"{value:.0f} {unit}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def report(n: int, rounds: int, results: dict[str, SideResult], say) -> dict:
    ours, hugo = results.get("ours", SideResult()), results.get("hugo", SideResult())
    say("")
    say(f"N = {n} briefings, {rounds} rounds: medians of wall time (CPU = user+sys, median)")
    say(f"{'':26}{'ours':>12}{'ours CPU':>11}{'Hugo':>10}{'Hugo CPU':>11}{'ours/Hugo':>11}")
    summary: dict = {"n": n, "rounds": rounds, "steps": {}}
    for step in STEPS:
        o, h = median(ours.runs[step]), median(hugo.runs[step])
        oc = statistics.median(r.cpu for r in ours.runs[step]) if ours.runs[step] else None
        hc = statistics.median(r.cpu for r in hugo.runs[step]) if hugo.runs[step] else None
        say(f"{STEP_LABELS[step]:26}{fmt(o):>12}{fmt(oc):>11}{fmt(h):>10}{fmt(hc):>11}{ratio(o, h):>11}")
        summary["steps"][step] = {"ours": o, "hugo": h, "ours_cpu": oc, "hugo_cpu": hc,
                                  "ours_all": [r.seconds for r in ours.runs[step]],
                                  "hugo_all": [r.seconds for r in hugo.runs[step]]}
    po, ph = peak_mib(ours), peak_mib(hugo)
    say(f"{'peak memory (ru_maxrss)':26}{fmt(po, 'MiB'):>12}{'':11}{fmt(ph, 'MiB'):>10}{'':11}{ratio(po, ph):>11}")
    to, th = peak_mib(ours, tree=True), peak_mib(hugo, tree=True)
    say(f"{'  with workers (sampled)':26}{fmt(to, 'MiB'):>12}{'':11}{fmt(th, 'MiB'):>10}{'':11}{ratio(to, th):>11}")
    ps, ph_pss = peak_mib(ours, pss=True) or None, peak_mib(hugo, pss=True) or None
    say(f"{'  same, PSS (shared once)':26}{fmt(ps, 'MiB'):>12}{'':11}{fmt(ph_pss, 'MiB'):>10}{'':11}{ratio(ps, ph_pss):>11}")
    for name, res in (("ours", ours), ("Hugo", hugo)):
        if res.pages:
            pages, redirects = res.pages
            say(f"{name}: {pages} HTML files after a cold build ({pages - redirects} pages + {redirects} redirect stubs)")
        if res.edits_seen:
            seen = ", ".join(f"{k} edit {'reached the output' if v else 'NOT FOUND in the output'}"
                             for k, v in res.edits_seen.items())
            say(f"{name}: {seen}")
        if res.search:
            say(f"{name}: search indexing (Pagefind, separate from the build) median {fmt(median(res.search))}, "
                f"peak {fmt(max(r.tree_kib for r in res.search) / 1024, 'MiB')}")
        if res.search_failed:
            say(f"{name}: search indexing NOT MEASURED: {res.search_failed}")
        if res.failed:
            say(f"{name}: NOT MEASURED: {res.failed}")
    summary.update(peak_mib={"ours": po, "hugo": ph}, peak_tree_mib={"ours": to, "hugo": th}, peak_pss_mib={"ours": ps, "hugo": ph_pss}, pages={"ours": ours.pages, "hugo": hugo.pages},
                   failed={"ours": ours.failed, "hugo": hugo.failed},
                   search={"ours": median(ours.search), "hugo": median(hugo.search)})
    # the targets of issue 6
    cold_o, cold_h = median(ours.runs["cold"]), median(hugo.runs["cold"])
    checks = []
    if cold_o and cold_h:
        checks.append(("cold build ≤ 2× Hugo", cold_o <= 2 * cold_h, f"{cold_o / cold_h:.2f}×"))
    if median(ours.runs["nochange"]) and cold_h:
        v = median(ours.runs["nochange"]) / cold_h
        checks.append(("no-change rebuild < 0.3× Hugo cold", v < 0.3, f"{v:.2f}×"))
    for step in ("briefing", "glossary"):
        if median(ours.runs[step]) and cold_o:
            v = median(ours.runs[step]) / cold_o
            checks.append((f"{STEP_LABELS[step]} < 10% of our cold", v < 0.10, f"{v:.0%}"))
    if to is not None:
        # PSS when the kernel reports it: summed RSS counts the pages workers share with the
        # parent once per process, overstating what the build holds
        mem = ps if ps else to
        checks.append(("peak memory < 1 GiB (with workers, " + ("PSS" if ps else "summed RSS") + ")",
                       mem < 1024, f"{mem:.0f} MiB"))
    if checks:
        say("targets (issue 6):")
        for label, ok, value in checks:
            say(f"  {'PASS' if ok else 'FAIL'}  {label}: {value}")
    summary["targets"] = [{"target": label, "pass": ok, "value": value} for label, ok, value in checks]
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark our build against Hugo on a synthetic archive.")
    parser.add_argument("--sizes", default="1000", help="comma-separated archive sizes (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per size (default 5)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "xuzhou-bench",
                        help="where archives are cached and builds run (default: $TMPDIR/xuzhou-bench)")
    parser.add_argument("--only", choices=("ours", "hugo"), help="measure one side only")
    parser.add_argument("--search", action="store_true", help="also time Pagefind indexing of each side's output, separately")
    parser.add_argument("--no-fsync", action="store_true", help="set BRIEFING_NO_FSYNC=1 for our build")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    def say(line: str = "") -> None:
        print(line, flush=True)

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}")
    if args.rounds < 1 or not sizes or min(sizes) < 1:
        parser.error("--rounds and every size must be at least 1")
    args.workdir.mkdir(parents=True, exist_ok=True)

    env = base_env()
    if args.no_fsync:
        env["BRIEFING_NO_FSYNC"] = "1"
    sides = [args.only] if args.only else ["ours", "hugo"]
    unavailable: dict[str, str] = {}
    if "ours" in sides:
        why = ours_available()
        if why:
            unavailable["ours"] = why
    if "hugo" in sides and not shutil.which("hugo"):
        unavailable["hugo"] = "the `hugo` command is not installed (apt-get install -y hugo)"
    if "hugo" in sides and "hugo" not in unavailable:
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
        say(f"hugo: {version}")
    say(f"python: {sys.executable} ({sys.version.split()[0]}), repo: {REPO}, cpus: {os.cpu_count()}")
    say(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine skews times)")
    say(f"env: SOURCE_DATE_EPOCH={SOURCE_DATE_EPOCH}" + (" BRIEFING_NO_FSYNC=1" if args.no_fsync else ""))
    for side in sides:
        if side in unavailable:
            say(f"{side}: SKIPPED: {unavailable[side]}")

    summaries = []
    for n in sizes:
        archive = archive_for(n, args.workdir, say)
        targets = pick_targets(archive)
        say(f"edits: briefing {targets.slug} (+1 sentence in Chinese), "
            f"glossary entry {targets.enterprise} (description_en)")
        for side in sides:
            if side not in unavailable:
                say(f"run: {' '.join(commands(side, args.workdir / f'run-n{n}-{side}'))}")
        results = {side: SideResult() for side in sides}
        for side, why in unavailable.items():
            results[side].failed = why
        for round_no in range(1, args.rounds + 1):
            for side in sides:
                res = results[side]
                if res.failed:
                    continue
                run_round(side, archive, args.workdir / f"run-n{n}-{side}", targets, res, env, round_no,
                          args.search, say)
                done = ", ".join(f"{s} {res.runs[s][-1].seconds:.2f}s" for s in STEPS if len(res.runs[s]) == round_no)
                say(f"  round {round_no} {side}: {done or 'failed'}")
        summaries.append(report(n, args.rounds, results, say))
    say(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for folder in TRASH:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        say(f"results written to {args.json}")
    return 1 if any(s["failed"].get(side) for s in summaries for side in sides) else 0


if __name__ == "__main__":
    sys.exit(main())

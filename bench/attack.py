"""Feed hostile inputs through the CLI and count what happens (issue 14's figures).

    python bench/attack.py                      # the builder of this checkout
    python bench/attack.py --code /path/to/checkout --json out.json

Each case starts from a fresh copy of tests/fixtures/base that has been built once (so a
site, a build cache and a translation memory exist), applies one hostile change, and runs
`briefing build` (and `briefing translate` for the PO cases) in a child process with a
time limit (30 s) and a memory limit (2 GiB): an alias bomb must not take the machine down.
Outcomes, the worst one counted when several apply:

    project file lost      a file of the project (content, seeds, pyproject.toml, the
                           memory, .git) is gone, or one that no command may change changed
    written outside        a file appeared beside the project (payloads aim there)
    traceback / other      an exception other than a clean error, a crash, a time-out
    unreadable memory      `translate` succeeded, and the next command rejects the PO file it wrote
    clean error            exit 1 with nothing but `error: path:line: message` lines
    success                exit 0

Groups: content/config (hostile settings and content files), injected (front-matter,
glossary and taxonomy fields × payloads), po (malformed translation memory files).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "base"
BRIEFING = "content/briefings/xinhua-funding.md"
GLOSSARY = "content/glossary/enterprises.yaml"
TAXONOMY = "content/taxonomy.yaml"
PO = "content/translations/en/xinhua-funding.po"
BUILD = ["build", "--no-search", "--no-translate", "--no-progress"]
OUTCOMES = ("clean error", "success", "traceback / other", "unreadable memory", "written outside",
            "project file lost")
TIMEOUT = 30

CHILD = r"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from builder import cli
try:
    code = cli.main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 2
except BaseException as exc:
    import traceback
    traceback.print_exc()
    sys.stderr.write(f"ATTACK-EXCEPTION {type(exc).__name__}\n")
    code = 99
sys.stderr.flush()
import os
os._exit(code)
"""

BOMB = ("&a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]")

# payloads as YAML source for one value ({OUT}: a folder beside the project)
PAYLOADS = {
    "true": "true", "list": "[a, b]", "mapping": "{a: 1}", "null": "null", "empty": '""',
    "negative": "-5", "huge-int": "9" * 5000, "float-nan": ".nan", "bad-date": "2023-02-30",
    "traversal": '"../../../../outside/x"', "absolute": '"{OUT}/x"', "separators": '"a\\u2028b\\x85c\\x1cd"',
    "surrogate": '"\\ud800"', "deep": "[" * 300 + "]" * 300, "script": '"<script>alert(1)</script>"',
    "javascript": '"javascript:alert(1)"', "one-char": "徐",
}
FRONT_FIELDS = {  # field -> template of the front matter lines carrying the payload
    "title": "title: {P}", "slug": "slug: {P}", "series": "series: {P}", "series.name": "series: {{name: {P}}}",
    "series.part": "series: {{name: 系列, part: {P}}}", "summary": "summary: {P}", "districts": "districts: {P}",
    "authors": "authors: {P}", "aliases": "aliases: {P}", "date": "date: {P}",
    "figures": "figures: {P}", "figure.caption": "figures: [{{caption: {P}}}]",
    "figure.after_paragraph": "figures: [{{caption: 图, after_paragraph: {P}}}]",
    "figure.section": "figures: [{{caption: 图, section: {P}}}]",
    "source.page": "source:\n  page: {P}", "source.lines": "source:\n  lines: {P}", "source.date": "source:\n  date: {P}",
    "source.publication": "source:\n  publication: {P}",
}
GLOSSARY_FIELDS = ("name_zh", "aliases_zh", "name_en", "aliases_en", "district", "industries", "relations")
TAXONOMY_FIELDS = ("zh", "keywords", "id")


def _front(lines: str) -> str:
    return (f"---\ntitle: 鑫华半导体完成融资\nslug: xinhua-funding\n{lines}\n---\n\n"
            "本月初，鑫华半导体完成10亿元B轮融资。\n\n## 强研发\n\n鑫华半导体是国内领先的企业。\n")


def _front_with(field: str, payload: str) -> str:
    line = FRONT_FIELDS[field].format(P=payload.replace("\n", "\n  "))
    text = _front(line)
    if field in ("title", "slug"):  # replace the fixture's own line rather than repeat the key
        text = text.replace(f"{field}: 鑫华半导体完成融资\n" if field == "title" else "slug: xinhua-funding\n", "", 1)
    return text


def cases() -> list[tuple[str, str, dict]]:
    """(group, name, spec); spec: files {path: text|None (delete)}, bytes, links, argv list."""
    out: list[tuple[str, str, dict]] = []
    base_toml = (FIXTURE / "pyproject.toml").read_text(encoding="utf-8")

    def config(name: str, extra: str, **spec) -> None:
        out.append(("content/config", name, {"files": {"pyproject.toml": base_toml + extra}, **spec}))

    for value in (".", "", "./", "content", "content/briefings", "seeds", "themes", "..", "../outside",
                  "{OUT}", ".git", ".briefing-cache", "pyproject.toml", "content/translations", "site/../.."):
        config(f"output_dir={value!r}", f'output_dir = "{value}"\n')
    config("output_dir=site->project (link)", "", links={"site": "."}, remove=["site"])
    config("output_dir=site->outside (link)", "", links={"site": "{OUT}"}, remove=["site"])
    config("output_dir=docs with own files", 'output_dir = "docs"\n', files2={"docs/notes.md": "mine\n"})
    for value in ("../../../../etc", "{OUT}", "a/b", ".."):
        config(f"theme={value!r}", f'theme = "{value}"\n')
    for value in ("javascript:alert(1)", "data:text/html,x", "//evil.example/", "/a b/"):
        out.append(("content/config", f"base_url={value!r}", {"files": {"pyproject.toml": base_toml.replace(
            'base_url = "https://example.org/"', f'base_url = "{value}"')}}))
    for key in ("content_dir", "seeds_dir", "themes_dir"):
        for value in ("..", "{OUT}", ""):
            config(f"{key}={value!r}", f'{key} = "{value}"\n')
    config("batch_size huge", "translate_batch_size = 99999999999999999999\n")
    config("briefing table not a table", "", files={"pyproject.toml": base_toml.replace("[tool.briefing]", "[tool]\nbriefing = 3\n[x]")})
    # hostile content files
    content = {
        "alias bomb in source.page": _front("source:\n  page: " + BOMB),
        "alias bomb in figure section": _front("figures:\n  - caption: 图\n    section: " + BOMB),
        "unclosed quote": _front('summary: "未闭合'),
        "tab indentation": _front("districts:\n\t- jingkai"),
        "duplicate key": _front("title: 又一个"),
        "no front matter": "正文。\n",
        "front matter not closed": "---\ntitle: x\n",
        "NUL bytes": _front("summary: a") + "\x00\x00",
        "binary junk": None,
        "BOM": "\ufeff" + _front(""),
        "CRLF": _front("").replace("\n", "\r\n"),
        "huge line": _front("summary: " + "长" * 200_000),
        "many figures": _front("figures:\n" + "".join(f"  - caption: 图{i}\n" for i in range(3000))),
        "merge key": _front("series:\n  <<: {name: x}"),
        "python tag": _front("title: !!python/object/apply:os.system ['touch {OUT}/pwned']"),
        "binary tag": _front("title: !!binary aGVsbG8="),
        "set tag": _front("districts: !!set {jingkai: null}"),
        "timestamp tag": _front("date: !!timestamp 2023-02-30"),
        "slug traversal": _front("").replace("slug: xinhua-funding", "slug: ../../../../outside/x"),
        "alias traversal": _front("aliases: [../../x]"),
        "markdown html": _front("") + "\n<script>alert(1)</script>\n",
        "deep markdown nesting": _front("") + "\n" + "> " * 5000 + "x\n",
        "deep list nesting": _front("") + "\n" + "".join("  " * i + "- x\n" for i in range(1000)),
    }
    for char in ("\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\x01"):
        # a separator pasted into a sentence: translate writes the memory, build reads it back
        body = _front("").replace("完成10亿元", f"完成{char}10亿元").replace("国内领先", f"国内{char}领先")
        out.append(("content/config", f"U+{ord(char):04X} in a sentence, then translate",
                    {"files": {BRIEFING: body}, "commands": [["translate", "--no-progress"], BUILD]}))
    for name, text in content.items():
        if text is None:
            out.append(("content/config", name, {"bytes": {BRIEFING: os.urandom(4096)}}))
        else:
            out.append(("content/config", name, {"files": {BRIEFING: text}}))
    glossary = (FIXTURE / GLOSSARY).read_text(encoding="utf-8")
    taxonomy = (FIXTURE / TAXONOMY).read_text(encoding="utf-8")
    for name, text in {
        "glossary alias bomb": "- id: x\n  name_zh: 某公司\n  name_en: X\n  aliases_zh: " + BOMB.replace("\n", "\n  "),
        "glossary not a list": "enterprises: 3\n",
        "glossary relation to self loop": glossary + "  relations: [{kind: parent_of, target: xinhua-semiconductor}]\n",
        "glossary duplicate id": glossary + glossary,
        "taxonomy not a mapping": "[1, 2]\n",
        "taxonomy deep": "districts: " + "[" * 5000 + "]" * 5000 + "\n",
    }.items():
        path = TAXONOMY if name.startswith("taxonomy") else GLOSSARY
        out.append(("content/config", name, {"files": {path: text}}))
    out.append(("content/config", "state file traversal", {"files": {
        "content/.ingest-state.json": json.dumps({"pages": {"../../outside/x.md": {"source": "seeds/x.txt"}}})}}))

    # injected: fields x payloads
    for field in FRONT_FIELDS:
        for pname, payload in PAYLOADS.items():
            out.append(("injected", f"front {field} = {pname}", {"files": {BRIEFING: _front_with(field, payload)}}))
    for field in GLOSSARY_FIELDS:
        for pname, payload in PAYLOADS.items():
            lines = [line for line in glossary.splitlines() if not line.strip().startswith(field + ":")]
            text = "\n".join(lines) + f"\n  {field}: {payload}\n"
            out.append(("injected", f"glossary {field} = {pname}", {"files": {GLOSSARY: text}}))
    for field in TAXONOMY_FIELDS:
        for pname, payload in PAYLOADS.items():
            lines = taxonomy.splitlines()
            at = next(i for i, line in enumerate(lines) if line.lstrip(" -").startswith(f"{field}:"))
            indent = lines[at][: len(lines[at]) - len(lines[at].lstrip(" -"))]
            lines[at] = f"{indent}{field}: {payload}"
            out.append(("injected", f"taxonomy {field} = {pname}", {"files": {TAXONOMY: "\n".join(lines) + "\n"}}))

    # malformed PO files (each through build and translate)
    def po(name: str, mutate) -> None:
        out.append(("po", name, {"po": mutate}))

    po("truncated mid-string", lambda t: t[: t.index('msgstr "', t.index("s0.p1.1")) + 12])
    po("truncated before msgstr", lambda t: t[: t.index("msgstr", t.index("s0.p1.1"))])
    po("keyword twice", lambda t: t.replace('msgctxt "s0.p1.1"', 'msgctxt "s0.p1.1"\nmsgctxt "s0.p1.1"'))
    po("duplicate segment", lambda t: t + '\nmsgctxt "s0.p1.1"\nmsgid "x"\nmsgstr "y"\n')
    po("no msgctxt", lambda t: t + '\nmsgid "无"\nmsgstr "none"\n')
    po("plural entry", lambda t: t + '\nmsgctxt "p"\nmsgid "一"\nmsgid_plural "多"\nmsgstr[0] "one"\nmsgstr[1] "many"\n')
    for char in ("\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\x00", "\x01"):
        po(f"U+{ord(char):04X} in a msgstr", lambda t, c=char: t.replace('msgstr "', f'msgstr "x{c}', 2))
    po("CRLF line ends", lambda t: t.replace("\n", "\r\n"))
    po("no final newline", lambda t: t.rstrip("\n"))
    po("merge conflict markers", lambda t: t + "<<<<<<< HEAD\n=======\n>>>>>>> b\n")
    po("bad escape", lambda t: t.replace('msgstr "', 'msgstr "\\q', 1))
    po("unbalanced quotes", lambda t: t.replace('msgstr "', 'msgstr ""', 1))
    po("obsolete inside active", lambda t: t.replace('msgstr "', '#~ msgstr "', 1))
    po("binary junk", lambda t: os.urandom(2048))
    po("invalid UTF-8", lambda t: t.encode("utf-8")[:-3] + b"\xff\xfe\n")
    po("lone surrogate bytes", lambda t: t.encode("utf-8") + b'msgctxt "z"\nmsgid "\xed\xa0\x80"\nmsgstr ""\n')
    po("huge msgstr", lambda t: t.replace('msgstr "', 'msgstr "' + "x" * 2_000_000, 1))
    po("empty file", lambda t: "")
    po("only header", lambda t: 'msgid ""\nmsgstr ""\n')
    po("link outside", lambda t: None)
    po("two obsolete same id", lambda t: t + '\n#~ msgctxt "gone"\n#~ msgid "旧"\n#~ msgstr "A"\n\n'
                                              '#~ msgctxt "gone"\n#~ msgid "旧"\n#~ msgstr "B"\n')
    po("header only comments", lambda t: "# just a comment\n")
    po("msgctxt with newline escape", lambda t: t.replace('msgctxt "s0.p1.1"', 'msgctxt "s0.p1.1\\n"'))
    po("deeply wrapped msgstr", lambda t: t.replace('msgstr "', 'msgstr ""\n' + '"a"\n' * 20000 + '"', 1))
    return out


def _digest(root: Path) -> dict[str, str]:
    found = {}
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        if rel_folder.split(os.sep)[0] in ("site", ".briefing-cache") or rel_folder.startswith(".site."):
            dirs[:] = []
            continue
        for name in files:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if rel.startswith((".site.", "site/")):
                continue
            try:
                found[rel] = "link:" + os.readlink(path) if path.is_symlink() else \
                    hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                found[rel] = "unreadable"
    return found


def _prepare(base: Path, code: Path) -> None:
    shutil.copytree(FIXTURE, base)
    (base / ".git").mkdir()
    (base / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    for argv in (["translate", "--no-progress"], BUILD):
        result = subprocess.run([sys.executable, "-c", CHILD, "-C", str(base), *argv], cwd=code,
                                env={**os.environ, "PYTHONPATH": str(code), "BRIEFING_NO_FSYNC": "1"},
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise SystemExit(f"the fixture does not build with {code}: {result.stderr}")


def run_case(base: Path, work: Path, code: Path, group: str, name: str, spec: dict) -> tuple[str, str, str, str]:
    case_dir = Path(tempfile.mkdtemp(dir=work))
    root = case_dir / "project"
    outside = case_dir / "outside"
    outside.mkdir()
    (outside / "keep").write_text("x", encoding="utf-8")
    shutil.copytree(base, root, symlinks=True)

    def place(text: str) -> str:
        return text.replace("{OUT}", str(outside))

    for rel in spec.get("remove", ()):
        target = root / rel
        shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
    for rel, text in {**spec.get("files", {}), **spec.get("files2", {})}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(place(text), encoding="utf-8", errors="surrogatepass")
    for rel, data in spec.get("bytes", {}).items():
        (root / rel).write_bytes(data)
    for rel, target in spec.get("links", {}).items():
        os.symlink(place(target), root / rel)
    commands = spec.get("commands", [BUILD])
    if "po" in spec:
        po_path = root / PO
        new = spec["po"](po_path.read_text(encoding="utf-8"))
        if new is None:
            (outside / "secret.po").write_text(po_path.read_text(encoding="utf-8"), encoding="utf-8")
            po_path.unlink()
            os.symlink(outside / "secret.po", po_path)
        elif isinstance(new, bytes):
            po_path.write_bytes(new)
        else:
            po_path.write_text(new, encoding="utf-8", errors="surrogatepass")
        commands = [BUILD, ["translate", "--no-progress"]]
    before = _digest(root)
    outside_before = sorted(p.name for p in case_dir.iterdir()), _digest(outside)
    worst, detail = "success", ""
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    translated = False
    for argv in commands:
        try:
            result = subprocess.run([sys.executable, "-c", CHILD, "-C", str(root), *argv], cwd=code,
                                    env={**os.environ, "PYTHONPATH": str(code), "BRIEFING_NO_FSYNC": "1"},
                                    capture_output=True, text=True, timeout=TIMEOUT, errors="replace")
            code_, err = result.returncode, result.stderr
        except subprocess.TimeoutExpired:
            code_, err = -1, f"time-out after {TIMEOUT} s"
        lines = [line for line in err.splitlines() if line.strip()]
        if code_ == 0:
            outcome = "success"
        elif code_ == 1 and lines and all(line.startswith("error: ") or line.endswith("nothing was written")
                                          for line in lines):
            outcome = "clean error"
        else:
            outcome = "traceback / other"
            detail = (lines[-1] if lines else f"exit {code_}")[:160]
        if outcome == "clean error" and translated and any(".po:" in line for line in lines):
            outcome, detail = "unreadable memory", lines[0][:160]
        translated = translated or (argv[0] == "translate" and code_ == 0)
        if rank[outcome] > rank[worst] or (outcome == "clean error" and worst == "success"):
            worst = outcome
            if outcome == "clean error":
                detail = lines[0][:160]
    after = _digest(root)
    lost = [rel for rel in before if rel not in after]
    changed = [rel for rel in before if rel in after and after[rel] != before[rel]
               and not rel.startswith("content/translations/") and rel != "content/.ingest-state.json"]
    if (sorted(p.name for p in case_dir.iterdir()), _digest(outside)) != outside_before:
        worst, detail = "written outside", str(sorted(p.name for p in case_dir.iterdir()))
    if lost or changed:
        worst, detail = "project file lost", ", ".join((lost + changed)[:4])
    shutil.rmtree(case_dir, ignore_errors=True)
    return group, name, worst, detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose builder/ is attacked")
    parser.add_argument("--json", type=Path, help="write every case's outcome here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefing-attack-"))
    try:
        base = work / "base"
        _prepare(base, args.code.resolve())
        todo = [c for c in cases() if not args.only or args.only in c[1]]
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda c: run_case(base, work, args.code.resolve(), *c), todo))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    groups = sorted({g for g, *_ in results}, key=["content/config", "injected", "po"].index)
    print(f"builder: {args.code.resolve()}  cases: {len(results)}")
    print("| group | cases | " + " | ".join(OUTCOMES) + " |")
    print("|---|---:|" + "---:|" * len(OUTCOMES))
    for group in [*groups, "all"]:
        rows = [r for r in results if group in ("all", r[0])]
        counts = [sum(1 for r in rows if r[2] == o) for o in OUTCOMES]
        print(f"| {group} | {len(rows)} | " + " | ".join(str(c) for c in counts) + " |")
    for group, name, outcome, detail in results:
        if outcome not in ("clean error", "success"):
            print(f"  {outcome}: [{group}] {name}: {detail}")
    if args.json:
        args.json.write_text(json.dumps([dict(zip(("group", "case", "outcome", "detail"), r)) for r in results],
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

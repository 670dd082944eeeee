"""Score ingest on the cases in tests/ingest_cases/ the way an editor would: per article, is the
title right, the district, the enterprises (and the names sent for review), the byline, the date,
the body (no page chrome left in, nothing lost), plus dateline, industries and slug.

    .venv/bin/python tests/ingest_eval.py            # table + totals
    .venv/bin/python tests/ingest_eval.py -v         # also what was expected and what came out

A case file is the raw input, then `----- expected -----` and the Markdown of each article
(`----- next article -----` between them), then optionally `----- report -----` and the review
and error lines ingest must print for it, and `----- known misses -----`: lines `article N:
front-matter line as ingest writes it` for what an editor would write differently and ingest
does not (yet) get: this script scores the editor's version, the test checks ingest's. Its first line may be `#case file=seeds/x.html
encoding=gbk`: the input is then fed as that file name, encoded that way (the case file itself
is always UTF-8, so it stays readable and editable). tests/test_ingest_cases.py reads cases with
the same functions.

Exit status 0 whatever the score: this is a measuring tool, the tests are the gate.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder import frontmatter, ingest  # noqa: E402
from builder.content import parse_glossary, parse_taxonomy  # noqa: E402
from builder.glossary import MentionFinder  # noqa: E402

CASES = Path(__file__).resolve().parent / "ingest_cases"
EXPECTED = "----- expected -----"
NEXT = "----- next article -----"
REPORT = "----- report -----"
KNOWN = "----- known misses -----"
COLUMNS = ("title", "district", "enterprises", "byline", "date", "boilerplate", "dateline", "industries", "slug")


@dataclass
class Case:
    name: str
    filename: str  # the name the input is fed under (seeds/…)
    data: bytes  # the input as ingest reads it
    raw: str  # the input as text (UTF-8), as written in the case file
    expected: list[str] = field(default_factory=list)  # Markdown of each article
    report: list[str] = field(default_factory=list)  # review/error lines
    known: list[tuple[int, str, str]] = field(default_factory=list)  # (article, key, ingest's YAML)

    def expected_of_ingest(self) -> list[str]:
        """The expected pages with the known misses put in: what ingest is checked against."""
        pages = list(self.expected)
        for article, key, line in self.known:
            pages[article - 1] = replace_key(pages[article - 1], key, line)
        return pages

    def keep_editor(self, pages: list[str]) -> list[str]:
        """Pages as ingest wrote them, with the editor's value of every known miss put back."""
        pages = list(pages)
        for article, key, _ in self.known:
            block = key_block(self.expected[article - 1], key)
            if block is not None and article <= len(pages):
                pages[article - 1] = replace_key(pages[article - 1], key, block)
        return pages


def key_block(page: str, key: str) -> str | None:
    """A top-level front-matter key with its value (and the lines of its list or mapping)."""
    m = re.search(rf"(?m)^{key}:(?:.*)(?:\n(?:- |  ).*)*$", page)
    return m.group(0) if m else None


def replace_key(page: str, key: str, block: str) -> str:
    return re.sub(rf"(?m)^{key}:(?:.*)(?:\n(?:- |  ).*)*$", lambda _: block, page, count=1)


def read_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    text, _, known = text.partition("\n" + KNOWN + "\n")
    raw, _, rest = text.partition("\n" + EXPECTED + "\n")
    pages, _, report = rest.partition("\n" + REPORT + "\n")
    filename, encoding = f"seeds/{path.stem}.txt", "utf-8"
    first, _, body = raw.partition("\n")
    if first.startswith("#case "):
        options = dict(item.split("=", 1) for item in first[len("#case "):].split())
        filename, encoding = options.get("file", filename), options.get("encoding", encoding)
        raw = body
    raw = raw.rstrip("\n") + "\n"
    misses = []
    for line in known.splitlines():
        m = re.match(r"article (\d+): (\w+):(.*)$", line)
        if m:
            misses.append((int(m.group(1)), m.group(2), f"{m.group(2)}:{m.group(3)}".replace("\\n", "\n")))
    return Case(path.stem, filename, raw.encode(encoding), raw,
                pages.split("\n" + NEXT + "\n") if pages else [],
                [line for line in report.splitlines() if line.strip()], misses)


def read_cases(folder: Path = CASES) -> list[Case]:
    return [read_case(p) for p in sorted(folder.glob("*.txt"))]


def case_context():
    """Districts and industries from the project's taxonomy; enterprises from the cases' own
    fixture glossary (tests/ingest_cases/glossary.yaml), so a glossary edit changes no case."""
    districts, industries = parse_taxonomy((REPO / "content/taxonomy.yaml").read_text(encoding="utf-8"),
                                           "content/taxonomy.yaml")
    enterprises = parse_glossary((CASES / "glossary.yaml").read_text(encoding="utf-8"), "glossary.yaml")
    return districts, industries, enterprises


def run_case(case: Case, context) -> tuple[list[str], list[str]]:
    """(Markdown of each article, review/error lines) as ingest gives them."""
    districts, industries, enterprises = context
    if hasattr(ingest, "ingest_source"):
        ctx = ingest.Context(districts, industries, enterprises)
        result = ingest.ingest_source(case.data, case.filename, ctx)
        return [ingest.render_markdown(d) for d in result.drafts], result.report_lines()
    # the ingest before issue 10: one function per step, a problem stops the whole file
    finder = MentionFinder(enterprises)
    sha = hashlib.sha256(case.data).hexdigest()
    try:
        drafts = ingest.parse_page(ingest.decode(case.data, case.filename), case.filename)
    except Exception as exc:  # what it printed instead of the articles
        return [], [f"error: {exc}"]
    pages, lines = [], []
    for draft in drafts:
        draft = ingest.annotate(draft, districts=districts, industries=industries, finder=finder, sha256=sha)
        pages.append(ingest.render_markdown(draft))
        for line, name in ingest.unknown_enterprises(draft, finder):
            lines.append(f"review: {case.filename}:{line}: unknown enterprise name '{name}' "
                         "(not in content/glossary/): add it to the glossary")
    return pages, lines


def _fields(page: str) -> dict:
    meta, body, _ = frontmatter.parse(page, "case")
    return {
        "title": (meta.get("title"), meta.get("subtitle")),
        "district": list(meta.get("districts") or []),
        "enterprises": sorted(meta.get("enterprises") or []),
        "byline": list(meta.get("authors") or []),
        "date": meta.get("date"),
        "boilerplate": body.strip(),
        "dateline": meta.get("dateline"),
        "industries": list(meta.get("industries") or []),
        "slug": meta.get("slug"),
    }


def score(case: Case, pages: list[str], report: list[str]) -> list[dict[str, bool]]:
    """One row per expected article: column -> right?"""
    rows = []
    for index, expected_page in enumerate(case.expected):
        want = _fields(expected_page)
        try:
            got = _fields(pages[index]) if index < len(pages) else None
        except Exception:
            got = None
        row = {column: got is not None and got[column] == want[column] for column in COLUMNS}
        # names sent for review belong to the enterprises column
        wanted_review = sorted(line for line in case.report if "unknown enterprise" in line)
        got_review = sorted(line for line in report if "unknown enterprise" in line)
        row["enterprises"] = row["enterprises"] and wanted_review == got_review
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="show expected and actual values that differ")
    args = parser.parse_args(argv)
    context = case_context()
    totals = dict.fromkeys(COLUMNS, 0)
    articles = 0
    width = max(len(c.name) for c in read_cases()) + 4
    print("case".ljust(width) + " ".join(c[:11].ljust(11) for c in COLUMNS))
    for case in read_cases():
        pages, report = run_case(case, context)
        for index, row in enumerate(score(case, pages, report)):
            articles += 1
            label = case.name + (f" #{index + 1}" if len(case.expected) > 1 else "")
            print(label.ljust(width) + " ".join(("ok" if row[c] else "WRONG").ljust(11) for c in COLUMNS))
            for c in COLUMNS:
                totals[c] += row[c]
            if args.verbose and not all(row.values()):
                want = _fields(case.expected[index])
                try:
                    got = _fields(pages[index]) if index < len(pages) else {}
                except Exception as exc:
                    got = {"error": str(exc)}
                for c in COLUMNS:
                    if not row[c]:
                        print(f"    {c}: expected {want[c]!r}\n    {' ' * len(c)}  got      {got.get(c)!r}")
                if report != case.report:
                    print(f"    report: expected {case.report}\n            got      {report}")
    print("total".ljust(width) + " ".join(f"{totals[c]}/{articles}".ljust(11) for c in COLUMNS))
    right = sum(totals.values())
    print(f"{right}/{articles * len(COLUMNS)} points ({100 * right / (articles * len(COLUMNS)):.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

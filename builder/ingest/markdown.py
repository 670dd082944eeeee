"""A draft -> the YAML-fronted Markdown page a person edits (content/briefings/<slug>.md)."""

from __future__ import annotations

import re

from builder import frontmatter
from builder.ingest.draft import Draft


def render_markdown(draft: Draft) -> str:
    meta: dict = {"title": draft.title}
    if draft.subtitle:
        meta["subtitle"] = draft.subtitle
    meta["slug"] = draft.slug
    if draft.aliases:
        meta["aliases"] = list(draft.aliases)
    if draft.review:
        meta["review"] = list(draft.review)
    if draft.series:
        meta["series"] = {"name": draft.series[0], "part": draft.series[1]}
    if draft.date and not draft.sidecar.get("date"):
        meta["date"] = draft.date
    if draft.dateline:
        meta["dateline"] = draft.dateline
    meta["districts"] = list(draft.districts)
    if draft.district_from:
        # how ingest knew, when the title does not say it (a person's edit of districts wins)
        meta["district_from"] = dict(draft.district_from)
    meta["industries"] = list(draft.industries)
    meta["enterprises"] = list(draft.enterprises)
    meta["authors"] = list(draft.authors)
    if draft.figures:
        meta["figures"] = [
            {"caption": f.caption, **({"credit": f.credit} if f.credit else {}),
             "section": f.section, "after_paragraph": f.after_paragraph}
            for f in draft.figures
        ]
    source: dict = {"file": draft.source_file, "sha256": draft.sha256, "lines": list(draft.lines)}
    publication = draft.sidecar.get("publication") or draft.publication
    if publication:
        source["publication"] = publication
    if draft.sidecar.get("date"):
        source["date"] = draft.sidecar["date"]
    if draft.sidecar.get("page") is not None:
        source["page"] = str(draft.sidecar["page"])
    if draft.sidecar.get("url") or draft.url:
        source["url"] = draft.sidecar.get("url") or draft.url
    if draft.date and not draft.sidecar.get("date"):
        source["date_from"] = draft.date_from
    if draft.traditional:
        source["original_script"] = "traditional"
    meta["source"] = source

    blocks: list[str] = []
    for section in draft.sections:
        if section.heading:
            blocks.append(f"## {section.heading}")
            if section.subheading:
                blocks.append(f"### {section.subheading}")
        blocks += [_escape_paragraph(text) for text, _ in section.paragraphs]
    return frontmatter.join(meta, "\n\n".join(blocks))


def _escape_paragraph(text: str) -> str:
    """A paragraph must stay a paragraph in Markdown: escape a leading #, >, -, + or '1.'."""
    if re.match(r"^(?:#|>|[-+*]\s|\d+[.)]\s)", text):
        return "\\" + text
    return text

"""The HTML of segments and of side-by-side rows: the markup every briefing page repeats for
each of its sentences, built here as strings (a template call per sentence would dominate the
cost of rendering the site). This module is that markup's one home.

A theme owns this markup too: a theme whose templates/ has `segment.html` (and, for the
side-by-side page, `parallel_row.html`) gets them rendered instead, with the variables that
`TemplateMarkup` documents; tests/fixtures/theme-markup/ holds templates that give exactly
the markup below.

A segment:

    <span class="seg[ machine| missing][ flagged]" id="s1-p2-3"[ lang="zh-Hans"][ title="…"]>text</span>
    [<a class="tag tag-missing" …>…</a> | <a class="tag tag-mt" …>…</a>][<span class="tag tag-flag" …>…</span>]
    [<sup class="fnref"><a href="#fnN" id="fnrefN">N</a></sup>]

with the first mention of each enterprise in a paragraph linked (`<a class="ent" …>`), and
the text's inline Markdown rendered (builder/markdown.py: emphasis, code, safe links, images).

Blocks that hold segments (lists, block quotes, tables, rules, code) are built here too
(`block`), around segments made as above:

    <ul>/<ol[ start="N"]> <li>segments</li> or <li><p>…</p>…</li> (loose lists) </ul>
    <blockquote><p>segments</p>…</blockquote>
    <div class="table-wrap"><table><thead><tr><th[ class="align-right"]>…</th></tr></thead>
      <tbody>…</tbody></table></div>
    <hr>   <pre><code>code as typed</code></pre>
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup, escape

from builder.markdown import MARKUP, render_inline
from builder.model import Briefing, Paragraph, Segment
from builder.render.strings import Strings
from builder.render.urls import Urls
from builder.render.views import Footnotes, Shown, SiteView, dom_id

try:  # markupsafe's C escaper without the Markup wrapper that escape() builds around it
    from markupsafe._speedups import _escape_inner as _esc
except ImportError:  # pure-Python markupsafe
    def _esc(s: str, /) -> str:
        return str(escape(s))

LABELS = ("seg.machine_title", "seg.missing_tag", "seg.machine_link_title", "seg.machine_tag", "seg.flag_tag")


class SegmentMarkup:
    """Segments and side-by-side rows as HTML strings."""

    def __init__(self, view: SiteView, urls: Urls, strings: Strings):
        self.view = view
        self.urls = urls
        self.strings = strings
        self._labels: dict[str, dict[str, str]] = {}

    def labels(self, lang: str) -> dict[str, str]:
        """The segment tags' UI strings, escaped once per language."""
        if lang not in self._labels:
            self._labels[lang] = {key: _esc(self.strings.get(lang, key)) for key in LABELS}
        return self._labels[lang]

    def linked(self, text: str, text_lang: str, page_lang: str, linked_ids: set[str] | None) -> str:
        """`text` as HTML: its inline Markdown rendered, its words escaped, the first mention of
        each enterprise not yet in `linked_ids` linked (None: no links)."""
        if MARKUP.search(text) is None:
            return self.words(text, text_lang, page_lang, linked_ids)
        return render_inline(text, lambda words: self.words(words, text_lang, page_lang, linked_ids),
                             self.urls.url, self.view.site.media)

    def words(self, text: str, text_lang: str, page_lang: str, linked_ids: set[str] | None) -> str:
        """Plain `text` escaped, with its enterprises linked as `linked` says."""
        if linked_ids is None:
            return _esc(text)
        out = []
        pos = 0
        for m in self.view.finders[text_lang].find(text):
            if m.enterprise in linked_ids:
                continue
            linked_ids.add(m.enterprise)
            out.append(_esc(text[pos:m.start]))
            out.append(f'<a class="ent" href="{_esc(self.urls.url(Urls.enterprise(page_lang, m.enterprise)))}">'
                       f'{_esc(text[m.start:m.end])}</a>')
            pos = m.end
        out.append(_esc(text[pos:]))
        return "".join(out)

    def segment(self, b: Briefing, seg: Segment, lang: str, linked_ids: set[str] | None,
                notes: Footnotes | None, with_id: bool = True, tags: bool = True) -> str:
        """One segment in `lang`, with its status and notes (`notes`: where footnotes go)."""
        shown = self.view.shown(b, seg, lang)
        status = shown.status
        classes = "seg"
        attrs = ""
        if status == "machine" or status == "missing":
            classes += " " + status
        if shown.flags:
            classes += " flagged"
        if lang == "en" and shown.text_lang == "zh":
            attrs += ' lang="zh-Hans"'
        labels = self.labels(lang)
        if status == "machine":
            attrs += f' title="{labels["seg.machine_title"]}"'
        body = self.linked(shown.text, shown.text_lang, lang, linked_ids)
        extra = ""
        if not tags:
            pass
        elif status == "missing":
            href = _esc(self.urls.url(Urls.briefing("zh", b.slug)) + "#" + dom_id(seg.id))
            extra += f'<a class="tag tag-missing" href="{href}" lang="en">{labels["seg.missing_tag"]}</a>'
        elif status == "machine":
            href = _esc(self.urls.url(Urls.briefing("zh", b.slug)) + "#" + dom_id(seg.id))
            extra += (f'<a class="tag tag-mt" href="{href}" title="{labels["seg.machine_link_title"]}">'
                      f'{labels["seg.machine_tag"]}</a>')
        if shown.flags and tags:
            flags_title = _esc(self.strings.get(lang, "seg.flag_title", flags=self.strings.get(lang, "label.sep").join(
                self.view.flag_words(shown.flags, lang))))
            extra += f'<span class="tag tag-flag" title="{flags_title}">{labels["seg.flag_tag"]}</span>'
        if shown.note and notes is not None and lang == "en":
            number = notes.add(dom_id(seg.id), shown.note)
            extra += f'<sup class="fnref"><a href="#fn{number}" id="fnref{number}">{number}</a></sup>'
        id_attr = f' id="{_esc(dom_id(seg.id))}"' if with_id else ""
        return f'<span class="{classes}"{id_attr}{attrs}>{body}</span>{extra}'

    def block(self, b: Briefing, block: Paragraph, lang: str, linked_ids: set[str] | None,
              notes: Footnotes | None) -> str:
        """A block of the body (a paragraph, list, quote, table, rule or code) as HTML."""
        kind = block.kind
        if kind in ("p", "th", "td") or (kind == "li" and not block.children):
            # English sentences need a space between them; Chinese ones do not
            inner = (" " if lang == "en" else "").join(
                [self.segment(b, s, lang, linked_ids, notes) for s in block.sentences])
            if kind == "p":
                return f"<p>{inner}</p>"
            if kind == "li":
                return f"<li>{inner}</li>"
            align = f' class="align-{block.align}"' if block.align else ""
            return f"<{kind}{align}>{inner}</{kind}>"
        if kind == "hr":
            return "<hr>"
        if kind == "code":
            return f"<pre><code>{_esc(block.text)}</code></pre>"
        if kind == "li":
            parts = []
            for child in block.children:
                html = self.block(b, child, lang, linked_ids, notes)
                if block.tight and child.kind == "p":
                    html = html[3:-4]  # a tight list's paragraph: its text, without <p>
                parts.append(html)
            return "<li>" + "".join(parts) + "</li>"
        inner = "\n".join(self.block(b, child, lang, linked_ids, notes) for child in block.children
                          if child.kind != "tr")
        if kind == "ul":
            return f"<ul>\n{inner}\n</ul>"
        if kind == "ol":
            start = f' start="{block.start}"' if block.start != 1 else ""
            return f"<ol{start}>\n{inner}\n</ol>"
        if kind == "quote":
            return f"<blockquote>\n{inner}\n</blockquote>"
        if kind == "table":
            rows = ["<tr>" + "".join(self.block(b, cell, lang, linked_ids, notes) for cell in row.children) + "</tr>"
                    for row in block.children if row.kind == "tr"]
            head = f"<thead>\n{rows[0]}\n</thead>\n" if rows else ""
            body = "<tbody>\n" + "\n".join(rows[1:]) + "\n</tbody>\n" if len(rows) > 1 else ""
            return f'<div class="table-wrap"><table>\n{head}{body}</table></div>'
        return inner  # not produced by content.py; its blocks as they are

    def parallel_rows(self, b: Briefing) -> list[tuple[str, str]]:
        """The side-by-side table's rows, the same for both languages but for the label of an
        inline note: [(row up to its English cell's text, note or "")]."""
        rows = []
        for seg in b.segments():
            kind, _link = row_kind(seg.id)
            shown = self.view.shown(b, seg, "en")
            en = self.segment(b, seg, "en", None, None, with_id=False)
            row = _esc(dom_id(seg.id))
            # the row's own anchor (a link to share), as section headings have; segment ids are
            # the translation memory's, not the reader's
            rows.append((f'   <tr id="{row}" class="row-{kind} status-{shown.status}">\n'
                         f'    <td lang="zh-Hans"><a class="row-anchor" href="#{row}" aria-hidden="true" tabindex="-1">¶</a>'
                         f'{self.linked(seg.zh, "zh", "en", None)}</td>\n    <td lang="en">{en}', shown.note))
        return rows

    def parallel_table(self, rows: list[tuple[str, str]], lang: str) -> str:
        """The rows of one language's side-by-side page."""
        label = escape(self.strings.get(lang, "parallel.note"))
        return "\n".join(f'{head}<span class="note-inline">{label}: {escape(note)}</span></td>\n   </tr>' if note
                         else f"{head}</td>\n   </tr>" for head, note in rows)


def row_kind(seg_id: str) -> tuple[str, str]:
    """A side-by-side row's kind (title, heading, caption, text) and the anchor its id links to."""
    if seg_id == "meta.title":
        return "title", ""
    if seg_id.endswith(".h") or seg_id.endswith(".sub"):
        return "heading", "#" + seg_id.split(".")[0]
    if seg_id.startswith("fig"):
        return "caption", "#" + seg_id.split(".")[0]
    return "text", "#" + dom_id(seg_id)


class TemplateMarkup(SegmentMarkup):
    """The same markup from the theme's `segment.html` and `parallel_row.html`.

    segment.html gets: `shown` (a views.Shown: text, status, flags, note, text_lang), `lang`,
    `body` (the text, escaped, with its enterprise links), `dom_id` (None: no id attribute),
    `tags` (show status tags), `zh_url` (the Chinese page), `footnote` (its number or None),
    `flag_words` (the meaning of each of shown.flags in `lang`) and `t`. parallel_row.html gets `seg`, `shown`, `kind`, `link`, `dom_id`, `zh_url`, `en`
    (the English cell, from segment.html), `note` and `t`; a row has no trailing newline."""

    def __init__(self, view: SiteView, urls: Urls, strings: Strings, env: jinja2.Environment):
        super().__init__(view, urls, strings)
        self.segment_template = env.get_template("segment.html")
        names = env.list_templates()
        self.row_template = env.get_template("parallel_row.html") if "parallel_row.html" in names else None

    def _t(self, lang: str) -> Any:
        return lambda key, **values: self.strings.get(lang, key, **values)

    def segment(self, b: Briefing, seg: Segment, lang: str, linked_ids: set[str] | None,
                notes: Footnotes | None, with_id: bool = True, tags: bool = True) -> str:
        shown: Shown = self.view.shown(b, seg, lang)
        body = Markup(self.linked(shown.text, shown.text_lang, lang, linked_ids))
        footnote = notes.add(dom_id(seg.id), shown.note) if shown.note and notes is not None and lang == "en" else None
        return self.segment_template.render(
            shown=shown, lang=lang, body=body, dom_id=dom_id(seg.id) if with_id else None, tags=tags,
            zh_url=self.urls.url(Urls.briefing("zh", b.slug)) + "#" + dom_id(seg.id), footnote=footnote,
            flag_words=self.view.flag_words(shown.flags, lang), t=self._t(lang))

    def parallel_rows(self, b: Briefing) -> list[tuple[str, str]]:
        if self.row_template is None:
            return super().parallel_rows(b)
        rows = []
        for seg in b.segments():
            kind, link = row_kind(seg.id)
            shown = self.view.shown(b, seg, "en")
            en = Markup(self.segment(b, seg, "en", None, None, with_id=False))
            rows.append((self.row_template.render(
                seg=seg, shown=shown, kind=kind, link=link, dom_id=dom_id(seg.id), en=en,
                zh_url=self.urls.url(Urls.briefing("zh", b.slug)), t=self._t("en")), shown.note))
        return rows


def markup_for(view: SiteView, urls: Urls, strings: Strings, env: jinja2.Environment) -> SegmentMarkup:
    """The theme's own markup templates when it has them, else the strings above."""
    if "segment.html" in env.list_templates():
        return TemplateMarkup(view, urls, strings, env)
    return SegmentMarkup(view, urls, strings)

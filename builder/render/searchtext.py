"""What the templates hand to Pagefind as filter and meta values (Jinja filters `plain`, `name_key`).

Pagefind stores a filter or meta value as the text of its element, entities decoded: a label
written `<img src=x onerror=…>` (shown as text on the page, autoescaped) reaches the index as
markup, and Pagefind's Default UI inserts filter names and values as raw HTML. So what goes to
the index is plain text: markup is taken out here, and static/search.js inserts every string
from the index as text. A value that is nothing but markup becomes empty and is left out.

`name_key` is the form of an enterprise name the search page compares a query with (the
`name` filter of enterprise pages): search.js applies the same steps to what the reader types.
"""

from __future__ import annotations

import re
import unicodedata

# a tag, comment or processing instruction; then any `<` that could still open one
_TAG = re.compile(r"<[^<>]*>")
_OPENER = re.compile(r"<(?=[A-Za-z/!?])")
_SPACE = re.compile(r"\s+")


def plain(value: object) -> str:
    """`value` as one line of plain text, with anything that could be read as markup taken out."""
    text = _TAG.sub("", str(value))
    text = _OPENER.sub("", text)
    return _SPACE.sub(" ", text).strip()


def name_key(value: object) -> str:
    """NFKC, lower case, runs of white space as one space (search.js `nameKey` does the same)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", plain(value)).lower()).strip()

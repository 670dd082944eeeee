"""Characters that must not get into the project's text, taken out where text enters.

A line or paragraph separator (U+2028, U+2029, U+0085, U+001C–U+001E, vertical tab, form
feed) pasted into a sentence is a line break to Python's str.splitlines, to YAML and to PO
tools, but not to Markdown or to an editor: the same file has different lines for each
reader, and a PO file holding one inside a string is rejected when read back. Other C0/C1
control characters are invisible junk, and a lone surrogate (from a YAML "\\ud800" escape)
cannot even be written as UTF-8.

`normalise_text` is called on every briefing as it is parsed (builder/content.py) and on the
English that enters the translation memory (builder/translate/memory.py); ingest can call it
on raw articles too. It is idempotent, and returns its argument unchanged (no copy) when
there is nothing to do, which is almost always.
"""

from __future__ import annotations

import re

# separators become a space (nothing between two Chinese characters, where a line break
# inside a paragraph means nothing either: builder/content.join_lines)
_SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]|\r\n?")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _replace(match: re.Match) -> str:
    char = match.group()
    if char[0] == "\r":
        return "\n"
    if char in _SEPARATORS:
        text, start, end = match.string, match.start(), match.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if (before and _CJK.match(before)) or (after and _CJK.match(after)) or not before or not after \
                or before.isspace() or after.isspace():
            return ""
        return " "
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return ""  # other control characters (tab and newline are kept)


def normalise_text(text: str) -> str:
    """`text` with line ends as LF, separators as a space (or nothing next to Chinese or
    other spacing), other control characters removed and lone surrogates as U+FFFD."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replace, text)

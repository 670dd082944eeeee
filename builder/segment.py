"""Chinese sentence splitting with stable segment ids.

No model is involved (argostranslate's MiniSBD would download one): Chinese marks its
sentence ends plainly. A sentence ends after 。！？； (and their ASCII forms !?;) and
after an ellipsis …… that closes a quotation or the paragraph; closing quotes and
brackets that follow the mark stay on the sentence they close. An ellipsis inside a
running sentence (错位发展……以科技创新…) does not end it: in news copy it usually
elides a list, and cutting there would hand the engine half a clause.
"""

from __future__ import annotations

import re

ENDERS = "。！？；!?;"
CLOSERS = "”’」』）)】》〉\"'"
# where a sentence may end: a run of enders, or an ellipsis (…… or ...), leftmost first
_CANDIDATE = re.compile(r"[。！？；!?;]+|…{1,2}|\.{3,6}")


def split_sentences(text: str) -> list[str]:
    """Split one paragraph of Chinese text into sentences; joining them gives `text` back
    (apart from whitespace between sentences, which is dropped)."""
    sentences: list[str] = []
    start = 0
    pos = 0
    n = len(text)
    search = _CANDIDATE.search
    while True:
        m = search(text, pos)
        if m is None:
            break
        end = m.end()
        if text[m.start()] not in ENDERS and end < n and text[end] not in CLOSERS:
            pos = end  # an ellipsis inside a running sentence
            continue
        closer_end = end
        while closer_end < n and text[closer_end] in CLOSERS:
            closer_end += 1
        # A closing quote may be followed by its own ender: “……。”
        piece = text[start:closer_end].strip()
        if piece:
            sentences.append(piece)
        start = pos = closer_end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def paragraph_segment_id(section_anchor: str, paragraph: int, sentence: int) -> str:
    return f"{section_anchor}.p{paragraph}.{sentence}"

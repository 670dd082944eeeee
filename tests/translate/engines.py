"""Stand-in engines for the MT path, plugged in where the Argos engine plugs in
(`translate_site(..., engine=...)`): they get exactly the masked sentences the real engine
would get, and their output goes through the same restoring and checks.

    PerfectEngine  returns the ideal English for each masked sentence (made with
                   `ideal_english` from a person's translation): proves that masking and
                   restoring lose nothing
    CopyingEngine  returns the masked sentence itself: proves every token survives
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.translate.engine import Output
from builder.translate.terms import Masked

BATCH = 8


class _Batched:
    label = ""

    def answer(self, source: str) -> str:
        raise NotImplementedError

    def translate_in_batches(self, sources: list[str]) -> Iterator[tuple[list[int], list[Output]]]:
        for offset in range(0, len(sources), BATCH):
            indices = list(range(offset, min(offset + BATCH, len(sources))))
            texts = [self.answer(sources[i]) for i in indices]
            yield indices, [Output(text, 0.0, len(text.split())) for text in texts]


class PerfectEngine(_Batched):
    label = "perfect test-engine"

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.asked: list[str] = []

    def answer(self, source: str) -> str:
        self.asked.append(source)
        return self.answers[source]


class CopyingEngine(_Batched):
    label = "copying test-engine"

    def answer(self, source: str) -> str:
        return source


class NotInEnglish(ValueError):
    pass


def ideal_english(masked: Masked, english: str) -> str:
    """`english` (a person's translation of masked.zh) with each slot's English replaced by
    its token, as an engine that translates perfectly would write it: the token where the
    name stands (a capital at the start of a sentence is the restorer's job), and after a
    name that ends in a full stop (Co., Ltd.) the sentence's own full stop."""
    claimed: list[tuple[int, int, str]] = []
    # markup first, as the writer typed it, in the order of the Chinese: a perfect engine
    # puts each token where its markup stands, spaced from the words it marks
    pos = 0
    for slot in (s for s in masked.slots if s.kind.startswith("markup")):
        at = english.find(slot.en, pos)
        if at < 0:
            raise NotInEnglish(f"{slot.token} ({slot.kind} {slot.en!r}) is not in: {english}")
        end = at + len(slot.en)
        before = " " if english[at - 1:at].isalnum() else ""
        after = " " if english[end:end + 1].isalnum() else ""
        if slot.kind == "markup-open":
            before, after = before, " "
        elif slot.kind == "markup-close":
            before = " "
        claimed.append((at, end, before + slot.token + after))
        pos = end
    for slot in sorted((s for s in masked.slots if not s.kind.startswith("markup")), key=lambda s: (-len(s.en), s.token)):
        first = re.escape(slot.en[:1])
        head = f"(?:{first}|{re.escape(slot.en[:1].upper())})" if slot.en[:1].islower() else first
        pattern = re.compile(rf"(?<![\w-]){head}{re.escape(slot.en[1:])}(?![\w])")
        for m in pattern.finditer(english):
            if all(m.end() <= a or m.start() >= b for a, b, _ in claimed):
                replacement = slot.token
                rest = english[m.end():]
                if slot.en.endswith(".") and (not rest.strip() or re.match(r"\s+[A-Z“‘\"]", rest)):
                    replacement += "."
                claimed.append((m.start(), m.end(), replacement))
                break
        else:
            raise NotInEnglish(f"{slot.token} ({slot.kind} {slot.zh} → {slot.en!r}) is not in: {english}")
    out, last = [], 0
    for start, end, replacement in sorted(claimed):
        out.append(english[last:start])
        out.append(replacement)
        last = end
    out.append(english[last:])
    return "".join(out)

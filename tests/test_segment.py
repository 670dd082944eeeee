import pytest

from builder.segment import split_sentences

CASES = [
    # closing quotes stay with the sentence they close
    ("“预计本周内将有部分产线可以率先投产。”6月12日，项目现场通电调试。",
     ["“预计本周内将有部分产线可以率先投产。”", "6月12日，项目现场通电调试。"]),
    # question and exclamation inside quotes, back to back
    ("“周末去哪儿？”“市中心！”金鹰国际很热闹。", ["“周末去哪儿？”", "“市中心！”", "金鹰国际很热闹。"]),
    # semicolon ends a sentence; decimal points and percentages do not
    ("销售额14224.4万元，同比增长46.9%；累计客流量超150万人次。",
     ["销售额14224.4万元，同比增长46.9%；", "累计客流量超150万人次。"]),
    # an ellipsis inside a running sentence does not end it
    ("突出特色、错位发展……以科技创新引领产业发展。", ["突出特色、错位发展……以科技创新引领产业发展。"]),
    # an ellipsis closing a quotation does
    ("他说：“还有很多……”大家都笑了。", ["他说：“还有很多……”", "大家都笑了。"]),
    # mixed ender runs and a trailing fragment without an ender
    ("真的吗？！好的", ["真的吗？！", "好的"]),
    # brackets after the full stop stay on the sentence
    ("（项目已投产。）下一步扩产。", ["（项目已投产。）", "下一步扩产。"]),
    # Traditional Chinese corner quotes
    ("「產業是根基。」發改局表示。", ["「產業是根基。」", "發改局表示。"]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected
    assert "".join(split_sentences(text)) == text  # nothing lost, nothing added


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences("   ") == []


def _reference_split(text: str) -> list[str]:
    """The first implementation, a character loop (kept as the oracle for the regex one)."""
    import re

    enders, closers = "。！？；!?;", "”’」』）)】》〉\"'"
    ellipsis = re.compile(r"(?:…{1,2}|\.{3,6})")
    sentences, start, i, n = [], 0, 0, len(text)
    while i < n:
        end = None
        if text[i] in enders:
            end = i + 1
            while end < n and text[end] in enders:
                end += 1
        else:
            m = ellipsis.match(text, i)
            if m:
                after = m.end()
                if after >= n or text[after] in closers:
                    end = after
                else:
                    i = after
                    continue
        if end is None:
            i += 1
            continue
        closer_end = end
        while closer_end < n and text[closer_end] in closers:
            closer_end += 1
        piece = text[start:closer_end].strip()
        if piece:
            sentences.append(piece)
        start = i = closer_end
    tail = text[start:].strip()
    return sentences + ([tail] if tail else [])


def test_split_sentences_agrees_with_the_character_loop_it_replaced():
    import random

    from fixture_site import REPO

    texts = [line for line in (REPO / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8").splitlines()]
    alphabet = "。！？；!?;…. ”’」』）)】》〉\"'甲乙丙丁，、"
    rng = random.Random(6)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in texts:
        assert split_sentences(text) == _reference_split(text), text

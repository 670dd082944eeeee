import pytest

from builder import frontmatter
from builder.errors import BuildError


def test_lines_are_file_lines():
    meta, body, body_line = frontmatter.parse("---\ntitle: 标题\nlist:\n  - a\n  - b\n---\n\n正文", "x.md")
    assert meta == {"title": "标题", "list": ["a", "b"]}
    assert meta.line_of("title") == 2 and meta.line_of("list") == 3
    assert meta["list"].lines == [4, 5]
    assert body.strip() == "正文" and body_line == 7


def test_dates_stay_strings():
    meta, _, _ = frontmatter.parse("---\ndate: 2023-06-14\n---\n", "x.md")
    assert meta["date"] == "2023-06-14"


@pytest.mark.parametrize("text,message", [
    ("title: x\n", "x.md:1: missing front matter: the file must start with a line '---'"),
    ("---\ntitle: x\n", "x.md:1: front matter is not closed: no second '---' line"),
    ("---\ntitle: x\n bad: [\n---\n", "x.md:3: invalid YAML: mapping values are not allowed here"),
    ("---\ntitle: a\ntitle: b\n---\n", "x.md:3: duplicate key 'title'"),
    ("---\n- a\n---\n", "x.md:2: front matter must be a YAML mapping (key: value lines)"),
])
def test_errors_name_file_and_line(text, message):
    with pytest.raises(BuildError) as info:
        frontmatter.parse(text, "x.md")
    assert str(info.value) == message


def test_join_round_trip():
    text = frontmatter.join({"title": "鼓楼", "aliases": []}, "正文\n")
    meta, body, _ = frontmatter.parse(text, "x.md")
    assert meta == {"title": "鼓楼", "aliases": []} and body.strip() == "正文"

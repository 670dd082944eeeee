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


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))


@pytest.mark.parametrize("text, message", [
    # an alias bomb (9**10 strings once expanded) is refused before anything is built from it
    (BOMB, "x.yaml:2: YAML aliases (*a) are not allowed here: write the value out in full "
           "(an alias can make a small file expand without bound)"),
    ("a: &x hi\nb: *x\n", "x.yaml:2: YAML aliases (*x) are not allowed here"),
    ("a: &a [*a]\n", "x.yaml:1: YAML aliases (*a) are not allowed here"),
    ("a: &a {x: 1}\nb:\n  <<: *a\n", "x.yaml:3: YAML aliases (*a) are not allowed here"),
    ("b:\n  <<: {x: 1}\n", "x.yaml:2: YAML merge keys (<<) are not allowed here"),
    ("a: " + "[" * 100 + "]" * 100, "x.yaml:1: nested more than 64 levels deep"),
    ("a: " + "[" * 100_000 + "]" * 100_000, "x.yaml:1: nested more than 64 levels deep"),
    ("a: 1\nb: " + "9" * 5000 + "\n", "x.yaml:2: invalid value: a number of more than 4300 digits"),
    ("a: !!timestamp 2023-02-30\n", "x.yaml:1: invalid value: day is out of range for month"),
    ("? [a, b]\n: x\n", "x.yaml:1: mapping keys must be plain values"),
])
def test_hostile_yaml_is_a_clean_error(text, message):
    with pytest.raises(BuildError) as info:
        frontmatter.load_yaml(text, "x.yaml")
    assert str(info.value).startswith(message)


def test_nesting_up_to_the_limit_is_fine():
    assert frontmatter.load_yaml("a: " + "[" * 63 + "]" * 63, "x.yaml")["a"]


def test_an_unclosed_quote_is_reported_where_it_opens():
    with pytest.raises(BuildError) as info:
        frontmatter.parse('---\nslug: x\ntitle: "鑫华半导体\ndate: 2023-06-14\nauthors: [a]\n---\n\n正文\n', "x.md")
    assert str(info.value) == "x.md:3: invalid YAML: while scanning a quoted scalar found unexpected end of stream"

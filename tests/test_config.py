import re
from pathlib import Path

import pytest

from builder.config import parse_config
from builder.errors import BuildError

BASE = "[project]\nname='x'\n\n[tool.briefing]\n"


def test_defaults_and_values():
    config = parse_config(BASE + 'title_en = "X"\nbase_url = "https://a.github.io/xuzhou-briefing"\n', Path("/p"))
    assert config.title_en == "X"
    assert config.base_path == "/xuzhou-briefing/"
    assert config.origin == "https://a.github.io"
    assert config.output == Path("/p/site")


def test_unknown_key_names_line_and_known_keys():
    with pytest.raises(BuildError) as info:
        parse_config(BASE + 'title_en = "X"\ntheem = "dark"\n', Path("/p"))
    assert str(info.value).startswith("pyproject.toml:6: unknown setting 'theem' in [tool.briefing]; known: ")
    assert "theme" in str(info.value)


def test_wrong_type():
    with pytest.raises(BuildError, match=r"pyproject.toml:5: setting 'translate_batch_size' must be int"):
        parse_config(BASE + 'translate_batch_size = "many"\n', Path("/p"))


def test_base_url_override_keeps_origin():
    config = parse_config(BASE + 'base_url = "https://a.github.io/"\n', Path("/p"))
    assert config.with_base_url("/xuzhou-briefing/").base_url == "https://a.github.io/xuzhou-briefing/"
    assert config.with_base_url("/").base_path == "/"


@pytest.mark.parametrize("theme", ["../../../../x", "/etc", "a/b", "..", ".hidden", "a\\b", ""])
def test_theme_must_be_a_folder_name_in_themes(theme):
    with pytest.raises(BuildError) as info:
        parse_config(BASE + f'theme = "{theme}"\n'.replace("\\", "\\\\"), Path("/p"))
    assert str(info.value).startswith(f"pyproject.toml:5: theme {theme!r} must be the name of a folder in themes/")


def test_a_theme_name_resolves_inside_themes():
    config = parse_config(BASE + 'theme = "dark-1.2"\n', Path("/p"))
    assert config.theme_dir.parent in (Path("/p/themes"), Path(__file__).resolve().parents[1] / "themes")


@pytest.mark.parametrize("key", ["content_dir", "seeds_dir", "themes_dir"])
@pytest.mark.parametrize("value", ["/etc", "../x", "", "."])
def test_input_folders_lie_inside_the_project(key, value):
    with pytest.raises(BuildError, match=rf"^pyproject.toml:5: {key} '{re.escape(value)}' must be a folder inside"):
        parse_config(BASE + f'{key} = "{value}"\n', Path("/p"))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/",
                                 "ftp://example.org/", "https://", "https://a.b/<script>", "/a b/", "http://x/\"onload"])
def test_base_url_accepts_only_http_urls_or_paths(url):
    with pytest.raises(BuildError) as info:
        parse_config(BASE + f"base_url = '{url}'\n", Path("/p"))
    assert str(info.value) == (f"pyproject.toml:5: base_url {url!r} must be an http(s) URL "
                               "(https://user.github.io/repo/) or a path (/repo/)")
    config = parse_config(BASE, Path("/p"))
    with pytest.raises(BuildError, match=r"^--base-url .* must be an http\(s\) URL"):
        config.with_base_url(url)


@pytest.mark.parametrize("url, base", [("https://a.github.io/repo/", "/repo/"), ("http://127.0.0.1:8000/", "/"),
                                       ("/xuzhou-briefing/", "/xuzhou-briefing/"), ("xuzhou-briefing", "/xuzhou-briefing/"),
                                       ("/", "/")])
def test_good_base_urls(url, base):
    assert parse_config(BASE + f'base_url = "{url}"\n', Path("/p")).base_path == base
    assert parse_config(BASE, Path("/p")).with_base_url(url).base_path == base


@pytest.mark.parametrize("text, message", [
    ('translate_batch_size = 99999999999999999999\n', "setting 'translate_batch_size' must be between 0 and 4096"),
    ('translate_batch_size = ' + '9' * 5000 + '\n', "invalid TOML"),
    ('translate_batch_size = 100000000\n', "setting 'translate_batch_size' must be between 0 and 4096"),
    ('translate_inter_threads = -1\n', "setting 'translate_inter_threads' must be between 0 and 1024"),
])
def test_numbers_out_of_range(text, message):
    with pytest.raises(BuildError, match=message):
        parse_config(BASE + text, Path("/p"))


def test_briefing_table_that_is_not_a_table():
    with pytest.raises(BuildError, match=r"must be a table"):
        parse_config("[tool]\nbriefing = 3\n", Path("/p"))

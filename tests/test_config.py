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

"""Issue 14, item 1: no setting may make `build` replace the project, an input, or a folder
holding files the build did not write. Refused with the setting's pyproject.toml:line, and
nothing in the project changes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from builder import cli
from builder.config import parse_config
from builder.errors import BuildError
from builder.guard import MARKER

BUILD = ["build", "--no-search", "--no-translate", "--no-progress"]


def _set_output(root: Path, value: str) -> int:
    """Append `output_dir = value` to the fixture's [tool.briefing]; returns its line number."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + f"output_dir = {value!r}\n".replace("'", '"'), encoding="utf-8")
    return len(text.splitlines()) + 1


def _run(argv, capsys) -> tuple[int, str]:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip()


def _project_files(root: Path) -> dict[str, str]:
    """Every file of the project (links not followed) with its sha256, the build cache aside."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if not rel.startswith(".briefing-cache"):
                found[rel] = "link:" + os.readlink(path) if path.is_symlink() else \
                    hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.parametrize("value, says", [
    (".", "is the project folder itself"),
    ("", "is the project folder itself"),
    ("./", "is the project folder itself"),
    ("content", "is the content folder"),
    ("content/briefings", "lies inside the content folder"),
    ("seeds", "is the seeds folder"),
    ("themes", "is the themes folder"),
    ("pyproject.toml", "is the project settings file"),
    (".briefing-cache", "is the build cache"),
    (".git", "is the git repository"),
    (".venv", "is the virtual environment"),
    ("..", "must lie inside the project"),
    ("../elsewhere", "must lie inside the project"),
    ("site/../..", "must lie inside the project"),
    ("/tmp/site", "must lie inside the project"),
    ("~/site", "must lie inside the project"),
])
def test_output_dir_that_would_replace_the_project_or_an_input_is_refused(project, capsys, value, says):
    line = _set_output(project, value)
    before = _project_files(project)
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 1
    assert err.startswith(f"error: pyproject.toml:{line}: output_dir {value!r}"), err
    assert says in err
    assert _project_files(project) == before


def test_a_parent_of_an_input_is_refused(project, capsys):
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text(encoding="utf-8") + 'content_dir = "data/content"\n'
        'output_dir = "data"\n', encoding="utf-8")
    (project / "data").mkdir()
    os.rename(project / "content", project / "data" / "content")
    before = _project_files(project)
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 1 and "output_dir 'data' holds the content folder" in err, err
    assert _project_files(project) == before


def test_a_folder_with_files_the_build_did_not_write_is_refused(project, capsys):
    line = _set_output(project, "docs")
    (project / "docs").mkdir()
    (project / "docs" / "notes.md").write_text("mine\n", encoding="utf-8")
    before = _project_files(project)
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 1
    assert err == (f"error: pyproject.toml:{line}: output_dir 'docs' holds files the build did not write "
                   f"(no {MARKER} in it); empty or remove the folder, or choose another output_dir")
    assert _project_files(project) == before


def test_a_folder_of_the_default_setting_is_checked_too(project, capsys):
    (project / "site").mkdir()
    (project / "site" / "mine.txt").write_text("x", encoding="utf-8")
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 1 and err.startswith("error: site: output_dir 'site' holds files the build did not write"), err
    assert (project / "site" / "mine.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("target", [".", "content", "..", "/"])
def test_a_symlinked_output_folder_is_refused(project, capsys, target, tmp_path):
    os.symlink(target if target != ".." else str(tmp_path), project / "site")
    before = _project_files(project)
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 1 and "error: site: output_dir 'site'" in err, err
    assert _project_files(project) == before


def test_a_folder_reached_through_a_symlinked_parent_is_checked_where_it_really_is(project, capsys):
    os.symlink(".", project / "here")
    line = _set_output(project, "here/content")
    before = _project_files(project)
    code, err = _run(["-C", str(project), *BUILD], capsys)
    assert code == 1 and err.startswith(f"error: pyproject.toml:{line}: output_dir 'here/content'"), err
    assert _project_files(project) == before


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_empty_or_own_output_folder_is_built_and_marked(project, capsys, cache):
    line = _set_output(project, "public/site")
    del line
    (project / "public" / "site").mkdir(parents=True)
    code, err = _run(["-C", str(project), *BUILD, *cache], capsys)
    assert code == 0, err
    assert (project / "public" / "site" / MARKER).is_file()
    assert (project / "public" / "site" / "index.html").is_file()
    # a second build (cold or incremental) replaces its own site without complaint
    (project / "content" / "briefings" / "xinhua-funding.md").write_text(
        (project / "content" / "briefings" / "xinhua-funding.md").read_text(encoding="utf-8") + "\n又一句。\n",
        encoding="utf-8")
    code, err = _run(["-C", str(project), *BUILD, *cache], capsys)
    assert code == 0, err
    assert (project / "public" / "site" / MARKER).is_file()
    code, err = _run(["-C", str(project), *BUILD, *cache], capsys)
    assert code == 0, err
    assert (project / "public" / "site" / MARKER).is_file()


def test_the_marker_is_the_same_in_every_build(project, capsys):
    assert _run(["-C", str(project), *BUILD], capsys)[0] == 0
    first = (project / "site" / MARKER).read_bytes()
    assert _run(["-C", str(project), *BUILD, "--no-cache"], capsys)[0] == 0
    assert (project / "site" / MARKER).read_bytes() == first


@pytest.mark.parametrize("value", ["site", "public", "out/site", "build/html"])
def test_ordinary_output_dirs_are_accepted(value):
    config = parse_config(f'[tool.briefing]\noutput_dir = "{value}"\n', Path("/p"))
    assert config.output == Path("/p") / value


def test_config_error_names_the_line():
    with pytest.raises(BuildError) as info:
        parse_config('[tool.briefing]\ntitle_en = "x"\noutput_dir = "."\n', Path("/p"))
    assert str(info.value).startswith("pyproject.toml:3: output_dir '.' is the project folder itself")


def _own_theme(project: Path) -> Path:
    import shutil

    theme = project / "themes" / "default"
    shutil.copytree(Path(__file__).parents[1] / "themes" / "default", theme)
    return theme


@pytest.mark.parametrize("where", ["static/key.txt", "templates/base_copy.html", "static/sub"])
def test_a_link_out_of_the_theme_is_refused_with_its_path(project, tmp_path, capsys, where):
    theme = _own_theme(project)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "id_rsa").write_text("PRIVATE KEY\n", encoding="utf-8")
    target = secret if where == "static/sub" else secret / "id_rsa"
    (theme / where).symlink_to(target)
    assert cli.main(["-C", str(project), "build", "--no-translate", "--no-progress", "--no-search"]) == 1
    err = capsys.readouterr().err
    assert f"themes/default/{where}: is a link to {target}, outside the theme 'default'" in err
    assert "Traceback" not in err
    assert not (project / "site").exists()


def test_a_link_inside_the_theme_is_fine(project, capsys):
    theme = _own_theme(project)
    (theme / "static" / "style-copy.css").symlink_to("style.css")
    assert cli.main(["-C", str(project), "build", "--no-translate", "--no-progress", "--no-search"]) == 0
    assert (project / "site" / "static" / "style-copy.css").read_bytes() == (theme / "static" / "style.css").read_bytes()

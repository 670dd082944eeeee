"""What a build may read and replace, checked on the disk before it starts.

`check_theme`: every file of the theme is the theme's own: a link inside themes/<name>/ (in
static/, which is copied into the site, or templates/) that leads out of the theme folder is
refused with its path, so a theme cannot publish, say, ~/.ssh/id_rsa as static/key.txt.

The output folder belongs to the build: it is replaced whole on every build, so the build
must never be pointed at anything else.

`config.py` refuses settings that name the project, an input or a place outside the project
(pyproject.toml:line). What a setting cannot show is checked here, on the disk, before a
build writes anything (`check_output`): where the folder really is once links are followed,
and whether it holds files some other hand wrote. A site the build wrote carries the marker
file `MARKER`, which `mark` puts into the staged folder before it is swapped in (so the live
site always has it). An empty or missing folder is fine; anything else is refused.

The marker is a dotfile: GitHub Pages publishes it as a harmless text file (or leaves it out,
as artifact uploads skip hidden files), Pagefind ignores it, nothing links to it.
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.config import INPUT_DIRS, PROTECTED, Config, output_problem
from builder.errors import BuildError

MARKER = ".briefing-site"
MARKER_TEXT = (b"This folder is written by `briefing build` (xuzhou-briefing) and replaced whole by\n"
               b"every build: do not keep anything of yours in it.\n")


def mark(folder: Path) -> None:
    """Put the marker into a staged site (a fresh file: the folder may be a reused
    generation whose files are hard links shared with the live site)."""
    path = os.path.join(folder, MARKER)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    with open(path, "xb") as handle:
        handle.write(MARKER_TEXT)


def _where(config: Config) -> tuple[str, int | None]:
    line = config.lines.get("output_dir")
    return ("pyproject.toml", line) if line else (config.output_dir, None)


def check_output(config: Config) -> None:
    """Raise BuildError unless the output folder is one the build may replace."""
    path, line = _where(config)
    shown = f"output_dir {config.output_dir!r}"
    out = config.output
    if out.is_symlink():
        raise BuildError(path, line, f"{shown} is a link ({os.readlink(out)}); the build replaces its "
                                     "output folder whole, so it must be a plain folder")
    real_root = Path(os.path.realpath(config.root))
    real = Path(os.path.realpath(out))
    if not Path(config.output_dir).is_absolute() and not real.is_relative_to(real_root):
        raise BuildError(path, line, f"{shown} leads outside the project (to {real}) through a link")
    inputs = [(Path(os.path.realpath(config.root / getattr(config, key))), what)
              for key, what in INPUT_DIRS.items()]
    inputs += [(Path(os.path.realpath(config.root / name)), what) for name, what in PROTECTED.items()]
    inputs += [(Path(os.path.realpath(config.theme_dir)), "the theme"),
               (Path(__file__).resolve().parent, "the builder's code")]
    reason = output_problem(real, real_root, inputs)
    if reason:
        raise BuildError(path, line, f"{shown} {reason} (it is {real}); the build replaces its output "
                                     "folder whole; choose a folder of its own, such as 'site'")
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise BuildError(path, line, f"{shown} is a file, not a folder")
    marker = out / MARKER
    if marker.is_file() and not marker.is_symlink():
        return
    with os.scandir(out) as entries:
        if next(entries, None) is None:
            return
    raise BuildError(path, line, f"{shown} holds files the build did not write (no {MARKER} in it); "
                                 "empty or remove the folder, or choose another output_dir")


def check_theme(config: Config) -> None:
    """Raise BuildError for a link in the theme folder that leads outside it (or nowhere)."""
    theme = Path(config.theme_dir)
    real_theme = Path(os.path.realpath(theme))
    shown_root = theme.relative_to(config.root) if theme.is_relative_to(config.root) else theme
    for folder, dirs, files in os.walk(theme):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                continue
            shown = shown_root / os.path.relpath(path, theme)
            real = Path(os.path.realpath(path))
            if not real.is_relative_to(real_theme) or real == real_theme:
                raise BuildError(str(shown), None, f"is a link to {os.readlink(path)}, outside the theme "
                                                   f"'{config.theme}'; a theme's files must be inside its folder")
            if not real.exists():
                raise BuildError(str(shown), None, f"is a link to {os.readlink(path)}, which does not exist")

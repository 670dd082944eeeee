"""One frozen settings object, read from [tool.briefing] in pyproject.toml.

Unknown keys are errors (a typo must not be silently ignored). Paths are resolved
against the project root, the folder that holds pyproject.toml.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from builder.errors import BuildError, Collector

SECTION = "tool.briefing"


@dataclass(frozen=True)
class Config:
    root: Path
    title_zh: str = "徐州简报"
    title_en: str = "Xuzhou Briefing"
    description_zh: str = "徐州各区与产业动态的中英双语简报"
    description_en: str = "Bilingual briefings on Xuzhou's districts, industries and enterprises"
    # Absolute URL of the published site; its path part is the base path ("/" or "/repo/").
    base_url: str = "http://127.0.0.1:8000/"
    theme: str = "default"
    content_dir: str = "content"
    seeds_dir: str = "seeds"
    themes_dir: str = "themes"
    output_dir: str = "site"
    # Machine translation (argostranslate / ctranslate2).
    translate_device: str = "cpu"
    # Threads: inter = batches decoded at once (workers share one copy of the weights),
    # intra = threads inside one batch's matrix products. Their product should not exceed
    # the cores: ctranslate2's intra default (0 = 4 threads) oversubscribes a 2-core CPU.
    # Two workers of one thread each beat one worker of two on the tiny benchmark model
    # (bench/README.md): beam search is a long chain of small steps, and two independent
    # batches keep both cores busy without a thread barrier in every step. For a real model
    # the split is as right (ctranslate2's docs/parallel.md; weights are not duplicated) but
    # the gain is smaller; not measured here, as no real model can be fetched offline.
    # On a bigger machine raise inter_threads towards the core count.
    translate_inter_threads: int = 2
    translate_intra_threads: int = 1
    # Sentences per batch (and per worker between two saves of the memory): 32 sentences
    # x beam 4 amortise the per-step overhead; much larger batches mostly add padding.
    translate_batch_size: int = 32
    translate_beam_size: int = 4
    # When a briefing's English page is published as English (PUBLISH_RULES; README "Publishing
    # English"). Below the rule it is a "translation pending" page: noindex, out of the English
    # feeds, sitemap and search, listed under "Awaiting translation". Chinese is always published.
    publish_en: str = "translated"
    extra: dict = field(default_factory=dict, compare=False, repr=False)
    # setting -> its line in pyproject.toml, for errors found after loading (builder/guard.py)
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    # ---- derived paths -------------------------------------------------
    @property
    def content(self) -> Path:
        return self.root / self.content_dir

    @property
    def seeds(self) -> Path:
        return self.root / self.seeds_dir

    @property
    def output(self) -> Path:
        return self.root / self.output_dir

    @property
    def theme_dir(self) -> Path:
        """The project's own themes/<theme>/, else the theme of that name shipped with the builder."""
        own = self.root / self.themes_dir / self.theme
        if own.is_dir():
            return own
        shipped = Path(__file__).resolve().parent.parent / "themes" / self.theme
        return shipped if shipped.is_dir() else own

    def rel(self, path: str | os.PathLike[str]) -> str:
        """A path as messages show it: relative to the project root when it is inside it."""
        text = os.fspath(path)
        root = os.fspath(self.root) + os.sep
        if text.startswith(root):
            return text[len(root):]
        try:
            return str(Path(text).relative_to(self.root))
        except ValueError:
            return text

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always with leading and trailing '/'."""
        path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", self.base_url.strip(), flags=re.I)
        path = "/" + path.strip("/")
        return path if path == "/" else path + "/"

    @property
    def origin(self) -> str:
        m = re.match(r"^([a-z][a-z0-9+.-]*://[^/]*)", self.base_url.strip(), flags=re.I)
        return m.group(1) if m else ""

    def with_base_url(self, base_url: str) -> Config:
        problem = base_url_problem(base_url)
        if problem:
            raise BuildError(None, None, f"--base-url {base_url!r} {problem}")
        if not re.match(r"^[a-z][a-z0-9+.-]*://", base_url, flags=re.I):
            # A bare path such as /xuzhou-briefing/ keeps the configured origin.
            base_url = self.origin + "/" + base_url.strip("/") + ("/" if base_url.strip("/") else "")
        return dataclasses.replace(self, base_url=base_url)


_FIELDS = {f.name: f for f in dataclasses.fields(Config) if f.name not in ("root", "extra", "lines")}


def _key_line(text: str, key: str) -> int | None:
    in_section = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.strip("[] ") == SECTION
            continue
        if in_section and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return None


# ---- settings that name places ------------------------------------------------
# The build replaces its output folder whole (builder/write.py), so that folder must be one of
# its own: inside the project, and none of what the project is made of.
INPUT_DIRS = {"content_dir": "the content folder", "seeds_dir": "the seeds folder",
              "themes_dir": "the themes folder"}
PROTECTED = {"pyproject.toml": "the project settings file", ".briefing-cache": "the build cache",
             ".git": "the git repository", ".venv": "the virtual environment"}
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_HTTP_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$", re.I)
_URL_PATH = re.compile(r"^/?(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+/?)*$")
BASE_URL_HELP = "must be an http(s) URL (https://user.github.io/repo/) or a path (/repo/)"


def plain_path(value: str) -> PurePosixPath | None:
    """A setting's folder as a path relative to the project ('.' for the project folder
    itself), or None when it is absolute, starts with '~' or has a '..' (leaves the project)."""
    value = value.strip()
    if value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value):
        return None
    parts = [part for part in re.split(r"[/\\]", value) if part not in ("", ".")]
    if ".." in parts:
        return None
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def output_problem(output: PurePath, root: PurePath, inputs: Sequence[tuple[PurePath, str]]) -> str | None:
    """Why `output` must not be the build's output folder, or None. All paths in one form
    (relative to a common anchor, or all resolved and absolute)."""
    if output == root or output in root.parents:
        return "is the project folder itself" if output == root else "holds the project folder"
    for path, what in inputs:
        if output == path:
            return f"is {what}"
        if output in path.parents:
            return f"holds {what}"
        if path in output.parents:
            return f"lies inside {what}"
    return None


_LOOPBACK = re.compile(r"^https?://(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:/|$)", re.I)


def loopback_warning(config: Config, given: bool) -> str | None:
    """One line when the site is built for this machine's loopback host but looks meant for
    somewhere else (a base path other than `/`, or `--base-url` given): canonical URLs, the
    sitemap, the feeds and Open Graph then point at 127.0.0.1, which no reader can open."""
    if not _LOOPBACK.match(config.base_url.strip()) or (config.base_path == "/" and not given):
        return None
    return (f"warning: base URL {config.base_url} has a loopback host: canonical URLs, the sitemap, the feeds "
            f"and Open Graph point at this machine; to deploy, give the full URL, e.g. --base-url "
            f"https://<user>.github.io{config.base_path}")


def base_url_problem(value: str) -> str | None:
    """None for an http(s) URL or a URL path; javascript:, data:, //host… are refused."""
    value = value.strip()
    if _SCHEME.match(value):
        return None if _HTTP_URL.match(value) else BASE_URL_HELP
    if value.startswith("//") or not _URL_PATH.match(value):
        return BASE_URL_HELP
    return None


def _check_places(values: dict[str, Any], text: str, path: str, problems: Collector) -> None:
    anchor = PurePosixPath("/")
    inputs: list[tuple[PurePath, str]] = []
    for key, what in INPUT_DIRS.items():
        value = values.get(key, _FIELDS[key].default)
        rel = plain_path(value)
        if rel is None or rel == PurePosixPath("."):
            problems.add(path, _key_line(text, key), f"{key} {value!r} must be a folder inside the project "
                                                     "(a relative path without '..')")
            continue
        inputs.append((anchor / rel, what))
    inputs += [(anchor / name, what) for name, what in PROTECTED.items()]
    output = values.get("output_dir", _FIELDS["output_dir"].default)
    rel = plain_path(output)
    if rel is None:
        reason: str | None = "must lie inside the project (a relative path without '..')"
    else:
        reason = output_problem(anchor / rel, anchor, inputs)
    if reason:
        problems.add(path, _key_line(text, "output_dir"),
                     f"output_dir {output!r} {reason}: the build replaces its output folder whole; "
                     "choose a folder of its own, such as 'site'")
    theme = values.get("theme", _FIELDS["theme"].default)
    if not _THEME_NAME.match(theme) or ".." in theme:
        problems.add(path, _key_line(text, "theme"),
                     f"theme {theme!r} must be the name of a folder in themes/ "
                     "(letters, digits, '-', '_', '.'; no '/' or '..')")
    problem = base_url_problem(values.get("base_url", _FIELDS["base_url"].default))
    if problem:
        problems.add(path, _key_line(text, "base_url"), f"base_url {values['base_url']!r} {problem}")


def parse_config(text: str, root: Path, path: str = "pyproject.toml") -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise BuildError(path, int(m.group(1)) if m else None, f"invalid TOML: {exc}") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise BuildError(path, None, f"invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("briefing", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise BuildError(path, _section_line(text), f"[{SECTION}] must be a table of settings")
    problems = Collector()
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = _FIELDS.get(key)
        if spec is None:
            problems.add(path, _key_line(text, key),
                         f"unknown setting '{key}' in [{SECTION}]; known: {', '.join(sorted(_FIELDS))}")
            continue
        expected = type(spec.default)
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            problems.add(path, _key_line(text, key),
                         f"setting '{key}' must be {expected.__name__}, not {type(value).__name__}")
            continue
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= _INT_LIMITS.get(key, 1024):
            problems.add(path, _key_line(text, key),
                         f"setting '{key}' must be between 0 and {_INT_LIMITS.get(key, 1024)}")
            continue
        values[key] = value
    if values.get("translate_device", "cpu") not in ("cpu", "cuda", "auto"):
        problems.add(path, _key_line(text, "translate_device"), "translate_device must be cpu, cuda or auto")
    if values.get("publish_en", "translated") not in PUBLISH_RULES:
        problems.add(path, _key_line(text, "publish_en"),
                     f"publish_en must be one of {', '.join(PUBLISH_RULES)}, not {values['publish_en']!r}")
    _check_places(values, text, path, problems)
    problems.raise_if_any()
    lines = {key: line for key in table if (line := _key_line(text, key)) is not None}
    return Config(root=root, lines=lines, **values)


# publish_en: which English a briefing needs before its English page is published as English
PUBLISH_RULES = {
    "reviewed": "every segment reviewed by a person",
    "translated": "every segment reviewed, outdated (reviewed English of an earlier Chinese) or machine-translated "
                  "without a quality flag",
    "always": "always (untranslated and flagged segments are shown labelled, in Chinese)",
}


# whole numbers beyond these are typos (or attacks: a batch of 10**18 sentences)
_INT_LIMITS = {"translate_batch_size": 4096, "translate_beam_size": 64}


def _section_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().strip("[] ") == SECTION:
            return number
    return None


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding a pyproject.toml with [tool.briefing]."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.briefing" in candidate.read_text(encoding="utf-8"):
            return folder
    raise BuildError(str(start), None, "no pyproject.toml with a [tool.briefing] table here or above")


def load_config(root: Path | None = None) -> Config:
    root = find_root(root or Path.cwd())
    path = root / "pyproject.toml"
    return parse_config(path.read_text(encoding="utf-8"), root, str(path.relative_to(root)))

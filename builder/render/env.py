"""The theme's Jinja2 environment: StrictUndefined and autoescape, compiled once.

A Session keeps the environment of its last build and reuses it while the theme, the settings
and the code are unchanged (`key`); with a cache folder, compiled templates are also kept on
disk between processes (compiling the whole theme is a noticeable part of a small rebuild).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import jinja2

from builder.cache import seal
from builder.errors import BuildError
from builder.render.searchtext import name_key, plain
from builder.session import Session


def environment(theme: Path, session: Session, key: str | None, bytecode_dir: Path | None) -> jinja2.Environment:
    """The theme's environment, from the session when `key` (a fingerprint of everything the
    templates are made of) is the one it was made for."""
    if not (theme / "templates").is_dir():
        raise BuildError(str(theme), None, f"theme '{theme.name}' has no templates/ folder")
    cache_key = (str(theme), key) if key else None
    env = session.templates.get(cache_key) if cache_key else None
    if env is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(theme / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # compile each template once, never stat it again
        )
        # what search indexes (data-pagefind-filter / -meta) is plain text: builder/render/searchtext.py
        env.filters["plain"] = plain
        env.filters["name_key"] = name_key
        if bytecode_dir is not None:
            env.bytecode_cache = _bytecode_cache(bytecode_dir, env, session)  # None: no key
        if cache_key:
            session.templates.clear()
            session.templates[cache_key] = env
    return env


def template_problem(exc: jinja2.TemplateError) -> BuildError:
    line = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
    return BuildError(str(name), line, f"template error: {exc}")


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between processes. Jinja checks each template's source checksum,
    so an edited template is compiled again; a cache it cannot read or write only costs time.
    A compiled template is code (and Jinja unpickles its header), so each file is sealed with
    the project's cache key (cache/seal.py) and one without a valid seal is never loaded."""

    def __init__(self, directory: str, pattern: str, session: Session, key: bytes):
        super().__init__(directory, pattern)
        self.session = session
        self.key = key

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from builder.write import write_bytes_atomic

        try:
            os.makedirs(self.directory, exist_ok=True)
            write_bytes_atomic(Path(self._get_cache_filename(bucket)),
                               seal.seal(self.key, bucket.bytecode_to_string()), sync=False)
        except OSError as exc:
            self.session.note(f"cannot keep compiled template {bucket.key} ({exc})")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._get_cache_filename(bucket)
        try:
            with open(path, "rb") as handle:
                data = seal.unseal(self.key, handle.read(), f"compiled template {os.path.basename(path)}")
            bucket.bytecode_from_string(data)
        except FileNotFoundError:
            return
        except seal.Unsealed as exc:
            self.session.note(f"{exc}; compiling it again")
            bucket.reset()
        except (OSError, ValueError, EOFError) as exc:  # unreadable or truncated: compile afresh
            self.session.note(f"compiled template {bucket.key} unreadable ({exc}); compiling it again")
            bucket.reset()


def _bytecode_cache(folder: Path, env: jinja2.Environment, session: Session) -> jinja2.BytecodeCache | None:
    # Jinja's cache key is the template's name and source: the environment's options, which
    # shape the compiled code, go into the file names
    options: list[Any] = [jinja2.__version__, env.autoescape, env.trim_blocks, env.lstrip_blocks,
                          env.keep_trailing_newline, env.undefined.__name__, env.newline_sequence,
                          env.block_start_string, env.variable_start_string, env.comment_start_string,
                          sorted(env.extensions)]
    digest = hashlib.blake2b(repr(options).encode("utf-8"), digest_size=16).hexdigest()
    try:
        key = seal.project_key(Path(folder).parent.parent)  # folder: <project>/.briefing-cache/jinja
    except OSError as exc:
        session.note(f"no cache key ({exc}); templates are compiled, not kept")
        return None
    return _BytecodeCache(str(folder), f"{digest[:12]}-%s.cache", session, key)

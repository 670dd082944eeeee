"""What one process keeps between builds: a `Session`, owned by `cli` (one build) and by
`serve` (a build after every change).

Nothing it holds changes a build's output; it only saves work a previous build in the same
process already did:

- `stats`: each input file's stat and hash (cache/inputs.py), so a rebuild hashes only
  the files that changed;
- `memos`: per cache folder, the build cache state the last build committed, so `serve`
  does not read back what it has just written;
- `templates` and `finders`: the compiled theme and the glossary's mention finders of the
  last build, reused while the theme (or the glossary's names) did not change;
- `pinyin`: every pinyin result worked out so far (the build cache saves it between processes);
- the background saver: `serve` writes the build cache in a thread while the browser reloads.

Library code holds no state of its own between calls; a function that is given no Session
makes a fresh one (a cold process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from builder.names import Pinyin


@dataclass
class Session:
    # prints why a build cache could not be used (`--debug`); None: silent
    debug: Callable[[str], None] | None = None
    # `serve` sets this: the build cache is written in a thread once the new site is in place
    background_save: bool = False
    stats: dict = field(default_factory=dict)
    memos: dict[str, Any] = field(default_factory=dict)
    templates: dict[Any, Any] = field(default_factory=dict)
    finders: dict[Any, Any] = field(default_factory=dict)
    pinyin: Pinyin = field(default_factory=Pinyin)
    _code: str | None = None
    _saving: list[threading.Thread] = field(default_factory=list)

    def note(self, message: str) -> None:
        """Something the build could not reuse, and why (shown with --debug only)."""
        if self.debug is not None:
            self.debug(f"build cache: {message}")

    @property
    def code(self) -> str:
        """Fingerprint of the builder's code this process runs (cache/inputs.py)."""
        if self._code is None:
            from builder.cache.inputs import code_fingerprint

            self._code = code_fingerprint()
        return self._code

    def save(self, work: Callable[[], None]) -> None:
        """Run `work` (writing the build cache) now, or in a thread when `background_save`."""
        if not self.background_save:
            work()
            return
        # not a daemon: the process finishes the write before it exits
        thread = threading.Thread(target=work, name="build-cache-save")
        self._saving.append(thread)
        thread.start()

    def wait_for_saving(self) -> None:
        while self._saving:
            self._saving.pop().join()

"""Regular expressions compiled on first use.

A module that defines many patterns (ingest.py has a dozen) otherwise compiles them all at
import, and every build imports it, also a rebuild that uses none of them."""

from __future__ import annotations

import re


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`: any attribute (search, match, sub, …)
    compiles the pattern once and comes from the compiled one."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str):
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)

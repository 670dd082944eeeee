"""UI strings: themes/<theme>/i18n/<lang>.yaml, through `t(key)`, which raises on a missing
key, so an English page can never show a Chinese label by accident or the other way round.

Counts and dates go through the same tables: `plural(lang, key, count)` picks `<key>.one` for
exactly one and `<key>.other` otherwise (English's two forms; Chinese gives both the same
text), `date(lang, iso)` writes a YYYY-MM-DD day with `date.format` and `date.month.<n>`
(`2 June 2024`, `2024年6月2日`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from builder.errors import BuildError
from builder.render.urls import LANGS

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strings:
    def __init__(self, theme_dir: Path):
        self.tables: dict[str, dict[str, str]] = {}
        for lang in LANGS:
            path = theme_dir / "i18n" / f"{lang}.yaml"
            try:
                # libyaml when PyYAML has it: the pure-Python loader is slow to start
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
            except FileNotFoundError:
                raise BuildError(str(path), None, "UI strings file is missing") from None
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise BuildError(str(path), mark.line + 1 if mark else None,
                                 f"invalid YAML: {getattr(exc, 'problem', exc)}") from None
            if not isinstance(data, dict):
                raise BuildError(str(path), 1, "UI strings must be a mapping of key: text")
            self.tables[lang] = {str(k): str(v) for k, v in data.items()}

    def get(self, lang: str, key: str, **values: object) -> str:
        try:
            text = self.tables[lang][key]
        except KeyError:
            raise BuildError(f"i18n/{lang}.yaml", None, f"missing UI string '{key}'") from None
        return text.format(**values) if values else text

    def plural(self, lang: str, key: str, count: int, **values: object) -> str:
        return self.get(lang, f"{key}.{'one' if count == 1 else 'other'}", count=count, **values)

    def date(self, lang: str, iso: str) -> str:
        """A day as readers write it; anything not YYYY-MM-DD is shown as it is (content.py
        accepts no other form, so that is never a page's date)."""
        parts = iso.split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            return iso
        year, month, day = (int(p) for p in parts)
        if not 1 <= month <= 12:
            return iso
        return self.get(lang, "date.format", year=year, month=month, day=day,
                        month_name=self.get(lang, f"date.month.{month}"))

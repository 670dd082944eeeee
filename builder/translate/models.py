"""`briefing models install FILE.argosmodel | --download` and `briefing models list`.

Each function returns report lines; problems are BuildErrors (one clear line, no traceback).
"""

from __future__ import annotations

import json
import socket
import zipfile
from pathlib import Path

from builder.errors import BuildError
from builder.translate.engine import argos_settings, installed_models, packages_dir

DOWNLOAD_TIMEOUT = 4.0  # seconds per network attempt; offline must fail fast


def _metadata(archive: zipfile.ZipFile, path: str) -> dict:
    names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/metadata.json")]
    if len(names) != 1:
        raise BuildError(path, None, "not an Argos model: expected one <folder>/metadata.json inside the archive")
    try:
        return json.loads(archive.read(names[0]).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BuildError(path, None, f"not an Argos model: metadata.json is not valid JSON ({exc})") from None


def install_file(path) -> list[str]:
    from argostranslate import package

    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise BuildError(shown, None, "no such file")
    if not zipfile.is_zipfile(path):
        raise BuildError(shown, None, "not an Argos model (an .argosmodel file is a zip archive)")
    with zipfile.ZipFile(path) as archive:
        meta = _metadata(archive, shown)
        for name in archive.namelist():
            if name.startswith("/") or ".." in Path(name).parts:
                raise BuildError(shown, None, f"refusing to install: archive member {name!r} escapes its folder")
    settings = argos_settings()
    try:
        package.install_from_path(path)
    except Exception as exc:  # argostranslate raises plain Exception
        raise BuildError(shown, None, f"could not install: {exc}") from None
    code = meta.get("code") or f"translate-{meta.get('from_code')}_{meta.get('to_code')}"
    return [f"installed {code} {meta.get('package_version', '')} "
            f"({meta.get('from_code')} → {meta.get('to_code')}) into {settings.package_data_dir}"]


def download_zh_en() -> list[str]:
    """translate-zh_en from the Argos package index (argostranslate.package), offline-safe."""
    from argostranslate import package

    settings = argos_settings()
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    hint = ("download translate-zh_en-*.argosmodel on a machine with access and run "
            "`briefing models install FILE.argosmodel`")
    try:
        index = Path(settings.local_package_index)
        before = index.stat().st_mtime_ns if index.exists() else None
        package.update_package_index()  # logs and returns on failure
        after = index.stat().st_mtime_ns if index.exists() else None
        if after is None or after == before:
            raise BuildError(None, None, f"could not reach the Argos package index at "
                                         f"{settings.remote_package_index} (no network?); {hint}")
        try:
            available = package.get_available_packages()
        except (OSError, ValueError) as exc:
            raise BuildError(str(index), None, f"unreadable Argos package index: {exc}") from None
        wanted = [p for p in available if p.from_code == "zh" and p.to_code == "en"]
        if not wanted:
            raise BuildError(None, None, "the Argos package index has no zh → en package")
        pkg = max(wanted, key=lambda p: str(p.package_version))
        try:
            path = pkg.download()
        except Exception as exc:  # networking failures surface as plain Exception
            raise BuildError(None, None, f"download of translate-zh_en failed: {exc}; {hint}") from None
        return install_file(path)
    finally:
        socket.setdefaulttimeout(previous)


def list_models() -> list[str]:
    folder = packages_dir()
    models = installed_models()
    if not models:
        return [f"no models installed in {folder}",
                "install one with `briefing models install FILE.argosmodel` "
                "(or `briefing models install --download` where the network allows)"]
    lines = [f"models in {folder}:"]
    for m in models:
        lines.append(f"  {m.code} {m.version}  {m.from_code} → {m.to_code}  {m.path}")
    return lines

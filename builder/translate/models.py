"""`briefing models install FILE.argosmodel | --download` and `briefing models list`.

Each function returns report lines; problems are BuildErrors (one clear line, no traceback).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import stat
import tempfile
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


MANIFEST = ".briefing-installed.json"  # written last into a package folder: the install is whole
MAX_UNPACKED = 8 << 30  # no zh→en model is near 8 GiB; a zip bomb is
SPACE_MARGIN = 64 << 20  # left free on the disk after the install


def _members(archive: zipfile.ZipFile, shown: str) -> tuple[str, list[zipfile.ZipInfo], int]:
    """The archive's one top folder, its members and their total unpacked size, after checking
    every member name (no absolute path, no '..', no link, all in that folder)."""
    top: set[str] = set()
    members = []
    total = 0
    for info in archive.infolist():
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if (name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts or "\x00" in name
                or not parts[0] or parts[0] == "."):
            raise BuildError(shown, None, f"refusing to install: archive member {name!r} escapes its folder")
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver wrote no file type
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise BuildError(shown, None, f"refusing to install: archive member {name!r} is a link or a device, "
                                          "not a file")
        top.add(parts[0])
        members.append(info)
        total += info.file_size
    if len(top) != 1:
        raise BuildError(shown, None, "not an Argos model: the archive must hold exactly one folder")
    if total > MAX_UNPACKED:
        raise BuildError(shown, None, f"refusing to install: the archive unpacks to {total >> 20} MiB "
                                      f"(more than {MAX_UNPACKED >> 30} GiB)")
    return top.pop(), members, total


def _unpack(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], into: Path, shown: str) -> dict[str, int]:
    """Unpack into `into`, each file no larger than its header says; returns path -> size."""
    sizes = {}
    for info in members:
        target = into / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with archive.open(info) as source, open(target, "xb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > info.file_size:
                    raise BuildError(shown, None, f"refusing to install: {info.filename!r} is larger than "
                                                  "the archive says")
                out.write(chunk)
            out.flush()
            if not os.environ.get("BRIEFING_NO_FSYNC"):
                os.fsync(out.fileno())
        sizes[info.filename.split("/", 1)[1]] = written
    return sizes


def install_file(path) -> list[str]:
    """Install a .argosmodel: checked, unpacked into a hidden folder beside the installed
    packages and renamed into place whole, so a failed install (a full disk, a kill) never
    leaves a package that looks installed."""
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise BuildError(shown, None, "no such file")
    if not zipfile.is_zipfile(path):
        raise BuildError(shown, None, "not an Argos model (an .argosmodel file is a zip archive)")
    settings = argos_settings()
    folder = Path(settings.package_data_dir)
    for leftover in [*folder.glob(".install-*"), *folder.glob(".replaced-*")]:
        shutil.rmtree(leftover, ignore_errors=True)  # of an install that was killed
    try:
        with zipfile.ZipFile(path) as archive:
            meta = _metadata(archive, shown)
            name, members, total = _members(archive, shown)
            free = shutil.disk_usage(folder).free
            if total + SPACE_MARGIN > free:
                raise BuildError(shown, None, f"not enough disk space in {folder}: the model needs "
                                              f"{total >> 20} MiB, {free >> 20} MiB are free; nothing was installed")
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=folder))
            try:
                sizes = _unpack(archive, members, staging, shown)
                package = staging / name
                missing = [f for f in REQUIRED if not (package / f).is_file()]
                if meta.get("type", "translate") == "translate" and missing:
                    raise BuildError(shown, None, f"not an Argos model: {', '.join(missing)} missing")
                (package / MANIFEST).write_text(json.dumps({"files": sizes}, sort_keys=True), encoding="utf-8")
                _replace(package, folder / name)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise BuildError(shown, None, f"damaged archive: {exc}; nothing was installed") from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise BuildError(shown, None, f"the disk holding {folder} is full; nothing was installed") from None
        raise BuildError(shown, None, f"could not install: {exc.strerror or exc}; nothing was installed") from None
    code = meta.get("code") or f"translate-{meta.get('from_code')}_{meta.get('to_code')}"
    return [f"installed {code} {meta.get('package_version', '')} "
            f"({meta.get('from_code')} → {meta.get('to_code')}) into {settings.package_data_dir}"]


REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")


def _replace(new: Path, target: Path) -> None:
    """Rename `new` to `target`; an older install there is moved aside first, and removed
    only once the new one is in place."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    aside = Path(tempfile.mkdtemp(prefix=".replaced-", dir=target.parent))
    os.rmdir(aside)
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def model_problem(package: Path) -> str | None:
    """Why the package folder is not a whole install, or None. A folder this tool installed
    carries the manifest of every file and its size; one installed otherwise (argospm, or an
    older version of this tool) needs at least its model files, none of them empty."""
    package = Path(package)
    manifest = package / MANIFEST
    if manifest.is_file():
        try:
            files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            return f"its install manifest {MANIFEST} is damaged"
        for rel, size in sorted(files.items()):
            try:
                actual = (package / rel).stat().st_size
            except OSError:
                return f"{rel} is missing"
            if actual != size:
                return f"{rel} has {actual} bytes, not {size}"
        return None
    for rel in REQUIRED:
        try:
            if (package / rel).stat().st_size == 0:
                return f"{rel} is empty"
        except OSError:
            return f"{rel} is missing"
    return None


def check_model(package: Path) -> None:
    """Raise a clear error (naming the folder) for a half-installed model."""
    problem = model_problem(package)
    if problem:
        raise BuildError(str(package), None, f"the installed model is incomplete ({problem}; a failed install?): "
                                             "remove this folder and install the model again, or build with "
                                             "--no-translate")


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
    broken = []
    for m in models:
        problem = model_problem(m.path)
        if problem:
            broken.append(f"  {m.path}: {problem}")
        else:
            lines.append(f"  {m.code} {m.version}  {m.from_code} → {m.to_code}  {m.path}")
    if len(lines) == 1:
        lines = [f"no models installed in {folder}"]
    if broken:
        lines.append("incomplete (not used; remove the folder and install again):")
        lines.extend(broken)
    return lines

"""Issue 14, item 11: `briefing models install` checks an archive before unpacking it, and a
failed install (a full disk, a crafted archive) leaves nothing that looks installed."""

from __future__ import annotations

import errno
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from builder import cli
from builder.errors import BuildError
from builder.translate import engine, models

META = json.dumps({"type": "translate", "code": "translate-zh_en", "from_code": "zh", "to_code": "en",
                   "package_version": "9.9"})


def _zip(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def _good(tmp_path: Path, **extra: bytes) -> dict[str, bytes]:
    return {"pkg/metadata.json": META.encode(), "pkg/model/model.bin": b"m" * 100,
            "pkg/sentencepiece.model": b"s" * 10, **extra}


def _left(packages: Path) -> list[str]:
    return sorted(p.name for p in packages.iterdir()) if packages.exists() else []


@pytest.mark.parametrize("name, message", [
    ("/etc/evil", "escapes its folder"),
    ("pkg/../../evil", "escapes its folder"),
    ("..\\evil", "escapes its folder"),
    ("C:/evil", "escapes its folder"),
])
def test_member_paths_that_leave_the_folder_are_refused(tmp_path, argos_env, name, message):
    archive = _zip(tmp_path / "bad.argosmodel", {**_good(tmp_path), name: b"x"})
    with pytest.raises(BuildError, match=message):
        models.install_file(archive)
    assert _left(argos_env) == []
    assert not (tmp_path / "evil").exists()


def test_a_link_member_is_refused(tmp_path, argos_env):
    archive = _zip(tmp_path / "link.argosmodel", _good(tmp_path), links={"pkg/model/escape": "/etc/passwd"})
    with pytest.raises(BuildError, match="is a link or a device"):
        models.install_file(archive)
    assert _left(argos_env) == []


def test_an_archive_larger_than_the_free_space_is_refused_before_unpacking(tmp_path, argos_env, monkeypatch):
    archive = _zip(tmp_path / "big.argosmodel", _good(tmp_path))
    real = models.shutil.disk_usage
    monkeypatch.setattr(models.shutil, "disk_usage", lambda p: real(p)._replace(free=1000))
    with pytest.raises(BuildError, match=r"not enough disk space .*nothing was installed"):
        models.install_file(archive)
    assert _left(argos_env) == []


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path, argos_env, monkeypatch):
    monkeypatch.setattr(models, "MAX_UNPACKED", 1000)
    archive = _zip(tmp_path / "bomb.argosmodel", _good(tmp_path, **{"pkg/zeros": b"\0" * 100_000}))
    assert archive.stat().st_size < 10_000
    with pytest.raises(BuildError, match="unpacks to"):
        models.install_file(archive)
    assert _left(argos_env) == []


def test_a_full_disk_during_the_install_leaves_nothing_installed(tmp_path, argos_env, monkeypatch, tiny_model):
    real_open = open
    calls = [0]

    def failing_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if "x" in mode and str(argos_env) in str(file):
            calls[0] += 1
            if calls[0] == 3:  # the third file of the package: the disk fills up
                handle.close()
                raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return handle

    monkeypatch.setattr("builder.translate.models.open", failing_open, raising=False)
    with pytest.raises(BuildError, match="is full; nothing was installed"):
        models.install_file(tiny_model)
    assert _left(argos_env) == []
    assert models.list_models()[0].startswith("no models installed")
    assert engine.find_model() is None
    monkeypatch.undo()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_env))
    models.install_file(tiny_model)  # and the next install works
    (package,) = [p for p in argos_env.iterdir()]
    assert models.model_problem(package) is None
    assert engine.find_model() is not None


def test_reinstalling_replaces_the_old_install_whole(tiny_model, installed):
    (package,) = [p for p in installed.iterdir()]
    (package / "stray").write_text("x", encoding="utf-8")
    models.install_file(tiny_model)
    assert not (package / "stray").exists() and models.model_problem(package) is None
    assert [p.name for p in installed.iterdir()] == [package.name]


def test_a_half_installed_model_is_not_listed_and_a_build_says_which_folder(installed, tmp_path, capsys):
    from tiny_project import write_project

    (package,) = [p for p in installed.iterdir()]
    model = package / "model" / "model.bin"
    model.write_bytes(model.read_bytes()[:100])  # what a full disk left behind
    listing = models.list_models()
    assert listing[0] == "no models installed in " + str(installed)
    assert any(str(package) in line and "model/model.bin has 100 bytes" in line for line in listing)
    project = write_project(tmp_path / "project")
    code = cli.main(["-C", str(project), "build", "--no-search", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"error: {package}: the installed model is incomplete (model/model.bin has 100 bytes" in err


def test_an_old_install_without_a_manifest_that_cannot_load_is_a_clean_error(installed, tmp_path, capsys):
    from tiny_project import write_project

    (package,) = [p for p in installed.iterdir()]
    (package / models.MANIFEST).unlink()  # installed by argospm, or by an older version of this tool
    (package / "model" / "model.bin").write_bytes(b"not a model")
    project = write_project(tmp_path / "project")
    code = cli.main(["-C", str(project), "build", "--no-search", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"error: {package}: cannot load the installed model" in err
    os.remove(package / "sentencepiece.model")
    assert models.model_problem(package) == "sentencepiece.model is missing"

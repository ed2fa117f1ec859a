"""packaging/uniondesk.spec brings into the bundle every file the program reads at run time.

The spec is run as PyInstaller runs it, with stand-ins for PyInstaller's build classes; its
data list is then laid out as PyInstaller lays it out, into a folder standing for the bundle
(sys._MEIPASS), where the program's own look-ups (app.paths, alembic on the migrations
folder) must find everything."""

from __future__ import annotations

import ast
import shutil
import struct
import sys
import types
from glob import glob
from pathlib import Path
from typing import Any

import pytest

import app
from app.migrations import HEAD, KNOWN_REVISIONS

ROOT = Path(app.__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "uniondesk.spec"

# what PyInstaller's Qt hooks collect, as (destination, source, kind); the spec filters them
QT_FILES = [
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6\\Qt6Quick.dll",
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6\\plugins\\imageformats\\qsvg.dll",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6\\translations\\qtbase_zh_CN.qm",
    "PySide6\\translations\\qt_fr.qm",
]
KEPT = {
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6\\plugins\\imageformats\\qsvg.dll",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6\\translations\\qtbase_zh_CN.qm",
}


class Built:
    """A stand-in for one of PyInstaller's build steps: keeps what it was given."""

    made: list[Built]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.made.append(self)


class Analysis(Built):
    def __init__(self, scripts: list[str], **kwargs: Any) -> None:
        super().__init__(scripts, **kwargs)
        self.scripts = scripts
        self.pure: list[Any] = []
        self.binaries = [(name, "source", "BINARY") for name in QT_FILES if not name.endswith(".qm")]
        self.datas = [(name, "source", "DATA") for name in QT_FILES if name.endswith(".qm")]


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str = "linux") -> dict[str, Any]:
    """The spec's namespace after running it as PyInstaller would on ``platform``."""
    made: list[Built] = []
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    copied: list[str] = []

    def copy_metadata(distribution: str) -> list[tuple[str, str]]:
        copied.append(distribution)
        return []

    hooks.copy_metadata = copy_metadata  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "__name__": "__main__", "copied": copied}
    for step in ("Analysis", "PYZ", "EXE", "COLLECT"):
        namespace[step] = type(step, (Analysis if step == "Analysis" else Built,), {"made": made})
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    namespace["made"] = made
    return namespace


def lay_out(datas: list[tuple[str, str]], bundle: Path) -> None:
    """Copy ``datas`` as PyInstaller does: a folder's contents into the destination folder,
    a file (or each file a pattern matches) into it under its own name."""
    for source, destination in datas:
        target = bundle / destination
        if Path(source).is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
            continue
        matches = glob(source)
        assert matches, f"the spec names a file that does not exist: {source}"
        for match in matches:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(match, target / Path(match).name)


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The spec's data laid out in a folder, and the program told it runs from there."""
    spec = run_spec(monkeypatch)
    folder = tmp_path / "_internal"
    lay_out(spec["DATAS"], folder)
    monkeypatch.setattr(sys, "_MEIPASS", str(folder), raising=False)
    return folder


def test_every_resource_is_found_in_the_bundle(bundle: Path) -> None:
    from app.paths import resource, resources_dir

    assert resources_dir() == bundle / "resources"
    files = [p for p in (ROOT / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert len(files) > 20  # fonts, icons, licences, policy tables, summary paragraphs
    for original in files:
        parts = original.relative_to(ROOT / "resources").parts
        found = resource(*parts)
        assert found == bundle / "resources" / Path(*parts)
        assert found.read_bytes() == original.read_bytes()


def test_alembic_finds_every_migration_where_the_bundled_program_looks(bundle: Path) -> None:
    from alembic.script import ScriptDirectory

    from app.db import migrations_folder

    # in the bundle app.migrations is sys._MEIPASS/app/migrations/__init__.pyc: the folder
    # migrations_folder() returns there is the one the spec fills
    where = bundle / migrations_folder().relative_to(ROOT)
    assert where == bundle / "app" / "migrations"
    scripts = ScriptDirectory(str(where))
    assert scripts.get_current_head() == HEAD
    assert {revision.revision for revision in scripts.walk_revisions()} == set(KNOWN_REVISIONS)
    assert (where / "env.py").is_file() and (where / "script.py.mako").is_file()


def test_python_licence_is_bundled_where_the_about_box_looks(bundle: Path) -> None:
    from app.ui.about_dialog import _python_licence

    found = _python_licence()
    assert found == bundle / "licenses" / "python" / "LICENSE.txt"
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in found.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_two_programs_share_one_folder(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    spec = run_spec(monkeypatch, platform)
    programs = [step for step in spec["made"] if type(step).__name__ == "EXE"]
    by_console = {step.kwargs["console"]: step.kwargs["name"] for step in programs}
    assert by_console[False] == "UnionDesk"  # the window: no console window on Windows
    assert by_console[True] == ("uniondesk-cli" if platform == "win32" else "uniondesk")
    if platform == "win32":  # Windows file names ignore case: UnionDesk.exe and uniondesk.exe are one file
        assert len({name.lower() for name in by_console.values()}) == 2
    (collect,) = [step for step in spec["made"] if type(step).__name__ == "COLLECT"]
    assert [arg for arg in collect.args if type(arg).__name__ == "EXE"] == programs
    icons = {step.kwargs["icon"] for step in programs}
    assert icons == ({str(ROOT / "resources" / "icons" / "uniondesk.ico")} if platform == "win32" else {None})


def test_qt_files_the_program_needs_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = run_spec(monkeypatch)
    (analysis,) = [step for step in spec["made"] if isinstance(step, Analysis)]
    kept = {entry[0] for entry in analysis.binaries + analysis.datas}
    assert kept == KEPT


def test_every_app_module_is_bundled_and_nothing_it_imports_is_excluded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = run_spec(monkeypatch)
    hidden = set(spec["HIDDEN"])
    excluded = set(spec["EXCLUDES"])
    for path in (ROOT / "app").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        assert module in hidden or module == "app.__main__", module
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not {name.split(".")[0] for name in names} & excluded, (
                f"{module} imports an excluded package"
            )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_files_hold_every_size() -> None:
    icons = ROOT / "resources" / "icons"
    ico = (icons / "uniondesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, height, _c, _r, _planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * index : 22 + 16 * index]
        )
        side = width or 256
        assert (width, bits) == (height, 32)
        image = ico[offset : offset + length]
        if image.startswith(b"\x89PNG"):
            assert _png_size(image) == (side, side)
        else:  # a 32-bit bitmap: its header says the size, the height doubled for the mask
            assert struct.unpack("<iiHH", image[4:16]) == (side, side * 2, 1, 32)
        sizes.add(side)
    assert sizes == {16, 24, 32, 48, 64, 128, 256}
    assert _png_size((icons / "uniondesk.png").read_bytes()) == (256, 256)
    for side in (16, 24, 32, 48, 64, 128):
        assert _png_size((icons / f"uniondesk-{side}.png").read_bytes()) == (side, side)


def test_every_build_stores_the_modules_alike() -> None:
    """The Linux and Windows builds store the Python modules undeflated (the window starts
    sooner), and the start-up benchmark builds its bare floor the same way as the program."""
    import importlib.util
    import re

    linux = re.search(
        r"^export PYINSTALLER_ZLIB_COMPRESSION_LEVEL=(\d)$",
        (ROOT / "packaging" / "linux" / "build.sh").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    windows = re.search(
        r"^set PYINSTALLER_ZLIB_COMPRESSION_LEVEL=(\d)\r$",
        (ROOT / "packaging" / "windows" / "build.bat").read_bytes().decode("utf-8"),
        re.MULTILINE,
    )
    spec = importlib.util.spec_from_file_location("bench_bundle", ROOT / "bench" / "bench_bundle.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    assert linux is not None and windows is not None
    assert (
        linux.group(1)
        == windows.group(1)
        == bench.BUILD_ENVIRONMENT["PYINSTALLER_ZLIB_COMPRESSION_LEVEL"]
        == "0"
    )


def test_qt_s_enums_are_made_the_quick_way_before_pyinstaller_s_qt_hook_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import enum

    from app.ui import qt_enums

    spec = run_spec(monkeypatch)
    (analysis,) = [step for step in spec["made"] if type(step).__name__ == "Analysis"]
    (hook,) = analysis.kwargs["runtime_hooks"]  # ours run before the hooks PyInstaller adds
    monkeypatch.setattr(enum.EnumType, "__call__", qt_enums._stock_call)
    exec(compile(Path(hook).read_text(encoding="utf-8"), hook, "exec"), {"__name__": "__main__"})
    assert qt_enums.installed() == (sys.version_info[:2] <= (3, 13))
